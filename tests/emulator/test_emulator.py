# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of the Apinizer emulator, over HTTP against running instances (subprocesses).

Run: python -m pytest -q tests/emulator
"""

from __future__ import annotations

import copy
import http.client
import io
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from urllib.parse import quote, urlsplit

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
EMULATOR = os.path.join(HERE, 'apinizer_emulator.py')
SEED_FILE = os.path.join(HERE, 'seed.json')
TOKEN = 'apinizer-demo-token'

with open(SEED_FILE, encoding='utf-8') as _handle:
    SEED = json.load(_handle)

CONNECTION_SETTINGS = {
    'connectionSettingsEnabled': True, 'connectTimeout': 11, 'readTimeout': 12, 'connectionRequestTimeout': 13,
    'redirectsEnabled': False, 'maxRedirects': 4, 'relativeRedirectsAllowed': False, 'disableContentCompression': True,
    'enableStreaming': True, 'retryCount': 2, 'failoverRetryCount': 1, 'ignoreRoutingError': True,
    'connectionPoolManagementType': 'CUSTOM', 'customConnectionPoolSize': 20,
    'validateAfterInactivity': 1500, 'idleConnectionTimeout': 45, 'queryEncodingMode': 'RFC3986',
    'hopByHopHeaders': ['X-Internal'], 'sendUserAgentToBackend': False, 'userAgentValue': 'apinizer-test',
    'doNotRouteZeroValueContentLength': True, 'enableDownload': True, 'useByteArrayForCompressedResponse': True,
}
WEBSOCKET_DEFAULTS = {
    'connectionLostTimeout': 60, 'reuseAddr': False, 'connectTimeout': 30, 'maxRetries': 3, 'retryDelay': 1000,
    'autoReconnect': False, 'autoReconnectMaxRetries': 5, 'autoReconnectRetryDelay': 2000,
}
METADATA = {
    'description': 'new description', 'categoryList': ['A', 'B'], 'sharingType': 'EXTERNAL',
    'requestBodyReadBehavior': 'READ_IF_POLICY_EXISTS', 'responseBodyReadBehavior': 'NEVER_READ',
    'direction': 'REQUEST_ONLY', 'disableDirectAccessToGateways': True,
    'globalApiProxySettingName': 'Default Global Settings', 'backendProxyApplyPolicies': True,
}

# A minimal valid body per connection type, and defaults the emulator must fill in.
MINIMAL_CONNECTIONS = {
    'activeMq': ({'activeMqConnectionProtocolType': 'TCP', 'brokerURL': 'tcp://mq.example.com:61616',
                  'destinationType': 'QUEUE', 'destinationName': 'orders'},
                 {'sessionAcknowledgement': 'AUTO_ACKNOWLEDGE', 'sendTimeout': 60000, 'password': None}),
    'database': ({'dbType': 'POSTGRES', 'jdbcUrl': 'jdbc:postgresql://db:5432/x', 'username': 'u', 'password': 'p'},
                 {'useCredentials': True, 'maxPoolSize': 5, 'maxIdleTime': 120000, 'testConnectionOnCheckout': True}),
    'elasticsearch': ({'elasticHostList': [{'host': 'es1.example.com'}]},
                      {'elasticHostList': [{'scheme': 'http', 'host': 'es1.example.com', 'port': 9200}],
                       'elasticsearchType': 'READ_WRITE', 'elasticsearchMajorVersion': 'AUTO_DETECT',
                       'bulkMaxBatchSize': 2500, 'connectionTimeoutInMs': 5000}),
    'email': ({'host': 'smtp.example.com'}, {'port': 587, 'auth': False, 'defaultEncoding': 'UTF-8', 'additionalProperties': []}),
    'ftp': ({'host': 'ftp.example.com', 'username': 'u', 'password': 'p', 'protocol': 'SFTP'},
            {'port': 21, 'workingDir': '/', 'timeout': 30000, 'retryCount': 3, 'useImplicit': False}),
    'graylog': ({'hostname': 'graylog.example.com'},
                {'port': 12201, 'transportType': 'TCP', 'gelfMessageLevel': 'INFO', 'sendBufferSize': -1, 'tcpNoDelay': True}),
    'kafka': ({'topicName': 't', 'propertiesMap': {
        'bootstrap.servers': {'value': 'k:9092', 'valueType': 'STRING'},
        'key.serializer': {'value': 'S', 'valueType': 'STRING'},
        'value.serializer': {'value': 'S', 'valueType': 'STRING'}}},
        {'enableSecure': False, 'protocolTypes': [], 'keyStoreId': None}),
    'ldap': ({'serverAddress': 'ldaps://ldap.example.com:636', 'username': 'cn=bind', 'password': 'p', 'baseDn': 'dc=example'},
             {'searchScope': 'SUBTREE', 'requireCertificateType': 'NOT_REQUIRED', 'useSsl': False}),
    'linux-script': ({'hostName': 'scripts.example.com', 'username': 'u', 'password': 'p'}, {'sshPort': 22}),
    'logback': ({}, {'logPath': '/path/to/logs/', 'logFileName': 'ApinizerApiProxyTraffic', 'logPodName': 'apinizer-emulator',
                     'maxFileSize': 25}),
    'rabbitMq': ({'hostPortList': [{}]},
                 {'hostPortList': [{'host': 'localhost', 'port': 5672}], 'connectionFactoryVirtualHost': '/',
                  'connectionFactoryRequestedChannelMax': 2047, 'basicPropertiesAppId': 'apinizer', 'channelExchange': ''}),
    'snmp': ({'version': 'V2c', 'connectionString': 'udp:192.0.2.1/162', 'securityOrCommunityName': 'public',
              'pduOidForMessage': '1.3.6.1.4.1'}, {'pduVariableMap': {}, 'privacyProtocolList': [], 'enableUserAuthentication': False}),
    'syslog': ({'syslogServerHostname': 'syslog.example.com'},
               {'syslogPort': 514, 'syslogFacility': 'AUDIT', 'syslogSeverity': 'INFORMATIONAL', 'syslogMessageFormat': 'RFC_3164'}),
    'webhook': ({'fullUrl': 'https://hooks.example.com/x'},
                {'httpMethod': 'GET', 'timeout': 2, 'headerList': [], 'connectionPoolMaxConnectionTotal': 48}),
}


def api(*segments):
    """An /apiops path the way the collection builds it: every segment percent-encoded, trailing '/'."""
    return '/apiops/' + '/'.join(quote(segment, safe='') for segment in segments) + '/'


def proxy_path(name, *more, project='Demo'):
    return api('projects', project, 'apiProxies', name, *more)


def connection_path(name, project='Demo'):
    return api('projects', project, 'connections', name)


class Response(object):
    def __init__(self, status, headers, data):
        self.status = status
        self.headers = headers
        self.data = data
        self.text = data.decode('utf-8', 'replace')

    @property
    def json(self):
        return json.loads(self.text)

    def __repr__(self):
        return '<Response %s %s>' % (self.status, self.text[:300])


class Client(object):
    """Plain http.client calls: exact paths, headers and bodies, no client-side normalisation."""

    def __init__(self, base, token=TOKEN, context=None):
        parts = urlsplit(base)
        self.base = base
        self.scheme, self.host, self.port = parts.scheme, parts.hostname, parts.port
        self.token = token
        self.context = context

    def connection(self, timeout=10):
        if self.scheme == 'https':
            return http.client.HTTPSConnection(self.host, self.port, timeout=timeout, context=self.context)
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method, path, body=None, token='default', headers=None, raw=None, conn=None):
        headers = dict(headers or {})
        token = self.token if token == 'default' else token
        if token is not None:
            headers.setdefault('Authorization', 'Bearer %s' % token)
        data = raw
        if body is not None:
            data = json.dumps(body).encode('utf-8')
            headers.setdefault('Content-Type', 'application/json')
        own = conn is None
        conn = conn or self.connection()
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            return Response(response.status, response.headers, response.read())
        finally:
            if own:
                conn.close()

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def patch(self, path, body, **kwargs):
        return self.request('PATCH', path, body, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.request('POST', path, body, **kwargs)

    def put(self, path, body, **kwargs):
        return self.request('PUT', path, body, **kwargs)

    def delete(self, path, **kwargs):
        return self.request('DELETE', path, **kwargs)

    def admin(self, method, path, body=None):
        response = self.request(method, path, body, token=None)
        assert response.status == 200, response
        return response.json

    # shortcuts
    def proxy(self, name, project='Demo'):
        response = self.get(proxy_path(name, project=project))
        assert response.status == 200, response
        body = response.json
        assert body['success'] is True and body['resultCount'] == 1
        return body['resultList'][0]

    def deployment(self, name, env):
        return dict((d['environmentName'], d) for d in self.proxy(name)['deploymentList'])[env]

    def deploy_status(self, name, env):
        response = self.get(proxy_path(name, 'environments', env, 'deploy-status'))
        assert response.status == 200, response
        return response.json['resultList'][0]

    def connection_object(self, name, project='Demo'):
        response = self.get(connection_path(name, project))
        assert response.status == 200, response
        return response.json['resultList'][0]

    def log(self):
        return self.admin('GET', '/_emulator/requests')


class Emulator(object):
    def __init__(self, *args):
        self.stderr = tempfile.TemporaryFile()
        started = time.monotonic()
        self.process = subprocess.Popen([sys.executable, EMULATOR, '--port', '0'] + list(args),
                                        stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        self.url = self.process.stdout.readline().strip()
        self.startup_seconds = time.monotonic() - started

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            code = self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.process.stdout.close()
        return code

    def stderr_text(self):
        self.stderr.seek(0)
        return self.stderr.read().decode('utf-8', 'replace')


@pytest.fixture(scope='module')
def seed_server():
    server = Emulator()
    assert server.url.startswith('http://127.0.0.1:'), server.stderr_text()
    yield server
    assert server.stop() == 0


@pytest.fixture(scope='module')
def newer_server():
    server = Emulator('--api-style', 'newer')
    assert server.url.startswith('http://127.0.0.1:'), server.stderr_text()
    yield server
    assert server.stop() == 0


@pytest.fixture(scope='module')
def documented_server():
    server = Emulator('--proxy-detail', 'documented')
    assert server.url.startswith('http://127.0.0.1:'), server.stderr_text()
    yield server
    assert server.stop() == 0


@pytest.fixture
def client(seed_server):
    client = Client(seed_server.url)
    client.admin('POST', '/_emulator/reset')
    return client


@pytest.fixture
def newer(newer_server):
    client = Client(newer_server.url)
    client.admin('POST', '/_emulator/reset')
    return client


@pytest.fixture
def documented(documented_server):
    client = Client(documented_server.url)
    client.admin('POST', '/_emulator/reset')
    return client


def error_a(response, status, text, code=None):
    assert response.status == status, response
    body = response.json
    assert body['error_description'] == text, body
    if code:
        assert body['error'] == code, body
    assert response.headers['Content-Type'].startswith('application/json')


def error_b(response, status, text):
    assert response.status == status, response
    assert response.json == {'status': 'FAILURE', 'resultMessage': text}


def bad_request(response, *fragments):
    assert response.status == 400, response
    body = response.json
    text = body.get('error_description') or body.get('resultMessage')
    for fragment in fragments:
        assert fragment in text, text
    return text


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


# ---- GET proxy --------------------------------------------------------------------------------------

def test_get_proxy_reports_every_section(client):
    response = client.get(proxy_path('orders-api'))
    assert response.status == 200
    assert response.headers['Content-Type'] == 'application/json;charset=UTF-8'
    body = response.json
    assert set(body) == {'success', 'resultList', 'resultCount'}
    proxy = body['resultList'][0]
    for key in ('name', 'description', 'type', 'apiType', 'categoryList', 'sharingType', 'requestBodyReadBehavior',
                'responseBodyReadBehavior', 'direction', 'disableDirectAccessToGateways', 'globalApiProxySettingName',
                'backendProxyApplyPolicies', 'fixSoapApiPortType', 'routing', 'maintenanceModeSetting', 'deploymentList'):
        assert key in proxy, key
    assert proxy['type'] == proxy['apiType'] == 'REST'
    assert proxy['fixSoapApiPortType'] is None
    routing = proxy['routing']
    assert set(CONNECTION_SETTINGS) <= set(routing)
    assert routing['routingEnabled'] is True and routing['routingAddressList'][0]['weight'] == 100
    assert 'websocketSettings' not in routing
    assert routing['connectionSettingsEnabled'] is True
    assert proxy['maintenanceModeSetting'] == {'enabled': False, 'httpStatusCode': 403,
                                               'contentType': 'application/json; charset=utf-8',
                                               'message': 'API is under maintenance'}
    assert proxy['deploymentList'] == [
        {'environmentName': 'production', 'deployed': True, 'redeployRequired': False},
        {'environmentName': 'test', 'deployed': False, 'redeployRequired': False},
        {'environmentName': 'staging', 'deployed': False, 'redeployRequired': False}]


def test_get_proxy_defaults(client):
    proxy = client.proxy('customer api')
    assert proxy['sharingType'] == 'BOTH'
    assert proxy['requestBodyReadBehavior'] == proxy['responseBodyReadBehavior'] == 'ALWAYS_READ'
    assert proxy['direction'] == 'REQUEST_RESPONSE'
    assert proxy['disableDirectAccessToGateways'] is False
    routing = proxy['routing']
    expected = {'ignoreRoutingError': False, 'validateAfterInactivity': 2000, 'idleConnectionTimeout': 30,
                'queryEncodingMode': 'STANDARD', 'hopByHopHeaders': [], 'retryCount': 0, 'failoverRetryCount': 0,
                'connectionPoolManagementType': 'GENERAL', 'customConnectionPoolSize': None}
    assert dict((key, routing[key]) for key in expected) == expected
    websocket = client.proxy('live-feed')['routing']['websocketSettings']
    assert websocket == WEBSOCKET_DEFAULTS
    assert client.proxy('legacy-soap')['fixSoapApiPortType'] is False
    assert client.proxy('partner-api')['sharingType'] == 'PROJECT'
    assert client.proxy('pricing-grpc')['type'] == 'GRPC'


def test_get_proxy_not_found_both_styles(client, newer):
    error_a(client.get(proxy_path('nope')), 404, 'ApiProxy (name: nope) was not found!', 'not_found')
    error_b(newer.get(proxy_path('nope')), 400, 'ApiProxy (name: nope) was not found!')
    error_a(client.get(proxy_path('orders-api', project='Nope')), 404, "Project 'Nope' not found", 'not_found')
    error_b(newer.get(proxy_path('orders-api', project='Nope')), 400,
            'Project (Nope) is not found or user does not have privilege to access it!')
    bad_request(client.get('/apiops/projects/Demo/apiProxies//'), 'apiProxyName value can not be empty!')


def test_get_proxy_with_policies_query(client):
    assert client.get(proxy_path('orders-api') + '?withPolicies=true').status == 200
    bad_request(client.get(proxy_path('orders-api') + '?withPolicies=maybe'), 'withPolicies')


def test_list_proxies(client, newer):
    for each in (client, newer):
        body = each.get(api('projects', 'Demo', 'apiProxies')).json
        assert body['status'] == 'SUCCESS'
        names = [item['name'] for item in body['resultList']]
        assert names == sorted(names) and 'customer api' in names and body['resultCount'] == len(names)


def test_paths_need_the_trailing_slash(client, newer):
    response = client.get('/apiops/projects/Demo/apiProxies/orders-api')
    assert response.status == 404 and response.json['error'] == 'not_found'
    assert 'end with' in response.json['error_description']
    response = newer.get('/apiops/projects/Demo/apiProxies/orders-api')
    assert response.status == 404 and response.json['status'] == 'FAILURE'
    assert client.patch('/apiops/projects/Demo/apiProxies/orders-api/settings/metadata', {'description': 'x'}).status == 404
    assert client.proxy('orders-api')['description'] == 'Orders API'


def test_unknown_endpoint_and_method(client):
    assert client.get('/apiops/projects/Demo/apiProxies/orders-api/settings/other/').status == 404
    assert client.get('/nothing-here').status == 404
    response = client.put(proxy_path('orders-api'), {'name': 'x'})
    assert response.status == 405 and 'GET' in response.headers['Allow']
    assert client.get(proxy_path('orders-api', 'settings', 'metadata')).status == 405


def test_percent_encoded_names(client):
    assert client.get('/apiops/projects/Demo/apiProxies/customer%20api/').status == 200
    assert client.get('/apiops/projects/Demo/apiProxies/customer+api/').status == 404
    proxy = client.proxy('inventory/v2', project='My Project/Team')
    assert proxy['name'] == 'inventory/v2'
    assert client.get('/apiops/projects/My%20Project%2FTeam/apiProxies/inventory%2Fv2/').status == 200
    # a raw '/' is a path separator, not part of a name
    assert client.get('/apiops/projects/My%20Project/Team/apiProxies/inventory/v2/').status == 404
    # unicode: rename, then address it percent-encoded (UTF-8)
    name = 'Bestellungen-\u00fc\u4e2d'
    assert client.patch(proxy_path('orders-api', 'settings', 'metadata'), {'name': name}).status == 200
    assert client.get('/apiops/projects/Demo/apiProxies/%s/' % quote(name, safe='')).status == 200
    assert client.proxy(name)['name'] == name
    bad_request(client.get('/apiops/projects/Demo/apiProxies/%FF/'), 'percent-encoded')


def test_proxy_names_are_case_sensitive_connection_names_are_not(client):
    assert client.get(proxy_path('Orders-API')).status == 404
    assert client.connection_object('SMTP-Alerts')['name'] == 'smtp-alerts'


# ---- PATCH websocket ------------------------------------------------------------------------------

def test_websocket_flat_and_wrapped_bodies_are_alike(client):
    path = proxy_path('live-feed', 'settings', 'websocket')
    change = {'maxRetries': 5, 'autoReconnect': True}
    assert client.patch(path, change).json == {'success': True}
    after_flat = client.proxy('live-feed')
    client.admin('POST', '/_emulator/reset')
    assert client.patch(path, {'websocketSettings': change}).json == {'success': True}
    after_wrapped = client.proxy('live-feed')
    assert after_flat == after_wrapped
    expected = dict(WEBSOCKET_DEFAULTS, maxRetries=5, autoReconnect=True)
    assert after_wrapped['routing']['websocketSettings'] == expected


def test_websocket_partial_update_keeps_other_fields(client):
    path = proxy_path('live-feed', 'settings', 'websocket')
    assert client.patch(path, {'connectionLostTimeout': 120}).status == 200
    assert client.patch(path, {'websocketSettings': {'retryDelay': 2500}}).status == 200
    settings = client.proxy('live-feed')['routing']['websocketSettings']
    assert settings == dict(WEBSOCKET_DEFAULTS, connectionLostTimeout=120, retryDelay=2500)
    before = client.proxy('live-feed')
    assert client.patch(path, {'websocketSettings': {}}).status == 200
    assert client.proxy('live-feed')['routing'] == before['routing']


def test_websocket_on_other_proxy_types(client, newer):
    body = {'maxRetries': 5}
    for name in ('orders-api', 'legacy-soap', 'pricing-grpc'):
        error_a(client.patch(proxy_path(name, 'settings', 'websocket'), body), 400,
                'API Proxy type is not WEBSOCKET', 'bad_request')
    error_b(newer.patch(proxy_path('orders-api', 'settings', 'websocket'), {'websocketSettings': body}), 400,
            'API Proxy type is not WEBSOCKET')
    error_a(client.patch(proxy_path('nope', 'settings', 'websocket'), body), 404,
            'ApiProxy (name: nope) was not found!', 'not_found')


def test_websocket_validation(client):
    path = proxy_path('live-feed', 'settings', 'websocket')
    bad_request(client.patch(path, {'websocketSettings': {'maxRetries': 1}, 'autoReconnect': True}),
                'either', '"autoReconnect"')
    bad_request(client.patch(path, {'maxRetrys': 1}), '"maxRetrys"')
    bad_request(client.patch(path, {'websocketSettings': {'maxRetrys': 1}}), '"websocketSettings.maxRetrys"')
    bad_request(client.patch(path, {'websocketSettings': [1]}), 'websocketSettings', 'object')
    bad_request(client.patch(path, {'maxRetries': True}), '"maxRetries"', 'integer', 'boolean')
    bad_request(client.patch(path, {'maxRetries': '5'}), '"maxRetries"', 'integer', 'string')
    bad_request(client.patch(path, {'maxRetries': 5.5}), '"maxRetries"', 'integer')
    bad_request(client.patch(path, {'maxRetries': -1}), '"maxRetries"')
    bad_request(client.patch(path, {'maxRetries': 2 ** 31}), '"maxRetries"')
    bad_request(client.patch(path, {'reuseAddr': 1}), '"reuseAddr"', 'boolean')
    bad_request(client.patch(path, {'reuseAddr': None}), '"reuseAddr"', 'null')
    bad_request(client.patch(path, {'websocketSettings': {'reuseAddr': True}, 'deploy': True}),
                'deployTargetEnvironmentNameList')
    assert client.proxy('live-feed')['routing']['websocketSettings'] == WEBSOCKET_DEFAULTS
    assert client.deployment('live-feed', 'production')['redeployRequired'] is False


def test_websocket_wrapped_body_with_deploy(client):
    response = client.patch(proxy_path('live-feed', 'settings', 'websocket'),
                            {'websocketSettings': {'autoReconnect': True}, 'deploy': True,
                             'deployTargetEnvironmentNameList': ['production', 'test']})
    assert response.json == {'success': True, 'deploymentResult': {'success': True, 'deploymentResults': [
        {'environmentName': 'production', 'success': True, 'message': 'Deployment successful'},
        {'environmentName': 'test', 'success': True, 'message': 'Deployment successful'}]}}
    assert client.deploy_status('live-feed', 'production')['revision'] == 2
    assert client.deploy_status('live-feed', 'test')['revision'] == 1


# ---- PATCH connection settings ----------------------------------------------------------------------

def test_connection_settings_all_fields(client, newer):
    for each in (client, newer):
        assert each.patch(proxy_path('orders-api', 'settings', 'connection'), CONNECTION_SETTINGS).json == {'success': True}
        routing = each.proxy('orders-api')['routing']
        assert dict((key, routing[key]) for key in CONNECTION_SETTINGS) == CONNECTION_SETTINGS


def test_connection_settings_partial_update(client):
    before = client.proxy('orders-api')['routing']
    assert client.patch(proxy_path('orders-api', 'settings', 'connection'), {'readTimeout': 90}).status == 200
    after = client.proxy('orders-api')['routing']
    assert after == dict(before, readTimeout=90)


def test_connection_settings_custom_pool(client, newer):
    path = proxy_path('payments-api', 'settings', 'connection')
    message = 'Custom connection pool size is required when connectionPoolManagementType is CUSTOM'
    error_a(client.patch(path, {'connectionPoolManagementType': 'CUSTOM'}), 400, message, 'bad_request')
    error_b(newer.patch(path, {'connectionPoolManagementType': 'CUSTOM'}), 400, message)
    error_a(client.patch(path, {'connectionPoolManagementType': 'CUSTOM', 'customConnectionPoolSize': None}), 400, message)
    bad_request(client.patch(path, {'connectionPoolManagementType': 'CUSTOM', 'customConnectionPoolSize': 0}),
                'customConnectionPoolSize')
    # a size sent earlier does not count: the size goes in the same body
    assert client.patch(path, {'customConnectionPoolSize': 8}).status == 200
    error_a(client.patch(path, {'connectionPoolManagementType': 'CUSTOM'}), 400, message)
    assert client.patch(path, {'connectionPoolManagementType': 'CUSTOM', 'customConnectionPoolSize': 20}).status == 200
    error_a(client.patch(path, {'customConnectionPoolSize': None}), 400, message)
    routing = client.proxy('payments-api')['routing']
    assert (routing['connectionPoolManagementType'], routing['customConnectionPoolSize']) == ('CUSTOM', 20)
    assert client.patch(path, {'connectionPoolManagementType': 'NONE'}).status == 200


def test_connection_settings_validation(client):
    path = proxy_path('orders-api', 'settings', 'connection')
    bad_request(client.patch(path, {'connectionPoolManagementType': 'SHARED'}), 'GENERAL, CUSTOM, NONE')
    bad_request(client.patch(path, {'queryEncodingMode': 'RAW'}), 'STANDARD, RFC3986, PASSTHROUGH')
    bad_request(client.patch(path, {'deploy': True, 'deployTargetEnvironmentNameList': ['production']}), '"deploy"',
                '"deployTargetEnvironmentNameList"')
    bad_request(client.patch(path, {'hopByHopHeaders': ['X-A', 3]}), 'hopByHopHeaders[1]')
    bad_request(client.patch(path, {'hopByHopHeaders': 'X-A'}), 'hopByHopHeaders', 'array')
    bad_request(client.patch(path, {'connectTimeout': '30'}), '"connectTimeout"', 'integer')
    bad_request(client.patch(path, {'redirectsEnabled': 'true'}), '"redirectsEnabled"', 'boolean')
    bad_request(client.patch(path, {'userAgentValue': 5}), '"userAgentValue"', 'string')
    bad_request(client.patch(path, {'retryDelayType': 'FIXED'}), '"retryDelayType"')
    assert client.patch(path, {'queryEncodingMode': None, 'userAgentValue': None}).status == 200
    assert client.proxy('orders-api')['routing']['queryEncodingMode'] == 'STANDARD'


# ---- PATCH metadata ------------------------------------------------------------------------------------

def test_metadata_all_fields_and_partial_update(client):
    path = proxy_path('orders-api', 'settings', 'metadata')
    assert client.patch(path, METADATA).json == {'success': True}
    proxy = client.proxy('orders-api')
    assert dict((key, proxy[key]) for key in METADATA) == METADATA
    assert client.patch(path, {'description': ''}).status == 200
    after = client.proxy('orders-api')
    assert after['description'] == '' and after['categoryList'] == ['A', 'B']
    assert client.patch(path, {'categoryList': [], 'globalApiProxySettingName': None}).status == 200
    after = client.proxy('orders-api')
    assert after['categoryList'] == [] and after['globalApiProxySettingName'] is None
    assert after['sharingType'] == 'EXTERNAL'


def test_metadata_needs_a_field(client):
    path = proxy_path('orders-api', 'settings', 'metadata')
    bad_request(client.patch(path, {}), 'At least one field')
    bad_request(client.patch(path, {'deploy': False, 'deployTargetEnvironmentNameList': []}), 'At least one field')


def test_metadata_rename(client):
    path = proxy_path('orders-api', 'settings', 'metadata')
    assert client.patch(path, {'name': 'orders-api-v2'}).status == 200
    error_a(client.get(proxy_path('orders-api')), 404, 'ApiProxy (name: orders-api) was not found!')
    proxy = client.proxy('orders-api-v2')
    assert proxy['name'] == 'orders-api-v2' and proxy['description'] == 'Orders API'
    assert proxy['deploymentList'][0] == {'environmentName': 'production', 'deployed': True, 'redeployRequired': True}
    # the same name is not a conflict
    assert client.patch(proxy_path('orders-api-v2', 'settings', 'metadata'), {'name': 'orders-api-v2'}).status == 200


def test_metadata_name_conflict(client, newer):
    path = proxy_path('orders-api', 'settings', 'metadata')
    error_a(client.patch(path, {'name': 'payments-api'}), 400, 'ApiProxy (name: payments-api) is already exist!', 'bad_request')
    error_b(newer.patch(path, {'name': 'payments-api'}), 400, 'ApiProxy (name: payments-api) is already exist!')
    assert client.proxy('orders-api')['name'] == 'orders-api'
    # names are case-sensitive: a different case is another name
    assert client.patch(path, {'name': 'Payments-API'}).status == 200
    bad_request(client.patch(proxy_path('Payments-API', 'settings', 'metadata'), {'name': ' '}), '"name"', 'empty')


def test_metadata_validation(client):
    path = proxy_path('orders-api', 'settings', 'metadata')
    bad_request(client.patch(path, {'sharingType': 'PROJECT'}), 'BOTH, NONE, EXTERNAL, INTERNAL')
    bad_request(client.patch(path, {'requestBodyReadBehavior': 'SOMETIMES'}), 'ALWAYS_READ')
    bad_request(client.patch(path, {'direction': 'BOTH'}), 'REQUEST_RESPONSE')
    bad_request(client.patch(path, {'categoryList': 'Payment'}), 'categoryList', 'array')
    bad_request(client.patch(path, {'disableDirectAccessToGateways': 'yes'}), 'disableDirectAccessToGateways')
    bad_request(client.patch(path, {'globalApiProxySettingName': 'Missing'}), 'Global API Proxy Setting (name: Missing)')
    bad_request(client.patch(path, {'apiType': 'SOAP'}), '"apiType"')
    bad_request(client.patch(path, {'fixSoapApiPortType': True}), 'fixSoapApiPortType', 'SOAP')
    assert client.proxy('orders-api')['fixSoapApiPortType'] is None
    assert client.patch(proxy_path('legacy-soap', 'settings', 'metadata'), {'fixSoapApiPortType': True}).status == 200
    assert client.proxy('legacy-soap')['fixSoapApiPortType'] is True


# ---- PATCH maintenance mode --------------------------------------------------------------------------

def test_maintenance_partial_update(client, newer):
    path = proxy_path('payments-api', 'settings', 'maintenance-mode')
    assert client.patch(path, {'enabled': True, 'httpStatusCode': 503}).json == {'success': True}
    assert client.proxy('payments-api')['maintenanceModeSetting'] == {
        'enabled': True, 'httpStatusCode': 503, 'contentType': 'application/json; charset=utf-8',
        'message': 'API is under maintenance'}
    assert client.patch(path, {'message': '{"down": true}', 'contentType': 'application/json'}).status == 200
    assert client.proxy('payments-api')['maintenanceModeSetting'] == {
        'enabled': True, 'httpStatusCode': 503, 'contentType': 'application/json', 'message': '{"down": true}'}
    assert newer.patch(path, {'enabled': True}).json == {'success': True}


def test_maintenance_validation_and_not_found(client, newer):
    path = proxy_path('payments-api', 'settings', 'maintenance-mode')
    for code in (99, 600):
        bad_request(client.patch(path, {'httpStatusCode': code}), '"httpStatusCode"', '100 to 599')
    bad_request(client.patch(path, {'httpStatusCode': True}), '"httpStatusCode"', 'boolean')
    bad_request(client.patch(path, {'enabled': 'true'}), '"enabled"')
    bad_request(client.patch(path, {'message': {'a': 1}}), '"message"', 'string')
    bad_request(client.patch(path, {'status': 503}), '"status"')
    # seed 003: a missing proxy is 400 bad_request here, not 404
    error_a(client.patch(proxy_path('nope', 'settings', 'maintenance-mode'), {'enabled': True}), 400,
            'ApiProxy (name: nope) was not found!', 'bad_request')
    error_b(newer.patch(proxy_path('nope', 'settings', 'maintenance-mode'), {'enabled': True}), 400,
            'ApiProxy (name: nope) was not found!')
    assert client.proxy('payments-api')['maintenanceModeSetting']['enabled'] is False


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
    response = client.patch(path, {'enabled': True, 'deploy': True, 'deployTargetEnvironmentNameList': ['test', 'test']})
    assert response.json == {'success': True, 'deploymentResult': {'success': True, 'deploymentResults': [
        {'environmentName': 'test', 'success': True, 'message': 'Deployment successful'}]}}
    deployments = dict((d['environmentName'], d) for d in client.proxy('orders-api')['deploymentList'])
    assert deployments['test'] == {'environmentName': 'test', 'deployed': True, 'redeployRequired': False}
    # production was deployed and not in the list: it now needs a redeploy
    assert deployments['production']['redeployRequired'] is True
    assert client.deploy_status('orders-api', 'production')['revision'] == revision
    assert client.deploy_status('orders-api', 'test')['revision'] == 1
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
    deployments = dict((d['environmentName'], d) for d in proxy['deploymentList'])
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


# ---- environments --------------------------------------------------------------------------------------

def test_environments(client, newer):
    body = client.get(api('projects', 'Demo', 'environments')).json
    assert body['status'] == 'SUCCESS' and body['resultCount'] == 3
    assert [env['name'] for env in body['resultList']] == ['production', 'test', 'staging']
    production = body['resultList'][0]
    assert set(production) == {'id', 'name', 'description', 'type', 'accessUrl', 'status', 'deployed', 'redeployRequired'}
    assert production['type'] == 'PRODUCTION' and production['status'] == 'PUBLISHED'
    assert production['accessUrl'] == 'https://api.example.com'
    assert 'failDeploy' not in body['resultList'][2]
    body = client.get('/apiops/environments/').json
    assert [env['name'] for env in body['resultList']] == ['production', 'test', 'staging']
    assert set(body['resultList'][0]) == {'id', 'name', 'description', 'type', 'accessUrl', 'status'}
    assert client.get(api('projects', 'My Project/Team', 'environments')).json['resultCount'] == 1
    error_a(client.get(api('projects', 'Nope', 'environments')), 404, "Project 'Nope' not found")
    error_b(newer.get(api('projects', 'Nope', 'environments')), 400,
            'Project (Nope) is not found or user does not have privilege to access it!')


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


# ---- connections -------------------------------------------------------------------------------------

def test_get_one_connection_shows_secrets_and_list_masks_them(client, newer):
    for each in (client, newer):
        body = each.get(connection_path('smtp-alerts')).json
        assert body['status'] == 'SUCCESS' and body['resultCount'] == 1
        connection = body['resultList'][0]
        assert connection['password'] == 'seeded-smtp-password'
        assert connection['projectName'] == 'Demo' and connection['type'] == 'email'
        listed = each.get(api('projects', 'Demo', 'connections') + '?type=email').json
        assert listed['status'] == 'SUCCESS' and listed['resultCount'] == 1
        assert listed['resultList'][0] == dict(connection, password=None)
    database = client.get(api('projects', 'Demo', 'connections') + '?type=database').json['resultList']
    assert [item['name'] for item in database] == ['orders-db'] and database[0]['password'] is None
    assert client.get(api('projects', 'Demo', 'connections') + '?type=webhook').json == {
        'status': 'SUCCESS', 'resultList': [], 'resultCount': 0}


def test_list_connections_needs_a_valid_type(client, newer):
    path = api('projects', 'Demo', 'connections')
    error_a(client.get(path), 400, 'Connection type parameter is required!', 'bad_request')
    error_a(client.get(path + '?type='), 400, 'Connection type parameter is required!')
    error_b(newer.get(path), 400, 'Connection type parameter is required!')
    bad_request(client.get(path + '?type=smtp'), 'Connection type (smtp) is not valid!')
    error_a(client.get(api('projects', 'Nope', 'connections') + '?type=email'), 404, "Project 'Nope' not found")


def test_connection_not_found_is_400_in_both_styles(client, newer):
    error_a(client.get(connection_path('nope')), 400, 'Connection (name: nope) was not found!', 'bad_request')
    error_b(newer.get(connection_path('nope')), 400, 'Connection (name: nope) was not found!')
    error_a(client.put(connection_path('nope'), {'type': 'email', 'host': 'h'}), 400,
            'Connection (name: nope) was not found!', 'bad_request')
    error_a(client.delete(connection_path('nope')), 400, 'Connection (name: nope) was not found!')
    error_a(client.put(connection_path('nope', 'Nope'), {'type': 'email'}), 404, "Project 'Nope' not found", 'not_found')
    bad_request(client.get('/apiops/projects/Demo/connections//'), 'Connection name can not be empty!')


@pytest.mark.parametrize('connection_type', sorted(MINIMAL_CONNECTIONS))
def test_create_every_type_with_defaults(client, connection_type):
    body, defaults = MINIMAL_CONNECTIONS[connection_type]
    name = 'new-' + connection_type
    response = client.post(connection_path(name), dict(body, type=connection_type, name=name))
    assert response.json == {'status': 'SUCCESS', 'deploymentResult': {'success': True}}, response
    stored = client.connection_object(name)
    assert stored['type'] == connection_type and stored['name'] == name and stored['projectName'] == 'Demo'
    assert stored['deployToWorker'] is True and stored['enabled'] is True and stored['description'] is None
    for key, value in defaults.items():
        assert stored[key] == value, key
    for key, value in body.items():
        if key not in defaults:
            assert stored[key] == value, key
    # the state dump holds the same object
    state = client.admin('GET', '/_emulator/state')
    assert [c for c in state['projects']['Demo']['connections'] if c['name'] == name] == [stored]


@pytest.mark.parametrize('connection_type', sorted(t for t in MINIMAL_CONNECTIONS if t != 'logback'))
def test_create_needs_the_required_fields(client, connection_type):
    body = MINIMAL_CONNECTIONS[connection_type][0]
    missing = sorted(body)[0]
    partial = dict((key, value) for key, value in body.items() if key != missing)
    text = bad_request(client.post(connection_path('x'), dict(partial, type=connection_type, name='x')), '"%s"' % missing)
    assert 'required' in text or 'must hold' in text


def test_create_errors(client, newer):
    email = {'type': 'email', 'name': 'smtp-alerts', 'host': 'h'}
    error_a(client.post(connection_path('smtp-alerts'), email), 400, 'Connection (name: smtp-alerts) already exists!', 'bad_request')
    error_b(newer.post(connection_path('SMTP-ALERTS'), dict(email, name='SMTP-ALERTS')), 400,
            'Connection (name: SMTP-ALERTS) already exists!')
    bad_request(client.post(connection_path('a'), dict(email, name='b')), 'do not match')
    assert client.post(connection_path('mixed-case'), dict(email, name='Mixed-Case')).status == 200
    assert client.connection_object('MIXED-case')['name'] == 'Mixed-Case'
    bad_request(client.post(connection_path('a'), {'type': 'email', 'host': 'h'}), '"name"', 'required')
    bad_request(client.post(connection_path('a'), {'name': 'a', 'host': 'h'}), '"type"', 'required')
    bad_request(client.post(connection_path('a'), {'type': 'smtp', 'name': 'a'}), 'not valid', 'email')
    bad_request(client.post(connection_path('a'), {'type': 'Email', 'name': 'a', 'host': 'h'}), 'not valid')
    # seed 004's database example uses fields the database type page does not define
    text = bad_request(client.post(connection_path('db'), {
        'type': 'database', 'name': 'db', 'host': 'localhost', 'port': 5432, 'databaseName': 'mydb',
        'username': 'u', 'password': 'p'}), '"host"', '"port"')
    assert 'databaseName' not in text
    bad_request(client.post(connection_path('a'), dict(email, name='a', projectName='Other')), 'projectName')
    assert client.post(connection_path('b'), dict(email, name='b', projectName='Demo')).status == 200


def test_create_without_deploy_to_worker(client):
    response = client.post(connection_path('quiet'), {'type': 'syslog', 'name': 'quiet', 'deployToWorker': False,
                                                      'syslogServerHostname': 's'})
    assert response.json == {'status': 'SUCCESS'}
    assert client.delete(connection_path('quiet')).json == {'status': 'SUCCESS'}


def test_connection_field_types(client):
    def create(**fields):
        return client.post(connection_path('t'), dict({'type': 'email', 'name': 't', 'host': 'h'}, **fields))
    bad_request(create(port='587'), '"port"', 'integer', 'string')
    bad_request(create(port=587.0), '"port"', 'integer')
    bad_request(create(port=70000), '"port"')
    bad_request(create(enableStartTls='yes'), '"enableStartTls"', 'boolean')
    bad_request(create(host=5), '"host"', 'string')
    bad_request(create(host=''), '"host"', 'required')
    bad_request(create(additionalProperties=[{'value': 'v'}]), '"additionalProperties[0].key"', 'required')
    bad_request(create(additionalProperties=[{'key': 'k', 'value': 1}]), '"additionalProperties[0].value"')
    bad_request(create(additionalProperties=[{'key': 'k', 'other': 1}]), '"additionalProperties[0].other"')
    bad_request(create(additionalProperties={'key': 'k'}), '"additionalProperties"', 'array')
    bad_request(create(smtpHost='x'), 'Unrecognized field "smtpHost"')
    assert create(additionalProperties=[{'key': 'mail.smtp.timeout', 'value': '5000'}]).status == 200


@pytest.mark.parametrize('connection_type,fields,fragments', [
    ('email', {'host': 'h', 'auth': True, 'username': 'u'}, ['"password"', 'auth is true']),
    ('database', {'dbType': 'MYSQL', 'jdbcUrl': 'jdbc:mysql://d/x'}, ['"username", "password"', 'useCredentials']),
    ('ftp', {'host': 'h', 'username': 'u', 'password': 'p', 'protocol': 'FTPS'}, ['Exactly one of', 'useImplicit']),
    ('ftp', {'host': 'h', 'username': 'u', 'password': 'p', 'protocol': 'FTPS', 'useImplicit': True, 'useExplicit': True},
     ['mutually exclusive']),
    ('ftp', {'host': 'h', 'username': 'u', 'password': 'p', 'protocol': 'ftp'}, ['FTP, SFTP, FTPS']),
    ('elasticsearch', {'elasticHostList': [{'host': 'e'}], 'authenticate': True, 'elasticUsername': 'u'},
     ['"elasticPassword"']),
    ('elasticsearch', {'elasticHostList': []}, ['"elasticHostList"', 'at least 1']),
    ('elasticsearch', {'elasticHostList': [{'port': 9200}]}, ['"elasticHostList[0].host"']),
    ('elasticsearch', {'elasticHostList': [{'host': 'e', 'scheme': 'ftp'}]}, ['"elasticHostList[0].scheme"']),
    ('elasticsearch', {'elasticHostList': [{'host': 'e'}], 'encryptCommunication': True,
                       'encryptCommunicationType': 'CA_IN_PEM_FILE'}, ['"caInPemFile"']),
    ('elasticsearch', {'elasticHostList': [{'host': 'e'}], 'caInPemFile': 'not base64!'}, ['"caInPemFile"', 'base64']),
    ('elasticsearch', {'elasticHostList': [{'host': 'e'}], 'indexLifecyclePolicyCreated': True,
                       'indexLifecyclePolicy': {'maxAgeOfRollover': 7}}, ['At least one of', 'enableHotPhase']),
    ('elasticsearch', {'elasticHostList': [{'host': 'e'}], 'socketKeepAlive': True}, ['"socketKeepAlive"']),
    ('elasticsearch', {'elasticHostList': [{'host': 'e', 'clusterName': 'c'}]}, ['"elasticHostList[0].clusterName"']),
    ('rabbitMq', {'hostPortList': [{'host': 'r'}], 'authenticationEnabled': True}, ['"connectionFactoryUsername"']),
    ('rabbitMq', {'hostPortList': [{'host': 'r'}], 'basicPropertiesPriority': 300}, ['"basicPropertiesPriority"']),
    ('rabbitMq', {'hostPortList': [{'host': 'r'}], 'basicPropertiesDeliveryMode': 3}, ['"basicPropertiesDeliveryMode"']),
    ('kafka', {'topicName': 't', 'propertiesMap': {'bootstrap.servers': {'value': 'k', 'valueType': 'STRING'}}},
     ['"key.serializer", "value.serializer"']),
    ('kafka', {'topicName': 't', 'propertiesMap': dict(MINIMAL_CONNECTIONS['kafka'][0]['propertiesMap'],
                                                       **{'linger.ms': {'value': '5', 'valueType': 'INT'}})},
     ['"propertiesMap.linger.ms.valueType"']),
    ('kafka', dict(MINIMAL_CONNECTIONS['kafka'][0], enableSecure=True), ['"protocolTypes", "keyStoreName"']),
    ('graylog', {'hostname': 'g', 'tlsCertVerificationEnabled': True}, ['"tlsTrustCertChainFile"']),
    ('graylog', {'hostname': 'g', 'gelfMessageLevel': 'INFO(6)'}, ['"gelfMessageLevel"']),
    ('snmp', dict(MINIMAL_CONNECTIONS['snmp'][0], securityLevel='AUTH_PRIV', usmUserAuthenticationProtocol='AuthSHA',
                  authPassphrase='a'), ['"usmUserPrivacyProtocol", "privPassphrase"']),
    ('snmp', dict(MINIMAL_CONNECTIONS['snmp'][0], privacyProtocolList=['PrivAES999']), ['"privacyProtocolList[0]"']),
    ('webhook', {'fullUrl': 'https://h', 'headerList': [{'name': 'Authorization'}]}, ['"headerList[0].value"']),
    ('webhook', {'fullUrl': 'https://h', 'httpMethod': 'TRACE'}, ['"httpMethod"']),
    ('webhook', {'fullUrl': 'ftp://h'}, ['"fullUrl"']),
    ('database', {'dbType': 'POSTGRES', 'jdbcUrl': 'j', 'useCredentials': False,
                  'logTableNameOverrides': {'Traffic': 't'}}, ['"logTableNameOverrides"', '"Traffic"']),
])
def test_connection_rules(client, connection_type, fields, fragments):
    bad_request(client.post(connection_path('r'), dict(fields, type=connection_type, name='r')), *fragments)
    assert client.get(connection_path('r')).status == 400


def test_connection_rules_that_pass(client):
    bodies = [
        {'type': 'database', 'dbType': 'MYSQL', 'jdbcUrl': 'jdbc:mysql://d/x', 'useCredentials': False},
        {'type': 'ftp', 'host': 'h', 'username': 'u', 'password': 'p', 'protocol': 'FTPS', 'useExplicit': True},
        {'type': 'elasticsearch', 'elasticHostList': [{'host': 'e', 'scheme': 'https'}], 'authenticate': True,
         'elasticUsername': 'u', 'elasticPassword': 'p', 'encryptCommunication': True,
         'encryptCommunicationType': 'CA_IN_PEM_FILE', 'caInPemFile': 'SeKrEtPemFile001',
         'indexLifecyclePolicyCreated': True, 'indexLifecyclePolicy': {'enableHotPhase': True, 'maxAgeOfRollover': 7}},
        {'type': 'kafka', 'topicName': 't', 'enableSecure': True, 'protocolTypes': ['TLS_1_3'], 'keyStoreName': 'ks',
         'propertiesMap': MINIMAL_CONNECTIONS['kafka'][0]['propertiesMap']},
        {'type': 'rabbitMq', 'hostPortList': [{'host': 'r', 'port': 5671}], 'authenticationEnabled': True,
         'connectionFactoryUsername': 'u', 'connectionFactoryPassword': 'p', 'connectionFactoryClientProperties': {'a': 1}},
        {'type': 'logback', 'logPath': '/var/log/apinizer', 'logFileName': '/traffic', 'logPodName': 'pod-1'},
    ]
    for index, body in enumerate(bodies):
        name = 'ok-%d' % index
        assert client.post(connection_path(name), dict(body, name=name)).status == 200, body
    policy = client.connection_object('ok-2')['indexLifecyclePolicy']
    assert policy['policyName'] == 'apinizer-log-ilm-policy-default' and policy['enableWarmPhase'] is False
    assert policy['maxAgeOfRollover'] == 7 and policy['minAgeOfDelete'] is None
    kafka = client.connection_object('ok-3')
    assert kafka['keyStoreName'] == 'ks' and len(kafka['keyStoreId']) == 24 and kafka['trustStoreId'] is None
    logback = client.connection_object('ok-5')
    # documented server-side normalisation
    assert (logback['logPath'], logback['logFileName'], logback['logPodName']) == ('/var/log/apinizer/', 'traffic', 'pod-1')
    # read-only fields a GET reports are accepted back in a PUT
    assert client.put(connection_path('ok-3'), kafka).status == 200
    assert client.connection_object('ok-3') == kafka


def test_put_replaces_the_connection_but_keeps_omitted_secrets(client, newer):
    for each in (client, newer):
        body = {'type': 'email', 'host': 'smtp2.example.com', 'auth': True, 'username': 'ops@example.com'}
        response = each.put(connection_path('smtp-alerts'), body)
        assert response.json == {'status': 'SUCCESS', 'deploymentResult': {'success': True}}
        stored = each.connection_object('smtp-alerts')
        assert stored['host'] == 'smtp2.example.com' and stored['username'] == 'ops@example.com'
        assert stored['password'] == 'seeded-smtp-password'  # omitted secret: kept
        assert stored['port'] == 587 and stored['enableStartTls'] is False  # omitted: reset to the default
        assert stored['from'] is None and stored['description'] is None
        assert stored['name'] == 'smtp-alerts'
    # null secret: kept; a new secret: replaced
    assert client.put(connection_path('smtp-alerts'), {'type': 'email', 'name': 'smtp-alerts', 'host': 'h', 'auth': True,
                                                       'username': 'u', 'password': None}).status == 200
    assert client.connection_object('smtp-alerts')['password'] == 'seeded-smtp-password'
    assert client.put(connection_path('smtp-alerts'), {'type': 'email', 'host': 'h', 'auth': True, 'username': 'u',
                                                       'password': 'new-secret'}).status == 200
    assert client.connection_object('smtp-alerts')['password'] == 'new-secret'


def test_put_merged_body_round_trip_is_stable(client):
    current = client.connection_object('orders-db')
    assert client.put(connection_path('orders-db'), dict(current, maxPoolSize=10)).status == 200
    assert client.connection_object('orders-db') == dict(current, maxPoolSize=10)


def test_put_validation(client, newer):
    path = connection_path('smtp-alerts')
    text = bad_request(client.put(path, {'type': 'webhook', 'fullUrl': 'https://x'}), 'can not be changed')
    assert 'email' in text and 'webhook' in text
    error_b(newer.put(path, {'type': 'webhook', 'fullUrl': 'https://x'}), 400,
            'Connection type can not be changed (stored: email, sent: webhook)! Delete the connection and create it again.')
    bad_request(client.put(path, {'host': 'h'}), '"type"')
    bad_request(client.put(path, {'type': 'email'}), '"host"', 'required')
    bad_request(client.put(path, {'type': 'email', 'host': 'h', 'pasword': 'x'}), '"pasword"')
    bad_request(client.put(path, {'type': 'email', 'host': 'h', 'name': 5}), '"name"')
    assert client.connection_object('smtp-alerts')['host'] == 'smtp.example.com'
    # the required secret of a type: kept from the stored connection
    assert client.post(connection_path('files'), {'type': 'ftp', 'name': 'files', 'host': 'h', 'username': 'u',
                                                  'password': 'p', 'protocol': 'SFTP'}).status == 200
    assert client.put(connection_path('files'), {'type': 'ftp', 'host': 'h2', 'username': 'u', 'protocol': 'SFTP'}).status == 200
    assert client.connection_object('files')['password'] == 'p'


def test_put_rename(client):
    assert client.put(connection_path('smtp-alerts'), {'type': 'email', 'name': 'smtp-ops', 'host': 'h'}).status == 200
    assert client.get(connection_path('smtp-alerts')).status == 400
    renamed = client.connection_object('smtp-ops')
    assert renamed['name'] == 'smtp-ops' and renamed['password'] == 'seeded-smtp-password'
    bad_request(client.put(connection_path('smtp-ops'), {'type': 'email', 'name': 'ORDERS-DB', 'host': 'h'}),
                'Connection (name: ORDERS-DB) already exists!')
    # a change of case only is a rename onto itself
    assert client.put(connection_path('smtp-ops'), {'type': 'email', 'name': 'SMTP-Ops', 'host': 'h'}).status == 200
    assert client.connection_object('smtp-ops')['name'] == 'SMTP-Ops'
    # an empty name keeps the name
    assert client.put(connection_path('smtp-ops'), {'type': 'email', 'name': '', 'host': 'h'}).status == 200
    assert client.connection_object('smtp-ops')['name'] == 'SMTP-Ops'


def test_delete_connection(client, newer):
    assert client.delete(connection_path('ORDERS-DB')).json == {'status': 'SUCCESS', 'deploymentResult': {'success': True}}
    error_a(client.get(connection_path('orders-db')), 400, 'Connection (name: orders-db) was not found!')
    error_a(client.delete(connection_path('orders-db')), 400, 'Connection (name: orders-db) was not found!')
    assert newer.delete(connection_path('orders-db')).json['status'] == 'SUCCESS'
    error_b(newer.delete(connection_path('orders-db')), 400, 'Connection (name: orders-db) was not found!')


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
    client.patch(proxy_path('orders-api', 'settings', 'connection'), {'readTimeout': 77})
    client.post(proxy_path('orders-api', 'environments', 'test'))
    state = client.admin('GET', '/_emulator/state')
    demo = state['projects']['Demo']
    orders = [p for p in demo['apiProxies'] if p['name'] == 'orders-api'][0]
    assert orders['routing']['readTimeout'] == 77
    assert orders['deployments']['test']['revision'] == 1
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


# ---- faults ---------------------------------------------------------------------------------------------

def test_fault_status_and_json_body_then_normal(client):
    fault = client.admin('POST', '/_emulator/faults', {
        'method': 'PATCH', 'path': 'payments-api/settings/maintenance-mode', 'status': 500,
        'body': {'error': 'server_error', 'error_description': 'injected'}})
    assert fault['remaining'] == 1 and fault['status'] == 500
    path = proxy_path('payments-api', 'settings', 'maintenance-mode')
    assert client.get(proxy_path('payments-api')).status == 200  # another method: not affected
    error_a(client.patch(path, {'enabled': True}), 500, 'injected', 'server_error')
    assert client.proxy('payments-api')['maintenanceModeSetting']['enabled'] is False  # nothing applied
    assert client.patch(path, {'enabled': True}).status == 200
    assert [entry['status'] for entry in client.log() if entry['method'] == 'PATCH'] == [500, 200]
    assert client.admin('GET', '/_emulator/faults') == []


def test_fault_html_body_retry_after_and_count(client):
    client.admin('POST', '/_emulator/faults', {'path': r'/apiProxies/orders-api/$', 'count': 2, 'status': 503,
                                               'body': '<html><body><h1>503 Service Unavailable</h1></body></html>',
                                               'content_type': 'text/html', 'retry_after': 2})
    for attempt in range(2):
        response = client.get(proxy_path('orders-api'))
        assert response.status == 503, attempt
        assert response.headers['Content-Type'] == 'text/html'
        assert response.headers['Retry-After'] == '2'
        assert response.text.startswith('<html>')
    response = client.get(proxy_path('orders-api'))
    assert response.status == 200 and 'Retry-After' not in response.headers
    assert [entry['status'] for entry in client.log()] == [503, 503, 200]


def test_fault_default_body_follows_the_style(client, newer):
    client.admin('POST', '/_emulator/faults', {'path': 'orders-api', 'status': 502})
    error_a(client.get(proxy_path('orders-api')), 502, 'Injected fault (HTTP 502)')
    newer.admin('POST', '/_emulator/faults', {'path': 'orders-api', 'status': 502})
    error_b(newer.get(proxy_path('orders-api')), 502, 'Injected fault (HTTP 502)')


def test_fault_delay(client):
    client.admin('POST', '/_emulator/faults', {'path': 'orders-api', 'delay': 1.0})
    started = time.monotonic()
    assert client.get(proxy_path('orders-api')).status == 200
    assert time.monotonic() - started >= 1.0
    started = time.monotonic()
    assert client.get(proxy_path('orders-api')).status == 200
    assert time.monotonic() - started < 0.8


def test_fault_drop(client):
    client.admin('POST', '/_emulator/faults', {'method': 'GET', 'path': 'orders-api', 'drop': True})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        client.get(proxy_path('orders-api'))
    assert client.get(proxy_path('orders-api')).status == 200
    log = client.log()
    assert [entry['status'] for entry in log] == [None, 200]
    assert log[0]['path'] == '/apiops/projects/Demo/apiProxies/orders-api/'


def test_fault_matches_the_decoded_path_and_faults_can_be_cleared(client):
    client.admin('POST', '/_emulator/faults', {'path': 'customer api', 'status': 429, 'count': 5})
    assert client.get(proxy_path('customer api')).status == 429
    assert client.admin('DELETE', '/_emulator/faults') == {'cleared': 1}
    assert client.get(proxy_path('customer api')).status == 200
    client.admin('POST', '/_emulator/faults', {'path': 'healthcheck', 'status': 503})
    assert client.get('/apiops/test/healthcheck', token=None).status == 503


@pytest.mark.parametrize('fault,fragment', [
    ({'status': 500}, '"path"'),
    ({'path': '(', 'status': 500}, 'regular expression'),
    ({'path': 'x'}, '"status", "drop" or "delay"'),
    ({'path': 'x', 'status': 'bad'}, '"status"'),
    ({'path': 'x', 'status': 500, 'count': 0}, '"count"'),
    ({'path': 'x', 'delay': -1}, '"delay"'),
    ({'path': 'x', 'status': 500, 'colour': 'red'}, '"colour"'),
])
def test_invalid_faults(client, fault, fragment):
    response = client.request('POST', '/_emulator/faults', fault, token=None)
    assert response.status == 400 and fragment in response.json['error_description'], response


# ---- concurrency ----------------------------------------------------------------------------------------

def test_fifty_parallel_clients_lose_nothing(client):
    workers, rounds = 50, 6
    seed = {'projects': {'Load': {
        'environments': [{'name': 'production'}],
        'apiProxies': [{'name': 'shared', 'deployments': ['production']}] + [{'name': 'p%02d' % i} for i in range(workers)],
    }}}
    client.admin('POST', '/_emulator/reset', seed)
    errors = []
    barrier = threading.Barrier(workers)

    def work(index):
        conn = client.connection(timeout=30)
        try:
            barrier.wait()
            own = api('projects', 'Load', 'apiProxies', 'p%02d' % index)
            for round_number in range(rounds):
                message = 'worker %d round %d' % (index, round_number)
                response = client.patch(own + 'settings/maintenance-mode/', {'message': message}, conn=conn)
                if response.status != 200:
                    errors.append(response)
                got = client.get(own, conn=conn).json['resultList'][0]['maintenanceModeSetting']['message']
                if got != message:
                    errors.append((index, round_number, got))
                # the same proxy from every worker: each PATCH adds one category, each deploy one revision
                shared = api('projects', 'Load', 'apiProxies', 'shared')
                response = client.post(shared + 'environments/production/', conn=conn)
                if response.status != 200:
                    errors.append(response)
        except Exception as exc:  # pylint: disable=broad-except
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    state = client.admin('GET', '/_emulator/state')['projects']['Load']
    proxies = dict((proxy['name'], proxy) for proxy in state['apiProxies'])
    for index in range(workers):
        assert proxies['p%02d' % index]['maintenanceModeSetting']['message'] == 'worker %d round %d' % (index, rounds - 1)
    assert proxies['shared']['deployments']['production']['revision'] == 1 + workers * rounds
    log = client.log()
    assert len(log) == workers * rounds * 3
    assert sum(1 for entry in log if entry['method'] == 'POST') == workers * rounds
    assert all(entry['status'] == 200 for entry in log)


def test_parallel_metadata_patches_on_one_proxy(client):
    workers = 50
    errors = []

    def work(index):
        response = client.patch(proxy_path('customer api', 'settings', 'connection'), {'retryCount': index})
        if response.status != 200:
            errors.append(response)
        response = client.patch(proxy_path('customer api', 'settings', 'metadata'),
                                {'categoryList': ['c%02d' % index]})
        if response.status != 200:
            errors.append(response)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    log = client.log()
    assert len(log) == 2 * workers
    last_retry = [entry['body']['retryCount'] for entry in log if entry['path'].endswith('/connection/')][-1]
    last_category = [entry['body']['categoryList'] for entry in log if entry['path'].endswith('/metadata/')][-1]
    proxy = client.proxy('customer api')
    # the state is what the last logged write of each kind set
    assert proxy['routing']['retryCount'] == last_retry
    assert proxy['categoryList'] == last_category


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
    proxies = dict((proxy['name'], proxy) for proxy in demo['apiProxies'])
    assert {'orders-api', 'payments-api', 'customer api', 'live-feed', 'legacy-soap', 'partner-api'} <= set(proxies)
    assert proxies['partner-api']['sharingType'] == 'PROJECT'
    connections = dict((c['name'], c) for c in demo['connections'])
    assert connections['smtp-alerts']['auth'] is True and connections['smtp-alerts']['password']
    assert connections['orders-db']['type'] == 'database'
    team = SEED['projects']['My Project/Team']
    assert team['apiProxies'][0]['name'] == 'inventory/v2'
    assert copy.deepcopy(SEED) == SEED


# ---- --proxy-detail documented and the export package ---------------------------------------------------

DOCUMENTED_KEYS = {'name', 'description', 'apiType', 'categoryList', 'sharingType', 'clientRoute', 'routing',
                   'endpointList', 'deploymentList'}
EXPORT_KEYS = ['name', 'description', 'type', 'apiType', 'categoryList', 'sharingType', 'requestBodyReadBehavior',
               'responseBodyReadBehavior', 'direction', 'disableDirectAccessToGateways', 'globalApiProxySettingName',
               'backendProxyApplyPolicies', 'fixSoapApiPortType', 'clientRoute', 'endpointList', 'routingInfo',
               'maintenanceModeSetting', 'deploymentList']


def export(client, name, query='', headers=None, project='Demo'):
    return client.get(proxy_path(name, 'export', project=project) + query, headers=headers)


def unpack(response, filename):
    """The one JSON file of an export answer, after checking the answer's headers."""
    assert response.status == 200, response
    assert response.headers['Content-Type'] == 'application/octet-stream'
    assert response.headers['Content-Disposition'] == 'attachment; filename="%s.zip"' % filename
    with zipfile.ZipFile(io.BytesIO(response.data)) as package:
        assert package.namelist() == [filename + '.json']
        return json.loads(package.read(filename + '.json').decode('utf-8'))


