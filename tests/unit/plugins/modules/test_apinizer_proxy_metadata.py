# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest
import requests

from ansible_collections.apinizer.apiops.plugins.module_utils import _proxy_modules as modules
from ansible_collections.apinizer.apiops.plugins.module_utils import _proxy_sections as sections
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_proxy_metadata as module
from ansible_collections.apinizer.apiops.tests.unit.conftest import (
    BASE_URL,
    deploy_answer,
    deployment_list,
    documented_proxy,
    mock_export,
    mock_export_refused,
    proxy_answer,
    sent,
    sent_json,
    writes,
)

PROJECT_PATH = '/apiops/projects/Demo/apiProxies/'
PROJECT_URL = BASE_URL + PROJECT_PATH
PROXY_URL = PROJECT_URL + 'orders-api/'
NEW_URL = PROJECT_URL + 'orders/'
PATCH_PATH = PROJECT_PATH + 'orders-api/settings/metadata/'
PATCH_URL = BASE_URL + PATCH_PATH
ARGS = dict(project='Demo', api_proxy='orders-api')
NO_ANSWER = 'no complete answer within 30 seconds (option timeout or APINIZER_TIMEOUT); 1 attempt'

pytestmark = pytest.mark.usefixtures('clear_warnings')

METADATA = {
    'description': 'Orders', 'categoryList': ['Payment', 'Public'], 'sharingType': 'BOTH',
    'requestBodyReadBehavior': 'ALWAYS_READ', 'responseBodyReadBehavior': 'ALWAYS_READ',
    'direction': 'REQUEST_RESPONSE', 'disableDirectAccessToGateways': False, 'globalApiProxySettingName': None,
    'backendProxyApplyPolicies': False, 'fixSoapApiPortType': False,
}


def not_found(name):
    return {'error': 'not_found', 'error_description': 'ApiProxy (name: %s) was not found!' % name}


def definition(name='orders-api', kind='REST', deployments=None, **fields):
    proxy = dict(METADATA, name=name, type=kind, apiType=kind, clientRoute={'relativePathList': ['/orders']},
                 routing={'routingEnabled': True, 'routingAddressList': []}, endpointList=[],
                 deploymentList=deployments or deployment_list(('production', True, False), ('test', True, False)))
    proxy.update(fields)
    return proxy


def found(name='orders-api', kind='REST', deployments=None, **fields):
    return proxy_answer(definition(name, kind, deployments, **fields))


def test_the_eleven_fields_and_their_documented_choices():
    assert modules.Metadata.section.api_names == {
        'new_name': 'name', 'description': 'description', 'categories': 'categoryList',
        'sharing_type': 'sharingType', 'request_body_read_behavior': 'requestBodyReadBehavior',
        'response_body_read_behavior': 'responseBodyReadBehavior', 'direction': 'direction',
        'disable_direct_access_to_gateways': 'disableDirectAccessToGateways',
        'global_api_proxy_setting_name': 'globalApiProxySettingName',
        'backend_proxy_apply_policies': 'backendProxyApplyPolicies', 'fix_soap_api_port_type': 'fixSoapApiPortType'}
    spec = sections.METADATA.argument_spec()
    assert spec['sharing_type']['choices'] == ['BOTH', 'NONE', 'EXTERNAL', 'INTERNAL']
    assert spec['request_body_read_behavior']['choices'] == ['ALWAYS_READ', 'READ_IF_POLICY_EXISTS', 'NEVER_READ']
    assert spec['response_body_read_behavior']['choices'] == spec['request_body_read_behavior']['choices']
    assert spec['direction']['choices'] == ['REQUEST_RESPONSE', 'REQUEST_ONLY', 'RESPONSE_ONLY']
    assert modules.Metadata.body_deploy is True


