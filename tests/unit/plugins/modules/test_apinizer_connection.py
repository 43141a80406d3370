# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import pytest
import requests

from ansible.module_utils.common import warnings as ansible_warnings
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_connection as module
from ansible_collections.apinizer.apiops.plugins.module_utils._compare import MASK
from ansible_collections.apinizer.apiops.plugins.module_utils._connection_types import SECRET_FIELDS
from ansible_collections.apinizer.apiops.tests.unit.conftest import BASE_URL, sent_json

CONNECTIONS = BASE_URL + '/apiops/projects/Demo/connections/'
SMTP_URL = CONNECTIONS + 'smtp-alerts/'
NEW_URL = CONNECTIONS + 'smtp-notify/'
SMTP_PASSWORD = 'smtp-Pa55-word'


def not_found_new(name):
    return dict(status=400, json={'status': 'FAILURE', 'resultMessage': 'Connection (name: %s) was not found!' % name})


def not_found_old(name):
    return dict(status=404, json={'error': 'not_found', 'error_description': 'Connection (name: %s) was not found!' % name})


NOT_FOUND_NEW = not_found_new('smtp-alerts')
NOT_FOUND_OLD = not_found_old('smtp-alerts')
OK = {'status': 'SUCCESS', 'deploymentResult': {'success': True}}


@pytest.fixture(autouse=True)
def fresh_warnings():
    """ansible-core keeps warnings in a process-wide dict; start every test without old ones."""
    ansible_warnings._global_warnings.clear()
    yield
    ansible_warnings._global_warnings.clear()


def smtp(**overrides):
    conn = {'id': '64f0c0ffee', 'projectName': 'Demo', 'type': 'email', 'name': 'smtp-alerts',
            'description': 'Alert mails', 'deployToWorker': True, 'enabled': True, 'host': 'smtp.example.com',
            'port': 587, 'enableStartTls': True, 'auth': True, 'username': 'alerts@example.com',
            'password': SMTP_PASSWORD, 'defaultEncoding': 'UTF-8', 'addressToTest': None,
            'from': 'noreply@example.com', 'additionalProperties': []}
    conn.update(overrides)
    return conn


def envelope(conn):
    return {'status': 'SUCCESS', 'resultList': [conn], 'resultCount': 1}


ARGS = dict(project='Demo', name='smtp-alerts', email={})
SMTP = dict(host='smtp.example.com', port=587, auth=True, username='alerts@example.com', password=SMTP_PASSWORD)
SMTP_ARGS = dict(ARGS, email=SMTP)


def email(**options):
    return dict(ARGS, email=options)


def calls(mocked_api):
    return [(c.request.method, c.request.url) for c in mocked_api.calls]


class Connections:
    """The connections of project Demo as Apinizer keeps them, for tests of updates.

    GET answers what is stored (names compared without case); a PUT replaces the whole connection
    (a secret it leaves out keeps its stored value, the body's name renames it), then
    ``after_put(stored)`` may change what is stored (another run, or a value Apinizer did not take),
    and answers ``put``.
    """

    def __init__(self, mocked_api, *stored, put=None, after_put=None):
        self.stored = {conn['name'].lower(): dict(conn) for conn in stored}
        self.put_answer = OK if put is None else put
        self.after_put = after_put
        pattern = re.compile(re.escape(CONNECTIONS) + r'[^/]+/$')
        mocked_api.add_callback('GET', pattern, callback=self.get, content_type='application/json')
        mocked_api.add_callback('PUT', pattern, callback=self.put, content_type='application/json')

    @staticmethod
    def name(request):
        return unquote(request.path_url.rstrip('/').rsplit('/', 1)[1])

    def get(self, request):
        conn = self.stored.get(self.name(request).lower())
        if conn is None:
            return 400, {}, json.dumps({'status': 'FAILURE',
                                        'resultMessage': 'Connection (name: %s) was not found!' % self.name(request)})
        return 200, {}, json.dumps(envelope(conn))

    def put(self, request):
        old = self.stored.pop(self.name(request).lower())
        stored = {key: old[key] for key in ('id', 'projectName') if key in old}
        stored.update(json.loads(request.body))
        for secret in SECRET_FIELDS:
            if secret in old and secret not in stored:
                stored[secret] = old[secret]
        if self.after_put:
            self.after_put(stored)
        self.stored[stored['name'].lower()] = stored
        return 200, {}, json.dumps(self.put_answer)


def put_json(mocked_api):
    """The body of the one PUT the task sent."""
    [call] = [call for call in mocked_api.calls if call.request.method == 'PUT']
    return sent_json(call)


# The requests of an update: the read the plan is made from, the read right before the PUT (was
# the connection changed meanwhile?), the PUT, the read that verifies what was stored.
def update_calls(url):
    return [('GET', url), ('GET', url), ('PUT', url), ('GET', url)]


def assert_no_secret(result, *secrets):
    text = json.dumps(result, default=str)
    for secret in secrets:
        assert secret not in text


# Reading, comparing, no-op ----------------------------------------------------------------------

def test_unchanged_connection_sends_only_the_read(mocked_api, run_module):
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    result, failed = run_module(module, SMTP_ARGS, diff=True)
    assert not failed and result['changed'] is False
    assert calls(mocked_api) == [('GET', SMTP_URL)]
    assert result['before']['email']['password'] == MASK and result['before'] == result['after']
    assert result['requests'] == []
    assert result['diff']['before'] == result['diff']['after']
    assert result['warnings'] == []
    assert_no_secret(result, SMTP_PASSWORD)


def test_bare_object_and_success_style_read_are_accepted(mocked_api, run_module):
    mocked_api.get(SMTP_URL, json={'success': True, 'resultList': [smtp()], 'resultCount': 1})
    result, failed = run_module(module, email(port=587))
    assert not failed and result['changed'] is False


# Create ------------------------------------------------------------------------------------------

@pytest.mark.parametrize('not_found', [NOT_FOUND_NEW, NOT_FOUND_OLD], ids=['400-newer', '404-seed'])
def test_absent_connection_is_created_with_only_the_options_set(mocked_api, run_module, not_found):
    mocked_api.get(SMTP_URL, **not_found)
    mocked_api.post(SMTP_URL, json=OK)
    result, failed = run_module(module, dict(SMTP_ARGS, description='Alert mails'), diff=True)
    assert not failed and result['changed'] is True
    assert calls(mocked_api) == [('GET', SMTP_URL), ('POST', SMTP_URL)]
    assert sent_json(mocked_api.calls[1]) == {
        'type': 'email', 'name': 'smtp-alerts', 'description': 'Alert mails', 'host': 'smtp.example.com',
        'port': 587, 'auth': True, 'username': 'alerts@example.com', 'password': SMTP_PASSWORD}
    assert result['diff']['before'] == {}
    assert result['diff']['after'] == {'name': 'smtp-alerts', 'description': 'Alert mails', 'email': dict(
        SMTP, password=MASK)}
    assert result['after'] == result['diff']['after']
    assert [(r['method'], r['does'], r['body']['password']) for r in result['requests']] == [
        ('POST', ['create', 'deploy'], MASK)]
    assert result['deployment'] == {'success': True, 'details': []}
    assert_no_secret(result, SMTP_PASSWORD)


def test_create_check_mode_sends_no_write(mocked_api, run_module):
    mocked_api.get(SMTP_URL, **NOT_FOUND_NEW)
    result, failed = run_module(module, SMTP_ARGS, check_mode=True)
    assert not failed and result['changed'] is True
    assert calls(mocked_api) == [('GET', SMTP_URL)]
    assert 'deployment' not in result


