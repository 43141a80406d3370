# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The connection type table, its rules, and the engine's compare / merge / mask functions."""

from __future__ import annotations

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils import _connection as engine
from ansible_collections.apinizer.apiops.plugins.module_utils import _connection_types as types
from ansible_collections.apinizer.apiops.plugins.module_utils._compare import MASK

ALL_TYPES = types.CONNECTION_TYPES


def params_for(connection_type, **given):
    """Every option of the type unset, then the given ones."""
    params = dict((option, None) for option in types.options_of_type(connection_type))
    params.update(given)
    return params


# The table ------------------------------------------------------------------------------------

def test_the_fourteen_documented_types_in_apinizer_spelling():
    assert set(ALL_TYPES) == {'activeMq', 'database', 'elasticsearch', 'email', 'ftp', 'graylog', 'kafka', 'ldap',
                              'linux-script', 'logback', 'rabbitMq', 'snmp', 'syslog', 'webhook'}


@pytest.mark.parametrize('connection_type', ALL_TYPES)
def test_every_type_has_options_and_its_required_ones_belong_to_it(connection_type):
    options = types.options_of_type(connection_type)
    assert options
    for option in types.REQUIRED_ON_CREATE[connection_type]:
        assert option in options


def test_rule_options_belong_to_the_rule_type():
    for connection_type, trigger, _values, required in types.CONDITIONAL_RULES:
        for option in (trigger,) + tuple(required):
            assert connection_type in types.FIELDS[option]['types'], (connection_type, option)


def test_every_secret_is_no_log_and_only_secrets_are():
    for option, field in types.FIELDS.items():
        assert bool(field['spec'].get('no_log')) == field['secret'], option
    header_value = types.FIELDS['header_list']['spec']['options']['value']
    assert header_value['no_log'] is True


def test_documented_secret_fields():
    assert types.SECRET_FIELDS == {
        'password', 'elasticPassword', 'caCertInPkcs12File', 'caInPemFile', 'caTruststoreFile',
        'caTruststoreFilePass', 'caKeystoreFile', 'caKeystoreFilePass', 'tlsTrustCertChainFile',
        'connectionFactoryPassword', 'authPassphrase', 'privPassphrase'}


def test_option_names_avoid_names_ansible_and_the_connection_options_reserve():
    spec = engine.connection_module_spec()
    for reserved in ('message', 'syslog_facility'):
        assert reserved not in spec
    assert spec['timeout']['fallback'][1] == ['APINIZER_TIMEOUT']  # the HTTP timeout stays the contract option
    assert types.FIELDS['target_timeout']['api'] == 'timeout'
    assert types.FIELDS['syslog_message_facility']['api'] == 'syslogFacility'
    assert types.FIELDS['from']['api'] == 'from'


def test_shared_options_map_to_one_field_for_all_their_types():
    assert set(types.FIELDS['password']['types']) == {'activeMq', 'database', 'email', 'ftp', 'ldap', 'linux-script'}
    assert set(types.FIELDS['port']['types']) == {'email', 'ftp', 'graylog'}
    assert set(types.FIELDS['target_timeout']['types']) == {'ftp', 'snmp', 'webhook'}


def test_each_api_field_has_one_option():
    apis = [field['api'] for field in types.FIELDS.values()]
    assert len(apis) == len(set(apis))


def test_spec_has_update_secrets_and_type_choices():
    spec = engine.connection_module_spec()
    assert spec['update_secrets'] == dict(type='str', default='on_create', choices=['on_create', 'always'],
                                          no_log=False)
    assert spec['type']['choices'] == list(ALL_TYPES)
    assert spec['state']['default'] == 'present'


# Required fields on create --------------------------------------------------------------------

@pytest.mark.parametrize('connection_type', [t for t in ALL_TYPES if types.REQUIRED_ON_CREATE[t]])
def test_create_without_required_fields_names_them(connection_type):
    errors = types.check_rules(connection_type, params_for(connection_type), creating=True)
    required = types.REQUIRED_ON_CREATE[connection_type]
    assert any('creating a connection requires %s' % ', '.join(required) in e for e in errors), errors


def test_create_of_logback_needs_nothing():
    assert types.check_rules('logback', params_for('logback'), creating=True) == []


def test_required_fields_are_not_checked_on_update():
    assert types.check_rules('ftp', params_for('ftp', port=2121)) == []


