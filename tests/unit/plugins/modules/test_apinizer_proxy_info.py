# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import copy
import io
import json
import zipfile

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils._proxy import proxy_argument_spec
from ansible_collections.apinizer.apiops.plugins.module_utils import _proxy_modules
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_sections import CONNECTION, SECTIONS
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_maintenance_mode
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_proxy_connection
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_proxy_info as module
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_proxy_metadata
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_proxy_websocket
from ansible_collections.apinizer.apiops.tests.unit.conftest import BASE_URL

PROJECT_URL = BASE_URL + '/apiops/projects/Demo/'
LIST_URL = PROJECT_URL + 'apiProxies/'

MAINTENANCE = {'enabled': True, 'httpStatusCode': 503, 'contentType': 'text/plain', 'message': 'Back soon'}
ROUTING = {
    'routingEnabled': True, 'routingAddressList': [{'address': 'https://backend', 'weight': 100}],
    'connectionSettingsEnabled': True, 'connectTimeout': 30, 'readTimeout': 60, 'connectionRequestTimeout': 30,
    'redirectsEnabled': True, 'maxRedirects': 50, 'relativeRedirectsAllowed': True,
    'disableContentCompression': False, 'enableStreaming': False, 'retryCount': 0, 'failoverRetryCount': 0,
    'ignoreRoutingError': False, 'connectionPoolManagementType': 'CUSTOM', 'customConnectionPoolSize': 20,
    'validateAfterInactivity': 2000, 'idleConnectionTimeout': 30, 'queryEncodingMode': 'STANDARD',
    'hopByHopHeaders': ['Connection', 'Keep-Alive'], 'sendUserAgentToBackend': True, 'userAgentValue': None,
    'doNotRouteZeroValueContentLength': False, 'enableDownload': False, 'useByteArrayForCompressedResponse': False,
}
WEBSOCKET = {'connectionLostTimeout': 60, 'reuseAddr': False, 'connectTimeout': 30, 'maxRetries': 3,
             'retryDelay': 1000, 'autoReconnect': True, 'autoReconnectMaxRetries': 5, 'autoReconnectRetryDelay': 2000}
DEPLOYMENTS = [{'environmentName': 'production', 'deployed': True, 'redeployRequired': True},
               {'environmentName': 'test', 'deployed': False, 'redeployRequired': False}]


def full_proxy(name='orders-api', kind='REST', **extra):
    """A proxy as an emulator in full detail answers it: every section in the GET answer."""
    proxy = {
        'name': name, 'type': kind, 'apiType': kind, 'description': 'Orders', 'categoryList': ['E-commerce', 'Public'],
        'sharingType': 'BOTH', 'requestBodyReadBehavior': 'ALWAYS_READ', 'responseBodyReadBehavior': 'NEVER_READ',
        'direction': 'REQUEST_RESPONSE', 'disableDirectAccessToGateways': False,
        'globalApiProxySettingName': None, 'backendProxyApplyPolicies': False, 'fixSoapApiPortType': None,
        'routing': copy.deepcopy(ROUTING), 'maintenanceModeSetting': dict(MAINTENANCE),
        'deploymentList': copy.deepcopy(DEPLOYMENTS),
    }
    if kind == 'WEBSOCKET':
        proxy['routing']['websocketSettings'] = dict(WEBSOCKET)
    if kind == 'SOAP':
        proxy['fixSoapApiPortType'] = True
    proxy.update(extra)
    return proxy


def documented(proxy):
    """The same proxy as Apinizer documents its GET answer: no settings sections."""
    shown = {key: proxy[key] for key in ('name', 'description', 'apiType', 'categoryList', 'sharingType',
                                         'deploymentList') if key in proxy}
    shown['routing'] = {key: proxy['routing'][key] for key in ('routingEnabled', 'routingAddressList')}
    return shown


