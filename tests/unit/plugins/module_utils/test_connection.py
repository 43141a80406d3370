# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The connection type table, its rules, and the compare / merge / mask / view functions."""

from __future__ import annotations

import pytest

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.apinizer.apiops.plugins.module_utils._client import CONNECTION_OPTIONS
from ansible_collections.apinizer.apiops.plugins.module_utils import _connection as engine
from ansible_collections.apinizer.apiops.plugins.module_utils import _connection_fields as fields
from ansible_collections.apinizer.apiops.plugins.module_utils import _connection_types as types
from ansible_collections.apinizer.apiops.plugins.module_utils._compare import MASK
from ansible_collections.apinizer.apiops.tests.unit.module_docs import compare_doc, documentation

TYPES = types.TYPES


def field(key, option):
    return TYPES[key].fields[option]


# The table ------------------------------------------------------------------------------------

def test_the_fourteen_documented_types_and_their_dict_keys():
    assert {key: spec.api for key, spec in TYPES.items()} == {
        'active_mq': 'activeMq', 'database': 'database', 'elasticsearch': 'elasticsearch', 'email': 'email',
        'ftp': 'ftp', 'graylog': 'graylog', 'kafka': 'kafka', 'ldap': 'ldap', 'linux_script': 'linux-script',
        'logback': 'logback', 'rabbit_mq': 'rabbitMq', 'snmp': 'snmp', 'syslog': 'syslog', 'webhook': 'webhook'}
    assert types.type_key('linux-script') == 'linux_script' and types.type_key('nope') is None


@pytest.mark.parametrize('key', types.TYPE_KEYS)
def test_rules_name_options_of_their_own_type(key):
    spec = TYPES[key]
    named = set(spec.required_on_create) | set(spec.create_defaults)
    for trigger, _value, required in spec.required_if:
        named |= {trigger} | set(required)
    for trigger, _values, required in spec.secret_rules:
        named |= {trigger} | set(required)
    for option, required in spec.required_by.items():
        named |= {option} | set(required)
    assert named <= set(spec.fields), named - set(spec.fields)


@pytest.mark.parametrize('key', types.TYPE_KEYS)
def test_each_api_field_has_one_option_per_type(key):
    apis = [f.api for f in TYPES[key].fields.values()]
    assert len(apis) == len(set(apis))


@pytest.mark.parametrize('key', types.TYPE_KEYS)
def test_secrets_are_no_log_and_only_secrets_are(key):
    for option, entry in TYPES[key].fields.items():
        assert bool(entry.spec.get('no_log')) == entry.secret, option


def test_nested_secrets_are_no_log():
    assert field('webhook', 'headers').spec['options']['value']['no_log'] is True
    assert field('webhook', 'headers').secret_members == ('value',)


def test_documented_secret_fields():
    assert types.SECRET_FIELDS == {
        'password', 'elasticPassword', 'caCertInPkcs12File', 'caInPemFile', 'caTruststoreFile',
        'caTruststoreFilePass', 'caKeystoreFile', 'caKeystoreFilePass', 'tlsTrustCertChainFile',
        'connectionFactoryPassword', 'authPassphrase', 'privPassphrase'}


def test_plural_names_for_lists_and_the_api_names_they_map_to():
    assert field('elasticsearch', 'hosts').api == 'elasticHostList'
    assert field('rabbit_mq', 'hosts').api == 'hostPortList'
    assert field('webhook', 'headers').api == 'headerList'
    assert field('kafka', 'properties').api == 'propertiesMap'
    assert field('snmp', 'privacy_protocols').api == 'privacyProtocolList'
    assert field('email', 'sender').api == 'from' and field('email', 'sender').spec['aliases'] == ['from']
    assert field('webhook', 'timeout').api == 'timeout' and field('syslog', 'facility').api == 'syslogFacility'


def test_module_spec_shape():
    spec = engine.connection_module_spec()
    assert spec['project']['fallback'][1] == ['APINIZER_PROJECT'] and spec['project']['aliases'] == ['project_name']
    assert spec['name']['aliases'] == ['connection_name'] and 'required' not in spec['project']
    assert spec['timeout']['fallback'][1] == ['APINIZER_TIMEOUT']
    assert spec['type']['choices'] == list(types.TYPE_KEYS)
    assert spec['update_secrets'] == dict(type='str', default='on_create', choices=['on_create', 'always'],
                                          no_log=False)
    for key in types.TYPE_KEYS:
        assert spec[key]['type'] == 'dict' and spec[key]['options']
    assert engine.CONNECTION_MODULE_OPTIONS['mutually_exclusive'] == [list(types.TYPE_KEYS)]