def test_database_create_applies_the_use_credentials_default():
    base = params_for('database', db_type='POSTGRES', jdbc_url='jdbc:postgresql://db/x')
    assert types.check_rules('database', base, creating=True) == [
        'type=database: use_credentials=true requires username and password.']
    assert types.check_rules('database', dict(base, use_credentials=False), creating=True) == []
    assert types.check_rules('database', dict(base, username='u', password='p'), creating=True) == []
    # on update, an unset use_credentials is not assumed
    assert types.check_rules('database', base) == []


# Conditional rules: each one fires when its options are missing and passes when present -------

RULE_CASES = [
    ('email', dict(auth=True), dict(username='u', password='p')),
    ('database', dict(use_credentials=True), dict(username='u', password='p')),
    ('elasticsearch', dict(authenticate=True), dict(elastic_username='u', elastic_password='p')),
    ('elasticsearch', dict(encrypt_communication=True), dict(encrypt_communication_type='CA_IN_PEM_FILE',
                                                             ca_in_pem_file='UEVN')),
    ('elasticsearch', dict(encrypt_communication_type='CA_CERTIFICATE_IN_PKCS_12'),
     dict(ca_cert_in_pkcs12_file='UDEy')),
    ('elasticsearch', dict(encrypt_communication_type='CA_IN_PEM_FILE'), dict(ca_in_pem_file='UEVN')),
    ('elasticsearch', dict(encrypt_communication_type='CERT_AND_PRIVATE_KEY_IN_PKCS_12'),
     dict(ca_keystore_file='S1M=', ca_keystore_file_pass='kp')),
    ('elasticsearch', dict(ca_keystore_file='S1M='), dict(ca_keystore_file_pass='kp')),
    ('elasticsearch', dict(index_lifecycle_policy_created=True),
     dict(index_lifecycle_policy=dict(enable_hot_phase=True))),
    ('elasticsearch', dict(index_template_created=True), dict(index_template_name='tpl')),
    ('graylog', dict(tls_cert_verification_enabled=True), dict(tls_trust_cert_chain_file='Q0VSVA==')),
    ('kafka', dict(enable_secure=True), dict(protocol_types=['TLS_1_2'], key_store_name='ks')),
    ('rabbitMq', dict(authentication_enabled=True),
     dict(connection_factory_username='u', connection_factory_password='p')),
    ('snmp', dict(enable_user_authentication=True), dict(security_name='sec')),
    ('snmp', dict(security_level='AUTH_NOPRIV'), dict(usm_user_authentication_protocol='AuthSHA',
                                                      auth_passphrase='ap')),
    ('snmp', dict(security_level='AUTH_PRIV'), dict(usm_user_authentication_protocol='AuthSHA', auth_passphrase='ap',
                                                    usm_user_privacy_protocol='PrivAES128', priv_passphrase='pp')),
    ('ftp', dict(protocol='FTPS'), dict(use_implicit=True)),
    ('ftp', dict(protocol='FTPS'), dict(use_explicit=True)),
]


@pytest.mark.parametrize('connection_type, trigger, satisfied', RULE_CASES)
def test_conditional_rule(connection_type, trigger, satisfied):
    broken = types.check_rules(connection_type, params_for(connection_type, **trigger))
    assert broken, 'no error for %s %s' % (connection_type, trigger)
    named = ' '.join(error.split(' requires ')[-1] for error in broken)
    assert any(option in named for option in satisfied), broken
    assert types.check_rules(connection_type, params_for(connection_type, **dict(trigger, **satisfied))) == []


@pytest.mark.parametrize('connection_type, trigger, satisfied', RULE_CASES)
def test_conditional_rule_partly_satisfied_names_only_the_missing(connection_type, trigger, satisfied):
    first = sorted(satisfied)[0]
    errors = types.check_rules(connection_type, params_for(connection_type, **dict(trigger, **{first: satisfied[first]})))
    if len(satisfied) == 1:
        assert errors == []
    else:
        missing = [e.split(' requires ')[-1].rstrip('.') for e in errors]
        assert errors and all(first not in m.replace(' and ', ', ').split(', ') for m in missing), errors


def test_rule_not_triggered_by_false_or_other_values():
    assert types.check_rules('email', params_for('email', auth=False)) == []
    assert types.check_rules('snmp', params_for('snmp', security_level='NOAUTH_NOPRIV')) == []
    assert types.check_rules('ftp', params_for('ftp', protocol='SFTP')) == []


def test_rule_message_names_type_trigger_and_missing_options():
    assert types.check_rules('email', params_for('email', auth=True, username='u')) == [
        'type=email: auth=true requires password.']
    assert types.check_rules('snmp', params_for('snmp', security_level='AUTH_PRIV')) == [
        'type=snmp: security_level=AUTH_NOPRIV or AUTH_PRIV requires usm_user_authentication_protocol and '
        'auth_passphrase.',
        'type=snmp: security_level=AUTH_PRIV requires usm_user_privacy_protocol and priv_passphrase.']


