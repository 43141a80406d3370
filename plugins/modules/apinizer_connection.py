#!/usr/bin/python
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: apinizer_connection
short_description: Create, update, rename and delete Apinizer project connections
version_added: 1.0.0
author: apinizer.apiops contributors (@apinizer)
description:
  - Makes a connection of an Apinizer project match the task, for every connection type Apinizer
    documents. The type follows from the one type dict the task gives (O(email), O(kafka),
    O(linux_script), and so on); each holds the sub-options of its type, so a field of another type is
    refused by argument validation.
  - Reads the connection with C(GET /apiops/projects/{project}/connections/{name}/) and compares
    only the options you set. An absent connection is created (C(POST)); a different one is
    updated (C(PUT)); an equal one is left alone, so a run with nothing to change sends no write.
  - Apinizer's C(PUT) replaces the whole connection. The module therefore sends the current
    connection with your options laid over it, so nothing you did not mention is lost. It never
    sends read-only fields back (C(id), C(projectName), and the Kafka C(keyStoreId) and C(trustStoreId)
    that Apinizer derives from the store names).
  - A missing required field on create, a value out of range or a broken rule between options (for
    example O(email.auth=true) without O(email.username)) fails the task before any request. Rules
    that name a secret (for example O(email.auth=true) needs O(email.password)) are checked against the
    connection as it will be stored, before any write (a secret Apinizer already holds counts).
  - Secrets (passwords, passphrases, keystore and certificate file contents, webhook header values,
    Kafka properties marked or named as secrets) are C(no_log). Apinizer returns them in clear when a
    connection is read; the module compares them and then masks them in every result, diff, warning and
    error message. A changed secret shows in the diff as C(******** (changed)).
  - A create, a delete, a rename and a write that deploys to the workers are never sent twice. When the
    answer is lost (dropped connection, timeout, 5xx), the module reads the connection back and reports
    whether the write took effect.
  - Options you do not set are not sent on create, so Apinizer applies its own defaults (given in each
    option's description).
  - M(apinizer.apiops.apinizer_connection_info) returns connections in exactly this module's option shape.
extends_documentation_fragment:
  - apinizer.apiops.api
  - apinizer.apiops.project
  - apinizer.apiops.attributes
  - apinizer.apiops.attributes.actiongroup_apinizer
attributes:
  idempotent:
    support: partial
    details:
      - With O(update_secrets=always) the module reports a change whenever Apinizer does not
        return a secret you set (C(null) or masked), because it cannot compare it.
options:
  name:
    description:
      - Name of the connection. Names with spaces, slashes or non-ASCII characters are encoded for you.
      - With O(new_name), the current name of the connection to rename.
    type: str
    required: true
    aliases: [connection_name]
  new_name:
    description:
      - Rename the connection O(name) to this name (the connection's identity stays; its references
        follow it).
      - Idempotent. If O(name) no longer exists but O(new_name) does, the rename already happened and
        the task compares against O(new_name). If neither exists, the connection is created as
        O(new_name).
      - Fails before any write if another connection is already called O(new_name).
      - Not allowed with O(state=absent).
    type: str
  type:
    description:
      - Only with O(state=absent), to delete the connection only if it is of this type. A type dict given
        with O(state=absent) does the same.
      - With O(state=present) the type follows from the type dict; O(type) is refused there.
      - Apinizer cannot change the type of an existing connection. A task whose type dict differs from the
        stored type fails before any write; delete the connection and create it again.
    type: str
    choices: [active_mq, database, elasticsearch, email, ftp, graylog, kafka, ldap, linux_script, logback,
              rabbit_mq, snmp, syslog, webhook]
  state:
    description:
      - V(present) creates or updates the connection (exactly one type dict is required), V(absent)
        deletes it.
    type: str
    choices: [present, absent]
    default: present
  update_secrets:
    description:
      - What to do with a secret you set when Apinizer does not return its current value (C(null)
        or masked), so it cannot be compared. Secrets Apinizer returns in clear are always compared.
      - V(on_create) sends such a secret only when the connection is created, or when it is updated
        for another reason anyway; it is never the sole cause of a change (a warning says so).
      - V(always) sends it on every run and reports a change.
    type: str
    choices: [on_create, always]
    default: on_create
  description:
    description:
      - Description of the connection. V("") clears it.
      - API field C(description).
    type: str
  enabled:
    description:
      - Whether the connection is enabled (Apinizer's default V(true)).
      - API field C(enabled).
    type: bool
  deploy_to_worker:
    description:
      - Whether Apinizer deploys the connection to the gateway workers after it is saved (Apinizer's
        default V(true)).
      - The outcome is returned in RV(deployment). A failed deploy fails the task and says the
        connection itself was saved.
      - API field C(deployToWorker).
    type: bool
  active_mq:
    description:
      - An ActiveMQ connection (Apinizer type C(activeMq)).
    type: dict
    suboptions:
      protocol_type:
        description:
          - Required on create. V(TCP) (port 61616) or V(AMQP) (port 5672).
          - API field C(activeMqConnectionProtocolType).
        type: str
        choices: [TCP, AMQP]
      broker_url:
        description:
          - Required on create, for example V(tcp://broker:61616) or V(amqp://broker:5672), with optional query
            options.
          - API field C(brokerURL).
        type: str
      username:
        description:
          - User name, if the broker requires authentication.
          - API field C(username).
        type: str
      password:
        description:
          - Secret. Password, if the broker requires authentication.
          - API field C(password).
        type: str
      destination_type:
        description:
          - Required on create.
          - API field C(destinationType).
        type: str
        choices: [QUEUE, TOPIC]
      destination_name:
        description:
          - Required on create. Name of the queue or topic.
          - API field C(destinationName).
        type: str
      session_acknowledgement:
        description:
          - Apinizer's default V(AUTO_ACKNOWLEDGE).
          - API field C(sessionAcknowledgement).
        type: str
        choices: [AUTO_ACKNOWLEDGE, CLIENT_ACKNOWLEDGE, DUPS_OK_ACKNOWLEDGE, SESSION_TRANSACTED]
      send_timeout:
        description:
          - Milliseconds, default V(60000).
          - API field C(sendTimeout).
        type: int
      request_timeout:
        description:
          - Milliseconds, default V(60000).
          - API field C(requestTimeout).
        type: int
      close_timeout:
        description:
          - Milliseconds, default V(60000).
          - API field C(closeTimeout).
        type: int
      connect_timeout:
        description:
          - Connect timeout in milliseconds, default V(60000).
          - API field C(connectTimeout).
        type: int
      content_type:
        description:
          - Content type set in the message metadata.
          - API field C(contentType).
        type: str
      client_id:
        description:
          - . Needed for durable topic subscriptions.
          - API field C(clientID).
        type: str
      content_encoding:
        description:
          - Content encoding set in the message metadata.
          - API field C(contentEncoding).
        type: str
  database:
    description:
      - A database connection (Apinizer type C(database)), for example a log target or a DB-to-API backend.
    type: dict
    suboptions:
      db_type:
        description:
          - Required on create.
          - API field C(dbType).
        type: str
        choices: [ORACLE, MYSQL, POSTGRES, SQL_SERVER, SYBASE, DB2, APACHE_HIVE, APACHE_IMPALA, MONGODB, TRINO]
      jdbc_url:
        description:
          - Required on create, for example V(jdbc:postgresql://db:5432/orders).
          - API field C(jdbcUrl).
        type: str
      use_credentials:
        description:
          - Apinizer's default V(true), which needs O(database.username) and O(database.password); with V(false)
            they are not used.
          - API field C(useCredentials).
        type: bool
      username:
        description:
          - Required when O(database.use_credentials=true), which is Apinizer's default.
          - API field C(username).
        type: str
      password:
        description:
          - Secret. Required when O(database.use_credentials=true) (when creating, or when Apinizer holds none).
          - API field C(password).
        type: str
      database_name:
        description:
          - API field C(databaseName).
        type: str
      initial_pool_size:
        description:
          - Default V(1).
          - API field C(initialPoolSize).
        type: int
      min_pool_size:
        description:
          - Default V(1).
          - API field C(minPoolSize).
        type: int
      max_pool_size:
        description:
          - Default V(5).
          - API field C(maxPoolSize).
        type: int
      increment_count:
        description:
          - Default V(1).
          - API field C(incrementCount).
        type: int
      max_statements:
        description:
          - Default V(100).
          - API field C(maxStatements).
        type: int
      idle_connection_test_period:
        description:
          - Milliseconds, default V(30000).
          - API field C(idleConnectionTestPeriod).
        type: int
      connection_timeout:
        description:
          - Milliseconds, default V(30000).
          - API field C(connectionTimeout).
        type: int
      test_connection_on_checkout:
        description:
          - Default V(true).
          - API field C(testConnectionOnCheckout).
        type: bool
      test_connection_on_checkin:
        description:
          - Default V(false).
          - API field C(testConnectionOnCheckin).
        type: bool
      max_connection_age:
        description:
          - Milliseconds, default V(180000).
          - API field C(maxConnectionAge).
        type: int
      max_idle_time:
        description:
          - Milliseconds, default V(120000).
          - API field C(maxIdleTime).
        type: int
      selected_environment_id:
        description:
          - Id of the environment the connection is limited to.
          - API field C(selectedEnvironmentId).
        type: str
      default_log_schema:
        description:
          - 'When the connection is a log target: default schema of the log tables.'
          - API field C(defaultLogSchema).
        type: str
      log_table_schema_overrides:
        description:
          - 'When the connection is a log target: schema per log table, overriding
            O(database.default_log_schema). The tables you list are the whole map.'
          - API field C(logTableSchemaOverrides).
        type: dict
        suboptions:
          api_proxy_traffic:
            description:
              - Table C(ApiProxyTraffic).
              - API key C(ApiProxyTraffic).
            type: str
          policy_capture:
            description:
              - Table C(PolicyCapture).
              - API key C(PolicyCapture).
            type: str
          audit_event:
            description:
              - Table C(AuditEvent).
              - API key C(AuditEvent).
            type: str
          application:
            description:
              - Table C(Application).
              - API key C(Application).
            type: str
          unsent_message:
            description:
              - Table C(UnsentMessage).
              - API key C(UnsentMessage).
            type: str
          token_traffic:
            description:
              - Table C(TokenTraffic).
              - API key C(TokenTraffic).
            type: str
      log_table_name_overrides:
        description:
          - 'When the connection is a log target: table name per log table. The tables you list are the whole
            map.'
          - API field C(logTableNameOverrides).
        type: dict
        suboptions:
          api_proxy_traffic:
            description:
              - Table C(ApiProxyTraffic).
              - API key C(ApiProxyTraffic).
            type: str
          policy_capture:
            description:
              - Table C(PolicyCapture).
              - API key C(PolicyCapture).
            type: str
          audit_event:
            description:
              - Table C(AuditEvent).
              - API key C(AuditEvent).
            type: str
          application:
            description:
              - Table C(Application).
              - API key C(Application).
            type: str
          unsent_message:
            description:
              - Table C(UnsentMessage).
              - API key C(UnsentMessage).
            type: str
          token_traffic:
            description:
              - Table C(TokenTraffic).
              - API key C(TokenTraffic).
            type: str
  elasticsearch:
    description:
      - An Elasticsearch connection (Apinizer type C(elasticsearch)).
    type: dict
    suboptions:
      hosts:
        description:
          - Required on create (at least one host). Compared in order.
          - API field C(elasticHostList).
        type: list
        elements: dict
        suboptions:
          scheme:
            description:
              - Default V(http).
            type: str
            choices: [http, https]
          host:
            description:
              - Host name.
            type: str
            required: true
          port:
            description:
              - 1 to 65535, default V(9200).
            type: int
      administrate:
        description:
          - Let Apinizer manage indices, templates and policies. Default V(false).
          - API field C(administrate).
        type: bool
      authenticate:
        description:
          - V(true) needs O(elasticsearch.username) and O(elasticsearch.password). Default V(false).
          - API field C(authenticate).
        type: bool
      username:
        description:
          - Required when O(elasticsearch.authenticate=true).
          - API field C(elasticUsername).
        type: str
      password:
        description:
          - Secret. Required when O(elasticsearch.authenticate=true) (when creating, or when Apinizer holds
            none).
          - API field C(elasticPassword).
        type: str
      encrypt_communication:
        description:
          - V(true) needs O(elasticsearch.encrypt_communication_type) and its file. Default V(false).
          - API field C(encryptCommunication).
        type: bool
      encrypt_communication_type:
        description:
          - Required when O(elasticsearch.encrypt_communication=true).
          - V(CA_CERTIFICATE_IN_PKCS_12) needs O(elasticsearch.ca_cert_in_pkcs12_file), V(CA_IN_PEM_FILE) needs
            O(elasticsearch.ca_in_pem_file), V(CERT_AND_PRIVATE_KEY_IN_PKCS_12) needs
            O(elasticsearch.ca_keystore_file) and O(elasticsearch.ca_keystore_file_pass).
          - API field C(encryptCommunicationType).
        type: str
        choices: [CA_CERTIFICATE_IN_PKCS_12, CA_IN_PEM_FILE, CERT_AND_PRIVATE_KEY_IN_PKCS_12]
      ca_cert_in_pkcs12_file:
        description:
          - Secret. Base64 content of the CA certificate in a PKCS#12 file (for example C("{{ lookup('file',
            'ca.p12.b64') }}")).
          - API field C(caCertInPkcs12File).
        type: str
      ca_cert_in_pkcs12_file_content_type:
        description:
          - Default V(application/x-pkcs12).
          - API field C(caCertInPkcs12FileContentType).
        type: str
      ca_in_pem_file:
        description:
          - Secret. Base64 content of the CA certificate PEM file.
          - API field C(caInPemFile).
        type: str
      ca_in_pem_file_content_type:
        description:
          - Default V(application/x-pem-file).
          - API field C(caInPemFileContentType).
        type: str
      ca_truststore_file:
        description:
          - Secret. Base64 content of the CA truststore file.
          - API field C(caTruststoreFile).
        type: str
      ca_truststore_file_content_type:
        description:
          - Default V(application/x-pkcs12).
          - API field C(caTruststoreFileContentType).
        type: str
      ca_truststore_file_pass:
        description:
          - Secret. Password of the truststore file.
          - API field C(caTruststoreFilePass).
        type: str
      ca_keystore_file:
        description:
          - Secret. Base64 content of the PKCS#12 keystore with the certificate and private key. Requires
            O(elasticsearch.ca_keystore_file_pass).
          - API field C(caKeystoreFile).
        type: str
      ca_keystore_file_content_type:
        description:
          - Default V(application/x-pkcs12).
          - API field C(caKeystoreFileContentType).
        type: str
      ca_keystore_file_pass:
        description:
          - Secret. Password of the keystore file.
          - API field C(caKeystoreFilePass).
        type: str
      disable_hostname_verification:
        description:
          - Default V(false); not recommended in production.
          - API field C(disableHostnameVerification).
        type: bool
      index_lifecycle_policy_created:
        description:
          - Create an index lifecycle policy; V(true) needs O(elasticsearch.index_lifecycle_policy). Default
            V(false).
          - API field C(indexLifecyclePolicyCreated).
        type: bool
      index_lifecycle_policy:
        description:
          - The index lifecycle policy; at least one phase must be enabled.
          - Only the suboptions you set are compared and changed; the others keep their current values.
          - API field C(indexLifecyclePolicy).
        type: dict
        suboptions:
          policy_name:
            description:
              - Policy name (Apinizer's default V(apinizer-log-ilm-policy-default)).
              - API key C(policyName).
            type: str
          enable_hot_phase:
            description:
              - Enable the hot phase.
              - API key C(enableHotPhase).
            type: bool
          max_age_of_rollover:
            description:
              - Maximum age before rollover, in days.
              - API key C(maxAgeOfRollover).
            type: int
          max_index_size_of_rollover:
            description:
              - Maximum index size before rollover, in GB.
              - API key C(maxIndexSizeOfRollover).
            type: int
          max_doc_count_of_rollover:
            description:
              - Maximum document count before rollover.
              - API key C(maxDocCountOfRollover).
            type: int
          enable_warm_phase:
            description:
              - Enable the warm phase.
              - API key C(enableWarmPhase).
            type: bool
          number_of_replicas_for_warm:
            description:
              - Number of replicas in the warm phase.
              - API key C(numberOfReplicasForWarm).
            type: int
          max_num_shards_for_shrink:
            description:
              - Maximum number of shards after shrink.
              - API key C(maxNumShardsForShrink).
            type: int
          max_num_segments_for_force_merge:
            description:
              - Maximum number of segments after force merge.
              - API key C(maxNumSegmentsForForceMerge).
            type: int
          enable_cold_phase:
            description:
              - Enable the cold phase.
              - API key C(enableColdPhase).
            type: bool
          min_age_of_cold:
            description:
              - Minimum age for the cold phase, in days.
              - API key C(minAgeOfCold).
            type: int
          number_of_replicas_for_cold:
            description:
              - Number of replicas in the cold phase.
              - API key C(numberOfReplicasForCold).
            type: int
          enable_delete_phase:
            description:
              - Enable the delete phase.
              - API key C(enableDeletePhase).
            type: bool
          min_age_of_delete:
            description:
              - Minimum age for the delete phase, in days.
              - API key C(minAgeOfDelete).
            type: int
      index_template_created:
        description:
          - Create an index template; V(true) needs O(elasticsearch.index_template_name). Default V(false).
          - API field C(indexTemplateCreated).
        type: bool
      index_template_name:
        description:
          - Required when O(elasticsearch.index_template_created=true).
          - API field C(indexTemplateName).
        type: str
      index_name:
        description:
          - Index name (pattern).
          - API field C(indexName).
        type: str
      index_template_number_of_shards:
        description:
          - API field C(indexTemplateNumberOfShards).
        type: int
      index_template_number_of_replicas:
        description:
          - API field C(indexTemplateNumberOfReplicas).
        type: int
      index_template_refresh_interval:
        description:
          - For example V(1s).
          - API field C(indexTemplateRefreshInterval).
        type: str
      connection_timeout_in_ms:
        description:
          - Milliseconds, default V(5000).
          - API field C(connectionTimeoutInMs).
        type: int
      bulk_buffer_capacity:
        description:
          - Default V(50000).
          - API field C(bulkBufferCapacity).
        type: int
      bulk_flush_interval_ms:
        description:
          - Milliseconds, default V(100).
          - API field C(bulkFlushIntervalMs).
        type: int
      bulk_max_batch_size:
        description:
          - Default V(2500).
          - API field C(bulkMaxBatchSize).
        type: int
      elasticsearch_type:
        description:
          - Default V(READ_WRITE).
          - API field C(elasticsearchType).
        type: str
        choices: [READ_WRITE, READ]
      elasticsearch_major_version:
        description:
          - Default V(AUTO_DETECT).
          - API field C(elasticsearchMajorVersion).
        type: str
        choices: [AUTO_DETECT, ES_7, ES_8, ES_9]
  email:
    description:
      - An SMTP connection (Apinizer type C(email)).
    type: dict
    suboptions:
      host:
        description:
          - SMTP host. Required on create.
          - API field C(host).
        type: str
      port:
        description:
          - SMTP port, 1 to 65535, default V(587).
          - API field C(port).
        type: int
      enable_start_tls:
        description:
          - Default V(false).
          - API field C(enableStartTls).
        type: bool
      auth:
        description:
          - SMTP authentication; V(true) needs O(email.username) and O(email.password). Default V(false).
          - API field C(auth).
        type: bool
      username:
        description:
          - Required when O(email.auth=true).
          - API field C(username).
        type: str
      password:
        description:
          - Secret. Required when O(email.auth=true) (when creating, or when Apinizer holds none).
          - API field C(password).
        type: str
      default_encoding:
        description:
          - Default V(UTF-8).
          - API field C(defaultEncoding).
        type: str
      address_to_test:
        description:
          - Recipient address for connection tests.
          - API field C(addressToTest).
        type: str
      sender:
        description:
          - Default sender address.
          - Alias C(from) is the API field name.
          - API field C(from).
        type: str
        aliases: [from]
      additional_properties:
        description:
          - Extra mail session properties. The list you give is the whole list; order does not matter.
          - API field C(additionalProperties).
        type: list
        elements: dict
        suboptions:
          key:
            description:
              - Property name, for example V(mail.smtp.ssl.trust).
              - API key C(key).
            type: str
            required: true
          value:
            description:
              - Property value.
              - API key C(value).
            type: str
  ftp:
    description:
      - An FTP, SFTP or FTPS connection (Apinizer type C(ftp)).
    type: dict
    suboptions:
      host:
        description:
          - FTP, SFTP or FTPS server. Required on create.
          - API field C(host).
        type: str
      port:
        description:
          - 1 to 65535; default V(21) (22 for SFTP, 990 for implicit FTPS).
          - API field C(port).
        type: int
      username:
        description:
          - Required on create.
          - API field C(username).
        type: str
      password:
        description:
          - Secret. Required on create.
          - API field C(password).
        type: str
      working_dir:
        description:
          - Default V(/).
          - API field C(workingDir).
        type: str
      protocol:
        description:
          - Required on create. V(FTPS) needs exactly one of O(ftp.use_implicit) and O(ftp.use_explicit) set to
            V(true).
          - API field C(protocol).
        type: str
        choices: [FTP, SFTP, FTPS]
      timeout:
        description:
          - Milliseconds, default V(30000).
          - API field C(timeout).
        type: int
      retry_count:
        description:
          - Number of retries, default V(3).
          - API field C(retryCount).
        type: int
      use_implicit:
        description:
          - Implicit FTPS. Mutually exclusive with O(ftp.use_explicit). Default V(false).
          - API field C(useImplicit).
        type: bool
      use_explicit:
        description:
          - Explicit FTPS. Mutually exclusive with O(ftp.use_implicit). Default V(false).
          - API field C(useExplicit).
        type: bool
      ssl_protocol:
        description:
          - For example V(TLSv1.2).
          - API field C(sslProtocol).
        type: str
  graylog:
    description:
      - A Graylog (GELF) connection (Apinizer type C(graylog)).
    type: dict
    suboptions:
      hostname:
        description:
          - Required on create. Graylog server host.
          - API field C(hostname).
        type: str
      port:
        description:
          - 1 to 65535, default V(12201).
          - API field C(port).
        type: int
      transport_type:
        description:
          - Default V(TCP).
          - API field C(transportType).
        type: str
        choices: [TCP, UDP]
      tls_enabled:
        description:
          - Default V(false).
          - API field C(tlsEnabled).
        type: bool
      tls_cert_verification_enabled:
        description:
          - V(true) needs O(graylog.tls_trust_cert_chain_file). Default V(false).
          - API field C(tlsCertVerificationEnabled).
        type: bool
      compression_type:
        description:
          - Default V(NONE).
          - API field C(compressionType).
        type: str
        choices: [NONE, GZIP, ZLIB]
      gelf_message_level:
        description:
          - Default V(INFO).
          - API field C(gelfMessageLevel).
        type: str
        choices: [EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG]
      queue_size:
        description:
          - Default V(512).
          - API field C(queueSize).
        type: int
      reconnect_delay:
        description:
          - Milliseconds, default V(2500).
          - API field C(reconnectDelay).
        type: int
      connect_timeout:
        description:
          - Connect timeout in milliseconds, default V(10000).
          - API field C(connectTimeout).
        type: int
      tcp_no_delay:
        description:
          - Default V(true).
          - API field C(tcpNoDelay).
        type: bool
      tcp_keep_alive:
        description:
          - Default V(false).
          - API field C(tcpKeepAlive).
        type: bool
      send_buffer_size:
        description:
          - Bytes; default V(-1), the operating system's default.
          - API field C(sendBufferSize).
        type: int
      max_inflight_sends:
        description:
          - Default V(512).
          - API field C(maxInflightSends).
        type: int
      threads:
        description:
          - Default V(0), Apinizer's default thread count.
          - API field C(threads).
        type: int
      tls_trust_cert_chain_file:
        description:
          - Secret. Base64 content of the trusted certificate chain file.
          - API field C(tlsTrustCertChainFile).
        type: str
      tls_trust_cert_chain_file_name:
        description:
          - File name of O(graylog.tls_trust_cert_chain_file).
          - API field C(tlsTrustCertChainFileName).
        type: str
      append_to_attributes:
        description:
          - Default V(true).
          - API field C(appendToAttributes).
        type: bool
      append_to_message:
        description:
          - Default V(true).
          - API field C(appendToMessage).
        type: bool
  kafka:
    description:
      - A Kafka producer connection (Apinizer type C(kafka)).
    type: dict
    suboptions:
      topic_name:
        description:
          - Required on create.
          - API field C(topicName).
        type: str
      properties:
        description:
          - Required on create. Kafka producer properties; the list you give is the whole map (order does not
            matter).
          - Must hold C(bootstrap.servers), C(key.serializer) and C(value.serializer).
          - A property is a secret when O(kafka.properties[].secret=true). Without that flag it is a secret
            unless its name is one of Kafka's client settings that carry no credential (C(bootstrap.servers),
            C(key.serializer), C(value.serializer), C(acks), C(linger.ms), C(security.protocol),
            C(sasl.mechanism), C(ssl.truststore.location) and the like), because Apinizer does not store the
            flag and a later delete or M(apinizer.apiops.apinizer_connection_info) knows only the name. A
            secret value is masked in results, diffs and C(-v) output and is never returned by
            M(apinizer.apiops.apinizer_connection_info).
          - An entry without O(kafka.properties[].value) keeps its stored value.
          - API field C(propertiesMap).
        type: list
        elements: dict
        suboptions:
          name:
            description:
              - Property name, for example V(bootstrap.servers).
            type: str
            required: true
          value:
            description:
              - Property value, sent as a string (V(5) and V(true) become V("5") and V("true")).
              - Leave it out to keep the stored value (only when the property exists).
            type: raw
          value_type:
            description:
              - Apinizer's C(valueType) of the value.
            type: str
            default: STRING
            choices: [STRING, BOOLEAN, INTEGER, LONG, DOUBLE, FLOAT, STRING_LIST, URI]
          secret:
            description:
              - 'Whether the value is a secret. Default: decided by the name (see O(kafka.properties)); V(false)
                shows a value whose name is not a known public setting.'
            type: bool
      enable_secure:
        description:
          - V(true) needs O(kafka.protocol_types) and O(kafka.key_store_name). Default V(false).
          - API field C(enableSecure).
        type: bool
      protocol_types:
        description:
          - Allowed TLS/SSL protocol versions; order does not matter.
          - API field C(protocolTypes).
        type: list
        elements: str
        choices: [TLS_1_3, TLS_1_2, TLS_1_1, TLS_1_0, SSL_3_0]
      key_store_name:
        description:
          - Name of the key store. Apinizer stores its id and may report only C(keyStoreId); then a change to
            this option alone is not detected (a warning says so).
          - API field C(keyStoreName).
        type: str
      trust_store_name:
        description:
          - Name of the trust store.
          - API field C(trustStoreName).
        type: str
  ldap:
    description:
      - An LDAP connection (Apinizer type C(ldap)).
    type: dict
    suboptions:
      server_address:
        description:
          - Required on create, for example V(ldaps://ldap.example.com:636).
          - API field C(serverAddress).
        type: str
      require_certificate_type:
        description:
          - Default V(NOT_REQUIRED).
          - API field C(requireCertificateType).
        type: str
        choices: [NOT_REQUIRED, REQUIRED_CN, REQUIRED_AN_PN]
      username:
        description:
          - Bind DN. Required on create.
          - API field C(username).
        type: str
      password:
        description:
          - Secret. Bind password. Required on create.
          - API field C(password).
        type: str
      custom_filter:
        description:
          - Search filter; C({0}) stands for the user name searched.
          - API field C(customFilter).
        type: str
      search_scope:
        description:
          - Default V(SUBTREE).
          - API field C(searchScope).
        type: str
        choices: [OBJECT, ONE_LEVEL, SUBTREE]
      base_dn:
        description:
          - Required on create.
          - API field C(baseDn).
        type: str
      certificate_id:
        description:
          - Id of the certificate used to verify the LDAP server.
          - When a task changes O(ldap.certificate_id) without setting O(ldap.certificate_name), the stored name
            is left out of the update (and the other way round), so the two cannot point at different
            certificates.
          - API field C(certificateId).
        type: str
      certificate_name:
        description:
          - Name of the certificate used to verify the LDAP server (usually the easier way to reference it).
          - API field C(certificateName).
        type: str
      use_ssl:
        description:
          - Default V(false).
          - API field C(useSsl).
        type: bool
      selected_environment_id:
        description:
          - Id of the environment the connection is limited to.
          - API field C(selectedEnvironmentId).
        type: str
  linux_script:
    description:
      - An SSH connection to run Linux scripts (Apinizer type C(linux-script)).
    type: dict
    suboptions:
      host_name:
        description:
          - Required on create.
          - API field C(hostName).
        type: str
      ssh_port:
        description:
          - 1 to 65535, default V(22).
          - API field C(sshPort).
        type: int
      username:
        description:
          - Required on create.
          - API field C(username).
        type: str
      password:
        description:
          - Secret. Required on create.
          - API field C(password).
        type: str
  logback:
    description:
      - A Logback file log target (Apinizer type C(logback)).
    type: dict
    suboptions:
      log_path:
        description:
          - Default V(/path/to/logs/). Apinizer adds a trailing C(/); the module does the same before comparing.
          - API field C(logPath).
        type: str
      log_file_name:
        description:
          - Default V(ApinizerApiProxyTraffic). Apinizer strips a leading C(/); the module does the same before
            comparing.
          - API field C(logFileName).
        type: str
      log_pod_name:
        description:
          - V("") (the default) lets Apinizer fill in the host name, so V("") matches any current value.
          - API field C(logPodName).
        type: str
      log_filename_pattern:
        description:
          - Default V(%d{yyyy-MM-dd}.%i.log).
          - API field C(logFilenamePattern).
        type: str
      log_pattern:
        description:
          - Default V(%d{yyyy-MM-dd HH:mm:ss.SSS}[%m]%n).
          - API field C(logPattern).
        type: str
      max_file_size:
        description:
          - Megabytes, default V(25).
          - API field C(maxFileSize).
        type: int
      max_history:
        description:
          - Default V(0), unbounded.
          - API field C(maxHistory).
        type: int
      total_size_cap:
        description:
          - Gigabytes, default V(0), unbounded.
          - API field C(totalSizeCap).
        type: int
  rabbit_mq:
    description:
      - A RabbitMQ connection (Apinizer type C(rabbitMq)).
    type: dict
    suboptions:
      hosts:
        description:
          - Required on create (at least one host). Compared in order.
          - API field C(hostPortList).
        type: list
        elements: dict
        suboptions:
          host:
            description:
              - Host name, default V(localhost).
            type: str
          port:
            description:
              - 1 to 65535, default V(5672).
            type: int
      virtual_host:
        description:
          - Default V(/).
          - API field C(connectionFactoryVirtualHost).
        type: str
      authentication_enabled:
        description:
          - V(true) needs O(rabbit_mq.username) and O(rabbit_mq.password). Default V(false).
          - API field C(authenticationEnabled).
        type: bool
      username:
        description:
          - Required when O(rabbit_mq.authentication_enabled=true).
          - API field C(connectionFactoryUsername).
        type: str
      password:
        description:
          - Secret. Required when O(rabbit_mq.authentication_enabled=true) (when creating, or when Apinizer
            holds none).
          - API field C(connectionFactoryPassword).
        type: str
      connection_timeout:
        description:
          - Milliseconds, default V(60000).
          - API field C(connectionFactoryConnectionTimeout).
        type: int
      client_properties:
        description:
          - Client properties sent to the broker, as free key/value pairs. The map you give is the whole map.
          - API field C(connectionFactoryClientProperties).
        type: dict
      requested_channel_max:
        description:
          - Default V(2047).
          - API field C(connectionFactoryRequestedChannelMax).
        type: int
      requested_frame_max:
        description:
          - Bytes; default V(0), unlimited.
          - API field C(connectionFactoryRequestedFrameMax).
        type: int
      requested_heartbeat:
        description:
          - Seconds, default V(60).
          - API field C(connectionFactoryRequestedHeartbeat).
        type: int
      use_ssl_protocol:
        description:
          - Default V(false).
          - API field C(connectionFactoryUseSslProtocol).
        type: bool
      ssl_protocol:
        description:
          - Default V(TLSv1.2).
          - API field C(connectionFactorySslProtocol).
        type: str
      channel_exchange:
        description:
          - Default V(""), the default exchange.
          - API field C(channelExchange).
        type: str
      channel_routing_key:
        description:
          - Routing key.
          - API field C(channelRoutingKey).
        type: str
      basic_properties_app_id:
        description:
          - Default V(apinizer).
          - API field C(basicPropertiesAppId).
        type: str
      basic_properties_content_type:
        description:
          - Default V(application/json).
          - API field C(basicPropertiesContentType).
        type: str
      basic_properties_content_encoding:
        description:
          - API field C(basicPropertiesContentEncoding).
        type: str
      basic_properties_delivery_mode:
        description:
          - V(1) non-persistent, V(2) persistent.
          - API field C(basicPropertiesDeliveryMode).
        type: int
        choices: [1, 2]
      basic_properties_priority:
        description:
          - Message priority from 0 to 255.
          - API field C(basicPropertiesPriority).
        type: int
      basic_properties_reply_to:
        description:
          - API field C(basicPropertiesReplyTo).
        type: str
      basic_properties_expiration:
        description:
          - Message TTL in milliseconds, as a string (for example V("60000")).
          - API field C(basicPropertiesExpiration).
        type: str
      basic_properties_type:
        description:
          - API field C(basicPropertiesType).
        type: str
      basic_properties_user_id:
        description:
          - API field C(basicPropertiesUserId).
        type: str
      basic_properties_cluster_id:
        description:
          - API field C(basicPropertiesClusterId).
        type: str
  snmp:
    description:
      - An SNMP trap or inform target (Apinizer type C(snmp)).
    type: dict
    suboptions:
      version:
        description:
          - Required on create (Apinizer shows V(V1) as its default).
          - API field C(version).
        type: str
        choices: [V1, V2c, V3]
      connection_string:
        description:
          - Required on create. C(transport:host/port), for example V(udp:192.0.2.10/162).
          - API field C(connectionString).
        type: str
      security_or_community_name:
        description:
          - Required on create. Community (V1, V2c) or security name (V3).
          - API field C(securityOrCommunityName).
        type: str
      retry_count:
        description:
          - Number of retries.
          - API field C(retryCount).
        type: int
      timeout:
        description:
          - Milliseconds.
          - API field C(timeout).
        type: int
      message_type:
        description:
          - API field C(messageType).
        type: str
        choices: [TRAP, INFORM]
      pdu_oid_for_message:
        description:
          - Required on create. OID of the message content.
          - API field C(pduOidForMessage).
        type: str
      pdu_oid_for_time:
        description:
          - OID of the time stamp.
          - API field C(pduOidForTime).
        type: str
      pdu_variable_map:
        description:
          - Extra PDU variables as a dict from OID to value. The map you give is the whole map.
          - API field C(pduVariableMap).
        type: dict
      security_level:
        description:
          - V(AUTH_NOPRIV) needs O(snmp.usm_user_authentication_protocol) and O(snmp.auth_passphrase);
            V(AUTH_PRIV) also needs O(snmp.usm_user_privacy_protocol) and O(snmp.priv_passphrase).
          - API field C(securityLevel).
        type: str
        choices: [NOAUTH_NOPRIV, AUTH_NOPRIV, AUTH_PRIV]
      privacy_protocols:
        description:
          - Supported privacy protocols; order does not matter.
          - API field C(privacyProtocolList).
        type: list
        elements: str
        choices: [PrivAES128, PrivAES192, PrivAES192with3DES, PrivAES256, PrivAES256with3DES, PrivDES, Priv3DES]
      enable_user_authentication:
        description:
          - V(true) needs O(snmp.security_name). Default V(false).
          - API field C(enableUserAuthentication).
        type: bool
      security_name:
        description:
          - Required when O(snmp.enable_user_authentication=true).
          - API field C(securityName).
        type: str
      usm_user_authentication_protocol:
        description:
          - Required with O(snmp.security_level=AUTH_NOPRIV) or V(AUTH_PRIV).
          - API field C(usmUserAuthenticationProtocol).
        type: str
        choices: [AuthMD5, AuthSHA, AuthHMAC128SHA224, AuthHMAC192SHA256, AuthHMAC256SHA384, AuthHMAC384SHA512]
      auth_passphrase:
        description:
          - Secret. Required with O(snmp.security_level=AUTH_NOPRIV) or V(AUTH_PRIV) (when creating, or when
            Apinizer holds none).
          - API field C(authPassphrase).
        type: str
      usm_user_privacy_protocol:
        description:
          - Required with O(snmp.security_level=AUTH_PRIV).
          - API field C(usmUserPrivacyProtocol).
        type: str
        choices: [PrivAES128, PrivAES192, PrivAES192with3DES, PrivAES256, PrivAES256with3DES, PrivDES, Priv3DES]
      priv_passphrase:
        description:
          - Secret. Required with O(snmp.security_level=AUTH_PRIV) (when creating, or when Apinizer holds none).
          - API field C(privPassphrase).
        type: str
  syslog:
    description:
      - A syslog target (Apinizer type C(syslog)).
    type: dict
    suboptions:
      protocol_type:
        description:
          - Default V(TCP).
          - API field C(syslogProtocolType).
        type: str
        choices: [TCP, UDP]
      message_hostname:
        description:
          - Host name written into each message. Some cloud syslog services expect an API key here; the module
            does not treat it as a secret, so set C(no_log) on such a task.
          - API field C(syslogMessageHostname).
        type: str
      server_hostname:
        description:
          - Required on create.
          - API field C(syslogServerHostname).
        type: str
      port:
        description:
          - 1 to 65535, default V(514).
          - API field C(syslogPort).
        type: int
      timeout:
        description:
          - Milliseconds, default V(500).
          - API field C(syslogTimeout).
        type: int
      message_format:
        description:
          - Default V(RFC_3164).
          - API field C(syslogMessageFormat).
        type: str
        choices: [RFC_3164, RFC_5424, RFC_5425]
      app_name:
        description:
          - Default V(Apinizer).
          - API field C(syslogAppName).
        type: str
      facility:
        description:
          - The syslog facility, default V(AUDIT).
          - API field C(syslogFacility).
        type: str
        choices: [KERN, USER, MAIL, DAEMON, AUTH, SYSLOG, LPR, NEWS, UUCP, CRON, AUTHPRIV, FTP, NTP, AUDIT,
                  ALERT, CLOCK, LOCAL0, LOCAL1, LOCAL2, LOCAL3, LOCAL4, LOCAL5, LOCAL6, LOCAL7]
      severity:
        description:
          - Default V(INFORMATIONAL).
          - API field C(syslogSeverity).
        type: str
        choices: [EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFORMATIONAL, DEBUG]
      ssl_enabled:
        description:
          - Default V(false).
          - API field C(syslogSslEnabled).
        type: bool
  webhook:
    description:
      - A webhook (Apinizer type C(webhook)).
    type: dict
    suboptions:
      http_method:
        description:
          - Default V(GET).
          - API field C(httpMethod).
        type: str
        choices: [GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS]
      full_url:
        description:
          - Required on create. The http:// or https:// URL, query string included.
          - API field C(fullUrl).
        type: str
      headers:
        description:
          - Headers sent with each call. The list you give is the whole list; order does not matter.
          - 'Every header value is a secret (it often carries credentials, for example C(Authorization)): masked
            in results and diffs, and never returned by M(apinizer.apiops.apinizer_connection_info).'
          - A header without O(webhook.headers[].value) keeps its stored value (the shape
            M(apinizer.apiops.apinizer_connection_info) returns).
          - API field C(headerList).
        type: list
        elements: dict
        suboptions:
          name:
            description:
              - Header name.
            type: str
            required: true
          value:
            description:
              - Header value. Secret. Leave it out to keep the stored value of the header of that name.
            type: str
      timeout:
        description:
          - B(Seconds), default V(2).
          - API field C(timeout).
        type: int
      connection_pool_max_connection_per_host:
        description:
          - Default V(24).
          - API field C(connectionPoolMaxConnectionPerHost).
        type: int
      connection_pool_max_connection_total:
        description:
          - Default V(48).
          - API field C(connectionPoolMaxConnectionTotal).
        type: int
notes:
  - Documented fields left out. C(keyStoreId) and C(trustStoreId) (kafka) are ids Apinizer derives from
    the names it is given; set O(kafka.key_store_name) and O(kafka.trust_store_name) instead.
  - C(socketReuseAddress), C(socketKeepAlive), C(ioThreads), C(maxConnectionPerHost) and
    C(maxConnectionTotal) of Elasticsearch exist only in Apinizer's older documentation and OpenAPI file,
    not in the current type page. Values stored for them are kept on update.
seealso:
  - module: apinizer.apiops.apinizer_connection_info
    description: Read connections in this module's option shape.
  - name: Apinizer connection endpoints
    description: Connections in the Apinizer Management API reference (one page per type).
    link: https://docs.apinizer.com/
"""

EXAMPLES = r"""
---
- name: SMTP connection for alert mails
  apinizer.apiops.apinizer_connection:
    url: https://apinizer.example.com
    token: "{{ apinizer_token }}"
    project: Demo
    name: smtp-alerts
    email:
      host: smtp.example.com
      port: 587
      enable_start_tls: true
      auth: true
      username: alerts@example.com
      password: "{{ smtp_password }}"
      sender: noreply@example.com
  delegate_to: localhost

- name: Rename it (idempotent; a second run reports ok)
  apinizer.apiops.apinizer_connection:
    project: Demo
    name: smtp-alerts
    new_name: smtp-notifications
    email: {}
  delegate_to: localhost

- name: PostgreSQL connection, password sent only when the connection is created
  apinizer.apiops.apinizer_connection:
    project: Demo
    name: orders-db
    update_secrets: on_create
    database:
      db_type: POSTGRES
      jdbc_url: jdbc:postgresql://db.example.com:5432/orders
      username: orders
      password: "{{ orders_db_password }}"
      max_pool_size: 10
  delegate_to: localhost

- name: Elasticsearch log target with authentication and an index lifecycle policy
  apinizer.apiops.apinizer_connection:
    project: Demo
    name: es-logs
    elasticsearch:
      hosts:
        - {scheme: https, host: es1.example.com, port: 9200}
        - {scheme: https, host: es2.example.com, port: 9200}
      authenticate: true
      username: apinizer
      password: "{{ es_password }}"
      index_lifecycle_policy_created: true
      index_lifecycle_policy:
        enable_hot_phase: true
        max_age_of_rollover: 7
        enable_delete_phase: true
        min_age_of_delete: 30
  delegate_to: localhost

- name: Kafka producer with SASL; sasl.jaas.config is masked everywhere because of its name
  apinizer.apiops.apinizer_connection:
    project: Demo
    name: audit-kafka
    kafka:
      topic_name: apinizer-audit
      properties:
        - {name: bootstrap.servers, value: "kafka1:9092,kafka2:9092"}
        - {name: key.serializer, value: org.apache.kafka.common.serialization.StringSerializer}
        - {name: value.serializer, value: org.apache.kafka.common.serialization.StringSerializer}
        - {name: linger.ms, value: 5, value_type: INTEGER}
        - {name: security.protocol, value: SASL_SSL}
        - name: sasl.jaas.config
          value: >-
            org.apache.kafka.common.security.plain.PlainLoginModule required
            username="apinizer" password="{{ kafka_password }}";
  delegate_to: localhost

- name: Webhook with a secret header, connection and project from module_defaults
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/apinizer.apiops.apinizer:
      url: https://apinizer.example.com
      token: "{{ apinizer_token }}"
      project: Demo
  tasks:
    - name: Alert webhook
      apinizer.apiops.apinizer_connection:
        name: ops-webhook
        webhook:
          http_method: POST
          full_url: https://hooks.example.com/apinizer
          headers:
            - {name: Authorization, value: "Bearer {{ hook_token }}"}
          timeout: 5

    - name: Copy every connection of project Demo to project Staging (secrets stay behind)
      apinizer.apiops.apinizer_connection_info:
      register: demo

    - name: Create them in Staging without their secrets (give them with update_secrets where needed)
      apinizer.apiops.apinizer_connection:
      args: "{{ item | combine({'project': 'Staging'}) }}"
      loop: "{{ demo.connections | rejectattr('name', 'in', demo.secrets_set | dict2items
               | selectattr('value') | map(attribute='key')) }}"
      loop_control:
        label: "{{ item.name }}"