def test_unchanged_sends_only_the_read(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found())
    result, failed = run_module(module, dict(ARGS, new_name='orders-api', description='Orders', sharing_type='BOTH',
                                             categories=['Public', 'Payment'], direction='REQUEST_RESPONSE'))
    assert not failed and result['changed'] is False
    assert sent(mocked_api) == [('GET', PROXY_URL)]
    assert 'rename' not in result
    assert result['before'] == {
        'new_name': 'orders-api', 'description': 'Orders', 'sharing_type': 'BOTH', 'categories': ['Payment', 'Public'],
        'direction': 'REQUEST_RESPONSE'}
    assert result['requests'] == [] and result['warnings'] == []


def test_categories_in_another_order_are_after_as_the_server_holds_them(mocked_api, run_module):
    """after is before plus what the task applies: a field the task does not write stays as the server holds
    it, so the diff shows only the description, not a reordering of categories that was never sent."""
    mocked_api.get(PROXY_URL, json=found())
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, description='New', categories=['Public', 'Payment']), diff=True)
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {'description': 'New'}
    assert result['before'] == {'description': 'Orders', 'categories': ['Payment', 'Public']}
    assert result['after'] == {'description': 'New', 'categories': ['Payment', 'Public']}
    assert result['diff'] == {'before': result['before'], 'after': result['after']}


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
    assert result['before'] == result['diff']['before'] and result['after'] == result['diff']['after']


def test_empty_description_and_categories_clear(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found())
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, description='', categories=[]))
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {'description': '', 'categoryList': []}
    assert result['after'] == {'description': '', 'categories': []}


def test_cleared_values_are_then_unchanged(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found(description='', categoryList=[]))
    result, failed = run_module(module, dict(ARGS, description='', categories=[]))
    assert not failed and result['changed'] is False


@pytest.mark.parametrize('reported', [None, 'absent'])
def test_cleared_values_match_a_server_null_or_absent_field(mocked_api, run_module, reported):
    answer = found(description=None, categoryList=None)
    if reported == 'absent':
        del answer['resultList'][0]['description'], answer['resultList'][0]['categoryList']
        mock_export(mocked_api, PROXY_URL, definition(description=None, categoryList=None))
    mocked_api.get(PROXY_URL, json=answer)
    result, failed = run_module(module, dict(ARGS, description='', categories=[]))
    assert not failed and result['changed'] is False
    assert writes(mocked_api) == []


def test_category_order_is_not_a_change_but_case_is(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found())
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, categories=['Public', 'payment']))
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {'categoryList': ['Public', 'payment']}


def test_sharing_type_outside_the_patch_enum_is_written_and_warned(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found(sharingType='PROJECT'))
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, sharing_type='INTERNAL', description='Orders'), diff=True)
    assert not failed and result['changed'] is True
    assert sent(mocked_api) == [('GET', PROXY_URL), ('PATCH', PATCH_URL)]
    assert sent_json(mocked_api.calls[1]) == {'sharingType': 'INTERNAL'}
    assert result['warnings'] == [
        "Apinizer reports a value outside the option's choices ('PROJECT') for sharing_type of API proxy 'orders-api' "
        "(project 'Demo'): it is sent without comparison, so idempotency cannot be verified for it."]
    assert result['diff']['before'] == {'description': 'Orders'}


# --- Rename ---------------------------------------------------------------------------------


def test_rename_checks_the_new_name_is_free_then_patches(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found())
    mocked_api.get(NEW_URL, status=404, json=not_found('orders'))
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, new_name='orders', description='Orders'))
    assert not failed and result['changed'] is True
    assert sent(mocked_api) == [('GET', PROXY_URL), ('GET', NEW_URL), ('PATCH', PATCH_URL)]
    assert sent_json(mocked_api.calls[2]) == {'name': 'orders'}
    assert result['api_proxy'] == 'orders'
    assert result['rename'] == {'from': 'orders-api', 'to': 'orders', 'already_done': False}
    assert result['requests'] == [{'method': 'PATCH', 'path': PATCH_PATH, 'body': {'name': 'orders'},
                                   'does': ['write', 'rename'], 'repeatable': False}]
    assert result['before'] == {'new_name': 'orders-api', 'description': 'Orders'}
    assert result['after'] == {'new_name': 'orders', 'description': 'Orders'}


