# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest
import requests

from ansible_collections.apinizer.apiops.plugins.module_utils import _proxy_modules as modules
from ansible_collections.apinizer.apiops.plugins.module_utils import _proxy_sections as sections
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_proxy_websocket as module
from ansible_collections.apinizer.apiops.tests.unit.conftest import (
    BASE_URL,
    deploy_answer,
    deploy_status,
    deployment_list,
    documented_proxy,
    mock_export,
    mock_export_refused,
    proxy_answer,
    sent,
    sent_json,
    writes,
)

PROXY_PATH = '/apiops/projects/Demo/apiProxies/live-feed/'
PROXY_URL = BASE_URL + PROXY_PATH
PATCH_PATH = PROXY_PATH + 'settings/websocket/'
PATCH_URL = BASE_URL + PATCH_PATH
ARGS = dict(project='Demo', api_proxy='live-feed')
NO_ANSWER = 'no complete answer within 30 seconds (option timeout or APINIZER_TIMEOUT); 1 attempt'

pytestmark = pytest.mark.usefixtures('clear_warnings')

CURRENT = {'connectionLostTimeout': 60, 'reuseAddr': False, 'connectTimeout': 30, 'maxRetries': 3,
           'retryDelay': 1000, 'autoReconnect': False, 'autoReconnectMaxRetries': 5, 'autoReconnectRetryDelay': 2000}


def definition(settings=None, kind='WEBSOCKET', deployments=None, place=('routing', 'websocketSettings')):
    proxy = {'name': 'live-feed', 'type': kind, 'apiType': kind, 'description': 'Live feed',
             'routing': {'routingEnabled': True, 'routingAddressList': [], 'connectTimeout': 10},
             'deploymentList': deployments or deployment_list(('production', True, False), ('test', True, False))}
    if settings is not None:
        container = proxy
        for key in place[:-1]:
            container = container.setdefault(key, {})
        container[place[-1]] = dict(settings)
    return proxy


def websocket_proxy(settings=None, kind='WEBSOCKET', deployments=None, place=('routing', 'websocketSettings')):
    return proxy_answer(definition(settings, kind, deployments, place))


def deployed(env):
    return deploy_answer(env)


def test_every_option_maps_to_its_documented_field():
    assert modules.WebsocketSettings.section.api_names == {
        'connection_lost_timeout': 'connectionLostTimeout', 'reuse_addr': 'reuseAddr',
        'connect_timeout': 'connectTimeout', 'max_retries': 'maxRetries', 'retry_delay': 'retryDelay',
        'auto_reconnect': 'autoReconnect', 'auto_reconnect_max_retries': 'autoReconnectMaxRetries',
        'auto_reconnect_retry_delay': 'autoReconnectRetryDelay'}
    assert set(sections.WEBSOCKET.argument_spec()) == set(modules.WebsocketSettings.section.api_names) | {'request_format'}


def test_unchanged_sends_only_the_read(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=websocket_proxy(CURRENT))
    args = dict(ARGS, connection_lost_timeout=60, reuse_addr=False, connect_timeout=30, max_retries=3,
                retry_delay=1000, auto_reconnect=False, auto_reconnect_max_retries=5, auto_reconnect_retry_delay=2000)
    result, failed = run_module(module, args)
    assert not failed and result['changed'] is False
    assert [c.request.method for c in mocked_api.calls] == ['GET']
    assert not any('live-feed' in w for w in result['warnings'])


def test_change_sends_the_wrapped_body_with_only_differing_fields(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=websocket_proxy(CURRENT))
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, connection_lost_timeout=120, connect_timeout=30,
                                             auto_reconnect=True), diff=True)
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {'websocketSettings': {'connectionLostTimeout': 120,
                                                                    'autoReconnect': True}}
    assert result['diff'] == {
        'before': {'connection_lost_timeout': 60, 'connect_timeout': 30, 'auto_reconnect': False},
        'after': {'connection_lost_timeout': 120, 'connect_timeout': 30, 'auto_reconnect': True}}
    assert result['before'] == {'connection_lost_timeout': 60, 'connect_timeout': 30, 'auto_reconnect': False}
    assert result['after'] == {'connection_lost_timeout': 120, 'connect_timeout': 30, 'auto_reconnect': True}
    assert result['requests'] == [{'method': 'PATCH', 'path': PATCH_PATH, 'does': ['write'], 'repeatable': True,
                                   'body': {'websocketSettings': {'connectionLostTimeout': 120, 'autoReconnect': True}}}]


def test_flat_request_format_sends_the_seed_body(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=websocket_proxy(CURRENT))
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, max_retries=5, retry_delay=2000, reuse_addr=True,
                                             request_format='flat'))
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[1]) == {'maxRetries': 5, 'retryDelay': 2000, 'reuseAddr': True}


