# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of --proxy-detail documented, the export package and --deny-export.

Run: python -m pytest -q tests/emulator
"""

from __future__ import annotations

import io
import json
import zipfile

from emulator_helpers import WEBSOCKET_DEFAULTS, Client, Emulator, api, bad_request, error_a, error_b, proxy_path


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
        assert {key: full[key] for key in DOCUMENTED_KEYS - {'routing'}} == {
            key: proxy[key] for key in DOCUMENTED_KEYS - {'routing'}}
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
