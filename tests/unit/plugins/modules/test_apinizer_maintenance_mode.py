# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest
import requests

from ansible_collections.apinizer.apiops.plugins.module_utils import _proxy_modules as modules
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_maintenance_mode as module
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

PROXY_PATH = '/apiops/projects/Demo/apiProxies/orders-api/'
PROXY_URL = BASE_URL + PROXY_PATH
PATCH_PATH = PROXY_PATH + 'settings/maintenance-mode/'
PATCH_URL = BASE_URL + PATCH_PATH
NO_ANSWER = 'no complete answer within 30 seconds (option timeout or APINIZER_TIMEOUT); 1 attempt'

pytestmark = pytest.mark.usefixtures('clear_warnings')


def definition(enabled=False, code=403, deployments=None):
    return {
        'name': 'orders-api', 'type': 'REST', 'apiType': 'REST', 'description': 'Orders', 'categoryList': [],
        'sharingType': 'BOTH', 'clientRoute': {'relativePathList': ['/orders']}, 'endpointList': [],
        'routing': {'routingEnabled': True, 'routingAddressList': [{'address': 'http://backend'}], 'readTimeout': 60},
        'maintenanceModeSetting': {'enabled': enabled, 'httpStatusCode': code,
                                   'contentType': 'application/json; charset=utf-8', 'message': 'Down'},
        'deploymentList': deployments if deployments is not None else deployment_list(('production', True, False)),
    }


def proxy(enabled=False, code=403, deployments=None):
    return proxy_answer(definition(enabled, code, deployments))


ARGS = dict(project='Demo', api_proxy='orders-api')


def test_field_map_uses_api_names():
    assert modules.MaintenanceMode.section.api_names == {
        'enabled': 'enabled', 'http_status_code': 'httpStatusCode',
        'content_type': 'contentType', 'maintenance_message': 'message'}


def test_unchanged_sends_only_the_read(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(enabled=True, code=503))
    result, failed = run_module(module, dict(ARGS, enabled=True, http_status_code=503))
    assert not failed and result['changed'] is False
    assert [c.request.method for c in mocked_api.calls] == ['GET']
    assert result['before'] == result['after'] == {'enabled': True, 'http_status_code': 503}
    assert result['requests'] == []
    assert result['deployments'] == []


def test_change_patches_only_differing_fields(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(enabled=False, code=503))
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, enabled=True, http_status_code=503), diff=True)
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {'enabled': True}
    assert result['diff'] == {'before': {'enabled': False, 'http_status_code': 503},
                              'after': {'enabled': True, 'http_status_code': 503}}
    assert result['before'] == {'enabled': False, 'http_status_code': 503}
    assert result['after'] == {'enabled': True, 'http_status_code': 503}
    assert result['requests'] == [{'method': 'PATCH', 'path': PATCH_PATH, 'body': {'enabled': True},
                                   'does': ['write'], 'repeatable': True}]


def test_check_mode_reports_change_without_writing(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(enabled=False))
    result, failed = run_module(module, dict(ARGS, enabled=True, deploy=True, deploy_environments=['production']),
                                check_mode=True)
    assert not failed and result['changed'] is True
    assert [c.request.method for c in mocked_api.calls] == ['GET']
    assert result['deployments'] == [{'environment': 'production', 'success': None, 'skipped': False,
                                      'message': 'Would deploy (check mode)'}]
    assert result['requests'] == [{
        'method': 'PATCH', 'path': PATCH_PATH, 'repeatable': False, 'does': ['write', 'deploy'],
        'body': {'enabled': True, 'deploy': True, 'deployTargetEnvironmentNameList': ['production']}}]
    assert result['after'] == {'enabled': True}


def test_change_with_deploy_uses_the_in_body_deploy(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(enabled=False))
    mocked_api.patch(PATCH_URL, json=deploy_answer('production'))
    result, failed = run_module(module, dict(ARGS, enabled=True, deploy=True, deploy_environments=['production']))
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {
        'enabled': True, 'deploy': True, 'deployTargetEnvironmentNameList': ['production']}
    assert result['deployments'] == [{'environment': 'production', 'success': True, 'skipped': False,
                                      'message': 'Deployment successful'}]
    assert sent(mocked_api)[1:] == [('PATCH', PATCH_URL), ('GET', PROXY_URL + 'environments/production/route-health/')]
    assert result['verification'][0]['verified'] is True and result['verification'][0]['by'] == 'route'


