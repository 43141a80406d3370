# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.apinizer.apiops.plugins.modules import apinizer_proxy_websocket as module
from ansible_collections.apinizer.apiops.tests.unit.conftest import BASE_URL, sent_json

PROXY_URL = BASE_URL + '/apiops/projects/Demo/apiProxies/live-feed/'
PATCH_URL = PROXY_URL + 'settings/websocket/'
ARGS = dict(project='Demo', api_proxy='live-feed')

CURRENT = {'connectionLostTimeout': 60, 'reuseAddr': False, 'connectTimeout': 30, 'maxRetries': 3,
           'retryDelay': 1000, 'autoReconnect': False, 'autoReconnectMaxRetries': 5, 'autoReconnectRetryDelay': 2000}


def websocket_proxy(settings=None, kind='WEBSOCKET', deployments=None, place=('routing', 'websocketSettings')):
    proxy = {'name': 'live-feed', 'type': kind, 'routing': {'connectTimeout': 10},
             'deploymentList': deployments or [
                 {'environmentName': 'production', 'deployed': True, 'redeployRequired': False},
                 {'environmentName': 'test', 'deployed': True, 'redeployRequired': False}]}
    if settings is not None:
        container = proxy
        for key in place[:-1]:
            container = container.setdefault(key, {})
        container[place[-1]] = dict(settings)
    return {'success': True, 'resultCount': 1, 'resultList': [proxy]}


def deployed(env):
    return {'success': True, 'deploymentResult': {'success': True, 'deploymentResults': [
        {'environmentName': env, 'success': True, 'message': 'Deployment successful'}]}}


def test_every_option_maps_to_its_documented_field():
    assert module.WebsocketSettings.fields == {
        'connection_lost_timeout': 'connectionLostTimeout', 'reuse_addr': 'reuseAddr',
        'connect_timeout': 'connectTimeout', 'max_retries': 'maxRetries', 'retry_delay': 'retryDelay',
        'auto_reconnect': 'autoReconnect', 'auto_reconnect_max_retries': 'autoReconnectMaxRetries',
        'auto_reconnect_retry_delay': 'autoReconnectRetryDelay'}
    assert set(module.FIELD_SPEC) == set(module.WebsocketSettings.fields) | {'request_format'}


def test_unchanged_sends_only_the_read(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=websocket_proxy(CURRENT))
    args = dict(ARGS, connection_lost_timeout=60, reuse_addr=False, connect_timeout=30, max_retries=3,
                retry_delay=1000, auto_reconnect=False, auto_reconnect_max_retries=5, auto_reconnect_retry_delay=2000)
    result, failed = run_module(module, args)
    assert not failed and result['changed'] is False
    assert [c.request.method for c in mocked_api.calls] == ['GET']
    assert not any('live-feed' in w for w in result['warnings'])


def test_change_sends_the_wrapped_body_with_only_differing_fields(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=websocket_proxy(CURRENT))
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, connection_lost_timeout=120, connect_timeout=30,
                                             auto_reconnect=True), diff=True)
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {'websocketSettings': {'connectionLostTimeout': 120,
                                                                    'autoReconnect': True}}
    assert result['diff'] == {
        'before': {'connection_lost_timeout': 60, 'connect_timeout': 30, 'auto_reconnect': False},
        'after': {'connection_lost_timeout': 120, 'connect_timeout': 30, 'auto_reconnect': True}}
    assert result['settings'] == {'connection_lost_timeout': 120, 'connect_timeout': 30, 'auto_reconnect': True}


def test_flat_request_format_sends_the_seed_body(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=websocket_proxy(CURRENT))
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, max_retries=5, retry_delay=2000, reuse_addr=True,
                                             request_format='flat'))
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {'maxRetries': 5, 'retryDelay': 2000, 'reuseAddr': True}


def test_top_level_websocket_settings_are_read_too(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=websocket_proxy(CURRENT, place=('websocketSettings',)))
    result, failed = run_module(module, dict(ARGS, retry_delay=1000))
    assert not failed and result['changed'] is False


def test_check_mode_reports_the_change_and_deploys_without_writing(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=websocket_proxy(CURRENT))
    result, failed = run_module(module, dict(ARGS, auto_reconnect=True, deploy=True,
                                             deploy_environments=['production', 'test']), check_mode=True, diff=True)
    assert not failed and result['changed'] is True
    assert [c.request.method for c in mocked_api.calls] == ['GET']
    assert [d['environment'] for d in result['deployments']] == ['production', 'test']
    assert result['diff']['after'] == {'auto_reconnect': True}


