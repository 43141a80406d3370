# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of the admin endpoints: the request log, the state dump, reset with a seed, loopback only.

Run: python -m pytest -q tests/emulator
"""

from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit

import pytest

from emulator_helpers import TOKEN, WEBSOCKET_DEFAULTS, Client, Emulator, api, connection_path, proxy_path


# ---- admin: request log, state, reset ------------------------------------------------------------------

def test_request_log(client):
    client.admin('DELETE', '/_emulator/requests')
    client.get(api('projects', 'My Project/Team', 'apiProxies', 'inventory/v2'))
    client.patch(proxy_path('orders-api', 'settings', 'maintenance-mode'), {'enabled': True})
    client.get(api('projects', 'Demo', 'connections') + '?type=email&x=1&x=2')
    client.get(proxy_path('orders-api'), token='wrong-token-value')
    client.post(connection_path('new-one'), {'type': 'email', 'name': 'new-one', 'host': 'h', 'password': 'pw-in-body'})
    log = client.log()
    assert log[0] == {'method': 'GET', 'path': '/apiops/projects/My Project/Team/apiProxies/inventory/v2/',
                      'raw_path': '/apiops/projects/My%20Project%2FTeam/apiProxies/inventory%2Fv2/',
                      'query': {}, 'body': None, 'status': 200}
    assert log[1] == {'method': 'PATCH', 'path': '/apiops/projects/Demo/apiProxies/orders-api/settings/maintenance-mode/',
                      'raw_path': '/apiops/projects/Demo/apiProxies/orders-api/settings/maintenance-mode/',
                      'query': {}, 'body': {'enabled': True}, 'status': 200}
    assert log[2]['query'] == {'type': 'email', 'x': ['1', '2']}
    assert log[3]['status'] == 401
    assert log[4]['body']['password'] == 'pw-in-body' and log[4]['status'] == 200
    assert len(log) == 5
    text = json.dumps(log)
    assert TOKEN not in text and 'wrong-token-value' not in text and 'Authorization' not in text
    assert client.admin('DELETE', '/_emulator/requests') == {'cleared': 5}
    assert client.log() == []


def test_state_dump_round_trips_through_reset(client):
    last = client.last_revision('orders-api')
    client.patch(proxy_path('orders-api', 'settings', 'connection'), {'readTimeout': 77})
    client.post(proxy_path('orders-api', 'environments', 'test'))
    state = client.admin('GET', '/_emulator/state')
    demo = state['projects']['Demo']
    orders = [p for p in demo['apiProxies'] if p['name'] == 'orders-api'][0]
    assert orders['routing']['readTimeout'] == 77
    assert orders['deployments']['test']['revision'] == last + 1 == orders['lastRevision']
    assert orders['deployments']['production']['redeployRequired'] is True
    assert [env for env in demo['environments'] if env['name'] == 'staging'][0]['failDeploy'] == 'Gateway pods unreachable'
    client.admin('POST', '/_emulator/reset')
    assert client.proxy('orders-api')['routing']['readTimeout'] == 60
    client.admin('POST', '/_emulator/reset', state)
    assert client.admin('GET', '/_emulator/state') == state
    assert client.proxy('orders-api')['routing']['readTimeout'] == 77


def test_reset_with_a_seed(client):
    seed = {'projects': {'P': {
        'environments': [{'name': 'prod', 'type': 'PRODUCTION'}, {'name': 'qa', 'failDeploy': 'QA is down'}],
        'apiProxies': [{'name': 'ws', 'type': 'WEBSOCKET', 'description': 'seeded',
                        'routing': {'connectTimeout': 5, 'websocketSettings': {'autoReconnect': True}},
                        'maintenanceModeSetting': {'enabled': True},
                        'deployments': {'prod': {'deployed': True, 'redeployRequired': True, 'revision': 4}}},
                       {'name': 'r2', 'deploymentList': [{'environmentName': 'qa', 'deployed': True,
                                                          'redeployRequired': False}]}],
        'connections': [{'type': 'webhook', 'name': 'hook', 'fullUrl': 'https://h'}]}}}
    client.request('GET', '/apiops/test/healthcheck')
    assert client.admin('POST', '/_emulator/reset', seed) == {'reset': True, 'projects': ['P']}
    assert client.log() == []
    assert client.get(proxy_path('orders-api')).status == 404
    proxy = client.proxy('ws', project='P')
    assert proxy['routing']['connectTimeout'] == 5 and proxy['routing']['readTimeout'] == 60
    assert proxy['routing']['websocketSettings'] == dict(WEBSOCKET_DEFAULTS, autoReconnect=True)
    assert proxy['maintenanceModeSetting']['enabled'] is True and proxy['maintenanceModeSetting']['httpStatusCode'] == 403
    assert proxy['deploymentList'] == [{'environmentName': 'prod', 'deployed': True, 'redeployRequired': True},
                                       {'environmentName': 'qa', 'deployed': False, 'redeployRequired': False}]
    assert client.get(api('projects', 'P', 'apiProxies', 'ws', 'environments', 'prod', 'deploy-status')).json[
        'resultList'][0]['revision'] == 4
    assert client.proxy('r2', project='P')['deploymentList'][1]['deployed'] is True
    assert client.get(connection_path('hook', 'P')).json['resultList'][0]['httpMethod'] == 'GET'
    client.admin('POST', '/_emulator/reset')
    assert client.proxy('orders-api')['name'] == 'orders-api'


@pytest.mark.parametrize('seed,fragment', [
    ({'projects': {'P': {'apiProxies': [{'name': 'a', 'routing': {'readTimeout': 'x'}}]}}},
     'projects.P.apiProxies[0]: Field "routing.readTimeout" must be an integer'),
    ({'projects': {'P': {'apiProxies': [{'name': 'a', 'deployments': ['prod']}]}}}, 'unknown environment prod'),
    ({'projects': {'P': {'apiProxies': [{'name': 'a', 'routing': {'websocketSettings': {}}}]}}}, 'only for WEBSOCKET'),
    ({'projects': {'P': {'connections': [{'type': 'email', 'name': 'm'}]}}}, 'projects.P.connections[0]: Field "host"'),
    ({'projects': {'P': {'environments': [{'name': 'e', 'type': 'DOCKER'}]}}}, 'PRODUCTION, SANDBOX, TEST'),
    ({'project': {}}, 'unknown top-level key'),
    ({'projects': {'P': {'apiProxies': [{'name': 'a', 'sharingType': 'WORLD'}]}}}, 'PROJECT'),
])
def test_reset_rejects_an_invalid_seed(client, seed, fragment):
    response = client.request('POST', '/_emulator/reset', seed, token=None)
    assert response.status == 400 and fragment in response.json['error_description'], response
    assert client.proxy('orders-api')['name'] == 'orders-api'


def test_admin_refuses_other_hosts():
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(('192.0.2.1', 9))
        address = probe.getsockname()[0]
    except OSError:
        address = None
    finally:
        probe.close()
    if not address or address.startswith('127.'):
        pytest.skip('no non-loopback address on this machine')
    server = Emulator('--host', '0.0.0.0')
    try:
        port = urlsplit(server.url).port
        remote = Client('http://%s:%d' % (address, port))
        response = remote.request('GET', '/_emulator/state', token=None)
        assert response.status == 403
        assert remote.get(proxy_path('orders-api')).status == 200
        assert Client('http://127.0.0.1:%d' % port).admin('GET', '/_emulator/requests')[0]['status'] == 200
    finally:
        server.stop()
