# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The plan-then-execute loop (_engine.ApinizerModule), driven by a tiny fake module."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.apinizer.apiops.plugins.module_utils._client import ApinizerError
from ansible_collections.apinizer.apiops.plugins.module_utils._engine import (
    APPLIED,
    CREATE,
    DELETE,
    DEPLOY,
    NOT_APPLIED,
    READ,
    RENAME,
    UNDEPLOY,
    WRITE,
    ApiRequest,
    ApinizerModule,
    Plan,
)
from ansible_collections.apinizer.apiops.tests.unit.conftest import (
    BASE_URL,
    FakeAnsibleModule,
    ModuleExit,
    sent,
    sent_json,
)

NO_ANSWER = 'no complete answer within 30 seconds (option timeout or APINIZER_TIMEOUT); 1 attempt'
SETTINGS = '/apiops/projects/Demo/apiProxies/orders-api/settings/x/'
DEPLOY_PROD = '/apiops/projects/Demo/apiProxies/orders-api/environments/production/'
DEPLOY_TEST = '/apiops/projects/Demo/apiProxies/orders-api/environments/test/'


class Fake(ApinizerModule):
    """Plans the requests it is given; confirm() answers ``outcome``; records every hook call."""

    def __init__(self, module, planned, outcome=None):
        super().__init__(module)
        self.secrets.add('new-value')
        self.to_plan = planned
        self.outcome = outcome
        self.calls = []

    def plan(self):
        return Plan(self.to_plan, before={'secret': 'old-value', 'size': 1}, after={'secret': 'new-value', 'size': 2})

    def handle_response(self, request, response):
        self.calls.append(('handle_response', request.describe(), response))

    def refused(self, request, exc):
        self.calls.append(('refused', request.describe(), exc.status))

    def confirm(self, request):
        self.calls.append(('confirm', request.describe()))
        return self.outcome

    def finish(self):
        self.calls.append(('finish',))

    def mask(self, value):
        if isinstance(value, dict):
            return {key: '********' if key == 'secret' else item for key, item in value.items()}
        return value


def run(module, planned, outcome=None):
    fake = Fake(module, planned, outcome)
    with pytest.raises(ModuleExit) as caught:
        fake.run()
    return fake, caught.value.result, caught.value.failed


def settings_write(**kwargs):
    return ApiRequest('PATCH', SETTINGS, body=dict(secret='new-value', size=2), **kwargs)


def deploy(path=DEPLOY_PROD, env='production'):
    return ApiRequest('POST', path, does=(DEPLOY,), environments=(env,), keep_going=True)


# --- Requests ---------------------------------------------------------------------------


@pytest.mark.parametrize('does, repeatable', [
    ((READ,), True), ((WRITE,), True), ((READ, WRITE), True), ((WRITE, DEPLOY), False), ((WRITE, RENAME), False),
    ((DEPLOY,), False), ((UNDEPLOY,), False), ((CREATE,), False), ((DELETE,), False)])
def test_only_reads_and_writes_are_repeatable(does, repeatable):
    assert ApiRequest('PATCH', SETTINGS, does=does).repeatable is repeatable


def test_a_request_is_shown_with_its_body_masked():
    request = settings_write(does=(WRITE, DEPLOY))
    assert request.view(lambda body: dict(body, secret='********')) == {
        'method': 'PATCH', 'path': SETTINGS, 'body': {'secret': '********', 'size': 2},
        'does': ['write', 'deploy'], 'repeatable': False}
    assert ApiRequest('POST', DEPLOY_PROD, does=(DEPLOY,)).view(lambda body: 1 / 0)['body'] is None
    assert request.describe() == 'PATCH %s' % SETTINGS


# --- Check mode -------------------------------------------------------------------------


def test_check_mode_sends_nothing_and_returns_the_plan(mocked_api):
    module = FakeAnsibleModule(check_mode=True, diff=True)
    fake, result, failed = run(module, [settings_write(), deploy()])
    assert not failed and result['changed'] is True
    assert len(mocked_api.calls) == 0
    assert result['requests'] == [
        {'method': 'PATCH', 'path': SETTINGS, 'body': {'secret': '********', 'size': 2}, 'does': ['write'],
         'repeatable': True},
        {'method': 'POST', 'path': DEPLOY_PROD, 'body': None, 'does': ['deploy'], 'repeatable': False}]
    assert result['diff'] == {'before': {'secret': '********', 'size': 1}, 'after': {'secret': '********', 'size': 2}}
    assert fake.calls == []