def test_change_with_deploy_posts_once_per_environment(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=websocket_proxy(CURRENT))
    mocked_api.patch(PATCH_URL, json={'success': True})
    mocked_api.post(PROXY_URL + 'environments/production/', json=deployed('production'))
    mocked_api.post(PROXY_URL + 'environments/test/', json=deployed('test'))
    result, failed = run_module(module, dict(ARGS, auto_reconnect=True, deploy=True,
                                             deploy_environments=['production', 'test']))
    assert not failed and result['changed'] is True
    assert [c.request.method for c in mocked_api.calls] == ['GET', 'PATCH', 'POST', 'POST']
    # The settings endpoint gets the settings only; the deploy is its own request.
    assert sent_json(mocked_api.calls[1]) == {'websocketSettings': {'autoReconnect': True}}
    assert [d['environment'] for d in result['deployments']] == ['production', 'test']
    assert all(d['success'] for d in result['deployments'])


@pytest.mark.parametrize('kind', ['REST', 'SOAP', 'GRPC'])
def test_a_proxy_of_another_type_is_refused_before_any_write(mocked_api, run_module, kind):
    mocked_api.get(PROXY_URL, json=websocket_proxy(None, kind=kind))
    result, failed = run_module(module, dict(ARGS, auto_reconnect=True, deploy=True,
                                             deploy_environments=['production']))
    assert failed and result['changed'] is False
    assert result['msg'] == ("API proxy 'live-feed' in project 'Demo' is of type %s, but websocket settings can "
                             "only be set on WEBSOCKET API proxies. Nothing was changed." % kind)
    assert [c.request.method for c in mocked_api.calls] == ['GET']


def test_type_reported_as_api_type_is_checked_too(mocked_api, run_module):
    body = websocket_proxy(None, kind=None)
    del body['resultList'][0]['type']
    body['resultList'][0]['apiType'] = 'rest'
    mocked_api.get(PROXY_URL, json=body)
    result, failed = run_module(module, dict(ARGS, auto_reconnect=True))
    assert failed and 'is of type REST' in result['msg']


def test_unreported_type_and_section_are_written_with_a_warning(mocked_api, run_module):
    body = websocket_proxy(None)
    del body['resultList'][0]['type']
    mocked_api.get(PROXY_URL, json=body)
    mocked_api.patch(PATCH_URL, json={'status': 'SUCCESS'})
    result, failed = run_module(module, dict(ARGS, auto_reconnect=False, retry_delay=500))
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {'websocketSettings': {'autoReconnect': False, 'retryDelay': 500}}
    assert any('did not report auto_reconnect, retry_delay' in w for w in result['warnings'])


def test_server_side_type_refusal_is_reported_clearly(mocked_api, run_module):
    body = websocket_proxy(None)
    del body['resultList'][0]['type']
    mocked_api.get(PROXY_URL, json=body)
    mocked_api.patch(PATCH_URL, status=400, json={'error': 'bad_request',
                                                  'error_description': 'API Proxy type is not WEBSOCKET'})
    result, failed = run_module(module, dict(ARGS, auto_reconnect=True))
    assert failed and result['changed'] is False
    assert result['msg'] == ('Apinizer API PATCH /apiops/projects/Demo/apiProxies/live-feed/settings/websocket/ '
                             'failed (HTTP 400): API Proxy type is not WEBSOCKET')


def test_names_with_space_and_slash_are_encoded(mocked_api, run_module):
    url = BASE_URL + '/apiops/projects/My%20Project%2FTeam/apiProxies/feed%2Fv2/'
    body = websocket_proxy(CURRENT)
    body['resultList'][0]['name'] = 'feed/v2'
    mocked_api.get(url, json=body)
    mocked_api.patch(url + 'settings/websocket/', json={'success': True})
    result, failed = run_module(module, dict(project='My Project/Team', api_proxy='feed/v2', max_retries=9))
    assert not failed and result['changed'] is True
    assert result['api_proxy'] == 'feed/v2' and result['project'] == 'My Project/Team'


def test_missing_proxy_in_the_newer_error_style(mocked_api, run_module):
    mocked_api.get(PROXY_URL, status=400, json={'status': 'FAILURE',
                                                'resultMessage': 'ApiProxy (name: live-feed) was not found!'})
    result, failed = run_module(module, dict(ARGS, auto_reconnect=True))
    assert failed and result['msg'] == "API proxy 'live-feed' was not found in project 'Demo'."
