# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.apinizer.apiops.plugins.modules import apinizer_maintenance_mode as module
from ansible_collections.apinizer.apiops.tests.unit.conftest import BASE_URL, sent_json

PROXY_URL = BASE_URL + '/apiops/projects/Demo/apiProxies/orders-api/'
PATCH_URL = PROXY_URL + 'settings/maintenance-mode/'


def proxy(enabled=False, code=403, deployments=None):
    return {'success': True, 'resultCount': 1, 'resultList': [{
        'name': 'orders-api', 'type': 'REST',
        'maintenanceModeSetting': {'enabled': enabled, 'httpStatusCode': code,
                                   'contentType': 'application/json; charset=utf-8', 'message': 'Down'},
        'deploymentList': deployments if deployments is not None else [
            {'environmentName': 'production', 'deployed': True, 'redeployRequired': False}],
    }]}


ARGS = dict(project='Demo', api_proxy='orders-api')


def test_field_map_uses_api_names():
    assert module.MaintenanceMode.fields == {
        'enabled': 'enabled', 'http_status_code': 'httpStatusCode',
        'content_type': 'contentType', 'maintenance_message': 'message'}


def test_unchanged_sends_only_the_read(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(enabled=True, code=503))
    result, failed = run_module(module, dict(ARGS, enabled=True, http_status_code=503))
    assert not failed and result['changed'] is False
    assert [c.request.method for c in mocked_api.calls] == ['GET']


def test_change_patches_only_differing_fields(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(enabled=False, code=503))
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, enabled=True, http_status_code=503), diff=True)
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {'enabled': True}
    assert result['diff'] == {'before': {'enabled': False, 'http_status_code': 503},
                              'after': {'enabled': True, 'http_status_code': 503}}
    assert result['settings'] == {'enabled': True, 'http_status_code': 503}


def test_check_mode_reports_change_without_writing(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(enabled=False))
    result, failed = run_module(module, dict(ARGS, enabled=True, deploy=True, deploy_environments=['production']),
                                check_mode=True)
    assert result['changed'] is True
    assert [c.request.method for c in mocked_api.calls] == ['GET']
    assert result['deployments'] == [{'environment': 'production', 'success': None,
                                      'message': 'Would deploy (check mode)'}]


def test_change_with_deploy_uses_the_in_body_deploy(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(enabled=False))
    mocked_api.patch(PATCH_URL, json={'success': True, 'deploymentResult': {'success': True, 'deploymentResults': [
        {'environmentName': 'production', 'success': True, 'message': 'Deployment successful'}]}})
    result, failed = run_module(module, dict(ARGS, enabled=True, deploy=True, deploy_environments=['production']))
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {
        'enabled': True, 'deploy': True, 'deployTargetEnvironmentNameList': ['production']}
    assert result['deployments'] == [{'environment': 'production', 'success': True,
                                      'message': 'Deployment successful'}]
    assert len(mocked_api.calls) == 2


def test_redeploy_required_converges_without_settings_change(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(enabled=True, deployments=[
        {'environmentName': 'production', 'deployed': True, 'redeployRequired': True},
        {'environmentName': 'test', 'deployed': True, 'redeployRequired': False}]))
    mocked_api.post(PROXY_URL + 'environments/production/', json={'success': True, 'deploymentResult': {
        'success': True, 'deploymentResults': [{'environmentName': 'production', 'success': True, 'message': 'ok'}]}})
    result, failed = run_module(module, dict(ARGS, enabled=True, deploy=True,
                                             deploy_environments=['production', 'test']))
    assert not failed and result['changed'] is True
    assert [(c.request.method, c.request.url) for c in mocked_api.calls] == [
        ('GET', PROXY_URL), ('POST', PROXY_URL + 'environments/production/')]


def test_failed_in_body_deploy_fails_and_says_settings_were_saved(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(enabled=False))
    mocked_api.patch(PATCH_URL, json={'success': True, 'deploymentResult': {'success': False, 'deploymentResults': [
        {'environmentName': 'production', 'success': False, 'message': 'Gateway pods unreachable'}]}})
    result, failed = run_module(module, dict(ARGS, enabled=True, deploy=True, deploy_environments=['production']))
    assert failed and result['changed'] is True
    assert "environment 'production': Gateway pods unreachable" in result['msg']
    assert 'maintenance mode settings themselves were saved' in result['msg']


def test_unknown_environment_fails_before_any_write(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(enabled=False))
    mocked_api.get(PROXY_URL + 'environments/nowhere/deploy-status/', status=400, json={
        'status': 'FAILURE', 'resultMessage': 'Environment (nowhere) is not found!'})
    result, failed = run_module(module, dict(ARGS, enabled=True, deploy=True, deploy_environments=['nowhere']))
    assert failed and result['changed'] is False
    assert "environment 'nowhere' of project 'Demo'" in result['msg']
    assert all(c.request.method == 'GET' for c in mocked_api.calls)


def test_status_code_out_of_range_fails_before_any_request(mocked_api, run_module):
    result, failed = run_module(module, dict(ARGS, http_status_code=700))
    assert failed and 'from 100 to 599' in result['msg']
    assert len(mocked_api.calls) == 0


def test_missing_proxy_is_a_clear_failure(mocked_api, run_module):
    mocked_api.get(PROXY_URL, status=404, json={'error': 'not_found',
                                                'error_description': 'ApiProxy (name: orders-api) was not found!'})
    result, failed = run_module(module, dict(ARGS, enabled=True))
    assert failed and result['msg'] == "API proxy 'orders-api' was not found in project 'Demo'."


def test_section_not_reported_writes_and_warns(mocked_api, run_module):
    bare = proxy()['resultList'][0]
    del bare['maintenanceModeSetting']
    mocked_api.get(PROXY_URL, json=bare)
    mocked_api.patch(PATCH_URL, json={'status': 'SUCCESS'})
    result, failed = run_module(module, dict(ARGS, enabled=False))
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {'enabled': False}
    assert any('did not report enabled' in w for w in result.get('warnings', []))