def test_nothing_planned_is_unchanged_and_sends_nothing(mocked_api):
    fake, result, failed = run(FakeAnsibleModule(), [])
    assert not failed and result['changed'] is False and result['requests'] == []
    assert 'diff' not in result
    assert fake.calls == [('finish',)]
    assert len(mocked_api.calls) == 0


def test_executes_in_order_and_hands_each_answer_over(mocked_api):
    mocked_api.patch(BASE_URL + SETTINGS, json={'success': True})
    mocked_api.post(BASE_URL + DEPLOY_PROD, json={'success': True, 'x': 1})
    fake, result, failed = run(FakeAnsibleModule(), [settings_write(), deploy()])
    assert not failed and result['changed'] is True
    assert sent(mocked_api) == [('PATCH', BASE_URL + SETTINGS), ('POST', BASE_URL + DEPLOY_PROD)]
    assert sent_json(mocked_api.calls[0]) == {'secret': 'new-value', 'size': 2}
    assert fake.calls == [('handle_response', 'PATCH ' + SETTINGS, {'success': True}),
                          ('handle_response', 'POST ' + DEPLOY_PROD, {'success': True, 'x': 1}), ('finish',)]


# --- Lost answers -----------------------------------------------------------------------


def test_lost_answer_confirmed_applied_warns_and_counts_as_changed(mocked_api):
    mocked_api.post(BASE_URL + DEPLOY_PROD, body=requests.exceptions.ReadTimeout('read timed out'))
    module = FakeAnsibleModule()
    request = deploy()
    fake, result, failed = run(module, [request], outcome=APPLIED)
    assert not failed and result['changed'] is True
    assert len(mocked_api.calls) == 1
    assert request.confirmed is True and request.response is None
    assert fake.calls == [('confirm', 'POST ' + DEPLOY_PROD), ('handle_response', 'POST ' + DEPLOY_PROD, None),
                          ('finish',)]
    assert module.warnings == [
        'The answer to POST %s was lost (%s); it was not sent again, and reading the state back confirmed that it '
        'took effect.' % (DEPLOY_PROD, NO_ANSWER)]


def test_lost_answer_confirmed_not_applied_fails_saying_a_rerun_is_safe(mocked_api):
    mocked_api.patch(BASE_URL + SETTINGS, body=requests.exceptions.ReadTimeout('read timed out'))
    fake, result, failed = run(FakeAnsibleModule(), [settings_write(does=(WRITE, RENAME))], outcome=NOT_APPLIED)
    assert failed and result['changed'] is False
    assert len(mocked_api.calls) == 1
    assert result['msg'] == (
        'Apinizer API PATCH %s failed (no response): %s. It was not sent again (it would rename twice); reading the '
        'state back shows it did not take effect. Nothing was changed. Re-running the task is safe.'
        % (SETTINGS, NO_ANSWER))
    assert result['api_error'] == {'method': 'PATCH', 'path': SETTINGS, 'status': None, 'message': NO_ANSWER}
    assert ('finish',) not in fake.calls


def test_lost_answer_that_cannot_be_confirmed_fails_saying_check_the_state(mocked_api):
    mocked_api.patch(BASE_URL + SETTINGS, body=requests.exceptions.ConnectionError('Connection reset by peer'))
    fake, result, failed = run(FakeAnsibleModule(), [settings_write(does=(WRITE, DEPLOY))], outcome=None)
    assert failed
    assert len(mocked_api.calls) == 1
    assert result['msg'].startswith('Apinizer API PATCH %s failed (no response): could not connect to %s or the '
                                    'connection was closed (Connection reset by peer); 1 attempt. ' % (SETTINGS, BASE_URL))
    assert result['msg'].endswith('It was not sent again (it would deploy twice), and reading the state back could '
                                  'not tell whether it took effect. No request before it was sent. Check the state '
                                  'in Apinizer before re-running the task.')
    assert result['api_error']['status'] is None
    assert ('finish',) not in fake.calls


