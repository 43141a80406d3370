# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""The project connection types Apinizer documents, as one table.

For every module option of apinizer_connection: the API field it maps to, the connection
types it belongs to, its argument spec, whether it is a secret, how it compares, and how
nested values are renamed between option and API form. Then the per-type required fields
and conditional rules. Source: the type pages of the Apinizer Management API reference
(connection-<type>), newer docs' spellings (design.md 9.14).
"""

from __future__ import annotations

CONNECTION_TYPES = (
    'activeMq', 'database', 'elasticsearch', 'email', 'ftp', 'graylog', 'kafka', 'ldap',
    'linux-script', 'logback', 'rabbitMq', 'snmp', 'syslog', 'webhook',
)

# Fields every connection has (ConnectionDTO), besides the discriminator `type` and `name`.
COMMON_FIELDS = dict(
    description='description',
    enabled='enabled',
    deploy_to_worker='deployToWorker',
)

# Fields a GET returns that are not part of a write body: never sent back (design 9.13).
# (LDAP certificateId is not among them: Apinizer documents it as a write field beside
# certificateName, so it is an option and is kept on update.)
READ_ONLY_FIELDS = frozenset(('id', '_id', '_class', 'projectName', 'projectId', 'keyStoreId', 'trustStoreId'))

# Server-normalised references: GET reports the id, writes take the name.
ID_REFERENCES = dict(keyStoreId='keyStoreName', trustStoreId='trustStoreName')

# Two ways to name one reference, both writable: when a task changes one of them and does
# not set the other, the other is left out of the update so the two cannot disagree.
REFERENCE_PAIRS = (('certificate_id', 'certificate_name'),)

ELASTIC_HOST_OPTIONS = dict(
    scheme=dict(type='str', choices=['http', 'https']),
    host=dict(type='str', required=True),
    port=dict(type='int'),
)

HOST_PORT_OPTIONS = dict(
    host=dict(type='str'),
    port=dict(type='int'),
)

KEY_VALUE_OPTIONS = dict(
    key=dict(type='str', required=True, no_log=False),
    value=dict(type='str'),
)

HEADER_OPTIONS = dict(
    name=dict(type='str', required=True),
    value=dict(type='str', required=True, no_log=True),
)

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
ILM_PHASES = ('enableHotPhase', 'enableWarmPhase', 'enableColdPhase', 'enableDeletePhase')
ILM_OPTIONS = dict((option, dict(type='bool' if option.startswith('enable_') else
                                 'str' if option == 'policy_name' else 'int'))
                   for option in ILM_MEMBERS)

LOG_TABLE_MEMBERS = dict(
    api_proxy_traffic='ApiProxyTraffic',
    policy_capture='PolicyCapture',
    audit_event='AuditEvent',
    application='Application',
    unsent_message='UnsentMessage',
    token_traffic='TokenTraffic',
)
LOG_TABLE_OPTIONS = dict((option, dict(type='str', no_log=False) if option == 'token_traffic' else dict(type='str'))
                         for option in LOG_TABLE_MEMBERS)

KAFKA_VALUE_TYPES = ('STRING', 'BOOLEAN', 'INTEGER', 'LONG', 'DOUBLE', 'FLOAT', 'STRING_LIST', 'URI')
KAFKA_REQUIRED_PROPERTIES = ('bootstrap.servers', 'key.serializer', 'value.serializer')
KAFKA_VALUE_MEMBERS = dict(value='value', value_type='valueType')

SNMP_PRIVACY_PROTOCOLS = ['PrivAES128', 'PrivAES192', 'PrivAES192with3DES', 'PrivAES256',
                          'PrivAES256with3DES', 'PrivDES', 'Priv3DES']


def _field(api, types, spec, secret=False, compare='scalar', members=None, value_members=None,
           secret_members=(), normalize=None, blank_matches_any=False):
    """One option of the table.

    compare: scalar | object (a dict compared on the keys the user gave, merged on update)
             | list (ordered) | set (unordered list) | map (a dict whose keys are the value).
    members: {suboption: API key} of a dict, or of each dict in a list.
    value_members: {suboption: API key} of each value of a map (kafka propertiesMap).
    secret_members: API keys inside each list item that are secrets (webhook header values).
    """
    if isinstance(types, str):
        types = (types,)
    return dict(api=api, types=tuple(types), spec=spec, secret=secret, compare=compare, members=members,
                value_members=value_members, secret_members=tuple(secret_members), normalize=normalize,
                blank_matches_any=blank_matches_any)


def _str(**kwargs):
    return dict(type='str', **kwargs)


def _int(**kwargs):
    return dict(type='int', **kwargs)


def _bool():
    return dict(type='bool')


def _secret():
    return dict(type='str', no_log=True)


def _trailing_slash(value):
    if isinstance(value, str) and value and not value.endswith('/'):
        return value + '/'
    return value


def _no_leading_slash(value):
    return value.lstrip('/') if isinstance(value, str) else value


ACTIVEMQ = 'activeMq'
DATABASE = 'database'
ELASTIC = 'elasticsearch'
EMAIL = 'email'
FTP = 'ftp'
GRAYLOG = 'graylog'
KAFKA = 'kafka'
LDAP = 'ldap'
LINUX = 'linux-script'
LOGBACK = 'logback'
RABBIT = 'rabbitMq'
SNMP = 'snmp'
SYSLOG = 'syslog'
WEBHOOK = 'webhook'

# option name -> field description. Options shared by several types map to one API field
# of the same name and meaning in each of them.
FIELDS = dict(
    # Shared by several types ----------------------------------------------------------
    host=_field('host', (EMAIL, FTP), _str()),
    port=_field('port', (EMAIL, FTP, GRAYLOG), _int()),
    username=_field('username', (ACTIVEMQ, DATABASE, EMAIL, FTP, LDAP, LINUX), _str()),
    password=_field('password', (ACTIVEMQ, DATABASE, EMAIL, FTP, LDAP, LINUX), _secret(), secret=True),
    connect_timeout=_field('connectTimeout', (ACTIVEMQ, GRAYLOG), _int()),
    retry_count=_field('retryCount', (FTP, SNMP), _int()),
    # The type field `timeout` (the option `timeout` is the HTTP timeout to the Apinizer API).
    target_timeout=_field('timeout', (FTP, SNMP, WEBHOOK), _int()),

    # activeMq --------------------------------------------------------------------------
    active_mq_connection_protocol_type=_field('activeMqConnectionProtocolType', ACTIVEMQ,
                                              _str(choices=['TCP', 'AMQP'])),
    broker_url=_field('brokerURL', ACTIVEMQ, _str()),
    destination_type=_field('destinationType', ACTIVEMQ, _str(choices=['QUEUE', 'TOPIC'])),
    destination_name=_field('destinationName', ACTIVEMQ, _str()),
    session_acknowledgement=_field('sessionAcknowledgement', ACTIVEMQ, _str(choices=[
        'AUTO_ACKNOWLEDGE', 'CLIENT_ACKNOWLEDGE', 'DUPS_OK_ACKNOWLEDGE', 'SESSION_TRANSACTED'])),
    send_timeout=_field('sendTimeout', ACTIVEMQ, _int()),
    request_timeout=_field('requestTimeout', ACTIVEMQ, _int()),
    close_timeout=_field('closeTimeout', ACTIVEMQ, _int()),
    content_type=_field('contentType', ACTIVEMQ, _str()),
    client_id=_field('clientID', ACTIVEMQ, _str()),
    content_encoding=_field('contentEncoding', ACTIVEMQ, _str()),

    # database --------------------------------------------------------------------------
    db_type=_field('dbType', DATABASE, _str(choices=[
        'ORACLE', 'MYSQL', 'POSTGRES', 'SQL_SERVER', 'SYBASE', 'DB2', 'APACHE_HIVE', 'APACHE_IMPALA',
        'MONGODB', 'TRINO'])),
    jdbc_url=_field('jdbcUrl', DATABASE, _str()),
    use_credentials=_field('useCredentials', DATABASE, _bool()),
    database_name=_field('databaseName', DATABASE, _str()),
    initial_pool_size=_field('initialPoolSize', DATABASE, _int()),
    min_pool_size=_field('minPoolSize', DATABASE, _int()),
    max_pool_size=_field('maxPoolSize', DATABASE, _int()),
    increment_count=_field('incrementCount', DATABASE, _int()),
    max_statements=_field('maxStatements', DATABASE, _int()),
    idle_connection_test_period=_field('idleConnectionTestPeriod', DATABASE, _int()),
    connection_timeout=_field('connectionTimeout', DATABASE, _int()),
    test_connection_on_checkout=_field('testConnectionOnCheckout', DATABASE, _bool()),
    test_connection_on_checkin=_field('testConnectionOnCheckin', DATABASE, _bool()),
    max_connection_age=_field('maxConnectionAge', DATABASE, _int()),
    max_idle_time=_field('maxIdleTime', DATABASE, _int()),
    selected_environment_id=_field('selectedEnvironmentId', (DATABASE, LDAP), _str()),
    default_log_schema=_field('defaultLogSchema', DATABASE, _str()),
    log_table_schema_overrides=_field('logTableSchemaOverrides', DATABASE,
                                      dict(type='dict', options=LOG_TABLE_OPTIONS),
                                      compare='map', members=LOG_TABLE_MEMBERS),
    log_table_name_overrides=_field('logTableNameOverrides', DATABASE,
                                    dict(type='dict', options=LOG_TABLE_OPTIONS),
                                    compare='map', members=LOG_TABLE_MEMBERS),

    # elasticsearch ---------------------------------------------------------------------
    administrate=_field('administrate', ELASTIC, _bool()),
    elastic_host_list=_field('elasticHostList', ELASTIC,
                             dict(type='list', elements='dict', options=ELASTIC_HOST_OPTIONS),
                             compare='list', members=dict(scheme='scheme', host='host', port='port')),
    authenticate=_field('authenticate', ELASTIC, _bool()),
    elastic_username=_field('elasticUsername', ELASTIC, _str()),
    elastic_password=_field('elasticPassword', ELASTIC, _secret(), secret=True),
    encrypt_communication=_field('encryptCommunication', ELASTIC, _bool()),
    encrypt_communication_type=_field('encryptCommunicationType', ELASTIC, _str(choices=[
        'CA_CERTIFICATE_IN_PKCS_12', 'CA_IN_PEM_FILE', 'CERT_AND_PRIVATE_KEY_IN_PKCS_12'])),
    ca_cert_in_pkcs12_file=_field('caCertInPkcs12File', ELASTIC, _secret(), secret=True),
    ca_cert_in_pkcs12_file_content_type=_field('caCertInPkcs12FileContentType', ELASTIC, _str()),
    ca_in_pem_file=_field('caInPemFile', ELASTIC, _secret(), secret=True),
    ca_in_pem_file_content_type=_field('caInPemFileContentType', ELASTIC, _str()),
    ca_truststore_file=_field('caTruststoreFile', ELASTIC, _secret(), secret=True),
    ca_truststore_file_content_type=_field('caTruststoreFileContentType', ELASTIC, _str()),
    ca_truststore_file_pass=_field('caTruststoreFilePass', ELASTIC, _secret(), secret=True),
    ca_keystore_file=_field('caKeystoreFile', ELASTIC, _secret(), secret=True),
    ca_keystore_file_content_type=_field('caKeystoreFileContentType', ELASTIC, _str()),
    ca_keystore_file_pass=_field('caKeystoreFilePass', ELASTIC, _secret(), secret=True),
    disable_hostname_verification=_field('disableHostnameVerification', ELASTIC, _bool()),
    index_lifecycle_policy_created=_field('indexLifecyclePolicyCreated', ELASTIC, _bool()),
    index_lifecycle_policy=_field('indexLifecyclePolicy', ELASTIC, dict(type='dict', options=ILM_OPTIONS),
                                  compare='object', members=ILM_MEMBERS),
    index_template_created=_field('indexTemplateCreated', ELASTIC, _bool()),
    index_template_name=_field('indexTemplateName', ELASTIC, _str()),
    index_name=_field('indexName', ELASTIC, _str()),
    index_template_number_of_shards=_field('indexTemplateNumberOfShards', ELASTIC, _int()),
    index_template_number_of_replicas=_field('indexTemplateNumberOfReplicas', ELASTIC, _int()),
    index_template_refresh_interval=_field('indexTemplateRefreshInterval', ELASTIC, _str()),
    connection_timeout_in_ms=_field('connectionTimeoutInMs', ELASTIC, _int()),
    bulk_buffer_capacity=_field('bulkBufferCapacity', ELASTIC, _int()),
    bulk_flush_interval_ms=_field('bulkFlushIntervalMs', ELASTIC, _int()),
    bulk_max_batch_size=_field('bulkMaxBatchSize', ELASTIC, _int()),
    elasticsearch_type=_field('elasticsearchType', ELASTIC, _str(choices=['READ_WRITE', 'READ'])),
    elasticsearch_major_version=_field('elasticsearchMajorVersion', ELASTIC,
                                       _str(choices=['AUTO_DETECT', 'ES_7', 'ES_8', 'ES_9'])),

    # email -----------------------------------------------------------------------------
    enable_start_tls=_field('enableStartTls', EMAIL, _bool()),
    auth=_field('auth', EMAIL, _bool()),
    default_encoding=_field('defaultEncoding', EMAIL, _str()),
    address_to_test=_field('addressToTest', EMAIL, _str()),
    additional_properties=_field('additionalProperties', EMAIL,
                                 dict(type='list', elements='dict', options=KEY_VALUE_OPTIONS),
                                 compare='set', members=dict(key='key', value='value')),

    # ftp -------------------------------------------------------------------------------
    working_dir=_field('workingDir', FTP, _str()),
    protocol=_field('protocol', FTP, _str(choices=['FTP', 'SFTP', 'FTPS'])),
    use_implicit=_field('useImplicit', FTP, _bool()),
    use_explicit=_field('useExplicit', FTP, _bool()),
    ssl_protocol=_field('sslProtocol', FTP, _str()),

    # graylog ---------------------------------------------------------------------------
    hostname=_field('hostname', GRAYLOG, _str()),
    transport_type=_field('transportType', GRAYLOG, _str(choices=['TCP', 'UDP'])),
    tls_enabled=_field('tlsEnabled', GRAYLOG, _bool()),
    tls_cert_verification_enabled=_field('tlsCertVerificationEnabled', GRAYLOG, _bool()),
    compression_type=_field('compressionType', GRAYLOG, _str(choices=['NONE', 'GZIP', 'ZLIB'])),
    gelf_message_level=_field('gelfMessageLevel', GRAYLOG, _str(choices=[
        'EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'])),
    queue_size=_field('queueSize', GRAYLOG, _int()),
    reconnect_delay=_field('reconnectDelay', GRAYLOG, _int()),
    tcp_no_delay=_field('tcpNoDelay', GRAYLOG, _bool()),
    tcp_keep_alive=_field('tcpKeepAlive', GRAYLOG, _bool()),
    send_buffer_size=_field('sendBufferSize', GRAYLOG, _int()),
    max_inflight_sends=_field('maxInflightSends', GRAYLOG, _int()),
    threads=_field('threads', GRAYLOG, _int()),
    tls_trust_cert_chain_file=_field('tlsTrustCertChainFile', GRAYLOG, _secret(), secret=True),
    tls_trust_cert_chain_file_name=_field('tlsTrustCertChainFileName', GRAYLOG, _str()),
    append_to_attributes=_field('appendToAttributes', GRAYLOG, _bool()),
    append_to_message=_field('appendToMessage', GRAYLOG, _bool()),

    # kafka -----------------------------------------------------------------------------
    topic_name=_field('topicName', KAFKA, _str()),
    properties_map=_field('propertiesMap', KAFKA, dict(type='dict'), compare='map',
                          value_members=KAFKA_VALUE_MEMBERS),
    enable_secure=_field('enableSecure', KAFKA, _bool()),
    protocol_types=_field('protocolTypes', KAFKA, dict(type='list', elements='str', choices=[
        'TLS_1_3', 'TLS_1_2', 'TLS_1_1', 'TLS_1_0', 'SSL_3_0']), compare='set'),
    key_store_name=_field('keyStoreName', KAFKA, _str(no_log=False)),
    trust_store_name=_field('trustStoreName', KAFKA, _str()),

    # ldap ------------------------------------------------------------------------------
    server_address=_field('serverAddress', LDAP, _str()),
    require_certificate_type=_field('requireCertificateType', LDAP, _str(choices=[
        'NOT_REQUIRED', 'REQUIRED_CN', 'REQUIRED_AN_PN'])),
    custom_filter=_field('customFilter', LDAP, _str()),
    search_scope=_field('searchScope', LDAP, _str(choices=['OBJECT', 'ONE_LEVEL', 'SUBTREE'])),
    base_dn=_field('baseDn', LDAP, _str()),
    certificate_id=_field('certificateId', LDAP, _str()),
    certificate_name=_field('certificateName', LDAP, _str()),
    use_ssl=_field('useSsl', LDAP, _bool()),

    # linux-script ----------------------------------------------------------------------
    host_name=_field('hostName', LINUX, _str()),
    ssh_port=_field('sshPort', LINUX, _int()),

    # logback ---------------------------------------------------------------------------
    log_path=_field('logPath', LOGBACK, _str(), normalize=_trailing_slash),
    log_file_name=_field('logFileName', LOGBACK, _str(), normalize=_no_leading_slash),
    log_pod_name=_field('logPodName', LOGBACK, _str(), blank_matches_any=True),
    log_filename_pattern=_field('logFilenamePattern', LOGBACK, _str()),
    log_pattern=_field('logPattern', LOGBACK, _str()),
    max_file_size=_field('maxFileSize', LOGBACK, _int()),
    max_history=_field('maxHistory', LOGBACK, _int()),
    total_size_cap=_field('totalSizeCap', LOGBACK, _int()),

    # rabbitMq --------------------------------------------------------------------------
    host_port_list=_field('hostPortList', RABBIT,
                          dict(type='list', elements='dict', options=HOST_PORT_OPTIONS),
                          compare='list', members=dict(host='host', port='port')),
    connection_factory_virtual_host=_field('connectionFactoryVirtualHost', RABBIT, _str()),
    authentication_enabled=_field('authenticationEnabled', RABBIT, _bool()),
    connection_factory_username=_field('connectionFactoryUsername', RABBIT, _str()),
    connection_factory_password=_field('connectionFactoryPassword', RABBIT, _secret(), secret=True),
    connection_factory_connection_timeout=_field('connectionFactoryConnectionTimeout', RABBIT, _int()),
    connection_factory_client_properties=_field('connectionFactoryClientProperties', RABBIT, dict(type='dict'),
                                                compare='map'),
    connection_factory_requested_channel_max=_field('connectionFactoryRequestedChannelMax', RABBIT, _int()),
    connection_factory_requested_frame_max=_field('connectionFactoryRequestedFrameMax', RABBIT, _int()),
    connection_factory_requested_heartbeat=_field('connectionFactoryRequestedHeartbeat', RABBIT, _int()),
    connection_factory_use_ssl_protocol=_field('connectionFactoryUseSslProtocol', RABBIT, _bool()),
    connection_factory_ssl_protocol=_field('connectionFactorySslProtocol', RABBIT, _str()),
    channel_exchange=_field('channelExchange', RABBIT, _str()),
    channel_routing_key=_field('channelRoutingKey', RABBIT, _str(no_log=False)),
    basic_properties_app_id=_field('basicPropertiesAppId', RABBIT, _str()),
    basic_properties_content_type=_field('basicPropertiesContentType', RABBIT, _str()),
    basic_properties_content_encoding=_field('basicPropertiesContentEncoding', RABBIT, _str()),
    basic_properties_delivery_mode=_field('basicPropertiesDeliveryMode', RABBIT, _int(choices=[1, 2])),
    basic_properties_priority=_field('basicPropertiesPriority', RABBIT, _int()),
    basic_properties_reply_to=_field('basicPropertiesReplyTo', RABBIT, _str()),
    basic_properties_expiration=_field('basicPropertiesExpiration', RABBIT, _str()),
    basic_properties_type=_field('basicPropertiesType', RABBIT, _str()),
    basic_properties_user_id=_field('basicPropertiesUserId', RABBIT, _str()),
    basic_properties_cluster_id=_field('basicPropertiesClusterId', RABBIT, _str()),

    # snmp ------------------------------------------------------------------------------
    version=_field('version', SNMP, _str(choices=['V1', 'V2c', 'V3'])),
    connection_string=_field('connectionString', SNMP, _str()),
    security_or_community_name=_field('securityOrCommunityName', SNMP, _str()),
    message_type=_field('messageType', SNMP, _str(choices=['TRAP', 'INFORM'])),
    pdu_oid_for_message=_field('pduOidForMessage', SNMP, _str()),
    pdu_oid_for_time=_field('pduOidForTime', SNMP, _str()),
    pdu_variable_map=_field('pduVariableMap', SNMP, dict(type='dict'), compare='map'),
    security_level=_field('securityLevel', SNMP, _str(choices=['NOAUTH_NOPRIV', 'AUTH_NOPRIV', 'AUTH_PRIV'])),
    privacy_protocol_list=_field('privacyProtocolList', SNMP,
                                 dict(type='list', elements='str', choices=SNMP_PRIVACY_PROTOCOLS), compare='set'),
    enable_user_authentication=_field('enableUserAuthentication', SNMP, _bool()),
    security_name=_field('securityName', SNMP, _str()),
    usm_user_authentication_protocol=_field('usmUserAuthenticationProtocol', SNMP, _str(choices=[
        'AuthMD5', 'AuthSHA', 'AuthHMAC128SHA224', 'AuthHMAC192SHA256', 'AuthHMAC256SHA384', 'AuthHMAC384SHA512'])),
    auth_passphrase=_field('authPassphrase', SNMP, _secret(), secret=True),
    usm_user_privacy_protocol=_field('usmUserPrivacyProtocol', SNMP, _str(choices=SNMP_PRIVACY_PROTOCOLS)),
    priv_passphrase=_field('privPassphrase', SNMP, _secret(), secret=True),

    # syslog ----------------------------------------------------------------------------
    syslog_protocol_type=_field('syslogProtocolType', SYSLOG, _str(choices=['TCP', 'UDP'])),
    syslog_message_hostname=_field('syslogMessageHostname', SYSLOG, _str()),
    syslog_server_hostname=_field('syslogServerHostname', SYSLOG, _str()),
    syslog_port=_field('syslogPort', SYSLOG, _int()),
    syslog_timeout=_field('syslogTimeout', SYSLOG, _int()),
    syslog_message_format=_field('syslogMessageFormat', SYSLOG,
                                 _str(choices=['RFC_3164', 'RFC_5424', 'RFC_5425'])),
    syslog_app_name=_field('syslogAppName', SYSLOG, _str()),
    # `syslog_facility` is reserved by ansible-core (it sets the module's own syslog facility).
    syslog_message_facility=_field('syslogFacility', SYSLOG, _str(choices=[
        'KERN', 'USER', 'MAIL', 'DAEMON', 'AUTH', 'SYSLOG', 'LPR', 'NEWS', 'UUCP', 'CRON', 'AUTHPRIV',
        'FTP', 'NTP', 'AUDIT', 'ALERT', 'CLOCK', 'LOCAL0', 'LOCAL1', 'LOCAL2', 'LOCAL3', 'LOCAL4',
        'LOCAL5', 'LOCAL6', 'LOCAL7'])),
    syslog_severity=_field('syslogSeverity', SYSLOG, _str(choices=[
        'EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFORMATIONAL', 'DEBUG'])),
    syslog_ssl_enabled=_field('syslogSslEnabled', SYSLOG, _bool()),

    # webhook ---------------------------------------------------------------------------
    http_method=_field('httpMethod', WEBHOOK, _str(choices=[
        'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'])),
    full_url=_field('fullUrl', WEBHOOK, _str()),
    header_list=_field('headerList', WEBHOOK, dict(type='list', elements='dict', options=HEADER_OPTIONS),
                       compare='set', members=dict(name='name', value='value'), secret_members=('value',)),
    connection_pool_max_connection_per_host=_field('connectionPoolMaxConnectionPerHost', WEBHOOK, _int()),
    connection_pool_max_connection_total=_field('connectionPoolMaxConnectionTotal', WEBHOOK, _int()),
)

# `from` is a Python keyword, so it cannot be a keyword argument above.
FIELDS['from'] = _field('from', EMAIL, _str(aliases=['from_address']))

# Fields Apinizer requires when a connection of the type is created (module option names).
REQUIRED_ON_CREATE = {
    ACTIVEMQ: ('active_mq_connection_protocol_type', 'broker_url', 'destination_type', 'destination_name'),
    DATABASE: ('db_type', 'jdbc_url'),
    ELASTIC: ('elastic_host_list',),
    EMAIL: ('host',),
    FTP: ('host', 'username', 'password', 'protocol'),
    GRAYLOG: ('hostname',),
    KAFKA: ('topic_name', 'properties_map'),
    LDAP: ('server_address', 'username', 'password', 'base_dn'),
    LINUX: ('host_name', 'username', 'password'),
    LOGBACK: (),
    RABBIT: ('host_port_list',),
    SNMP: ('version', 'connection_string', 'security_or_community_name', 'pdu_oid_for_message'),
    SYSLOG: ('syslog_server_hostname',),
    WEBHOOK: ('full_url',),
}

# Apinizer's documented default of a rule's trigger, applied when a connection is created
# without it (database useCredentials defaults to true, so a new database connection needs
# username and password unless use_credentials is false).
CREATE_DEFAULTS = {
    DATABASE: dict(use_credentials=True),
}

# Conditional rules: (type, trigger option, trigger values, options then required).
CONDITIONAL_RULES = (
    (EMAIL, 'auth', (True,), ('username', 'password')),
    (DATABASE, 'use_credentials', (True,), ('username', 'password')),
    (ELASTIC, 'authenticate', (True,), ('elastic_username', 'elastic_password')),
    (ELASTIC, 'encrypt_communication', (True,), ('encrypt_communication_type',)),
    (ELASTIC, 'encrypt_communication_type', ('CA_CERTIFICATE_IN_PKCS_12',), ('ca_cert_in_pkcs12_file',)),
    (ELASTIC, 'encrypt_communication_type', ('CA_IN_PEM_FILE',), ('ca_in_pem_file',)),
    (ELASTIC, 'encrypt_communication_type', ('CERT_AND_PRIVATE_KEY_IN_PKCS_12',),
     ('ca_keystore_file', 'ca_keystore_file_pass')),
    (ELASTIC, 'index_lifecycle_policy_created', (True,), ('index_lifecycle_policy',)),
    (ELASTIC, 'index_template_created', (True,), ('index_template_name',)),
    (GRAYLOG, 'tls_cert_verification_enabled', (True,), ('tls_trust_cert_chain_file',)),
    (KAFKA, 'enable_secure', (True,), ('protocol_types', 'key_store_name')),
    (RABBIT, 'authentication_enabled', (True,), ('connection_factory_username', 'connection_factory_password')),
    (SNMP, 'enable_user_authentication', (True,), ('security_name',)),
    (SNMP, 'security_level', ('AUTH_NOPRIV', 'AUTH_PRIV'), ('usm_user_authentication_protocol', 'auth_passphrase')),
    (SNMP, 'security_level', ('AUTH_PRIV',), ('usm_user_privacy_protocol', 'priv_passphrase')),
)

# A value given together with its companion (documented "required with" pairs).
REQUIRED_TOGETHER = (
    (ELASTIC, 'ca_keystore_file', 'ca_keystore_file_pass'),
)

SECRET_FIELDS = frozenset(f['api'] for f in FIELDS.values() if f['secret'])


def options_of_type(connection_type):
    """The type-specific options valid for one connection type."""
    return sorted(option for option, field in FIELDS.items() if connection_type in field['types'])


def field_spec():
    """The argument spec entries of every type-specific option."""
    return dict((option, dict(field['spec'])) for option, field in FIELDS.items())


def _set(value):
    """Whether an option counts as given: None is "not set"; an empty list or map is not enough for a rule."""
    return value is not None and value != [] and value != {}


def _rule_error(connection_type, trigger, values, missing):
    shown = values[0] if len(values) == 1 else ' or '.join(str(v) for v in values)
    if isinstance(shown, bool):
        shown = str(shown).lower()
    return ('type=%s: %s=%s requires %s.' % (connection_type, trigger, shown, ' and '.join(missing)))


def check_rules(connection_type, params, creating=False):
    """Every violated rule of one type as a message (options named as in the task).

    ``params`` are module option values (None = not set). With ``creating``, the fields
    Apinizer requires on create must be set, and unset rule triggers take their documented
    default (CREATE_DEFAULTS).
    """
    errors = []
    effective = dict(params)
    if creating:
        for option, value in CREATE_DEFAULTS.get(connection_type, {}).items():
            if effective.get(option) is None:
                effective[option] = value
        missing = [option for option in REQUIRED_ON_CREATE[connection_type] if not _set(effective.get(option))]
        if missing:
            errors.append('type=%s: creating a connection requires %s.' % (connection_type, ', '.join(missing)))

    for rule_type, trigger, values, required in CONDITIONAL_RULES:
        if rule_type != connection_type:
            continue
        value = effective.get(trigger)
        if value is None or not any(value is v if isinstance(v, bool) else value == v for v in values):
            continue
        missing = [option for option in required if not _set(effective.get(option))]
        if missing:
            errors.append(_rule_error(connection_type, trigger, values, missing))

    for rule_type, given, companion in REQUIRED_TOGETHER:
        if rule_type == connection_type and _set(effective.get(given)) and not _set(effective.get(companion)):
            errors.append('type=%s: %s requires %s.' % (connection_type, given, companion))

    check = _TYPE_CHECKS.get(connection_type)
    if check:
        errors.extend(check(effective))
    return errors


def _check_ftp(params):
    errors = []
    implicit, explicit = params.get('use_implicit'), params.get('use_explicit')
    if implicit is True and explicit is True:
        errors.append('type=ftp: use_implicit and use_explicit are mutually exclusive; set only one to true.')
    elif params.get('protocol') == 'FTPS' and implicit is not True and explicit is not True:
        errors.append('type=ftp: protocol=FTPS requires exactly one of use_implicit and use_explicit to be true.')
    return errors


def _check_elasticsearch(params):
    errors = []
    if params.get('elastic_host_list') == []:
        errors.append('type=elasticsearch: elastic_host_list must hold at least one host.')
    policy = params.get('index_lifecycle_policy')
    if isinstance(policy, dict):
        phases = [policy.get(option) for option in
                  ('enable_hot_phase', 'enable_warm_phase', 'enable_cold_phase', 'enable_delete_phase')]
        if all(phase is False for phase in phases):
            errors.append('type=elasticsearch: index_lifecycle_policy needs at least one phase enabled '
                          '(enable_hot_phase, enable_warm_phase, enable_cold_phase or enable_delete_phase).')
    return errors


def _check_kafka(params):
    errors = []
    properties = params.get('properties_map')
    if properties is None:
        return errors
    missing = [name for name in KAFKA_REQUIRED_PROPERTIES if name not in properties]
    if missing:
        errors.append('type=kafka: properties_map must hold %s.' % ', '.join(missing))
    for name, entry in sorted(properties.items()):
        if not isinstance(entry, dict) or entry.get('value') is None or entry.get('value_type') is None:
            errors.append('type=kafka: properties_map entry %r must be a dict with value and value_type.' % name)
            continue
        unknown = sorted(set(entry) - set(KAFKA_VALUE_MEMBERS))
        if unknown:
            errors.append('type=kafka: properties_map entry %r has unknown key(s) %s; use value and value_type.'
                          % (name, ', '.join(unknown)))
        if entry['value_type'] not in KAFKA_VALUE_TYPES:
            errors.append('type=kafka: properties_map entry %r: value_type must be one of %s, got %r.'
                          % (name, ', '.join(KAFKA_VALUE_TYPES), entry['value_type']))
    return errors


def _check_rabbitmq(params):
    errors = []
    if params.get('host_port_list') == []:
        errors.append('type=rabbitMq: host_port_list must hold at least one host.')
    priority = params.get('basic_properties_priority')
    if priority is not None and not 0 <= priority <= 255:
        errors.append('type=rabbitMq: basic_properties_priority must be from 0 to 255, got %d.' % priority)
    return errors


_TYPE_CHECKS = {
    FTP: _check_ftp,
    ELASTIC: _check_elasticsearch,
    KAFKA: _check_kafka,
    RABBIT: _check_rabbitmq,
}


def ilm_phase_error(policy):
    """The elasticsearch rule "at least one phase enabled" on an API-form policy object."""
    if isinstance(policy, dict) and not any(policy.get(phase) is True for phase in ILM_PHASES):
        return ('type=elasticsearch: index_lifecycle_policy needs at least one phase enabled '
                '(enable_hot_phase, enable_warm_phase, enable_cold_phase or enable_delete_phase).')
    return None