def test_redeploy_required_converges_without_settings_change(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(enabled=True, deployments=deployment_list(
        ('production', True, True), ('test', True, False))))
    mocked_api.post(PROXY_URL + 'environments/production/', json=deploy_answer('production', message='ok'))
    result, failed = run_module(module, dict(ARGS, enabled=True, deploy=True,
                                             deploy_environments=['production', 'test']))
    assert not failed and result['changed'] is True
    assert sent(mocked_api) == [('GET', PROXY_URL), ('POST', PROXY_URL + 'environments/production/'),
                                ('GET', PROXY_URL + 'environments/production/route-health/')]
    assert result['deployments'] == [{'environment': 'production', 'success': True, 'skipped': False, 'message': 'ok'}]


def test_failed_in_body_deploy_fails_and_says_settings_were_saved(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(enabled=False))
    mocked_api.patch(PATCH_URL, json=deploy_answer('production', ok=False))
    result, failed = run_module(module, dict(ARGS, enabled=True, deploy=True, deploy_environments=['production']))
    assert failed and result['changed'] is True
    assert result['msg'] == ("Deploying API proxy 'orders-api' (project 'Demo') failed for environment 'production': "
                             "Gateway pods unreachable. The maintenance mode settings themselves were saved. "
                             "Re-run the task to retry the deploy.")


def test_unknown_environment_fails_before_any_write(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(enabled=False))
    mocked_api.get(PROXY_URL + 'environments/nowhere/deploy-status/', status=400, json={
        'status': 'FAILURE', 'resultMessage': 'Environment (nowhere) is not found!'})
    result, failed = run_module(module, dict(ARGS, enabled=True, deploy=True, deploy_environments=['nowhere']))
    assert failed and result['changed'] is False
    assert result['msg'] == ("Cannot read the deploy state of API proxy 'orders-api' in environment 'nowhere' of "
                             "project 'Demo': Environment (nowhere) is not found!")
    assert result['api_error'] == {'method': 'GET', 'path': PROXY_PATH + 'environments/nowhere/deploy-status/',
                                   'status': 400, 'message': 'Environment (nowhere) is not found!'}
    assert writes(mocked_api) == []


def test_status_code_out_of_range_fails_before_any_request(mocked_api, run_module):
    result, failed = run_module(module, dict(ARGS, http_status_code=700))
    assert failed and result['msg'] == 'http_status_code must be an HTTP status code from 100 to 599, got 700. Nothing was sent.'
    assert len(mocked_api.calls) == 0


def test_missing_proxy_is_a_clear_failure(mocked_api, run_module):
    mocked_api.get(PROXY_URL, status=404, json={'error': 'not_found',
                                                'error_description': 'ApiProxy (name: orders-api) was not found!'})
    result, failed = run_module(module, dict(ARGS, enabled=True))
    assert failed and result['msg'] == "API proxy 'orders-api' was not found in project 'Demo'. Nothing was changed."
    assert result['changed'] is False and len(mocked_api.calls) == 1


# --- State from the export package ----------------------------------------------------------


def test_documented_get_reads_the_export_once_and_an_unchanged_task_sends_two_requests(mocked_api, run_module):
    full = definition(enabled=True, code=503)
    mocked_api.get(PROXY_URL, json=documented_proxy(full))
    mock_export(mocked_api, PROXY_URL, full)
    result, failed = run_module(module, dict(ARGS, enabled=True, http_status_code=503, maintenance_message='Down',
                                             content_type='application/json; charset=utf-8',
                                             deploy=True, deploy_environments=['production']))
    assert not failed and result['changed'] is False
    assert sent(mocked_api) == [('GET', PROXY_URL), ('GET', PROXY_URL + 'export/')]
    assert result['before'] == result['after'] == {
        'enabled': True, 'http_status_code': 503, 'maintenance_message': 'Down',
        'content_type': 'application/json; charset=utf-8'}
    assert result['warnings'] == []