def test_create_without_required_fields_fails_before_writing(mocked_api, run_module):
    mocked_api.get(CONNECTIONS + 'files/', **not_found_new('files'))
    result, failed = run_module(module, dict(project='Demo', name='files', ftp=dict(host='ftp.example.com')))
    assert failed and result['changed'] is False
    assert result['msg'] == 'ftp: creating a connection requires username, password, protocol. Nothing was changed.'
    assert calls(mocked_api) == [('GET', CONNECTIONS + 'files/')]


def test_create_database_needs_credentials_by_default(mocked_api, run_module):
    mocked_api.get(CONNECTIONS + 'orders-db/', **not_found_new('orders-db'))
    result, failed = run_module(module, dict(project='Demo', name='orders-db', database=dict(
        db_type='POSTGRES', jdbc_url='jdbc:postgresql://db:5432/orders')))
    assert failed and 'use_credentials=true requires username and password' in result['msg']
    assert len(mocked_api.calls) == 1


def test_create_kafka_converts_the_properties_map(mocked_api, run_module):
    url = CONNECTIONS + 'audit-kafka/'
    mocked_api.get(url, **not_found_new('audit-kafka'))
    mocked_api.post(url, json=OK)
    props = [{'name': 'bootstrap.servers', 'value': 'k1:9092'},
             {'name': 'key.serializer', 'value': 'S', 'value_type': 'STRING'},
             {'name': 'value.serializer', 'value': 'S'},
             {'name': 'linger.ms', 'value': 5, 'value_type': 'INTEGER'}]
    result, failed = run_module(module, dict(project='Demo', name='audit-kafka',
                                             kafka=dict(topic_name='audit', properties=props)))
    assert not failed
    assert sent_json(mocked_api.calls[1])['propertiesMap'] == {
        'bootstrap.servers': {'value': 'k1:9092', 'valueType': 'STRING'},
        'key.serializer': {'value': 'S', 'valueType': 'STRING'},
        'value.serializer': {'value': 'S', 'valueType': 'STRING'},
        'linger.ms': {'value': '5', 'valueType': 'INTEGER'}}


def test_name_is_percent_encoded(mocked_api, run_module):
    url = CONNECTIONS + 'my%20smtp%2Fmain/'
    mocked_api.get(url, **not_found_new('my smtp/main'))
    mocked_api.post(url, json=OK)
    result, failed = run_module(module, dict(SMTP_ARGS, name='my smtp/main'))
    assert not failed and sent_json(mocked_api.calls[1])['name'] == 'my smtp/main'


# Update ------------------------------------------------------------------------------------------

def test_update_puts_current_object_merged_with_desired_fields(mocked_api, run_module):
    Connections(mocked_api, smtp())
    result, failed = run_module(module, email(port=25), diff=True)
    assert not failed and result['changed'] is True
    assert calls(mocked_api) == update_calls(SMTP_URL)
    expected = smtp(port=25)
    del expected['id'], expected['projectName']
    assert put_json(mocked_api) == expected
    assert result['diff'] == {'before': {'name': 'smtp-alerts', 'email': {'port': 587}},
                              'after': {'name': 'smtp-alerts', 'email': {'port': 25}}}
    assert result['before'] == result['diff']['before'] and result['after'] == result['diff']['after']
    assert result['requests'][0]['body']['password'] == MASK
    assert result['requests'][0]['does'] == ['write', 'replace', 'deploy']
    assert result['deployment'] == {'success': True, 'details': []}
    assert_no_secret(result, SMTP_PASSWORD)


def test_update_check_mode_sends_no_write(mocked_api, run_module):
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    result, failed = run_module(module, email(port=25), check_mode=True, diff=True)
    assert not failed and result['changed'] is True
    assert calls(mocked_api) == [('GET', SMTP_URL)]
    assert result['diff']['after']['email']['port'] == 25
    assert result['requests'][0]['method'] == 'PUT' and result['requests'][0]['body']['port'] == 25


def test_changed_password_is_detected_and_masked_in_the_diff(mocked_api, run_module):
    Connections(mocked_api, smtp())
    result, failed = run_module(module, dict(ARGS, email=dict(SMTP, password='rotated-Secret-2')), diff=True)
    assert not failed and result['changed'] is True
    assert put_json(mocked_api)['password'] == 'rotated-Secret-2'
    assert result['diff']['before']['email']['password'] == MASK
    assert result['diff']['after']['email']['password'] == MASK + ' (changed)'
    assert result['diff']['after']['email']['port'] == 587
    assert_no_secret(result, SMTP_PASSWORD, 'rotated-Secret-2')


def test_empty_desired_matches_null_current(mocked_api, run_module):
    mocked_api.get(SMTP_URL, json=envelope(smtp(description=None)))
    result, failed = run_module(module, dict(ARGS, description='', email=dict(additional_properties=[])))
    assert not failed and result['changed'] is False


def test_nested_structures_compare_in_api_form(mocked_api, run_module):
    mocked_api.get(SMTP_URL, json=envelope(smtp(additionalProperties=[{'key': 'b', 'value': '2'},
                                                                      {'key': 'a', 'value': '1'}])))
    result, failed = run_module(module, email(additional_properties=[{'key': 'a', 'value': '1'}, {'key': 'b', 'value': '2'}]))
    assert not failed and result['changed'] is False


# Secrets the server does not reveal --------------------------------------------------------------

def test_unknown_secret_on_create_policy_is_not_a_change(mocked_api, run_module):
    mocked_api.get(SMTP_URL, json=envelope(smtp(password=None)))
    result, failed = run_module(module, SMTP_ARGS)
    assert not failed and result['changed'] is False
    assert calls(mocked_api) == [('GET', SMTP_URL)]
    assert any('did not return email.password' in w and 'update_secrets=always' in w for w in result['warnings'])


def test_unknown_secret_always_policy_sends_it(mocked_api, run_module):
    Connections(mocked_api, smtp(password='********'), after_put=lambda stored: stored.update(password='********'))
    result, failed = run_module(module, dict(SMTP_ARGS, update_secrets='always'))
    assert not failed and result['changed'] is True
    assert put_json(mocked_api)['password'] == SMTP_PASSWORD
    assert result['warnings'] == ["Apinizer does not return email.password of connection 'smtp-alerts' (project "
                                  "'Demo') in clear, so whether the written value is stored cannot be verified."]


def test_unknown_secret_is_sent_when_a_put_happens_anyway(mocked_api, run_module):
    Connections(mocked_api, smtp(password=None), after_put=lambda stored: stored.update(password=None))
    result, failed = run_module(module, dict(ARGS, email=dict(SMTP, port=25)))
    assert not failed and result['changed'] is True
    body = put_json(mocked_api)
    assert body['password'] == SMTP_PASSWORD and body['port'] == 25


def test_masked_secret_is_never_sent_back(mocked_api, run_module):
    Connections(mocked_api, smtp(password='******'))
    result, failed = run_module(module, email(port=25))
    assert not failed
    assert 'password' not in put_json(mocked_api)