@pytest.mark.parametrize('key', types.TYPE_KEYS)
def test_type_sub_specs_are_valid_argument_specs(key):
    result = ArgumentSpecValidator(dict(section=types.type_argument_spec(key))).validate(dict(section={}))
    assert result.error_messages == []


# The module documentation matches the argument spec ----------------------------------------------

# Documented in the doc fragments apinizer.apiops.api and apinizer.apiops.project (sanity's validate-modules
# checks them with the fragments applied).
FRAGMENT_OPTIONS = CONNECTION_OPTIONS + ('project',)


@pytest.mark.parametrize('name, spec', [('apinizer_connection', engine.connection_module_spec()),
                                        ('apinizer_connection_info', engine.connection_info_spec())])
def test_documentation_matches_the_argument_spec(name, spec):
    own = {option: entry for option, entry in spec.items() if option not in FRAGMENT_OPTIONS}
    compare_doc(documentation(name), own, name)


def test_every_sub_option_names_its_api_field():
    doc = documentation('apinizer_connection')
    for key in types.TYPE_KEYS:
        for option, entry in TYPES[key].fields.items():
            text = ' '.join(doc[key]['suboptions'][option]['description'])
            assert 'API field C(%s)' % entry.api in text, (key, option)


# Checks before any request ------------------------------------------------------------------------

def test_ranges_and_formats():
    assert types.option_errors('email', dict(port=0)) == ['email: port must be from 1 to 65535, got 0.']
    assert types.option_errors('email', dict(port=65535)) == []
    assert types.option_errors('graylog', dict(send_buffer_size=-1)) == []
    assert types.option_errors('graylog', dict(send_buffer_size=-2)) == [
        'graylog: send_buffer_size must be -1 or more, got -2.']
    assert types.option_errors('webhook', dict(full_url='ftp://x')) == [
        "webhook: full_url must be an http:// or https:// URL, got 'ftp://x'."]
    assert types.option_errors('elasticsearch', dict(hosts=[dict(host='a', port=None), dict(host='b', port=0)])) == [
        'elasticsearch: hosts[1].port must be from 1 to 65535, got 0.']
    assert types.option_errors('elasticsearch', dict(index_lifecycle_policy=dict(min_age_of_delete=-1))) == [
        'elasticsearch: index_lifecycle_policy.min_age_of_delete must be 0 or more, got -1.']


def test_stored_rules_name_what_is_missing():
    assert types.stored_errors('email', dict(auth=True, username='u')) == ['email: auth=true requires password.']
    assert types.stored_errors('email', dict(auth=True, username='u', password='p')) == []
    assert types.stored_errors('snmp', dict(security_level='AUTH_PRIV')) == [
        'snmp: security_level=AUTH_NOPRIV or AUTH_PRIV requires auth_passphrase.',
        'snmp: security_level=AUTH_PRIV requires priv_passphrase.']
    assert types.stored_errors('ftp', dict(protocol='FTPS', use_implicit=False, use_explicit=False)) == [
        'ftp: protocol=FTPS requires exactly one of use_implicit and use_explicit to be true.']
    assert types.stored_errors('elasticsearch', dict(index_lifecycle_policy=dict(max_age_of_rollover=3))) == [
        'elasticsearch: index_lifecycle_policy needs at least one phase enabled (enable_hot_phase, '
        'enable_warm_phase, enable_cold_phase, enable_delete_phase).']


def test_create_requires_fields_and_applies_rule_defaults():
    assert types.stored_errors('ftp', dict(host='h'), creating=True) == [
        'ftp: creating a connection requires username, password, protocol.']
    assert types.stored_errors('logback', {}, creating=True) == []
    base = dict(db_type='POSTGRES', jdbc_url='jdbc:postgresql://db/x')
    assert types.stored_errors('database', base, creating=True) == [
        'database: use_credentials=true requires username and password.']
    assert types.stored_errors('database', dict(base, use_credentials=False), creating=True) == []
    assert types.stored_errors('database', base) == []  # an update does not assume the default