def test_rename_with_deploy_deploys_in_the_same_request(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found())
    mocked_api.get(NEW_URL, status=400, json={'status': 'FAILURE',
                                              'resultMessage': 'ApiProxy with name (orders) is not found!'})
    mocked_api.patch(PATCH_URL, json=deploy_answer('production', 'test'))
    result, failed = run_module(module, dict(ARGS, new_name='orders', deploy=True,
                                             deploy_environments=['production', 'test']))
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[2]) == {'name': 'orders', 'deploy': True,
                                              'deployTargetEnvironmentNameList': ['production', 'test']}
    # verified under the new name
    assert [call.request.url for call in mocked_api.calls[3:]] == [
        NEW_URL + 'environments/production/route-health/', NEW_URL + 'environments/test/route-health/']
    assert result['deployments'] == [
        {'environment': env, 'success': True, 'skipped': False, 'message': 'Deployment successful'}
        for env in ('production', 'test')]


def test_rename_already_done_compares_against_the_renamed_proxy_and_warns(mocked_api, run_module):
    mocked_api.get(PROXY_URL, status=404, json=not_found('orders-api'))
    mocked_api.get(NEW_URL, json=found(name='orders'))
    result, failed = run_module(module, dict(ARGS, new_name='orders', description='Orders'))
    assert not failed and result['changed'] is False
    assert sent(mocked_api) == [('GET', PROXY_URL), ('GET', NEW_URL)]
    assert result['api_proxy'] == 'orders'
    assert result['rename'] == {'from': 'orders-api', 'to': 'orders', 'already_done': True}
    assert result['warnings'] == [
        "API proxy 'orders-api' was not found in project 'Demo', but 'orders' was: taking the rename as done earlier "
        "and managing 'orders'. If 'orders-api' is a typo, correct api_proxy."]
    assert result['before'] == result['after'] == {'new_name': 'orders', 'description': 'Orders'}


def test_typo_in_api_proxy_on_a_rename_is_not_silent(mocked_api, run_module):
    typo_url = PROJECT_URL + 'ordrs-api-typo/'
    mocked_api.get(typo_url, status=400, json={'status': 'FAILURE',
                                               'resultMessage': 'ApiProxy with name (ordrs-api-typo) is not found!'})
    mocked_api.get(PROXY_URL, json=found())
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, api_proxy='ordrs-api-typo', new_name='orders-api', description='New'))
    assert not failed and result['changed'] is True
    assert writes(mocked_api) == [('PATCH', PATCH_URL)]
    assert result['warnings'] == [
        "API proxy 'ordrs-api-typo' was not found in project 'Demo', but 'orders-api' was: taking the rename as done "
        "earlier and managing 'orders-api'. If 'ordrs-api-typo' is a typo, correct api_proxy."]


def test_rename_already_done_still_applies_other_changes_to_the_new_name(mocked_api, run_module):
    mocked_api.get(PROXY_URL, status=404, json=not_found('orders-api'))
    mocked_api.get(NEW_URL, json=found(name='orders'))
    mocked_api.patch(NEW_URL + 'settings/metadata/', json={'success': True})
    result, failed = run_module(module, dict(ARGS, new_name='orders', description='New'))
    assert not failed and result['changed'] is True
    assert writes(mocked_api) == [('PATCH', NEW_URL + 'settings/metadata/')]
    assert sent_json(mocked_api.calls[2]) == {'description': 'New'}
    assert result['requests'][0]['does'] == ['write'] and result['requests'][0]['repeatable'] is True


def test_rename_onto_an_existing_proxy_fails_before_any_write(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found())
    mocked_api.get(PROJECT_URL + 'payments-api/', json=found(name='payments-api'))
    result, failed = run_module(module, dict(ARGS, new_name='payments-api', description='x', deploy=True,
                                             deploy_environments=['production']))
    assert failed and result['changed'] is False
    assert result['msg'] == ("Cannot rename API proxy 'orders-api' to 'payments-api' in project 'Demo': another API "
                             "proxy named 'payments-api' already exists. Nothing was changed.")
    assert writes(mocked_api) == []


