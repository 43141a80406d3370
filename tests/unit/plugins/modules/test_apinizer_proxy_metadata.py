# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.apinizer.apiops.plugins.modules import apinizer_proxy_metadata as module
from ansible_collections.apinizer.apiops.tests.unit.conftest import BASE_URL, sent_json

PROJECT_URL = BASE_URL + '/apiops/projects/Demo/apiProxies/'
PROXY_URL = PROJECT_URL + 'orders-api/'
NEW_URL = PROJECT_URL + 'orders/'
PATCH_URL = PROXY_URL + 'settings/metadata/'
ARGS = dict(project='Demo', api_proxy='orders-api')
NOT_FOUND = {'error': 'not_found', 'error_description': 'ApiProxy (name: orders) was not found!'}

METADATA = {
    'description': 'Orders', 'categoryList': ['Payment', 'Public'], 'sharingType': 'BOTH',
    'requestBodyReadBehavior': 'ALWAYS_READ', 'responseBodyReadBehavior': 'ALWAYS_READ',
    'direction': 'REQUEST_RESPONSE', 'disableDirectAccessToGateways': False, 'globalApiProxySettingName': None,
    'backendProxyApplyPolicies': False, 'fixSoapApiPortType': False,
}


def found(name='orders-api', kind='REST', deployments=None, **fields):
    proxy = dict(METADATA, name=name, type=kind, deploymentList=deployments or [
        {'environmentName': 'production', 'deployed': True, 'redeployRequired': False},
        {'environmentName': 'test', 'deployed': True, 'redeployRequired': False}])
    proxy.update(fields)
    return {'success': True, 'resultCount': 1, 'resultList': [proxy]}


def deploy_result(*envs, **kwargs):
    ok = kwargs.get('ok', True)
    return {'success': True, 'deploymentResult': {'success': ok, 'deploymentResults': [
        {'environmentName': env, 'success': ok, 'message': 'Deployment successful' if ok else 'Gateway pods unreachable'}
        for env in envs]}}


def methods(mocked_api):
    return [(c.request.method, c.request.url) for c in mocked_api.calls]


def test_the_eleven_fields_and_their_documented_choices():
    assert module.Metadata.fields == {
        'name': 'name', 'description': 'description', 'category_list': 'categoryList',
        'sharing_type': 'sharingType', 'request_body_read_behavior': 'requestBodyReadBehavior',
        'response_body_read_behavior': 'responseBodyReadBehavior', 'direction': 'direction',
        'disable_direct_access_to_gateways': 'disableDirectAccessToGateways',
        'global_api_proxy_setting_name': 'globalApiProxySettingName',
        'backend_proxy_apply_policies': 'backendProxyApplyPolicies', 'fix_soap_api_port_type': 'fixSoapApiPortType'}
    spec = module.FIELD_SPEC
    assert spec['sharing_type']['choices'] == ['BOTH', 'NONE', 'EXTERNAL', 'INTERNAL']
    assert spec['request_body_read_behavior']['choices'] == ['ALWAYS_READ', 'READ_IF_POLICY_EXISTS', 'NEVER_READ']
    assert spec['response_body_read_behavior']['choices'] == spec['request_body_read_behavior']['choices']
    assert spec['direction']['choices'] == ['REQUEST_RESPONSE', 'REQUEST_ONLY', 'RESPONSE_ONLY']
    assert module.Metadata.body_deploy is True


def test_unchanged_sends_only_the_read(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found())
    result, failed = run_module(module, dict(ARGS, name='orders-api', description='Orders', sharing_type='BOTH',
                                             category_list=['Public', 'Payment'], direction='REQUEST_RESPONSE'))
    assert not failed and result['changed'] is False
    assert methods(mocked_api) == [('GET', PROXY_URL)]
    assert 'rename' not in result


