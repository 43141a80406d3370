# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest
from requests.exceptions import ReadTimeout

from ansible_collections.apinizer.apiops.plugins.modules import apinizer_proxy_deploy as module
from ansible_collections.apinizer.apiops.tests.unit.conftest import BASE_URL, sent_json

PROXY_URL = BASE_URL + '/apiops/projects/Demo/apiProxies/orders-api/'
ARGS = dict(project='Demo', api_proxy='orders-api')


def env_url(env):
    return PROXY_URL + 'environments/%s/' % env


def status_url(env):
    return env_url(env) + 'deploy-status/'


def proxy(*deployments):
    """The GET proxy answer with deploymentList entries (env, deployed, redeployRequired)."""
    return {'success': True, 'resultCount': 1, 'resultList': [{
        'name': 'orders-api', 'type': 'REST',
        'deploymentList': [{'environmentName': env, 'deployed': deployed, 'redeployRequired': redeploy}
                           for env, deployed, redeploy in deployments]}]}


def status(deployed, redeploy=False, revision=None):
    return {'status': 'SUCCESS', 'resultCount': 1, 'resultList': [{
        'deployed': deployed, 'redeployRequired': redeploy, 'revision': revision, 'lastDeployTime': None}]}


def deployed(env, message='Deployment successful', success=True):
    return {'success': True, 'deploymentResult': {'success': success, 'deploymentResults': [
        {'environmentName': env, 'success': success, 'message': message}]}}


def refusal(message):
    return {'status': 'FAILURE', 'resultMessage': message}


def methods(mocked_api):
    return ['%s %s' % (call.request.method, call.request.url[len(BASE_URL):]) for call in mocked_api.calls]


def writes(mocked_api):
    return [call for call in mocked_api.calls if call.request.method != 'GET']


# ---- deployed ------------------------------------------------------------------------------------

def test_deploys_where_not_deployed_or_redeploy_required_and_skips_the_rest(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(('production', True, False), ('test', False, False), ('uat', True, True)))
    mocked_api.post(env_url('test'), json=deployed('test'))
    mocked_api.post(env_url('uat'), json=deployed('uat'))
    result, failed = run_module(module, dict(ARGS, environments=['production', 'test', 'uat'],
                                             description='Release 7'))
    assert not failed and result['changed'] is True
    assert methods(mocked_api) == ['GET /apiops/projects/Demo/apiProxies/orders-api/',
                                   'POST /apiops/projects/Demo/apiProxies/orders-api/environments/test/',
                                   'POST /apiops/projects/Demo/apiProxies/orders-api/environments/uat/',
                                   # each deploy verified on the gateway pods (verify: route, the default)
                                   'GET /apiops/projects/Demo/apiProxies/orders-api/environments/test/route-health/',
                                   'GET /apiops/projects/Demo/apiProxies/orders-api/environments/uat/route-health/']
    assert [sent_json(call) for call in writes(mocked_api)] == [{'description': 'Release 7'}] * 2
    assert result['deployments'] == [
        {'environment': 'production', 'success': None, 'skipped': True,
         'message': 'Deployed and up to date; set force=true to redeploy anyway.'},
        {'environment': 'test', 'success': True, 'skipped': False, 'message': 'Deployment successful'},
        {'environment': 'uat', 'success': True, 'skipped': False, 'message': 'Deployment successful'}]
    assert result['after'] == {env: {'deployed': True, 'redeploy_required': False}
                               for env in ('production', 'test', 'uat')}
    assert [r['does'] for r in result['requests']] == [['deploy'], ['deploy']]
    assert not any(r['repeatable'] for r in result['requests'])


def test_no_description_sends_no_body(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(('test', False, False)))
    mocked_api.post(env_url('test'), json=deployed('test'))
    result, failed = run_module(module, dict(ARGS, environments=['test']))
    assert not failed and result['changed'] is True
    assert mocked_api.calls[1].request.body is None


