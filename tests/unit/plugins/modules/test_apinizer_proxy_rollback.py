# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest
import requests

from ansible_collections.apinizer.apiops.plugins.modules import apinizer_proxy_rollback as module
from ansible_collections.apinizer.apiops.tests.unit.conftest import BASE_URL, sent

PROXY_URL = BASE_URL + '/apiops/projects/Demo/apiProxies/orders-api/'
HISTORY_URL = PROXY_URL + 'deploy-histories/'
ARGS = dict(project='Demo', api_proxy='orders-api')


def record(revision, environment='production', deploy=True):
    return {'revision': revision, 'username': 'admin', 'deploymentTime': '2026-04-16T10:30:00Z',
            'description': 'Deployed by APIOPS Api', 'environment': environment, 'deploy': deploy,
            'persistent': False, 'backendApiVersion': '1.0.0'}


def history(*records):
    return {'status': 'SUCCESS', 'resultList': list(records), 'resultCount': len(records)}


def status(revision, deployed=True, redeploy_required=False):
    return {'status': 'SUCCESS', 'resultList': [{'deployed': deployed, 'revision': revision,
                                                 'redeployRequired': redeploy_required}], 'resultCount': 1}


def proxy(*deployed):
    return {'success': True, 'resultList': [{'name': 'orders-api', 'type': 'REST', 'deploymentList': [
        {'environmentName': env, 'deployed': True, 'redeployRequired': False} for env in deployed]}]}


def rollback_url(revision, env=None):
    url = HISTORY_URL + '%s/rollback/' % revision
    return url + ('?environmentName=%s' % env if env else '')


def status_url(env):
    return PROXY_URL + 'environments/%s/deploy-status/' % env


def rolled_back(revision, env):
    return {'status': 'SUCCESS', 'resultMessage': 'API Proxy rolled back successfully to deploy history revision '
                                                  '(%d). Deployed to environment: %s' % (revision, env)}


def setup(mocked_api, now=15, after=16):
    mocked_api.get(PROXY_URL, json=proxy('production'))
    mocked_api.get(HISTORY_URL, json=history(record(15), record(14, 'test'), record(12), record(11, deploy=False)))
    mocked_api.get(status_url('production'), json=status(now))
    mocked_api.get(status_url('production'), json=status(after))


def test_rolls_back_to_a_revision_and_deploys_it(mocked_api, run_module):
    setup(mocked_api)
    mocked_api.post(rollback_url(12, 'production'), json=rolled_back(12, 'production'))
    result, failed = run_module(module, dict(ARGS, revision='12', environments=['production']), diff=True)
    assert not failed and result['changed'] is True
    assert sent(mocked_api) == [('GET', PROXY_URL), ('GET', HISTORY_URL), ('GET', status_url('production')),
                                ('POST', rollback_url(12, 'production')), ('GET', status_url('production')),
                                ('GET', PROXY_URL + 'environments/production/route-health/')]
    assert mocked_api.calls[3].request.body is None
    assert result['revision'] == 12
    assert result['rollbacks'] == [{'environment': 'production', 'revision': 12, 'revision_before': 15,
                                    'revision_now': 16, 'skipped': False, 'message': rolled_back(12, 'production')[
                                        'resultMessage']}]
    assert result['before'] == {'production': {'deployed': True, 'redeploy_required': False, 'revision': 15}}
    assert result['after'] == {'production': {'deployed': True, 'redeploy_required': False, 'revision': 16,
                                              'rolled_back_to': 12}}
    assert result['requests'][0]['does'] == ['rollback', 'deploy'] and result['requests'][0]['repeatable'] is False
    assert result['verification'][0]['verified'] is True


def test_an_environment_already_on_the_revision_is_left_alone(mocked_api, run_module):
    setup(mocked_api, now=12)
    result, failed = run_module(module, dict(ARGS, revision='12', environments=['production']))
    assert not failed and result['changed'] is False
    assert [method for method, _url in sent(mocked_api)] == ['GET', 'GET', 'GET']
    assert result['rollbacks'][0]['skipped'] is True


def test_previous_is_the_environments_deploy_before_its_last_one(mocked_api, run_module):
    setup(mocked_api)
    mocked_api.post(rollback_url(12, 'production'), json=rolled_back(12, 'production'))
    result, failed = run_module(module, dict(ARGS, revision='previous', environments=['production']))
    assert not failed and result['revision'] == 12  # 15 is the last deploy to production, 14 went to test