@pytest.mark.parametrize('name, flag, secret', [
    ('sasl.jaas.config', None, True), ('ssl.key.password', None, True), ('client.secret', None, True),
    ('sasl.oauthbearer.token.endpoint.url', None, True), ('bootstrap.servers', None, False),
    ('key.serializer', None, False), ('sasl.jaas.config', False, False), ('acks', True, True)])
def test_secret_kafka_properties(name, flag, secret):
    assert types.secret_property(name, flag) is secret


# Option <-> API form --------------------------------------------------------------------------

def test_to_api_renames_nested_keys_and_drops_unset_ones():
    ilm = {option: None for option in types.ILM_MEMBERS}
    ilm.update(enable_hot_phase=True, max_age_of_rollover=7)
    assert fields.to_api(field('elasticsearch', 'index_lifecycle_policy'), ilm) == {
        'enableHotPhase': True, 'maxAgeOfRollover': 7}
    tables = {option: None for option in types.LOG_TABLE_MEMBERS}
    tables.update(api_proxy_traffic='logs', token_traffic='tokens')
    assert fields.to_api(field('database', 'log_table_name_overrides'), tables) == {
        'ApiProxyTraffic': 'logs', 'TokenTraffic': 'tokens'}
    assert fields.to_api(field('elasticsearch', 'hosts'), [dict(scheme='https', host='es1', port=None)]) == [
        {'scheme': 'https', 'host': 'es1'}]


def test_kafka_properties_to_api_and_back():
    given = [dict(name='bootstrap.servers', value='k:9092', value_type='STRING', secret=None),
             dict(name='linger.ms', value=5, value_type='INTEGER', secret=None),
             dict(name='enable.idempotence', value=True, value_type='BOOLEAN', secret=None),
             dict(name='sasl.jaas.config', value=None, value_type='STRING', secret=None)]
    api = fields.to_api(field('kafka', 'properties'), given)
    assert api == {'bootstrap.servers': {'value': 'k:9092', 'valueType': 'STRING'},
                   'linger.ms': {'value': '5', 'valueType': 'INTEGER'},
                   'enable.idempotence': {'value': 'true', 'valueType': 'BOOLEAN'},
                   'sasl.jaas.config': {'valueType': 'STRING'}}
    assert fields.from_api(field('kafka', 'properties'), api) == [
        dict(name='bootstrap.servers', value='k:9092', value_type='STRING'),
        dict(name='linger.ms', value='5', value_type='INTEGER'),
        dict(name='enable.idempotence', value='true', value_type='BOOLEAN'),
        dict(name='sasl.jaas.config', value_type='STRING')]


def test_from_api_leaves_out_keys_the_options_do_not_know():
    assert fields.from_api(field('elasticsearch', 'index_lifecycle_policy'), {'enableHotPhase': True, 'extra': 1,
                                                                              'minAgeOfCold': None}) == {
        'enable_hot_phase': True}
    assert fields.from_api(field('elasticsearch', 'hosts'), [{'host': 'a', 'clusterName': 'c'}]) == [{'host': 'a'}]


def test_logback_paths_are_normalised_like_the_server_does():
    assert fields.to_api(field('logback', 'log_path'), '/var/log/apinizer') == '/var/log/apinizer/'
    assert fields.to_api(field('logback', 'log_path'), '/var/log/') == '/var/log/'
    assert fields.to_api(field('logback', 'log_file_name'), '/traffic') == 'traffic'


# Comparing ------------------------------------------------------------------------------------

def compare(key, option, desired, current, flags=None):
    entry = field(key, option)
    return fields.compare_field(entry.api, entry, desired, current, flags)


@pytest.mark.parametrize('desired, current, expected', [
    ('s3cret', {'password': 's3cret'}, fields.EQUAL),
    ('new', {'password': 's3cret'}, fields.DIFFERENT),
    ('s3cret', {'password': None}, fields.UNKNOWN),
    ('s3cret', {'password': '******'}, fields.UNKNOWN),
    ('s3cret', {}, fields.UNKNOWN),
])
def test_secret_comparison(desired, current, expected):
    assert compare('email', 'password', desired, current) == expected