def test_masked_webhook_header_values_are_not_sent_back(mocked_api, run_module):
    Connections(mocked_api, {'type': 'webhook', 'name': 'hook', 'fullUrl': 'https://h/x', 'timeout': 2,
                             'headerList': [{'name': 'Authorization', 'value': '****'}]})
    result, failed = run_module(module, dict(project='Demo', name='hook', webhook=dict(timeout=5)))
    assert not failed and result['changed'] is True
    assert put_json(mocked_api)['headerList'] == [{'name': 'Authorization'}]
    assert put_json(mocked_api)['timeout'] == 5


def test_webhook_header_values_compare_and_never_show(mocked_api, run_module):
    url = CONNECTIONS + 'hook/'
    header_secret = 'Bearer hook-Secret-77'
    mocked_api.get(url, json=envelope({'type': 'webhook', 'name': 'hook', 'fullUrl': 'https://h/x',
                                       'headerList': [{'name': 'Authorization', 'value': header_secret}]}))
    args = dict(project='Demo', name='hook', webhook=dict(headers=[{'name': 'Authorization', 'value': header_secret}]))
    result, failed = run_module(module, args, diff=True)
    assert not failed and result['changed'] is False
    assert result['before']['webhook']['headers'] == [{'name': 'Authorization', 'value': MASK}]
    assert_no_secret(result, header_secret)


# Rename --------------------------------------------------------------------------------------------

def test_rename_puts_to_the_old_path_with_the_new_name(mocked_api, run_module):
    Connections(mocked_api, smtp())
    result, failed = run_module(module, dict(ARGS, new_name='smtp-notify'), diff=True)
    assert not failed and result['changed'] is True
    assert calls(mocked_api) == [('GET', SMTP_URL), ('GET', NEW_URL), ('GET', SMTP_URL), ('PUT', SMTP_URL),
                                 ('GET', NEW_URL)]
    assert put_json(mocked_api)['name'] == 'smtp-notify'
    assert result['name'] == 'smtp-notify'
    assert result['diff'] == {'before': {'name': 'smtp-alerts'}, 'after': {'name': 'smtp-notify'}}
    assert result['requests'][0]['does'] == ['write', 'replace', 'rename', 'deploy']


def test_rename_already_done_compares_against_the_new_name(mocked_api, run_module):
    mocked_api.get(SMTP_URL, **NOT_FOUND_NEW)
    mocked_api.get(NEW_URL, json=envelope(smtp(name='smtp-notify')))
    result, failed = run_module(module, dict(ARGS, new_name='smtp-notify', email=dict(port=587)))
    assert not failed and result['changed'] is False
    assert calls(mocked_api) == [('GET', SMTP_URL), ('GET', NEW_URL)]


def test_rename_already_done_and_changed_updates_the_new_name(mocked_api, run_module):
    Connections(mocked_api, smtp(name='smtp-notify'))
    result, failed = run_module(module, dict(ARGS, new_name='smtp-notify', email=dict(port=25)))
    assert not failed and result['changed'] is True
    assert calls(mocked_api)[-2:] == [('PUT', NEW_URL), ('GET', NEW_URL)]
    assert put_json(mocked_api)['name'] == 'smtp-notify'


def test_rename_onto_an_existing_connection_fails_before_writing(mocked_api, run_module):
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    mocked_api.get(NEW_URL, json=envelope(smtp(id='other', name='smtp-notify')))
    result, failed = run_module(module, dict(ARGS, new_name='smtp-notify'))
    assert failed and result['changed'] is False
    assert "a connection named 'smtp-notify' already exists" in result['msg']
    assert all(method == 'GET' for method, _url in calls(mocked_api))


def test_rename_differing_only_in_case_on_a_case_insensitive_server(mocked_api, run_module):
    Connections(mocked_api, smtp())
    result, failed = run_module(module, dict(ARGS, new_name='SMTP-alerts'))
    assert not failed and result['changed'] is True
    assert put_json(mocked_api)['name'] == 'SMTP-alerts'


def test_rename_when_neither_exists_creates_the_new_name(mocked_api, run_module):
    mocked_api.get(SMTP_URL, **NOT_FOUND_NEW)
    mocked_api.get(NEW_URL, **not_found_new('smtp-notify'))
    mocked_api.post(NEW_URL, json=OK)
    result, failed = run_module(module, dict(SMTP_ARGS, new_name='smtp-notify'))
    assert not failed and result['changed'] is True
    assert sent_json(mocked_api.calls[2])['name'] == 'smtp-notify'


def test_new_name_with_state_absent_is_refused(mocked_api, run_module):
    result, failed = run_module(module, dict(project='Demo', name='smtp-alerts', new_name='x', state='absent'))
    assert failed and 'cannot be used with state=absent' in result['msg']
    assert len(mocked_api.calls) == 0


# Type --------------------------------------------------------------------------------------------

def test_type_change_is_refused_before_any_write(mocked_api, run_module):
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    result, failed = run_module(module, dict(project='Demo', name='smtp-alerts', webhook=dict(full_url='https://h/x')))
    assert failed and result['changed'] is False
    assert 'is of type email' in result['msg'] and 'Delete it (state: absent) and create it again' in result['msg']
    assert calls(mocked_api) == [('GET', SMTP_URL)]


# Delete ------------------------------------------------------------------------------------------

def test_delete_existing(mocked_api, run_module):
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    mocked_api.delete(SMTP_URL, json=OK)
    result, failed = run_module(module, dict(project='Demo', name='smtp-alerts', state='absent'), diff=True)
    assert not failed and result['changed'] is True
    assert calls(mocked_api) == [('GET', SMTP_URL), ('DELETE', SMTP_URL)]
    assert result['diff']['after'] == {}
    assert result['diff']['before']['email']['password'] == MASK
    assert result['diff']['before']['email']['host'] == 'smtp.example.com'
    assert result['after'] == {} and result['requests'][0]['does'] == ['delete']
    assert_no_secret(result, SMTP_PASSWORD)


def test_delete_absent_is_ok(mocked_api, run_module):
    mocked_api.get(SMTP_URL, **NOT_FOUND_OLD)
    result, failed = run_module(module, dict(project='Demo', name='smtp-alerts', state='absent'))
    assert not failed and result['changed'] is False
    assert len(mocked_api.calls) == 1


def test_delete_check_mode(mocked_api, run_module):
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    result, failed = run_module(module, dict(project='Demo', name='smtp-alerts', state='absent'), check_mode=True)
    assert not failed and result['changed'] is True
    assert calls(mocked_api) == [('GET', SMTP_URL)]


def test_delete_of_another_type_is_refused(mocked_api, run_module):
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    result, failed = run_module(module, dict(project='Demo', name='smtp-alerts', type='ftp', state='absent'))
    assert failed and 'is of type email, not ftp; it was not deleted' in result['msg']
    assert calls(mocked_api) == [('GET', SMTP_URL)]


# Errors and deployment ---------------------------------------------------------------------------

def test_api_error_echoing_a_secret_is_scrubbed(mocked_api, run_module):
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    mocked_api.put(SMTP_URL, status=400, json={'status': 'FAILURE', 'resultMessage':
                                               'Invalid password %s for host' % SMTP_PASSWORD})
    result, failed = run_module(module, email(port=25))
    assert failed and result['changed'] is False
    assert result['msg'].startswith('Apinizer API PUT /apiops/projects/Demo/connections/smtp-alerts/ failed (HTTP 400): '
                                    'Invalid password %s for host. This request changed nothing.' % MASK)
    assert result['api_error'] == dict(method='PUT', path='/apiops/projects/Demo/connections/smtp-alerts/', status=400,
                                       message='Invalid password %s for host' % MASK)