def test_up_to_date_everywhere_sends_only_the_read(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(('production', True, False), ('test', True, False)))
    result, failed = run_module(module, dict(ARGS, environments=['production', 'test', 'production']))
    assert not failed and result['changed'] is False
    assert len(mocked_api.calls) == 1
    assert result['requests'] == []
    assert [d['environment'] for d in result['deployments']] == ['production', 'test']
    assert all(d['skipped'] for d in result['deployments'])


def test_force_redeploys_everywhere_and_remembers_the_revision(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(('production', True, False), ('test', False, False)))
    mocked_api.get(status_url('production'), json=status(True, revision=7))
    mocked_api.post(env_url('production'), json=deployed('production'))
    mocked_api.post(env_url('test'), json=deployed('test'))
    result, failed = run_module(module, dict(ARGS, environments=['production', 'test'], force=True))
    assert not failed and result['changed'] is True
    assert methods(mocked_api)[1:] == [
        'GET /apiops/projects/Demo/apiProxies/orders-api/environments/production/deploy-status/',
        'POST /apiops/projects/Demo/apiProxies/orders-api/environments/production/',
        'POST /apiops/projects/Demo/apiProxies/orders-api/environments/test/',
        'GET /apiops/projects/Demo/apiProxies/orders-api/environments/production/route-health/',
        'GET /apiops/projects/Demo/apiProxies/orders-api/environments/test/route-health/']


def test_check_mode_sends_nothing_and_returns_the_plan(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(('production', True, True), ('test', True, False)))
    result, failed = run_module(module, dict(ARGS, environments=['production', 'test'], force=False),
                                check_mode=True, diff=True)
    assert not failed and result['changed'] is True
    assert len(mocked_api.calls) == 1
    assert result['requests'] == [{'method': 'POST', 'path': '/apiops/projects/Demo/apiProxies/orders-api/'
                                   'environments/production/', 'body': None, 'does': ['deploy'], 'repeatable': False}]
    assert result['deployments'][0] == {'environment': 'production', 'success': None, 'skipped': False,
                                        'message': 'Would deploy (check mode)'}
    assert result['deployments'][1]['skipped'] is True
    assert result['diff'] == {
        'before': {'production': {'deployed': True, 'redeploy_required': True},
                   'test': {'deployed': True, 'redeploy_required': False}},
        'after': {'production': {'deployed': True, 'redeploy_required': False},
                  'test': {'deployed': True, 'redeploy_required': False}}}


def test_check_mode_with_force_reads_no_revision(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(('production', True, False)))
    result, failed = run_module(module, dict(ARGS, environments=['production'], force=True), check_mode=True)
    assert not failed and result['changed'] is True
    assert len(mocked_api.calls) == 1


def test_environment_the_read_does_not_list_is_asked_with_deploy_status(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(('production', True, False)))
    mocked_api.get(status_url('test'), json=status(True, redeploy=True))
    mocked_api.post(env_url('test'), json=deployed('test'))
    result, failed = run_module(module, dict(ARGS, environments=['test']))
    assert not failed and result['changed'] is True
    assert result['before'] == {'test': {'deployed': True, 'redeploy_required': True}}
    assert methods(mocked_api)[1] == 'GET /apiops/projects/Demo/apiProxies/orders-api/environments/test/deploy-status/'


def test_unknown_environment_fails_before_any_write(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(('production', False, False)))
    mocked_api.get(status_url('nowhere'), status=400, json=refusal(
        'ApiProxy with name (orders-api) can not be deployed to Environment(nowhere) because it is not exist!'))
    result, failed = run_module(module, dict(ARGS, environments=['production', 'nowhere']))
    assert failed and result['changed'] is False
    assert "environment 'nowhere'" in result['msg']
    assert writes(mocked_api) == []


def test_missing_proxy_fails_without_writing(mocked_api, run_module):
    mocked_api.get(PROXY_URL, status=400, json=refusal('ApiProxy (name: orders-api) was not found!'))
    result, failed = run_module(module, dict(ARGS, environments=['production']))
    assert failed and result['changed'] is False
    assert result['msg'] == "API proxy 'orders-api' was not found in project 'Demo'. Nothing was changed."
    assert len(mocked_api.calls) == 1