def test_scalar_and_common_field_comparison():
    assert compare('email', 'port', 587, {'port': '587'}) == fields.EQUAL
    assert compare('email', 'port', 25, {'port': 587}) == fields.DIFFERENT
    assert compare('kafka', 'key_store_name', 'ks', {'keyStoreId': 'abc'}) == fields.UNREPORTED
    assert compare('kafka', 'key_store_name', 'ks', {'keyStoreId': 'abc', 'keyStoreName': 'ks'}) == fields.EQUAL
    assert compare('kafka', 'key_store_name', 'ks', {}) == fields.DIFFERENT
    assert compare('elasticsearch', 'index_name', '', {}) == fields.EQUAL
    assert compare('logback', 'log_pod_name', '', {'logPodName': 'worker-1'}) == fields.EQUAL
    assert compare('logback', 'log_pod_name', 'pod', {'logPodName': 'worker-1'}) == fields.DIFFERENT
    assert fields.compare_field('description', None, '', {'description': None}) == fields.EQUAL
    assert fields.compare_field('description', None, 'x', {'description': None}) == fields.DIFFERENT


def test_lists_sets_maps_and_objects():
    assert compare('kafka', 'protocol_types', ['TLS_1_2', 'TLS_1_3'], {'protocolTypes': ['TLS_1_3', 'TLS_1_2']}) \
        == fields.EQUAL
    hosts = [{'host': 'a', 'port': 9200}, {'host': 'b'}]
    assert compare('elasticsearch', 'hosts', hosts, {'elasticHostList': [
        {'scheme': 'http', 'host': 'a', 'port': 9200}, {'scheme': 'http', 'host': 'b', 'port': 9200}]}) == fields.EQUAL
    assert compare('elasticsearch', 'hosts', hosts, {'elasticHostList': [
        {'host': 'b', 'port': 9200}, {'host': 'a', 'port': 9200}]}) == fields.DIFFERENT
    assert compare('snmp', 'pdu_variable_map', {'1.3': 'v'}, {'pduVariableMap': {'1.3': 'v', '1.4': 'w'}}) \
        == fields.DIFFERENT
    assert compare('snmp', 'pdu_variable_map', {'1.3': 'v'}, {'pduVariableMap': {'1.3': 'v'}}) == fields.EQUAL
    assert compare('elasticsearch', 'index_lifecycle_policy', {'enableHotPhase': True}, {'indexLifecyclePolicy': {
        'enableHotPhase': True, 'policyName': 'p'}}) == fields.EQUAL
    assert compare('email', 'additional_properties', [{'key': 'a', 'value': '1'}, {'key': 'b', 'value': '2'}], {
        'additionalProperties': [{'key': 'b', 'value': '2'}, {'key': 'a', 'value': '1'}]}) == fields.EQUAL


def test_header_values_are_secrets_inside_a_list():
    desired = [{'name': 'Authorization', 'value': 'Bearer abc'}]

    def stored(value):
        return {'headerList': [{'name': 'Authorization', 'value': value}]}
    assert compare('webhook', 'headers', desired, stored('Bearer abc')) == fields.EQUAL
    assert compare('webhook', 'headers', desired, stored('Bearer old')) == fields.DIFFERENT
    assert compare('webhook', 'headers', desired, stored('****')) == fields.UNKNOWN
    assert compare('webhook', 'headers', [{'name': 'Authorization'}], stored('****')) == fields.EQUAL
    assert compare('webhook', 'headers', desired, {'headerList': [{'name': 'X-Other', 'value': None}]}) \
        == fields.DIFFERENT
    assert compare('webhook', 'headers', desired, {'headerList': None}) == fields.DIFFERENT