def test_documented_get_with_a_change_adds_exactly_one_patch(mocked_api, run_module):
    full = definition(enabled=False, code=503)
    mocked_api.get(PROXY_URL, json=documented_proxy(full))
    mock_export(mocked_api, PROXY_URL, full)
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, enabled=True, http_status_code=503))
    assert not failed and result['changed'] is True
    assert sent(mocked_api) == [('GET', PROXY_URL), ('GET', PROXY_URL + 'export/'), ('PATCH', PATCH_URL)]
    assert sent_json(mocked_api.calls[2]) == {'enabled': True}
    assert result['before'] == {'enabled': False, 'http_status_code': 503}
    assert result['after'] == {'enabled': True, 'http_status_code': 503}


def test_section_reported_nowhere_writes_and_warns(mocked_api, run_module):
    full = definition()
    del full['maintenanceModeSetting']
    mocked_api.get(PROXY_URL, json=proxy_answer(full))
    mock_export(mocked_api, PROXY_URL, full)
    mocked_api.patch(PATCH_URL, json={'status': 'SUCCESS'})
    result, failed = run_module(module, dict(ARGS, enabled=False, http_status_code=503))
    assert not failed and result['changed'] is True
    assert sent(mocked_api) == [('GET', PROXY_URL), ('GET', PROXY_URL + 'export/'), ('PATCH', PATCH_URL)]
    assert sent_json(mocked_api.calls[2]) == {'enabled': False, 'httpStatusCode': 503}
    assert result['warnings'] == [
        "Apinizer reported neither in the API proxy nor in its export package enabled, http_status_code of API proxy "
        "'orders-api' (project 'Demo'): they are sent without comparison, so idempotency cannot be verified for them."]
    assert result['before'] == {} and result['after'] == {'enabled': False, 'http_status_code': 503}


@pytest.mark.parametrize('status', [400, 403])
def test_export_refused_for_permission_writes_and_warns_naming_export_import(mocked_api, run_module, status):
    mocked_api.get(PROXY_URL, json=documented_proxy(definition()))
    mock_export_refused(mocked_api, PROXY_URL, status=status)
    mocked_api.patch(PATCH_URL, json={'status': 'SUCCESS'})
    result, failed = run_module(module, dict(ARGS, enabled=False))
    assert not failed and result['changed'] is True
    assert sent(mocked_api) == [('GET', PROXY_URL), ('GET', PROXY_URL + 'export/'), ('PATCH', PATCH_URL)]
    assert sent_json(mocked_api.calls[2]) == {'enabled': False}
    assert result['warnings'] == [
        "Apinizer refused the export of API proxy 'orders-api' (project 'Demo'): User does not have required "
        "permission for this operation. Settings that the proxy read does not report cannot be compared without "
        "the export, which needs the permission API_MANAGEMENT + EXPORT_IMPORT for the token.",
        "Apinizer reported neither in the API proxy nor in its export package enabled of API proxy 'orders-api' "
        "(project 'Demo'): it is sent without comparison, so idempotency cannot be verified for it."]
    assert result['before'] == {} and result['after'] == {'enabled': False}


def test_export_refused_for_another_reason_is_a_failure(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=documented_proxy(definition()))
    mocked_api.get(PROXY_URL + 'export/', status=500, json={'status': 'FAILURE', 'resultMessage': 'Export failed'})
    result, failed = run_module(module, dict(ARGS, enabled=False))
    assert failed and result['changed'] is False
    assert result['msg'] == 'Apinizer API GET %sexport/ failed (HTTP 500): Export failed' % PROXY_PATH
    assert result['api_error'] == {'method': 'GET', 'path': PROXY_PATH + 'export/', 'status': 500,
                                   'message': 'Export failed'}
    assert writes(mocked_api) == []


# --- Not found, precisely -------------------------------------------------------------------


def test_misspelled_project_fails_with_the_servers_message_and_writes_nothing(mocked_api, run_module):
    path = '/apiops/projects/Dmeo/apiProxies/orders-api/'
    message = 'Project (Dmeo) is not found or user does not have privilege to access it!'
    mocked_api.get(BASE_URL + path, status=404, json={'error': 'not_found', 'error_description': message})
    result, failed = run_module(module, dict(ARGS, project='Dmeo', enabled=True, deploy=True,
                                             deploy_environments=['production']))
    assert failed and result['changed'] is False
    assert result['msg'] == 'Apinizer API GET %s failed (HTTP 404): %s' % (path, message)
    assert result['api_error'] == {'method': 'GET', 'path': path, 'status': 404, 'message': message}
    assert writes(mocked_api) == []


