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

from ansible_collections.apinizer.apiops.plugins.module_utils._fields import (
    Field,
    boolean,
    integer,
    secret_text,
    text,
)

# Fields every connection has (ConnectionDTO), besides the discriminator `type` and `name`.
COMMON_FIELDS = dict(
    description=Field('description', text()),
    enabled=Field('enabled', boolean()),
    deploy_to_worker=Field('deployToWorker', boolean()),
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


def _count(api, minimum=0, maximum=None):
    """An int field with a range (milliseconds, sizes, counts)."""
    return Field(api, integer(), minimum=minimum, maximum=maximum)


def _port(api='port'):
    return Field(api, integer(), minimum=1, maximum=65535)


def _trailing_slash(value):
    if isinstance(value, str) and value and not value.endswith('/'):
        return value + '/'
    return value


def _no_leading_slash(value):
    return value.lstrip('/') if isinstance(value, str) else value


ILM_MEMBERS = dict(
    policy_name=Field('policyName', text()),
    enable_hot_phase=Field('enableHotPhase', boolean()),
    max_age_of_rollover=_count('maxAgeOfRollover'),
    max_index_size_of_rollover=_count('maxIndexSizeOfRollover'),
    max_doc_count_of_rollover=_count('maxDocCountOfRollover'),
    enable_warm_phase=Field('enableWarmPhase', boolean()),
    number_of_replicas_for_warm=_count('numberOfReplicasForWarm'),
    max_num_shards_for_shrink=_count('maxNumShardsForShrink'),
    max_num_segments_for_force_merge=_count('maxNumSegmentsForForceMerge'),
    enable_cold_phase=Field('enableColdPhase', boolean()),
    min_age_of_cold=_count('minAgeOfCold'),
    number_of_replicas_for_cold=_count('numberOfReplicasForCold'),
    enable_delete_phase=Field('enableDeletePhase', boolean()),
    min_age_of_delete=_count('minAgeOfDelete'),
)
ILM_PHASES = ('enable_hot_phase', 'enable_warm_phase', 'enable_cold_phase', 'enable_delete_phase')

# Log table overrides: table -> schema or name. TokenTraffic names a table, not a secret.
LOG_TABLE_MEMBERS = dict(
    api_proxy_traffic=Field('ApiProxyTraffic', text()),
    policy_capture=Field('PolicyCapture', text()),
    audit_event=Field('AuditEvent', text()),
    application=Field('Application', text()),
    unsent_message=Field('UnsentMessage', text()),
    token_traffic=Field('TokenTraffic', text(no_log=False)),
)


class ConnectionType:
    """One connection type: its API name and its table of Fields (sub-option -> Field), then its rules.

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

    def __init__(self, api, fields, required_on_create=(), required_if=(), required_together=(), required_by=None,
                 secret_rules=(), create_defaults=None, check=None):
        self.api = api
        self.fields = fields
        self.required_on_create = tuple(required_on_create)
        self.required_if = [tuple(rule) for rule in required_if]
        self.required_together = [list(rule) for rule in required_together]
        self.required_by = dict(required_by or {})
        self.secret_rules = tuple(secret_rules)
        self.create_defaults = dict(create_defaults or {})
        self.check = check
        named = set(self.required_on_create) | set(self.create_defaults) | set(self.required_by)
        for trigger, _values, required in list(self.required_if) + list(self.secret_rules):
            named |= {trigger} | set(required)
        for rule in self.required_together:
            named |= set(rule)
        unknown = named - set(fields)
        if unknown:
            raise ValueError('the rules of connection type %s name sub-options it does not have: %s'
                             % (api, ', '.join(sorted(unknown))))

    def field_of_api(self, api):
        """(sub-option, Field) of an API field name, or (None, None)."""
        return next(((option, field) for option, field in self.fields.items() if field.api == api), (None, None))


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
    active_mq=ConnectionType('activeMq', dict(
        protocol_type=Field('activeMqConnectionProtocolType', text(choices=['TCP', 'AMQP'])),
        broker_url=Field('brokerURL', text()),
        username=Field('username', text()),
        password=Field('password', secret_text(), secret=True),
        destination_type=Field('destinationType', text(choices=['QUEUE', 'TOPIC'])),
        destination_name=Field('destinationName', text()),
        session_acknowledgement=Field('sessionAcknowledgement', text(choices=[
            'AUTO_ACKNOWLEDGE', 'CLIENT_ACKNOWLEDGE', 'DUPS_OK_ACKNOWLEDGE', 'SESSION_TRANSACTED'])),
        send_timeout=_count('sendTimeout'),
        request_timeout=_count('requestTimeout'),
        close_timeout=_count('closeTimeout'),
        connect_timeout=_count('connectTimeout'),
        content_type=Field('contentType', text()),
        client_id=Field('clientID', text()),
        content_encoding=Field('contentEncoding', text()),
    ), required_on_create=('protocol_type', 'broker_url', 'destination_type', 'destination_name')),

    database=ConnectionType('database', dict(
        db_type=Field('dbType', text(choices=[
            'ORACLE', 'MYSQL', 'POSTGRES', 'SQL_SERVER', 'SYBASE', 'DB2', 'APACHE_HIVE', 'APACHE_IMPALA',
            'MONGODB', 'TRINO'])),
        jdbc_url=Field('jdbcUrl', text()),
        use_credentials=Field('useCredentials', boolean()),
        username=Field('username', text()),
        password=Field('password', secret_text(), secret=True),
        database_name=Field('databaseName', text()),
        initial_pool_size=_count('initialPoolSize'),
        min_pool_size=_count('minPoolSize'),
        max_pool_size=_count('maxPoolSize', 1),
        increment_count=_count('incrementCount', 1),
        max_statements=_count('maxStatements'),
        idle_connection_test_period=_count('idleConnectionTestPeriod'),
        connection_timeout=_count('connectionTimeout'),
        test_connection_on_checkout=Field('testConnectionOnCheckout', boolean()),
        test_connection_on_checkin=Field('testConnectionOnCheckin', boolean()),
        max_connection_age=_count('maxConnectionAge'),
        max_idle_time=_count('maxIdleTime'),
        selected_environment_id=Field('selectedEnvironmentId', text()),
        default_log_schema=Field('defaultLogSchema', text()),
        log_table_schema_overrides=Field('logTableSchemaOverrides', dict(type='dict'), compare='map',
                                         members=LOG_TABLE_MEMBERS),
        log_table_name_overrides=Field('logTableNameOverrides', dict(type='dict'), compare='map',
                                       members=LOG_TABLE_MEMBERS),
    ), required_on_create=('db_type', 'jdbc_url'),
        required_if=[('use_credentials', True, ('username',))],
        secret_rules=[('use_credentials', (True,), ('username', 'password'))],
        create_defaults=dict(use_credentials=True), check=_check_database),

    elasticsearch=ConnectionType('elasticsearch', dict(
        hosts=Field('elasticHostList', dict(type='list', elements='dict'), compare='list', members=dict(
            scheme=Field('scheme', text(choices=['http', 'https'])),
            host=Field('host', text(required=True)),
            port=_port(),
        )),
        administrate=Field('administrate', boolean()),
        authenticate=Field('authenticate', boolean()),
        username=Field('elasticUsername', text()),
        password=Field('elasticPassword', secret_text(), secret=True),
        encrypt_communication=Field('encryptCommunication', boolean()),
        encrypt_communication_type=Field('encryptCommunicationType', text(choices=[
            'CA_CERTIFICATE_IN_PKCS_12', 'CA_IN_PEM_FILE', 'CERT_AND_PRIVATE_KEY_IN_PKCS_12'])),
        ca_cert_in_pkcs12_file=Field('caCertInPkcs12File', secret_text(), secret=True),
        ca_cert_in_pkcs12_file_content_type=Field('caCertInPkcs12FileContentType', text()),
        ca_in_pem_file=Field('caInPemFile', secret_text(), secret=True),
        ca_in_pem_file_content_type=Field('caInPemFileContentType', text()),
        ca_truststore_file=Field('caTruststoreFile', secret_text(), secret=True),
        ca_truststore_file_content_type=Field('caTruststoreFileContentType', text()),
        ca_truststore_file_pass=Field('caTruststoreFilePass', secret_text(), secret=True),
        ca_keystore_file=Field('caKeystoreFile', secret_text(), secret=True),
        ca_keystore_file_content_type=Field('caKeystoreFileContentType', text()),
        ca_keystore_file_pass=Field('caKeystoreFilePass', secret_text(), secret=True),
        disable_hostname_verification=Field('disableHostnameVerification', boolean()),
        index_lifecycle_policy_created=Field('indexLifecyclePolicyCreated', boolean()),
        index_lifecycle_policy=Field('indexLifecyclePolicy', dict(type='dict'), compare='object', members=ILM_MEMBERS),
        index_template_created=Field('indexTemplateCreated', boolean()),
        index_template_name=Field('indexTemplateName', text()),
        index_name=Field('indexName', text()),
        index_template_number_of_shards=_count('indexTemplateNumberOfShards', 1),
        index_template_number_of_replicas=_count('indexTemplateNumberOfReplicas'),
        index_template_refresh_interval=Field('indexTemplateRefreshInterval', text()),
        connection_timeout_in_ms=_count('connectionTimeoutInMs'),
        bulk_buffer_capacity=_count('bulkBufferCapacity', 1),
        bulk_flush_interval_ms=_count('bulkFlushIntervalMs'),
        bulk_max_batch_size=_count('bulkMaxBatchSize', 1),
        elasticsearch_type=Field('elasticsearchType', text(choices=['READ_WRITE', 'READ'])),
        elasticsearch_major_version=Field('elasticsearchMajorVersion',
                                          text(choices=['AUTO_DETECT', 'ES_7', 'ES_8', 'ES_9'])),
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

    email=ConnectionType('email', dict(
        host=Field('host', text()),
        port=_port(),
        enable_start_tls=Field('enableStartTls', boolean()),
        auth=Field('auth', boolean()),
        username=Field('username', text()),
        password=Field('password', secret_text(), secret=True),
        default_encoding=Field('defaultEncoding', text()),
        address_to_test=Field('addressToTest', text()),
        sender=Field('from', text(aliases=['from'])),
        additional_properties=Field('additionalProperties', dict(type='list', elements='dict'), compare='set', members=dict(
            key=Field('key', text(required=True, no_log=False)),
            value=Field('value', text()),
        )),
    ), required_on_create=('host',),
        required_if=[('auth', True, ('username',))],
        secret_rules=[('auth', (True,), ('username', 'password'))]),

    ftp=ConnectionType('ftp', dict(
        host=Field('host', text()),
        port=_port(),
        username=Field('username', text()),
        password=Field('password', secret_text(), secret=True),
        working_dir=Field('workingDir', text()),
        protocol=Field('protocol', text(choices=['FTP', 'SFTP', 'FTPS'])),
        timeout=_count('timeout'),
        retry_count=_count('retryCount'),
        use_implicit=Field('useImplicit', boolean()),
        use_explicit=Field('useExplicit', boolean()),
        ssl_protocol=Field('sslProtocol', text()),
    ), required_on_create=('host', 'username', 'password', 'protocol'), check=_check_ftp),

    graylog=ConnectionType('graylog', dict(
        hostname=Field('hostname', text()),
        port=_port(),
        transport_type=Field('transportType', text(choices=['TCP', 'UDP'])),
        tls_enabled=Field('tlsEnabled', boolean()),
        tls_cert_verification_enabled=Field('tlsCertVerificationEnabled', boolean()),
        compression_type=Field('compressionType', text(choices=['NONE', 'GZIP', 'ZLIB'])),
        gelf_message_level=Field('gelfMessageLevel', text(choices=[
            'EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'])),
        queue_size=_count('queueSize', 1),
        reconnect_delay=_count('reconnectDelay'),
        connect_timeout=_count('connectTimeout'),
        tcp_no_delay=Field('tcpNoDelay', boolean()),
        tcp_keep_alive=Field('tcpKeepAlive', boolean()),
        send_buffer_size=_count('sendBufferSize', -1),
        max_inflight_sends=_count('maxInflightSends', 1),
        threads=_count('threads'),
        tls_trust_cert_chain_file=Field('tlsTrustCertChainFile', secret_text(), secret=True),
        tls_trust_cert_chain_file_name=Field('tlsTrustCertChainFileName', text()),
        append_to_attributes=Field('appendToAttributes', boolean()),
        append_to_message=Field('appendToMessage', boolean()),
    ), required_on_create=('hostname',),
        secret_rules=[('tls_cert_verification_enabled', (True,), ('tls_trust_cert_chain_file',))]),

    kafka=ConnectionType('kafka', dict(
        topic_name=Field('topicName', text()),
        # A list in the task, a map by name in the API: the 'properties' comparison converts it.
        properties=Field('propertiesMap', dict(type='list', elements='dict'), compare='properties', members=dict(
            name=Field(None, text(required=True)),
            value=Field(None, dict(type='raw')),
            value_type=Field(None, text(default='STRING', choices=KAFKA_VALUE_TYPES)),
            secret=Field(None, boolean()),
        )),
        enable_secure=Field('enableSecure', boolean()),
        protocol_types=Field('protocolTypes', dict(type='list', elements='str', choices=[
            'TLS_1_3', 'TLS_1_2', 'TLS_1_1', 'TLS_1_0', 'SSL_3_0']), compare='set'),
        key_store_name=Field('keyStoreName', text(no_log=False)),
        trust_store_name=Field('trustStoreName', text()),
    ), required_on_create=('topic_name', 'properties'),
        required_if=[('enable_secure', True, ('protocol_types',))],
        # Apinizer may report the key store only by its id (keyStoreId), so this rule is checked
        # on the connection as it will be stored, where the id counts.
        secret_rules=[('enable_secure', (True,), ('key_store_name',))],
        check=_check_kafka),

    ldap=ConnectionType('ldap', dict(
        server_address=Field('serverAddress', text(), pattern=(r'^ldaps?://', 'an ldap:// or ldaps:// URL')),
        require_certificate_type=Field('requireCertificateType', text(choices=[
            'NOT_REQUIRED', 'REQUIRED_CN', 'REQUIRED_AN_PN'])),
        username=Field('username', text()),
        password=Field('password', secret_text(), secret=True),
        custom_filter=Field('customFilter', text()),
        search_scope=Field('searchScope', text(choices=['OBJECT', 'ONE_LEVEL', 'SUBTREE'])),
        base_dn=Field('baseDn', text()),
        certificate_id=Field('certificateId', text()),
        certificate_name=Field('certificateName', text()),
        use_ssl=Field('useSsl', boolean()),
        selected_environment_id=Field('selectedEnvironmentId', text()),
    ), required_on_create=('server_address', 'username', 'password', 'base_dn')),

    linux_script=ConnectionType('linux-script', dict(
        host_name=Field('hostName', text()),
        ssh_port=_port('sshPort'),
        username=Field('username', text()),
        password=Field('password', secret_text(), secret=True),
    ), required_on_create=('host_name', 'username', 'password')),

    logback=ConnectionType('logback', dict(
        log_path=Field('logPath', text(), normalize=_trailing_slash),
        log_file_name=Field('logFileName', text(), normalize=_no_leading_slash),
        log_pod_name=Field('logPodName', text(), blank_matches_any=True),
        log_filename_pattern=Field('logFilenamePattern', text()),
        log_pattern=Field('logPattern', text()),
        max_file_size=_count('maxFileSize', 1),
        max_history=_count('maxHistory'),
        total_size_cap=_count('totalSizeCap'),
    )),

    rabbit_mq=ConnectionType('rabbitMq', dict(
        hosts=Field('hostPortList', dict(type='list', elements='dict'), compare='list', members=dict(
            host=Field('host', text()),
            port=_port(),
        )),
        virtual_host=Field('connectionFactoryVirtualHost', text()),
        authentication_enabled=Field('authenticationEnabled', boolean()),
        username=Field('connectionFactoryUsername', text()),
        password=Field('connectionFactoryPassword', secret_text(), secret=True),
        connection_timeout=_count('connectionFactoryConnectionTimeout'),
        client_properties=Field('connectionFactoryClientProperties', dict(type='dict'), compare='map'),
        requested_channel_max=_count('connectionFactoryRequestedChannelMax'),
        requested_frame_max=_count('connectionFactoryRequestedFrameMax'),
        requested_heartbeat=_count('connectionFactoryRequestedHeartbeat'),
        use_ssl_protocol=Field('connectionFactoryUseSslProtocol', boolean()),
        ssl_protocol=Field('connectionFactorySslProtocol', text()),
        channel_exchange=Field('channelExchange', text()),
        channel_routing_key=Field('channelRoutingKey', text(no_log=False)),
        basic_properties_app_id=Field('basicPropertiesAppId', text()),
        basic_properties_content_type=Field('basicPropertiesContentType', text()),
        basic_properties_content_encoding=Field('basicPropertiesContentEncoding', text()),
        basic_properties_delivery_mode=Field('basicPropertiesDeliveryMode', dict(type='int', choices=[1, 2])),
        basic_properties_priority=_count('basicPropertiesPriority', 0, 255),
        basic_properties_reply_to=Field('basicPropertiesReplyTo', text()),
        basic_properties_expiration=Field('basicPropertiesExpiration', text()),
        basic_properties_type=Field('basicPropertiesType', text()),
        basic_properties_user_id=Field('basicPropertiesUserId', text()),
        basic_properties_cluster_id=Field('basicPropertiesClusterId', text()),
    ), required_on_create=('hosts',),
        required_if=[('authentication_enabled', True, ('username',))],
        secret_rules=[('authentication_enabled', (True,), ('username', 'password'))],
        check=_check_rabbit_mq),

    snmp=ConnectionType('snmp', dict(
        version=Field('version', text(choices=['V1', 'V2c', 'V3'])),
        connection_string=Field('connectionString', text(),
                                pattern=(r'^[A-Za-z]+:[^/]+/[0-9]+$', 'of the form transport:address/port, '
                                                                      'e.g. udp:192.0.2.10/162')),
        security_or_community_name=Field('securityOrCommunityName', text()),
        retry_count=_count('retryCount'),
        timeout=_count('timeout'),
        message_type=Field('messageType', text(choices=['TRAP', 'INFORM'])),
        pdu_oid_for_message=Field('pduOidForMessage', text()),
        pdu_oid_for_time=Field('pduOidForTime', text()),
        pdu_variable_map=Field('pduVariableMap', dict(type='dict'), compare='map'),
        security_level=Field('securityLevel', text(choices=['NOAUTH_NOPRIV', 'AUTH_NOPRIV', 'AUTH_PRIV'])),
        privacy_protocols=Field('privacyProtocolList', dict(type='list', elements='str',
                                                            choices=SNMP_PRIVACY_PROTOCOLS), compare='set'),
        enable_user_authentication=Field('enableUserAuthentication', boolean()),
        security_name=Field('securityName', text()),
        usm_user_authentication_protocol=Field('usmUserAuthenticationProtocol', text(choices=[
            'AuthMD5', 'AuthSHA', 'AuthHMAC128SHA224', 'AuthHMAC192SHA256', 'AuthHMAC256SHA384',
            'AuthHMAC384SHA512'])),
        auth_passphrase=Field('authPassphrase', secret_text(), secret=True),
        usm_user_privacy_protocol=Field('usmUserPrivacyProtocol', text(choices=SNMP_PRIVACY_PROTOCOLS)),
        priv_passphrase=Field('privPassphrase', secret_text(), secret=True),
    ), required_on_create=('version', 'connection_string', 'security_or_community_name', 'pdu_oid_for_message'),
        required_if=[('enable_user_authentication', True, ('security_name',)),
                     ('security_level', 'AUTH_NOPRIV', ('usm_user_authentication_protocol',)),
                     ('security_level', 'AUTH_PRIV', ('usm_user_authentication_protocol', 'usm_user_privacy_protocol'))],
        secret_rules=[('security_level', ('AUTH_NOPRIV', 'AUTH_PRIV'), ('auth_passphrase',)),
                      ('security_level', ('AUTH_PRIV',), ('priv_passphrase',))]),

    syslog=ConnectionType('syslog', dict(
        protocol_type=Field('syslogProtocolType', text(choices=['TCP', 'UDP'])),
        message_hostname=Field('syslogMessageHostname', text()),
        server_hostname=Field('syslogServerHostname', text()),
        port=_port('syslogPort'),
        timeout=_count('syslogTimeout'),
        message_format=Field('syslogMessageFormat', text(choices=['RFC_3164', 'RFC_5424', 'RFC_5425'])),
        app_name=Field('syslogAppName', text()),
        facility=Field('syslogFacility', text(choices=[
            'KERN', 'USER', 'MAIL', 'DAEMON', 'AUTH', 'SYSLOG', 'LPR', 'NEWS', 'UUCP', 'CRON', 'AUTHPRIV',
            'FTP', 'NTP', 'AUDIT', 'ALERT', 'CLOCK', 'LOCAL0', 'LOCAL1', 'LOCAL2', 'LOCAL3', 'LOCAL4',
            'LOCAL5', 'LOCAL6', 'LOCAL7'])),
        severity=Field('syslogSeverity', text(choices=[
            'EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFORMATIONAL', 'DEBUG'])),
        ssl_enabled=Field('syslogSslEnabled', boolean()),
    ), required_on_create=('server_hostname',)),

    webhook=ConnectionType('webhook', dict(
        http_method=Field('httpMethod', text(choices=['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'])),
        full_url=Field('fullUrl', text(), pattern=HTTP_URL),
        headers=Field('headerList', dict(type='list', elements='dict'), compare='headers', members=dict(
            name=Field('name', text(required=True)),
            value=Field('value', secret_text(), secret=True),
        )),
        timeout=_count('timeout'),
        connection_pool_max_connection_per_host=_count('connectionPoolMaxConnectionPerHost', 1),
        connection_pool_max_connection_total=_count('connectionPoolMaxConnectionTotal', 1),
    ), required_on_create=('full_url',), check=_check_webhook),
)

TYPE_KEYS = tuple(sorted(TYPES))
TYPE_OF_API = {spec.api: key for key, spec in TYPES.items()}

# Rules checked on the connection as it will be stored (option values; secrets count when set).
STORED_CHECKS = dict(ftp=_check_ftp_stored, elasticsearch=_check_elasticsearch_stored)


def _api_fields(which):
    """The API names of the fields of every type for which ``which(field)`` holds."""
    return frozenset(field.api for spec in TYPES.values() for field in spec.fields.values() if which(field))


SECRET_FIELDS = _api_fields(lambda field: field.secret)
# Lists of {name, value} whose values are secrets, and maps of Kafka properties whose values may be.
HEADER_FIELDS = _api_fields(lambda field: field.compare == 'headers')
PROPERTY_FIELDS = _api_fields(lambda field: field.compare == 'properties')


def type_key(api_type):
    """The type dict key of an API type name (linux-script -> linux_script), or None."""
    return TYPE_OF_API.get(api_type)


def type_argument_spec(key):
    """The argument spec entry of one type dict: its sub-options and its rules."""
    spec = TYPES[key]
    entry = dict(type='dict', options={option: field.argument_spec() for option, field in spec.fields.items()})
    for rule in ('required_if', 'required_together', 'required_by'):
        if getattr(spec, rule):
            entry[rule] = getattr(spec, rule)
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
    for option, field in sorted(spec.fields.items()):
        value = params.get(option)
        if value is None:
            continue
        errors.extend(field.range_problems(option, value))
        if field.pattern and isinstance(value, str) and not re.search(field.pattern[0], value):
            errors.append('%s must be %s, got %r.' % (option, field.pattern[1], value))
        errors.extend(field.member_problems(option, value))
    if spec.check:
        errors.extend(spec.check(params))
    return ['%s: %s' % (key, error) for error in errors]


def stored_errors(key, values, creating=False):
    """Rules checked on the connection as it will be stored (sub-option values, secrets included when set).

    With ``creating``, the fields Apinizer requires on create must be set, and unset rule
    triggers take their documented default.
    """
    spec = TYPES[key]
    effective = dict(values)
    errors = []
    if creating:
        for option, value in spec.create_defaults.items():
            if effective.get(option) is None:
                effective[option] = value
        missing = [option for option in spec.required_on_create if not _is_set(effective.get(option))]
        if missing:
            errors.append('creating a connection requires %s.' % ', '.join(missing))
    for trigger, values_, required in spec.secret_rules:
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