def test_failed_deploy_to_workers_fails_and_says_the_connection_was_saved(mocked_api, run_module):
    Connections(mocked_api, smtp(), put={'status': 'SUCCESS', 'deploymentResult': {'success': False, 'deploymentResults': [
        {'environmentName': 'production', 'success': False, 'message': 'worker unreachable'}]}})
    result, failed = run_module(module, email(port=25))
    assert failed and result['changed'] is True
    assert "was updated, but deploying it to the workers failed (production: worker unreachable)" in result['msg']


def test_deploy_result_is_ignored_when_deploy_to_worker_is_false(mocked_api, run_module):
    Connections(mocked_api, smtp(), put={'status': 'SUCCESS', 'deploymentResult': {'success': False, 'detailList': []}})
    result, failed = run_module(module, dict(ARGS, deploy_to_worker=False))
    assert not failed and result['changed'] is True
    assert result['deployment'] == {'success': False, 'details': []}


def test_unexpected_api_failure_on_read(mocked_api, run_module):
    mocked_api.get(SMTP_URL, status=401, json={'status': 'FAILURE', 'resultMessage': 'Token is not valid!'})
    result, failed = run_module(module, SMTP_ARGS)
    assert failed and 'HTTP 401' in result['msg'] and 'Token is not valid!' in result['msg']


# Server-normalised fields ------------------------------------------------------------------------

KAFKA_URL = CONNECTIONS + 'k/'
KAFKA_PROPS = {'bootstrap.servers': {'value': 'k1:9092', 'valueType': 'STRING'},
               'key.serializer': {'value': 'S', 'valueType': 'STRING'},
               'value.serializer': {'value': 'S', 'valueType': 'STRING'}}


def kafka(**overrides):
    conn = {'type': 'kafka', 'name': 'k', 'topicName': 't', 'propertiesMap': KAFKA_PROPS, 'enableSecure': True,
            'protocolTypes': ['TLS_1_2'], 'keyStoreId': 'ks-1', 'trustStoreId': None}
    conn.update(overrides)
    return conn


def test_unreported_name_reference_is_not_compared_but_warned(mocked_api, run_module):
    mocked_api.get(KAFKA_URL, json=envelope(kafka()))
    result, failed = run_module(module, dict(project='Demo', name='k', kafka=dict(
        enable_secure=True, protocol_types=['TLS_1_2'], key_store_name='ks')))
    assert not failed and result['changed'] is False
    assert any('did not report kafka.key_store_name' in w for w in result['warnings'])


def test_update_without_the_name_of_an_id_reference_warns(mocked_api, run_module):
    Connections(mocked_api, kafka())
    result, failed = run_module(module, dict(project='Demo', name='k', kafka=dict(topic_name='t2')))
    assert not failed and result['changed'] is True
    body = put_json(mocked_api)
    assert 'keyStoreId' not in body and 'trustStoreId' not in body
    assert any('set kafka.key_store_name to keep that reference' in w for w in result['warnings'])


def test_logback_normalised_paths_are_idempotent(mocked_api, run_module):
    url = CONNECTIONS + 'lb/'
    mocked_api.get(url, json=envelope({'type': 'logback', 'name': 'lb', 'logPath': '/var/log/apinizer/',
                                       'logFileName': 'traffic', 'logPodName': 'worker-7'}))
    result, failed = run_module(module, dict(project='Demo', name='lb', logback=dict(
        log_path='/var/log/apinizer', log_file_name='/traffic', log_pod_name='')))
    assert not failed and result['changed'] is False


def test_ilm_policy_merges_into_the_current_one(mocked_api, run_module):
    Connections(mocked_api, {'type': 'elasticsearch', 'name': 'es', 'elasticHostList': [{'host': 'a'}],
                             'indexLifecyclePolicyCreated': True,
                             'indexLifecyclePolicy': {'policyName': 'p', 'enableHotPhase': True, 'maxAgeOfRollover': 30}})
    result, failed = run_module(module, dict(project='Demo', name='es', elasticsearch=dict(
        index_lifecycle_policy=dict(max_age_of_rollover=7))))
    assert not failed and result['changed'] is True
    assert put_json(mocked_api)['indexLifecyclePolicy'] == {'policyName': 'p', 'enableHotPhase': True,
                                                            'maxAgeOfRollover': 7}


def test_ilm_policy_without_any_phase_after_merge_fails_before_writing(mocked_api, run_module):
    url = CONNECTIONS + 'es/'
    mocked_api.get(url, json=envelope({'type': 'elasticsearch', 'name': 'es', 'elasticHostList': [{'host': 'a'}],
                                       'indexLifecyclePolicy': {'enableHotPhase': True}}))
    result, failed = run_module(module, dict(project='Demo', name='es', elasticsearch=dict(
        index_lifecycle_policy=dict(enable_hot_phase=False))))
    assert failed and 'at least one phase enabled' in result['msg']
    assert len(mocked_api.calls) == 1


LDAP_URL = CONNECTIONS + 'corp-ldap/'


def ldap(**overrides):
    conn = {'type': 'ldap', 'name': 'corp-ldap', 'serverAddress': 'ldaps://ldap:636', 'username': 'cn=bind',
            'password': 'ldap-Secret-9', 'baseDn': 'dc=x', 'certificateId': 'cert-1', 'certificateName': 'corp-ca'}
    conn.update(overrides)
    return conn


def test_ldap_certificate_id_is_kept_on_an_unrelated_update(mocked_api, run_module):
    Connections(mocked_api, ldap())
    result, failed = run_module(module, dict(project='Demo', name='corp-ldap', ldap=dict(use_ssl=True)))
    assert not failed
    body = put_json(mocked_api)
    assert body['certificateId'] == 'cert-1' and body['certificateName'] == 'corp-ca'


def test_ldap_changing_the_certificate_name_drops_the_stale_id(mocked_api, run_module):
    Connections(mocked_api, ldap())
    result, failed = run_module(module, dict(project='Demo', name='corp-ldap', ldap=dict(certificate_name='new-ca')))
    assert not failed and result['changed'] is True
    body = put_json(mocked_api)
    assert body['certificateName'] == 'new-ca' and 'certificateId' not in body


def test_ldap_changing_the_certificate_id_drops_the_stale_name(mocked_api, run_module):
    Connections(mocked_api, ldap())
    result, failed = run_module(module, dict(project='Demo', name='corp-ldap', ldap=dict(certificate_id='cert-2'),
                                             description='x'))
    assert not failed
    body = put_json(mocked_api)
    assert body['certificateId'] == 'cert-2' and 'certificateName' not in body


def test_ldap_same_certificate_name_keeps_the_id(mocked_api, run_module):
    Connections(mocked_api, ldap())
    result, failed = run_module(module, dict(project='Demo', name='corp-ldap', ldap=dict(certificate_name='corp-ca'),
                                             description='x'))
    assert not failed
    assert put_json(mocked_api)['certificateId'] == 'cert-1'


# Answers lost after the server may have applied a write: never sent twice, settled by a read ----

DROPPED = requests.exceptions.ConnectionError('Connection aborted: RemoteDisconnected')


def writes(mocked_api):
    return [method for method, _url in calls(mocked_api) if method != 'GET']


@pytest.mark.parametrize('lost', [dict(body=DROPPED), dict(body=requests.exceptions.ReadTimeout('read timed out')),
                                  dict(status=502, body='<html><body>Bad Gateway</body></html>',
                                       content_type='text/html')], ids=['dropped', 'read-timeout', '502'])
