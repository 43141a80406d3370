# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils._proxy import (
    deployment_results,
    proxy_type,
    read_section,
    single_result,
)


def test_single_result_accepts_both_envelopes_and_a_bare_object():
    assert single_result({'success': True, 'resultList': [{'name': 'a'}], 'resultCount': 1}) == {'name': 'a'}
    assert single_result({'status': 'SUCCESS', 'resultList': [], 'resultCount': 0}) is None
    assert single_result({'name': 'a'}) == {'name': 'a'}
    assert single_result({}) is None


def test_proxy_type_from_type_or_api_type():
    assert proxy_type({'type': 'WEBSOCKET'}) == 'WEBSOCKET'
    assert proxy_type({'apiType': 'rest'}) == 'REST'
    assert proxy_type({}) is None


@pytest.mark.parametrize('proxy', [
    {'routing': {'websocketSettings': {'autoReconnect': True}}},
    {'routingInfo': {'websocketSettings': {'autoReconnect': True}}},
    {'websocketSettings': {'autoReconnect': True}},
])
def test_websocket_settings_are_found_in_every_documented_place(proxy):
    assert read_section(proxy, 'websocket', ['autoReconnect', 'maxRetries']) == \
        ({'autoReconnect': True}, ['maxRetries'])


def test_connection_settings_read_flat_from_routing_first():
    proxy = {'routing': {'connectTimeout': 30, 'routingEnabled': True},
             'connectionSettings': {'connectTimeout': 5, 'readTimeout': 60}}
    assert read_section(proxy, 'connection', ['connectTimeout', 'readTimeout']) == \
        ({'connectTimeout': 30, 'readTimeout': 60}, [])


def test_metadata_top_level_and_a_reported_null_is_known():
    current, unknown = read_section({'description': None, 'name': 'a'}, 'metadata', ['description', 'categoryList'])
    assert current == {'description': None} and unknown == ['categoryList']


def test_nothing_reported_means_every_field_unknown():
    assert read_section({'name': 'a'}, 'maintenance', ['enabled']) == ({}, ['enabled'])


def test_deployment_result_shape_a():
    result = {'success': False, 'deploymentResults': [
        {'environmentName': 'production', 'success': True, 'message': 'Deployment successful'},
        {'environmentName': 'staging', 'success': False, 'message': 'Gateway pods unreachable'}]}
    assert deployment_results(result, ['production', 'staging']) == [
        {'environment': 'production', 'success': True, 'message': 'Deployment successful'},
        {'environment': 'staging', 'success': False, 'message': 'Gateway pods unreachable'}]


def test_deployment_result_shape_b_applies_to_every_environment():
    assert deployment_results({'success': True}, ['production', 'test']) == [
        {'environment': 'production', 'success': True, 'message': ''},
        {'environment': 'test', 'success': True, 'message': ''}]
    assert deployment_results({'success': False}, ['production'])[0]['success'] is False


def test_deployment_result_shape_c_with_and_without_detail_list():
    nested = {'success': True, 'responseTime': 1500, 'detailList': [
        {'envName': 'production', 'success': True, 'detail': 'Deployed successfully', 'responseTime': 450}]}
    assert deployment_results(nested, ['production']) == [
        {'environment': 'production', 'success': True, 'message': 'Deployed successfully'}]
    flat = {'envName': 'production', 'podName': '', 'success': False, 'detail': 'timeout', 'detailList': []}
    assert deployment_results(flat, ['production']) == [
        {'environment': 'production', 'success': False, 'message': 'timeout'}]


def test_missing_deployment_result_is_reported_not_invented():
    assert deployment_results(None, ['production']) == [
        {'environment': 'production', 'success': True, 'message': 'Deploy requested; Apinizer returned no result'}]
