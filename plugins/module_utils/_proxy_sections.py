# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""The settings sections of an API proxy: the one table per section.

Each section's option names, their argument spec and the API field behind each option live
here, and only here: the settings module that manages a section and apinizer_proxy_info,
which reports the section in that module's option names so it can be fed back unchanged,
both import them.
"""

from __future__ import annotations

# apinizer_maintenance_mode -----------------------------------------------------------------

MAINTENANCE_MODE_SPEC = dict(
    enabled=dict(type='bool'),
    http_status_code=dict(type='int'),
    content_type=dict(type='str'),
    maintenance_message=dict(type='raw'),
)

MAINTENANCE_MODE_FIELDS = dict(
    enabled='enabled',
    http_status_code='httpStatusCode',
    content_type='contentType',
    maintenance_message='message',
)

# apinizer_proxy_metadata -------------------------------------------------------------------

BODY_READ_BEHAVIORS = ['ALWAYS_READ', 'READ_IF_POLICY_EXISTS', 'NEVER_READ']

METADATA_SPEC = dict(
    new_name=dict(type='str'),
    description=dict(type='str'),
    categories=dict(type='list', elements='str'),
    sharing_type=dict(type='str', choices=['BOTH', 'NONE', 'EXTERNAL', 'INTERNAL']),
    request_body_read_behavior=dict(type='str', choices=BODY_READ_BEHAVIORS),
    response_body_read_behavior=dict(type='str', choices=BODY_READ_BEHAVIORS),
    direction=dict(type='str', choices=['REQUEST_RESPONSE', 'REQUEST_ONLY', 'RESPONSE_ONLY']),
    disable_direct_access_to_gateways=dict(type='bool'),
    global_api_proxy_setting_name=dict(type='str'),
    backend_proxy_apply_policies=dict(type='bool'),
    fix_soap_api_port_type=dict(type='bool'),
)

METADATA_FIELDS = dict(
    new_name='name',
    description='description',
    categories='categoryList',
    sharing_type='sharingType',
    request_body_read_behavior='requestBodyReadBehavior',
    response_body_read_behavior='responseBodyReadBehavior',
    direction='direction',
    disable_direct_access_to_gateways='disableDirectAccessToGateways',
    global_api_proxy_setting_name='globalApiProxySettingName',
    backend_proxy_apply_policies='backendProxyApplyPolicies',
    fix_soap_api_port_type='fixSoapApiPortType',
)

# apinizer_proxy_connection -----------------------------------------------------------------

CONNECTION_SPEC = dict(
    connection_settings_enabled=dict(type='bool'),
    connect_timeout=dict(type='int'),
    read_timeout=dict(type='int'),
    connection_request_timeout=dict(type='int'),
    redirects_enabled=dict(type='bool'),
    max_redirects=dict(type='int'),
    relative_redirects_allowed=dict(type='bool'),
    disable_content_compression=dict(type='bool'),
    enable_streaming=dict(type='bool'),
    retry_count=dict(type='int'),
    failover_retry_count=dict(type='int'),
    ignore_routing_error=dict(type='bool'),
    connection_pool_management_type=dict(type='str', choices=['GENERAL', 'CUSTOM', 'NONE']),
    custom_connection_pool_size=dict(type='int'),
    validate_after_inactivity=dict(type='int'),
    idle_connection_timeout=dict(type='int'),
    query_encoding_mode=dict(type='str', choices=['STANDARD', 'RFC3986', 'PASSTHROUGH']),
    hop_by_hop_headers=dict(type='list', elements='str'),
    send_user_agent_to_backend=dict(type='bool'),
    user_agent_value=dict(type='str'),
    do_not_route_zero_value_content_length=dict(type='bool'),
    enable_download=dict(type='bool'),
    use_byte_array_for_compressed_response=dict(type='bool'),
)

# Counts and durations cannot be negative; a pool of its own holds at least one connection.
CONNECTION_MINIMUMS = dict(
    connect_timeout=0, read_timeout=0, connection_request_timeout=0, max_redirects=0, retry_count=0,
    failover_retry_count=0, custom_connection_pool_size=1, validate_after_inactivity=0, idle_connection_timeout=0,
)

CONNECTION_FIELDS = dict(
    connection_settings_enabled='connectionSettingsEnabled',
    connect_timeout='connectTimeout',
    read_timeout='readTimeout',
    connection_request_timeout='connectionRequestTimeout',
    redirects_enabled='redirectsEnabled',
    max_redirects='maxRedirects',
    relative_redirects_allowed='relativeRedirectsAllowed',
    disable_content_compression='disableContentCompression',
    enable_streaming='enableStreaming',
    retry_count='retryCount',
    failover_retry_count='failoverRetryCount',
    ignore_routing_error='ignoreRoutingError',
    connection_pool_management_type='connectionPoolManagementType',
    custom_connection_pool_size='customConnectionPoolSize',
    validate_after_inactivity='validateAfterInactivity',
    idle_connection_timeout='idleConnectionTimeout',
    query_encoding_mode='queryEncodingMode',
    hop_by_hop_headers='hopByHopHeaders',
    send_user_agent_to_backend='sendUserAgentToBackend',
    user_agent_value='userAgentValue',
    do_not_route_zero_value_content_length='doNotRouteZeroValueContentLength',
    enable_download='enableDownload',
    use_byte_array_for_compressed_response='useByteArrayForCompressedResponse',
)

# apinizer_proxy_websocket ------------------------------------------------------------------

# request_format is how the module shapes its PATCH body, not a setting: it has no API field.
WEBSOCKET_SPEC = dict(
    connection_lost_timeout=dict(type='int'),
    reuse_addr=dict(type='bool'),
    connect_timeout=dict(type='int'),
    max_retries=dict(type='int'),
    retry_delay=dict(type='int'),
    auto_reconnect=dict(type='bool'),
    auto_reconnect_max_retries=dict(type='int'),
    auto_reconnect_retry_delay=dict(type='int'),
    request_format=dict(type='str', choices=['wrapped', 'flat'], default='wrapped'),
)

WEBSOCKET_MINIMUMS = dict(
    connection_lost_timeout=0, connect_timeout=0, max_retries=0, retry_delay=0, auto_reconnect_max_retries=0,
    auto_reconnect_retry_delay=0,
)

WEBSOCKET_FIELDS = dict(
    connection_lost_timeout='connectionLostTimeout',
    reuse_addr='reuseAddr',
    connect_timeout='connectTimeout',
    max_retries='maxRetries',
    retry_delay='retryDelay',
    auto_reconnect='autoReconnect',
    auto_reconnect_max_retries='autoReconnectMaxRetries',
    auto_reconnect_retry_delay='autoReconnectRetryDelay',
)


class Section:
    """One settings section: its key in apinizer_proxy_info's result and where its table is."""

    def __init__(self, key, module, location, spec, fields, proxy_types=None, applies_to=None):
        self.key = key                  # key of the section in apinizer_proxy_info's result
        self.module = module            # the module that manages the section
        self.location = location        # key of _proxy_state.SECTION_LOCATIONS
        self.spec = spec                # the module's own options (argument spec)
        self.fields = fields            # option name -> API field name
        self.proxy_types = proxy_types  # the proxy types the section exists for; None: every type
        self.applies_to = applies_to or {}  # option -> the only proxy type it may be set on

    def choices(self, option):
        return self.spec.get(option, {}).get('choices')


SECTIONS = (
    Section('maintenance_mode', 'apinizer_maintenance_mode', 'maintenance', MAINTENANCE_MODE_SPEC,
            MAINTENANCE_MODE_FIELDS),
    Section('metadata', 'apinizer_proxy_metadata', 'metadata', METADATA_SPEC, METADATA_FIELDS,
            applies_to=dict(fix_soap_api_port_type='SOAP')),
    Section('connection', 'apinizer_proxy_connection', 'connection', CONNECTION_SPEC, CONNECTION_FIELDS),
    Section('websocket', 'apinizer_proxy_websocket', 'websocket', WEBSOCKET_SPEC, WEBSOCKET_FIELDS,
            proxy_types=('WEBSOCKET',)),
)
