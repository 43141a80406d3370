# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils import _proxy_modules as modules
from ansible_collections.apinizer.apiops.plugins.module_utils import _proxy_sections as sections
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_proxy_connection as module
from ansible_collections.apinizer.apiops.tests.unit.conftest import (
    BASE_URL,
    deploy_answer,
    deployment_list,
    documented_proxy,
    mock_export,
    mock_export_refused,
    proxy_answer,
    sent,
    sent_json,
    writes,
)

PROXY_PATH = '/apiops/projects/Demo/apiProxies/orders-api/'
PROXY_URL = BASE_URL + PROXY_PATH
PATCH_PATH = PROXY_PATH + 'settings/connection/'
PATCH_URL = BASE_URL + PATCH_PATH
ARGS = dict(project='Demo', api_proxy='orders-api')

pytestmark = pytest.mark.usefixtures('clear_warnings')

# The seed's full example (S1) plus the newer docs' fields, as a server reports them in `routing`.
ROUTING = {
    'connectionSettingsEnabled': True, 'connectTimeout': 30, 'readTimeout': 60, 'connectionRequestTimeout': 30,
    'redirectsEnabled': True, 'maxRedirects': 50, 'relativeRedirectsAllowed': True,
    'disableContentCompression': False, 'enableStreaming': False, 'retryCount': 3, 'failoverRetryCount': 2,
    'ignoreRoutingError': False, 'connectionPoolManagementType': 'GENERAL', 'customConnectionPoolSize': 8,
    'validateAfterInactivity': 2000, 'idleConnectionTimeout': 30, 'queryEncodingMode': 'STANDARD',
    'hopByHopHeaders': ['Connection', 'Keep-Alive'], 'sendUserAgentToBackend': False, 'userAgentValue': '',
    'doNotRouteZeroValueContentLength': False, 'enableDownload': False, 'useByteArrayForCompressedResponse': False,
}

# Option values equal to ROUTING, by option name.
SAME = dict(
    connection_settings_enabled=True, connect_timeout=30, read_timeout=60, connection_request_timeout=30,
    redirects_enabled=True, max_redirects=50, relative_redirects_allowed=True, disable_content_compression=False,
    enable_streaming=False, retry_count=3, failover_retry_count=2, ignore_routing_error=False,
    connection_pool_management_type='GENERAL', custom_connection_pool_size=8, validate_after_inactivity=2000,
    idle_connection_timeout=30, query_encoding_mode='STANDARD', hop_by_hop_headers=['Connection', 'Keep-Alive'],
    send_user_agent_to_backend=False, user_agent_value='', do_not_route_zero_value_content_length=False,
    enable_download=False, use_byte_array_for_compressed_response=False,
)


def definition(routing=None, key='routing', deployments=None):
    proxy = {'name': 'orders-api', 'type': 'REST', 'apiType': 'REST', 'description': 'Orders',
             'deploymentList': deployments or deployment_list(('production', True, False), ('test', True, False))}
    if routing is not None:
        proxy[key] = dict(routing)
    return proxy


def rest_proxy(routing=None, key='routing', deployments=None):
    return proxy_answer(definition(routing, key, deployments))


def test_the_seed_fields_and_the_newer_fields_are_all_options():
    seed = ['connectionSettingsEnabled', 'connectTimeout', 'readTimeout', 'connectionRequestTimeout',
            'redirectsEnabled', 'maxRedirects', 'relativeRedirectsAllowed', 'disableContentCompression',
            'enableStreaming', 'retryCount', 'failoverRetryCount', 'ignoreRoutingError',
            'connectionPoolManagementType', 'customConnectionPoolSize']
    newer = ['validateAfterInactivity', 'idleConnectionTimeout', 'queryEncodingMode', 'hopByHopHeaders',
             'sendUserAgentToBackend', 'userAgentValue', 'doNotRouteZeroValueContentLength', 'enableDownload',
             'useByteArrayForCompressedResponse']
    fields = modules.ConnectionSettings.section.api_names
    assert sorted(fields.values()) == sorted(seed + newer)
    assert set(fields) == set(sections.CONNECTION.argument_spec()) == set(SAME)
    assert fields['hop_by_hop_headers'] == 'hopByHopHeaders'
    assert sections.CONNECTION.argument_spec()['connection_pool_management_type']['choices'] == ['GENERAL', 'CUSTOM', 'NONE']
    assert sections.CONNECTION.argument_spec()['query_encoding_mode']['choices'] == ['STANDARD', 'RFC3986', 'PASSTHROUGH']