def test_a_failed_read_back_is_an_unknown_outcome(mocked_api):
    class BrokenReadBack(Fake):
        def confirm(self, request):
            raise ApinizerError('Apinizer API GET /apiops/x/ failed (HTTP 500): Internal error')

    mocked_api.post(BASE_URL + DEPLOY_PROD, body=requests.exceptions.ReadTimeout('read timed out'))
    module = FakeAnsibleModule()
    fake = BrokenReadBack(module, [deploy()])
    with pytest.raises(ModuleExit) as caught:
        fake.run()
    result = caught.value.result
    assert caught.value.failed and len(mocked_api.calls) == 1
    assert result['msg'] == (
        'Apinizer API POST %s failed (no response): %s. It was not sent again (it would deploy twice), and reading the '
        'state back could not tell whether it took effect. No request before it was sent. Check the state in Apinizer '
        'before re-running the task.' % (DEPLOY_PROD, NO_ANSWER))
    assert result['api_error'] == {'method': 'POST', 'path': DEPLOY_PROD, 'status': None, 'message': NO_ANSWER}
    assert module.warnings == ['Could not read the state back after the answer to POST %s was lost or could not be '
                               'trusted: Apinizer API GET '
                               '/apiops/x/ failed (HTTP 500): Internal error' % DEPLOY_PROD]


def test_lost_answer_of_a_later_request_lists_what_was_already_done(mocked_api):
    mocked_api.patch(BASE_URL + SETTINGS, json={'success': True})
    mocked_api.post(BASE_URL + DEPLOY_PROD, status=503, body='<html><body>Service Unavailable</body></html>',
                    content_type='text/html')
    fake, result, failed = run(FakeAnsibleModule(), [settings_write(), deploy()], outcome=NOT_APPLIED)
    assert failed and result['changed'] is True
    assert len(mocked_api.calls) == 2
    assert result['msg'] == (
        'Apinizer API POST %s failed (HTTP 503): Service Unavailable. It was not sent again (it would deploy twice); '
        'reading the state back shows it did not take effect. Already done: PATCH %s. Re-running the task is safe.'
        % (DEPLOY_PROD, SETTINGS))
    assert result['api_error'] == {'method': 'POST', 'path': DEPLOY_PROD, 'status': 503,
                                   'message': 'Service Unavailable'}


def test_repeatable_request_is_sent_again_after_a_lost_answer(mocked_api, no_sleep):
    mocked_api.patch(BASE_URL + SETTINGS, body=requests.exceptions.ReadTimeout('read timed out'))
    mocked_api.patch(BASE_URL + SETTINGS, json={'success': True})
    fake, result, failed = run(FakeAnsibleModule(), [settings_write()], outcome=NOT_APPLIED)
    assert not failed and result['changed'] is True
    assert len(mocked_api.calls) == 2 and no_sleep == [0.5]
    assert ('confirm', 'PATCH ' + SETTINGS) not in fake.calls


@pytest.mark.parametrize('outcome, text', [
    (NOT_APPLIED, 'It was not sent again; reading the state back shows it did not take effect. Nothing was changed. '
                  'Re-running the task is safe.'),
    (None, 'It was not sent again, and reading the state back could not tell whether it took effect. No request '
           'before it was sent. Check the state in Apinizer before re-running the task.')])
def test_repeatable_request_whose_answer_stays_lost_is_settled_by_reading_back(mocked_api, no_sleep, outcome, text):
    mocked_api.patch(BASE_URL + SETTINGS, body=requests.exceptions.ReadTimeout('read timed out'))
    fake, result, failed = run(FakeAnsibleModule(), [settings_write()], outcome=outcome)
    assert failed and result['changed'] is False
    assert len(mocked_api.calls) == 4  # a repeatable write is re-sent after a lost answer, up to retries
    assert result['msg'].startswith('Apinizer API PATCH %s failed (no response): no complete answer within 30 seconds '
                                    '(option timeout or APINIZER_TIMEOUT); 4 attempts in ' % SETTINGS)
    assert result['msg'].endswith(text)
    assert fake.calls == [('confirm', 'PATCH ' + SETTINGS)]


def test_repeatable_request_whose_answer_stays_lost_but_applied_succeeds_with_a_warning(mocked_api, no_sleep):
    mocked_api.patch(BASE_URL + SETTINGS, body=requests.exceptions.ReadTimeout('read timed out'))
    module = FakeAnsibleModule()
    fake, result, failed = run(module, [settings_write()], outcome=APPLIED)
    assert not failed and result['changed'] is True
    assert module.warnings[0].startswith('The answer to PATCH %s was lost (no complete answer within 30 seconds' % SETTINGS)
    assert module.warnings[0].endswith('it was not sent again, and reading the state back confirmed that it took effect.')


