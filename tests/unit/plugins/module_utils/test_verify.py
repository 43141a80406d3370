# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Deploys verified on the gateway pods (_verify.py), through apinizer_proxy_deploy and a settings module."""

from __future__ import annotations

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils import _verify
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_maintenance_mode, apinizer_proxy_deploy
from ansible_collections.apinizer.apiops.tests.unit.conftest import BASE_URL, deploy_answer, sent

PROXY_URL = BASE_URL + '/apiops/projects/Demo/apiProxies/orders-api/'
HEALTH_URL = PROXY_URL + 'environments/production/route-health/'
DEPLOY = dict(project='Demo', api_proxy='orders-api', environments=['production'])


def proxy(deployed=False, paths=('/orders',), methods=('GET', 'POST')):
    definition = {'name': 'orders-api', 'type': 'REST',
                  'deploymentList': [{'environmentName': 'production', 'deployed': deployed, 'redeployRequired': False}],
                  'clientRoute': {'relativePathList': list(paths)},
                  'endpointList': [{'httpMethod': method, 'endpoint': '/x', 'active': True} for method in methods]}
    return {'success': True, 'resultList': [definition]}


def pod(ip, active=True, path='/orders', methods=('GET', 'POST'), error=None):
    entry = {'routeActive': active, 'servedPath': path if active else None, 'methods': list(methods) if active else [],
             'workerPodIp': ip, 'apinizerRootContext': '/apigateway'}
    if error:
        entry['error'] = error
    return entry


def health(*pods, inconsistent=None, envelope='resultList', **fields):
    active = sum(1 for item in pods if item['routeActive'])
    body = dict(routeActive=bool(pods) and active == len(pods), servedPath='/orders', methods=['GET', 'POST'],
                apinizerRootContext='/apigateway', podsResponded=len(pods), podsActive=active, pods=list(pods))
    if inconsistent is not None:
        body['inconsistent'] = inconsistent
    body.update(fields)
    if envelope == 'result':  # the older page: {"success": true, "result": [...]}
        return {'success': True, 'result': [body]}
    return {'status': 'SUCCESS', 'resultList': [body], 'resultCount': 1}


def deploy(mocked_api, *answers):
    mocked_api.get(PROXY_URL, json=proxy())
    mocked_api.post(PROXY_URL + 'environments/production/', json=deploy_answer('production'))
    for answer in answers:
        mocked_api.get(HEALTH_URL, json=answer)


def health_reads(mocked_api):
    return [url for method, url in sent(mocked_api) if url == HEALTH_URL]


def test_pods_that_lag_are_polled_until_they_serve_the_route(mocked_api, run_module, no_sleep):
    deploy(mocked_api, health(pod('10.0.0.1'), pod('10.0.0.2', active=False)),
           health(pod('10.0.0.1'), pod('10.0.0.2', active=False)), health(pod('10.0.0.1'), pod('10.0.0.2')))
    result, failed = run_module(apinizer_proxy_deploy, dict(DEPLOY, verify_interval=1.5))
    assert not failed and result['changed'] is True
    assert len(health_reads(mocked_api)) == 3 and no_sleep == [1.5, 1.5]
    [entry] = result['verification']
    assert entry['verified'] is True and entry['by'] == 'route' and entry['polls'] == 3
    assert entry['pods_responded'] == 2 and entry['pods_active'] == 2
    assert [item['ip'] for item in entry['pods']] == ['10.0.0.1', '10.0.0.2']


def test_a_pod_that_never_serves_the_route_fails_the_task_naming_it(mocked_api, run_module, no_sleep):
    deploy(mocked_api, health(pod('10.0.0.1'), pod('10.0.0.2', active=False, error='Proxy not loaded')))
    result, failed = run_module(apinizer_proxy_deploy, dict(DEPLOY, verify_timeout=6, verify_interval=2))
    assert failed and result['changed'] is True
    assert len(health_reads(mocked_api)) == 4  # 6 s at 2 s a poll, and the first
    assert result['msg'].startswith(
        "Deploying API proxy 'orders-api' (project 'Demo') did not verify on the gateway pods (environment "
        "'production': 10.0.0.2 answered with an error (Proxy not loaded); 1 of 2 pods that answered serve the "
        "route). The Manager reports the deploy done.")
    assert result['verification'][0]['verified'] is False
    assert result['deployments'][0]['success'] is True


