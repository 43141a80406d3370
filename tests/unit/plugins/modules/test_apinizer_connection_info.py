# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import copy
import json

import pytest
from responses import matchers

from ansible.module_utils.common import warnings as ansible_warnings
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_connection as connection_module
from ansible_collections.apinizer.apiops.plugins.modules import apinizer_connection_info as module
from ansible_collections.apinizer.apiops.plugins.module_utils._connection_types import TYPE_KEYS, TYPES
from ansible_collections.apinizer.apiops.tests.unit.conftest import BASE_URL

CONNECTIONS = BASE_URL + '/apiops/projects/Demo/connections/'
SECRETS = ('smtp-Pa55-word', 'Bearer hook-S3cret', 'kafka-S3cret', 'es-S3cret', 'UEVNU2VjcmV0')


@pytest.fixture(autouse=True)
def fresh_warnings():
    ansible_warnings._global_warnings.clear()
    yield
    ansible_warnings._global_warnings.clear()


def envelope(*items):
    return {'status': 'SUCCESS', 'resultList': list(items), 'resultCount': len(items)}


def not_found(name):
    return dict(status=400, json={'status': 'FAILURE', 'resultMessage': 'Connection (name: %s) was not found!' % name})


# Connections as Apinizer answers a read, defaults filled in, secrets in clear.
STORED = {
    'smtp-alerts': {'id': 'c1', 'projectName': 'Demo', 'type': 'email', 'name': 'smtp-alerts', 'description': 'Alerts',
                    'deployToWorker': True, 'enabled': True, 'host': 'smtp.example.com', 'port': 587,
                    'enableStartTls': True, 'auth': True, 'username': 'alerts@example.com',
                    'password': 'smtp-Pa55-word', 'defaultEncoding': 'UTF-8', 'addressToTest': None,
                    'from': 'noreply@example.com', 'additionalProperties': []},
    'ops hook/1': {'id': 'c2', 'projectName': 'Demo', 'type': 'webhook', 'name': 'ops hook/1', 'description': None,
                   'deployToWorker': False, 'enabled': True, 'httpMethod': 'POST', 'fullUrl': 'https://h/x',
                   'timeout': 2, 'connectionPoolMaxConnectionPerHost': 24, 'connectionPoolMaxConnectionTotal': 48,
                   'headerList': [{'name': 'Authorization', 'value': 'Bearer hook-S3cret'},
                                  {'name': 'X-Team', 'value': 'ops'}]},
    'audit-kafka': {'id': 'c3', 'projectName': 'Demo', 'type': 'kafka', 'name': 'audit-kafka', 'description': 'Audit',
                    'deployToWorker': True, 'enabled': True, 'topicName': 'audit', 'enableSecure': True,
                    'protocolTypes': ['TLS_1_2'], 'keyStoreName': 'ks', 'keyStoreId': 'ks-1', 'trustStoreName': None,
                    'trustStoreId': None,
                    'propertiesMap': {'bootstrap.servers': {'value': 'k:9092', 'valueType': 'STRING'},
                                      'key.serializer': {'value': 'S', 'valueType': 'STRING'},
                                      'value.serializer': {'value': 'S', 'valueType': 'STRING'},
                                      'sasl.jaas.config': {'value': 'x password="kafka-S3cret";',
                                                           'valueType': 'STRING'}}},
    'es-logs': {'id': 'c4', 'projectName': 'Demo', 'type': 'elasticsearch', 'name': 'es-logs', 'description': None,
                'deployToWorker': True, 'enabled': False, 'administrate': False,
                'elasticHostList': [{'scheme': 'https', 'host': 'es1', 'port': 9200}], 'authenticate': True,
                'elasticUsername': 'apinizer', 'elasticPassword': 'es-S3cret', 'encryptCommunication': True,
                'encryptCommunicationType': 'CA_IN_PEM_FILE', 'caInPemFile': 'UEVNU2VjcmV0',
                'caInPemFileContentType': 'application/x-pem-file', 'indexLifecyclePolicyCreated': True,
                'indexLifecyclePolicy': {'policyName': 'p', 'enableHotPhase': True, 'maxAgeOfRollover': 7,
                                         'maxIndexSizeOfRollover': None, 'enableWarmPhase': False},
                'indexTemplateCreated': False, 'indexTemplateName': None, 'bulkMaxBatchSize': 2500},
    'lb': {'type': 'logback', 'name': 'lb', 'deployToWorker': True, 'enabled': True, 'logPath': '/var/log/',
           'logFileName': 'traffic', 'logPodName': 'worker-7', 'maxFileSize': 25, 'maxHistory': 0, 'totalSizeCap': 0},
    'ldap-1': {'type': 'ldap', 'name': 'ldap-1', 'deployToWorker': True, 'enabled': True,
               'serverAddress': 'ldaps://l:636', 'username': 'cn=bind', 'password': '****', 'baseDn': 'dc=x',
               'searchScope': 'SUBTREE', 'certificateId': 'cert-1', 'certificateName': 'corp-ca', 'useSsl': True},
}