def test_top_level_websocket_settings_are_read_too(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=websocket_proxy(CURRENT, place=('websocketSettings',)))
    result, failed = run_module(module, dict(ARGS, retry_delay=1000))
    assert not failed and result['changed'] is False


def test_check_mode_reports_the_change_and_deploys_without_writing(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=websocket_proxy(CURRENT))
    result, failed = run_module(module, dict(ARGS, auto_reconnect=True, deploy=True,
                                             deploy_environments=['production', 'test']), check_mode=True, diff=True)
    assert not failed and result['changed'] is True
    assert [c.request.method for c in mocked_api.calls] == ['GET']
    assert result['deployments'] == [{'environment': env, 'success': None, 'skipped': False,
                                      'message': 'Would deploy (check mode)'} for env in ('production', 'test')]
    assert result['diff']['after'] == {'auto_reconnect': True}
    assert [(r['method'], r['path'], r['repeatable']) for r in result['requests']] == [
        ('PATCH', PATCH_PATH, True), ('POST', PROXY_PATH + 'environments/production/', False),
        ('POST', PROXY_PATH + 'environments/test/', False)]


def test_change_with_deploy_posts_once_per_environment(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=websocket_proxy(CURRENT))
    mocked_api.patch(PATCH_URL, json={'success': True})
    mocked_api.post(PROXY_URL + 'environments/production/', json=deployed('production'))
    mocked_api.post(PROXY_URL + 'environments/test/', json=deployed('test'))
    result, failed = run_module(module, dict(ARGS, auto_reconnect=True, deploy=True,
                                             deploy_environments=['production', 'test']))
    assert not failed and result['changed'] is True
    assert [c.request.method for c in mocked_api.calls] == ['GET', 'PATCH', 'POST', 'POST', 'GET', 'GET']
    # The settings endpoint gets the settings only; the deploy is its own request.
    assert sent_json(mocked_api.calls[1]) == {'websocketSettings': {'autoReconnect': True}}
    assert result['deployments'] == [{'environment': env, 'success': True, 'skipped': False,
                                      'message': 'Deployment successful'} for env in ('production', 'test')]


@pytest.mark.parametrize('kind', ['REST', 'SOAP', 'GRPC'])
def test_a_proxy_of_another_type_is_refused_before_any_write(mocked_api, run_module, kind):
    mocked_api.get(PROXY_URL, json=websocket_proxy(None, kind=kind))
    result, failed = run_module(module, dict(ARGS, auto_reconnect=True, deploy=True,
                                             deploy_environments=['production']))
    assert failed and result['changed'] is False
    assert result['msg'] == ("API proxy 'live-feed' in project 'Demo' is of type %s, but websocket settings can "
                             "only be set on WEBSOCKET API proxies. Nothing was changed." % kind)
    assert [c.request.method for c in mocked_api.calls] == ['GET']


def test_type_reported_as_api_type_is_checked_too(mocked_api, run_module):
    body = websocket_proxy(None, kind=None)
    del body['resultList'][0]['type']
    body['resultList'][0]['apiType'] = 'rest'
    mocked_api.get(PROXY_URL, json=body)
    result, failed = run_module(module, dict(ARGS, auto_reconnect=True))
    assert failed and 'is of type REST' in result['msg']


def test_unreported_type_and_section_are_written_with_a_warning(mocked_api, run_module):
    body = websocket_proxy(None)
    del body['resultList'][0]['type'], body['resultList'][0]['apiType']
    mocked_api.get(PROXY_URL, json=body)
    mock_export_refused(mocked_api, PROXY_URL)
    mocked_api.patch(PATCH_URL, json={'status': 'SUCCESS'})
    result, failed = run_module(module, dict(ARGS, auto_reconnect=False, retry_delay=500))
    assert not failed and result['changed'] is True
    assert sent(mocked_api) == [('GET', PROXY_URL), ('GET', PROXY_URL + 'export/'), ('PATCH', PATCH_URL)]
    assert sent_json(mocked_api.calls[2]) == {'websocketSettings': {'autoReconnect': False, 'retryDelay': 500}}
    assert result['warnings'][1] == (
        "Apinizer reported neither in the API proxy nor in its export package auto_reconnect, retry_delay of API proxy "
        "'live-feed' (project 'Demo'): they are sent without comparison, so idempotency cannot be verified for them.")
    assert 'EXPORT_IMPORT' in result['warnings'][0]


