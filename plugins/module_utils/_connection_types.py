# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""The project connection types Apinizer documents, as one table.

apinizer_connection takes one dict per type (``email: {...}``, ``kafka: {...}``); the type
follows from the dict. For each type: its API name, and for every sub-option the API field it
maps to, its argument spec, whether it is a secret, its range, how it compares, and how nested
values are renamed between option and API form. Then the type's rules: the ones argument
validation enforces inside the sub-spec (required_if, required_together, required_by), the ones
that name a secret (checked against the connection as it will be stored, because a secret is
never read back), and the fields Apinizer requires on create. Source: the type pages of the
Apinizer Management API reference (connection-<type>), newer docs' spellings (docs/decisions.md#14-enum-spellings).
"""

from __future__ import annotations

import re

# Fields every connection has (ConnectionDTO), besides the discriminator `type` and `name`.
COMMON_FIELDS = dict(
    description='description',
    enabled='enabled',
    deploy_to_worker='deployToWorker',
)

# Fields a GET returns that are not part of a write body: never sent back (docs/decisions.md#13-fields-the-server-rewrites).
# (LDAP certificateId is not among them: Apinizer documents it as a write field beside
# certificateName, so it is an option and is kept on update.)
READ_ONLY_FIELDS = frozenset(('id', '_id', '_class', 'projectName', 'projectId', 'keyStoreId', 'trustStoreId'))

# Server-normalised references: GET may report the id, writes take the name.
ID_REFERENCES = dict(keyStoreId='keyStoreName', trustStoreId='trustStoreName')

KAFKA_VALUE_TYPES = ['STRING', 'BOOLEAN', 'INTEGER', 'LONG', 'DOUBLE', 'FLOAT', 'STRING_LIST', 'URI']
KAFKA_REQUIRED_PROPERTIES = ('bootstrap.servers', 'key.serializer', 'value.serializer')
# Whether a Kafka property is a secret. Apinizer keeps no such flag: a task may say it
# (secret: true/false), but a later delete or apinizer_connection_info has only the names. So a
# property is shown in clear only when its name is one of Kafka's client settings that carry no
# credential (below) and does not say it holds one; every other value is masked (or left out by
# the info module) wherever no task says otherwise (docs/decisions.md, "Kafka secret properties").
SECRET_PROPERTY_NAME = re.compile(r'password|passwd|secret|jaas|credential|token', re.IGNORECASE)
PUBLIC_KAFKA_PROPERTIES = frozenset((
    'acks', 'batch.size', 'bootstrap.servers', 'buffer.memory', 'client.dns.lookup', 'client.id',
    'compression.gzip.level', 'compression.lz4.level', 'compression.type', 'compression.zstd.level',
    'connections.max.idle.ms', 'delivery.timeout.ms', 'enable.idempotence', 'enable.metrics.push',
    'interceptor.classes', 'key.serializer', 'linger.ms', 'max.block.ms', 'max.in.flight.requests.per.connection',
    'max.request.size', 'metadata.max.age.ms', 'metadata.max.idle.ms', 'metadata.recovery.strategy',
    'metric.reporters', 'metrics.num.samples', 'metrics.recording.level', 'metrics.sample.window.ms',
    'partitioner.adaptive.partitioning.enable', 'partitioner.availability.timeout.ms', 'partitioner.class',
    'partitioner.ignore.keys', 'receive.buffer.bytes', 'reconnect.backoff.max.ms', 'reconnect.backoff.ms',
    'request.timeout.ms', 'retries', 'retry.backoff.max.ms', 'retry.backoff.ms', 'sasl.kerberos.service.name',
    'sasl.mechanism', 'security.protocol', 'send.buffer.bytes', 'socket.connection.setup.timeout.max.ms',
    'socket.connection.setup.timeout.ms', 'ssl.cipher.suites', 'ssl.enabled.protocols',
    'ssl.endpoint.identification.algorithm', 'ssl.keymanager.algorithm', 'ssl.keystore.location',
    'ssl.keystore.type', 'ssl.protocol', 'ssl.provider', 'ssl.secure.random.implementation',
    'ssl.trustmanager.algorithm', 'ssl.truststore.location', 'ssl.truststore.type', 'transaction.timeout.ms',
    'transactional.id', 'value.serializer',
))

SNMP_PRIVACY_PROTOCOLS = ['PrivAES128', 'PrivAES192', 'PrivAES192with3DES', 'PrivAES256',
                          'PrivAES256with3DES', 'PrivDES', 'Priv3DES']
PORT = (1, 65535)


def _field(api, spec, secret=False, compare='scalar', members=None, secret_members=(), normalize=None,
           blank_matches_any=False, minimum=None, maximum=None, member_ranges=None, pattern=None):
    """One sub-option of a type dict.

    compare: scalar | object (a dict compared on the keys the user gave, merged on update)
             | list (ordered) | set (unordered list) | map (a dict whose keys are the value)
             | headers (webhook headers: a set by name, values secret)
             | properties (kafka properties: a map by name of {value, valueType}).
    members: {suboption: API key} of a dict, or of each dict in a list.
    secret_members: suboptions of each list item that are secrets (webhook header values).
    minimum / maximum: the range of an int; member_ranges: {suboption: (minimum, maximum)}.
    pattern: (regex, what it means) a string must match.
    """
    return dict(api=api, spec=spec, secret=secret, compare=compare, members=members,
                secret_members=tuple(secret_members), normalize=normalize, blank_matches_any=blank_matches_any,
                minimum=minimum, maximum=maximum, member_ranges=member_ranges or {}, pattern=pattern)


def _str(**kwargs):
    return dict(type='str', **kwargs)


def _int():
    return dict(type='int')


def _bool():
    return dict(type='bool')


def _secret():
    return dict(type='str', no_log=True)


def _count(api, minimum=0, maximum=None):
    """An int field with a range (milliseconds, sizes, counts)."""
    return _field(api, _int(), minimum=minimum, maximum=maximum)


def _port(api='port'):
    return _field(api, _int(), minimum=PORT[0], maximum=PORT[1])


def _trailing_slash(value):
    if isinstance(value, str) and value and not value.endswith('/'):
        return value + '/'
    return value


def _no_leading_slash(value):
    return value.lstrip('/') if isinstance(value, str) else value


ILM_MEMBERS = dict(
    policy_name='policyName',
    enable_hot_phase='enableHotPhase',
    max_age_of_rollover='maxAgeOfRollover',
    max_index_size_of_rollover='maxIndexSizeOfRollover',
    max_doc_count_of_rollover='maxDocCountOfRollover',
    enable_warm_phase='enableWarmPhase',
    number_of_replicas_for_warm='numberOfReplicasForWarm',
    max_num_shards_for_shrink='maxNumShardsForShrink',
    max_num_segments_for_force_merge='maxNumSegmentsForForceMerge',
    enable_cold_phase='enableColdPhase',
    min_age_of_cold='minAgeOfCold',
    number_of_replicas_for_cold='numberOfReplicasForCold',
    enable_delete_phase='enableDeletePhase',
    min_age_of_delete='minAgeOfDelete',
)
ILM_PHASES = ('enable_hot_phase', 'enable_warm_phase', 'enable_cold_phase', 'enable_delete_phase')
ILM_OPTIONS = {option: dict(type='bool' if option.startswith('enable_') else
                                 'str' if option == 'policy_name' else 'int')
               for option in ILM_MEMBERS}
ILM_RANGES = {option: (0, None) for option, spec in ILM_OPTIONS.items() if spec['type'] == 'int'}

LOG_TABLE_MEMBERS = dict(
    api_proxy_traffic='ApiProxyTraffic',
    policy_capture='PolicyCapture',
    audit_event='AuditEvent',
    application='Application',
    unsent_message='UnsentMessage',
    token_traffic='TokenTraffic',
)
LOG_TABLE_OPTIONS = {option: dict(type='str', no_log=False) if option == 'token_traffic' else dict(type='str')
                     for option in LOG_TABLE_MEMBERS}


def _type(api, fields, required_on_create=(), required_if=(), required_together=(), required_by=None,
          secret_rules=(), create_defaults=None, check=None):
    """One connection type.

    required_if / required_together / required_by: rules on non-secret sub-options, enforced by
    argument validation inside the type's sub-spec.
    secret_rules: (trigger, values, required sub-options) rules that name a secret; a secret
    is never returned by apinizer_connection_info, so they are checked against the connection as
    it will be stored (the task's values laid over the current ones), before any write. They may
    repeat the rule's non-secret requirements, so a create names everything missing.
    required_on_create: sub-options Apinizer requires when the connection is created.
    create_defaults: Apinizer's default of a rule's trigger, applied on create when unset.
    check: a function (sub-options) -> [messages] for rules argument validation cannot express.
    """
    return dict(api=api, fields=fields, required_on_create=tuple(required_on_create),
                required_if=[tuple(rule) for rule in required_if], required_together=[list(r) for r in required_together],
                required_by=dict(required_by or {}), secret_rules=tuple(secret_rules),
                create_defaults=dict(create_defaults or {}), check=check)


# Checks argument validation cannot express ----------------------------------------------------

def _check_ftp(params):
    if params.get('use_implicit') is True and params.get('use_explicit') is True:
        return ['use_implicit and use_explicit are mutually exclusive; set at most one to true.']
    return []


def _check_ftp_stored(values):
    """On the connection as it will be stored: FTPS needs exactly one of implicit and explicit."""
    if values.get('protocol') == 'FTPS' and [values.get('use_implicit'), values.get('use_explicit')].count(True) != 1:
        return ['protocol=FTPS requires exactly one of use_implicit and use_explicit to be true.']
    return []


def _check_elasticsearch_stored(values):
    """On the connection as it will be stored: an index lifecycle policy needs one phase enabled."""
    policy = values.get('index_lifecycle_policy')
    if isinstance(policy, dict) and not any(policy.get(option) is True for option in ILM_PHASES):
        return ['index_lifecycle_policy needs at least one phase enabled (%s).' % ', '.join(ILM_PHASES)]
    return []


def _check_database(params):
    low, high = params.get('min_pool_size'), params.get('max_pool_size')
    if low is not None and high is not None and low > high:
        return ['min_pool_size (%d) must not be greater than max_pool_size (%d).' % (low, high)]
    return []


def _check_elasticsearch(params):
    errors = []
    if params.get('hosts') == []:
        errors.append('hosts must hold at least one host.')
    policy = params.get('index_lifecycle_policy')
    if isinstance(policy, dict) and all(policy.get(option) is False for option in ILM_PHASES):
        errors.append('index_lifecycle_policy needs at least one phase enabled (%s).' % ', '.join(ILM_PHASES))
    return errors


def _check_kafka(params):
    errors = []
    properties = params.get('properties')
    if properties is None:
        return errors
    names = [entry.get('name') for entry in properties]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        errors.append('properties names %s more than once; each property may appear once.' % ', '.join(duplicates))
    missing = [name for name in KAFKA_REQUIRED_PROPERTIES if name not in names]
    if missing:
        errors.append('properties must hold %s (Apinizer requires them).' % ', '.join(missing))
    for entry in properties:
        value = entry.get('value')
        if value is not None and not isinstance(value, (str, int, float, bool)):
            errors.append('properties entry %r: value must be a string, number or boolean, got %s.'
                          % (entry.get('name'), type(value).__name__))
        if not (entry.get('name') or '').strip():
            errors.append('properties entries need a non-empty name.')
    return errors


def _check_rabbit_mq(params):
    if params.get('hosts') == []:
        return ['hosts must hold at least one host.']
    return []


def _check_webhook(params):
    headers = params.get('headers') or []
    names = [(header.get('name') or '').lower() for header in headers]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    errors = []
    if duplicates:
        errors.append('headers names %s more than once (header names are case-insensitive).' % ', '.join(duplicates))
    if any(not name.strip() for name in names):
        errors.append('headers entries need a non-empty name.')
    return errors


HTTP_URL = (r'^https?://[^/\s]+', 'an http:// or https:// URL')

# The table: type dict key (snake_case of the type name) -> type ---------------------------------

TYPES = dict(
    active_mq=_type('activeMq', dict(
        protocol_type=_field('activeMqConnectionProtocolType', _str(choices=['TCP', 'AMQP'])),
        broker_url=_field('brokerURL', _str()),
        username=_field('username', _str()),
        password=_field('password', _secret(), secret=True),
        destination_type=_field('destinationType', _str(choices=['QUEUE', 'TOPIC'])),
        destination_name=_field('destinationName', _str()),
        session_acknowledgement=_field('sessionAcknowledgement', _str(choices=[
            'AUTO_ACKNOWLEDGE', 'CLIENT_ACKNOWLEDGE', 'DUPS_OK_ACKNOWLEDGE', 'SESSION_TRANSACTED'])),
        send_timeout=_count('sendTimeout'),
        request_timeout=_count('requestTimeout'),
        close_timeout=_count('closeTimeout'),
        connect_timeout=_count('connectTimeout'),
        content_type=_field('contentType', _str()),
        client_id=_field('clientID', _str()),
        content_encoding=_field('contentEncoding', _str()),
    ), required_on_create=('protocol_type', 'broker_url', 'destination_type', 'destination_name')),

    database=_type('database', dict(
        db_type=_field('dbType', _str(choices=[
            'ORACLE', 'MYSQL', 'POSTGRES', 'SQL_SERVER', 'SYBASE', 'DB2', 'APACHE_HIVE', 'APACHE_IMPALA',
            'MONGODB', 'TRINO'])),
        jdbc_url=_field('jdbcUrl', _str()),
        use_credentials=_field('useCredentials', _bool()),
        username=_field('username', _str()),
        password=_field('password', _secret(), secret=True),
        database_name=_field('databaseName', _str()),
        initial_pool_size=_count('initialPoolSize'),
        min_pool_size=_count('minPoolSize'),
        max_pool_size=_count('maxPoolSize', 1),
        increment_count=_count('incrementCount', 1),
        max_statements=_count('maxStatements'),
        idle_connection_test_period=_count('idleConnectionTestPeriod'),
        connection_timeout=_count('connectionTimeout'),
        test_connection_on_checkout=_field('testConnectionOnCheckout', _bool()),
        test_connection_on_checkin=_field('testConnectionOnCheckin', _bool()),
        max_connection_age=_count('maxConnectionAge'),
        max_idle_time=_count('maxIdleTime'),
        selected_environment_id=_field('selectedEnvironmentId', _str()),
        default_log_schema=_field('defaultLogSchema', _str()),
        log_table_schema_overrides=_field('logTableSchemaOverrides', dict(type='dict', options=LOG_TABLE_OPTIONS),
                                          compare='map', members=LOG_TABLE_MEMBERS),
        log_table_name_overrides=_field('logTableNameOverrides', dict(type='dict', options=LOG_TABLE_OPTIONS),
                                        compare='map', members=LOG_TABLE_MEMBERS),
    ), required_on_create=('db_type', 'jdbc_url'),
        required_if=[('use_credentials', True, ('username',))],
        secret_rules=[('use_credentials', (True,), ('username', 'password'))],
        create_defaults=dict(use_credentials=True), check=_check_database),

    elasticsearch=_type('elasticsearch', dict(
        hosts=_field('elasticHostList', dict(type='list', elements='dict', options=dict(
            scheme=dict(type='str', choices=['http', 'https']),
            host=dict(type='str', required=True),
            port=dict(type='int'),
        )), compare='list', members=dict(scheme='scheme', host='host', port='port'), member_ranges=dict(port=PORT)),
        administrate=_field('administrate', _bool()),
        authenticate=_field('authenticate', _bool()),
        username=_field('elasticUsername', _str()),
        password=_field('elasticPassword', _secret(), secret=True),
        encrypt_communication=_field('encryptCommunication', _bool()),
        encrypt_communication_type=_field('encryptCommunicationType', _str(choices=[
            'CA_CERTIFICATE_IN_PKCS_12', 'CA_IN_PEM_FILE', 'CERT_AND_PRIVATE_KEY_IN_PKCS_12'])),
        ca_cert_in_pkcs12_file=_field('caCertInPkcs12File', _secret(), secret=True),
        ca_cert_in_pkcs12_file_content_type=_field('caCertInPkcs12FileContentType', _str()),
        ca_in_pem_file=_field('caInPemFile', _secret(), secret=True),
        ca_in_pem_file_content_type=_field('caInPemFileContentType', _str()),
        ca_truststore_file=_field('caTruststoreFile', _secret(), secret=True),
        ca_truststore_file_content_type=_field('caTruststoreFileContentType', _str()),
        ca_truststore_file_pass=_field('caTruststoreFilePass', _secret(), secret=True),
        ca_keystore_file=_field('caKeystoreFile', _secret(), secret=True),
        ca_keystore_file_content_type=_field('caKeystoreFileContentType', _str()),
        ca_keystore_file_pass=_field('caKeystoreFilePass', _secret(), secret=True),
        disable_hostname_verification=_field('disableHostnameVerification', _bool()),
        index_lifecycle_policy_created=_field('indexLifecyclePolicyCreated', _bool()),
        index_lifecycle_policy=_field('indexLifecyclePolicy', dict(type='dict', options=ILM_OPTIONS),
                                      compare='object', members=ILM_MEMBERS, member_ranges=ILM_RANGES),
        index_template_created=_field('indexTemplateCreated', _bool()),
        index_template_name=_field('indexTemplateName', _str()),
        index_name=_field('indexName', _str()),
        index_template_number_of_shards=_count('indexTemplateNumberOfShards', 1),
        index_template_number_of_replicas=_count('indexTemplateNumberOfReplicas'),
        index_template_refresh_interval=_field('indexTemplateRefreshInterval', _str()),
        connection_timeout_in_ms=_count('connectionTimeoutInMs'),
        bulk_buffer_capacity=_count('bulkBufferCapacity', 1),
        bulk_flush_interval_ms=_count('bulkFlushIntervalMs'),
        bulk_max_batch_size=_count('bulkMaxBatchSize', 1),
        elasticsearch_type=_field('elasticsearchType', _str(choices=['READ_WRITE', 'READ'])),
        elasticsearch_major_version=_field('elasticsearchMajorVersion',
                                           _str(choices=['AUTO_DETECT', 'ES_7', 'ES_8', 'ES_9'])),
    ), required_on_create=('hosts',),
        required_if=[('authenticate', True, ('username',)),
                     ('encrypt_communication', True, ('encrypt_communication_type',)),
                     ('index_lifecycle_policy_created', True, ('index_lifecycle_policy',)),
                     ('index_template_created', True, ('index_template_name',))],
        required_by=dict(ca_keystore_file=('ca_keystore_file_pass',)),
        secret_rules=[('authenticate', (True,), ('username', 'password')),
                      ('encrypt_communication_type', ('CA_CERTIFICATE_IN_PKCS_12',), ('ca_cert_in_pkcs12_file',)),
                      ('encrypt_communication_type', ('CA_IN_PEM_FILE',), ('ca_in_pem_file',)),
                      ('encrypt_communication_type', ('CERT_AND_PRIVATE_KEY_IN_PKCS_12',),
                       ('ca_keystore_file', 'ca_keystore_file_pass'))],
        check=_check_elasticsearch),

    email=_type('email', dict(
        host=_field('host', _str()),
        port=_port(),
        enable_start_tls=_field('enableStartTls', _bool()),
        auth=_field('auth', _bool()),
        username=_field('username', _str()),
        password=_field('password', _secret(), secret=True),
        default_encoding=_field('defaultEncoding', _str()),
        address_to_test=_field('addressToTest', _str()),
        sender=_field('from', _str(aliases=['from'])),
        additional_properties=_field('additionalProperties', dict(type='list', elements='dict', options=dict(
            key=dict(type='str', required=True, no_log=False),
            value=dict(type='str'),
        )), compare='set', members=dict(key='key', value='value')),
    ), required_on_create=('host',),
        required_if=[('auth', True, ('username',))],
        secret_rules=[('auth', (True,), ('username', 'password'))]),

    ftp=_type('ftp', dict(
        host=_field('host', _str()),
        port=_port(),
        username=_field('username', _str()),
        password=_field('password', _secret(), secret=True),
        working_dir=_field('workingDir', _str()),
        protocol=_field('protocol', _str(choices=['FTP', 'SFTP', 'FTPS'])),
        timeout=_count('timeout'),
        retry_count=_count('retryCount'),
        use_implicit=_field('useImplicit', _bool()),
        use_explicit=_field('useExplicit', _bool()),
        ssl_protocol=_field('sslProtocol', _str()),
    ), required_on_create=('host', 'username', 'password', 'protocol'), check=_check_ftp),

    graylog=_type('graylog', dict(
        hostname=_field('hostname', _str()),
        port=_port(),
        transport_type=_field('transportType', _str(choices=['TCP', 'UDP'])),
        tls_enabled=_field('tlsEnabled', _bool()),
        tls_cert_verification_enabled=_field('tlsCertVerificationEnabled', _bool()),
        compression_type=_field('compressionType', _str(choices=['NONE', 'GZIP', 'ZLIB'])),
        gelf_message_level=_field('gelfMessageLevel', _str(choices=[
            'EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'])),
        queue_size=_count('queueSize', 1),
        reconnect_delay=_count('reconnectDelay'),
        connect_timeout=_count('connectTimeout'),
        tcp_no_delay=_field('tcpNoDelay', _bool()),
        tcp_keep_alive=_field('tcpKeepAlive', _bool()),
        send_buffer_size=_count('sendBufferSize', -1),
        max_inflight_sends=_count('maxInflightSends', 1),
        threads=_count('threads'),
        tls_trust_cert_chain_file=_field('tlsTrustCertChainFile', _secret(), secret=True),
        tls_trust_cert_chain_file_name=_field('tlsTrustCertChainFileName', _str()),
        append_to_attributes=_field('appendToAttributes', _bool()),
        append_to_message=_field('appendToMessage', _bool()),
    ), required_on_create=('hostname',),
        secret_rules=[('tls_cert_verification_enabled', (True,), ('tls_trust_cert_chain_file',))]),

    kafka=_type('kafka', dict(
        topic_name=_field('topicName', _str()),
        properties=_field('propertiesMap', dict(type='list', elements='dict', options=dict(
            name=dict(type='str', required=True),
            value=dict(type='raw'),
            value_type=dict(type='str', default='STRING', choices=KAFKA_VALUE_TYPES),
            secret=dict(type='bool'),
        )), compare='properties'),
        enable_secure=_field('enableSecure', _bool()),
        protocol_types=_field('protocolTypes', dict(type='list', elements='str', choices=[
            'TLS_1_3', 'TLS_1_2', 'TLS_1_1', 'TLS_1_0', 'SSL_3_0']), compare='set'),
        key_store_name=_field('keyStoreName', _str(no_log=False)),
        trust_store_name=_field('trustStoreName', _str()),
    ), required_on_create=('topic_name', 'properties'),
        required_if=[('enable_secure', True, ('protocol_types',))],
        # Apinizer may report the key store only by its id (keyStoreId), so this rule is checked
        # on the connection as it will be stored, where the id counts.
        secret_rules=[('enable_secure', (True,), ('key_store_name',))],
        check=_check_kafka),

    ldap=_type('ldap', dict(
        server_address=_field('serverAddress', _str(), pattern=(r'^ldaps?://', 'an ldap:// or ldaps:// URL')),
        require_certificate_type=_field('requireCertificateType', _str(choices=[
            'NOT_REQUIRED', 'REQUIRED_CN', 'REQUIRED_AN_PN'])),
        username=_field('username', _str()),
        password=_field('password', _secret(), secret=True),
        custom_filter=_field('customFilter', _str()),
        search_scope=_field('searchScope', _str(choices=['OBJECT', 'ONE_LEVEL', 'SUBTREE'])),
        base_dn=_field('baseDn', _str()),
        certificate_id=_field('certificateId', _str()),
        certificate_name=_field('certificateName', _str()),
        use_ssl=_field('useSsl', _bool()),
        selected_environment_id=_field('selectedEnvironmentId', _str()),
    ), required_on_create=('server_address', 'username', 'password', 'base_dn')),

    linux_script=_type('linux-script', dict(
        host_name=_field('hostName', _str()),
        ssh_port=_port('sshPort'),
        username=_field('username', _str()),
        password=_field('password', _secret(), secret=True),
    ), required_on_create=('host_name', 'username', 'password')),

    logback=_type('logback', dict(
        log_path=_field('logPath', _str(), normalize=_trailing_slash),
        log_file_name=_field('logFileName', _str(), normalize=_no_leading_slash),
        log_pod_name=_field('logPodName', _str(), blank_matches_any=True),
        log_filename_pattern=_field('logFilenamePattern', _str()),
        log_pattern=_field('logPattern', _str()),
        max_file_size=_count('maxFileSize', 1),
        max_history=_count('maxHistory'),
        total_size_cap=_count('totalSizeCap'),
    )),

    rabbit_mq=_type('rabbitMq', dict(
        hosts=_field('hostPortList', dict(type='list', elements='dict', options=dict(
            host=dict(type='str'),
            port=dict(type='int'),
        )), compare='list', members=dict(host='host', port='port'), member_ranges=dict(port=PORT)),
        virtual_host=_field('connectionFactoryVirtualHost', _str()),
        authentication_enabled=_field('authenticationEnabled', _bool()),
        username=_field('connectionFactoryUsername', _str()),
        password=_field('connectionFactoryPassword', _secret(), secret=True),
        connection_timeout=_count('connectionFactoryConnectionTimeout'),
        client_properties=_field('connectionFactoryClientProperties', dict(type='dict'), compare='map'),
        requested_channel_max=_count('connectionFactoryRequestedChannelMax'),
        requested_frame_max=_count('connectionFactoryRequestedFrameMax'),
        requested_heartbeat=_count('connectionFactoryRequestedHeartbeat'),
        use_ssl_protocol=_field('connectionFactoryUseSslProtocol', _bool()),
        ssl_protocol=_field('connectionFactorySslProtocol', _str()),
        channel_exchange=_field('channelExchange', _str()),
        channel_routing_key=_field('channelRoutingKey', _str(no_log=False)),
        basic_properties_app_id=_field('basicPropertiesAppId', _str()),
        basic_properties_content_type=_field('basicPropertiesContentType', _str()),
        basic_properties_content_encoding=_field('basicPropertiesContentEncoding', _str()),
        basic_properties_delivery_mode=_field('basicPropertiesDeliveryMode', dict(type='int', choices=[1, 2])),
        basic_properties_priority=_count('basicPropertiesPriority', 0, 255),
        basic_properties_reply_to=_field('basicPropertiesReplyTo', _str()),
        basic_properties_expiration=_field('basicPropertiesExpiration', _str()),
        basic_properties_type=_field('basicPropertiesType', _str()),
        basic_properties_user_id=_field('basicPropertiesUserId', _str()),
        basic_properties_cluster_id=_field('basicPropertiesClusterId', _str()),
    ), required_on_create=('hosts',),
        required_if=[('authentication_enabled', True, ('username',))],
        secret_rules=[('authentication_enabled', (True,), ('username', 'password'))],
        check=_check_rabbit_mq),

    snmp=_type('snmp', dict(
        version=_field('version', _str(choices=['V1', 'V2c', 'V3'])),
        connection_string=_field('connectionString', _str(),
                                 pattern=(r'^[A-Za-z]+:[^/]+/[0-9]+$', 'of the form transport:address/port, '
                                                                       'e.g. udp:192.0.2.10/162')),
        security_or_community_name=_field('securityOrCommunityName', _str()),
        retry_count=_count('retryCount'),
        timeout=_count('timeout'),
        message_type=_field('messageType', _str(choices=['TRAP', 'INFORM'])),
        pdu_oid_for_message=_field('pduOidForMessage', _str()),
        pdu_oid_for_time=_field('pduOidForTime', _str()),
        pdu_variable_map=_field('pduVariableMap', dict(type='dict'), compare='map'),
        security_level=_field('securityLevel', _str(choices=['NOAUTH_NOPRIV', 'AUTH_NOPRIV', 'AUTH_PRIV'])),
        privacy_protocols=_field('privacyProtocolList', dict(type='list', elements='str',
                                                             choices=SNMP_PRIVACY_PROTOCOLS), compare='set'),
        enable_user_authentication=_field('enableUserAuthentication', _bool()),
        security_name=_field('securityName', _str()),
        usm_user_authentication_protocol=_field('usmUserAuthenticationProtocol', _str(choices=[
            'AuthMD5', 'AuthSHA', 'AuthHMAC128SHA224', 'AuthHMAC192SHA256', 'AuthHMAC256SHA384',
            'AuthHMAC384SHA512'])),
        auth_passphrase=_field('authPassphrase', _secret(), secret=True),
        usm_user_privacy_protocol=_field('usmUserPrivacyProtocol', _str(choices=SNMP_PRIVACY_PROTOCOLS)),
        priv_passphrase=_field('privPassphrase', _secret(), secret=True),
    ), required_on_create=('version', 'connection_string', 'security_or_community_name', 'pdu_oid_for_message'),
        required_if=[('enable_user_authentication', True, ('security_name',)),
                     ('security_level', 'AUTH_NOPRIV', ('usm_user_authentication_protocol',)),
                     ('security_level', 'AUTH_PRIV', ('usm_user_authentication_protocol', 'usm_user_privacy_protocol'))],
        secret_rules=[('security_level', ('AUTH_NOPRIV', 'AUTH_PRIV'), ('auth_passphrase',)),
                      ('security_level', ('AUTH_PRIV',), ('priv_passphrase',))]),

    syslog=_type('syslog', dict(
        protocol_type=_field('syslogProtocolType', _str(choices=['TCP', 'UDP'])),
        message_hostname=_field('syslogMessageHostname', _str()),
        server_hostname=_field('syslogServerHostname', _str()),
        port=_port('syslogPort'),
        timeout=_count('syslogTimeout'),
        message_format=_field('syslogMessageFormat', _str(choices=['RFC_3164', 'RFC_5424', 'RFC_5425'])),
        app_name=_field('syslogAppName', _str()),
        facility=_field('syslogFacility', _str(choices=[
            'KERN', 'USER', 'MAIL', 'DAEMON', 'AUTH', 'SYSLOG', 'LPR', 'NEWS', 'UUCP', 'CRON', 'AUTHPRIV',
            'FTP', 'NTP', 'AUDIT', 'ALERT', 'CLOCK', 'LOCAL0', 'LOCAL1', 'LOCAL2', 'LOCAL3', 'LOCAL4',
            'LOCAL5', 'LOCAL6', 'LOCAL7'])),
        severity=_field('syslogSeverity', _str(choices=[
            'EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFORMATIONAL', 'DEBUG'])),
        ssl_enabled=_field('syslogSslEnabled', _bool()),
    ), required_on_create=('server_hostname',)),

    webhook=_type('webhook', dict(
        http_method=_field('httpMethod', _str(choices=['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'])),
        full_url=_field('fullUrl', _str(), pattern=HTTP_URL),
        headers=_field('headerList', dict(type='list', elements='dict', options=dict(
            name=dict(type='str', required=True),
            value=dict(type='str', no_log=True),
        )), compare='headers', members=dict(name='name', value='value'), secret_members=('value',)),
        timeout=_count('timeout'),
        connection_pool_max_connection_per_host=_count('connectionPoolMaxConnectionPerHost', 1),
        connection_pool_max_connection_total=_count('connectionPoolMaxConnectionTotal', 1),
    ), required_on_create=('full_url',), check=_check_webhook),
)

TYPE_KEYS = tuple(sorted(TYPES))
TYPE_OF_API = {spec['api']: key for key, spec in TYPES.items()}

# Rules checked on the connection as it will be stored (option values; secrets count when set).
STORED_CHECKS = dict(ftp=_check_ftp_stored, elasticsearch=_check_elasticsearch_stored)

SECRET_FIELDS = frozenset(field['api'] for spec in TYPES.values() for field in spec['fields'].values()
                          if field['secret'])


def type_key(api_type):
    """The type dict key of an API type name (linux-script -> linux_script), or None."""
    return TYPE_OF_API.get(api_type)


def type_argument_spec(key):
    """The argument spec entry of one type dict: its sub-options and its rules."""
    spec = TYPES[key]
    entry = dict(type='dict', options={option: dict(field['spec']) for option, field in spec['fields'].items()})
    for rule in ('required_if', 'required_together', 'required_by'):
        if spec[rule]:
            entry[rule] = spec[rule]
    return entry


def types_argument_spec():
    return {key: type_argument_spec(key) for key in TYPE_KEYS}


def _is_set(value):
    """Whether a value counts as given: None is "not set"; an empty list or map is not enough for a rule."""
    return value is not None and value != [] and value != {} and value != ''


def _shown(values):
    shown = ' or '.join(str(v).lower() if isinstance(v, bool) else str(v) for v in values)
    return shown


def option_errors(key, params):
    """Every problem of a type dict's given values that argument validation cannot see: ranges, formats, checks."""
    spec = TYPES[key]
    errors = []
    for option, field in sorted(spec['fields'].items()):
        value = params.get(option)
        if value is None:
            continue
        errors.extend(_range_errors(option, value, field['minimum'], field['maximum']))
        if field['pattern'] and isinstance(value, str) and not re.search(field['pattern'][0], value):
            errors.append('%s must be %s, got %r.' % (option, field['pattern'][1], value))
        for member, (low, high) in sorted(field['member_ranges'].items()):
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                label = '%s[%d].%s' % (option, index, member) if isinstance(value, list) else '%s.%s' % (option, member)
                errors.extend(_range_errors(label, (item or {}).get(member), low, high))
    if spec['check']:
        errors.extend(spec['check'](params))
    return ['%s: %s' % (key, error) for error in errors]


def _range_errors(label, value, low, high):
    if value is None or (low is None and high is None):
        return []
    if low is not None and value < low or high is not None and value > high:
        if high is None:
            return ['%s must be %d or more, got %d.' % (label, low, value)]
        return ['%s must be from %d to %d, got %d.' % (label, low, high, value)]
    return []


def stored_errors(key, values, creating=False):
    """Rules checked on the connection as it will be stored (sub-option values, secrets included when set).

    With ``creating``, the fields Apinizer requires on create must be set, and unset rule
    triggers take their documented default.
    """
    spec = TYPES[key]
    effective = dict(values)
    errors = []
    if creating:
        for option, value in spec['create_defaults'].items():
            if effective.get(option) is None:
                effective[option] = value
        missing = [option for option in spec['required_on_create'] if not _is_set(effective.get(option))]
        if missing:
            errors.append('creating a connection requires %s.' % ', '.join(missing))
    for trigger, values_, required in spec['secret_rules']:
        value = effective.get(trigger)
        if value is None or not any(value is v if isinstance(v, bool) else value == v for v in values_):
            continue
        missing = [option for option in required if not _is_set(effective.get(option))]
        if missing:
            errors.append('%s=%s requires %s.' % (trigger, _shown(values_), ' and '.join(missing)))
    check = STORED_CHECKS.get(key)
    if check:
        errors.extend(check(effective))
    return ['%s: %s' % (key, error) for error in errors]


def secret_property(name, flag=None):
    """Whether a Kafka property is a secret: the task's flag, else unless its name is a public client setting."""
    if flag is not None:
        return bool(flag)
    name = name or ''
    return name not in PUBLIC_KAFKA_PROPERTIES or bool(SECRET_PROPERTY_NAME.search(name))