@pytest.mark.parametrize('pods, problem', [
    ((pod('10.0.0.1', path='/old-orders'), pod('10.0.0.2')), '10.0.0.1 serves /old-orders instead of /orders'),
    ((pod('10.0.0.1', methods=('GET',)), pod('10.0.0.2')), '10.0.0.1 accepts GET instead of GET, POST'),
])
def test_pods_must_serve_the_proxys_path_and_methods(mocked_api, run_module, no_sleep, pods, problem):
    deploy(mocked_api, health(*pods))
    result, failed = run_module(apinizer_proxy_deploy, dict(DEPLOY, verify_timeout=0))
    assert failed and problem in result['msg']


def test_inconsistent_is_a_failure_and_read_defensively(mocked_api, run_module, no_sleep):
    deploy(mocked_api, health(pod('10.0.0.1'), inconsistent='true'))
    result, failed = run_module(apinizer_proxy_deploy, dict(DEPLOY, verify_timeout=0))
    assert failed and "the Manager's record and the pods inconsistent" in result['msg']


def test_the_older_envelope_without_inconsistent_is_read(mocked_api, run_module):
    deploy(mocked_api, health(pod('10.0.0.1'), pod('10.0.0.2'), envelope='result'))
    result, failed = run_module(apinizer_proxy_deploy, DEPLOY)
    assert not failed and result['verification'][0]['verified'] is True
    assert result['verification'][0]['inconsistent'] is None


def test_fewer_pods_than_expected_fail(mocked_api, run_module, no_sleep):
    deploy(mocked_api, health(pod('10.0.0.1'), pod('10.0.0.2')))
    result, failed = run_module(apinizer_proxy_deploy, dict(DEPLOY, verify_pods={'production': 3}, verify_timeout=0))
    assert failed and '2 of the 3 expected pods answered' in result['msg']
    result, failed = run_module(apinizer_proxy_deploy, dict(DEPLOY, verify_pods=2))
    assert not failed


def test_no_pod_answering_falls_back_to_the_managers_record_with_a_warning(mocked_api, run_module):
    deploy(mocked_api, health())
    mocked_api.get(PROXY_URL + 'environments/production/deploy-status/',
                   json={'success': True, 'resultList': [{'deployed': True, 'redeployRequired': False, 'revision': 9}]})
    result, failed = run_module(apinizer_proxy_deploy, DEPLOY)
    assert not failed
    [entry] = result['verification']
    assert entry['verified'] is True and entry['by'] == 'manager' and entry['revision'] == 9
    assert any('No gateway pod of environment' in warning for warning in result['warnings'])


def test_no_pod_answering_fails_when_pods_are_expected_or_the_policy_says_so(mocked_api, run_module, no_sleep):
    deploy(mocked_api, health())
    result, failed = run_module(apinizer_proxy_deploy, dict(DEPLOY, verify_without_pods='fail'))
    assert failed and 'No gateway pod answered the route-health probe (verify_without_pods: fail)' in result['msg']
    result, failed = run_module(apinizer_proxy_deploy, dict(DEPLOY, verify_pods=2, verify_timeout=0))
    assert failed and '0 of the 2 expected pods answered' in result['msg']


def test_an_apinizer_without_route_health_is_verified_by_the_managers_record(mocked_api, run_module):
    deploy(mocked_api)
    mocked_api.get(HEALTH_URL, status=404, json={'error': 'not_found', 'error_description': 'No handler found'})
    mocked_api.get(PROXY_URL + 'environments/production/deploy-status/',
                   json={'success': True, 'resultList': [{'deployed': True, 'redeployRequired': False}]})
    result, failed = run_module(apinizer_proxy_deploy, DEPLOY)
    assert not failed and result['verification'][0]['by'] == 'manager'
    assert any('does not offer it' in warning for warning in result['warnings'])