- name: Delete a connection, but only if it is an FTP connection
  apinizer.apiops.apinizer_connection:
    project: Demo
    name: old-ftp
    type: ftp
    state: absent
  delegate_to: localhost
"""

RETURN = r"""
project:
  description: The project of the connection.
  returned: always
  type: str
  sample: Demo
name:
  description: The name of the connection after the task (O(new_name) when renaming).
  returned: always
  type: str
  sample: smtp-alerts
type:
  description: The connection type, as its type dict key.
  returned: when the connection exists or is created
  type: str
  sample: email
before:
  description:
    - The options the task sets (and the name), as Apinizer held them before the task, in this module's
      option shape, with every secret replaced by C(********). With O(state=absent), every option of the
      stored connection.
    - V({}) when the connection did not exist.
  returned: always
  type: dict
  sample: {"name": "smtp-alerts", "email": {"port": 25, "password": "********"}}
after:
  description:
    - The same options after the task (as planned, before Apinizer's own defaults), secrets masked.
    - A secret the task changes shows as C(******** (changed)); one Apinizer does not reveal and that is sent
      anyway (O(update_secrets=always)) as C(******** (sent)). V({}) after a delete.
  returned: always
  type: dict
  sample: {"name": "smtp-alerts", "email": {"port": 587, "password": "******** (changed)"}}
requests:
  description:
    - The write the task makes (in check mode, would make), with every secret in the body masked. Empty when
      nothing differs.
    - C(does) lists what the request does (V(create), V(write), V(replace), V(rename), V(deploy), V(delete)); a
      request that does more than V(write) is never sent twice. When its answer is lost or cannot be trusted,
      the module reads the connection back and reports whether it took effect.
    - An update is a PUT that replaces the whole connection (V(replace)), and Apinizer offers no ETag; the
      module reads the connection again right before the PUT and fails, sending nothing, when someone changed
      it since the plan was made; after the PUT it reads it once more and fails when the stored connection is
      not what it wrote.
  returned: always
  type: list
  elements: dict
  sample: [{"method": "PUT", "path": "/apiops/projects/Demo/connections/smtp-alerts/",
            "body": {"name": "smtp-alerts", "type": "email", "port": 587, "password": "********"},
            "does": ["write", "replace", "deploy"], "repeatable": false}]
deployment:
  description:
    - Apinizer's C(deploymentResult) of the write (deploy to the workers, O(deploy_to_worker)).
  returned: when the module wrote and Apinizer answered with a deploymentResult
  type: dict
  contains:
    success:
      description: Whether the deploy to the workers succeeded.
      type: bool
      sample: true
    details:
      description: Per-environment results, when Apinizer gives them.
      type: list
      elements: dict
      sample: [{"environment": "production", "success": true, "message": "Deployment successful"}]
diff:
  description:
    - RV(before) and RV(after), when run with C(--diff).
  returned: when diff mode is on
  type: dict
  sample: {"before": {"name": "smtp-alerts", "email": {"port": 25}},
           "after": {"name": "smtp-alerts", "email": {"port": 587}}}
api_error:
  description: The failed API call, when the task failed on one.
  returned: on failure of an API call
  type: dict
  contains:
    method:
      description: HTTP method.
      type: str
    path:
      description: Request path.
      type: str
    status:
      description: HTTP status; V(null) when no answer arrived.
      type: int
    message:
      description: Apinizer's message (secrets masked).
      type: str
  sample: {"method": "GET", "path": "/apiops/projects/Dmeo/connections/smtp-alerts/", "status": 404,
           "message": "Project 'Dmeo' not found"}
"""

from ansible_collections.apinizer.apiops.plugins.module_utils._connection import CONNECTION
from ansible_collections.apinizer.apiops.plugins.module_utils._engine import run_module


def main():
    run_module(CONNECTION)


if __name__ == '__main__':  # pragma: no cover
    main()