def listed(connection):
    """A list entry: Apinizer leaves the secrets out of lists."""
    shown = copy.deepcopy(connection)
    for key in ('password', 'elasticPassword', 'caInPemFile'):
        if key in shown:
            shown[key] = None
    return shown


def url(name):
    return CONNECTIONS + name.replace(' ', '%20').replace('/', '%2F') + '/'


def mock_reads(mocked_api):
    for name, connection in STORED.items():
        mocked_api.get(url(name), json=envelope(connection))


def mock_lists(mocked_api):
    for key in TYPE_KEYS:
        api = TYPES[key].api
        items = [listed(c) for c in STORED.values() if c['type'] == api]
        mocked_api.get(CONNECTIONS, json=envelope(*items), match=[matchers.query_param_matcher({'type': api})])


def assert_no_secret(result):
    text = json.dumps(result, default=str)
    for secret in SECRETS:
        assert secret not in text


def calls(mocked_api):
    return [(c.request.method, c.request.url) for c in mocked_api.calls]


# One connection ------------------------------------------------------------------------------

def test_one_connection_in_the_option_shape_without_secrets(mocked_api, run_module):
    mock_reads(mocked_api)
    result, failed = run_module(module, dict(project='Demo', name='smtp-alerts'))
    assert not failed and result['changed'] is False
    assert result['connections'] == [{
        'project': 'Demo', 'name': 'smtp-alerts', 'description': 'Alerts', 'enabled': True, 'deploy_to_worker': True,
        'email': {'host': 'smtp.example.com', 'port': 587, 'enable_start_tls': True, 'auth': True,
                  'username': 'alerts@example.com', 'default_encoding': 'UTF-8', 'sender': 'noreply@example.com',
                  'additional_properties': []}}]
    assert result['secrets_set'] == {'smtp-alerts': ['email.password']}
    assert calls(mocked_api) == [('GET', url('smtp-alerts'))]
    assert 'requests' not in result and 'diff' not in result
    assert_no_secret(result)


def test_header_values_and_secret_kafka_properties_are_left_out(mocked_api, run_module):
    mock_reads(mocked_api)
    hook, failed = run_module(module, dict(project='Demo', name='ops hook/1'))
    assert hook['connections'][0]['webhook']['headers'] == [{'name': 'Authorization'}, {'name': 'X-Team'}]
    assert hook['secrets_set'] == {'ops hook/1': ['webhook.headers[Authorization]', 'webhook.headers[X-Team]']}
    kafka, failed = run_module(module, dict(project='Demo', name='audit-kafka'))
    assert kafka['connections'][0]['kafka']['properties'][3] == {'name': 'sasl.jaas.config', 'value_type': 'STRING'}
    assert kafka['connections'][0]['kafka']['properties'][0] == {'name': 'bootstrap.servers', 'value': 'k:9092',
                                                                 'value_type': 'STRING'}
    assert kafka['secrets_set'] == {'audit-kafka': ['kafka.properties[sasl.jaas.config]']}
    assert_no_secret(hook)
    assert_no_secret(kafka)


def test_a_masked_secret_still_counts_as_set(mocked_api, run_module):
    mock_reads(mocked_api)
    result, failed = run_module(module, dict(project='Demo', name='ldap-1'))
    assert result['secrets_set'] == {'ldap-1': ['ldap.password']}
    assert 'password' not in result['connections'][0]['ldap']


def test_an_absent_connection_is_an_empty_answer(mocked_api, run_module):
    mocked_api.get(url('gone'), **not_found('gone'))
    result, failed = run_module(module, dict(project='Demo', name='gone'))
    assert not failed and result['connections'] == [] and result['secrets_set'] == {}


def test_one_connection_of_another_type_is_filtered_out(mocked_api, run_module):
    mock_reads(mocked_api)
    result, failed = run_module(module, dict(project='Demo', name='smtp-alerts', type='kafka'))
    assert not failed and result['connections'] == []