def test_neither_name_exists(mocked_api, run_module):
    mocked_api.get(PROXY_URL, status=404, json=not_found('orders-api'))
    mocked_api.get(NEW_URL, status=404, json=not_found('orders'))
    result, failed = run_module(module, dict(ARGS, new_name='orders'))
    assert failed and result['msg'] == ("API proxy 'orders-api' was not found in project 'Demo'. Nor was an API "
                                        "proxy named 'orders' (option new_name) found. Nothing was changed.")
    assert 'rename' not in result
    assert writes(mocked_api) == []


def test_missing_proxy_without_rename(mocked_api, run_module):
    mocked_api.get(PROXY_URL, status=404, json=not_found('orders-api'))
    result, failed = run_module(module, dict(ARGS, description='x'))
    assert failed and result['msg'] == "API proxy 'orders-api' was not found in project 'Demo'. Nothing was changed."
    assert len(mocked_api.calls) == 1


def test_a_not_found_answer_naming_another_proxy_is_a_failure_not_absent(mocked_api, run_module):
    mocked_api.get(PROXY_URL, status=404, json=not_found('orders'))
    result, failed = run_module(module, dict(ARGS, new_name='orders', description='x'))
    assert failed and result['changed'] is False
    assert result['msg'] == ('Apinizer API GET %sorders-api/ failed (HTTP 404): ApiProxy (name: orders) was not '
                             'found!' % PROJECT_PATH)
    assert sent(mocked_api) == [('GET', PROXY_URL)]


def test_misspelled_project_fails_with_the_servers_message_and_writes_nothing(mocked_api, run_module):
    path = '/apiops/projects/Dmeo/apiProxies/orders-api/'
    message = 'Project (Dmeo) is not found or user does not have privilege to access it!'
    mocked_api.get(BASE_URL + path, status=400, json={'status': 'FAILURE', 'resultMessage': message})
    result, failed = run_module(module, dict(ARGS, project='Dmeo', new_name='orders', description='x'))
    assert failed and result['changed'] is False
    assert result['msg'] == 'Apinizer API GET %s failed (HTTP 400): %s' % (path, message)
    assert result['api_error'] == {'method': 'GET', 'path': path, 'status': 400, 'message': message}
    assert sent(mocked_api) == [('GET', BASE_URL + path)]


def test_empty_name_fails_before_any_request(mocked_api, run_module):
    result, failed = run_module(module, dict(ARGS, new_name='  '))
    assert failed and result['msg'] == 'new_name must not be empty; it is the new name of the API proxy.'
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
    mocked_api.get(NEW_URL, status=404, json=not_found('orders'))
    result, failed = run_module(module, dict(ARGS, new_name='orders', deploy=True, deploy_environments=['production']),
                                check_mode=True, diff=True)
    assert not failed and result['changed'] is True
    assert writes(mocked_api) == []
    assert result['diff'] == {'before': {'new_name': 'orders-api'}, 'after': {'new_name': 'orders'}}
    assert result['api_proxy'] == 'orders-api'
    assert result['requests'] == [{
        'method': 'PATCH', 'path': PATCH_PATH, 'does': ['write', 'rename', 'deploy'], 'repeatable': False,
        'body': {'name': 'orders', 'deploy': True, 'deployTargetEnvironmentNameList': ['production']}}]
    assert result['deployments'] == [{'environment': 'production', 'success': None, 'skipped': False,
                                      'message': 'Would deploy (check mode)'}]


# --- State from the export package ----------------------------------------------------------

BEHAVIOUR = dict(request_body_read_behavior='ALWAYS_READ', response_body_read_behavior='ALWAYS_READ',
                 direction='REQUEST_RESPONSE', backend_proxy_apply_policies=False)