def test_documented_get_proxy_answers_only_the_documented_fields(documented, client):
    for name in ('orders-api', 'live-feed', 'legacy-soap'):
        response = documented.get(proxy_path(name))
        assert response.status == 200
        body = response.json
        assert body['success'] is True and body['resultCount'] == 1 and set(body) == {'success', 'resultList', 'resultCount'}
        proxy = body['resultList'][0]
        assert set(proxy) == DOCUMENTED_KEYS, name
        assert set(proxy['routing']) == {'routingEnabled', 'routingAddressList'}, name
        full = client.proxy(name)
        assert dict((key, full[key]) for key in DOCUMENTED_KEYS - {'routing'}) == dict(
            (key, proxy[key]) for key in DOCUMENTED_KEYS - {'routing'})
        assert proxy['routing'] == {'routingEnabled': full['routing']['routingEnabled'],
                                    'routingAddressList': full['routing']['routingAddressList']}
    assert documented.proxy('live-feed')['apiType'] == 'WEBSOCKET'


def test_documented_mode_still_takes_every_write(documented):
    assert documented.patch(proxy_path('live-feed', 'settings', 'websocket'), {'websocketSettings': {'maxRetries': 9}}).status == 200
    assert documented.patch(proxy_path('live-feed', 'settings', 'connection'), {'readTimeout': 91}).status == 200
    assert documented.patch(proxy_path('live-feed', 'settings', 'maintenance-mode'), {'enabled': True}).status == 200
    assert documented.patch(proxy_path('live-feed', 'settings', 'metadata'), {'direction': 'REQUEST_ONLY'}).status == 200
    assert set(documented.proxy('live-feed')) == DOCUMENTED_KEYS
    definition = unpack(export(documented, 'live-feed'), 'live-feed')
    assert definition['routingInfo']['websocketSettings']['maxRetries'] == 9
    assert definition['routingInfo']['readTimeout'] == 91
    assert definition['maintenanceModeSetting']['enabled'] is True
    assert definition['direction'] == 'REQUEST_ONLY'
    assert definition['deploymentList'][0] == {'environmentName': 'production', 'deployed': True, 'redeployRequired': True}