def test_a_404_of_another_kind_is_not_taken_as_a_missing_proxy(mocked_api, run_module):
    mocked_api.get(PROXY_URL, status=404, body='<html><body><h1>404 Not Found</h1>nginx</body></html>',
                   content_type='text/html')
    result, failed = run_module(module, dict(ARGS, enabled=True))
    assert failed and result['msg'] == 'Apinizer API GET %s failed (HTTP 404): 404 Not Found nginx' % PROXY_PATH
    assert result['api_error']['status'] == 404
    assert writes(mocked_api) == []


# --- Deploys --------------------------------------------------------------------------------


def test_a_listed_environment_where_the_proxy_is_not_deployed_is_left_alone(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(enabled=False, deployments=deployment_list(
        ('production', True, False), ('test', False, False))))
    mocked_api.patch(PATCH_URL, json=deploy_answer('production'))
    result, failed = run_module(module, dict(ARGS, enabled=True, deploy=True,
                                             deploy_environments=['production', 'test']))
    assert not failed and result['changed'] is True
    assert writes(mocked_api) == [('PATCH', PATCH_URL)]
    assert sent_json(mocked_api.calls[1]) == {
        'enabled': True, 'deploy': True, 'deployTargetEnvironmentNameList': ['production']}
    assert result['deployments'] == [
        {'environment': 'test', 'success': None, 'skipped': True,
         'message': 'Not deployed in this environment, so it was left alone; '
                    'use apinizer.apiops.apinizer_proxy_deploy to deploy it there.'},
        {'environment': 'production', 'success': True, 'skipped': False, 'message': 'Deployment successful'}]


def test_in_body_deploy_answer_lost_and_read_back_applied(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(enabled=False, deployments=deployment_list(('production', True, False))))
    mocked_api.patch(PATCH_URL, body=requests.exceptions.ReadTimeout('read timed out'))
    mocked_api.get(PROXY_URL, json=proxy(enabled=True, deployments=deployment_list(('production', True, False))))
    result, failed = run_module(module, dict(ARGS, enabled=True, deploy=True, deploy_environments=['production']))
    assert not failed and result['changed'] is True
    assert sent(mocked_api) == [('GET', PROXY_URL), ('PATCH', PATCH_URL), ('GET', PROXY_URL),
                                ('GET', PROXY_URL + 'environments/production/route-health/')]
    assert result['warnings'] == [
        'The answer to PATCH %s was lost (%s); it was not sent again, and reading the state back confirmed that it '
        'took effect.' % (PATCH_PATH, NO_ANSWER)]
    assert result['deployments'] == [{'environment': 'production', 'success': True, 'skipped': False,
                                      'message': 'Answer lost; the deploy state read back confirms it took effect'}]
    assert result['after'] == {'enabled': True}


def test_in_body_deploy_answer_lost_and_read_back_not_applied(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(enabled=False))
    mocked_api.patch(PATCH_URL, body=requests.exceptions.ReadTimeout('read timed out'))
    result, failed = run_module(module, dict(ARGS, enabled=True, deploy=True, deploy_environments=['production']))
    assert failed and result['changed'] is False
    assert sent(mocked_api) == [('GET', PROXY_URL), ('PATCH', PATCH_URL), ('GET', PROXY_URL)]
    assert result['msg'] == (
        'Apinizer API PATCH %s failed (no response): %s. It was not sent again (it would deploy twice); reading the '
        'state back shows it did not take effect. Nothing was changed. Re-running the task is safe.'
        % (PATCH_PATH, NO_ANSWER))
    assert result['api_error'] == {'method': 'PATCH', 'path': PATCH_PATH, 'status': None, 'message': NO_ANSWER}


def test_in_body_deploy_answer_lost_settings_saved_but_not_deployed(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(enabled=False))
    mocked_api.patch(PATCH_URL, body=requests.exceptions.ConnectionError('Connection reset by peer'))
    mocked_api.get(PROXY_URL, json=proxy(enabled=True, deployments=deployment_list(('production', True, True))))
    result, failed = run_module(module, dict(ARGS, enabled=True, deploy=True, deploy_environments=['production']))
    assert failed and result['changed'] is True
    assert writes(mocked_api) == [('PATCH', PATCH_URL)]
    assert result['msg'] == (
        "Deploying API proxy 'orders-api' (project 'Demo') failed for environment 'production': Answer lost; the "
        "settings were saved but the deploy state read back shows no deploy. The maintenance mode settings themselves "
        "were saved. Re-run the task to retry the deploy.")