@pytest.mark.parametrize('answer', [
    dict(status=404, json={'error': 'not_found', 'error_description': "Project 'Dmeo' not found"}),
    dict(status=400, json={'status': 'FAILURE', 'resultMessage': 'Project (Dmeo) is not found or user does not '
                                                                 'have privilege to access it!'})])
def test_a_misspelled_project_is_a_failure(mocked_api, run_module, answer):
    mocked_api.get(BASE_URL + '/apiops/projects/Dmeo/connections/smtp-alerts/', **answer)
    result, failed = run_module(module, dict(project='Dmeo', name='smtp-alerts'))
    assert failed and 'Dmeo' in result['msg'] and result['api_error']['status'] == answer['status']


# A project ------------------------------------------------------------------------------------

def test_every_connection_of_a_project(mocked_api, run_module):
    mock_lists(mocked_api)
    mock_reads(mocked_api)
    result, failed = run_module(module, dict(project='Demo'))
    assert not failed
    assert [entry['name'] for entry in result['connections']] == sorted(STORED, key=str.lower)
    lists = [c for c in calls(mocked_api) if '?type=' in c[1]]
    assert len(lists) == 14 and len(calls(mocked_api)) == 14 + len(STORED)
    assert result['secrets_set']['es-logs'] == ['elasticsearch.ca_in_pem_file', 'elasticsearch.password']
    assert result['secrets_set']['lb'] == []
    assert_no_secret(result)


def test_a_listing_without_reading_each(mocked_api, run_module):
    mock_lists(mocked_api)
    result, failed = run_module(module, dict(project='Demo', report_secrets=False))
    assert not failed and len(calls(mocked_api)) == 14
    assert len(result['connections']) == len(STORED) and result['secrets_set'] == {}
    assert_no_secret(result)


def test_a_listing_of_one_type(mocked_api, run_module):
    mock_lists(mocked_api)
    mock_reads(mocked_api)
    result, failed = run_module(module, dict(project='Demo', type='linux_script'))
    assert not failed and result['connections'] == []
    assert calls(mocked_api) == [('GET', CONNECTIONS + '?type=linux-script')]


def test_check_mode_reads_the_same(mocked_api, run_module):
    mock_reads(mocked_api)
    result, failed = run_module(module, dict(project='Demo', name='smtp-alerts'), check_mode=True)
    assert not failed and len(result['connections']) == 1


def test_project_from_the_environment(mocked_api, run_module, monkeypatch):
    monkeypatch.setenv('APINIZER_PROJECT', 'Demo')
    mock_reads(mocked_api)
    result, failed = run_module(module, dict(name='lb'))
    assert not failed and result['project'] == 'Demo' and result['connections'][0]['project'] == 'Demo'


# Round trip: an entry fed back to apinizer_connection changes nothing -------------------------------

@pytest.mark.parametrize('name', sorted(STORED))
def test_round_trip_sends_no_write(mocked_api, run_module, name):
    mock_reads(mocked_api)
    info, failed = run_module(module, dict(project='Demo', name=name))
    entry = info['connections'][0]
    for check_mode in (False, True):
        result, failed = run_module(connection_module, entry, check_mode=check_mode, diff=True)
        assert not failed and result['changed'] is False, result
        assert result['requests'] == [] and result['warnings'] == []
    assert [method for method, _url in calls(mocked_api)] == ['GET'] * 3


# Bad input ---------------------------------------------------------------------------------------

BAD_INPUTS = [
    ('empty-name', dict(name=' '), 'name must not be empty; leave it out to list every connection'),
    ('unknown-type', dict(type='linux-script'), 'value of type must be one of: active_mq'),
    ('no-project', dict(project=None), 'Set the option project or the environment variable APINIZER_PROJECT'),
    ('report-secrets-not-a-bool', dict(report_secrets='maybe'), "argument 'report_secrets' is of type"),
    ('unknown-option', dict(state='present'), 'Unsupported parameters for (basic.py) module: state'),
]


@pytest.mark.parametrize('args, expected', [(args, expected) for _id, args, expected in BAD_INPUTS],
                         ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_fails_before_any_request(mocked_api, run_module, monkeypatch, args, expected):
    monkeypatch.delenv('APINIZER_PROJECT', raising=False)
    result, failed = run_module(module, dict(dict(project='Demo'), **args))
    assert failed and expected in result['msg'], result['msg']
    assert len(mocked_api.calls) == 0