def test_ftps_needs_exactly_one_of_implicit_and_explicit():
    assert types.check_rules('ftp', params_for('ftp', protocol='FTPS', use_implicit=False, use_explicit=False)) == [
        'type=ftp: protocol=FTPS requires exactly one of use_implicit and use_explicit to be true.']
    both = types.check_rules('ftp', params_for('ftp', protocol='FTPS', use_implicit=True, use_explicit=True))
    assert both == ['type=ftp: use_implicit and use_explicit are mutually exclusive; set only one to true.']
    assert types.check_rules('ftp', params_for('ftp', use_implicit=True, use_explicit=True))


def test_empty_lists_do_not_satisfy_rules_and_host_lists_need_a_host():
    assert types.check_rules('kafka', params_for('kafka', enable_secure=True, protocol_types=[], key_store_name='k'))
    assert types.check_rules('elasticsearch', params_for('elasticsearch', elastic_host_list=[])) == [
        'type=elasticsearch: elastic_host_list must hold at least one host.']
    assert types.check_rules('rabbitMq', params_for('rabbitMq', host_port_list=[])) == [
        'type=rabbitMq: host_port_list must hold at least one host.']


def test_ilm_policy_needs_a_phase():
    policy = dict((option, None) for option in types.ILM_MEMBERS)
    all_off = dict(policy, enable_hot_phase=False, enable_warm_phase=False, enable_cold_phase=False,
                   enable_delete_phase=False)
    assert types.check_rules('elasticsearch', params_for('elasticsearch', index_lifecycle_policy=all_off))
    assert types.check_rules('elasticsearch', params_for('elasticsearch', index_lifecycle_policy=dict(
        policy, max_age_of_rollover=3))) == []
    assert types.ilm_phase_error({'enableHotPhase': False, 'maxAgeOfRollover': 3})
    assert types.ilm_phase_error({'enableColdPhase': True}) is None
    assert types.ilm_phase_error(None) is None


def test_kafka_properties_map_rules():
    good = {name: dict(value='x', value_type='STRING') for name in types.KAFKA_REQUIRED_PROPERTIES}
    assert types.check_rules('kafka', params_for('kafka', properties_map=good)) == []
    missing = dict(good)
    del missing['value.serializer']
    assert types.check_rules('kafka', params_for('kafka', properties_map=missing)) == [
        'type=kafka: properties_map must hold value.serializer.']
    bad = dict(good, acks='all')
    assert "entry 'acks' must be a dict with value and value_type" in types.check_rules(
        'kafka', params_for('kafka', properties_map=bad))[0]
    wrong_type = dict(good, acks=dict(value='all', value_type='TEXT'))
    assert 'value_type must be one of' in types.check_rules('kafka', params_for('kafka', properties_map=wrong_type))[0]
    extra = dict(good, acks=dict(value='all', value_type='STRING', valueType='STRING'))
    assert 'unknown key(s) valueType' in types.check_rules('kafka', params_for('kafka', properties_map=extra))[0]


def test_rabbitmq_priority_range():
    assert types.check_rules('rabbitMq', params_for('rabbitMq', basic_properties_priority=256))
    assert types.check_rules('rabbitMq', params_for('rabbitMq', basic_properties_priority=255)) == []


# Option <-> API form --------------------------------------------------------------------------

def test_nested_structures_convert_to_api_names_without_unset_suboptions():
    ilm = dict((option, None) for option in types.ILM_MEMBERS)
    ilm.update(enable_hot_phase=True, max_age_of_rollover=7)
    assert engine.to_api(types.FIELDS['index_lifecycle_policy'], ilm) == {'enableHotPhase': True,
                                                                          'maxAgeOfRollover': 7}
    tables = dict((option, None) for option in types.LOG_TABLE_MEMBERS)
    tables.update(api_proxy_traffic='logs', token_traffic='tokens')
    assert engine.to_api(types.FIELDS['log_table_name_overrides'], tables) == {'ApiProxyTraffic': 'logs',
                                                                               'TokenTraffic': 'tokens'}
    hosts = [dict(scheme='https', host='es1', port=None)]
    assert engine.to_api(types.FIELDS['elastic_host_list'], hosts) == [{'scheme': 'https', 'host': 'es1'}]
    props = {'bootstrap.servers': dict(value='k:9092', value_type='STRING'),
             'linger.ms': dict(value=5, value_type='INTEGER'), 'idempotence': dict(value=True, value_type='BOOLEAN')}
    assert engine.to_api(types.FIELDS['properties_map'], props) == {
        'bootstrap.servers': {'value': 'k:9092', 'valueType': 'STRING'},
        'linger.ms': {'value': '5', 'valueType': 'INTEGER'},
        'idempotence': {'value': 'true', 'valueType': 'BOOLEAN'}}