@pytest.mark.parametrize('args, message', [
    (dict(environments=[]), 'environments must name at least one environment.'),
    (dict(environments=['production', ' ']), 'environments must not contain an empty name.'),
    (dict(environments=['production'], state='undeployed', force=True), 'force applies only to state=deployed'),
    (dict(environments=['production'], api_proxy=''), 'api_proxy must not be empty.'),
])
def test_bad_options_fail_before_any_request(mocked_api, run_module, args, message):
    result, failed = run_module(module, dict(ARGS, **args))
    assert failed and message in result['msg']
    assert len(mocked_api.calls) == 0


def test_missing_environments_option_fails_in_argument_validation(mocked_api, run_module):
    result, failed = run_module(module, dict(ARGS))
    assert failed and 'environments' in result['msg']
    assert len(mocked_api.calls) == 0


# ---- refusals --------------------------------------------------------------------------------------

def test_a_refused_environment_does_not_stop_the_others_and_fails_the_task(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(('production', False, False), ('staging', False, False),
                                         ('test', False, False)))
    mocked_api.post(env_url('production'), json=deployed('production'))
    mocked_api.post(env_url('staging'), status=400, json=refusal('Gateway pods unreachable'))
    mocked_api.post(env_url('test'), json=deployed('test'))
    result, failed = run_module(module, dict(ARGS, environments=['production', 'staging', 'test']), diff=True)
    assert failed and result['changed'] is True
    assert len(writes(mocked_api)) == 3
    assert result['msg'] == ("Deploying API proxy 'orders-api' (project 'Demo') failed for environment 'staging': "
                             "Apinizer API POST %s failed (HTTP 400): "
                             "Gateway pods unreachable. Deployed: production, test. Re-run the task to retry."
                             % env_url('staging')[len(BASE_URL):])
    assert result['api_error']['method'] == 'POST' and result['api_error']['status'] == 400
    assert [d['success'] for d in result['deployments']] == [True, False, True]
    assert result['after']['staging'] == {'deployed': False, 'redeploy_required': False}
    assert result['diff']['after']['staging'] == {'deployed': False, 'redeploy_required': False}
    assert result['diff']['after']['test'] == {'deployed': True, 'redeploy_required': False}


def test_every_environment_refused_changes_nothing(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(('staging', False, False), ('dev', False, False)))
    mocked_api.post(env_url('staging'), status=400, json=refusal('Gateway pods unreachable'))
    mocked_api.post(env_url('dev'), status=400, json=refusal('User does not have required permission!'))
    result, failed = run_module(module, dict(ARGS, environments=['staging', 'dev']))
    assert failed and result['changed'] is False
    paths = (env_url('staging')[len(BASE_URL):], env_url('dev')[len(BASE_URL):])
    assert ("environment 'staging': Apinizer API POST %s failed (HTTP 400): Gateway pods unreachable; "
            "environment 'dev': Apinizer API POST %s failed (HTTP 400): User does not have required "
            "permission!. No environment was changed." % paths) in result['msg']


def test_a_deploy_result_that_reports_failure_fails_the_task(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(('production', False, False)))
    mocked_api.post(env_url('production'), json=deployed('production', 'Pod timeout', success=False))
    result, failed = run_module(module, dict(ARGS, environments=['production']))
    assert failed
    assert "environment 'production': Pod timeout" in result['msg']
    assert result['after']['production'] == {'deployed': False, 'redeploy_required': False}


def test_a_server_error_on_one_environment_stops_and_says_what_is_known(mocked_api, run_module):
    """A 500 may have applied: deploy-status decides; here it shows no deploy, so the task stops there."""
    mocked_api.get(PROXY_URL, json=proxy(('production', False, False), ('test', False, False)))
    mocked_api.post(env_url('production'), status=500, json=refusal('An unexpected error occurred'))
    mocked_api.get(status_url('production'), json=status(False))
    result, failed = run_module(module, dict(ARGS, environments=['production', 'test']))
    assert failed and result['changed'] is False
    assert 'reading the state back shows it did not take effect' in result['msg']
    assert len(writes(mocked_api)) == 1