def test_change_patches_only_differing_fields_with_diff(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found())
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, description='Orders of the shop', sharing_type='BOTH',
                                             request_body_read_behavior='READ_IF_POLICY_EXISTS',
                                             global_api_proxy_setting_name='My Global Setting'), diff=True)
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {'description': 'Orders of the shop',
                                              'requestBodyReadBehavior': 'READ_IF_POLICY_EXISTS',
                                              'globalApiProxySettingName': 'My Global Setting'}
    assert result['diff'] == {
        'before': {'description': 'Orders', 'sharing_type': 'BOTH', 'request_body_read_behavior': 'ALWAYS_READ',
                   'global_api_proxy_setting_name': None},
        'after': {'description': 'Orders of the shop', 'sharing_type': 'BOTH',
                  'request_body_read_behavior': 'READ_IF_POLICY_EXISTS',
                  'global_api_proxy_setting_name': 'My Global Setting'}}


def test_empty_description_and_category_list_clear(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found())
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, description='', category_list=[]))
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {'description': '', 'categoryList': []}


def test_cleared_values_are_then_unchanged(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found(description='', categoryList=[]))
    result, failed = run_module(module, dict(ARGS, description='', category_list=[]))
    assert not failed and result['changed'] is False


def test_category_order_is_not_a_change_but_case_is(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found())
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, category_list=['Public', 'payment']))
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {'categoryList': ['Public', 'payment']}


def test_sharing_type_outside_the_patch_enum_is_written_and_warned(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found(sharingType='PROJECT'))
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, sharing_type='INTERNAL', description='Orders'), diff=True)
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {'sharingType': 'INTERNAL'}
    assert any("did not report sharing_type of API proxy 'orders-api'" in w for w in result['warnings'])
    assert result['diff']['before'] == {'description': 'Orders'}


def test_rename_checks_the_new_name_is_free_then_patches(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found())
    mocked_api.get(NEW_URL, status=404, json=NOT_FOUND)
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, name='orders', description='Orders'))
    assert not failed and result['changed'] is True
    assert methods(mocked_api) == [('GET', PROXY_URL), ('GET', NEW_URL), ('PATCH', PATCH_URL)]
    assert sent_json(mocked_api.calls[2]) == {'name': 'orders'}
    assert result['api_proxy'] == 'orders'
    assert result['rename'] == {'from': 'orders-api', 'to': 'orders', 'already_done': False}


def test_rename_with_deploy_deploys_in_the_same_request(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found())
    mocked_api.get(NEW_URL, status=400, json={'status': 'FAILURE',
                                              'resultMessage': 'ApiProxy (name: orders) was not found!'})
    mocked_api.patch(PATCH_URL, json=deploy_result('production', 'test'))
    result, failed = run_module(module, dict(ARGS, name='orders', deploy=True,
                                             deploy_environments=['production', 'test']))
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[2]) == {'name': 'orders', 'deploy': True,
                                              'deployTargetEnvironmentNameList': ['production', 'test']}
    assert len(mocked_api.calls) == 3
    assert [d['environment'] for d in result['deployments']] == ['production', 'test']


def test_rename_already_done_compares_against_the_renamed_proxy(mocked_api, run_module):
    mocked_api.get(PROXY_URL, status=404, json=NOT_FOUND)
    mocked_api.get(NEW_URL, json=found(name='orders'))
    result, failed = run_module(module, dict(ARGS, name='orders', description='Orders'))
    assert not failed and result['changed'] is False
    assert methods(mocked_api) == [('GET', PROXY_URL), ('GET', NEW_URL)]
    assert result['api_proxy'] == 'orders'
    assert result['rename'] == {'from': 'orders-api', 'to': 'orders', 'already_done': True}


def test_rename_already_done_still_applies_other_changes_to_the_new_name(mocked_api, run_module):
    mocked_api.get(PROXY_URL, status=404, json=NOT_FOUND)
    mocked_api.get(NEW_URL, json=found(name='orders'))
    mocked_api.patch(NEW_URL + 'settings/metadata/', json={'success': True})
    result, failed = run_module(module, dict(ARGS, name='orders', description='New'))
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[2]) == {'description': 'New'}