def test_every_field_unchanged_sends_only_the_read(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=rest_proxy(ROUTING))
    result, failed = run_module(module, dict(ARGS, **SAME))
    assert not failed and result['changed'] is False
    assert [c.request.method for c in mocked_api.calls] == ['GET']
    assert result['before'] == result['after'] == SAME
    assert result['requests'] == [] and result['warnings'] == []


def test_numbers_reported_as_strings_are_equal(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=rest_proxy(dict(ROUTING, readTimeout='60', enableStreaming='false')))
    result, failed = run_module(module, dict(ARGS, read_timeout=60, enable_streaming=False))
    assert not failed and result['changed'] is False


def test_every_field_changed_is_sent_under_its_api_name(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=rest_proxy(ROUTING))
    mocked_api.patch(PATCH_URL, json={'success': True})
    changed = dict(
        connection_settings_enabled=False, connect_timeout=31, read_timeout=61, connection_request_timeout=31,
        redirects_enabled=False, max_redirects=5, relative_redirects_allowed=False, disable_content_compression=True,
        enable_streaming=True, retry_count=1, failover_retry_count=0, ignore_routing_error=True,
        connection_pool_management_type='NONE', custom_connection_pool_size=9, validate_after_inactivity=500,
        idle_connection_timeout=10, query_encoding_mode='RFC3986', hop_by_hop_headers=['Upgrade'],
        send_user_agent_to_backend=True, user_agent_value='Apinizer', do_not_route_zero_value_content_length=True,
        enable_download=True, use_byte_array_for_compressed_response=True,
    )
    result, failed = run_module(module, dict(ARGS, **changed))
    assert not failed and result['changed'] is True
    fields = modules.ConnectionSettings.section.api_names
    assert sent_json(mocked_api.calls[1]) == {fields[k]: v for k, v in changed.items()}


def test_only_differing_fields_are_patched_and_diffed(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=rest_proxy(ROUTING))
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, connect_timeout=30, read_timeout=120, retry_count=3), diff=True)
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {'readTimeout': 120}
    assert result['diff'] == {'before': {'connect_timeout': 30, 'read_timeout': 60, 'retry_count': 3},
                              'after': {'connect_timeout': 30, 'read_timeout': 120, 'retry_count': 3}}
    assert result['before'] == result['diff']['before'] and result['after'] == result['diff']['after']
    assert result['requests'] == [{'method': 'PATCH', 'path': PATCH_PATH, 'body': {'readTimeout': 120},
                                   'does': ['write'], 'repeatable': True}]


def test_hop_by_hop_headers_compare_without_order(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=rest_proxy(ROUTING))
    result, failed = run_module(module, dict(ARGS, hop_by_hop_headers=['Keep-Alive', 'Connection']))
    assert not failed and result['changed'] is False


def test_empty_hop_by_hop_headers_clears_them(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=rest_proxy(ROUTING))
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, hop_by_hop_headers=[]))
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {'hopByHopHeaders': []}


def test_custom_pool_without_size_fails_before_any_request(mocked_api, run_module):
    result, failed = run_module(module, dict(ARGS, connection_pool_management_type='CUSTOM'))
    assert failed
    assert 'connection_pool_management_type is CUSTOM' in result['msg']
    assert 'custom_connection_pool_size' in result['msg']
    assert len(mocked_api.calls) == 0


def test_custom_pool_is_sent_with_its_size_even_when_the_size_is_unchanged(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=rest_proxy(ROUTING))
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, connection_pool_management_type='CUSTOM',
                                             custom_connection_pool_size=8))
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {'connectionPoolManagementType': 'CUSTOM',
                                              'customConnectionPoolSize': 8}


def test_size_alone_changes_on_a_custom_pool(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=rest_proxy(dict(ROUTING, connectionPoolManagementType='CUSTOM')))
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, connection_pool_management_type='CUSTOM',
                                             custom_connection_pool_size=20))
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {'customConnectionPoolSize': 20}