@pytest.mark.parametrize('answer, problem', [
    (dict(body=''), 'the body is empty'),
    (dict(body='<html>saved</html>', content_type='text/html'), 'the body is not a JSON object: saved'),
    (dict(json={'success': False}), 'the body says the request failed: no error message in the response'),
    (dict(status=302, headers={'Location': 'https://elsewhere.test/'}), 'redirect (HTTP 302) to https://elsewhere.test/. '),
])
@pytest.mark.parametrize('does', [(WRITE,), (WRITE, DEPLOY)], ids=['repeatable', 'deploying'])
def test_a_write_answered_in_a_way_that_proves_nothing_is_read_back(mocked_api, no_sleep, answer, problem, does):
    """An empty, non-JSON, failure-saying 2xx or a redirect may or may not have been applied: never "changed nothing"."""
    mocked_api.patch(BASE_URL + SETTINGS, **answer)
    for outcome in (NOT_APPLIED, APPLIED):
        module = FakeAnsibleModule()
        fake, result, failed = run(module, [settings_write(does=does)], outcome=outcome)
        assert len(mocked_api.calls) == (1 if outcome == NOT_APPLIED else 2)  # never sent twice
        assert ('confirm', 'PATCH ' + SETTINGS) in fake.calls
        assert 'changed nothing' not in result.get('msg', '')
        if outcome == NOT_APPLIED:
            assert failed and 'reading the state back shows it did not take effect' in result['msg']
        else:
            assert not failed and result['changed'] is True
            [warning] = module.warnings
            assert warning.startswith('The answer to PATCH %s could not be trusted (HTTP %d: %s' % (
                SETTINGS, answer.get('status', 200), problem))
            assert warning.endswith('); it was not sent again, and reading the state back confirmed that it took effect.')


@pytest.mark.parametrize('does', [(WRITE, DEPLOY), (WRITE,)], ids=['not-repeatable-unconfirmed', 'repeatable'])
def test_an_unknown_outcome_is_not_reported_as_nothing_was_changed(mocked_api, no_sleep, does):
    """When it is not known whether the failed request took effect, the failure must not also say
    "Nothing was changed." (that is only true of the requests before it)."""
    mocked_api.patch(BASE_URL + SETTINGS, body=requests.exceptions.ReadTimeout('read timed out'))
    fake, result, failed = run(FakeAnsibleModule(), [settings_write(does=does)], outcome=None)
    assert failed
    assert 'took effect' in result['msg']
    assert 'Nothing was changed.' not in result['msg']


def test_a_429_is_sent_again_even_when_not_repeatable(mocked_api, no_sleep):
    mocked_api.post(BASE_URL + DEPLOY_PROD, status=429, headers={'Retry-After': '3'}, json={'message': 'slow down'})
    mocked_api.post(BASE_URL + DEPLOY_PROD, json={'success': True})
    fake, result, failed = run(FakeAnsibleModule(), [deploy()])
    assert not failed and result['changed'] is True
    assert len(mocked_api.calls) == 2 and no_sleep == [3.0]
    assert ('confirm', 'POST ' + DEPLOY_PROD) not in fake.calls


# --- Refusals ---------------------------------------------------------------------------


def test_a_plain_refusal_fails_with_api_error_and_nothing_was_changed(mocked_api):
    mocked_api.patch(BASE_URL + SETTINGS, status=400, json={'status': 'FAILURE', 'resultMessage': 'Bad size'})
    fake, result, failed = run(FakeAnsibleModule(), [settings_write(does=(WRITE, DEPLOY))], outcome=APPLIED)
    assert failed and result['changed'] is False
    assert result['msg'] == ('Apinizer API PATCH %s failed (HTTP 400): Bad size. This request changed nothing. '
                             'Nothing was changed. Re-running the task is safe.' % SETTINGS)
    assert result['api_error'] == {'method': 'PATCH', 'path': SETTINGS, 'status': 400, 'message': 'Bad size'}
    assert fake.calls == []
    assert len(mocked_api.calls) == 1
    assert result['requests'][0]['path'] == SETTINGS


def test_a_refusal_after_earlier_requests_lists_them(mocked_api):
    other = '/apiops/projects/Demo/apiProxies/orders-api/settings/y/'
    mocked_api.patch(BASE_URL + SETTINGS, json={'success': True})
    mocked_api.patch(BASE_URL + other, status=409, json={'error': 'conflict', 'error_description': 'Locked'})
    fake, result, failed = run(FakeAnsibleModule(), [settings_write(), ApiRequest('PATCH', other, body={})])
    assert failed and result['changed'] is True
    assert result['msg'] == ('Apinizer API PATCH %s failed (HTTP 409): Locked. This request changed nothing. '
                             'Already done: PATCH %s. Re-running the task is safe.' % (other, SETTINGS))
    assert result['api_error'] == {'method': 'PATCH', 'path': other, 'status': 409, 'message': 'Locked'}