def test_kafka_properties_compare_as_a_map():
    stored = {'propertiesMap': {'a': {'value': '1', 'valueType': 'STRING'},
                                'sasl.jaas.config': {'value': 'j', 'valueType': 'STRING'}}}
    same = {'a': {'value': '1', 'valueType': 'STRING'}, 'sasl.jaas.config': {'value': 'j', 'valueType': 'STRING'}}
    assert compare('kafka', 'properties', same, stored) == fields.EQUAL
    assert compare('kafka', 'properties', dict(same, a={'value': 1, 'valueType': 'STRING'}), stored) == fields.EQUAL
    assert compare('kafka', 'properties', dict(same, a={'value': '2', 'valueType': 'STRING'}), stored) \
        == fields.DIFFERENT
    assert compare('kafka', 'properties', dict(same, a={'value': '1', 'valueType': 'INTEGER'}), stored) \
        == fields.DIFFERENT
    assert compare('kafka', 'properties', {'a': {'value': '1', 'valueType': 'STRING'}}, stored) == fields.DIFFERENT
    kept = dict(same, **{'sasl.jaas.config': {'valueType': 'STRING'}})
    assert compare('kafka', 'properties', kept, stored) == fields.EQUAL
    hidden = {'propertiesMap': dict(stored['propertiesMap'],
                                    **{'sasl.jaas.config': {'value': None, 'valueType': 'STRING'}})}
    assert compare('kafka', 'properties', same, hidden) == fields.UNKNOWN


# Views and masking ------------------------------------------------------------------------------

CONNECTION = {'id': '1', 'projectName': 'Demo', 'type': 'webhook', 'name': 'hook', 'description': None,
              'enabled': True, 'deployToWorker': True, 'fullUrl': 'https://h/x', 'httpMethod': 'POST', 'timeout': 2,
              'headerList': [{'name': 'Authorization', 'value': 'Bearer abc'}, {'name': 'Empty', 'value': None}]}


def test_views_in_option_shape():
    assert fields.options_view(CONNECTION, 'webhook') == {
        'name': 'hook', 'enabled': True, 'deploy_to_worker': True,
        'webhook': {'full_url': 'https://h/x', 'http_method': 'POST', 'timeout': 2,
                    'headers': [{'name': 'Authorization', 'value': MASK}, {'name': 'Empty'}]}}
    assert fields.options_view(CONNECTION, 'webhook', secrets='omit')['webhook']['headers'] == [
        {'name': 'Authorization'}, {'name': 'Empty'}]
    assert fields.options_view(CONNECTION, 'webhook', include={'enabled': True, 'webhook': {'timeout'}}) == {
        'name': 'hook', 'enabled': True, 'webhook': {'timeout': 2}}
    assert fields.options_view(CONNECTION, 'webhook', include={'webhook': set()}) == {'name': 'hook'}
    assert fields.options_view(CONNECTION, 'webhook', include={'webhook': set()}, keep_empty=True) == {
        'name': 'hook', 'webhook': {}}


def test_secret_views_mask_omit_and_mark():
    connection = {'type': 'snmp', 'name': 's', 'authPassphrase': 'ap', 'privPassphrase': '', 'timeout': 5000}
    assert fields.options_view(connection, 'snmp')['snmp'] == {'auth_passphrase': MASK, 'timeout': 5000}
    assert fields.options_view(connection, 'snmp', secrets='omit')['snmp'] == {'timeout': 5000}
    assert fields.options_view(connection, 'snmp', marks={'auth_passphrase': fields.CHANGED_MASK})['snmp'][
        'auth_passphrase'] == '******** (changed)'
    assert fields.secrets_set(connection, 'snmp') == ['snmp.auth_passphrase']
    assert fields.secrets_set(CONNECTION, 'webhook') == ['webhook.headers[Authorization]']


def test_mask_body_masks_every_secret_in_api_form():
    body = {'name': 'c', 'password': 'p', 'authPassphrase': '', 'privPassphrase': None,
            'headerList': [{'name': 'Authorization', 'value': 'Bearer abc'}, {'name': 'Empty', 'value': None}],
            'propertiesMap': {'sasl.jaas.config': {'value': 'j', 'valueType': 'STRING'},
                              'acks': {'value': 'all', 'valueType': 'STRING'}}}
    assert fields.mask_body(body) == {
        'name': 'c', 'password': MASK, 'authPassphrase': '', 'privPassphrase': None,
        'headerList': [{'name': 'Authorization', 'value': MASK}, {'name': 'Empty', 'value': None}],
        'propertiesMap': {'sasl.jaas.config': {'value': MASK, 'valueType': 'STRING'},
                          'acks': {'value': 'all', 'valueType': 'STRING'}}}
    assert fields.mask_body(body, {'acks': True})['propertiesMap']['acks']['value'] == MASK
    assert body['password'] == 'p'  # a copy
    assert fields.connection_secrets(body) == {'p', 'Bearer abc', 'j'}