@pytest.mark.parametrize('option, value', [('connection_pool_management_type', 'SHARED'),
                                           ('query_encoding_mode', 'rfc3986')])
def test_enum_values_outside_the_docs_fail_before_any_request(mocked_api, run_module, option, value):
    result, failed = run_module(module, dict(ARGS, **{option: value}))
    assert failed and option in result['msg']
    assert len(mocked_api.calls) == 0


def test_connection_settings_object_is_read_when_routing_lacks_the_fields(mocked_api, run_module):
    body = rest_proxy({'readTimeout': 60}, key='connectionSettings')
    body['resultList'][0]['routing'] = {'apiRoutingList': [{'url': 'http://backend'}]}
    mocked_api.get(PROXY_URL, json=body)
    result, failed = run_module(module, dict(ARGS, read_timeout=60))
    assert not failed and result['changed'] is False


def test_fields_an_older_server_does_not_report_are_written_and_warned(mocked_api, run_module):
    seed_era = {k: v for k, v in ROUTING.items() if k not in ('queryEncodingMode', 'hopByHopHeaders')}
    mocked_api.get(PROXY_URL, json=rest_proxy(seed_era))
    mock_export(mocked_api, PROXY_URL, definition(seed_era))
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, read_timeout=60, query_encoding_mode='STANDARD',
                                             hop_by_hop_headers=['Connection']))
    assert not failed and result['changed'] is True
    assert sent(mocked_api) == [('GET', PROXY_URL), ('GET', PROXY_URL + 'export/'), ('PATCH', PATCH_URL)]
    assert sent_json(mocked_api.calls[2]) == {'queryEncodingMode': 'STANDARD', 'hopByHopHeaders': ['Connection']}
    assert result['warnings'] == [
        "Apinizer reported neither in the API proxy nor in its export package hop_by_hop_headers, query_encoding_mode "
        "of API proxy 'orders-api' (project 'Demo'): they are sent without comparison, so idempotency cannot be "
        "verified for them."]
    assert result['before'] == {'read_timeout': 60}
    assert result['after'] == {'read_timeout': 60, 'query_encoding_mode': 'STANDARD', 'hop_by_hop_headers': ['Connection']}


def test_check_mode_writes_nothing(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=rest_proxy(ROUTING))
    result, failed = run_module(module, dict(ARGS, read_timeout=90, deploy=True, deploy_environments=['test']),
                                check_mode=True)
    assert not failed and result['changed'] is True
    assert [c.request.method for c in mocked_api.calls] == ['GET']
    assert result['deployments'] == [{'environment': 'test', 'success': None, 'skipped': False,
                                      'message': 'Would deploy (check mode)'}]
    assert result['requests'] == [
        {'method': 'PATCH', 'path': PATCH_PATH, 'body': {'readTimeout': 90}, 'does': ['write'], 'repeatable': True},
        {'method': 'POST', 'path': PROXY_PATH + 'environments/test/', 'body': None, 'does': ['deploy'],
         'repeatable': False}]


def test_check_mode_lists_would_be_deploys_and_skips_where_not_deployed(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=rest_proxy(ROUTING, deployments=deployment_list(('production', True, False))))
    mocked_api.get(PROXY_URL + 'environments/test/deploy-status/', json={
        'success': True, 'resultList': [{'deployed': False, 'redeployRequired': False}], 'resultCount': 1})
    result, failed = run_module(module, dict(ARGS, read_timeout=90, deploy=True,
                                             deploy_environments=['production', 'test']), check_mode=True)
    assert not failed and result['changed'] is True
    assert writes(mocked_api) == []
    assert result['deployments'] == [
        {'environment': 'test', 'success': None, 'skipped': True,
         'message': 'Not deployed in this environment, so it was left alone; '
                    'use apinizer.apiops.apinizer_proxy_deploy to deploy it there.'},
        {'environment': 'production', 'success': None, 'skipped': False, 'message': 'Would deploy (check mode)'}]
    assert [(r['method'], r['path']) for r in result['requests']] == [
        ('PATCH', PATCH_PATH), ('POST', PROXY_PATH + 'environments/production/')]