# ---- lost answers ---------------------------------------------------------------------------------

def test_lost_answer_confirmed_by_deploy_status_is_not_sent_again(mocked_api, run_module, no_sleep):
    mocked_api.get(PROXY_URL, json=proxy(('production', False, False), ('test', False, False)))
    mocked_api.post(env_url('production'), body=ReadTimeout('read timed out'))
    mocked_api.get(status_url('production'), json=status(True, revision=1))
    mocked_api.post(env_url('test'), json=deployed('test'))
    result, failed = run_module(module, dict(ARGS, environments=['production', 'test']))
    assert not failed and result['changed'] is True
    # the read, the deploy that lost its answer, the deploy-status read back, the next deploy, then the two verifications
    assert [call.request.method for call in mocked_api.calls] == ['GET', 'POST', 'GET', 'POST', 'GET', 'GET']
    assert result['deployments'][0] == {
        'environment': 'production', 'success': True, 'skipped': False,
        'message': 'Answer lost; the deploy state read back confirms it took effect'}
    assert any('was not sent again' in warning for warning in result['warnings'])
    assert no_sleep == []


def test_lost_answer_not_applied_fails_and_says_a_rerun_is_safe(mocked_api, run_module, no_sleep):
    mocked_api.get(PROXY_URL, json=proxy(('production', True, True)))
    mocked_api.post(env_url('production'), status=502, body='<html>Bad Gateway</html>')
    mocked_api.get(status_url('production'), json=status(True, redeploy=True))
    result, failed = run_module(module, dict(ARGS, environments=['production']))
    assert failed and result['changed'] is False
    assert 'did not take effect' in result['msg'] and 'Re-running the task is safe.' in result['msg']
    assert len(writes(mocked_api)) == 1


def test_lost_answer_that_cannot_be_read_back_asks_to_check(mocked_api, run_module, no_sleep):
    mocked_api.get(PROXY_URL, json=proxy(('production', False, False)))
    mocked_api.post(env_url('production'), body=ReadTimeout('read timed out'))
    mocked_api.get(status_url('production'), status=400, json=refusal('Environment is being updated'))
    result, failed = run_module(module, dict(ARGS, environments=['production']))
    assert failed
    assert 'could not tell whether it took effect' in result['msg']
    assert 'Check the state in Apinizer before re-running the task.' in result['msg']
    assert len(writes(mocked_api)) == 1


@pytest.mark.parametrize('revision_after, applied', [(8, True), (7, False)])
def test_lost_answer_of_a_forced_redeploy_compares_the_revision(mocked_api, run_module, no_sleep, revision_after, applied):
    mocked_api.get(PROXY_URL, json=proxy(('production', True, False)))
    mocked_api.get(status_url('production'), json=status(True, revision=7))
    mocked_api.post(env_url('production'), body=ReadTimeout('read timed out'))
    mocked_api.get(status_url('production'), json=status(True, revision=revision_after))
    result, failed = run_module(module, dict(ARGS, environments=['production'], force=True))
    assert failed is not applied
    assert len(writes(mocked_api)) == 1
    if applied:
        assert result['deployments'][0]['success'] is True
    else:
        assert 'did not take effect' in result['msg']


def test_lost_answer_of_a_forced_redeploy_without_revisions_cannot_tell(mocked_api, run_module, no_sleep):
    mocked_api.get(PROXY_URL, json=proxy(('production', True, False)))
    mocked_api.get(status_url('production'), json=status(True))
    mocked_api.post(env_url('production'), body=ReadTimeout('read timed out'))
    result, failed = run_module(module, dict(ARGS, environments=['production'], force=True))
    assert failed and 'could not tell' in result['msg']