def package(definition):
    """An export package holding <name>.json in the names of Apinizer's create/update bodies."""
    body = {'routingInfo' if key == 'routing' else key: value for key, value in definition.items()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w') as archive:
        archive.writestr(definition['name'] + '.json', json.dumps(body))
    return buffer.getvalue()


def answer(proxy):
    return {'success': True, 'resultCount': 1, 'resultList': [proxy]}


def proxy_url(name):
    return LIST_URL + name.replace(' ', '%20') + '/'


def listing(*items):
    return {'status': 'SUCCESS', 'resultCount': len(items), 'resultList': [
        {'name': name, 'description': '', 'type': kind, 'relativePath': '/' + name, 'soapToRest': False}
        for name, kind in items]}


def paths(mocked_api):
    return [call.request.url[len(BASE_URL):] for call in mocked_api.calls]


ARGS = dict(project='Demo')


def test_one_proxy_in_the_option_names_of_the_managing_modules(mocked_api, run_module):
    mocked_api.get(proxy_url('orders-api'), json=answer(full_proxy()))
    result, failed = run_module(module, dict(ARGS, api_proxy='orders-api'))
    assert not failed and result['changed'] is False
    assert len(mocked_api.calls) == 1
    entry, = result['proxies']
    assert entry['name'] == 'orders-api' and entry['type'] == 'REST'
    assert entry['categories'] == ['E-commerce', 'Public']
    assert entry['deployments'] == [{'environment': 'production', 'deployed': True, 'redeploy_required': True},
                                    {'environment': 'test', 'deployed': False, 'redeploy_required': False}]
    assert entry['maintenance_mode'] == {'enabled': True, 'http_status_code': 503, 'content_type': 'text/plain',
                                         'maintenance_message': 'Back soon'}
    assert entry['metadata'] == {
        'description': 'Orders', 'categories': ['E-commerce', 'Public'], 'sharing_type': 'BOTH',
        'request_body_read_behavior': 'ALWAYS_READ', 'response_body_read_behavior': 'NEVER_READ',
        'direction': 'REQUEST_RESPONSE', 'disable_direct_access_to_gateways': False,
        'backend_proxy_apply_policies': False}
    assert entry['connection']['custom_connection_pool_size'] == 20
    assert entry['connection']['hop_by_hop_headers'] == ['Connection', 'Keep-Alive']
    # userAgentValue and globalApiProxySettingName are null: not set, left out (and not unreported).
    assert set(entry['connection']) == set(CONNECTION.argument_spec()) - {'user_agent_value'}
    assert 'websocket' not in entry
    assert entry['unreported'] == [] and entry['outside_choices'] == {}


def test_every_option_of_every_section_is_reported_once():
    """The sections are the settings modules' own tables: same option names, same API fields."""
    tables = {'maintenance_mode': _proxy_modules.MAINTENANCE_MODE, 'metadata': _proxy_modules.METADATA,
              'connection': _proxy_modules.PROXY_CONNECTION, 'websocket': _proxy_modules.WEBSOCKET}
    common = proxy_argument_spec({})
    for section in SECTIONS:
        owner = tables[section.name]
        own = {option: spec for option, spec in owner.argument_spec().items() if option not in common}
        assert section.module == owner.name
        assert set(section.api_names) <= set(own)
        assert set(own) - set(section.api_names) <= {'request_format'}
        assert section.argument_spec() == own


def test_websocket_proxy_has_the_websocket_section(mocked_api, run_module):
    mocked_api.get(proxy_url('live-feed'), json=answer(full_proxy('live-feed', 'WEBSOCKET')))
    result, failed = run_module(module, dict(ARGS, api_proxy='live-feed'))
    assert not failed
    assert result['proxies'][0]['websocket'] == {
        'connection_lost_timeout': 60, 'reuse_addr': False, 'connect_timeout': 30, 'max_retries': 3,
        'retry_delay': 1000, 'auto_reconnect': True, 'auto_reconnect_max_retries': 5,
        'auto_reconnect_retry_delay': 2000}


def test_fix_soap_api_port_type_only_for_soap_proxies(mocked_api, run_module):
    mocked_api.get(proxy_url('legacy'), json=answer(full_proxy('legacy', 'SOAP')))
    result, failed = run_module(module, dict(ARGS, api_proxy='legacy'))
    assert result['proxies'][0]['metadata']['fix_soap_api_port_type'] is True


def test_documented_read_takes_the_rest_from_one_export(mocked_api, run_module):
    proxy = full_proxy('live-feed', 'WEBSOCKET')
    mocked_api.get(proxy_url('live-feed'), json=answer(documented(proxy)))
    mocked_api.get(proxy_url('live-feed') + 'export/', body=package(proxy), content_type='application/octet-stream')
    result, failed = run_module(module, dict(ARGS, api_proxy='live-feed'))
    assert not failed
    assert paths(mocked_api) == ['/apiops/projects/Demo/apiProxies/live-feed/',
                                 '/apiops/projects/Demo/apiProxies/live-feed/export/']
    entry = result['proxies'][0]
    assert entry['type'] == 'WEBSOCKET'
    assert entry['maintenance_mode']['http_status_code'] == 503
    assert entry['metadata']['response_body_read_behavior'] == 'NEVER_READ'
    assert entry['connection']['connection_pool_management_type'] == 'CUSTOM'
    assert entry['websocket']['auto_reconnect'] is True
    assert entry['unreported'] == []


def test_a_field_no_source_reports_is_listed_and_left_out(mocked_api, run_module):
    proxy = full_proxy()
    del proxy['maintenanceModeSetting']['httpStatusCode']
    del proxy['routing']['retryCount']
    exported = copy.deepcopy(proxy)
    mocked_api.get(proxy_url('orders-api'), json=answer(proxy))
    mocked_api.get(proxy_url('orders-api') + 'export/', body=package(exported))
    result, failed = run_module(module, dict(ARGS, api_proxy='orders-api'))
    entry = result['proxies'][0]
    assert entry['unreported'] == ['maintenance_mode.http_status_code', 'connection.retry_count']
    assert 'http_status_code' not in entry['maintenance_mode']
    assert 'retry_count' not in entry['connection']
    assert len(mocked_api.calls) == 2


def test_export_refused_marks_the_sections_unreported_and_is_asked_once(mocked_api, run_module):
    mocked_api.get(LIST_URL, json=listing(('a', 'REST'), ('b', 'REST'), ('c', 'REST')))
    for name in 'abc':
        mocked_api.get(proxy_url(name), json=answer(documented(full_proxy(name))))
    mocked_api.get(proxy_url('a') + 'export/', status=400,
                   json={'status': 'FAILURE', 'resultMessage': 'User does not have required permission for this operation!'})
    result, failed = run_module(module, ARGS)
    assert not failed
    assert [p.split('/')[-2] for p in paths(mocked_api)] == ['apiProxies', 'a', 'export', 'b', 'c']
    entry = result['proxies'][0]
    assert entry['maintenance_mode'] is None and entry['connection'] is None
    assert entry['metadata'] == {'description': 'Orders', 'categories': ['E-commerce', 'Public'],
                                 'sharing_type': 'BOTH'}
    assert 'maintenance_mode.enabled' in entry['unreported']
    assert 'metadata.direction' in entry['unreported']
    assert 'metadata.sharing_type' not in entry['unreported']
    assert len(result['warnings']) == 2
    assert "Apinizer refused the export of API proxy 'a'" in result['warnings'][0]
    assert 'not asked for the other 2 API proxies' in result['warnings'][1]


def test_a_value_outside_the_module_choices_is_shown_apart(mocked_api, run_module):
    mocked_api.get(proxy_url('partner'), json=answer(full_proxy('partner', sharingType='PROJECT')))
    result, failed = run_module(module, dict(ARGS, api_proxy='partner'))
    entry = result['proxies'][0]
    assert 'sharing_type' not in entry['metadata']
    assert entry['outside_choices'] == {'metadata.sharing_type': 'PROJECT'}
    assert entry['unreported'] == []


def test_deploy_state_from_deploy_status_when_no_source_lists_it(mocked_api, run_module):
    proxy = full_proxy()
    del proxy['deploymentList']
    mocked_api.get(proxy_url('orders-api'), json=answer(proxy))
    mocked_api.get(PROJECT_URL + 'environments/', json={'status': 'SUCCESS', 'resultList': [
        {'name': 'production', 'deployed': None}, {'name': 'test', 'deployed': None}]})
    mocked_api.get(proxy_url('orders-api') + 'environments/production/deploy-status/', json={
        'status': 'SUCCESS', 'resultList': [{'deployed': True, 'redeployRequired': False, 'revision': 3}]})
    mocked_api.get(proxy_url('orders-api') + 'environments/test/deploy-status/', json={
        'status': 'SUCCESS', 'resultList': [{'deployed': False, 'redeployRequired': False, 'revision': None}]})
    result, failed = run_module(module, dict(ARGS, api_proxy='orders-api'))
    assert not failed
    assert result['proxies'][0]['deployments'] == [
        {'environment': 'production', 'deployed': True, 'redeploy_required': False},
        {'environment': 'test', 'deployed': False, 'redeploy_required': False}]


def test_deploy_state_from_the_export_when_it_was_read_anyway(mocked_api, run_module):
    proxy = full_proxy()
    shown = documented(proxy)
    del shown['deploymentList']
    mocked_api.get(proxy_url('orders-api'), json=answer(shown))
    mocked_api.get(proxy_url('orders-api') + 'export/', body=package(proxy))
    result, failed = run_module(module, dict(ARGS, api_proxy='orders-api'))
    assert result['proxies'][0]['deployments'][0] == {'environment': 'production', 'deployed': True,
                                                      'redeploy_required': True}
    assert len(mocked_api.calls) == 2


def test_type_unreported_is_listed(mocked_api, run_module):
    proxy = full_proxy()
    del proxy['type'], proxy['apiType']
    mocked_api.get(proxy_url('orders-api'), json=answer(proxy))
    # The websocket section may apply to a proxy of unknown type: the export is asked for it.
    mocked_api.get(proxy_url('orders-api') + 'export/', body=package(proxy))
    result, failed = run_module(module, dict(ARGS, api_proxy='orders-api'))
    entry = result['proxies'][0]
    assert entry['type'] is None and entry['unreported'] == ['type']
    assert 'websocket' not in entry  # no websocket field reported either
    assert 'fix_soap_api_port_type' not in entry['metadata']  # reported as null: not set
    assert len(mocked_api.calls) == 2


def test_missing_proxy_is_an_empty_list(mocked_api, run_module):
    mocked_api.get(proxy_url('nope'), status=400, json={'status': 'FAILURE',
                                                        'resultMessage': 'ApiProxy (name: nope) was not found!'})
    result, failed = run_module(module, dict(ARGS, api_proxy='nope'))
    assert not failed and result['proxies'] == []


def test_missing_project_fails_with_the_api_error(mocked_api, run_module):
    message = 'Project (Demo) is not found or user does not have privilege to access it!'
    mocked_api.get(LIST_URL, status=400, json={'status': 'FAILURE', 'resultMessage': message})
    result, failed = run_module(module, ARGS)
    assert failed and message in result['msg']
    assert result['api_error']['status'] == 400


# ---- filters -------------------------------------------------------------------------------------------

def test_name_pattern_and_type_filter_the_project_list_before_any_proxy_read(mocked_api, run_module):
    mocked_api.get(LIST_URL, json=listing(('orders-api', 'REST'), ('orders-feed', 'WEBSOCKET'),
                                          ('payments-api', 'REST'), ('orders-v2', 'REST')))
    mocked_api.get(proxy_url('orders-api'), json=answer(full_proxy('orders-api')))
    mocked_api.get(proxy_url('orders-v2'), json=answer(full_proxy('orders-v2')))
    result, failed = run_module(module, dict(ARGS, name_pattern='orders-*', type='REST'))
    assert not failed
    assert [entry['name'] for entry in result['proxies']] == ['orders-api', 'orders-v2']
    assert len(mocked_api.calls) == 3


def test_name_pattern_is_case_sensitive_and_shell_style(mocked_api, run_module):
    mocked_api.get(LIST_URL, json=listing(('Orders', 'REST'), ('orders', 'REST'), ('order', 'REST')))
    mocked_api.get(proxy_url('orders'), json=answer(full_proxy('orders')))
    result, failed = run_module(module, dict(ARGS, name_pattern='order?'))
    assert [entry['name'] for entry in result['proxies']] == ['orders']


def test_category_filter_needs_no_export_for_a_proxy_it_excludes(mocked_api, run_module):
    mocked_api.get(LIST_URL, json=listing(('a', 'REST'), ('b', 'REST')))
    mocked_api.get(proxy_url('a'), json=answer(documented(full_proxy('a', categoryList=['CRM']))))
    mocked_api.get(proxy_url('b'), json=answer(full_proxy('b')))
    result, failed = run_module(module, dict(ARGS, category='Public'))
    assert [entry['name'] for entry in result['proxies']] == ['b']
    assert len(mocked_api.calls) == 3


def test_type_filter_on_one_proxy(mocked_api, run_module):
    mocked_api.get(proxy_url('orders-api'), json=answer(full_proxy()))
    result, failed = run_module(module, dict(ARGS, api_proxy='orders-api', type='WEBSOCKET'))
    assert not failed and result['proxies'] == []


def test_check_mode_reads_the_same(mocked_api, run_module):
    mocked_api.get(proxy_url('orders-api'), json=answer(full_proxy()))
    result, failed = run_module(module, dict(ARGS, api_proxy='orders-api'), check_mode=True, diff=True)
    assert not failed and result['changed'] is False
    assert len(result['proxies']) == 1 and 'diff' not in result
    assert [call.request.method for call in mocked_api.calls] == ['GET']


@pytest.mark.parametrize('args, message', [
    (dict(api_proxy='a', name_pattern='a*'), 'mutually exclusive'),
    (dict(project=''), 'project must not be empty.'),
    (dict(api_proxy=' '), 'api_proxy must not be empty.'),
    (dict(type='AI'), 'value of type must be one of'),
])
def test_bad_options_fail_before_any_request(mocked_api, run_module, args, message):
    result, failed = run_module(module, dict(ARGS, **args))
    assert failed and message in result['msg']
    assert len(mocked_api.calls) == 0


# ---- round trip ------------------------------------------------------------------------------------------

@pytest.mark.parametrize('kind, section, managing', [
    ('REST', 'maintenance_mode', apinizer_maintenance_mode),
    ('SOAP', 'metadata', apinizer_proxy_metadata),
    ('REST', 'connection', apinizer_proxy_connection),
    ('WEBSOCKET', 'websocket', apinizer_proxy_websocket),
])
def test_a_section_fed_back_to_its_module_changes_nothing(mocked_api, run_module, kind, section, managing):
    mocked_api.get(proxy_url('orders-api'), json=answer(full_proxy(kind=kind)))
    info, failed = run_module(module, dict(ARGS, api_proxy='orders-api'))
    values = info['proxies'][0][section]
    assert values
    result, failed = run_module(managing, dict(ARGS, api_proxy='orders-api', **values))
    assert not failed and result['changed'] is False, result
    assert [call.request.method for call in mocked_api.calls] == ['GET', 'GET']


# Deploy state you can see: revisions, route health, deploy history (each asked for) -----------

def test_deploy_status_route_health_and_history_when_asked(mocked_api, run_module):
    from ansible_collections.apinizer.apiops.tests.unit.conftest import healthy_route
    mocked_api.get(proxy_url('orders-api'), json=answer(full_proxy(deploymentList=[
        {'environmentName': 'production', 'deployed': True, 'redeployRequired': False},
        {'environmentName': 'test', 'deployed': False, 'redeployRequired': False}])))
    for env, revision in (('production', 12), ('test', None)):
        mocked_api.get(proxy_url('orders-api') + 'environments/%s/deploy-status/' % env, json={
            'status': 'SUCCESS', 'resultList': [{'deployed': revision is not None, 'revision': revision,
                                                 'lastDeployTime': '2026-06-16T10:30:00Z' if revision else None,
                                                 'redeployRequired': False}]})
    mocked_api.get(proxy_url('orders-api') + 'environments/production/route-health/', json=healthy_route(2))
    # test is undeployed, but one pod still serves the route: an orphan
    mocked_api.get(proxy_url('orders-api') + 'environments/test/route-health/', json=healthy_route(2, active=1))
    mocked_api.get(proxy_url('orders-api') + 'deploy-histories/', json={'status': 'SUCCESS', 'resultList': [
        {'revision': revision, 'environment': 'production', 'deploy': True, 'username': 'admin'}
        for revision in (10, 12, 11)]})
    result, failed = run_module(module, dict(ARGS, api_proxy='orders-api', deploy_status=True, route_health=True,
                                             deploy_history=2))
    assert not failed
    [entry] = result['proxies']
    production, test = entry['deployments']
    assert production['revision'] == 12 and production['last_deploy_time'] == '2026-06-16T10:30:00Z'
    assert production['route']['route_active'] is True and production['route']['orphan'] is False
    assert production['route']['problems'] == []
    assert test['revision'] is None
    assert test['route']['orphan'] is True
    assert test['route']['problems'] == ['10.0.0.1 still serves the route', '1 pod still serves the route']
    assert [record['revision'] for record in entry['deploy_history']] == [12, 11]
    assert len(mocked_api.calls) == 1 + 2 + 2 + 1


def test_a_negative_history_length_is_refused(mocked_api, run_module):
    result, failed = run_module(module, dict(ARGS, deploy_history=-1))
    assert failed and 'deploy_history must be 0 or more, got -1.' in result['msg'] and len(mocked_api.calls) == 0