def test_export_package_of_a_websocket_proxy(client, documented):
    for each in (client, documented):
        definition = unpack(export(each, 'live-feed'), 'live-feed')
        assert list(definition) == EXPORT_KEYS
        assert definition['type'] == definition['apiType'] == 'WEBSOCKET'
        full = client.proxy('live-feed')
        for key in EXPORT_KEYS:
            assert definition[key] == full['routing' if key == 'routingInfo' else key], key
        assert definition['routingInfo']['websocketSettings'] == WEBSOCKET_DEFAULTS
        assert list(definition['routingInfo'])[:2] == ['routingEnabled', 'routingAddressList']
        assert definition['maintenanceModeSetting'] == {'enabled': False, 'httpStatusCode': 403,
                                                        'contentType': 'application/json; charset=utf-8',
                                                        'message': 'API is under maintenance'}


def test_export_package_of_other_proxies_and_file_names(client):
    orders = unpack(export(client, 'orders-api'), 'orders-api')
    assert 'websocketSettings' not in orders['routingInfo']
    assert orders['routingInfo']['connectionSettingsEnabled'] is True and orders['fixSoapApiPortType'] is None
    assert unpack(export(client, 'legacy-soap'), 'legacy-soap')['fixSoapApiPortType'] is False
    assert unpack(export(client, 'customer api'), 'customer_api')['name'] == 'customer api'
    assert unpack(export(client, 'inventory/v2', project='My Project/Team'), 'inventory_v2')['name'] == 'inventory/v2'
    client.admin('POST', '/_emulator/reset', {'projects': {'P': {'apiProxies': [{'name': 'Ä b+c.d_e-1'}]}}})
    assert unpack(export(client, 'Ä b+c.d_e-1', project='P'), '__b_c.d_e-1')['name'] == 'Ä b+c.d_e-1'