def test_verify_manager_and_none(mocked_api, run_module):
    deploy(mocked_api)
    mocked_api.get(PROXY_URL + 'environments/production/deploy-status/',
                   json={'success': True, 'resultList': [{'deployed': True, 'redeployRequired': True}]})
    result, failed = run_module(apinizer_proxy_deploy, dict(DEPLOY, verify='manager'))
    assert failed and 'deployed, but a redeploy is required' in result['msg']
    result, failed = run_module(apinizer_proxy_deploy, dict(DEPLOY, verify='none'))
    assert not failed and result['verification'][0]['verified'] is None
    assert HEALTH_URL not in [url for _method, url in sent(mocked_api)]


def test_an_undeploy_is_verified_when_no_pod_serves_the_route(mocked_api, run_module, no_sleep):
    mocked_api.get(PROXY_URL, json=proxy(deployed=True))
    mocked_api.delete(PROXY_URL + 'environments/production/', json=deploy_answer('production'))
    mocked_api.get(HEALTH_URL, json=health(pod('10.0.0.1', active=False), pod('10.0.0.2'), inconsistent=True,
                                           deployedInManager=False))
    result, failed = run_module(apinizer_proxy_deploy, dict(DEPLOY, state='undeployed', verify_timeout=0))
    assert failed and '10.0.0.2 still serves /orders' in result['msg']  # an orphan


def test_check_mode_never_polls(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy())
    result, failed = run_module(apinizer_proxy_deploy, DEPLOY, check_mode=True)
    assert not failed and result['changed'] is True
    assert sent(mocked_api) == [('GET', PROXY_URL)]


def test_a_settings_module_verifies_its_redeploy(mocked_api, run_module, no_sleep):
    mocked_api.get(PROXY_URL, json={'success': True, 'resultList': [dict(
        proxy(deployed=True)['resultList'][0], maintenanceModeSetting={'enabled': False})]})
    mocked_api.patch(PROXY_URL + 'settings/maintenance-mode/', json=deploy_answer('production'))
    mocked_api.get(HEALTH_URL, json=health(pod('10.0.0.1', active=False)))
    result, failed = run_module(apinizer_maintenance_mode, dict(project='Demo', api_proxy='orders-api', enabled=True,
                                                                deploy=True, deploy_environments=['production'],
                                                                verify_timeout=0))
    assert failed and result['changed'] is True
    assert result['msg'].startswith("Deploying API proxy 'orders-api' (project 'Demo') did not verify on the gateway "
                                    "pods (environment 'production': 10.0.0.1 does not serve the route")
    assert 'The maintenance mode settings themselves were saved' in result['msg']


@pytest.mark.parametrize('params, problem', [
    (dict(verify_timeout=-1), 'verify_timeout must be 0 or more seconds'),
    (dict(verify_interval=0), 'verify_interval must be a positive number of seconds'),
    (dict(verify_pods=0), 'verify_pods must be a number of pods (1 or more)'),
    (dict(verify_pods={'production': 'two'}), 'verify_pods must be a number of pods'),
    (dict(verify_pods=True), 'verify_pods must be a number of pods'),
])
def test_bad_verification_options_are_refused_before_any_request(mocked_api, run_module, params, problem):
    result, failed = run_module(apinizer_proxy_deploy, dict(DEPLOY, **params))
    assert failed and problem in result['msg'] and len(mocked_api.calls) == 0


def test_serves_reads_paths_and_active_endpoint_methods():
    assert _verify.serves({'clientRoute': {'relativePathList': ['/a/', '/b']},
                           'endpointList': [{'httpMethod': 'get'}, {'httpMethod': 'DELETE', 'active': False}]}) == (
        {'/a', '/b'}, {'GET'})
    assert _verify.serves({}) == (None, None) and _verify.serves(None) == (None, None)