def test_from_api_is_the_inverse_and_keeps_unknown_keys():
    field = types.FIELDS['properties_map']
    assert engine.from_api(field, {'acks': {'value': 'all', 'valueType': 'STRING'}}) == {
        'acks': {'value': 'all', 'value_type': 'STRING'}}
    field = types.FIELDS['index_lifecycle_policy']
    assert engine.from_api(field, {'enableHotPhase': True, 'extra': 1}) == {'enable_hot_phase': True, 'extra': 1}
    field = types.FIELDS['elastic_host_list']
    assert engine.from_api(field, [{'host': 'a', 'clusterName': 'c'}]) == [{'host': 'a', 'clusterName': 'c'}]


def test_logback_paths_are_normalised_like_the_server_does():
    assert engine.to_api(types.FIELDS['log_path'], '/var/log/apinizer') == '/var/log/apinizer/'
    assert engine.to_api(types.FIELDS['log_path'], '/var/log/') == '/var/log/'
    assert engine.to_api(types.FIELDS['log_file_name'], '/traffic') == 'traffic'


# Comparing ------------------------------------------------------------------------------------

@pytest.mark.parametrize('desired, current, expected', [
    ('s3cret', {'password': 's3cret'}, engine.EQUAL),
    ('new', {'password': 's3cret'}, engine.DIFFERENT),
    ('s3cret', {'password': None}, engine.UNKNOWN),
    ('s3cret', {'password': '******'}, engine.UNKNOWN),
    ('s3cret', {}, engine.UNKNOWN),
])
def test_secret_comparison(desired, current, expected):
    assert engine.compare_field('password', desired, current) == expected


def test_non_secret_comparison():
    assert engine.compare_field('port', 587, {'port': '587'}) == engine.EQUAL
    assert engine.compare_field('port', 25, {'port': 587}) == engine.DIFFERENT
    assert engine.compare_field('keyStoreName', 'ks', {'keyStoreId': 'abc'}) == engine.UNREPORTED
    assert engine.compare_field('keyStoreName', 'ks', {'keyStoreId': 'abc', 'keyStoreName': 'ks'}) == engine.EQUAL
    # any other field the server leaves out counts as empty, so setting it converges
    assert engine.compare_field('keyStoreName', 'ks', {}) == engine.DIFFERENT
    assert engine.compare_field('bulkMaxBatchSize', 1000, {}) == engine.DIFFERENT
    assert engine.compare_field('indexName', '', {}) == engine.EQUAL
    assert engine.compare_field('description', '', {'description': None}) == engine.EQUAL
    assert engine.compare_field('description', 'x', {'description': None}) == engine.DIFFERENT
    assert engine.compare_field('logPodName', '', {'logPodName': 'worker-1'}) == engine.EQUAL
    assert engine.compare_field('logPodName', 'pod', {'logPodName': 'worker-1'}) == engine.DIFFERENT


def test_lists_sets_maps_and_objects():
    assert engine.compare_field('protocolTypes', ['TLS_1_2', 'TLS_1_3'], {'protocolTypes': ['TLS_1_3', 'TLS_1_2']}) \
        == engine.EQUAL
    hosts = [{'host': 'a', 'port': 9200}, {'host': 'b'}]
    assert engine.compare_field('elasticHostList', hosts, {'elasticHostList': [
        {'scheme': 'http', 'host': 'a', 'port': 9200}, {'scheme': 'http', 'host': 'b', 'port': 9200}]}) == engine.EQUAL
    assert engine.compare_field('elasticHostList', hosts, {'elasticHostList': [
        {'host': 'b', 'port': 9200}, {'host': 'a', 'port': 9200}]}) == engine.DIFFERENT
    assert engine.compare_field('pduVariableMap', {'1.3': 'v'}, {'pduVariableMap': {'1.3': 'v', '1.4': 'w'}}) \
        == engine.DIFFERENT
    assert engine.compare_field('pduVariableMap', {'1.3': 'v'}, {'pduVariableMap': {'1.3': 'v'}}) == engine.EQUAL
    assert engine.compare_field('indexLifecyclePolicy', {'enableHotPhase': True}, {'indexLifecyclePolicy': {
        'enableHotPhase': True, 'policyName': 'p'}}) == engine.EQUAL
    assert engine.compare_field('additionalProperties', [{'key': 'a', 'value': '1'}, {'key': 'b', 'value': '2'}], {
        'additionalProperties': [{'key': 'b', 'value': '2'}, {'key': 'a', 'value': '1'}]}) == engine.EQUAL


