# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of the connection endpoints: GET, list, create, replace, delete, validation, secrets.

Run: python -m pytest -q tests/emulator
"""

from __future__ import annotations

import pytest

from emulator_helpers import api, bad_request, connection_path, error_a, error_b


# A minimal valid body per connection type, and defaults the emulator must fill in.
MINIMAL_CONNECTIONS = {
    'activeMq': ({'activeMqConnectionProtocolType': 'TCP', 'brokerURL': 'tcp://mq.example.com:61616',
                  'destinationType': 'QUEUE', 'destinationName': 'orders'},
                 {'sessionAcknowledgement': 'AUTO_ACKNOWLEDGE', 'sendTimeout': 60000, 'password': None}),
    'database': ({'dbType': 'POSTGRES', 'jdbcUrl': 'jdbc:postgresql://db:5432/x', 'username': 'u', 'password': 'p'},
                 {'useCredentials': True, 'maxPoolSize': 5, 'maxIdleTime': 120000, 'testConnectionOnCheckout': True}),
    'elasticsearch': ({'elasticHostList': [{'host': 'es1.example.com'}]},
                      {'elasticHostList': [{'scheme': 'http', 'host': 'es1.example.com', 'port': 9200}],
                       'elasticsearchType': 'READ_WRITE', 'elasticsearchMajorVersion': 'AUTO_DETECT',
                       'bulkMaxBatchSize': 2500, 'connectionTimeoutInMs': 5000}),
    'email': ({'host': 'smtp.example.com'}, {'port': 587, 'auth': False, 'defaultEncoding': 'UTF-8', 'additionalProperties': []}),
    'ftp': ({'host': 'ftp.example.com', 'username': 'u', 'password': 'p', 'protocol': 'SFTP'},
            {'port': 21, 'workingDir': '/', 'timeout': 30000, 'retryCount': 3, 'useImplicit': False}),
    'graylog': ({'hostname': 'graylog.example.com'},
                {'port': 12201, 'transportType': 'TCP', 'gelfMessageLevel': 'INFO', 'sendBufferSize': -1, 'tcpNoDelay': True}),
    'kafka': ({'topicName': 't', 'propertiesMap': {
        'bootstrap.servers': {'value': 'k:9092', 'valueType': 'STRING'},
        'key.serializer': {'value': 'S', 'valueType': 'STRING'},
        'value.serializer': {'value': 'S', 'valueType': 'STRING'}}},
        {'enableSecure': False, 'protocolTypes': [], 'keyStoreId': None}),
    'ldap': ({'serverAddress': 'ldaps://ldap.example.com:636', 'username': 'cn=bind', 'password': 'p', 'baseDn': 'dc=example'},
             {'searchScope': 'SUBTREE', 'requireCertificateType': 'NOT_REQUIRED', 'useSsl': False}),
    'linux-script': ({'hostName': 'scripts.example.com', 'username': 'u', 'password': 'p'}, {'sshPort': 22}),
    'logback': ({}, {'logPath': '/path/to/logs/', 'logFileName': 'ApinizerApiProxyTraffic', 'logPodName': 'apinizer-emulator',
                     'maxFileSize': 25}),
    'rabbitMq': ({'hostPortList': [{}]},
                 {'hostPortList': [{'host': 'localhost', 'port': 5672}], 'connectionFactoryVirtualHost': '/',
                  'connectionFactoryRequestedChannelMax': 2047, 'basicPropertiesAppId': 'apinizer', 'channelExchange': ''}),
    'snmp': ({'version': 'V2c', 'connectionString': 'udp:192.0.2.1/162', 'securityOrCommunityName': 'public',
              'pduOidForMessage': '1.3.6.1.4.1'}, {'pduVariableMap': {}, 'privacyProtocolList': [], 'enableUserAuthentication': False}),
    'syslog': ({'syslogServerHostname': 'syslog.example.com'},
               {'syslogPort': 514, 'syslogFacility': 'AUDIT', 'syslogSeverity': 'INFORMATIONAL', 'syslogMessageFormat': 'RFC_3164'}),
    'webhook': ({'fullUrl': 'https://hooks.example.com/x'},
                {'httpMethod': 'GET', 'timeout': 2, 'headerList': [], 'connectionPoolMaxConnectionTotal': 48}),
}


# ---- connections -------------------------------------------------------------------------------------

def test_get_one_connection_shows_secrets_and_list_masks_them(client, newer):
    for each in (client, newer):
        body = each.get(connection_path('smtp-alerts')).json
        assert body['status'] == 'SUCCESS' and body['resultCount'] == 1
        connection = body['resultList'][0]
        assert connection['password'] == 'seeded-smtp-password'
        assert connection['projectName'] == 'Demo' and connection['type'] == 'email'
        listed = each.get(api('projects', 'Demo', 'connections') + '?type=email').json
        assert listed['status'] == 'SUCCESS' and listed['resultCount'] == 1
        assert listed['resultList'][0] == dict(connection, password=None)
    database = client.get(api('projects', 'Demo', 'connections') + '?type=database').json['resultList']
    assert [item['name'] for item in database] == ['orders-db'] and database[0]['password'] is None
    assert client.get(api('projects', 'Demo', 'connections') + '?type=webhook').json == {
        'status': 'SUCCESS', 'resultList': [], 'resultCount': 0}


def test_list_connections_needs_a_valid_type(client, newer):
    path = api('projects', 'Demo', 'connections')
    error_a(client.get(path), 400, 'Connection type parameter is required!', 'bad_request')
    error_a(client.get(path + '?type='), 400, 'Connection type parameter is required!')
    error_b(newer.get(path), 400, 'Connection type parameter is required!')
    bad_request(client.get(path + '?type=smtp'), 'Connection type (smtp) is not valid!')
    error_a(client.get(api('projects', 'Nope', 'connections') + '?type=email'), 404, "Project 'Nope' not found")


def test_connection_not_found_is_400_in_both_styles(client, newer):
    error_a(client.get(connection_path('nope')), 400, 'Connection (name: nope) was not found!', 'bad_request')
    error_b(newer.get(connection_path('nope')), 400, 'Connection (name: nope) was not found!')
    error_a(client.put(connection_path('nope'), {'type': 'email', 'host': 'h'}), 400,
            'Connection (name: nope) was not found!', 'bad_request')
    error_a(client.delete(connection_path('nope')), 400, 'Connection (name: nope) was not found!')
    error_a(client.put(connection_path('nope', 'Nope'), {'type': 'email'}), 404, "Project 'Nope' not found", 'not_found')
    bad_request(client.get('/apiops/projects/Demo/connections//'), 'Connection name can not be empty!')


@pytest.mark.parametrize('connection_type', sorted(MINIMAL_CONNECTIONS))
def test_create_every_type_with_defaults(client, connection_type):
    body, defaults = MINIMAL_CONNECTIONS[connection_type]
    name = 'new-' + connection_type
    response = client.post(connection_path(name), dict(body, type=connection_type, name=name))
    assert response.json == {'status': 'SUCCESS', 'deploymentResult': {'success': True}}, response
    stored = client.connection_object(name)
    assert stored['type'] == connection_type and stored['name'] == name and stored['projectName'] == 'Demo'
    assert stored['deployToWorker'] is True and stored['enabled'] is True and stored['description'] is None
    for key, value in defaults.items():
        assert stored[key] == value, key
    for key, value in body.items():
        if key not in defaults:
            assert stored[key] == value, key
    # the state dump holds the same object
    state = client.admin('GET', '/_emulator/state')
    assert [c for c in state['projects']['Demo']['connections'] if c['name'] == name] == [stored]


@pytest.mark.parametrize('connection_type', sorted(t for t in MINIMAL_CONNECTIONS if t != 'logback'))
def test_create_needs_the_required_fields(client, connection_type):
    body = MINIMAL_CONNECTIONS[connection_type][0]
    missing = sorted(body)[0]
    partial = {key: value for key, value in body.items() if key != missing}
    text = bad_request(client.post(connection_path('x'), dict(partial, type=connection_type, name='x')), '"%s"' % missing)
    assert 'required' in text or 'must hold' in text


def test_create_errors(client, newer):
    email = {'type': 'email', 'name': 'smtp-alerts', 'host': 'h'}
    error_a(client.post(connection_path('smtp-alerts'), email), 400, 'Connection (name: smtp-alerts) already exists!', 'bad_request')
    error_b(newer.post(connection_path('SMTP-ALERTS'), dict(email, name='SMTP-ALERTS')), 400,
            'Connection (name: SMTP-ALERTS) already exists!')
    bad_request(client.post(connection_path('a'), dict(email, name='b')), 'do not match')
    assert client.post(connection_path('mixed-case'), dict(email, name='Mixed-Case')).status == 200
    assert client.connection_object('MIXED-case')['name'] == 'Mixed-Case'
    bad_request(client.post(connection_path('a'), {'type': 'email', 'host': 'h'}), '"name"', 'required')
    bad_request(client.post(connection_path('a'), {'name': 'a', 'host': 'h'}), '"type"', 'required')
    bad_request(client.post(connection_path('a'), {'type': 'smtp', 'name': 'a'}), 'not valid', 'email')
    bad_request(client.post(connection_path('a'), {'type': 'Email', 'name': 'a', 'host': 'h'}), 'not valid')
    # seed 004's database example uses fields the database type page does not define
    text = bad_request(client.post(connection_path('db'), {
        'type': 'database', 'name': 'db', 'host': 'localhost', 'port': 5432, 'databaseName': 'mydb',
        'username': 'u', 'password': 'p'}), '"host"', '"port"')
    assert 'databaseName' not in text
    bad_request(client.post(connection_path('a'), dict(email, name='a', projectName='Other')), 'projectName')
    assert client.post(connection_path('b'), dict(email, name='b', projectName='Demo')).status == 200


def test_create_without_deploy_to_worker(client):
    response = client.post(connection_path('quiet'), {'type': 'syslog', 'name': 'quiet', 'deployToWorker': False,
                                                      'syslogServerHostname': 's'})
    assert response.json == {'status': 'SUCCESS'}
    assert client.delete(connection_path('quiet')).json == {'status': 'SUCCESS'}


def test_connection_field_types(client):
    def create(**fields):
        return client.post(connection_path('t'), dict({'type': 'email', 'name': 't', 'host': 'h'}, **fields))
    bad_request(create(port='587'), '"port"', 'integer', 'string')
    bad_request(create(port=587.0), '"port"', 'integer')
    bad_request(create(port=70000), '"port"')
    bad_request(create(enableStartTls='yes'), '"enableStartTls"', 'boolean')
    bad_request(create(host=5), '"host"', 'string')
    bad_request(create(host=''), '"host"', 'required')
    bad_request(create(additionalProperties=[{'value': 'v'}]), '"additionalProperties[0].key"', 'required')
    bad_request(create(additionalProperties=[{'key': 'k', 'value': 1}]), '"additionalProperties[0].value"')
    bad_request(create(additionalProperties=[{'key': 'k', 'other': 1}]), '"additionalProperties[0].other"')
    bad_request(create(additionalProperties={'key': 'k'}), '"additionalProperties"', 'array')
    bad_request(create(smtpHost='x'), 'Unrecognized field "smtpHost"')
    assert create(additionalProperties=[{'key': 'mail.smtp.timeout', 'value': '5000'}]).status == 200


@pytest.mark.parametrize('connection_type,fields,fragments', [
    ('email', {'host': 'h', 'auth': True, 'username': 'u'}, ['"password"', 'auth is true']),
    ('database', {'dbType': 'MYSQL', 'jdbcUrl': 'jdbc:mysql://d/x'}, ['"username", "password"', 'useCredentials']),
    ('ftp', {'host': 'h', 'username': 'u', 'password': 'p', 'protocol': 'FTPS'}, ['Exactly one of', 'useImplicit']),
    ('ftp', {'host': 'h', 'username': 'u', 'password': 'p', 'protocol': 'FTPS', 'useImplicit': True, 'useExplicit': True},
     ['mutually exclusive']),
    ('ftp', {'host': 'h', 'username': 'u', 'password': 'p', 'protocol': 'ftp'}, ['FTP, SFTP, FTPS']),
    ('elasticsearch', {'elasticHostList': [{'host': 'e'}], 'authenticate': True, 'elasticUsername': 'u'},
     ['"elasticPassword"']),
    ('elasticsearch', {'elasticHostList': []}, ['"elasticHostList"', 'at least 1']),
    ('elasticsearch', {'elasticHostList': [{'port': 9200}]}, ['"elasticHostList[0].host"']),
    ('elasticsearch', {'elasticHostList': [{'host': 'e', 'scheme': 'ftp'}]}, ['"elasticHostList[0].scheme"']),
    ('elasticsearch', {'elasticHostList': [{'host': 'e'}], 'encryptCommunication': True,
                       'encryptCommunicationType': 'CA_IN_PEM_FILE'}, ['"caInPemFile"']),
    ('elasticsearch', {'elasticHostList': [{'host': 'e'}], 'caInPemFile': 'not base64!'}, ['"caInPemFile"', 'base64']),
    ('elasticsearch', {'elasticHostList': [{'host': 'e'}], 'indexLifecyclePolicyCreated': True,
                       'indexLifecyclePolicy': {'maxAgeOfRollover': 7}}, ['At least one of', 'enableHotPhase']),
    ('elasticsearch', {'elasticHostList': [{'host': 'e'}], 'socketKeepAlive': True}, ['"socketKeepAlive"']),
    ('elasticsearch', {'elasticHostList': [{'host': 'e', 'clusterName': 'c'}]}, ['"elasticHostList[0].clusterName"']),
    ('rabbitMq', {'hostPortList': [{'host': 'r'}], 'authenticationEnabled': True}, ['"connectionFactoryUsername"']),
    ('rabbitMq', {'hostPortList': [{'host': 'r'}], 'basicPropertiesPriority': 300}, ['"basicPropertiesPriority"']),
    ('rabbitMq', {'hostPortList': [{'host': 'r'}], 'basicPropertiesDeliveryMode': 3}, ['"basicPropertiesDeliveryMode"']),
    ('kafka', {'topicName': 't', 'propertiesMap': {'bootstrap.servers': {'value': 'k', 'valueType': 'STRING'}}},
     ['"key.serializer", "value.serializer"']),
    ('kafka', {'topicName': 't', 'propertiesMap': dict(MINIMAL_CONNECTIONS['kafka'][0]['propertiesMap'],
                                                       **{'linger.ms': {'value': '5', 'valueType': 'INT'}})},
     ['"propertiesMap.linger.ms.valueType"']),
    ('kafka', dict(MINIMAL_CONNECTIONS['kafka'][0], enableSecure=True), ['"protocolTypes", "keyStoreName"']),
    ('graylog', {'hostname': 'g', 'tlsCertVerificationEnabled': True}, ['"tlsTrustCertChainFile"']),
    ('graylog', {'hostname': 'g', 'gelfMessageLevel': 'INFO(6)'}, ['"gelfMessageLevel"']),
    ('snmp', dict(MINIMAL_CONNECTIONS['snmp'][0], securityLevel='AUTH_PRIV', usmUserAuthenticationProtocol='AuthSHA',
                  authPassphrase='a'), ['"usmUserPrivacyProtocol", "privPassphrase"']),
    ('snmp', dict(MINIMAL_CONNECTIONS['snmp'][0], privacyProtocolList=['PrivAES999']), ['"privacyProtocolList[0]"']),
    ('webhook', {'fullUrl': 'https://h', 'headerList': [{'name': 'Authorization'}]}, ['"headerList[0].value"']),
    ('webhook', {'fullUrl': 'https://h', 'httpMethod': 'TRACE'}, ['"httpMethod"']),
    ('webhook', {'fullUrl': 'ftp://h'}, ['"fullUrl"']),
    ('database', {'dbType': 'POSTGRES', 'jdbcUrl': 'j', 'useCredentials': False,
                  'logTableNameOverrides': {'Traffic': 't'}}, ['"logTableNameOverrides"', '"Traffic"']),
])
def test_connection_rules(client, connection_type, fields, fragments):
    bad_request(client.post(connection_path('r'), dict(fields, type=connection_type, name='r')), *fragments)
    assert client.get(connection_path('r')).status == 400


def test_connection_rules_that_pass(client):
    bodies = [
        {'type': 'database', 'dbType': 'MYSQL', 'jdbcUrl': 'jdbc:mysql://d/x', 'useCredentials': False},
        {'type': 'ftp', 'host': 'h', 'username': 'u', 'password': 'p', 'protocol': 'FTPS', 'useExplicit': True},
        {'type': 'elasticsearch', 'elasticHostList': [{'host': 'e', 'scheme': 'https'}], 'authenticate': True,
         'elasticUsername': 'u', 'elasticPassword': 'p', 'encryptCommunication': True,
         'encryptCommunicationType': 'CA_IN_PEM_FILE', 'caInPemFile': 'SeKrEtPemFile001',
         'indexLifecyclePolicyCreated': True, 'indexLifecyclePolicy': {'enableHotPhase': True, 'maxAgeOfRollover': 7}},
        {'type': 'kafka', 'topicName': 't', 'enableSecure': True, 'protocolTypes': ['TLS_1_3'], 'keyStoreName': 'ks',
         'propertiesMap': MINIMAL_CONNECTIONS['kafka'][0]['propertiesMap']},
        {'type': 'rabbitMq', 'hostPortList': [{'host': 'r', 'port': 5671}], 'authenticationEnabled': True,
         'connectionFactoryUsername': 'u', 'connectionFactoryPassword': 'p', 'connectionFactoryClientProperties': {'a': 1}},
        {'type': 'logback', 'logPath': '/var/log/apinizer', 'logFileName': '/traffic', 'logPodName': 'pod-1'},
    ]
    for index, body in enumerate(bodies):
        name = 'ok-%d' % index
        assert client.post(connection_path(name), dict(body, name=name)).status == 200, body
    policy = client.connection_object('ok-2')['indexLifecyclePolicy']
    assert policy['policyName'] == 'apinizer-log-ilm-policy-default' and policy['enableWarmPhase'] is False
    assert policy['maxAgeOfRollover'] == 7 and policy['minAgeOfDelete'] is None
    kafka = client.connection_object('ok-3')
    assert kafka['keyStoreName'] == 'ks' and len(kafka['keyStoreId']) == 24 and kafka['trustStoreId'] is None
    logback = client.connection_object('ok-5')
    # documented server-side normalisation
    assert (logback['logPath'], logback['logFileName'], logback['logPodName']) == ('/var/log/apinizer/', 'traffic', 'pod-1')
    # read-only fields a GET reports are accepted back in a PUT
    assert client.put(connection_path('ok-3'), kafka).status == 200
    assert client.connection_object('ok-3') == kafka


def test_put_replaces_the_connection_but_keeps_omitted_secrets(client, newer):
    for each in (client, newer):
        body = {'type': 'email', 'host': 'smtp2.example.com', 'auth': True, 'username': 'ops@example.com'}
        response = each.put(connection_path('smtp-alerts'), body)
        assert response.json == {'status': 'SUCCESS', 'deploymentResult': {'success': True}}
        stored = each.connection_object('smtp-alerts')
        assert stored['host'] == 'smtp2.example.com' and stored['username'] == 'ops@example.com'
        assert stored['password'] == 'seeded-smtp-password'  # omitted secret: kept
        assert stored['port'] == 587 and stored['enableStartTls'] is False  # omitted: reset to the default
        assert stored['from'] is None and stored['description'] is None
        assert stored['name'] == 'smtp-alerts'
    # null secret: kept; a new secret: replaced
    assert client.put(connection_path('smtp-alerts'), {'type': 'email', 'name': 'smtp-alerts', 'host': 'h', 'auth': True,
                                                       'username': 'u', 'password': None}).status == 200
    assert client.connection_object('smtp-alerts')['password'] == 'seeded-smtp-password'
    assert client.put(connection_path('smtp-alerts'), {'type': 'email', 'host': 'h', 'auth': True, 'username': 'u',
                                                       'password': 'new-secret'}).status == 200
    assert client.connection_object('smtp-alerts')['password'] == 'new-secret'


def test_put_merged_body_round_trip_is_stable(client):
    current = client.connection_object('orders-db')
    assert client.put(connection_path('orders-db'), dict(current, maxPoolSize=10)).status == 200
    assert client.connection_object('orders-db') == dict(current, maxPoolSize=10)


def test_put_validation(client, newer):
    path = connection_path('smtp-alerts')
    text = bad_request(client.put(path, {'type': 'webhook', 'fullUrl': 'https://x'}), 'can not be changed')
    assert 'email' in text and 'webhook' in text
    error_b(newer.put(path, {'type': 'webhook', 'fullUrl': 'https://x'}), 400,
            'Connection type can not be changed (stored: email, sent: webhook)! Delete the connection and create it again.')
    bad_request(client.put(path, {'host': 'h'}), '"type"')
    bad_request(client.put(path, {'type': 'email'}), '"host"', 'required')
    bad_request(client.put(path, {'type': 'email', 'host': 'h', 'pasword': 'x'}), '"pasword"')
    bad_request(client.put(path, {'type': 'email', 'host': 'h', 'name': 5}), '"name"')
    assert client.connection_object('smtp-alerts')['host'] == 'smtp.example.com'
    # the required secret of a type: kept from the stored connection
    assert client.post(connection_path('files'), {'type': 'ftp', 'name': 'files', 'host': 'h', 'username': 'u',
                                                  'password': 'p', 'protocol': 'SFTP'}).status == 200
    assert client.put(connection_path('files'), {'type': 'ftp', 'host': 'h2', 'username': 'u', 'protocol': 'SFTP'}).status == 200
    assert client.connection_object('files')['password'] == 'p'


def test_put_rename(client):
    assert client.put(connection_path('smtp-alerts'), {'type': 'email', 'name': 'smtp-ops', 'host': 'h'}).status == 200
    assert client.get(connection_path('smtp-alerts')).status == 400
    renamed = client.connection_object('smtp-ops')
    assert renamed['name'] == 'smtp-ops' and renamed['password'] == 'seeded-smtp-password'
    bad_request(client.put(connection_path('smtp-ops'), {'type': 'email', 'name': 'ORDERS-DB', 'host': 'h'}),
                'Connection (name: ORDERS-DB) already exists!')
    # a change of case only is a rename onto itself
    assert client.put(connection_path('smtp-ops'), {'type': 'email', 'name': 'SMTP-Ops', 'host': 'h'}).status == 200
    assert client.connection_object('smtp-ops')['name'] == 'SMTP-Ops'
    # an empty name keeps the name
    assert client.put(connection_path('smtp-ops'), {'type': 'email', 'name': '', 'host': 'h'}).status == 200
    assert client.connection_object('smtp-ops')['name'] == 'SMTP-Ops'


def test_delete_connection(client, newer):
    assert client.delete(connection_path('ORDERS-DB')).json == {'status': 'SUCCESS', 'deploymentResult': {'success': True}}
    error_a(client.get(connection_path('orders-db')), 400, 'Connection (name: orders-db) was not found!')
    error_a(client.delete(connection_path('orders-db')), 400, 'Connection (name: orders-db) was not found!')
    assert newer.delete(connection_path('orders-db')).json['status'] == 'SUCCESS'
    error_b(newer.delete(connection_path('orders-db')), 400, 'Connection (name: orders-db) was not found!')