def test_create_answer_lost_but_applied_is_confirmed_by_reading_back(mocked_api, run_module, no_sleep, lost):
    mocked_api.get(SMTP_URL, **NOT_FOUND_NEW)
    mocked_api.post(SMTP_URL, **lost)
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    result, failed = run_module(module, SMTP_ARGS)
    assert not failed and result['changed'] is True
    assert calls(mocked_api) == [('GET', SMTP_URL), ('POST', SMTP_URL), ('GET', SMTP_URL)]
    assert any('was not sent again' in w and 'confirmed that it took effect' in w for w in result['warnings'])
    assert_no_secret(result, SMTP_PASSWORD)


def test_create_answer_lost_and_not_applied_fails_saying_a_rerun_is_safe(mocked_api, run_module, no_sleep):
    mocked_api.get(SMTP_URL, **NOT_FOUND_NEW)
    mocked_api.post(SMTP_URL, body=DROPPED)
    mocked_api.get(SMTP_URL, **NOT_FOUND_NEW)
    result, failed = run_module(module, SMTP_ARGS)
    assert failed and result['changed'] is False
    assert writes(mocked_api) == ['POST']
    assert 'reading the state back shows it did not take effect' in result['msg']
    assert 'Re-running the task is safe' in result['msg']
    assert result['api_error']['method'] == 'POST' and result['api_error']['status'] is None


def test_create_answer_lost_and_the_read_back_fails_says_to_check(mocked_api, run_module, no_sleep):
    mocked_api.get(SMTP_URL, **NOT_FOUND_NEW)
    mocked_api.post(SMTP_URL, body=DROPPED)
    mocked_api.get(SMTP_URL, status=500, json={'status': 'FAILURE', 'resultMessage': 'database down'})
    result, failed = run_module(module, SMTP_ARGS)
    assert failed and writes(mocked_api) == ['POST']
    assert 'could not tell whether it took effect' in result['msg'] and 'Check the state in Apinizer' in result['msg']


def test_update_answer_lost_but_applied(mocked_api, run_module, no_sleep):
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    mocked_api.put(SMTP_URL, body=DROPPED)
    mocked_api.get(SMTP_URL, json=envelope(smtp(port=25)))
    result, failed = run_module(module, email(port=25))
    assert not failed and result['changed'] is True
    assert writes(mocked_api) == ['PUT']
    assert any('confirmed that it took effect' in w for w in result['warnings'])


def test_update_answer_lost_and_not_applied(mocked_api, run_module, no_sleep):
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    mocked_api.put(SMTP_URL, body=DROPPED)
    result, failed = run_module(module, email(port=25))
    assert failed and result['changed'] is False
    assert calls(mocked_api) == update_calls(SMTP_URL)
    assert 'it would deploy twice' in result['msg'] and 'did not take effect' in result['msg']


def test_update_without_deploy_to_worker_is_not_sent_again_after_a_lost_answer(mocked_api, run_module, no_sleep):
    """A PUT replaces the whole connection: sent again blindly, it could undo a change made in between."""
    mocked_api.get(SMTP_URL, json=envelope(smtp(deployToWorker=False)))
    mocked_api.put(SMTP_URL, body=DROPPED)
    mocked_api.put(SMTP_URL, json={'status': 'SUCCESS'})
    result, failed = run_module(module, email(port=25))
    assert failed and result['changed'] is False
    assert result['requests'][0]['does'] == ['write', 'replace'] and result['requests'][0]['repeatable'] is False
    assert writes(mocked_api) == ['PUT']
    assert ('It was not sent again (it replaces the whole object, so it could undo a change made in between); reading '
            'the state back shows it did not take effect.') in result['msg']


def test_rename_answer_lost_but_applied(mocked_api, run_module, no_sleep):
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    mocked_api.get(NEW_URL, **not_found_new('smtp-notify'))
    mocked_api.put(SMTP_URL, body=DROPPED)
    mocked_api.get(NEW_URL, json=envelope(smtp(name='smtp-notify')))
    result, failed = run_module(module, dict(ARGS, new_name='smtp-notify'))
    assert not failed and result['changed'] is True and result['name'] == 'smtp-notify'
    assert writes(mocked_api) == ['PUT']
    assert result['requests'][0]['does'] == ['write', 'replace', 'rename', 'deploy']


def test_rename_answer_lost_and_not_applied(mocked_api, run_module, no_sleep):
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    mocked_api.get(NEW_URL, **not_found_new('smtp-notify'))
    mocked_api.put(SMTP_URL, body=DROPPED)
    result, failed = run_module(module, dict(ARGS, new_name='smtp-notify'))
    assert failed and writes(mocked_api) == ['PUT']
    assert 'rename and deploy twice; it replaces the whole object' in result['msg']
    assert 'did not take effect' in result['msg']


def test_delete_answer_lost_but_applied(mocked_api, run_module, no_sleep):
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    mocked_api.delete(SMTP_URL, body=DROPPED)
    mocked_api.get(SMTP_URL, **NOT_FOUND_OLD)
    result, failed = run_module(module, dict(project='Demo', name='smtp-alerts', state='absent'))
    assert not failed and result['changed'] is True
    assert writes(mocked_api) == ['DELETE']
    assert any('confirmed that it took effect' in w for w in result['warnings'])


def test_delete_answer_lost_and_not_applied(mocked_api, run_module, no_sleep):
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    mocked_api.delete(SMTP_URL, body=DROPPED)
    result, failed = run_module(module, dict(project='Demo', name='smtp-alerts', state='absent'))
    assert failed and result['changed'] is False
    assert writes(mocked_api) == ['DELETE']
    assert 'it would delete twice' in result['msg'] and 'Re-running the task is safe' in result['msg']


# Not found is precise: only an answer naming the connection means "absent" ----------------------

@pytest.mark.parametrize('answer', [
    dict(status=404, json={'error': 'not_found', 'error_description': "Project 'Dmeo' not found"}),
    dict(status=400, json={'status': 'FAILURE', 'resultMessage':
                           'Project (Dmeo) is not found or user does not have privilege to access it!'}),
], ids=['404-seed', '400-newer'])
def test_state_absent_in_a_misspelled_project_fails(mocked_api, run_module, answer):
    url = BASE_URL + '/apiops/projects/Dmeo/connections/smtp-alerts/'
    mocked_api.get(url, **answer)
    result, failed = run_module(module, dict(project='Dmeo', name='smtp-alerts', state='absent'))
    assert failed and result['changed'] is False
    assert 'Dmeo' in result['msg'] and result['api_error']['status'] == answer['status']
    assert result['api_error']['path'] == '/apiops/projects/Dmeo/connections/smtp-alerts/'
    assert len(mocked_api.calls) == 1


def test_state_absent_through_a_wrong_base_url_fails(mocked_api, run_module):
    url = BASE_URL + '/wrong/apiops/projects/Demo/connections/smtp-alerts/'
    mocked_api.get(url, status=404, body='<html><body><h1>404</h1>No endpoint GET /wrong/apiops/projects/Demo/'
                                         'connections/smtp-alerts/</body></html>', content_type='text/html')
    result, failed = run_module(module, dict(project='Demo', name='smtp-alerts', state='absent',
                                             url=BASE_URL + '/wrong'))
    assert failed and result['changed'] is False
    assert 'No endpoint GET /wrong/apiops' in result['msg'] and result['api_error']['status'] == 404


