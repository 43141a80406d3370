# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of the gateway pods: route-health in both envelope styles, the pod behaviours armed with
POST /_emulator/pods (lag, stuck, orphan, silent, error, times), the pod count, seeded pods, a rename.

Run: python -m pytest -q tests/emulator
"""

from __future__ import annotations

import copy

import pytest

from emulator_helpers import SEED, Client, Emulator, error_a, error_b, proxy_path

NAME = 'customer api'
# The example seed with endpoints and a client route on "customer api" (not deployed anywhere).
ROUTED_SEED = copy.deepcopy(SEED)
[_proxy for _proxy in ROUTED_SEED['projects']['Demo']['apiProxies'] if _proxy['name'] == NAME][0].update(
    clientRoute={'relativePathList': ['/customers', '/clients'], 'hostList': []},
    endpointList=[{'httpMethod': 'get', 'path': '/'}, {'httpMethod': 'POST', 'path': '/'},
                  {'httpMethod': 'GET', 'path': '/{id}'}, {'httpMethod': 'DELETE', 'path': '/{id}', 'active': False}])


@pytest.fixture
def routed(client):
    client.admin('POST', '/_emulator/reset', ROUTED_SEED)
    return client


def health(client, env='test', name=NAME, project='Demo'):
    """The one result of route-health, from either envelope (the newer style's, or the seed style's)."""
    response = client.get(proxy_path(name, 'environments', env, 'route-health', project=project))
    assert response.status == 200, response
    body = response.json
    if 'status' in body:
        assert body['status'] == 'SUCCESS' and body['resultCount'] == 1 and len(body['resultList']) == 1
        return body['resultList'][0]
    assert body['success'] is True and len(body['result']) == 1 and set(body) == {'success', 'result'}
    assert 'deployedInManager' not in body['result'][0] and 'inconsistent' not in body['result'][0]
    return body['result'][0]


def summary(result):
    """(podsResponded, podsActive, routeActive) of a route-health result, with its counts checked."""
    assert result['podsResponded'] == len(result['pods'])
    assert result['podsActive'] == len([pod for pod in result['pods'] if pod['routeActive']])
    return result['podsResponded'], result['podsActive'], result['routeActive']


def arm(client, **body):
    return client.admin('POST', '/_emulator/pods', dict({'environment': 'test', 'proxy': NAME}, **body))


def deploy(client, env='test', name=NAME):
    assert client.post(proxy_path(name, 'environments', env)).status == 200


def undeploy(client, env='test', name=NAME):
    assert client.delete(proxy_path(name, 'environments', env)).status == 200


# ---- route-health ---------------------------------------------------------------------------------------

def test_route_health_after_deploy_and_undeploy(routed):
    before = health(routed)
    assert summary(before) == (2, 0, False)
    assert before['servedPath'] is None and before['methods'] == [] and before['apinizerRootContext'] == '/apigateway'
    assert [pod['workerPodIp'] for pod in before['pods']] == ['http://10.0.2.11:8091', 'http://10.0.2.12:8091']
    deploy(routed)
    result = health(routed)
    assert list(result) == ['routeActive', 'servedPath', 'methods', 'apinizerRootContext', 'podsResponded',
                            'podsActive', 'pods']
    assert summary(result) == (2, 2, True)
    assert result['servedPath'] == '/customers' and result['methods'] == ['GET', 'POST']
    assert result['pods'][0] == {'routeActive': True, 'servedPath': '/customers', 'methods': ['GET', 'POST'],
                                 'workerPodIp': 'http://10.0.2.11:8091', 'apinizerRootContext': '/apigateway'}
    assert summary(health(routed, 'production')) == (2, 0, False)  # another environment
    undeploy(routed)
    assert health(routed) == before


def test_route_health_newer_style(newer):
    newer.admin('POST', '/_emulator/reset', ROUTED_SEED)
    result = health(newer)
    assert result['deployedInManager'] is False and result['inconsistent'] is False
    deploy(newer)
    result = health(newer)
    assert list(result) == ['routeActive', 'servedPath', 'methods', 'apinizerRootContext', 'podsResponded',
                            'podsActive', 'deployedInManager', 'inconsistent', 'pods']
    assert summary(result) == (2, 2, True) and result['deployedInManager'] is True and result['inconsistent'] is False
    assert result['servedPath'] == '/customers' and result['methods'] == ['GET', 'POST']
    # seeded deployments are loaded by the pods at the start
    assert summary(health(newer, 'production', 'orders-api')) == (2, 2, True)
    assert health(newer, 'production', 'inventory/v2', 'My Project/Team')['servedPath'] == '/inventory-v2'


def test_route_health_errors(client, newer):
    text = 'ApiProxy with name (nope) is not found!'
    error_a(client.get(proxy_path('nope', 'environments', 'test', 'route-health')), 400, text, 'bad_request')
    error_b(newer.get(proxy_path('nope', 'environments', 'test', 'route-health')), 400, text)
    text = 'ApiProxy with name (orders-api) can not be deployed to Environment(mars) because it is not exist!'
    error_a(client.get(proxy_path('orders-api', 'environments', 'mars', 'route-health')), 400, text)
    error_b(newer.get(proxy_path('orders-api', 'environments', 'mars', 'route-health')), 400, text)
    error_a(client.get(proxy_path('orders-api', 'environments', 'test', 'route-health', project='Nope')), 404,
            "Project 'Nope' not found")
    error_a(client.get(proxy_path('', 'environments', 'test', 'route-health')), 400, 'apiProxyName value can not be empty!')
    assert client.post(proxy_path('orders-api', 'environments', 'test', 'route-health')).status == 405


def test_pods_serve_the_deployed_revision_not_the_current_definition(client):
    seed = {'projects': {'P': {'environments': [{'name': 'prod'}], 'apiProxies': [{
        'name': 'a', 'clientRoute': {'relativePathList': ['/v2']}, 'endpointList': [{'httpMethod': 'PUT'}],
        'deployments': {'prod': {'revision': 2}},
        'deployHistory': [{'revision': 1, 'environment': 'prod', 'definition': {
            'clientRoute': {'relativePathList': ['/v1']}, 'endpointList': [{'httpMethod': 'GET'}]}},
            {'revision': 2, 'environment': 'prod'}]}]}}}
    client.admin('POST', '/_emulator/reset', seed)
    assert health(client, 'prod', 'a', 'P')['servedPath'] == '/v2'
    assert client.post(proxy_path('a', 'deploy-histories', '1', 'rollback', project='P')).status == 200
    assert health(client, 'prod', 'a', 'P')['servedPath'] == '/v2'  # restored, not deployed
    assert client.post(proxy_path('a', 'deploy-histories', '1', 'rollback', project='P') + '?environmentName=prod').status == 200
    result = health(client, 'prod', 'a', 'P')
    assert result['servedPath'] == '/v1' and result['methods'] == ['GET']
    assert client.admin('GET', '/_emulator/pods')['environments'][0]['pods'][0]['routes'] == {
        'a': {'servedPath': '/v1', 'methods': ['GET'], 'revision': 3}}


# ---- pod behaviours ------------------------------------------------------------------------------------

def test_lag_converges_after_n_reads(newer):
    behaviour = arm(newer, behaviour='lag', polls=2)
    assert behaviour == {'id': behaviour['id'], 'project': None, 'environment': 'test', 'pod': None, 'proxy': NAME,
                         'behaviour': 'lag', 'polls': 2, 'message': None, 'times': None}
    deploy(newer)
    pods = newer.admin('GET', '/_emulator/pods')
    assert pods['behaviours'] == [behaviour]
    test_pods = [env for env in pods['environments'] if env['environment'] == 'test'][0]['pods']
    assert test_pods[0]['pending'][NAME]['polls'] == 2 and NAME not in test_pods[0]['routes']
    for _read in range(2):
        result = health(newer)
        assert summary(result) == (2, 0, False) and result['inconsistent'] is True and result['deployedInManager'] is True
    result = health(newer)
    assert summary(result) == (2, 2, True) and result['inconsistent'] is False
    # the undeploy lags too
    undeploy(newer)
    assert summary(health(newer)) == (2, 2, True) and health(newer)['inconsistent'] is True
    assert summary(health(newer)) == (2, 0, False)


def test_lag_on_one_pod(newer):
    arm(newer, behaviour='lag', polls=1, pod=1)
    deploy(newer)
    result = health(newer)
    assert summary(result) == (2, 1, False) and result['inconsistent'] is True
    assert [pod['routeActive'] for pod in result['pods']] == [True, False]
    assert summary(health(newer)) == (2, 2, True)


def test_stuck_keeps_what_the_pod_had(newer):
    behaviour = arm(newer, behaviour='stuck')
    deploy(newer)
    result = health(newer)
    assert summary(result) == (2, 0, False) and result['deployedInManager'] is True and result['inconsistent'] is True
    assert newer.admin('DELETE', '/_emulator/pods/%d' % behaviour['id']) == behaviour
    assert summary(health(newer)) == (2, 0, False)  # removing it loads nothing
    deploy(newer)
    assert summary(health(newer)) == (2, 2, True)
    arm(newer, behaviour='stuck', proxy=None, environment='production')
    undeploy(newer, 'production', 'orders-api')
    result = health(newer, 'production', 'orders-api')
    assert summary(result) == (2, 2, True) and result['deployedInManager'] is False and result['inconsistent'] is True


def test_orphan_keeps_serving_after_an_undeploy(newer):
    arm(newer, behaviour='orphan', pod=0)
    deploy(newer)
    assert summary(health(newer)) == (2, 2, True)
    undeploy(newer)
    result = health(newer)
    assert summary(result) == (2, 1, False)
    assert result['deployedInManager'] is False and result['inconsistent'] is True
    assert result['servedPath'] == '/customer-api' and result['pods'][0]['routeActive'] is True


def test_silent_pods_are_not_counted(newer):
    deploy(newer)
    arm(newer, behaviour='silent', pod=1)
    result = health(newer)
    assert summary(result) == (1, 1, True) and result['inconsistent'] is False
    assert [pod['workerPodIp'] for pod in result['pods']] == ['http://10.0.2.11:8091']
    arm(newer, behaviour='silent')
    result = health(newer)
    assert summary(result) == (0, 0, False) and result['pods'] == [] and result['inconsistent'] is False
    assert summary(health(newer, 'test', 'payments-api')) == (2, 2, True)  # another proxy answers


def test_error_pods_answer_an_error_entry(newer):
    deploy(newer)
    arm(newer, behaviour='error', pod=0, message='boom')
    result = health(newer)
    assert summary(result) == (2, 1, False) and result['inconsistent'] is True
    assert result['pods'][0] == {'routeActive': False, 'servedPath': None, 'methods': [],
                                 'workerPodIp': 'http://10.0.2.11:8091', 'apinizerRootContext': '/apigateway',
                                 'error': 'boom'}
    assert arm(newer, behaviour='error', pod=1)['message'] == 'Connection refused'
    assert health(newer)['pods'][1]['error'] == 'Connection refused'


def test_times_then_the_behaviour_is_gone(newer):
    arm(newer, behaviour='stuck', times=1)
    deploy(newer)
    assert summary(health(newer)) == (2, 0, False)  # one deploy, counted once for both pods
    assert newer.admin('GET', '/_emulator/pods')['behaviours'] == []
    deploy(newer)
    assert summary(health(newer)) == (2, 2, True)
    arm(newer, behaviour='error', times=2)
    assert summary(health(newer)) == (2, 0, False)
    assert summary(health(newer)) == (2, 0, False)
    assert summary(health(newer)) == (2, 2, True)


def test_clearing_behaviours_applies_pending_loads(client):
    arm(client, behaviour='lag', polls=50)
    arm(client, behaviour='silent', pod=0)
    deploy(client)
    assert summary(health(client)) == (1, 0, False)
    assert client.admin('DELETE', '/_emulator/pods') == {'cleared': 2, 'applied': 2}
    assert summary(health(client)) == (2, 2, True)
    assert client.admin('GET', '/_emulator/pods')['behaviours'] == []
    assert client.admin('DELETE', '/_emulator/pods') == {'cleared': 0, 'applied': 0}
    # a reset clears behaviours too
    arm(client, behaviour='silent')
    client.admin('POST', '/_emulator/reset')
    assert client.admin('GET', '/_emulator/pods')['behaviours'] == []


# ---- the pod count, seeded pods ---------------------------------------------------------------------------

def test_pod_count(newer):
    deploy(newer)
    answer = newer.admin('POST', '/_emulator/pods/count', {'environment': 'test', 'count': 0})
    assert answer == [{'project': 'Demo', 'environment': 'test', 'pods': []}]
    result = health(newer)
    assert summary(result) == (0, 0, False) and result['inconsistent'] is False and result['deployedInManager'] is True
    deploy(newer, name='orders-api')  # the Manager deploys with no pod to load it
    answer = newer.admin('POST', '/_emulator/pods/count', {'environment': 'test', 'project': 'Demo', 'count': 3})
    assert [pod['workerPodIp'] for pod in answer[0]['pods']] == ['http://10.0.2.%d:8091' % n for n in (11, 12, 13)]
    assert set(answer[0]['pods'][2]['routes']) == {NAME, 'orders-api', 'payments-api'}  # what is deployed there
    assert summary(health(newer)) == (3, 3, True) and summary(health(newer, 'test', 'orders-api')) == (3, 3, True)
    # without a project: the environment of every project that has one
    answer = newer.admin('POST', '/_emulator/pods/count', {'environment': 'production', 'count': 1})
    assert [(item['project'], len(item['pods'])) for item in answer] == [('Demo', 1), ('My Project/Team', 1)]


def test_the_pods_option_and_seeded_pods():
    server = Emulator('--pods', '1', '--quiet')
    try:
        client = Client(server.url)
        assert summary(health(client, 'production', 'orders-api')) == (1, 1, True)
        seed = {'projects': {'P': {
            'environments': [{'name': 'prod', 'pods': 3}, {'name': 'qa', 'pods': [
                {'workerPodIp': 'http://gw-a:8091'}, {'routes': {}},
                {'routes': {'a': {'servedPath': '/old', 'methods': ['GET'], 'revision': 1}},
                 'pending': {'a': {'route': None, 'polls': 1}}}]}, {'name': 'dev'}],
            'apiProxies': [{'name': 'a', 'deployments': ['prod', 'qa']}]}}}
        client.admin('POST', '/_emulator/reset', seed)
        assert summary(health(client, 'prod', 'a', 'P')) == (3, 3, True)
        assert summary(health(client, 'dev', 'a', 'P')) == (1, 0, False)  # --pods for an environment without "pods"
        result = health(client, 'qa', 'a', 'P')
        assert summary(result) == (3, 2, False)
        assert [(pod['workerPodIp'], pod['servedPath']) for pod in result['pods']] == [
            ('http://gw-a:8091', '/a'), ('http://10.0.2.12:8091', None), ('http://10.0.2.13:8091', '/old')]
        assert summary(health(client, 'qa', 'a', 'P')) == (3, 1, False)  # the pending undeploy reached pod 2
    finally:
        assert server.stop() == 0


@pytest.mark.parametrize('pods,fragment', [
    (-1, 'environments[0].pods: must be from 0 to 64'),
    (65, 'environments[0].pods: must be from 0 to 64'),
    ('2', 'environments[0].pods: must be a number of pods or an array of pods'),
    (True, 'must be a number of pods or an array of pods'),
    ([{}] * 65, 'at most 64 pods'),
    ([1], 'pods[0]: a pod must be an object'),
    ([{'ip': 'x'}], 'pods[0]: Unrecognized field "ip"'),
    ([{'workerPodIp': ''}], 'pods[0]: Field "workerPodIp" must not be empty'),
    ([{'routes': []}], '"routes" must be an object'),
    ([{'routes': {'nope': {}}}], '"routes.nope" names no API proxy of the project'),
    ([{'routes': {'a': {'methods': 'GET'}}}], 'Field "routes.a.methods" must be an array of strings'),
    ([{'routes': {'a': {'path': '/a'}}}], 'Unrecognized field "routes.a.path"'),
    ([{'pending': {'a': {'polls': -1}}}], 'Field "pending.a.polls" must be from 0'),
    ([{'pending': {'a': {'route': None, 'wait': 1}}}], 'Unrecognized field "pending.a.wait"'),
])
def test_bad_seeded_pods_are_rejected(client, pods, fragment):
    seed = {'projects': {'P': {'environments': [{'name': 'prod', 'pods': pods}], 'apiProxies': [{'name': 'a'}]}}}
    response = client.request('POST', '/_emulator/reset', seed, token=None)
    assert response.status == 400 and fragment in response.json['error_description'], response
    assert response.json['error_description'].startswith('Invalid seed: projects.P.environments[0].pods'), response
    assert summary(health(client, 'production', 'orders-api')) == (2, 2, True)


# ---- bad admin bodies, rename ----------------------------------------------------------------------------

@pytest.mark.parametrize('path,body,fragment', [
    ('pods', [1], 'a pod behaviour must be a JSON object'),
    ('pods', {'environment': 'test'}, 'Field "behaviour" must be one of lag, stuck, orphan, silent, error, got null'),
    ('pods', {'environment': 'test', 'behaviour': 'slow'}, 'must be one of lag, stuck, orphan, silent, error, got "slow"'),
    ('pods', {'environment': 'test', 'behaviour': 1}, 'got integer'),
    ('pods', {'environment': 'test', 'behaviour': 'lag'}, 'Field "polls" (1 to 1000 route-health reads) is required for "lag"'),
    ('pods', {'environment': 'test', 'behaviour': 'lag', 'polls': 0}, 'Field "polls" (1 to 1000'),
    ('pods', {'environment': 'test', 'behaviour': 'lag', 'polls': True}, 'Field "polls" (1 to 1000'),
    ('pods', {'environment': 'test', 'behaviour': 'stuck', 'polls': 1}, 'Field "polls" is only for "lag"'),
    ('pods', {'environment': 'test', 'behaviour': 'silent', 'message': 'x'}, 'Field "message" is only for "error"'),
    ('pods', {'environment': 'test', 'behaviour': 'error', 'message': ''}, 'Field "message" must be a non-empty string'),
    ('pods', {'environment': 'test', 'behaviour': 'stuck', 'times': 0}, 'Field "times" must be from 1 to 1000'),
    ('pods', {'behaviour': 'stuck'}, 'Field "environment" (an environment name) is required'),
    ('pods', {'environment': 'mars', 'behaviour': 'stuck'}, 'No environment mars'),
    ('pods', {'environment': 'test', 'project': 'Nope', 'behaviour': 'stuck'}, 'No project Nope'),
    ('pods', {'environment': 'test', 'project': 'My Project/Team', 'behaviour': 'stuck'},
     'No environment test in project My Project/Team'),
    ('pods', {'environment': 'test', 'project': 1, 'behaviour': 'stuck'}, 'Field "project" must be a string'),
    ('pods', {'environment': 'test', 'behaviour': 'stuck', 'pod': 2}, 'Environment test has no pod 2 (pods are counted from 0)'),
    ('pods', {'environment': 'test', 'behaviour': 'stuck', 'pod': -1}, 'Field "pod" must be a pod index (0 or more)'),
    ('pods', {'environment': 'test', 'behaviour': 'stuck', 'pod': False}, 'Field "pod" must be a pod index'),
    ('pods', {'environment': 'test', 'behaviour': 'stuck', 'proxy': 'nope'}, 'No API proxy nope'),
    ('pods', {'environment': 'test', 'behaviour': 'stuck', 'proxy': ''}, 'Field "proxy" must be an API proxy name'),
    ('pods', {'environment': 'test', 'behaviour': 'stuck', 'pods': 1}, 'Unrecognized field "pods" in this request'),
    ('pods/count', {'environment': 'test', 'count': 65}, 'Field "count" must be a number of pods from 0 to 64'),
    ('pods/count', {'environment': 'test', 'count': -1}, 'Field "count" must be a number of pods from 0 to 64'),
    ('pods/count', {'environment': 'test', 'count': True}, 'Field "count" must be a number of pods'),
    ('pods/count', {'environment': 'test'}, 'Field "count" must be a number of pods'),
    ('pods/count', {'count': 1}, 'Field "environment" (an environment name) is required'),
    ('pods/count', {'environment': 'test', 'count': 1, 'pod': 0}, 'Unrecognized field "pod" in this request'),
    ('pods/count', 'x', 'a pod count must be a JSON object'),
])
def test_bad_pod_admin_bodies(client, path, body, fragment):
    before = client.admin('GET', '/_emulator/pods')
    response = client.request('POST', '/_emulator/' + path, body, token=None)
    assert response.status == 400 and fragment in response.json['error_description'], response
    assert response.json['error'] == 'bad_request'
    assert client.admin('GET', '/_emulator/pods') == before


def test_pod_admin_endpoint_errors(client, newer):
    for target in (client, newer):  # admin errors are in the seed style's body whatever --api-style says
        response = target.request('DELETE', '/_emulator/pods/99', token=None)
        assert response.status == 404 and response.json == {'error': 'not_found', 'error_description': 'No pod behaviour 99'}
    response = client.request('POST', '/_emulator/pods', raw=b'{"environment":', token=None,
                              headers={'Content-Type': 'application/json'})
    assert response.status == 400 and 'Malformed JSON body' in response.json['error_description']
    assert client.request('PUT', '/_emulator/pods', {}, token=None).status == 404


def test_a_renamed_proxy_keeps_its_routes(newer):
    deploy(newer)
    arm(newer, behaviour='silent', pod=1)  # armed for the old name: it no longer applies after the rename
    assert summary(health(newer)) == (1, 1, True)
    arm(newer, behaviour='lag', polls=1, proxy='orders-api', environment='production')
    deploy(newer, 'production', 'orders-api')
    assert newer.patch(proxy_path(NAME, 'settings', 'metadata'), {'name': 'clients'}).status == 200
    assert newer.patch(proxy_path('orders-api', 'settings', 'metadata'), {'name': 'orders'}).status == 200
    result = health(newer, 'test', 'clients')
    assert summary(result) == (2, 2, True) and result['servedPath'] == '/customer-api' and result['inconsistent'] is False
    error_b(newer.get(proxy_path(NAME, 'environments', 'test', 'route-health')), 400,
            'ApiProxy with name (customer api) is not found!')
    pods = [env for env in newer.admin('GET', '/_emulator/pods')['environments'] if env['environment'] == 'production']
    assert 'orders' in pods[0]['pods'][0]['pending'] and 'orders-api' not in pods[0]['pods'][0]['routes']
    assert summary(health(newer, 'production', 'orders')) == (2, 2, True)  # the old route, until the load arrives
    assert health(newer, 'production', 'orders')['pods'][0]['servedPath'] == '/orders-api'
    assert [pod['routes']['orders']['revision'] for pod in newer.admin('GET', '/_emulator/pods')['environments'][0]['pods']] == [8, 8]