def test_export_query_parameters_and_encryption(client):
    for query in ('?withDependencies=true', '?withDependencies=false', '?encrypt=false', '?encrypt=false&withDependencies=true'):
        unpack(export(client, 'orders-api', query), 'orders-api')
    bad_request(export(client, 'orders-api', '?withDependencies=yes'), '"withDependencies" must be true or false')
    bad_request(export(client, 'orders-api', '?encrypt=1'), '"encrypt" must be true or false')
    error_a(export(client, 'orders-api', '?encrypt=true'), 400, 'Package encryption requested but no passphrase was supplied.')
    error_a(export(client, 'orders-api', '?encrypt=true', {'X-Apinizer-Package-Passphrase': ' '}), 400,
            'Package encryption requested but no passphrase was supplied.')
    # encryption is not emulated: with a passphrase the same plain ZIP is served
    passphrase = {'X-Apinizer-Package-Passphrase': 'czNjcmV0'}
    assert unpack(export(client, 'orders-api', '?encrypt=true', passphrase), 'orders-api')['name'] == 'orders-api'


def test_export_errors_both_styles(client, newer):
    error_a(export(client, 'nope'), 400, 'ApiProxy (name: nope) was not found!', 'bad_request')
    error_b(export(newer, 'nope'), 400, 'ApiProxy (name: nope) was not found!')
    error_b(newer.get(api('projects', 'Demo', 'apiProxies', '', 'export')), 400, 'apiProxyName value can not be empty!')
    error_b(newer.get(api('projects', '', 'apiProxies', 'x', 'export')), 400, 'projectName value can not be empty!')
    error_b(export(newer, 'orders-api', project='Nope'), 400,
            'Project (Nope) is not found or user does not have privilege to access it!')
    assert client.get(proxy_path('orders-api', 'export'), token=None).status == 401
    response = client.post(proxy_path('orders-api', 'export'))
    assert response.status == 405 and response.headers['Allow'] == 'GET'
    assert client.get(proxy_path('orders-api') + 'export').status == 404  # no trailing slash