def test_server_side_type_refusal_is_reported_clearly(mocked_api, run_module):
    body = websocket_proxy(None)
    del body['resultList'][0]['type'], body['resultList'][0]['apiType']
    mocked_api.get(PROXY_URL, json=body)
    mock_export_refused(mocked_api, PROXY_URL)
    mocked_api.patch(PATCH_URL, status=400, json={'error': 'bad_request',
                                                  'error_description': 'API Proxy type is not WEBSOCKET'})
    result, failed = run_module(module, dict(ARGS, auto_reconnect=True))
    assert failed and result['changed'] is False
    assert result['msg'] == ('Apinizer API PATCH /apiops/projects/Demo/apiProxies/live-feed/settings/websocket/ '
                             'failed (HTTP 400): API Proxy type is not WEBSOCKET. This request changed nothing. '
                             'Nothing was changed. Re-running the task is safe.')
    assert result['api_error'] == {'method': 'PATCH', 'path': PATCH_PATH, 'status': 400,
                                   'message': 'API Proxy type is not WEBSOCKET'}


def test_names_with_space_and_slash_are_encoded(mocked_api, run_module):
    url = BASE_URL + '/apiops/projects/My%20Project%2FTeam/apiProxies/feed%2Fv2/'
    body = websocket_proxy(CURRENT)
    body['resultList'][0]['name'] = 'feed/v2'
    mocked_api.get(url, json=body)
    mocked_api.patch(url + 'settings/websocket/', json={'success': True})
    result, failed = run_module(module, dict(project='My Project/Team', api_proxy='feed/v2', max_retries=9))
    assert not failed and result['changed'] is True
    assert result['api_proxy'] == 'feed/v2' and result['project'] == 'My Project/Team'


def test_missing_proxy_in_the_newer_error_style(mocked_api, run_module):
    mocked_api.get(PROXY_URL, status=400, json={'status': 'FAILURE',
                                                'resultMessage': 'ApiProxy with name (live-feed) is not found!'})
    result, failed = run_module(module, dict(ARGS, auto_reconnect=True))
    assert failed and result['msg'] == "API proxy 'live-feed' was not found in project 'Demo'. Nothing was changed."


def test_missing_proxy_in_the_seed_error_style(mocked_api, run_module):
    mocked_api.get(PROXY_URL, status=400, json={'status': 'FAILURE',
                                                'resultMessage': 'ApiProxy (name: live-feed) was not found!'})
    result, failed = run_module(module, dict(ARGS, auto_reconnect=True))
    assert failed and result['msg'] == "API proxy 'live-feed' was not found in project 'Demo'. Nothing was changed."


def test_misspelled_project_fails_with_the_servers_message_and_writes_nothing(mocked_api, run_module):
    path = '/apiops/projects/Dmeo/apiProxies/live-feed/'
    message = 'Project (Dmeo) is not found or user does not have privilege to access it!'
    mocked_api.get(BASE_URL + path, status=400, json={'status': 'FAILURE', 'resultMessage': message})
    result, failed = run_module(module, dict(ARGS, project='Dmeo', auto_reconnect=True, deploy=True,
                                             deploy_environments=['production']))
    assert failed and result['changed'] is False
    assert result['msg'] == 'Apinizer API GET %s failed (HTTP 400): %s' % (path, message)
    assert result['api_error'] == {'method': 'GET', 'path': path, 'status': 400, 'message': message}
    assert writes(mocked_api) == []


# --- State from the export package ----------------------------------------------------------

SAME = dict(connection_lost_timeout=60, reuse_addr=False, connect_timeout=30, max_retries=3, retry_delay=1000,
            auto_reconnect=False, auto_reconnect_max_retries=5, auto_reconnect_retry_delay=2000)


def test_documented_get_reads_the_export_once_and_an_unchanged_task_sends_two_requests(mocked_api, run_module):
    full = definition(CURRENT)
    mocked_api.get(PROXY_URL, json=documented_proxy(full))
    mock_export(mocked_api, PROXY_URL, full)
    result, failed = run_module(module, dict(ARGS, deploy=True, deploy_environments=['production', 'test'], **SAME))
    assert not failed and result['changed'] is False
    assert sent(mocked_api) == [('GET', PROXY_URL), ('GET', PROXY_URL + 'export/')]
    assert result['before'] == result['after'] == SAME
    assert result['warnings'] == []


def test_documented_get_with_a_change_adds_exactly_one_patch(mocked_api, run_module):
    full = definition(CURRENT)
    mocked_api.get(PROXY_URL, json=documented_proxy(full))
    mock_export(mocked_api, PROXY_URL, full)
    mocked_api.patch(PATCH_URL, json={'success': True})
    result, failed = run_module(module, dict(ARGS, **dict(SAME, auto_reconnect=True)))
    assert not failed and result['changed'] is True
    assert sent(mocked_api) == [('GET', PROXY_URL), ('GET', PROXY_URL + 'export/'), ('PATCH', PATCH_URL)]
    assert sent_json(mocked_api.calls[2]) == {'websocketSettings': {'autoReconnect': True}}
    assert result['before'] == SAME and result['after'] == dict(SAME, auto_reconnect=True)


