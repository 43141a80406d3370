# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of deploys: in-body deploys of the settings PATCHes, redeployRequired, the deploy POST,
the undeploy DELETE and deploy-status.

Run: python -m pytest -q tests/emulator
"""

from __future__ import annotations

import pytest

from emulator_helpers import bad_request, error_a, error_b, proxy_path


@pytest.mark.parametrize('endpoint,body', [
    ('maintenance-mode', {'enabled': True}),
    ('metadata', {'description': 'x'}),
    ('websocket', {'websocketSettings': {'autoReconnect': True}}),
])
def test_deploy_fields_are_validated_before_anything_is_saved(client, endpoint, body):
    name = 'live-feed'
    path = proxy_path(name, 'settings', endpoint)
    before = client.proxy(name)
    bad_request(client.patch(path, dict(body, deploy=True)), 'deployTargetEnvironmentNameList')
    bad_request(client.patch(path, dict(body, deploy=True, deployTargetEnvironmentNameList=[])),
                'deployTargetEnvironmentNameList')
    error_a(client.patch(path, dict(body, deploy=True, deployTargetEnvironmentNameList=['production', 'mars'])), 400,
            'ApiProxy with name (live-feed) can not be deployed to Environment(mars) because it is not exist!')
    bad_request(client.patch(path, dict(body, deploy='yes', deployTargetEnvironmentNameList=['production'])), '"deploy"')
    bad_request(client.patch(path, dict(body, deploy=True, deployTargetEnvironmentNameList='production')),
                'deployTargetEnvironmentNameList', 'array')
    assert client.proxy(name) == before
    # deploy false with a list: saved, nothing deployed
    assert client.patch(path, dict(body, deploy=False, deployTargetEnvironmentNameList=['production'])).json == {'success': True}
    assert client.deployment(name, 'production')['redeployRequired'] is True


def test_in_body_deploy(client, newer):
    path = proxy_path('orders-api', 'settings', 'maintenance-mode')
    revision = client.deploy_status('orders-api', 'production')['revision']
    last = client.last_revision('orders-api')
    response = client.patch(path, {'enabled': True, 'deploy': True, 'deployTargetEnvironmentNameList': ['test', 'test']})
    assert response.json == {'success': True, 'deploymentResult': {'success': True, 'deploymentResults': [
        {'environmentName': 'test', 'success': True, 'message': 'Deployment successful'}]}}
    deployments = {d['environmentName']: d for d in client.proxy('orders-api')['deploymentList']}
    assert deployments['test'] == {'environmentName': 'test', 'deployed': True, 'redeployRequired': False}
    # production was deployed and not in the list: it now needs a redeploy
    assert deployments['production']['redeployRequired'] is True
    assert client.deploy_status('orders-api', 'production')['revision'] == revision
    # the proxy's one revision counter: the deploy to test got the next revision, once
    assert client.deploy_status('orders-api', 'test')['revision'] == last + 1 == client.last_revision('orders-api')
    response = newer.patch(proxy_path('orders-api', 'settings', 'metadata'),
                           {'description': 'd', 'deploy': True, 'deployTargetEnvironmentNameList': ['production']})
    assert response.json['deploymentResult']['success'] is True
    assert newer.deployment('orders-api', 'production')['redeployRequired'] is False


def test_in_body_deploy_to_a_failing_environment(client):
    path = proxy_path('orders-api', 'settings', 'maintenance-mode')
    response = client.patch(path, {'enabled': True, 'deploy': True,
                                   'deployTargetEnvironmentNameList': ['production', 'staging']})
    assert response.status == 200
    assert response.json == {'success': True, 'deploymentResult': {'success': False, 'deploymentResults': [
        {'environmentName': 'production', 'success': True, 'message': 'Deployment successful'},
        {'environmentName': 'staging', 'success': False, 'message': 'Gateway pods unreachable'}]}}
    proxy = client.proxy('orders-api')
    assert proxy['maintenanceModeSetting']['enabled'] is True
    deployments = {d['environmentName']: d for d in proxy['deploymentList']}
    assert deployments['production']['redeployRequired'] is False
    assert deployments['staging'] == {'environmentName': 'staging', 'deployed': False, 'redeployRequired': False}


# ---- deploy, undeploy, deploy-status -----------------------------------------------------------------

def test_redeploy_required_set_by_a_change_and_cleared_by_a_deploy(client):
    assert client.deployment('payments-api', 'production')['redeployRequired'] is False
    assert client.patch(proxy_path('payments-api', 'settings', 'connection'), {'readTimeout': 61}).status == 200
    assert client.deployment('payments-api', 'production')['redeployRequired'] is True
    assert client.deployment('payments-api', 'test')['redeployRequired'] is True
    assert client.deployment('payments-api', 'staging') == {'environmentName': 'staging', 'deployed': False,
                                                            'redeployRequired': False}
    assert client.deploy_status('payments-api', 'production')['redeployRequired'] is True
    revision = client.deploy_status('payments-api', 'production')['revision']
    response = client.post(proxy_path('payments-api', 'environments', 'production'))
    assert response.json == {'success': True, 'deploymentResult': {'success': True, 'deploymentResults': [
        {'environmentName': 'production', 'success': True, 'message': 'Deployment successful'}]}}
    status = client.deploy_status('payments-api', 'production')
    assert status['deployed'] is True and status['redeployRequired'] is False and status['revision'] == revision + 1
    assert status['lastDeployTime'].endswith('Z') and status['lastDeployTime'] > '2026-07-01'
    assert client.deployment('payments-api', 'test')['redeployRequired'] is True


def test_deploy_undeploy_and_status(client, newer):
    never = {'deployed': False, 'lastDeployTime': None, 'revision': None, 'redeployRequired': False}
    assert client.deploy_status('customer api', 'test') == never
    body = client.get(proxy_path('customer api', 'environments', 'test', 'deploy-status')).json
    assert body['status'] == 'SUCCESS' and body['resultCount'] == 1
    response = client.post(proxy_path('customer api', 'environments', 'test'), {'description': 'by test', 'persistent': True})
    assert response.status == 200
    assert client.deploy_status('customer api', 'test')['revision'] == 1
    # deploying again redeploys: a new revision
    assert client.post(proxy_path('customer api', 'environments', 'test')).status == 200
    assert client.deploy_status('customer api', 'test')['revision'] == 2
    response = client.delete(proxy_path('customer api', 'environments', 'test'))
    assert response.json['deploymentResult']['deploymentResults'][0]['message'] == 'Undeployment successful'
    status = client.deploy_status('customer api', 'test')
    assert status['deployed'] is False and status['redeployRequired'] is False
    bad_request(client.delete(proxy_path('customer api', 'environments', 'test')), 'not deployed')
    assert newer.post(proxy_path('customer api', 'environments', 'production')).json['success'] is True


def test_deploy_errors(client, newer):
    text = 'ApiProxy with name (orders-api) can not be deployed to Environment(mars) because it is not exist!'
    error_a(client.post(proxy_path('orders-api', 'environments', 'mars')), 400, text, 'bad_request')
    error_b(newer.post(proxy_path('orders-api', 'environments', 'mars')), 400, text)
    error_a(client.delete(proxy_path('orders-api', 'environments', 'mars')), 400, text)
    error_a(client.get(proxy_path('orders-api', 'environments', 'mars', 'deploy-status')), 400, text)
    error_a(client.post(proxy_path('nope', 'environments', 'production')), 404, 'ApiProxy (name: nope) was not found!')
    error_a(client.get(proxy_path('nope', 'environments', 'production', 'deploy-status')), 404,
            'ApiProxy (name: nope) was not found!')
    error_b(newer.get(proxy_path('nope', 'environments', 'production', 'deploy-status')), 400,
            'ApiProxy with name (nope) is not found!')
    error_a(client.post(proxy_path('orders-api', 'environments', 'staging')), 400, 'Gateway pods unreachable', 'bad_request')
    error_b(newer.post(proxy_path('orders-api', 'environments', 'staging')), 400, 'Gateway pods unreachable')
    assert client.deployment('orders-api', 'staging')['deployed'] is False
    bad_request(client.post(proxy_path('orders-api', 'environments', 'test'), {'comment': 'x'}), '"comment"')
    bad_request(client.post(proxy_path('orders-api', 'environments', 'test'), {'persistent': 'yes'}), '"persistent"')
    bad_request(client.post(proxy_path('orders-api', 'environments', 'test'), raw=b'not json',
                            headers={'Content-Type': 'application/json'}), 'Malformed JSON')
    assert client.deployment('orders-api', 'test')['deployed'] is False
