# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of the four settings PATCHes: websocket, connection settings, metadata, maintenance mode.

Run: python -m pytest -q tests/emulator
"""

from __future__ import annotations

from emulator_helpers import CONNECTION_SETTINGS, WEBSOCKET_DEFAULTS, bad_request, error_a, error_b, proxy_path


METADATA = {
    'description': 'new description', 'categoryList': ['A', 'B'], 'sharingType': 'EXTERNAL',
    'requestBodyReadBehavior': 'READ_IF_POLICY_EXISTS', 'responseBodyReadBehavior': 'NEVER_READ',
    'direction': 'REQUEST_ONLY', 'disableDirectAccessToGateways': True,
    'globalApiProxySettingName': 'Default Global Settings', 'backendProxyApplyPolicies': True,
}


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
    last = client.last_revision('live-feed')
    response = client.patch(proxy_path('live-feed', 'settings', 'websocket'),
                            {'websocketSettings': {'autoReconnect': True}, 'deploy': True,
                             'deployTargetEnvironmentNameList': ['production', 'test']})
    assert response.json == {'success': True, 'deploymentResult': {'success': True, 'deploymentResults': [
        {'environmentName': 'production', 'success': True, 'message': 'Deployment successful'},
        {'environmentName': 'test', 'success': True, 'message': 'Deployment successful'}]}}
    # one revision per deploy to one environment, in the order of the list
    assert client.deploy_status('live-feed', 'production')['revision'] == last + 1
    assert client.deploy_status('live-feed', 'test')['revision'] == last + 2


# ---- PATCH connection settings ----------------------------------------------------------------------

def test_connection_settings_all_fields(client, newer):
    for each in (client, newer):
        assert each.patch(proxy_path('orders-api', 'settings', 'connection'), CONNECTION_SETTINGS).json == {'success': True}
        routing = each.proxy('orders-api')['routing']
        assert {key: routing[key] for key in CONNECTION_SETTINGS} == CONNECTION_SETTINGS


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
    assert {key: proxy[key] for key in METADATA} == METADATA
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