def test_documented_get_reads_the_rest_from_the_export_two_requests_when_unchanged(mocked_api, run_module):
    full = definition()
    mocked_api.get(PROXY_URL, json=documented_proxy(full))
    mock_export(mocked_api, PROXY_URL, full)
    result, failed = run_module(module, dict(ARGS, description='Orders', deploy=True,
                                             deploy_environments=['production', 'test'], **BEHAVIOUR))
    assert not failed and result['changed'] is False
    assert sent(mocked_api) == [('GET', PROXY_URL), ('GET', PROXY_URL + 'export/')]
    assert result['before'] == result['after'] == dict(BEHAVIOUR, description='Orders')
    assert result['warnings'] == []


def test_documented_get_with_a_change_adds_exactly_one_patch(mocked_api, run_module):
    full = definition()
    mocked_api.get(PROXY_URL, json=documented_proxy(full))
    mock_export(mocked_api, PROXY_URL, full)
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, description='Orders', **dict(BEHAVIOUR, direction='REQUEST_ONLY')))
    assert not failed and result['changed'] is True
    assert sent(mocked_api) == [('GET', PROXY_URL), ('GET', PROXY_URL + 'export/'), ('PATCH', PATCH_URL)]
    assert sent_json(mocked_api.calls[2]) == {'direction': 'REQUEST_ONLY'}
    assert result['before']['direction'] == 'REQUEST_RESPONSE' and result['after']['direction'] == 'REQUEST_ONLY'


def test_documented_fields_alone_need_no_export(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=documented_proxy(definition()))
    result, failed = run_module(module, dict(ARGS, description='Orders', categories=['Public', 'Payment'],
                                             sharing_type='BOTH'))
    assert not failed and result['changed'] is False
    assert sent(mocked_api) == [('GET', PROXY_URL)]


def test_export_refused_for_permission_writes_and_warns_naming_export_import(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=documented_proxy(definition()))
    mock_export_refused(mocked_api, PROXY_URL, status=403)
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, description='Orders', direction='REQUEST_RESPONSE'))
    assert not failed and result['changed'] is True
    assert writes(mocked_api) == [('PATCH', PATCH_URL)]
    assert sent_json(mocked_api.calls[2]) == {'direction': 'REQUEST_RESPONSE'}
    assert any('API_MANAGEMENT + EXPORT_IMPORT' in w and "API proxy 'orders-api' (project 'Demo')" in w
               for w in result['warnings'])
    assert ("Apinizer reported neither in the API proxy nor in its export package direction of API proxy 'orders-api' "
            "(project 'Demo'): it is sent without comparison, so idempotency cannot be verified for it."
            in result['warnings'])
    assert result['before'] == {'description': 'Orders'}


# --- Deploys --------------------------------------------------------------------------------


def test_redeploy_required_converges_without_a_patch(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found(deployments=deployment_list(('production', True, False), ('test', True, True))))
    mocked_api.post(PROXY_URL + 'environments/test/', json=deploy_answer('test'))
    result, failed = run_module(module, dict(ARGS, description='Orders', deploy=True,
                                             deploy_environments=['production', 'test']))
    assert not failed and result['changed'] is True
    assert sent(mocked_api) == [('GET', PROXY_URL), ('POST', PROXY_URL + 'environments/test/'),
                                ('GET', PROXY_URL + 'environments/test/route-health/')]
    assert result['deployments'] == [{'environment': 'test', 'success': True, 'skipped': False,
                                      'message': 'Deployment successful'}]


def test_not_deployed_environment_is_skipped_and_never_deployed(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found(deployments=deployment_list(('production', True, False), ('test', False, True))))
    result, failed = run_module(module, dict(ARGS, description='Orders', deploy=True,
                                             deploy_environments=['production', 'test']))
    assert not failed and result['changed'] is False
    assert writes(mocked_api) == []
    assert result['deployments'] == [{'environment': 'test', 'success': None, 'skipped': True,
                                      'message': 'Not deployed in this environment, so it was left alone; '
                                                 'use apinizer.apiops.apinizer_proxy_deploy to deploy it there.'}]