def test_in_body_deploy_answer_lost_with_a_502_is_not_sent_again(mocked_api, run_module, no_sleep):
    mocked_api.get(PROXY_URL, json=proxy(enabled=False))
    mocked_api.patch(PATCH_URL, status=502, body='<html><body>Bad Gateway</body></html>', content_type='text/html')
    mocked_api.get(PROXY_URL, json=proxy(enabled=True))
    result, failed = run_module(module, dict(ARGS, enabled=True, deploy=True, deploy_environments=['production']))
    assert not failed and result['changed'] is True
    assert writes(mocked_api) == [('PATCH', PATCH_URL)]
    assert no_sleep == []
    assert result['warnings'] == [
        'The answer to PATCH %s was lost (Bad Gateway); it was not sent again, and reading the state back confirmed '
        'that it took effect.' % PATCH_PATH]


def test_settings_patch_without_deploy_is_repeatable_and_resent_after_a_timeout(mocked_api, run_module, no_sleep):
    mocked_api.get(PROXY_URL, json=proxy(enabled=False))
    mocked_api.patch(PATCH_URL, body=requests.exceptions.ReadTimeout('read timed out'))
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, enabled=True))
    assert not failed and result['changed'] is True
    assert writes(mocked_api) == [('PATCH', PATCH_URL), ('PATCH', PATCH_URL)]
    assert result['warnings'] == []


def test_lost_answer_and_a_failed_read_back_is_an_unknown_outcome(mocked_api, run_module):
    """The PATCH may have deployed; when the read-back fails too, the outcome is unknown, not "changed nothing"."""
    mocked_api.get(PROXY_URL, json=proxy(enabled=False))
    mocked_api.patch(PATCH_URL, body=requests.exceptions.ReadTimeout('read timed out'))
    mocked_api.get(PROXY_URL, status=500, json={'status': 'FAILURE', 'resultMessage': 'Internal error'})
    result, failed = run_module(module, dict(ARGS, enabled=True, deploy=True, deploy_environments=['production']))
    assert failed
    assert writes(mocked_api) == [('PATCH', PATCH_URL)]
    assert result['msg'] == (
        'Apinizer API PATCH %s failed (no response): %s. It was not sent again (it would deploy twice), and reading the '
        'state back could not tell whether it took effect. No request before it was sent. Check the state in Apinizer '
        'before re-running the task.' % (PATCH_PATH, NO_ANSWER))
    assert result['api_error'] == {'method': 'PATCH', 'path': PATCH_PATH, 'status': None, 'message': NO_ANSWER}
    assert result['warnings'] == [
        'Could not read the state back after the answer to PATCH %s was lost or could not be trusted: Apinizer API GET '
        '%s failed (HTTP 500): Internal error' % (PATCH_PATH, PROXY_PATH)]


def test_failed_result_carries_api_error(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(enabled=False))
    mocked_api.patch(PATCH_URL, status=409, json={'status': 'FAILURE', 'resultMessage': 'Proxy is locked'})
    result, failed = run_module(module, dict(ARGS, enabled=True))
    assert failed and result['changed'] is False
    assert result['msg'] == ('Apinizer API PATCH %s failed (HTTP 409): Proxy is locked. This request changed nothing. '
                             'Nothing was changed. Re-running the task is safe.' % PATCH_PATH)
    assert result['api_error'] == {'method': 'PATCH', 'path': PATCH_PATH, 'status': 409, 'message': 'Proxy is locked'}


def test_url_and_token_missing_name_their_environment_variables(mocked_api, run_module, monkeypatch):
    monkeypatch.delenv('APINIZER_URL', raising=False)
    monkeypatch.delenv('APINIZER_TOKEN', raising=False)
    result, failed = run_module(module, dict(ARGS, url=None, token=None, enabled=True))
    assert failed and result['msg'] == ('Set both: option url or environment variable APINIZER_URL and option token '
                                        'or environment variable APINIZER_TOKEN.')
    assert len(mocked_api.calls) == 0