def test_a_keep_going_refusal_is_recorded_and_the_next_request_still_runs(mocked_api):
    mocked_api.post(BASE_URL + DEPLOY_PROD, status=400, json={'status': 'FAILURE', 'resultMessage': 'No gateway'})
    mocked_api.post(BASE_URL + DEPLOY_TEST, json={'success': True})
    fake, result, failed = run(FakeAnsibleModule(), [deploy(), deploy(DEPLOY_TEST, 'test')])
    assert not failed
    assert sent(mocked_api) == [('POST', BASE_URL + DEPLOY_PROD), ('POST', BASE_URL + DEPLOY_TEST)]
    assert fake.calls == [('refused', 'POST ' + DEPLOY_PROD, 400),
                          ('handle_response', 'POST ' + DEPLOY_TEST, {'success': True}), ('finish',)]
    assert [request.describe() for request in fake.done] == ['POST ' + DEPLOY_TEST]


def test_a_keep_going_request_whose_answer_is_lost_is_confirmed_not_refused(mocked_api):
    mocked_api.post(BASE_URL + DEPLOY_PROD, body=requests.exceptions.ReadTimeout('read timed out'))
    fake, result, failed = run(FakeAnsibleModule(), [deploy()], outcome=NOT_APPLIED)
    assert failed and len(mocked_api.calls) == 1
    assert fake.calls == [('confirm', 'POST ' + DEPLOY_PROD)]


def test_a_request_that_never_reached_the_server_is_sent_again_whatever_it_does(mocked_api, no_sleep):
    from urllib3.exceptions import MaxRetryError, NewConnectionError
    # What requests raises when the connection is refused: the reason sits in urllib3's MaxRetryError.
    refused = requests.exceptions.ConnectionError(
        MaxRetryError(None, DEPLOY_PROD, NewConnectionError(None, 'Failed to establish a new connection: refused')))
    mocked_api.post(BASE_URL + DEPLOY_PROD, body=refused)
    mocked_api.post(BASE_URL + DEPLOY_PROD, json={'success': True})
    fake, result, failed = run(FakeAnsibleModule(), [deploy()])
    assert not failed and len(mocked_api.calls) == 2
    assert ('confirm', 'POST ' + DEPLOY_PROD) not in fake.calls


# --- Messages and options ---------------------------------------------------------------


def test_failures_are_scrubbed_in_msg_and_api_error(mocked_api):
    mocked_api.patch(BASE_URL + SETTINGS, status=400, json={'resultMessage': 'Bad secret new-value'})
    fake, result, failed = run(FakeAnsibleModule(), [settings_write()])
    assert failed
    assert 'new-value' not in result['msg'] and 'Bad secret ********' in result['msg']
    assert result['api_error']['message'] == 'Bad secret ********'


def test_finish_may_fail_the_task_after_the_requests(mocked_api):
    class FailingFinish(Fake):
        def finish(self):
            raise ApinizerError('Deploy failed. The settings themselves were saved.')

    mocked_api.patch(BASE_URL + SETTINGS, json={'success': True})
    fake = FailingFinish(FakeAnsibleModule(), [settings_write()])
    with pytest.raises(ModuleExit) as caught:
        fake.run()
    assert caught.value.failed and caught.value.result['changed'] is True
    assert caught.value.result['msg'] == 'Deploy failed. The settings themselves were saved.'
    assert 'api_error' not in caught.value.result


@pytest.mark.parametrize('missing, text', [
    (('url', 'token'), 'Set both: option url or environment variable APINIZER_URL and option token or environment '
                       'variable APINIZER_TOKEN.'),
    (('url',), 'Set the option: option url or environment variable APINIZER_URL.'),
    (('token',), 'Set the option: option token or environment variable APINIZER_TOKEN.')])
def test_missing_url_or_token_names_the_environment_variables(mocked_api, missing, text):
    fake, result, failed = run(FakeAnsibleModule(**{name: None for name in missing}), [settings_write()])
    assert failed and result['msg'] == text
    assert len(mocked_api.calls) == 0 and fake.calls == []


def test_validate_options_fails_before_any_request(mocked_api):
    class Picky(Fake):
        def validate_options(self):
            raise ApinizerError('size must be positive.')

    fake = Picky(FakeAnsibleModule(), [settings_write()])
    with pytest.raises(ModuleExit) as caught:
        fake.run()
    assert caught.value.failed and caught.value.result == {'changed': False, 'msg': 'size must be positive.'}
    assert len(mocked_api.calls) == 0