def test_failed_in_body_deploy_says_the_settings_were_saved(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found(deployments=deployment_list(('staging', True, False))))
    mocked_api.patch(PATCH_URL, json=deploy_answer('staging', ok=False))
    result, failed = run_module(module, dict(ARGS, description='New', deploy=True, deploy_environments=['staging']))
    assert failed and result['changed'] is True
    assert result['msg'] == ("Deploying API proxy 'orders-api' (project 'Demo') failed for environment 'staging': "
                             "Gateway pods unreachable. The metadata settings themselves were saved. Re-run the task "
                             "to retry the deploy.")
    assert result['deployments'] == [{'environment': 'staging', 'success': False, 'skipped': False,
                                      'message': 'Gateway pods unreachable'}]


# --- Lost answers ---------------------------------------------------------------------------


def test_rename_answer_lost_and_read_back_applied(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found())
    mocked_api.get(NEW_URL, status=404, json=not_found('orders'))
    mocked_api.patch(PATCH_URL, body=requests.exceptions.ReadTimeout('read timed out'))
    mocked_api.get(NEW_URL, json=found(name='orders', description='New'))
    result, failed = run_module(module, dict(ARGS, new_name='orders', description='New'))
    assert not failed and result['changed'] is True
    assert sent(mocked_api) == [('GET', PROXY_URL), ('GET', NEW_URL), ('PATCH', PATCH_URL), ('GET', NEW_URL)]
    assert result['warnings'] == [
        'The answer to PATCH %s was lost (%s); it was not sent again, and reading the state back confirmed that it '
        'took effect.' % (PATCH_PATH, NO_ANSWER)]
    assert result['api_proxy'] == 'orders'
    assert result['rename'] == {'from': 'orders-api', 'to': 'orders', 'already_done': False}


def test_rename_answer_lost_and_read_back_not_applied(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found())
    mocked_api.get(NEW_URL, status=404, json=not_found('orders'))
    mocked_api.patch(PATCH_URL, body=requests.exceptions.ReadTimeout('read timed out'))
    result, failed = run_module(module, dict(ARGS, new_name='orders'))
    assert failed and result['changed'] is False
    assert writes(mocked_api) == [('PATCH', PATCH_URL)]
    assert sent(mocked_api)[-1] == ('GET', NEW_URL)
    assert result['msg'] == (
        'Apinizer API PATCH %s failed (no response): %s. It was not sent again (it would rename twice); reading the '
        'state back shows it did not take effect. Nothing was changed. Re-running the task is safe.'
        % (PATCH_PATH, NO_ANSWER))
    assert result['api_error'] == {'method': 'PATCH', 'path': PATCH_PATH, 'status': None, 'message': NO_ANSWER}
    assert result['api_proxy'] == 'orders-api'


def test_rename_with_deploy_answer_lost_and_read_back_applied(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found())
    mocked_api.get(NEW_URL, status=404, json=not_found('orders'))
    mocked_api.patch(PATCH_URL, body=requests.exceptions.ReadTimeout('read timed out'))
    mocked_api.get(NEW_URL, json=found(name='orders'))
    result, failed = run_module(module, dict(ARGS, new_name='orders', deploy=True, deploy_environments=['production']))
    assert not failed and result['changed'] is True
    assert writes(mocked_api) == [('PATCH', PATCH_URL)]
    assert result['deployments'] == [{'environment': 'production', 'success': True, 'skipped': False,
                                      'message': 'Answer lost; the deploy state read back confirms it took effect'}]


def test_rename_with_deploy_answer_lost_says_both_effects(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=found())
    mocked_api.get(NEW_URL, status=404, json=not_found('orders'))
    mocked_api.patch(PATCH_URL, body=requests.exceptions.ReadTimeout('read timed out'))
    result, failed = run_module(module, dict(ARGS, new_name='orders', deploy=True, deploy_environments=['production']))
    assert failed and result['changed'] is False
    assert writes(mocked_api) == [('PATCH', PATCH_URL)]
    assert 'It was not sent again (it would rename and deploy twice); reading the state back shows it did not take ' \
           'effect.' in result['msg']