def test_export_is_logged_without_the_package(client):
    response = export(client, 'orders-api', '?withDependencies=true')
    assert response.status == 200 and response.data[:2] == b'PK'
    assert client.log() == [{'method': 'GET', 'path': '/apiops/projects/Demo/apiProxies/orders-api/export/',
                             'raw_path': '/apiops/projects/Demo/apiProxies/orders-api/export/',
                             'query': {'withDependencies': 'true'}, 'body': None, 'status': 200}]


def test_deny_export():
    for style, check in (('seed', error_a), ('newer', error_b)):
        server = Emulator('--deny-export', '--api-style', style)
        try:
            client = Client(server.url)
            check(export(client, 'orders-api'), 400, 'User does not have required permission for this operation!')
            check(export(client, 'live-feed', '?withDependencies=true'), 400,
                  'User does not have required permission for this operation!')
            assert client.proxy('orders-api')['name'] == 'orders-api'  # reading is still allowed
            assert client.log()[0]['status'] == 400
        finally:
            assert server.stop() == 0


def test_bad_start_options():
    for args in (['--proxy-detail', 'some'], ['--latency-ms', '-1'], ['--deploy-latency-ms', 'x']):
        server = Emulator(*args)
        assert server.url == ''
        assert server.stop() == 2, args
        assert 'usage:' in server.stderr_text()