def test_header_values_are_secrets_inside_a_list():
    desired = [{'name': 'Authorization', 'value': 'Bearer abc'}]
    assert engine.compare_field('headerList', desired, {'headerList': [
        {'name': 'Authorization', 'value': 'Bearer abc'}]}) == engine.EQUAL
    assert engine.compare_field('headerList', desired, {'headerList': [
        {'name': 'Authorization', 'value': 'Bearer old'}]}) == engine.DIFFERENT
    assert engine.compare_field('headerList', desired, {'headerList': [
        {'name': 'Authorization', 'value': '****'}]}) == engine.UNKNOWN
    assert engine.compare_field('headerList', desired, {'headerList': [
        {'name': 'X-Other', 'value': None}]}) == engine.DIFFERENT
    assert engine.compare_field('headerList', desired, {'headerList': None}) == engine.DIFFERENT


# Masking, merging, write body -----------------------------------------------------------------

def test_mask_connection_masks_every_secret_and_header_value():
    obj = {'name': 'c', 'password': 'p', 'authPassphrase': '', 'privPassphrase': None,
           'headerList': [{'name': 'Authorization', 'value': 'Bearer abc'}, {'name': 'Empty', 'value': None}],
           'connectionFactoryClientProperties': {'password': 'nested'}}
    masked = engine.mask_connection(obj)
    assert masked == {'name': 'c', 'password': MASK, 'authPassphrase': '', 'privPassphrase': None,
                      'headerList': [{'name': 'Authorization', 'value': MASK}, {'name': 'Empty', 'value': None}],
                      'connectionFactoryClientProperties': {'password': MASK}}
    assert obj['password'] == 'p'  # a copy


def test_options_view_uses_option_names_and_masks():
    obj = {'name': 'c', 'type': 'snmp', 'authPassphrase': 'ap', 'timeout': 5000, 'deployToWorker': True}
    assert engine.options_view(obj, ['name', 'type', 'auth_passphrase', 'target_timeout', 'deploy_to_worker',
                                     'security_name']) == {
        'name': 'c', 'type': 'snmp', 'auth_passphrase': MASK, 'target_timeout': 5000, 'deploy_to_worker': True}


def test_merge_lays_desired_over_current_and_deep_merges_objects():
    current = {'name': 'es', 'type': 'elasticsearch', 'administrate': False,
               'indexLifecyclePolicy': {'policyName': 'p', 'enableHotPhase': True, 'maxAgeOfRollover': 30},
               'elasticHostList': [{'host': 'a'}, {'host': 'b'}]}
    desired = {'indexLifecyclePolicy': {'maxAgeOfRollover': 7}, 'elasticHostList': [{'host': 'c'}]}
    after = engine.ConnectionModule.merge(current, desired, 'es2')
    assert after == {'name': 'es2', 'type': 'elasticsearch', 'administrate': False,
                     'indexLifecyclePolicy': {'policyName': 'p', 'enableHotPhase': True, 'maxAgeOfRollover': 7},
                     'elasticHostList': [{'host': 'c'}]}
    assert current['indexLifecyclePolicy']['maxAgeOfRollover'] == 30


class _Module(object):
    def __init__(self, params):
        self.params = params


def _engine(connection_type):
    params = dict(project='Demo', name='c', new_name=None, type=connection_type, state='present',
                  update_secrets='on_create')
    return engine.ConnectionModule(_Module(params))


def test_write_body_drops_read_only_fields_and_unknown_secrets():
    after = {'id': '1', 'projectName': 'Demo', 'name': 'k', 'type': 'kafka', 'keyStoreId': 'ks1',
             'trustStoreId': None, 'password': '****', 'topicName': 't'}
    assert _engine('kafka').write_body(after) == {'name': 'k', 'type': 'kafka', 'topicName': 't'}
    after = {'name': 'w', 'type': 'webhook', 'headerList': [{'name': 'A', 'value': '****'}, {'name': 'B', 'value': 'b'},
                                                            {'name': 'C', 'value': None}]}
    assert _engine('webhook').write_body(after)['headerList'] == [{'name': 'A'}, {'name': 'B', 'value': 'b'},
                                                                  {'name': 'C'}]
    # LDAP certificateId is a documented write field: kept
    after = {'name': 'l', 'type': 'ldap', 'certificateId': 'c1', 'certificateName': 'corp-ca', 'password': 'known'}
    assert _engine('ldap').write_body(after) == after
