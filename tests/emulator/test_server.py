# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of the emulator process and its HTTP: start and stop, seeds on the command line, health,
auth, request bodies, keep-alive, TLS, logs, start options.

Run: python -m pytest -q tests/emulator
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import signal
import ssl
import subprocess
import tempfile
import time

import pytest

from emulator_helpers import SEED, TOKEN, Client, Emulator, bad_request, connection_path, error_a, error_b, proxy_path


# ---- process, start, health, auth ---------------------------------------------------------------

def test_start_prints_base_url_fast_and_stops_cleanly():
    server = Emulator('--token', 'custom-token')
    try:
        assert server.url.startswith('http://127.0.0.1:')
        # A guard against a hang, not a speed target: start-up time is measured in docs/emulator.md.
        assert server.startup_seconds < 10.0, server.startup_seconds
        client = Client(server.url, token='custom-token')
        assert client.get(proxy_path('orders-api')).status == 200
        assert client.get(proxy_path('orders-api'), token=TOKEN).status == 401
    finally:
        assert server.stop(signal.SIGINT) == 0


def test_bad_seed_fails_before_the_url():
    with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as handle:
        json.dump({'projects': {'P': {'apiProxies': [{'name': 'x', 'type': 'HTTP'}]}}}, handle)
    try:
        server = Emulator('--seed', handle.name)
        assert server.url == ''
        assert server.stop() == 2
        assert 'projects.P.apiProxies[0]' in server.stderr_text()
        assert 'REST, SOAP, GRPC, WEBSOCKET' in server.stderr_text()
    finally:
        os.unlink(handle.name)


def test_seed_option_loads_another_seed():
    with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as handle:
        json.dump({'projects': {'Other': {'environments': [{'name': 'prod'}], 'apiProxies': [{'name': 'one'}]}}}, handle)
    server = Emulator('--seed', handle.name)
    try:
        client = Client(server.url)
        assert client.proxy('one', project='Other')['type'] == 'REST'
        error_a(client.get(proxy_path('orders-api')), 404, "Project 'Demo' not found", 'not_found')
    finally:
        server.stop()
        os.unlink(handle.name)


def test_healthcheck_needs_no_token(client):
    response = client.get('/apiops/test/healthcheck', token=None)
    assert response.status == 200
    assert response.text == 'OK'
    assert response.headers['Content-Type'].startswith('text/plain')


def test_missing_and_wrong_token_seed_style(client):
    for token in (None, 'wrong', ''):
        error_a(client.get(proxy_path('orders-api'), token=token), 401, 'Invalid token', 'unauthorized_client')
    error_a(client.patch(proxy_path('orders-api', 'settings', 'metadata'), {'description': 'x'}, token='nope'),
            401, 'Invalid token', 'unauthorized_client')
    for header in ('bearer ' + TOKEN, 'Bearer  ' + TOKEN, TOKEN, 'Basic ' + TOKEN):
        assert client.get(proxy_path('orders-api'), token=None, headers={'Authorization': header}).status == 401
    assert client.proxy('orders-api')['description'] == 'Orders API'


def test_missing_and_wrong_token_newer_style(newer):
    error_b(newer.get(proxy_path('orders-api'), token='wrong'), 401, 'Token is not valid!')
    error_b(newer.get(proxy_path('orders-api'), token=None), 401,
            'Empty Key! Client must be authenticated to access this resource.')


def test_auth_is_checked_before_routing(client):
    assert client.get('/apiops/no/such/thing/', token=None).status == 401
    assert client.get('/apiops/no/such/thing/').status == 404


# ---- request bodies ------------------------------------------------------------------------------------------

def test_write_bodies_must_be_json_objects(client):
    path = proxy_path('orders-api', 'settings', 'maintenance-mode')
    bad_request(client.request('PATCH', path, raw=b'{"enabled": true}'), 'Content-Type')
    bad_request(client.request('PATCH', path, raw=b'{"enabled": true}', headers={'Content-Type': 'text/plain'}),
                'Content-Type')
    json_header = {'Content-Type': 'application/json'}
    bad_request(client.request('PATCH', path, raw=b'', headers=json_header), 'body is missing')
    bad_request(client.request('PATCH', path, raw=b'{"enabled": tru', headers=json_header), 'Malformed JSON')
    bad_request(client.request('PATCH', path, raw=b'[1]', headers=json_header), 'JSON object', 'array')
    bad_request(client.request('PATCH', path, raw=b'{"enabled": true, "enabled": false}', headers=json_header), 'duplicate')
    bad_request(client.request('PATCH', path, raw=b'{"httpStatusCode": NaN}', headers=json_header), 'Malformed JSON')
    response = client.request('PATCH', path, raw=b'{"enabled": true}',
                              headers={'Content-Type': 'application/json; charset=utf-8'})
    assert response.status == 200
    bad_request(client.post(connection_path('x'), ['type']), 'JSON object')