def test_a_not_found_answer_about_another_connection_is_a_failure(mocked_api, run_module):
    mocked_api.get(SMTP_URL, **not_found_new('other-connection'))
    result, failed = run_module(module, SMTP_ARGS)
    assert failed and len(mocked_api.calls) == 1
    assert 'other-connection' in result['msg']


def test_not_found_ignores_case_of_the_name(mocked_api, run_module):
    mocked_api.get(SMTP_URL, **not_found_new('SMTP-Alerts'))
    result, failed = run_module(module, dict(project='Demo', name='smtp-alerts', state='absent'))
    assert not failed and result['changed'] is False


# Bad input: each one a clear error before any request --------------------------------------------

KAFKA_REQUIRED = [{'name': 'bootstrap.servers', 'value': 'k:9092'}, {'name': 'key.serializer', 'value': 'S'},
                  {'name': 'value.serializer', 'value': 'S'}]
BAD_INPUTS = [
    # (id, task arguments over project/name, expected part of the message)
    ('null-type-dict', dict(email=None), 'state=present needs the settings of the connection as one type dict, for '
                                         'example email: {host: smtp.example.com}; email is null. Nothing was sent.'),
    ('port-a-boolean', dict(email=dict(port=True)), 'email.port must be an integer, got a boolean (true)'),
    ('host-a-mapping', dict(email=dict(host={'name': 'smtp'})), 'email.host must be a string, got a mapping'),
    ('header-value-a-list', dict(webhook=dict(headers=[{'name': 'X-Key', 'value': ['a', 'b']}])),
     'webhook.headers[0].value must be a string, got a list'),
    ('description-a-mapping', dict(description={'text': 'x'}, email={}), 'description must be a string, got a mapping'),
    ('name-dot-dot', dict(name='..', email={}), "name must not be '..': URL normalisation"),
    ('new-name-dot', dict(new_name='.', email={}), "new_name must not be '.'"),
    ('no-type-dict', dict(), 'state is present but any of the following are missing: active_mq, database'),
    ('two-type-dicts', dict(email={}, webhook={}), 'parameters are mutually exclusive: active_mq|database'),
    ('field-of-another-type', dict(email=dict(jdbc_url='jdbc:x')),
     'Unsupported parameters for (basic.py) module: email.jdbc_url'),
    ('flat-field-outside-the-type-dict', dict(email={}, host='smtp.example.com'), 'Unsupported parameters'),
    ('unknown-type-dict', dict(email={}, smtp={}), 'Unsupported parameters for (basic.py) module: smtp'),
    ('empty-name', dict(name='  ', email={}), 'name must not be empty.'),
    ('empty-new-name', dict(new_name='', email={}), 'new_name must not be empty.'),
    ('new-name-with-absent', dict(new_name='x', state='absent'), 'cannot be used with state=absent'),
    ('type-with-present', dict(type='email', email={}), 'type is only for state=absent'),
    ('type-and-dict-disagree', dict(type='ftp', email={}, state='absent'), 'type=ftp and the email dict name '
                                                                           'different types'),
    ('unknown-state', dict(state='gone', email={}), 'value of state must be one of: present, absent, got: gone'),
    ('unknown-update-secrets', dict(update_secrets='never', email={}), 'value of update_secrets must be one of'),
    ('port-not-a-number', dict(email=dict(port='abc')), "argument 'port' is of type"),
    ('port-zero', dict(email=dict(port=0)), 'email: port must be from 1 to 65535, got 0.'),
    ('port-too-high', dict(graylog=dict(port=70000)), 'graylog: port must be from 1 to 65535, got 70000.'),
    ('ssh-port-negative', dict(linux_script=dict(ssh_port=-22)), 'linux_script: ssh_port must be from 1 to 65535'),
    ('negative-timeout', dict(webhook=dict(timeout=-1)), 'webhook: timeout must be 0 or more, got -1.'),
    ('negative-syslog-timeout', dict(syslog=dict(timeout=-5)), 'syslog: timeout must be 0 or more, got -5.'),
    ('pool-size-zero', dict(database=dict(max_pool_size=0)), 'database: max_pool_size must be 1 or more, got 0.'),
    ('negative-pool-size', dict(database=dict(min_pool_size=-1)), 'database: min_pool_size must be 0 or more'),
    ('min-pool-above-max', dict(database=dict(min_pool_size=20, max_pool_size=10)),
     'database: min_pool_size (20) must not be greater than max_pool_size (10).'),
    ('max-file-size-zero', dict(logback=dict(max_file_size=0)), 'logback: max_file_size must be 1 or more, got 0.'),
    ('bad-choice', dict(syslog=dict(facility='LOCAL9')), 'value of facility must be one of'),
    ('auth-without-username', dict(email=dict(auth=True)), 'auth is True but all of the following are missing: '
                                                           'username found in email'),
    ('credentials-without-username', dict(database=dict(use_credentials=True)), 'use_credentials is True but all '
                                                                                'of the following are missing'),
    ('encryption-without-type', dict(elasticsearch=dict(encrypt_communication=True)),
     'encrypt_communication is True but all of the following are missing: encrypt_communication_type'),
    ('keystore-without-its-password', dict(elasticsearch=dict(ca_keystore_file='S1M=')),
     "missing parameter(s) required by 'ca_keystore_file': ca_keystore_file_pass"),
    ('es-no-hosts', dict(elasticsearch=dict(hosts=[])), 'elasticsearch: hosts must hold at least one host.'),
    ('es-host-port', dict(elasticsearch=dict(hosts=[dict(host='es1', port=0)])),
     'elasticsearch: hosts[0].port must be from 1 to 65535, got 0.'),
    ('es-host-without-host', dict(elasticsearch=dict(hosts=[dict(port=9200)])), 'missing required arguments: host'),
    ('ilm-without-a-phase', dict(elasticsearch=dict(index_lifecycle_policy=dict(
        enable_hot_phase=False, enable_warm_phase=False, enable_cold_phase=False, enable_delete_phase=False))),
     'index_lifecycle_policy needs at least one phase enabled'),
    ('ilm-negative-age', dict(elasticsearch=dict(index_lifecycle_policy=dict(max_age_of_rollover=-1))),
     'index_lifecycle_policy.max_age_of_rollover must be 0 or more'),
    ('ftp-implicit-and-explicit', dict(ftp=dict(use_implicit=True, use_explicit=True)),
     'use_implicit and use_explicit are mutually exclusive'),
    ('kafka-secure-without-protocols', dict(kafka=dict(enable_secure=True)),
     'enable_secure is True but all of the following are missing: protocol_types'),
    ('kafka-bad-value-type', dict(kafka=dict(properties=KAFKA_REQUIRED + [dict(name='acks', value='1',
                                                                               value_type='TEXT')])),
     'value of value_type must be one of: STRING'),
    ('kafka-duplicate-property', dict(kafka=dict(properties=KAFKA_REQUIRED + [
        dict(name='acks', value='1'), dict(name='acks', value='all')])),
     'kafka: properties names acks more than once'),
    ('kafka-missing-required-properties', dict(kafka=dict(properties=[dict(name='bootstrap.servers', value='k')])),
     'kafka: properties must hold key.serializer, value.serializer'),
    ('kafka-value-a-list', dict(kafka=dict(properties=KAFKA_REQUIRED + [dict(name='acks', value=['a'])])),
     "properties entry 'acks': value must be a string, number or boolean, got list."),
    ('kafka-property-without-name', dict(kafka=dict(properties=KAFKA_REQUIRED + [dict(value='x')])),
     'missing required arguments: name found in kafka -> properties'),
    ('rabbit-priority', dict(rabbit_mq=dict(basic_properties_priority=256)),
     'rabbit_mq: basic_properties_priority must be from 0 to 255, got 256.'),
    ('rabbit-no-hosts', dict(rabbit_mq=dict(hosts=[])), 'rabbit_mq: hosts must hold at least one host.'),
    ('rabbit-host-port', dict(rabbit_mq=dict(hosts=[dict(host='r', port=99999)])),
     'rabbit_mq: hosts[0].port must be from 1 to 65535, got 99999.'),
    ('rabbit-delivery-mode', dict(rabbit_mq=dict(basic_properties_delivery_mode=3)),
     'value of basic_properties_delivery_mode must be one of: 1, 2, got: 3'),
    ('snmp-auth-priv-without-protocols', dict(snmp=dict(security_level='AUTH_PRIV')),
     'security_level is AUTH_PRIV but all of the following are missing: usm_user_authentication_protocol, '
     'usm_user_privacy_protocol'),
    ('snmp-connection-string', dict(snmp=dict(connection_string='192.0.2.10:162')),
     "snmp: connection_string must be of the form transport:address/port"),
    ('webhook-url', dict(webhook=dict(full_url='hooks.example.com/x')),
     "webhook: full_url must be an http:// or https:// URL, got 'hooks.example.com/x'."),
    ('webhook-duplicate-header', dict(webhook=dict(headers=[dict(name='X-A', value='1'), dict(name='x-a', value='2')])),
     'webhook: headers names x-a more than once'),
    ('webhook-header-without-name', dict(webhook=dict(headers=[dict(value='v')])),
     'missing required arguments: name found in webhook -> headers'),
    ('ldap-address', dict(ldap=dict(server_address='ldap.example.com:389')),
     "ldap: server_address must be an ldap:// or ldaps:// URL"),
    ('no-project', dict(project=None, email={}), 'Set the option project or the environment variable '
                                                 'APINIZER_PROJECT'),
    ('no-url', dict(url=None, email={}), 'option url or environment variable APINIZER_URL'),
    ('bad-url', dict(url='apinizer.example.com', email={}), 'Option url (or APINIZER_URL) must be an http:// or https:// URL'),
    ('negative-http-timeout', dict(timeout=-3, email={}), 'Option timeout (or APINIZER_TIMEOUT) must be a positive number of seconds'),
]