def test_check_mode_says_which_revision_and_sends_nothing(mocked_api, run_module):
    setup(mocked_api)
    result, failed = run_module(module, dict(ARGS, revision='previous', environments=['production']), check_mode=True)
    assert not failed and result['changed'] is True and result['revision'] == 12
    assert all(method == 'GET' for method, _url in sent(mocked_api))
    assert result['rollbacks'][0]['message'] == 'Would roll back and deploy (check mode)'


def test_a_revision_the_history_no_longer_holds_fails_before_anything_is_sent(mocked_api, run_module):
    setup(mocked_api)
    result, failed = run_module(module, dict(ARGS, revision='3', environments=['production']))
    assert failed and result['changed'] is False
    assert result['msg'].startswith("Revision 3 is not in the deploy history of API proxy 'orders-api' (project "
                                    "'Demo'); newest revisions: 15, 14, 12, 11.")
    assert all(method == 'GET' for method, _url in sent(mocked_api))


def test_no_previous_deploy_fails_clearly(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy('production'))
    mocked_api.get(HISTORY_URL, json=history(record(1)))
    result, failed = run_module(module, dict(ARGS, revision='previous', environments=['production']))
    assert failed and "has no deploy to environment 'production' before its last one" in result['msg']


def test_the_false_success_of_a_failed_deploy_fails_the_task(mocked_api, run_module):
    setup(mocked_api)
    mocked_api.post(rollback_url(12, 'production'), json={
        'status': 'SUCCESS', 'resultMessage': 'API Proxy rolled back successfully but deployment failed: '
                                              'Connection refused'})
    result, failed = run_module(module, dict(ARGS, revision='12', environments=['production']))
    assert failed and result['changed'] is True
    assert result['msg'].startswith("Rolling back API proxy 'orders-api' (project 'Demo') failed for environment "
                                    "'production': Apinizer rolled the configuration back to revision 12 but answered "
                                    "that the deploy failed (Connection refused), with status SUCCESS.")
    assert result['deployments'] == [{'environment': 'production', 'success': False, 'skipped': False, 'message':
                                      'API Proxy rolled back successfully but deployment failed: Connection refused'}]
    assert len([url for method, url in sent(mocked_api) if method == 'POST']) == 1


@pytest.mark.parametrize('made, now, applied', [
    ([record(16)], status(16), True),
    ([], status(15), False),
])
def test_a_lost_answer_is_settled_by_the_history_and_never_sent_again(mocked_api, run_module, no_sleep, made, now,
                                                                      applied):
    mocked_api.get(PROXY_URL, json=proxy('production'))
    mocked_api.get(HISTORY_URL, json=history(record(15), record(12)))
    mocked_api.get(status_url('production'), json=status(15))
    mocked_api.post(rollback_url(12, 'production'), body=requests.exceptions.ReadTimeout('read timed out'))
    mocked_api.get(HISTORY_URL, json=history(*(made + [record(15), record(12)])))
    mocked_api.get(status_url('production'), json=now)
    result, failed = run_module(module, dict(ARGS, revision='12', environments=['production']))
    assert len([url for method, url in sent(mocked_api) if method == 'POST']) == 1
    if applied:
        assert not failed and result['changed'] is True
        assert any('confirmed that it took effect' in warning for warning in result['warnings'])
    else:
        assert failed and 'It was not sent again (it would roll back and deploy twice); reading the state back ' \
                          'shows it did not take effect.' in result['msg']


def test_without_environments_only_the_configuration_is_rolled_back(mocked_api, run_module):
    mocked_api.get(PROXY_URL, json=proxy('production'))
    mocked_api.get(HISTORY_URL, json=history(record(15), record(12)))
    mocked_api.post(rollback_url(12), json={'status': 'SUCCESS', 'resultMessage': 'API Proxy rolled back successfully '
                                                                                  'to deploy history revision (12).'})
    result, failed = run_module(module, dict(ARGS, revision='12'))
    assert not failed and result['changed'] is True
    assert result['requests'][0]['does'] == ['rollback']
    assert any("'production', where it is deployed but which the task does not list" in warning
               for warning in result['warnings'])


def test_a_bad_revision_is_refused_before_any_request(mocked_api, run_module):
    result, failed = run_module(module, dict(ARGS, revision='latest'))
    assert failed and "revision must be a revision number of the API proxy's deploy history or 'previous'" in \
        result['msg']
    assert len(mocked_api.calls) == 0