# ---- undeployed -------------------------------------------------------------------------------------

def test_undeploy_where_deployed_only(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(('production', True, True), ('test', False, False)))
    mocked_api.delete(env_url('production'), json={'success': True, 'deploymentResult': {
        'success': True, 'deploymentResults': [
            {'environmentName': 'production', 'success': True, 'message': 'Undeployment successful'}]}})
    result, failed = run_module(module, dict(ARGS, state='undeployed', environments=['production', 'test'],
                                             description='Retired'), diff=True)
    assert not failed and result['changed'] is True
    assert methods(mocked_api)[1] == 'DELETE /apiops/projects/Demo/apiProxies/orders-api/environments/production/'
    assert sent_json(mocked_api.calls[1]) == {'description': 'Retired'}
    assert result['requests'][0]['does'] == ['undeploy']
    assert result['deployments'] == [
        {'environment': 'production', 'success': True, 'skipped': False, 'message': 'Undeployment successful'},
        {'environment': 'test', 'success': None, 'skipped': True,
         'message': 'Not deployed in this environment; nothing to undeploy.'}]
    assert result['diff']['after'] == {'production': {'deployed': False, 'redeploy_required': False},
                                       'test': {'deployed': False, 'redeploy_required': False}}


def test_undeploy_where_nothing_is_deployed_sends_only_the_read(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(('production', False, False)))
    result, failed = run_module(module, dict(ARGS, state='undeployed', environments=['production']))
    assert not failed and result['changed'] is False
    assert len(mocked_api.calls) == 1


def test_undeploy_check_mode(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(('production', True, False)))
    result, failed = run_module(module, dict(ARGS, state='undeployed', environments=['production']), check_mode=True)
    assert not failed and result['changed'] is True
    assert len(mocked_api.calls) == 1
    assert result['deployments'][0]['message'] == 'Would undeploy (check mode)'
    assert result['requests'][0]['method'] == 'DELETE'


def test_lost_undeploy_answer_confirmed_by_deploy_status(mocked_api, run_module, no_sleep):
    mocked_api.get(PROXY_URL, json=proxy(('production', True, False)))
    mocked_api.delete(env_url('production'), status=504, body='Gateway Timeout')
    mocked_api.get(status_url('production'), json=status(False))
    result, failed = run_module(module, dict(ARGS, state='undeployed', environments=['production']))
    assert not failed and result['changed'] is True
    assert result['deployments'][0]['success'] is True
    assert [call.request.method for call in mocked_api.calls] == ['GET', 'DELETE', 'GET', 'GET']
    assert mocked_api.calls[3].request.url == env_url('production') + 'route-health/'


def test_undeploy_refused_fails_naming_the_environment(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy(('production', True, False)))
    mocked_api.delete(env_url('production'), status=400, json=refusal('User does not have required permission!'))
    result, failed = run_module(module, dict(ARGS, state='undeployed', environments=['production']))
    assert failed and result['changed'] is False
    assert result['msg'].startswith("Undeploying API proxy 'orders-api' (project 'Demo') failed for environment "
                                    "'production': Apinizer API DELETE %s failed (HTTP 400): User does not have "
                                    "required permission!" % env_url('production')[len(BASE_URL):])
    assert result['api_error']['method'] == 'DELETE'


def test_names_with_space_and_slash_are_encoded(mocked_api, run_module):
    url = BASE_URL + '/apiops/projects/My%20Project%2FTeam/apiProxies/inventory%2Fv2/'
    mocked_api.get(url, json=proxy(('prod env', False, False)))
    mocked_api.post(url + 'environments/prod%20env/', json=deployed('prod env'))
    result, failed = run_module(module, dict(project='My Project/Team', api_proxy='inventory/v2',
                                             environments=['prod env']))
    assert not failed and result['changed'] is True
    assert len(mocked_api.calls) == 3
    assert mocked_api.calls[2].request.url == url + 'environments/prod%20env/route-health/'