def test_documented_get_refuses_another_type_before_reading_the_export(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=documented_proxy(definition(CURRENT, kind='REST')))
    result, failed = run_module(module, dict(ARGS, auto_reconnect=True))
    assert failed and 'is of type REST' in result['msg']
    assert sent(mocked_api) == [('GET', PROXY_URL)]


# --- Deploy POSTs whose answer is lost ------------------------------------------------------


def test_deploy_answer_lost_and_deploy_state_shows_it_applied(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=websocket_proxy(CURRENT, deployments=deployment_list(('production', True, False))))
    mocked_api.patch(PATCH_URL, json={'success': True})
    mocked_api.post(PROXY_URL + 'environments/production/', body=requests.exceptions.ReadTimeout('read timed out'))
    mocked_api.get(PROXY_URL + 'environments/production/deploy-status/', json=deploy_status(True, False))
    result, failed = run_module(module, dict(ARGS, auto_reconnect=True, deploy=True,
                                             deploy_environments=['production']))
    assert not failed and result['changed'] is True
    assert writes(mocked_api) == [('PATCH', PATCH_URL), ('POST', PROXY_URL + 'environments/production/')]
    assert sent(mocked_api)[-2:] == [('GET', PROXY_URL + 'environments/production/deploy-status/'),
                                     ('GET', PROXY_URL + 'environments/production/route-health/')]
    assert result['warnings'] == [
        'The answer to POST %senvironments/production/ was lost (%s); it was not sent again, and reading the state '
        'back confirmed that it took effect.' % (PROXY_PATH, NO_ANSWER)]
    assert result['deployments'] == [{'environment': 'production', 'success': True, 'skipped': False,
                                      'message': 'Answer lost; the deploy state read back confirms it took effect'}]


def test_deploy_answer_lost_and_deploy_state_shows_it_did_not_apply(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=websocket_proxy(CURRENT))
    mocked_api.patch(PATCH_URL, json={'success': True})
    mocked_api.post(PROXY_URL + 'environments/production/', body=requests.exceptions.ReadTimeout('read timed out'))
    mocked_api.get(PROXY_URL + 'environments/production/deploy-status/', json=deploy_status(True, True))
    result, failed = run_module(module, dict(ARGS, auto_reconnect=True, deploy=True,
                                             deploy_environments=['production', 'test']))
    assert failed and result['changed'] is True
    assert writes(mocked_api) == [('PATCH', PATCH_URL), ('POST', PROXY_URL + 'environments/production/')]
    assert result['msg'] == (
        'Apinizer API POST %senvironments/production/ failed (no response): %s. It was not sent again (it would deploy '
        'twice); reading the state back shows it did not take effect. Already done: PATCH %s. Re-running the task is '
        'safe.' % (PROXY_PATH, NO_ANSWER, PATCH_PATH))
    assert result['api_error'] == {'method': 'POST', 'path': PROXY_PATH + 'environments/production/',
                                   'status': None, 'message': NO_ANSWER}


def test_deploy_answered_with_a_gateway_error_is_not_sent_again(mocked_api, run_module, no_sleep):
    mocked_api.get(PROXY_URL, json=websocket_proxy(CURRENT, deployments=deployment_list(('production', True, True))))
    mocked_api.post(PROXY_URL + 'environments/production/', status=504, body='Gateway Timeout', content_type='text/plain')
    mocked_api.get(PROXY_URL + 'environments/production/deploy-status/', json=deploy_status(True, False))
    result, failed = run_module(module, dict(ARGS, connection_lost_timeout=60, deploy=True,
                                             deploy_environments=['production']))
    assert not failed and result['changed'] is True
    assert writes(mocked_api) == [('POST', PROXY_URL + 'environments/production/')]
    assert no_sleep == []


def test_a_listed_environment_where_the_proxy_is_not_deployed_gets_no_post(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=websocket_proxy(CURRENT, deployments=deployment_list(
        ('production', True, False), ('test', False, False))))
    mocked_api.patch(PATCH_URL, json={'success': True})
    mocked_api.post(PROXY_URL + 'environments/production/', json=deployed('production'))
    result, failed = run_module(module, dict(ARGS, auto_reconnect=True, deploy=True,
                                             deploy_environments=['production', 'test']))
    assert not failed and result['changed'] is True
    assert writes(mocked_api) == [('PATCH', PATCH_URL), ('POST', PROXY_URL + 'environments/production/')]
    assert result['deployments'] == [
        {'environment': 'test', 'success': None, 'skipped': True,
         'message': 'Not deployed in this environment, so it was left alone; '
                    'use apinizer.apiops.apinizer_proxy_deploy to deploy it there.'},
        {'environment': 'production', 'success': True, 'skipped': False, 'message': 'Deployment successful'}]