def test_chunked_request_body(client):
    conn = client.connection()
    try:
        conn.putrequest('PATCH', proxy_path('orders-api', 'settings', 'maintenance-mode'))
        conn.putheader('Authorization', 'Bearer ' + TOKEN)
        conn.putheader('Content-Type', 'application/json')
        conn.putheader('Transfer-Encoding', 'chunked')
        conn.endheaders()
        for chunk in (b'{"enabled": ', b'true}'):
            conn.send(b'%x\r\n%s\r\n' % (len(chunk), chunk))
        conn.send(b'0\r\n\r\n')
        assert conn.getresponse().status == 200
    finally:
        conn.close()
    assert client.proxy('orders-api')['maintenanceModeSetting']['enabled'] is True


def test_keep_alive(client):
    conn = client.connection()
    try:
        for attempt in range(5):
            response = client.get(proxy_path('orders-api'), conn=conn)
            assert response.status == 200, attempt
        assert client.get(proxy_path('nope'), conn=conn).status == 404
        assert client.patch(proxy_path('orders-api', 'settings', 'metadata'), {'x': 1}, conn=conn).status == 400
        assert client.get(proxy_path('orders-api'), conn=conn).status == 200
        # one write per answer: no 40 ms Nagle / delayed-ACK stall on a kept-alive connection
        started = time.monotonic()
        for attempt in range(20):
            assert client.patch(proxy_path('orders-api', 'settings', 'maintenance-mode'), {'enabled': True},
                                conn=conn).status == 200, attempt
        assert time.monotonic() - started < 0.75  # a delayed-ACK stall costs 40 ms each: 0.8 s
    finally:
        conn.close()


# ---- TLS and logs ------------------------------------------------------------------------------------------

@pytest.mark.skipif(not shutil.which('openssl'), reason='needs the openssl command')
def test_tls(tmp_path):
    cert, key = str(tmp_path / 'cert.pem'), str(tmp_path / 'key.pem')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
                    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert],
                   check=True, capture_output=True)
    server = Emulator('--tls-cert', cert, '--tls-key', key)
    try:
        assert server.url.startswith('https://127.0.0.1:'), server.stderr_text()
        context = ssl.create_default_context(cafile=cert)
        client = Client(server.url, context=context)
        assert client.proxy('orders-api')['name'] == 'orders-api'
        conn = client.connection()
        try:
            for attempt in range(3):
                assert client.get(proxy_path('live-feed'), conn=conn).status == 200, attempt
        finally:
            conn.close()
        # a client that does not trust the certificate fails the handshake; the server carries on
        with pytest.raises(ssl.SSLError):
            Client(server.url, context=ssl.create_default_context()).get(proxy_path('orders-api'))
        assert client.get('/apiops/test/healthcheck').text == 'OK'
    finally:
        assert server.stop() == 0


def test_stderr_never_holds_the_token_or_secrets():
    server = Emulator('--token', 'very-secret-token-42')
    try:
        client = Client(server.url, token='very-secret-token-42')
        client.post(connection_path('leak'), {'type': 'email', 'name': 'leak', 'host': 'h', 'auth': True,
                                              'username': 'u', 'password': 'pw-SeKrEt-1'})
        client.get(connection_path('leak'))
        client.put(connection_path('leak'), {'type': 'email', 'host': 'h', 'auth': True, 'username': 'u',
                                             'password': 'pw-SeKrEt-2'})
        client.get(proxy_path('orders-api'), token='wrong-SeKrEt-token')
        client.patch(proxy_path('orders-api', 'settings', 'maintenance-mode'), {'message': 'SeKrEt message'})
        client.request('PATCH', proxy_path('orders-api', 'settings', 'maintenance-mode'), raw=b'{"message": "SeKrEt',
                       headers={'Content-Type': 'application/json'})
    finally:
        assert server.stop() == 0
    log = server.stderr_text()
    assert '/apiops/projects/Demo/connections/leak/' in log  # it does log requests
    assert 'very-secret-token-42' not in log and 'SeKrEt' not in log


def test_quiet_writes_no_access_log():
    server = Emulator('--quiet')
    try:
        assert Client(server.url).get(proxy_path('orders-api')).status == 200
    finally:
        server.stop()
    assert server.stderr_text() == ''


def test_example_seed_content():
    """The example seed holds what the demo and the integration tests rely on."""
    demo = SEED['projects']['Demo']
    assert [env['name'] for env in demo['environments']] == ['production', 'test', 'staging']
    proxies = {proxy['name']: proxy for proxy in demo['apiProxies']}
    assert {'orders-api', 'payments-api', 'customer api', 'live-feed', 'legacy-soap', 'partner-api'} <= set(proxies)
    assert proxies['partner-api']['sharingType'] == 'PROJECT'
    connections = {c['name']: c for c in demo['connections']}
    assert connections['smtp-alerts']['auth'] is True and connections['smtp-alerts']['password']
    assert connections['orders-db']['type'] == 'database'
    team = SEED['projects']['My Project/Team']
    assert team['apiProxies'][0]['name'] == 'inventory/v2'
    assert copy.deepcopy(SEED) == SEED


def test_bad_start_options():
    for args in (['--proxy-detail', 'some'], ['--latency-ms', '-1'], ['--deploy-latency-ms', 'x']):
        server = Emulator(*args)
        assert server.url == ''
        assert server.stop() == 2, args
        assert 'usage:' in server.stderr_text()