def test_change_with_deploy_to_two_environments(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=rest_proxy(ROUTING))
    mocked_api.patch(PATCH_URL, json={'success': True})
    for env in ('production', 'test'):
        mocked_api.post(PROXY_URL + 'environments/%s/' % env, json=deploy_answer(env, message='ok'))
    result, failed = run_module(module, dict(ARGS, read_timeout=90, deploy=True,
                                             deploy_environments=['production', 'test']))
    assert not failed and result['changed'] is True
    # the read, the PATCH, a deploy per environment, then each deploy verified on the gateway pods
    assert [c.request.method for c in mocked_api.calls] == ['GET', 'PATCH', 'POST', 'POST', 'GET', 'GET']
    assert sent_json(mocked_api.calls[1]) == {'readTimeout': 90}
    assert result['deployments'] == [
        {'environment': env, 'success': True, 'skipped': False, 'message': 'ok'} for env in ('production', 'test')]


def test_deploy_failure_fails_and_says_the_settings_were_saved(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=rest_proxy(ROUTING, deployments=deployment_list(('staging', True, False))))
    mocked_api.patch(PATCH_URL, json={'success': True})
    mocked_api.post(PROXY_URL + 'environments/staging/', status=400, json={
        'status': 'FAILURE', 'resultMessage': 'Gateway pods unreachable'})
    result, failed = run_module(module, dict(ARGS, read_timeout=90, deploy=True, deploy_environments=['staging']))
    assert failed and result['changed'] is True
    assert result['msg'] == ("Deploying API proxy 'orders-api' (project 'Demo') failed for environment 'staging': "
                             "Apinizer API POST %senvironments/staging/ failed (HTTP 400): "
                             "Gateway pods unreachable. The connection settings themselves were saved. Re-run the "
                             "task to retry the deploy." % PROXY_PATH)
    assert result['api_error'] == {'method': 'POST', 'path': PROXY_PATH + 'environments/staging/', 'status': 400,
                                   'message': 'Gateway pods unreachable'}
    assert [c.request.method for c in mocked_api.calls] == ['GET', 'PATCH', 'POST']


def test_a_refused_deploy_does_not_stop_the_other_environments(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=rest_proxy(ROUTING))
    mocked_api.patch(PATCH_URL, json={'success': True})
    mocked_api.post(PROXY_URL + 'environments/production/', status=400, json={
        'status': 'FAILURE', 'resultMessage': 'Gateway pods unreachable'})
    mocked_api.post(PROXY_URL + 'environments/test/', json=deploy_answer('test'))
    result, failed = run_module(module, dict(ARGS, read_timeout=90, deploy=True,
                                             deploy_environments=['production', 'test']))
    assert failed and result['changed'] is True
    assert writes(mocked_api) == [('PATCH', PATCH_URL), ('POST', PROXY_URL + 'environments/production/'),
                                  ('POST', PROXY_URL + 'environments/test/')]
    assert result['deployments'] == [
        {'environment': 'production', 'success': False, 'skipped': False, 'message': 'Gateway pods unreachable'},
        {'environment': 'test', 'success': True, 'skipped': False, 'message': 'Deployment successful'}]
    assert result['msg'] == ("Deploying API proxy 'orders-api' (project 'Demo') failed for environment 'production': "
                             "Apinizer API POST %senvironments/production/ failed (HTTP 400): "
                             "Gateway pods unreachable. The connection settings themselves were saved. Re-run the "
                             "task to retry the deploy." % PROXY_PATH)


def test_a_deploy_refused_with_429_is_sent_again_after_retry_after(mocked_api, run_module, no_sleep):
    mocked_api.get(PROXY_URL, json=rest_proxy(ROUTING))
    mocked_api.patch(PATCH_URL, json={'success': True})
    mocked_api.post(PROXY_URL + 'environments/production/', status=429, headers={'Retry-After': '2'},
                    json={'status': 'FAILURE', 'resultMessage': 'Too many requests'})
    mocked_api.post(PROXY_URL + 'environments/production/', json=deploy_answer('production'))
    result, failed = run_module(module, dict(ARGS, read_timeout=90, deploy=True, deploy_environments=['production']))
    assert not failed and result['changed'] is True
    assert writes(mocked_api) == [('PATCH', PATCH_URL), ('POST', PROXY_URL + 'environments/production/'),
                                  ('POST', PROXY_URL + 'environments/production/')]
    assert no_sleep == [2.0]
    assert result['deployments'] == [{'environment': 'production', 'success': True, 'skipped': False,
                                      'message': 'Deployment successful'}]
    assert result['warnings'] == []


