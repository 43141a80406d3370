#!/usr/bin/python
# -*- coding: utf-8 -*-
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
    documents (C(activeMq), C(database), C(elasticsearch), C(email), C(ftp), C(graylog), C(kafka),
    C(ldap), C(linux-script), C(logback), C(rabbitMq), C(snmp), C(syslog), C(webhook)).
  - Reads the connection with C(GET /apiops/projects/{project}/connections/{name}/) and compares
    only the options you set. An absent connection is created (C(POST)); a different one is
    updated (C(PUT)); an equal one is left alone, so a run with nothing to change sends no write.
  - Apinizer's C(PUT) replaces the whole connection. The module therefore sends the current
    connection with your options laid over it, so nothing you did not mention is lost. It never
    sends read-only fields back (C(id), C(projectName), and the Kafka C(keyStoreId) and C(trustStoreId)
    that Apinizer derives from the store names).
  - Each type-specific option belongs to the types named in its description ("Used with
    O(type=ftp)"). An option that does not belong to O(type), a missing required field on
    create, or a broken conditional rule (for example O(auth=true) without O(username) and
    O(password)) fails the task before any request.
  - Secrets (passwords, passphrases, keystore and certificate file contents, webhook header
    values) are C(no_log). Apinizer returns them in clear when a connection is read; the module
    compares them and then masks them in every result, diff, warning and error message.
  - Options you do not set are not sent on create, so Apinizer applies its own defaults (given
    in each option's description).
extends_documentation_fragment:
  - apinizer.apiops.api
  - apinizer.apiops.attributes
  - apinizer.apiops.attributes.actiongroup_apinizer
attributes:
  idempotent:
    support: partial
    details:
      - With O(update_secrets=always) the module reports a change whenever Apinizer does not
        return a secret you set (C(null) or masked), because it cannot compare it.
options:
  project:
    description:
      - Name of the Apinizer project that holds the connection (case-sensitive).
    type: str
    required: true
    aliases: [project_name]
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
      - The connection type (Apinizer's discriminator field C(type)), spelled exactly as Apinizer
        spells it.
      - Required when O(state=present). Optional with O(state=absent); when given there, a
        connection of another type is not deleted.
      - Apinizer cannot change the type of an existing connection. A task whose O(type) differs
        from the stored one fails before any write; delete the connection and create it again.
    type: str
    choices: [activeMq, database, elasticsearch, email, ftp, graylog, kafka, ldap, linux-script,
              logback, rabbitMq, snmp, syslog, webhook]
  state:
    description:
      - V(present) creates or updates the connection, V(absent) deletes it.
      - With V(absent) the type-specific options are ignored.
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
    type: str
  enabled:
    description:
      - Whether the connection is enabled (Apinizer's default V(true)).
    type: bool
  deploy_to_worker:
    description:
      - Whether Apinizer deploys the connection to the gateway workers after it is saved
        (Apinizer's field C(deployToWorker), default V(true)).
      - The outcome is returned in RV(deployment). A failed deploy fails the task and says the
        connection itself was saved.
    type: bool

  # ---- shared by several types ------------------------------------------------------------
  host:
    description:
      - Used with O(type=email) (SMTP host, required on create) and O(type=ftp) (FTP/SFTP/FTPS
        server, required on create).
    type: str
  port:
    description:
      - Used with O(type=email) (default V(587)), O(type=ftp) (default V(21); 22 for SFTP, 990 for
        implicit FTPS) and O(type=graylog) (default V(12201)).
    type: int
  username:
    description:
      - Used with O(type=activeMq) (if the broker requires authentication), O(type=database) (required
        when O(use_credentials=true), which is Apinizer's default), O(type=email) (required when
        O(auth=true)), O(type=ftp) (required), O(type=ldap) (bind DN, required) and
        O(type=linux-script) (required).
    type: str
  password:
    description:
      - Secret. Used with O(type=activeMq), O(type=database) (required when O(use_credentials=true)),
        O(type=email) (required when O(auth=true)), O(type=ftp) (required), O(type=ldap) (required)
        and O(type=linux-script) (required).
    type: str
  connect_timeout:
    description:
      - Connect timeout in milliseconds (Apinizer's field C(connectTimeout)).
      - Used with O(type=activeMq) (default V(60000)) and O(type=graylog) (default V(10000)).
    type: int
  retry_count:
    description:
      - Number of retries. Used with O(type=ftp) (default V(3)) and O(type=snmp).
    type: int
  target_timeout:
    description:
      - The type's own C(timeout) field, named O(target_timeout) because O(timeout) is the HTTP
        timeout of the requests to the Apinizer API.
      - Used with O(type=ftp) (milliseconds, default V(30000)), O(type=snmp) (milliseconds) and
        O(type=webhook) (B(seconds), default V(2)).
    type: int

  # ---- activeMq ---------------------------------------------------------------------------
  active_mq_connection_protocol_type:
    description:
      - Used with O(type=activeMq), required on create. V(TCP) (port 61616) or V(AMQP) (port 5672).
    type: str
    choices: [TCP, AMQP]
  broker_url:
    description:
      - Used with O(type=activeMq), required on create (Apinizer's field C(brokerURL)), for example
        V(tcp://broker:61616) or V(amqp://broker:5672), with optional query options.
    type: str
  destination_type:
    description:
      - Used with O(type=activeMq), required on create.
    type: str
    choices: [QUEUE, TOPIC]
  destination_name:
    description:
      - Used with O(type=activeMq), required on create. Name of the queue or topic.
    type: str
  session_acknowledgement:
    description:
      - Used with O(type=activeMq). Apinizer's default V(AUTO_ACKNOWLEDGE).
    type: str
    choices: [AUTO_ACKNOWLEDGE, CLIENT_ACKNOWLEDGE, DUPS_OK_ACKNOWLEDGE, SESSION_TRANSACTED]
  send_timeout:
    description:
      - Used with O(type=activeMq). Milliseconds, default V(60000).
    type: int
  request_timeout:
    description:
      - Used with O(type=activeMq). Milliseconds, default V(60000).
    type: int
  close_timeout:
    description:
      - Used with O(type=activeMq). Milliseconds, default V(60000).
    type: int
  content_type:
    description:
      - Used with O(type=activeMq). Content type set in the message metadata.
    type: str
  client_id:
    description:
      - Used with O(type=activeMq) (Apinizer's field C(clientID)). Needed for durable topic subscriptions.
    type: str
  content_encoding:
    description:
      - Used with O(type=activeMq). Content encoding set in the message metadata.
    type: str

  # ---- database ---------------------------------------------------------------------------
  db_type:
    description:
      - Used with O(type=database), required on create.
    type: str
    choices: [ORACLE, MYSQL, POSTGRES, SQL_SERVER, SYBASE, DB2, APACHE_HIVE, APACHE_IMPALA, MONGODB, TRINO]
  jdbc_url:
    description:
      - Used with O(type=database), required on create, for example V(jdbc:postgresql://db:5432/orders).
    type: str
  use_credentials:
    description:
      - Used with O(type=database). Apinizer's default V(true), which needs O(username) and O(password);
        with V(false) they are not used.
    type: bool
  database_name:
    description:
      - Used with O(type=database).
    type: str
  initial_pool_size:
    description:
      - Used with O(type=database). Default V(1).
    type: int
  min_pool_size:
    description:
      - Used with O(type=database). Default V(1).
    type: int
  max_pool_size:
    description:
      - Used with O(type=database). Default V(5).
    type: int
  increment_count:
    description:
      - Used with O(type=database). Default V(1).
    type: int
  max_statements:
    description:
      - Used with O(type=database). Default V(100).
    type: int
  idle_connection_test_period:
    description:
      - Used with O(type=database). Milliseconds, default V(30000).
    type: int
  connection_timeout:
    description:
      - Used with O(type=database). Milliseconds, default V(30000).
    type: int
  test_connection_on_checkout:
    description:
      - Used with O(type=database). Default V(true).
    type: bool
  test_connection_on_checkin:
    description:
      - Used with O(type=database). Default V(false).
    type: bool
  max_connection_age:
    description:
      - Used with O(type=database). Milliseconds, default V(180000).
    type: int
  max_idle_time:
    description:
      - Used with O(type=database). Milliseconds, default V(120000).
    type: int
  selected_environment_id:
    description:
      - Used with O(type=database) and O(type=ldap). Id of the environment the connection is limited to.
    type: str
  default_log_schema:
    description:
      - Used with O(type=database) when it is a log target. Default schema of the log tables.
    type: str
  log_table_schema_overrides:
    description:
      - Used with O(type=database) when it is a log target. Schema per log table, overriding
        O(default_log_schema). The tables you list are the whole map.
    type: dict
    suboptions: &log_tables
      api_proxy_traffic:
        description: Table C(ApiProxyTraffic).
        type: str
      policy_capture:
        description: Table C(PolicyCapture).
        type: str
      audit_event:
        description: Table C(AuditEvent).
        type: str
      application:
        description: Table C(Application).
        type: str
      unsent_message:
        description: Table C(UnsentMessage).
        type: str
      token_traffic:
        description: Table C(TokenTraffic).
        type: str
  log_table_name_overrides:
    description:
      - Used with O(type=database) when it is a log target. Table name per log table. The tables you
        list are the whole map.
    type: dict
    suboptions: *log_tables

  # ---- elasticsearch ----------------------------------------------------------------------
  administrate:
    description:
      - Used with O(type=elasticsearch). Let Apinizer manage indices, templates and policies. Default V(false).
    type: bool
  elastic_host_list:
    description:
      - Used with O(type=elasticsearch), required on create (at least one host). Compared in order.
    type: list
    elements: dict
    suboptions:
      scheme:
        description: URL scheme (Apinizer's default V(http)).
        type: str
        choices: [http, https]
      host:
        description: Host name or IP address.
        type: str
        required: true
      port:
        description: Port (Apinizer's default V(9200)).
        type: int
  authenticate:
    description:
      - Used with O(type=elasticsearch). V(true) needs O(elastic_username) and O(elastic_password). Default V(false).
    type: bool
  elastic_username:
    description:
      - Used with O(type=elasticsearch). Required when O(authenticate=true).
    type: str
  elastic_password:
    description:
      - Secret. Used with O(type=elasticsearch). Required when O(authenticate=true).
    type: str
  encrypt_communication:
    description:
      - Used with O(type=elasticsearch). V(true) needs O(encrypt_communication_type) and its file. Default V(false).
    type: bool
  encrypt_communication_type:
    description:
      - Used with O(type=elasticsearch). Required when O(encrypt_communication=true).
      - V(CA_CERTIFICATE_IN_PKCS_12) needs O(ca_cert_in_pkcs12_file), V(CA_IN_PEM_FILE) needs
        O(ca_in_pem_file), V(CERT_AND_PRIVATE_KEY_IN_PKCS_12) needs O(ca_keystore_file) and
        O(ca_keystore_file_pass).
    type: str
    choices: [CA_CERTIFICATE_IN_PKCS_12, CA_IN_PEM_FILE, CERT_AND_PRIVATE_KEY_IN_PKCS_12]
  ca_cert_in_pkcs12_file:
    description:
      - Secret. Used with O(type=elasticsearch). Base64 content of the CA certificate in a PKCS#12 file
        (for example C("{{ lookup('file', 'ca.p12.b64') }}")).
    type: str
  ca_cert_in_pkcs12_file_content_type:
    description:
      - Used with O(type=elasticsearch). Default V(application/x-pkcs12).
    type: str
  ca_in_pem_file:
    description:
      - Secret. Used with O(type=elasticsearch). Base64 content of the CA certificate PEM file.
    type: str
  ca_in_pem_file_content_type:
    description:
      - Used with O(type=elasticsearch). Default V(application/x-pem-file).
    type: str
  ca_truststore_file:
    description:
      - Secret. Used with O(type=elasticsearch). Base64 content of the CA truststore file.
    type: str
  ca_truststore_file_content_type:
    description:
      - Used with O(type=elasticsearch). Default V(application/x-pkcs12).
    type: str
  ca_truststore_file_pass:
    description:
      - Secret. Used with O(type=elasticsearch). Password of the truststore file.
    type: str
  ca_keystore_file:
    description:
      - Secret. Used with O(type=elasticsearch). Base64 content of the PKCS#12 keystore with the
        certificate and private key. Requires O(ca_keystore_file_pass).
    type: str
  ca_keystore_file_content_type:
    description:
      - Used with O(type=elasticsearch). Default V(application/x-pkcs12).
    type: str
  ca_keystore_file_pass:
    description:
      - Secret. Used with O(type=elasticsearch). Password of the keystore file.
    type: str
  disable_hostname_verification:
    description:
      - Used with O(type=elasticsearch). Default V(false); not recommended in production.
    type: bool
  index_lifecycle_policy_created:
    description:
      - Used with O(type=elasticsearch). Create an index lifecycle policy; V(true) needs
        O(index_lifecycle_policy). Default V(false).
    type: bool
  index_lifecycle_policy:
    description:
      - Used with O(type=elasticsearch). The index lifecycle policy; at least one phase must be enabled.
      - Only the suboptions you set are compared and changed; the others keep their current values.
    type: dict
    suboptions:
      policy_name:
        description: Policy name (Apinizer's default V(apinizer-log-ilm-policy-default)).
        type: str
      enable_hot_phase:
        description: Enable the hot phase.
        type: bool
      max_age_of_rollover:
        description: Maximum age before rollover, in days.
        type: int
      max_index_size_of_rollover:
        description: Maximum index size before rollover, in GB.
        type: int
      max_doc_count_of_rollover:
        description: Maximum document count before rollover.
        type: int
      enable_warm_phase:
        description: Enable the warm phase.
        type: bool
      number_of_replicas_for_warm:
        description: Number of replicas in the warm phase.
        type: int
      max_num_shards_for_shrink:
        description: Maximum number of shards after shrink.
        type: int
      max_num_segments_for_force_merge:
        description: Maximum number of segments after force merge.
        type: int
      enable_cold_phase:
        description: Enable the cold phase.
        type: bool
      min_age_of_cold:
        description: Minimum age for the cold phase, in days.
        type: int
      number_of_replicas_for_cold:
        description: Number of replicas in the cold phase.
        type: int
      enable_delete_phase:
        description: Enable the delete phase.
        type: bool
      min_age_of_delete:
        description: Minimum age for the delete phase, in days.
        type: int
  index_template_created:
    description:
      - Used with O(type=elasticsearch). Create an index template; V(true) needs O(index_template_name).
        Default V(false).
    type: bool
  index_template_name:
    description:
      - Used with O(type=elasticsearch). Required when O(index_template_created=true).
    type: str
  index_name:
    description:
      - Used with O(type=elasticsearch). Index name (pattern).
    type: str
  index_template_number_of_shards:
    description:
      - Used with O(type=elasticsearch).
    type: int
  index_template_number_of_replicas:
    description:
      - Used with O(type=elasticsearch).
    type: int
  index_template_refresh_interval:
    description:
      - Used with O(type=elasticsearch), for example V(1s).
    type: str
  connection_timeout_in_ms:
    description:
      - Used with O(type=elasticsearch). Milliseconds, default V(5000).
    type: int
  bulk_buffer_capacity:
    description:
      - Used with O(type=elasticsearch). Default V(50000).
    type: int
  bulk_flush_interval_ms:
    description:
      - Used with O(type=elasticsearch). Milliseconds, default V(100).
    type: int
  bulk_max_batch_size:
    description:
      - Used with O(type=elasticsearch). Default V(2500).
    type: int
  elasticsearch_type:
    description:
      - Used with O(type=elasticsearch) (Apinizer's field C(elasticsearchType); older releases called it
        C(type), which collides with the discriminator). Default V(READ_WRITE).
    type: str
    choices: [READ_WRITE, READ]
  elasticsearch_major_version:
    description:
      - Used with O(type=elasticsearch). Default V(AUTO_DETECT).
    type: str
    choices: [AUTO_DETECT, ES_7, ES_8, ES_9]

  # ---- email ------------------------------------------------------------------------------
  enable_start_tls:
    description:
      - Used with O(type=email). Default V(false).
    type: bool
  auth:
    description:
      - Used with O(type=email). SMTP authentication; V(true) needs O(username) and O(password). Default V(false).
    type: bool
  default_encoding:
    description:
      - Used with O(type=email). Default V(UTF-8).
    type: str
  address_to_test:
    description:
      - Used with O(type=email). Recipient address for connection tests.
    type: str
  from:
    description:
      - Used with O(type=email). Default sender address (Apinizer's field C(from)).
    type: str
    aliases: [from_address]
  additional_properties:
    description:
      - Used with O(type=email). Extra mail session properties. The list you give is the whole list;
        order does not matter.
    type: list
    elements: dict
    suboptions:
      key:
        description: Property name, for example V(mail.smtp.ssl.trust).
        type: str
        required: true
      value:
        description: Property value.
        type: str

  # ---- ftp --------------------------------------------------------------------------------
  working_dir:
    description:
      - Used with O(type=ftp). Default V(/).
    type: str
  protocol:
    description:
      - Used with O(type=ftp), required on create. V(FTPS) needs exactly one of O(use_implicit) and
        O(use_explicit) set to V(true).
    type: str
    choices: [FTP, SFTP, FTPS]
  use_implicit:
    description:
      - Used with O(type=ftp). Implicit FTPS. Mutually exclusive with O(use_explicit). Default V(false).
    type: bool
  use_explicit:
    description:
      - Used with O(type=ftp). Explicit FTPS. Mutually exclusive with O(use_implicit). Default V(false).
    type: bool
  ssl_protocol:
    description:
      - Used with O(type=ftp), for example V(TLSv1.2).
    type: str

  # ---- graylog ----------------------------------------------------------------------------
  hostname:
    description:
      - Used with O(type=graylog), required on create. Graylog server host.
    type: str
  transport_type:
    description:
      - Used with O(type=graylog). Default V(TCP).
    type: str
    choices: [TCP, UDP]
  tls_enabled:
    description:
      - Used with O(type=graylog). Default V(false).
    type: bool
  tls_cert_verification_enabled:
    description:
      - Used with O(type=graylog). V(true) needs O(tls_trust_cert_chain_file). Default V(false).
    type: bool
  compression_type:
    description:
      - Used with O(type=graylog). Default V(NONE).
    type: str
    choices: [NONE, GZIP, ZLIB]
  gelf_message_level:
    description:
      - Used with O(type=graylog). Default V(INFO).
    type: str
    choices: [EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG]
  queue_size:
    description:
      - Used with O(type=graylog). Default V(512).
    type: int
  reconnect_delay:
    description:
      - Used with O(type=graylog). Milliseconds, default V(2500).
    type: int
  tcp_no_delay:
    description:
      - Used with O(type=graylog). Default V(true).
    type: bool
  tcp_keep_alive:
    description:
      - Used with O(type=graylog). Default V(false).
    type: bool
  send_buffer_size:
    description:
      - Used with O(type=graylog). Bytes; default V(-1), the operating system's default.
    type: int
  max_inflight_sends:
    description:
      - Used with O(type=graylog). Default V(512).
    type: int
  threads:
    description:
      - Used with O(type=graylog). Default V(0), Apinizer's default thread count.
    type: int
  tls_trust_cert_chain_file:
    description:
      - Secret. Used with O(type=graylog). Base64 content of the trusted certificate chain file.
    type: str
  tls_trust_cert_chain_file_name:
    description:
      - Used with O(type=graylog). File name of O(tls_trust_cert_chain_file).
    type: str
  append_to_attributes:
    description:
      - Used with O(type=graylog). Default V(true).
    type: bool
  append_to_message:
    description:
      - Used with O(type=graylog). Default V(true).
    type: bool

  # ---- kafka ------------------------------------------------------------------------------
  topic_name:
    description:
      - Used with O(type=kafka), required on create.
    type: str
  properties_map:
    description:
      - Used with O(type=kafka), required on create. Kafka producer properties, as a dict from property
        name to a dict with C(value) (sent as a string) and C(value_type) (one of V(STRING), V(BOOLEAN),
        V(INTEGER), V(LONG), V(DOUBLE), V(FLOAT), V(STRING_LIST), V(URI)).
      - Must hold C(bootstrap.servers), C(key.serializer) and C(value.serializer). The map you give is
        the whole map.
      - Property values are not treated as secrets. If one carries credentials (for example
        C(sasl.jaas.config)), set C(no_log) on the task.
    type: dict
  enable_secure:
    description:
      - Used with O(type=kafka). V(true) needs O(protocol_types) and O(key_store_name). Default V(false).
    type: bool
  protocol_types:
    description:
      - Used with O(type=kafka). Allowed TLS/SSL protocol versions; order does not matter.
    type: list
    elements: str
    choices: [TLS_1_3, TLS_1_2, TLS_1_1, TLS_1_0, SSL_3_0]
  key_store_name:
    description:
      - Used with O(type=kafka). Name of the key store (Apinizer stores its id and reports C(keyStoreId);
        when it does not report the name, a change to this option alone is not detected).
    type: str
  trust_store_name:
    description:
      - Used with O(type=kafka). Name of the trust store.
    type: str

  # ---- ldap -------------------------------------------------------------------------------
  server_address:
    description:
      - Used with O(type=ldap), required on create, for example V(ldaps://ldap.example.com:636).
    type: str
  require_certificate_type:
    description:
      - Used with O(type=ldap). Default V(NOT_REQUIRED).
    type: str
    choices: [NOT_REQUIRED, REQUIRED_CN, REQUIRED_AN_PN]
  custom_filter:
    description:
      - Used with O(type=ldap). Search filter; C({0}) stands for the user name searched.
    type: str
  search_scope:
    description:
      - Used with O(type=ldap). Default V(SUBTREE).
    type: str
    choices: [OBJECT, ONE_LEVEL, SUBTREE]
  base_dn:
    description:
      - Used with O(type=ldap), required on create.
    type: str
  certificate_id:
    description:
      - Used with O(type=ldap). Id of the certificate used to verify the LDAP server.
      - When a task changes O(certificate_id) without setting O(certificate_name), the stored name is
        left out of the update (and the other way round), so the two cannot point at different certificates.
    type: str
  certificate_name:
    description:
      - Used with O(type=ldap). Name of the certificate used to verify the LDAP server (usually the easier
        way to reference it).
    type: str
  use_ssl:
    description:
      - Used with O(type=ldap). Default V(false).
    type: bool

  # ---- linux-script -----------------------------------------------------------------------
  host_name:
    description:
      - Used with O(type=linux-script), required on create (Apinizer's field C(hostName)).
    type: str
  ssh_port:
    description:
      - Used with O(type=linux-script). Default V(22).
    type: int

  # ---- logback ----------------------------------------------------------------------------
  log_path:
    description:
      - Used with O(type=logback). Default V(/path/to/logs/). Apinizer adds a trailing C(/); the module
        does the same before comparing.
    type: str
  log_file_name:
    description:
      - Used with O(type=logback). Default V(ApinizerApiProxyTraffic). Apinizer strips a leading C(/); the
        module does the same before comparing.
    type: str
  log_pod_name:
    description:
      - Used with O(type=logback). V("") (the default) lets Apinizer fill in the host name, so V("")
        matches any current value.
    type: str
  log_filename_pattern:
    description:
      - Used with O(type=logback). Default V(%d{yyyy-MM-dd}.%i.log).
    type: str
  log_pattern:
    description:
      - Used with O(type=logback). Default V(%d{yyyy-MM-dd HH:mm:ss.SSS}[%m]%n).
    type: str
  max_file_size:
    description:
      - Used with O(type=logback). Megabytes, default V(25).
    type: int
  max_history:
    description:
      - Used with O(type=logback). Default V(0), unbounded.
    type: int
  total_size_cap:
    description:
      - Used with O(type=logback). Gigabytes, default V(0), unbounded.
    type: int

  # ---- rabbitMq ---------------------------------------------------------------------------
  host_port_list:
    description:
      - Used with O(type=rabbitMq), required on create (at least one host). Compared in order.
    type: list
    elements: dict
    suboptions:
      host:
        description: Host name (Apinizer's default V(localhost)).
        type: str
      port:
        description: Port (Apinizer's default V(5672); 5671 for AMQPS).
        type: int
  connection_factory_virtual_host:
    description:
      - Used with O(type=rabbitMq). Default V(/).
    type: str
  authentication_enabled:
    description:
      - Used with O(type=rabbitMq). V(true) needs O(connection_factory_username) and
        O(connection_factory_password). Default V(false).
    type: bool
  connection_factory_username:
    description:
      - Used with O(type=rabbitMq). Required when O(authentication_enabled=true).
    type: str
  connection_factory_password:
    description:
      - Secret. Used with O(type=rabbitMq). Required when O(authentication_enabled=true).
    type: str
  connection_factory_connection_timeout:
    description:
      - Used with O(type=rabbitMq). Milliseconds, default V(60000).
    type: int
  connection_factory_client_properties:
    description:
      - Used with O(type=rabbitMq). Client properties sent to the broker, as free key/value pairs. The map
        you give is the whole map.
    type: dict
  connection_factory_requested_channel_max:
    description:
      - Used with O(type=rabbitMq). Default V(2047).
    type: int
  connection_factory_requested_frame_max:
    description:
      - Used with O(type=rabbitMq). Bytes; default V(0), unlimited.
    type: int
  connection_factory_requested_heartbeat:
    description:
      - Used with O(type=rabbitMq). Seconds, default V(60).
    type: int
  connection_factory_use_ssl_protocol:
    description:
      - Used with O(type=rabbitMq). Default V(false).
    type: bool
  connection_factory_ssl_protocol:
    description:
      - Used with O(type=rabbitMq). Default V(TLSv1.2).
    type: str
  channel_exchange:
    description:
      - Used with O(type=rabbitMq). Default V(""), the default exchange.
    type: str
  channel_routing_key:
    description:
      - Used with O(type=rabbitMq). Routing key.
    type: str
  basic_properties_app_id:
    description:
      - Used with O(type=rabbitMq). Default V(apinizer).
    type: str
  basic_properties_content_type:
    description:
      - Used with O(type=rabbitMq). Default V(application/json).
    type: str
  basic_properties_content_encoding:
    description:
      - Used with O(type=rabbitMq).
    type: str
  basic_properties_delivery_mode:
    description:
      - Used with O(type=rabbitMq). V(1) non-persistent, V(2) persistent.
    type: int
    choices: [1, 2]
  basic_properties_priority:
    description:
      - Used with O(type=rabbitMq). Message priority from 0 to 255.
    type: int
  basic_properties_reply_to:
    description:
      - Used with O(type=rabbitMq).
    type: str
  basic_properties_expiration:
    description:
      - Used with O(type=rabbitMq). Message TTL in milliseconds, as a string (for example V("60000")).
    type: str
  basic_properties_type:
    description:
      - Used with O(type=rabbitMq).
    type: str
  basic_properties_user_id:
    description:
      - Used with O(type=rabbitMq).
    type: str
  basic_properties_cluster_id:
    description:
      - Used with O(type=rabbitMq).
    type: str

  # ---- snmp -------------------------------------------------------------------------------
  version:
    description:
      - Used with O(type=snmp), required on create (Apinizer shows V(V1) as its default).
    type: str
    choices: [V1, V2c, V3]
  connection_string:
    description:
      - Used with O(type=snmp), required on create. C(protocol:host/port), for example V(udp:192.168.1.2/162).
    type: str
  security_or_community_name:
    description:
      - Used with O(type=snmp), required on create. Community (V1, V2c) or security name (V3).
    type: str
  message_type:
    description:
      - Used with O(type=snmp).
    type: str
    choices: [TRAP, INFORM]
  pdu_oid_for_message:
    description:
      - Used with O(type=snmp), required on create. OID of the message content.
    type: str
  pdu_oid_for_time:
    description:
      - Used with O(type=snmp). OID of the time stamp.
    type: str
  pdu_variable_map:
    description:
      - Used with O(type=snmp). Extra PDU variables as a dict from OID to value. The map you give is the
        whole map.
    type: dict
  security_level:
    description:
      - Used with O(type=snmp) V3. V(AUTH_NOPRIV) needs O(usm_user_authentication_protocol) and
        O(auth_passphrase); V(AUTH_PRIV) also needs O(usm_user_privacy_protocol) and O(priv_passphrase).
    type: str
    choices: [NOAUTH_NOPRIV, AUTH_NOPRIV, AUTH_PRIV]
  privacy_protocol_list:
    description:
      - Used with O(type=snmp) V3. Supported privacy protocols; order does not matter.
    type: list
    elements: str
    choices: [PrivAES128, PrivAES192, PrivAES192with3DES, PrivAES256, PrivAES256with3DES, PrivDES, Priv3DES]
  enable_user_authentication:
    description:
      - Used with O(type=snmp) V3 (USM). V(true) needs O(security_name). Default V(false).
    type: bool
  security_name:
    description:
      - Used with O(type=snmp) V3. Required when O(enable_user_authentication=true).
    type: str
  usm_user_authentication_protocol:
    description:
      - Used with O(type=snmp) V3. Required with O(security_level=AUTH_NOPRIV) or V(AUTH_PRIV).
    type: str
    choices: [AuthMD5, AuthSHA, AuthHMAC128SHA224, AuthHMAC192SHA256, AuthHMAC256SHA384, AuthHMAC384SHA512]
  auth_passphrase:
    description:
      - Secret. Used with O(type=snmp) V3. Required with O(security_level=AUTH_NOPRIV) or V(AUTH_PRIV).
    type: str
  usm_user_privacy_protocol:
    description:
      - Used with O(type=snmp) V3. Required with O(security_level=AUTH_PRIV).
    type: str
    choices: [PrivAES128, PrivAES192, PrivAES192with3DES, PrivAES256, PrivAES256with3DES, PrivDES, Priv3DES]
  priv_passphrase:
    description:
      - Secret. Used with O(type=snmp) V3. Required with O(security_level=AUTH_PRIV).
    type: str

  # ---- syslog -----------------------------------------------------------------------------
  syslog_protocol_type:
    description:
      - Used with O(type=syslog). Default V(TCP).
    type: str
    choices: [TCP, UDP]
  syslog_message_hostname:
    description:
      - Used with O(type=syslog). Host name written into each message. Some cloud syslog services expect
        an API key here; the module does not treat it as a secret, so set C(no_log) on such a task.
    type: str
  syslog_server_hostname:
    description:
      - Used with O(type=syslog), required on create.
    type: str
  syslog_port:
    description:
      - Used with O(type=syslog). Default V(514).
    type: int
  syslog_timeout:
    description:
      - Used with O(type=syslog), TCP only. Milliseconds, default V(500).
    type: int
  syslog_message_format:
    description:
      - Used with O(type=syslog). Default V(RFC_3164).
    type: str
    choices: [RFC_3164, RFC_5424, RFC_5425]
  syslog_app_name:
    description:
      - Used with O(type=syslog). Default V(Apinizer).
    type: str
  syslog_message_facility:
    description:
      - Used with O(type=syslog). The syslog facility (Apinizer's field C(syslogFacility)), default V(AUDIT).
      - Named O(syslog_message_facility) because C(syslog_facility) is reserved by Ansible.
    type: str
    choices: [KERN, USER, MAIL, DAEMON, AUTH, SYSLOG, LPR, NEWS, UUCP, CRON, AUTHPRIV, FTP, NTP, AUDIT, ALERT,
              CLOCK, LOCAL0, LOCAL1, LOCAL2, LOCAL3, LOCAL4, LOCAL5, LOCAL6, LOCAL7]
  syslog_severity:
    description:
      - Used with O(type=syslog). Default V(INFORMATIONAL).
    type: str
    choices: [EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFORMATIONAL, DEBUG]
  syslog_ssl_enabled:
    description:
      - Used with O(type=syslog), TCP only. Default V(false).
    type: bool

  # ---- webhook ----------------------------------------------------------------------------
  http_method:
    description:
      - Used with O(type=webhook). Default V(GET).
    type: str
    choices: [GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS]
  full_url:
    description:
      - Used with O(type=webhook), required on create. The http(s) URL, query string included.
    type: str
  header_list:
    description:
      - Used with O(type=webhook). Headers sent with each call. The list you give is the whole list; order
        does not matter.
    type: list
    elements: dict
    suboptions:
      name:
        description: Header name.
        type: str
        required: true
      value:
        description: Header value. Secret (it often carries credentials, for example C(Authorization)).
        type: str
        required: true
  connection_pool_max_connection_per_host:
    description:
      - Used with O(type=webhook). Default V(24).
    type: int
  connection_pool_max_connection_total:
    description:
      - Used with O(type=webhook). Default V(48).
    type: int
notes:
  - Documented fields left out. C(keyStoreId) and C(trustStoreId) (kafka) are ids Apinizer derives from
    the names it is given; set O(key_store_name) and O(trust_store_name) instead.
  - C(socketReuseAddress), C(socketKeepAlive), C(ioThreads), C(maxConnectionPerHost) and
    C(maxConnectionTotal) of Elasticsearch exist only in Apinizer's older documentation and OpenAPI file,
    not in the current type page. Values stored for them are kept on update.
seealso:
  - name: Apinizer connection endpoints
    description: Connections in the Apinizer Management API reference (one page per type).
    link: https://docs.apinizer.com/
"""

EXAMPLES = r"""
- name: SMTP connection for alert mails
  apinizer.apiops.apinizer_connection:
    url: https://apinizer.example.com
    token: "{{ apinizer_token }}"
    project: Demo
    name: smtp-alerts
    type: email
    host: smtp.example.com
    port: 587
    enable_start_tls: true
    auth: true
    username: alerts@example.com
    password: "{{ smtp_password }}"
    from: noreply@example.com
  delegate_to: localhost

- name: Rename it (idempotent; a second run reports ok)
  apinizer.apiops.apinizer_connection:
    project: Demo
    name: smtp-alerts
    new_name: smtp-notifications
    type: email
  delegate_to: localhost

- name: PostgreSQL connection, password sent only when the connection is created
  apinizer.apiops.apinizer_connection:
    project: Demo
    name: orders-db
    type: database
    db_type: POSTGRES
    jdbc_url: jdbc:postgresql://db.example.com:5432/orders
    username: orders
    password: "{{ orders_db_password }}"
    max_pool_size: 10
    update_secrets: on_create
  delegate_to: localhost

- name: Elasticsearch log target with authentication and an index lifecycle policy
  apinizer.apiops.apinizer_connection:
    project: Demo
    name: es-logs
    type: elasticsearch
    elastic_host_list:
      - {scheme: https, host: es1.example.com, port: 9200}
      - {scheme: https, host: es2.example.com, port: 9200}
    authenticate: true
    elastic_username: apinizer
    elastic_password: "{{ es_password }}"
    index_lifecycle_policy_created: true
    index_lifecycle_policy:
      enable_hot_phase: true
      max_age_of_rollover: 7
      enable_delete_phase: true
      min_age_of_delete: 30
  delegate_to: localhost

- name: Kafka producer connection
  apinizer.apiops.apinizer_connection:
    project: Demo
    name: audit-kafka
    type: kafka
    topic_name: apinizer-audit
    properties_map:
      bootstrap.servers: {value: "kafka1:9092,kafka2:9092", value_type: STRING}
      key.serializer: {value: org.apache.kafka.common.serialization.StringSerializer, value_type: STRING}
      value.serializer: {value: org.apache.kafka.common.serialization.StringSerializer, value_type: STRING}
  delegate_to: localhost

- name: Webhook with a secret header, connection options from module_defaults
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/apinizer.apiops.apinizer:
      url: https://apinizer.example.com
      token: "{{ apinizer_token }}"
  tasks:
    - name: Alert webhook
      apinizer.apiops.apinizer_connection:
        project: Demo
        name: ops-webhook
        type: webhook
        http_method: POST
        full_url: https://hooks.example.com/apinizer
        header_list:
          - {name: Authorization, value: "Bearer {{ hook_token }}"}
        target_timeout: 5

- name: Delete a connection
  apinizer.apiops.apinizer_connection:
    project: Demo
    name: old-ftp
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
  description: The connection type.
  returned: when the connection exists or is created
  type: str
  sample: email
before:
  description:
    - The options the task sets (and the name), as Apinizer held them before the task, with every secret
      replaced by C(********). With O(state=absent), every option of the stored connection.
    - V({}) when the connection did not exist.
  returned: always
  type: dict
  sample: {"name": "smtp-alerts", "port": 25, "password": "********"}
after:
  description:
    - The same options after the task (as planned, before Apinizer's own defaults), secrets masked.
    - A secret the task changes shows as C(******** (changed)); one Apinizer does not reveal and that is sent
      anyway (O(update_secrets=always)) as C(******** (sent)). V({}) after a delete.
  returned: always
  type: dict
  sample: {"name": "smtp-alerts", "port": 587, "password": "******** (changed)"}
requests:
  description:
    - The write the task makes (in check mode, would make), with every secret in the body masked. Empty when
      nothing differs.
    - C(does) lists what the request does (V(create), V(write), V(rename), V(deploy), V(delete)); a request that
      does more than V(write) is never sent twice. When its answer is lost, the module reads the connection
      back and reports whether it took effect.
  returned: always
  type: list
  elements: dict
  sample: [{"method": "PUT", "path": "/apiops/projects/Demo/connections/smtp-alerts/",
            "body": {"name": "smtp-alerts", "type": "email", "port": 587, "password": "********"},
            "does": ["write", "deploy"], "repeatable": false}]
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
  sample: {"before": {"name": "smtp-alerts", "port": 25}, "after": {"name": "smtp-alerts", "port": 587}}
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

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.apinizer.apiops.plugins.module_utils._connection import (
    CONNECTION_MODULE_OPTIONS,
    ConnectionModule,
    connection_module_spec,
)


def main():
    module = AnsibleModule(argument_spec=connection_module_spec(), **CONNECTION_MODULE_OPTIONS)
    ConnectionModule(module).run()


if __name__ == '__main__':  # pragma: no cover
    main()