# ---- latency ------------------------------------------------------------------------------------------

def parallel(count, call):
    """Run call(index) in count threads at once; answer the results and the seconds it took."""
    results = [None] * count
    barrier = threading.Barrier(count)

    def work(index):
        barrier.wait()
        results[index] = call(index)

    threads = [threading.Thread(target=work, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    for thread in threads:
        thread.join(30)
    return results, time.monotonic() - started


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_latency_delays_api_requests_without_blocking_other_clients():
    # Delays far above the noise of a loaded 2-core machine, so that the bounds prove the property.
    server = Emulator('--latency-ms', '1000', '--quiet')
    try:
        client = Client(server.url)
        response, seconds = timed(lambda: client.get(proxy_path('orders-api')))
        assert response.status == 200 and seconds >= 1.0
        response, seconds = timed(lambda: client.get('/apiops/test/healthcheck', token=None))
        assert response.status == 200 and seconds >= 1.0
        assert timed(lambda: client.get(proxy_path('orders-api'), token='wrong'))[1] >= 1.0
        # the admin endpoints answer at once
        assert timed(lambda: client.admin('GET', '/_emulator/requests'))[1] < 0.5
        results, seconds = parallel(10, lambda index: client.patch(
            proxy_path('orders-api', 'settings', 'maintenance-mode'), {'message': 'm%d' % index}).status)
        assert results == [200] * 10
        assert seconds < 5.0, seconds  # not 10 x 1 s
        assert len(client.log()) == 13
    finally:
        assert server.stop() == 0


def test_deploy_latency_per_environment_without_blocking_other_clients():
    server = Emulator('--deploy-latency-ms', '1000', '--quiet')
    try:
        client = Client(server.url)
        response, seconds = timed(lambda: client.post(proxy_path('orders-api', 'environments', 'test')))
        assert response.status == 200 and seconds >= 1.0
        response, seconds = timed(lambda: client.delete(proxy_path('orders-api', 'environments', 'test')))
        assert response.status == 200 and seconds >= 1.0
        # every environment of an in-body deploy, the failing one too
        body = {'enabled': True, 'deploy': True, 'deployTargetEnvironmentNameList': ['production', 'test', 'staging']}
        response, seconds = timed(lambda: client.patch(proxy_path('payments-api', 'settings', 'maintenance-mode'), body))
        assert response.status == 200 and seconds >= 3.0
        assert [item['success'] for item in response.json['deploymentResult']['deploymentResults']] == [True, True, False]
        error_a(timed(lambda: client.post(proxy_path('orders-api', 'environments', 'staging')))[0], 400,
                'Gateway pods unreachable')
        # no deploy, no wait: reads, settings writes without deploy, refused deploys
        assert timed(lambda: client.get(proxy_path('orders-api')))[1] < 0.5
        assert timed(lambda: client.patch(proxy_path('orders-api', 'settings', 'metadata'), {'description': 'x'}))[1] < 0.5
        response, seconds = timed(lambda: client.post(proxy_path('orders-api', 'environments', 'nowhere')))
        assert response.status == 400 and seconds < 0.5

        # a slow deploy holds up no one: reads during it, and ten deploys at once
        def call(index):
            if index % 2:
                return client.post(proxy_path('customer api', 'environments', 'production')).status, None
            return timed(lambda: client.get(proxy_path('orders-api')).status)

        results = parallel(10, call)[0]
        assert [result[0] for result in results] == [200] * 10
        assert max(result[1] for result in results if result[1] is not None) < 0.5
        results, seconds = parallel(10, lambda index: client.post(proxy_path('customer api', 'environments', 'test')).status)
        assert results == [200] * 10 and seconds < 5.0, seconds  # not 10 x 1 s
        assert client.deploy_status('customer api', 'test')['revision'] == 10
    finally:
        assert server.stop() == 0


# ---- faults after apply -----------------------------------------------------------------------------

def test_fault_after_apply_drop(client):
    path = proxy_path('orders-api', 'environments', 'test')
    client.admin('POST', '/_emulator/faults', {'method': 'POST', 'path': 'environments/test', 'drop': True, 'after_apply': True})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        client.post(path)
    assert client.deploy_status('orders-api', 'test')['revision'] == 1  # it was applied
    log = client.log()
    assert log[0] == {'method': 'POST', 'path': path, 'raw_path': path, 'query': {}, 'body': None, 'status': 200,
                      'fault': 'drop after apply'}
    assert 'fault' not in log[1]


def test_fault_after_apply_status(client):
    path = proxy_path('orders-api', 'settings', 'maintenance-mode')
    fault = client.admin('POST', '/_emulator/faults', {'path': 'maintenance-mode', 'status': 502, 'after_apply': True,
                                                       'body': '<html>Bad Gateway</html>', 'content_type': 'text/html',
                                                       'retry_after': 3})
    assert fault['after_apply'] is True
    response = client.patch(path, {'enabled': True})
    assert response.status == 502 and response.text == '<html>Bad Gateway</html>'
    assert response.headers['Content-Type'] == 'text/html' and response.headers['Retry-After'] == '3'
    assert client.proxy('orders-api')['maintenanceModeSetting']['enabled'] is True
    assert client.log()[0]['status'] == 200 and client.log()[0]['fault'] == 'status 502 after apply'
    # a request the server refuses is logged with its real status too
    client.admin('POST', '/_emulator/faults', {'path': 'maintenance-mode', 'status': 504, 'after_apply': True})
    error_a(client.patch(path, {'enabled': 'yes'}), 504, 'Injected fault (HTTP 504)')
    assert client.log()[-1]['status'] == 400 and client.log()[-1]['fault'] == 'status 504 after apply'


def test_fault_after_apply_delay(client):
    client.admin('POST', '/_emulator/faults', {'method': 'PATCH', 'path': 'orders-api', 'delay': 0.6, 'after_apply': True})
    other = []

    def look():
        time.sleep(0.3)
        other.append(client.proxy('orders-api')['maintenanceModeSetting']['message'])

    thread = threading.Thread(target=look)
    thread.start()
    response, seconds = timed(lambda: client.patch(proxy_path('orders-api', 'settings', 'maintenance-mode'), {'message': 'late'}))
    thread.join(5)
    assert response.status == 200 and seconds >= 0.6
    assert other == ['late']  # applied (and seen by others) before the answer was sent
    entry = [item for item in client.log() if item['method'] == 'PATCH'][0]
    assert entry['status'] == 200 and entry['fault'] == 'delay 0.6s after apply'


def test_fault_before_apply_is_labelled_in_the_log(client):
    client.admin('POST', '/_emulator/faults', {'path': 'orders-api/$', 'drop': True})
    client.admin('POST', '/_emulator/faults', {'path': 'payments-api/$', 'status': 503, 'delay': 0.1})
    client.admin('POST', '/_emulator/faults', {'path': 'live-feed/$', 'delay': 0.1})
    assert client.admin('GET', '/_emulator/faults')[0]['after_apply'] is False
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        client.get(proxy_path('orders-api'))
    assert client.get(proxy_path('payments-api')).status == 503
    assert client.get(proxy_path('live-feed')).status == 200
    assert client.get(proxy_path('legacy-soap')).status == 200
    assert [(entry['status'], entry.get('fault')) for entry in client.log()] == [
        (None, 'drop'), (503, 'delay 0.1s, status 503'), (200, 'delay 0.1s'), (200, None)]


def test_invalid_after_apply(client):
    response = client.request('POST', '/_emulator/faults', {'path': 'x', 'drop': True, 'after_apply': 'yes'}, token=None)
    assert response.status == 400 and '"after_apply" must be a boolean' in response.json['error_description']
