# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of GET API proxy, the proxy list, paths and names, and the environments.

Run: python -m pytest -q tests/emulator
"""

from __future__ import annotations

from urllib.parse import quote

from emulator_helpers import CONNECTION_SETTINGS, WEBSOCKET_DEFAULTS, api, bad_request, error_a, error_b, proxy_path


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
    assert {key: routing[key] for key in expected} == expected
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