def test_rename_onto_an_existing_proxy_fails_before_any_write(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found())
    mocked_api.get(PROJECT_URL + 'payments-api/', json=found(name='payments-api'))
    result, failed = run_module(module, dict(ARGS, name='payments-api', description='x', deploy=True,
                                             deploy_environments=['production']))
    assert failed and result['changed'] is False
    assert result['msg'] == ("Cannot rename API proxy 'orders-api' to 'payments-api' in project 'Demo': another API "
                             "proxy named 'payments-api' already exists. Nothing was changed.")
    assert all(c.request.method == 'GET' for c in mocked_api.calls)


def test_neither_name_exists(mocked_api, run_module):
    mocked_api.get(PROXY_URL, status=404, json=NOT_FOUND)
    mocked_api.get(NEW_URL, status=404, json=NOT_FOUND)
    result, failed = run_module(module, dict(ARGS, name='orders'))
    assert failed and result['msg'] == ("API proxy 'orders-api' was not found in project 'Demo'. Nor was an API "
                                        "proxy named 'orders' (option name) found.")
    assert 'rename' not in result


def test_missing_proxy_without_rename(mocked_api, run_module):
    mocked_api.get(PROXY_URL, status=404, json=NOT_FOUND)
    result, failed = run_module(module, dict(ARGS, description='x'))
    assert failed and result['msg'] == "API proxy 'orders-api' was not found in project 'Demo'."
    assert len(mocked_api.calls) == 1


def test_empty_name_fails_before_any_request(mocked_api, run_module):
    result, failed = run_module(module, dict(ARGS, name='  '))
    assert failed and 'name must not be empty' in result['msg']
    assert len(mocked_api.calls) == 0


@pytest.mark.parametrize('kind', ['REST', 'WEBSOCKET'])
def test_fix_soap_port_type_on_a_non_soap_proxy_fails_before_any_write(mocked_api, run_module, kind):
    mocked_api.get(PROXY_URL, json=found(kind=kind))
    result, failed = run_module(module, dict(ARGS, fix_soap_api_port_type=True, description='x'))
    assert failed and result['changed'] is False
    assert result['msg'] == ("API proxy 'orders-api' in project 'Demo' is of type %s, but fix_soap_api_port_type "
                             "can only be set on SOAP API proxies. Nothing was changed." % kind)
    assert len(mocked_api.calls) == 1


def test_fix_soap_port_type_on_a_soap_proxy(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found(kind='SOAP'))
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, fix_soap_api_port_type=True))
    assert not failed and sent_json(mocked_api.calls[1]) == {'fixSoapApiPortType': True}


def test_check_mode_rename_writes_nothing(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found())
    mocked_api.get(NEW_URL, status=404, json=NOT_FOUND)
    result, failed = run_module(module, dict(ARGS, name='orders', deploy=True, deploy_environments=['production']),
                                check_mode=True, diff=True)
    assert not failed and result['changed'] is True
    assert all(c.request.method == 'GET' for c in mocked_api.calls)
    assert result['diff'] == {'before': {'name': 'orders-api'}, 'after': {'name': 'orders'}}
    assert result['api_proxy'] == 'orders-api'


def test_redeploy_required_converges_without_a_patch(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found(deployments=[
        {'environmentName': 'production', 'deployed': True, 'redeployRequired': False},
        {'environmentName': 'test', 'deployed': False, 'redeployRequired': False}]))
    mocked_api.post(PROXY_URL + 'environments/test/', json=deploy_result('test'))
    result, failed = run_module(module, dict(ARGS, description='Orders', deploy=True,
                                             deploy_environments=['production', 'test']))
    assert not failed and result['changed'] is True
    assert methods(mocked_api) == [('GET', PROXY_URL), ('POST', PROXY_URL + 'environments/test/')]


def test_failed_in_body_deploy_says_the_settings_were_saved(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found(deployments=[
        {'environmentName': 'staging', 'deployed': True, 'redeployRequired': False}]))
    mocked_api.patch(PATCH_URL, json=deploy_result('staging', ok=False))
    result, failed = run_module(module, dict(ARGS, description='New', deploy=True, deploy_environments=['staging']))
    assert failed and result['changed'] is True
    assert "environment 'staging': Gateway pods unreachable" in result['msg']
    assert 'The metadata settings themselves were saved.' in result['msg']