@pytest.mark.parametrize('args, expected', [(args, expected) for _id, args, expected in BAD_INPUTS],
                         ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_fails_before_any_request(mocked_api, run_module, monkeypatch, args, expected):
    for variable in ('APINIZER_PROJECT', 'APINIZER_URL', 'APINIZER_TOKEN'):
        monkeypatch.delenv(variable, raising=False)
    result, failed = run_module(module, dict(dict(project='Demo', name='smtp-alerts'), **args))
    assert failed and not result.get('changed')
    assert expected in result['msg'], result['msg']
    assert len(mocked_api.calls) == 0


def test_bad_inputs_are_distinct_and_counted():
    assert len({case[0] for case in BAD_INPUTS}) == len(BAD_INPUTS) >= 60


def test_project_from_the_environment(mocked_api, run_module, monkeypatch):
    monkeypatch.setenv('APINIZER_PROJECT', 'Demo')
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    result, failed = run_module(module, dict(name='smtp-alerts', email=dict(port=587)))
    assert not failed and result['changed'] is False and result['project'] == 'Demo'


def test_state_absent_with_a_type_dict_checks_the_type(mocked_api, run_module):
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    result, failed = run_module(module, dict(project='Demo', name='smtp-alerts', state='absent', ftp={}))
    assert failed and 'is of type email, not ftp; it was not deleted' in result['msg']
    assert calls(mocked_api) == [('GET', SMTP_URL)]


def test_sender_takes_the_api_name_as_alias(mocked_api, run_module):
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    result, failed = run_module(module, dict(ARGS, email={'from': 'noreply@example.com'}))
    assert not failed and result['changed'] is False


def test_rules_naming_a_secret_count_the_stored_secret(mocked_api, run_module):
    Connections(mocked_api, smtp(auth=False))
    result, failed = run_module(module, email(auth=True, username='alerts@example.com'))
    assert not failed and result['changed'] is True
    assert put_json(mocked_api)['password'] == SMTP_PASSWORD


def test_rules_naming_a_secret_fail_before_the_write_when_none_is_stored(mocked_api, run_module):
    mocked_api.get(SMTP_URL, json=envelope(smtp(auth=False, password=None)))
    result, failed = run_module(module, email(auth=True, username='alerts@example.com'))
    assert failed and result['msg'] == 'email: auth=true requires password. Nothing was changed.'
    assert calls(mocked_api) == [('GET', SMTP_URL)]


def test_ftps_rule_is_checked_on_the_stored_connection(mocked_api, run_module):
    url = CONNECTIONS + 'files/'
    mocked_api.get(url, json=envelope({'type': 'ftp', 'name': 'files', 'host': 'h', 'username': 'u',
                                       'password': 'ftp-Secret-1', 'protocol': 'FTP', 'useImplicit': False,
                                       'useExplicit': False}))
    result, failed = run_module(module, dict(project='Demo', name='files', ftp=dict(protocol='FTPS')))
    assert failed and 'protocol=FTPS requires exactly one of use_implicit and use_explicit' in result['msg']
    assert calls(mocked_api) == [('GET', url)]


# Kafka properties that hold secrets -----------------------------------------------------------------

JAAS = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="a" password="kafka-S3cret";'


def kafka_props(**extra):
    props = {'bootstrap.servers': {'value': 'k1:9092', 'valueType': 'STRING'},
             'key.serializer': {'value': 'S', 'valueType': 'STRING'},
             'value.serializer': {'value': 'S', 'valueType': 'STRING'},
             'sasl.jaas.config': {'value': JAAS, 'valueType': 'STRING'}}
    props.update(extra)
    return props


def test_kafka_secret_property_of_the_server_never_shows(mocked_api, run_module):
    Connections(mocked_api, kafka(propertiesMap=kafka_props(), enableSecure=False, keyStoreId=None))
    result, failed = run_module(module, dict(project='Demo', name='k', kafka=dict(topic_name='t2')), diff=True)
    assert not failed and result['changed'] is True
    assert put_json(mocked_api)['propertiesMap']['sasl.jaas.config']['value'] == JAAS
    assert result['requests'][0]['body']['propertiesMap']['sasl.jaas.config']['value'] == MASK
    assert_no_secret(result, JAAS, 'kafka-S3cret')


def test_kafka_secret_property_in_the_task_is_masked_and_compared(mocked_api, run_module):
    mocked_api.get(KAFKA_URL, json=envelope(kafka(propertiesMap=kafka_props(), enableSecure=False, keyStoreId=None)))
    given = [{'name': name, 'value': item['value']} for name, item in kafka_props().items()]
    result, failed = run_module(module, dict(project='Demo', name='k', kafka=dict(properties=given)), diff=True)
    assert not failed and result['changed'] is False
    assert {'name': 'sasl.jaas.config', 'value': MASK, 'value_type': 'STRING'} in result['before']['kafka']['properties']
    assert_no_secret(result, JAAS, 'kafka-S3cret')


def test_kafka_changed_secret_property_is_marked_changed(mocked_api, run_module):
    Connections(mocked_api, kafka(propertiesMap=kafka_props(), enableSecure=False, keyStoreId=None))
    given = [{'name': name, 'value': item['value']} for name, item in kafka_props().items()]
    given[3]['value'] = 'rotated-jaas-Secret'
    result, failed = run_module(module, dict(project='Demo', name='k', kafka=dict(properties=given)), diff=True)
    assert not failed and result['changed'] is True
    before = {p['name']: p['value'] for p in result['diff']['before']['kafka']['properties']}
    after = {p['name']: p['value'] for p in result['diff']['after']['kafka']['properties']}
    assert before['sasl.jaas.config'] == MASK and after['sasl.jaas.config'] == MASK + ' (changed)'
    assert before['bootstrap.servers'] == after['bootstrap.servers'] == 'k1:9092'
    assert_no_secret(result, JAAS, 'kafka-S3cret', 'rotated-jaas-Secret')


def test_kafka_secret_flag_overrides_the_name(mocked_api, run_module):
    url = CONNECTIONS + 'new-kafka/'
    mocked_api.get(url, **not_found_new('new-kafka'))
    mocked_api.post(url, json=OK)
    props = KAFKA_REQUIRED + [dict(name='ssl.truststore.location', value='/etc/ts-Hidden', secret=True),
                              dict(name='sasl.login.token.url', value='https://idp/token', secret=False)]
    result, failed = run_module(module, dict(project='Demo', name='new-kafka',
                                             kafka=dict(topic_name='t', properties=props)), diff=True)
    assert not failed
    shown = {p['name']: p['value'] for p in result['diff']['after']['kafka']['properties']}
    assert shown['ssl.truststore.location'] == MASK and shown['sasl.login.token.url'] == 'https://idp/token'
    assert_no_secret(result, '/etc/ts-Hidden')


def test_kafka_secret_property_values_join_the_no_log_values(mocked_api, run_module, monkeypatch):
    seen = {}
    from ansible.module_utils import basic
    original = basic.AnsibleModule.exit_json

    def capture(self, **kwargs):
        seen['no_log'] = set(self.no_log_values)
        return original(self, **kwargs)
    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', capture)
    mocked_api.get(KAFKA_URL, json=envelope(kafka(propertiesMap=kafka_props(), enableSecure=False, keyStoreId=None)))
    given = [{'name': name, 'value': item['value']} for name, item in kafka_props().items()]
    run_module(module, dict(project='Demo', name='k', kafka=dict(properties=given)))
    assert JAAS in seen['no_log'] and 'k1:9092' not in seen['no_log']


def test_kafka_property_without_value_keeps_the_stored_one(mocked_api, run_module):
    Connections(mocked_api, kafka(propertiesMap=kafka_props(), enableSecure=False, keyStoreId=None))
    given = [{'name': name, 'value': item['value']} for name, item in kafka_props().items() if name != 'sasl.jaas.config']
    given.append({'name': 'sasl.jaas.config'})
    result, failed = run_module(module, dict(project='Demo', name='k', kafka=dict(properties=given, topic_name='t3')))
    assert not failed and result['changed'] is True
    assert put_json(mocked_api)['propertiesMap'] == kafka_props()


def test_kafka_property_without_value_that_apinizer_hides_cannot_be_kept(mocked_api, run_module):
    hidden = kafka_props(**{'sasl.jaas.config': {'value': '****', 'valueType': 'STRING'}})
    mocked_api.get(KAFKA_URL, json=envelope(kafka(propertiesMap=hidden, enableSecure=False, keyStoreId=None)))
    given = [{'name': name} for name in hidden]
    result, failed = run_module(module, dict(project='Demo', name='k', kafka=dict(properties=given, topic_name='t3')))
    assert failed and 'did not return the value of Kafka properties sasl.jaas.config' in result['msg']
    assert calls(mocked_api) == [('GET', KAFKA_URL)]


def test_webhook_header_without_value_keeps_the_stored_value(mocked_api, run_module):
    Connections(mocked_api, {'type': 'webhook', 'name': 'hook', 'fullUrl': 'https://h/x', 'timeout': 2,
                             'headerList': [{'name': 'Authorization', 'value': 'Bearer hook-S3cret'}]})
    args = dict(project='Demo', name='hook', webhook=dict(timeout=5, headers=[{'name': 'Authorization'}]))
    result, failed = run_module(module, args, diff=True)
    assert not failed and result['changed'] is True
    assert put_json(mocked_api)['headerList'] == [{'name': 'Authorization', 'value': 'Bearer hook-S3cret'}]
    assert_no_secret(result, 'hook-S3cret')


def test_webhook_changed_header_value_is_marked_changed(mocked_api, run_module):
    Connections(mocked_api, {'type': 'webhook', 'name': 'hook', 'fullUrl': 'https://h/x',
                             'headerList': [{'name': 'Authorization', 'value': 'Bearer old-S3cret'},
                                            {'name': 'X-Team', 'value': 'ops'}]})
    args = dict(project='Demo', name='hook', webhook=dict(headers=[{'name': 'Authorization', 'value': 'Bearer new-S3cret'},
                                                                   {'name': 'X-Team', 'value': 'ops'}]))
    result, failed = run_module(module, args, diff=True)
    assert not failed and result['changed'] is True
    assert result['diff']['before']['webhook']['headers'] == [
        {'name': 'Authorization', 'value': MASK}, {'name': 'X-Team', 'value': MASK}]
    assert result['diff']['after']['webhook']['headers'] == [
        {'name': 'Authorization', 'value': MASK + ' (changed)'}, {'name': 'X-Team', 'value': MASK}]
    assert_no_secret(result, 'old-S3cret', 'new-S3cret')


# Concurrent runs: a PUT replaces the whole connection, and Apinizer has no ETag ------------------

def test_a_change_made_since_the_plan_read_stops_the_put(mocked_api, run_module):
    mocked_api.get(SMTP_URL, json=envelope(smtp()))
    mocked_api.get(SMTP_URL, json=envelope(smtp(description='Changed by another run')))
    result, failed = run_module(module, email(port=25))
    assert failed and result['changed'] is False
    assert writes(mocked_api) == []
    assert result['msg'] == ("Connection 'smtp-alerts' (project 'Demo') was changed by someone else since this task "
                             "read it: description. Nothing was changed; re-run the task to compare with what Apinizer "
                             "holds now.")


def test_a_stored_connection_that_is_not_what_was_written_fails(mocked_api, run_module):
    def other_run(stored):
        stored.update(port=587, description='Changed by another run')

    Connections(mocked_api, smtp(), after_put=other_run)
    result, failed = run_module(module, email(port=25))
    assert failed and result['changed'] is True
    assert calls(mocked_api) == update_calls(SMTP_URL)
    assert result['msg'].startswith(
        "Connection 'smtp-alerts' (project 'Demo') was written, but reading it back shows other values for email.port, "
        "and description (written back as this task had read it): someone else may have changed it")
    assert_no_secret(result, SMTP_PASSWORD)


def test_the_verify_read_names_only_the_fields_that_differ(mocked_api, run_module):
    Connections(mocked_api, smtp(), after_put=lambda stored: stored.update(port=587))
    result, failed = run_module(module, email(port=25))
    assert failed and 'shows other values for email.port: someone else' in result['msg']
