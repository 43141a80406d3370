# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""The settings sections of an API proxy: one table of Fields per section.

Each setting is one line here: its option name, the API field behind it, its argument spec
entry, its range and how it is compared. The settings module that manages a section reads its
argument spec, its option <-> API map and its checks from the section; apinizer_proxy_info
reports the section in the same option names, so it can be fed back unchanged.
"""

from __future__ import annotations

from ansible_collections.apinizer.apiops.plugins.module_utils._fields import (
    Field,
    api_names,
    argument_spec,
    boolean,
    integer,
    text,
    text_list,
)

BODY_READ_BEHAVIORS = ['ALWAYS_READ', 'READ_IF_POLICY_EXISTS', 'NEVER_READ']


def _count(api, minimum=0):
    """Counts and durations cannot be negative."""
    return Field(api, integer(), minimum=minimum)


class Section:
    """One settings section of an API proxy and the module that manages it."""

    def __init__(self, name, module, location, fields, proxy_type=None):
        self.name = name                # key of the section in apinizer_proxy_info's result
        self.module = module            # the module that manages the section
        self.location = location        # key of _proxy_state.SECTION_LOCATIONS
        self.fields = fields            # option -> Field (api None: an option of the module alone)
        self.proxy_type = proxy_type    # the only proxy type the section exists for; None: every type
        self.api_names = api_names(fields)  # option -> API field name
        self.unordered = tuple(field.api for field in fields.values() if field.unordered)

    def argument_spec(self):
        """The module's own options (a fresh copy)."""
        return argument_spec(self.fields)

    def choices(self, option):
        field = self.fields.get(option)
        return field.spec.get('choices') if field else None


MAINTENANCE_MODE = Section('maintenance_mode', 'apinizer_maintenance_mode', 'maintenance', dict(
    enabled=Field('enabled', boolean()),
    http_status_code=Field('httpStatusCode', integer(), minimum=100, maximum=599, range_text='an HTTP status code'),
    content_type=Field('contentType', text()),
    maintenance_message=Field('message', dict(type='raw')),
))

METADATA = Section('metadata', 'apinizer_proxy_metadata', 'metadata', dict(
    new_name=Field('name', text()),
    description=Field('description', text()),
    categories=Field('categoryList', text_list(), compare='set', not_blank=True),
    sharing_type=Field('sharingType', text(choices=['BOTH', 'NONE', 'EXTERNAL', 'INTERNAL'])),
    request_body_read_behavior=Field('requestBodyReadBehavior', text(choices=BODY_READ_BEHAVIORS)),
    response_body_read_behavior=Field('responseBodyReadBehavior', text(choices=BODY_READ_BEHAVIORS)),
    direction=Field('direction', text(choices=['REQUEST_RESPONSE', 'REQUEST_ONLY', 'RESPONSE_ONLY'])),
    disable_direct_access_to_gateways=Field('disableDirectAccessToGateways', boolean()),
    global_api_proxy_setting_name=Field('globalApiProxySettingName', text()),
    backend_proxy_apply_policies=Field('backendProxyApplyPolicies', boolean()),
    fix_soap_api_port_type=Field('fixSoapApiPortType', boolean(), proxy_type='SOAP'),
))

CONNECTION = Section('connection', 'apinizer_proxy_connection', 'connection', dict(
    connection_settings_enabled=Field('connectionSettingsEnabled', boolean()),
    connect_timeout=_count('connectTimeout'),
    read_timeout=_count('readTimeout'),
    connection_request_timeout=_count('connectionRequestTimeout'),
    redirects_enabled=Field('redirectsEnabled', boolean()),
    max_redirects=_count('maxRedirects'),
    relative_redirects_allowed=Field('relativeRedirectsAllowed', boolean()),
    disable_content_compression=Field('disableContentCompression', boolean()),
    enable_streaming=Field('enableStreaming', boolean()),
    retry_count=_count('retryCount'),
    failover_retry_count=_count('failoverRetryCount'),
    ignore_routing_error=Field('ignoreRoutingError', boolean()),
    connection_pool_management_type=Field('connectionPoolManagementType', text(choices=['GENERAL', 'CUSTOM', 'NONE'])),
    # A pool of its own holds at least one connection.
    custom_connection_pool_size=_count('customConnectionPoolSize', minimum=1),
    validate_after_inactivity=_count('validateAfterInactivity'),
    idle_connection_timeout=_count('idleConnectionTimeout'),
    query_encoding_mode=Field('queryEncodingMode', text(choices=['STANDARD', 'RFC3986', 'PASSTHROUGH'])),
    hop_by_hop_headers=Field('hopByHopHeaders', text_list(), compare='set', not_blank=True),
    send_user_agent_to_backend=Field('sendUserAgentToBackend', boolean()),
    user_agent_value=Field('userAgentValue', text()),
    do_not_route_zero_value_content_length=Field('doNotRouteZeroValueContentLength', boolean()),
    enable_download=Field('enableDownload', boolean()),
    use_byte_array_for_compressed_response=Field('useByteArrayForCompressedResponse', boolean()),
))

WEBSOCKET = Section('websocket', 'apinizer_proxy_websocket', 'websocket', dict(
    connection_lost_timeout=_count('connectionLostTimeout'),
    reuse_addr=Field('reuseAddr', boolean()),
    connect_timeout=_count('connectTimeout'),
    max_retries=_count('maxRetries'),
    retry_delay=_count('retryDelay'),
    auto_reconnect=Field('autoReconnect', boolean()),
    auto_reconnect_max_retries=_count('autoReconnectMaxRetries'),
    auto_reconnect_retry_delay=_count('autoReconnectRetryDelay'),
    # How the module shapes its PATCH body, not a setting: it has no API field.
    request_format=Field(None, text(choices=['wrapped', 'flat'], default='wrapped')),
), proxy_type='WEBSOCKET')

SECTIONS = (MAINTENANCE_MODE, METADATA, CONNECTION, WEBSOCKET)
