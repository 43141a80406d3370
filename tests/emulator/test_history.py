# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of deploy histories: the records deploys and undeploys write, list, detail and delete, the proxy's
one revision counter, --history-limit and persistent records, rollback, seeded histories and the state dump.

Run: python -m pytest -q tests/emulator
"""

from __future__ import annotations

import pytest

from emulator_helpers import Client, Emulator, bad_request, error_a, error_b, proxy_path

RECORD_KEYS = ['revision', 'username', 'deploymentTime', 'description', 'environment', 'deploy', 'persistent',
               'backendApiVersion']


def history(client, name, project='Demo'):
    response = client.get(proxy_path(name, 'deploy-histories', project=project))
    assert response.status == 200, response
    body = response.json
    assert body['status'] == 'SUCCESS' and body['resultCount'] == len(body['resultList'])
    return body['resultList']


def revisions(client, name, project='Demo'):
    return [record['revision'] for record in history(client, name, project)]


def rollback(client, name, revision, environment=None):
    path = proxy_path(name, 'deploy-histories', str(revision), 'rollback')
    return client.post(path + ('?environmentName=%s' % environment if environment else ''))


# ---- list, detail, delete -----------------------------------------------------------------------------

def test_every_deploy_and_undeploy_writes_a_record_newest_first(client, newer):
    name = 'customer api'
    assert history(client, name) == []
    assert client.post(proxy_path(name, 'environments', 'test'), {'description': 'first', 'persistent': True}).status == 200
    assert client.post(proxy_path(name, 'environments', 'production'), {'description': None, 'persistent': None}).status == 200
    assert client.delete(proxy_path(name, 'environments', 'test'), body={'description': 'gone'}).status == 200
    assert client.delete(proxy_path(name, 'environments', 'production')).status == 200
    records = history(client, name)
    assert [record['revision'] for record in records] == [4, 3, 2, 1]
    assert all(list(record) == RECORD_KEYS for record in records)  # the documented fields, no definition
    assert [(r['environment'], r['deploy'], r['persistent'], r['description']) for r in records] == [
        ('production', False, False, 'Undeployed by APIOPS Api'), ('test', False, False, 'gone'),
        ('production', True, False, 'Deployed by APIOPS Api'), ('test', True, True, 'first')]
    assert all(r['username'] == 'admin' and r['backendApiVersion'] == '1.0.0' for r in records)
    assert all(r['deploymentTime'].endswith('Z') and r['deploymentTime'] > '2026-07-01' for r in records)
    assert records[0]['deploymentTime'] >= records[-1]['deploymentTime']
    # a failed deploy or undeploy writes nothing
    bad_request(client.post(proxy_path(name, 'environments', 'staging')), 'Gateway pods unreachable')
    bad_request(client.delete(proxy_path(name, 'environments', 'test')), 'not deployed')
    assert revisions(client, name) == [4, 3, 2, 1]
    # the newer style answers the same body
    assert newer.post(proxy_path(name, 'environments', 'test')).status == 200
    assert history(newer, name)[0]['revision'] == 1


def test_seeded_deployments_have_records(client):
    records = history(client, 'payments-api')
    assert [(r['revision'], r['environment'], r['deploy']) for r in records] == [(12, 'production', True), (3, 'test', True)]
    assert records[0]['deploymentTime'] == '2026-07-01T10:00:00.000Z'
    assert client.last_revision('payments-api') == 12
    assert revisions(client, 'inventory/v2', project='My Project/Team') == [1]


def test_detail_and_delete(client, newer):
    for target in (client, newer):
        for env in ('test', 'production', 'test'):
            assert target.post(proxy_path('customer api', 'environments', env)).status == 200
    listed = history(client, 'customer api')
    response = client.get(proxy_path('customer api', 'deploy-histories', '2'))
    assert response.status == 200
    assert response.json == {'status': 'SUCCESS', 'resultList': [listed[1]], 'resultCount': 1}
    response = client.delete(proxy_path('customer api', 'deploy-histories', '2'))
    assert response.json == {'status': 'SUCCESS', 'resultMessage': 'Deploy history record deleted successfully.'}
    assert revisions(client, 'customer api') == [3, 1]
    text = 'Deploy history with revision (2) is not found for ApiProxy (customer api)!'
    error_a(client.get(proxy_path('customer api', 'deploy-histories', '2')), 400, text, 'bad_request')
    error_a(client.delete(proxy_path('customer api', 'deploy-histories', '2')), 400, text)
    assert newer.delete(proxy_path('customer api', 'deploy-histories', '2')).status == 200
    error_b(newer.get(proxy_path('customer api', 'deploy-histories', '2')), 400, text)
    # deleting the record of the deployed revision changes no deployment
    assert client.delete(proxy_path('customer api', 'deploy-histories', '3')).status == 200
    assert client.deploy_status('customer api', 'test')['revision'] == 3


@pytest.mark.parametrize('revision', ['99', '0', '-1', '1.0', '01x', 'x', '%20', '9' * 19])
def test_unknown_or_garbage_revision(client, revision):
    text = 'Deploy history with revision (%s) is not found for ApiProxy (orders-api)!' % revision.replace('%20', ' ')
    for method in ('GET', 'DELETE'):
        error_a(client.request(method, proxy_path('orders-api', 'deploy-histories') + revision + '/'), 400, text)
    error_a(client.post(proxy_path('orders-api', 'deploy-histories') + revision + '/rollback/'), 400,
            'Rollback failed for deploy history revision (%s)!' % revision.replace('%20', ' '))
    assert revisions(client, 'orders-api') == [7]


def test_unknown_proxy_or_project(client, newer):
    for path in (proxy_path('nope', 'deploy-histories'), proxy_path('nope', 'deploy-histories', '1'),
                 proxy_path('nope', 'deploy-histories', '1', 'rollback')):
        method = 'POST' if path.endswith('rollback/') else 'GET'
        error_a(client.request(method, path), 404, 'ApiProxy (name: nope) was not found!', 'not_found')
        error_b(newer.request(method, path), 400, 'ApiProxy with name (nope) is not found!')
    error_a(client.get(proxy_path('orders-api', 'deploy-histories', project='Nope')), 404, "Project 'Nope' not found")
    assert client.put(proxy_path('orders-api', 'deploy-histories'), {}).status == 405


# ---- the revision counter, --history-limit, persistent ---------------------------------------------------

def test_one_revision_counter_per_proxy_never_reused(client):
    name = 'payments-api'
    assert client.post(proxy_path(name, 'environments', 'test')).status == 200
    assert client.post(proxy_path(name, 'environments', 'production')).status == 200
    assert client.delete(proxy_path(name, 'environments', 'test')).status == 200
    assert revisions(client, name) == [15, 14, 13, 12, 3]
    assert client.deploy_status(name, 'test')['revision'] == 13  # an undeploy keeps the deployed revision
    assert client.deploy_status(name, 'production')['revision'] == 14
    assert client.delete(proxy_path(name, 'deploy-histories', '15')).status == 200
    assert client.post(proxy_path(name, 'environments', 'test')).status == 200
    assert revisions(client, name) == [16, 14, 13, 12, 3] and client.last_revision(name) == 16
    # another proxy has its own counter
    assert client.post(proxy_path('orders-api', 'environments', 'test')).status == 200
    assert client.deploy_status('orders-api', 'test')['revision'] == 8


def test_history_limit_prunes_the_oldest_records_that_are_not_persistent():
    server = Emulator('--history-limit', '2', '--quiet')
    try:
        client = Client(server.url)
        deploy = proxy_path('customer api', 'environments', 'test')
        assert client.post(deploy, {'persistent': True}).status == 200
        assert client.post(deploy).status == 200
        assert revisions(client, 'customer api') == [2, 1]
        assert client.post(deploy).status == 200
        assert revisions(client, 'customer api') == [3, 1]  # 2 pruned, the persistent 1 kept
        assert client.delete(deploy, body={'persistent': True}).status == 200
        assert revisions(client, 'customer api') == [4, 1]
        # every older record is persistent: the new one is kept too, one beyond the limit
        assert client.post(deploy).status == 200
        assert revisions(client, 'customer api') == [5, 4, 1]
        assert client.deploy_status('customer api', 'test')['revision'] == 5 == client.last_revision('customer api')
        assert client.delete(proxy_path('customer api', 'deploy-histories', '1')).status == 200
        assert client.post(deploy).status == 200
        assert revisions(client, 'customer api') == [6, 4]  # 5 pruned now; 2, 3 and 5 are never used again
        assert [r['persistent'] for r in history(client, 'customer api')] == [False, True]
        bad_request(rollback(client, 'customer api', 5), 'Rollback failed for deploy history revision (5)!')
        bad_request(client.get(proxy_path('customer api', 'deploy-histories', '2')), 'revision (2) is not found')
    finally:
        assert server.stop() == 0


def test_bad_history_limit_and_pods_options():
    for args in (['--history-limit', '0'], ['--history-limit', 'x'], ['--pods', '-1'], ['--pods', '65']):
        server = Emulator(*args)
        assert server.url == ''
        assert server.stop() == 2, args
        assert 'usage:' in server.stderr_text()


# ---- rollback ---------------------------------------------------------------------------------------------

def test_rollback_restores_the_definition_and_marks_redeploy_required(client, newer):
    name = 'orders-api'
    original = client.proxy(name)
    assert client.patch(proxy_path(name, 'settings', 'connection'), {'readTimeout': 99, 'retryCount': 2}).status == 200
    assert client.patch(proxy_path(name, 'settings', 'metadata'), {'description': 'changed', 'categoryList': []}).status == 200
    in_body = {'enabled': True, 'deploy': True, 'deployTargetEnvironmentNameList': ['test']}
    assert client.patch(proxy_path(name, 'settings', 'maintenance-mode'), in_body).status == 200
    assert client.deployment(name, 'production')['redeployRequired'] is True
    assert client.deployment(name, 'test')['redeployRequired'] is False
    response = rollback(client, name, 7)
    assert response.status == 200
    assert response.json == {'status': 'SUCCESS',
                             'resultMessage': 'API Proxy rolled back successfully to deploy history revision (7).'}
    proxy = client.proxy(name)
    assert proxy['routing'] == original['routing'] and proxy['description'] == 'Orders API'
    assert proxy['categoryList'] == ['E-commerce'] and proxy['maintenanceModeSetting']['enabled'] is False
    assert proxy['deploymentList'] == [
        {'environmentName': 'production', 'deployed': True, 'redeployRequired': True},
        {'environmentName': 'test', 'deployed': True, 'redeployRequired': True},
        {'environmentName': 'staging', 'deployed': False, 'redeployRequired': False}]
    assert revisions(client, name) == [8, 7]  # without environmentName: no deploy, no record
    assert client.deploy_status(name, 'test')['revision'] == 8
    # forward again to what revision 8 deployed
    assert rollback(client, name, 8).status == 200
    proxy = client.proxy(name)
    assert proxy['routing']['readTimeout'] == 99 and proxy['routing']['retryCount'] == 2
    assert proxy['description'] == 'changed' and proxy['maintenanceModeSetting']['enabled'] is True
    # restoring the definition the proxy already has changes nothing: no redeploy needed
    assert client.post(proxy_path(name, 'environments', 'production')).status == 200
    assert rollback(client, name, 8).status == 200
    assert client.deployment(name, 'production')['redeployRequired'] is False
    assert newer.post(proxy_path(name, 'deploy-histories', '7', 'rollback')).json['status'] == 'SUCCESS'


def test_rollback_with_an_environment_deploys_and_writes_a_record(client):
    name = 'orders-api'
    assert client.patch(proxy_path(name, 'settings', 'connection'), {'readTimeout': 99}).status == 200
    response = rollback(client, name, 7, 'test')
    assert response.json == {'status': 'SUCCESS', 'resultMessage': 'API Proxy rolled back successfully to deploy history '
                                                                   'revision (7). Deployed to environment: test'}
    newest = history(client, name)[0]
    assert newest['revision'] == 8 and newest['environment'] == 'test' and newest['deploy'] is True
    assert newest['description'] == 'Rolled back to deploy history revision (7)' and newest['persistent'] is False
    status = client.deploy_status(name, 'test')
    assert status['deployed'] is True and status['revision'] == 8 and status['redeployRequired'] is False
    assert client.deployment(name, 'production')['redeployRequired'] is True
    assert client.proxy(name)['routing']['readTimeout'] == 60


def test_rollback_to_a_failing_environment_answers_success_and_deploys_nothing(client, newer):
    for target in (client, newer):
        name = 'orders-api'
        assert target.patch(proxy_path(name, 'settings', 'connection'), {'readTimeout': 99}).status == 200
        response = rollback(target, name, 7, 'staging')
        assert response.status == 200
        assert response.json == {'status': 'SUCCESS', 'resultMessage':
                                 'API Proxy rolled back successfully but deployment failed: Gateway pods unreachable'}
        assert target.proxy(name)['routing']['readTimeout'] == 60  # the definition is restored all the same
        assert target.deployment(name, 'staging') == {'environmentName': 'staging', 'deployed': False,
                                                      'redeployRequired': False}
        assert target.deployment(name, 'production')['redeployRequired'] is True
        assert revisions(target, name) == [7] and target.last_revision(name) == 7


def test_rollback_errors_change_nothing(client, newer):
    name = 'orders-api'
    assert client.patch(proxy_path(name, 'settings', 'connection'), {'readTimeout': 99}).status == 200
    before = client.proxy(name)
    error_a(rollback(client, name, 7, 'mars'), 400, 'Rollback failed for deploy history revision (7)!', 'bad_request')
    error_b(rollback(newer, name, 7, 'mars'), 400, 'Rollback failed for deploy history revision (7)!')
    error_a(rollback(client, name, 6), 400, 'Rollback failed for deploy history revision (6)!')
    bad_request(client.post(proxy_path(name, 'deploy-histories', '7', 'rollback') + '?environmentName=test&environmentName=production'),
                '"environmentName" must be given once')
    assert client.proxy(name) == before and revisions(client, name) == [7]
    assert client.get(proxy_path(name, 'deploy-histories', '7', 'rollback')).status == 405


# ---- seeds and the state dump ----------------------------------------------------------------------------

def seed_with(proxy, environments=None):
    return {'projects': {'P': {'environments': environments or [{'name': 'prod'}, {'name': 'qa'}],
                               'apiProxies': [dict({'name': 'a'}, **proxy)]}}}


def test_seeded_deploy_history_and_last_revision(client):
    seed = seed_with({
        'routing': {'readTimeout': 50}, 'backendApiVersion': '2.1.0', 'lastRevision': 9,
        'deployments': {'prod': {'deployed': True, 'revision': 5}},
        'deployHistory': [
            {'revision': 5, 'environment': 'prod', 'description': 'second', 'deploymentTime': '2026-07-02T00:00:00.000Z'},
            {'revision': 3, 'environment': 'qa', 'deploy': False, 'persistent': True, 'username': 'ops',
             'backendApiVersion': '1.9.0', 'definition': {'description': 'old', 'routing': {'readTimeout': 5}}}]})
    client.admin('POST', '/_emulator/reset', seed)
    records = history(client, 'a', project='P')
    assert records == [
        {'revision': 5, 'username': 'admin', 'deploymentTime': '2026-07-02T00:00:00.000Z', 'description': 'second',
         'environment': 'prod', 'deploy': True, 'persistent': False, 'backendApiVersion': '2.1.0'},
        {'revision': 3, 'username': 'ops', 'deploymentTime': '2026-07-01T10:00:00.000Z',
         'description': 'Undeployed by APIOPS Api', 'environment': 'qa', 'deploy': False, 'persistent': True,
         'backendApiVersion': '1.9.0'}]
    assert client.last_revision('a', project='P') == 9
    assert client.post(proxy_path('a', 'environments', 'qa', project='P')).status == 200
    assert revisions(client, 'a', project='P') == [10, 5, 3]
    assert rollback(client, 'a', 3).status == 404  # this seed has no project Demo
    assert client.post(proxy_path('a', 'deploy-histories', '3', 'rollback', project='P')).status == 200
    proxy = client.proxy('a', project='P')
    assert proxy['description'] == 'old' and proxy['routing']['readTimeout'] == 5
    assert client.post(proxy_path('a', 'deploy-histories', '5', 'rollback', project='P')).status == 200
    assert client.proxy('a', project='P')['routing']['readTimeout'] == 50  # a record without definition: the seeded one


def test_seeded_last_revision_is_never_below_a_seeded_revision(client):
    client.admin('POST', '/_emulator/reset', seed_with({'deployHistory': [{'revision': 4, 'environment': 'prod'}],
                                                        'deployments': {'qa': {'revision': 6}}, 'lastRevision': 3}))
    assert client.last_revision('a', project='P') == 6
    assert revisions(client, 'a', project='P') == [4]
    assert client.post(proxy_path('a', 'environments', 'prod', project='P')).status == 200
    assert revisions(client, 'a', project='P') == [7, 4]


@pytest.mark.parametrize('proxy,fragment', [
    ({'deployHistory': {}}, '"deployHistory" must be an array'),
    ({'deployHistory': [1]}, '"deployHistory[0]" must be an object'),
    ({'deployHistory': [{'environment': 'prod'}]}, 'Field "deployHistory[0].revision" must not be null'),
    ({'deployHistory': [{'revision': 0, 'environment': 'prod'}]}, '"deployHistory[0].revision" must be from 1'),
    ({'deployHistory': [{'revision': 1}]}, 'Field "deployHistory[0].environment" must not be null'),
    ({'deployHistory': [{'revision': 1, 'environment': 'mars'}]}, 'deployHistory[0].environment: unknown environment mars'),
    ({'deployHistory': [{'revision': 1, 'environment': 'prod', 'comment': 'x'}]}, 'Unrecognized field "deployHistory[0].comment"'),
    ({'deployHistory': [{'revision': 1, 'environment': 'prod', 'persistent': 'yes'}]}, '"deployHistory[0].persistent" must be a boolean'),
    ({'deployHistory': [{'revision': 1, 'environment': 'prod', 'definition': {'name': 'b'}}]},
     'Unrecognized field "deployHistory[0].definition.name"'),
    ({'deployHistory': [{'revision': 1, 'environment': 'prod', 'definition': {'routing': {'readTimeout': 'x'}}}]},
     'Field "deployHistory[0].definition.routing.readTimeout" must be an integer'),
    ({'deployHistory': [{'revision': 2, 'environment': 'prod'}, {'revision': 2, 'environment': 'qa'}]},
     '"deployHistory": revision 2 appears twice'),
    ({'lastRevision': 'x'}, 'Field "lastRevision" must be an integer'),
    ({'lastRevision': -1}, 'Field "lastRevision" must be from 0'),
])
def test_bad_seeded_history_is_rejected(client, proxy, fragment):
    response = client.request('POST', '/_emulator/reset', seed_with(proxy), token=None)
    assert response.status == 400 and fragment in response.json['error_description'], response
    assert response.json['error_description'].startswith('Invalid seed: projects.P.apiProxies[0]: ')
    assert revisions(client, 'orders-api') == [7]


def test_state_dump_round_trip_keeps_history_and_pods(client):
    assert client.post(proxy_path('customer api', 'environments', 'test'), {'persistent': True}).status == 200
    assert client.patch(proxy_path('customer api', 'settings', 'connection'), {'readTimeout': 61}).status == 200
    assert client.post(proxy_path('customer api', 'environments', 'production')).status == 200
    assert client.delete(proxy_path('customer api', 'deploy-histories', '1')).status == 200
    client.admin('POST', '/_emulator/pods/count', {'environment': 'test', 'count': 3})
    client.admin('POST', '/_emulator/pods', {'environment': 'production', 'pod': 1, 'behaviour': 'lag', 'polls': 3})
    assert client.delete(proxy_path('orders-api', 'environments', 'production')).status == 200
    state = client.admin('GET', '/_emulator/state')
    listed, pods = history(client, 'customer api'), client.admin('GET', '/_emulator/pods')['environments']
    client.admin('POST', '/_emulator/reset')
    assert history(client, 'customer api') == []
    client.admin('POST', '/_emulator/reset', state)
    assert client.admin('GET', '/_emulator/state') == state
    assert history(client, 'customer api') == listed and client.last_revision('customer api') == 2
    assert client.admin('GET', '/_emulator/pods')['environments'] == pods
    assert client.patch(proxy_path('customer api', 'settings', 'connection'), {'readTimeout': 80}).status == 200
    assert client.post(proxy_path('customer api', 'deploy-histories', '2', 'rollback')).status == 200
    assert client.proxy('customer api')['routing']['readTimeout'] == 61
    assert client.post(proxy_path('customer api', 'environments', 'test')).status == 200
    assert client.last_revision('customer api') == 3