# --- State from the export package ----------------------------------------------------------


def test_documented_get_reads_the_export_once_and_an_unchanged_task_sends_two_requests(mocked_api, run_module):
    full = definition(dict(ROUTING, routingEnabled=True, routingAddressList=[{'address': 'http://backend'}]))
    mocked_api.get(PROXY_URL, json=documented_proxy(full))
    mock_export(mocked_api, PROXY_URL, full)
    result, failed = run_module(module, dict(ARGS, deploy=True, deploy_environments=['production', 'test'], **SAME))
    assert not failed and result['changed'] is False
    assert sent(mocked_api) == [('GET', PROXY_URL), ('GET', PROXY_URL + 'export/')]
    assert result['before'] == result['after'] == SAME
    assert result['warnings'] == []


def test_documented_get_with_a_change_adds_exactly_one_patch(mocked_api, run_module):
    full = definition(dict(ROUTING, routingEnabled=True, routingAddressList=[]))
    mocked_api.get(PROXY_URL, json=documented_proxy(full))
    mock_export(mocked_api, PROXY_URL, full)
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, **dict(SAME, read_timeout=120, hop_by_hop_headers=['Upgrade'])))
    assert not failed and result['changed'] is True
    assert sent(mocked_api) == [('GET', PROXY_URL), ('GET', PROXY_URL + 'export/'), ('PATCH', PATCH_URL)]
    assert sent_json(mocked_api.calls[2]) == {'readTimeout': 120, 'hopByHopHeaders': ['Upgrade']}
    assert result['before'] == SAME
    assert result['after'] == dict(SAME, read_timeout=120, hop_by_hop_headers=['Upgrade'])


def test_export_refused_for_permission_writes_and_warns_naming_export_import(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=documented_proxy(definition(ROUTING)))
    mock_export_refused(mocked_api, PROXY_URL)
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, read_timeout=60, retry_count=3))
    assert not failed and result['changed'] is True
    assert writes(mocked_api) == [('PATCH', PATCH_URL)]
    assert sent_json(mocked_api.calls[2]) == {'readTimeout': 60, 'retryCount': 3}
    assert result['warnings'] == [
        "Apinizer refused the export of API proxy 'orders-api' (project 'Demo'): User does not have required "
        "permission for this operation. Settings that the proxy read does not report cannot be compared without "
        "the export, which needs the permission API_MANAGEMENT + EXPORT_IMPORT for the token.",
        "Apinizer reported neither in the API proxy nor in its export package read_timeout, retry_count of API proxy "
        "'orders-api' (project 'Demo'): they are sent without comparison, so idempotency cannot be verified for them."]


def test_export_without_a_readable_definition_is_warned(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=documented_proxy(definition(ROUTING)))
    mocked_api.get(PROXY_URL + 'export/', body=b'not a zip', content_type='application/octet-stream')
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, read_timeout=60))
    assert not failed and result['changed'] is True
    assert writes(mocked_api) == [('PATCH', PATCH_URL)]
    assert result['warnings'][0] == ("The export package of API proxy 'orders-api' (project 'Demo') holds no "
                                     "definition this collection can read.")


def test_misspelled_project_fails_with_the_servers_message_and_writes_nothing(mocked_api, run_module):
    path = '/apiops/projects/Dmeo/apiProxies/orders-api/'
    message = 'Project (Dmeo) is not found or user does not have privilege to access it!'
    mocked_api.get(BASE_URL + path, status=404, json={'error': 'not_found', 'error_description': message})
    result, failed = run_module(module, dict(ARGS, project='Dmeo', read_timeout=60))
    assert failed and result['changed'] is False
    assert result['msg'] == 'Apinizer API GET %s failed (HTTP 404): %s' % (path, message)
    assert result['api_error'] == {'method': 'GET', 'path': path, 'status': 404, 'message': message}
    assert writes(mocked_api) == []
