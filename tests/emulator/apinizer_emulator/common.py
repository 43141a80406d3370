# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Constants, errors, the proxy settings field specs and small helpers shared by the emulator modules."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re

# tests/emulator/: the launcher script, seed.json and connection_types.json
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_TOKEN = 'apinizer-demo-token'
DEFAULT_SEED = os.path.join(HERE, 'seed.json')
TYPES_FILE = os.path.join(HERE, 'connection_types.json')
STYLES = ('seed', 'newer')
PROXY_DETAILS = ('full', 'documented')
JSON_CONTENT_TYPE = 'application/json;charset=UTF-8'
MAX_BODY_BYTES = 16 * 1024 * 1024
# What the emulated server writes into a logback connection's empty logPodName.
EMULATED_HOSTNAME = 'apinizer-emulator'
# lastDeployTime of a seeded deployment that does not give one.
SEED_DEPLOY_TIME = '2026-07-01T10:00:00.000Z'

INT32 = (-2 ** 31, 2 ** 31 - 1)
INT64 = (-2 ** 63, 2 ** 63 - 1)

PROXY_TYPES = ('REST', 'SOAP', 'GRPC', 'WEBSOCKET', 'AI')
ENVIRONMENT_TYPES = ('PRODUCTION', 'SANDBOX', 'TEST')
ENVIRONMENT_STATUSES = ('UNPUBLISHED', 'PUBLISHED', 'REPUBLISH_REQUIRED')
SHARING_TYPES = ('BOTH', 'NONE', 'EXTERNAL', 'INTERNAL')
# sharingType values a GET may report (newer docs' GET example) that the PATCH does not take.
SEED_ONLY_SHARING_TYPES = ('PROJECT', 'ORGANIZATION', 'PUBLIC')
BODY_READ_BEHAVIORS = ('ALWAYS_READ', 'READ_IF_POLICY_EXISTS', 'NEVER_READ')
DIRECTIONS = ('REQUEST_RESPONSE', 'REQUEST_ONLY', 'RESPONSE_ONLY')
POOL_TYPES = ('GENERAL', 'CUSTOM', 'NONE')
QUERY_ENCODING_MODES = ('STANDARD', 'RFC3986', 'PASSTHROUGH')

DEPLOY_OK = 'Deployment successful'
UNDEPLOY_OK = 'Undeployment successful'
# A deploy history record's description when the deploy or undeploy body gives none (Apinizer's defaults),
# and the one of the deploy a rollback with environmentName makes (our choice).
DEPLOY_DESCRIPTION = 'Deployed by APIOPS Api'
UNDEPLOY_DESCRIPTION = 'Undeployed by APIOPS Api'
ROLLBACK_DESCRIPTION = 'Rolled back to deploy history revision (%d)'
# The user of every deploy history record the emulator writes (there is one token and no user).
HISTORY_USERNAME = 'admin'
DEFAULT_BACKEND_API_VERSION = '1.0.0'
# Deploy history records kept per API proxy (--history-limit); persistent records are never pruned.
DEFAULT_HISTORY_LIMIT = 50
# Gateway (worker) pods per environment (--pods, or "pods" of a seeded environment), and the most allowed.
DEFAULT_PODS = 2
MAX_PODS = 64
# The gateway root context route-health reports (Apinizer reads it from the Manager's GeneralSettings).
ROOT_CONTEXT = '/apigateway'
CUSTOM_POOL_MESSAGE = 'Custom connection pool size is required when connectionPoolManagementType is CUSTOM'


def _spec(kind, default=None, **extra):
    """One field of a proxy settings body: kind int|bool|str|enum|str_list, its default and limits."""
    spec = dict(kind=kind, default=default)
    spec.update(extra)
    return spec


# ---- the proxy settings endpoints' fields (seeds 000-003 and the newer docs) -------------------

WEBSOCKET_FIELDS = {
    'connectionLostTimeout': _spec('int', 60, min=0),
    'reuseAddr': _spec('bool', False),
    'connectTimeout': _spec('int', 30, min=0),
    'maxRetries': _spec('int', 3, min=0),
    'retryDelay': _spec('int', 1000, min=0),
    'autoReconnect': _spec('bool', False),
    'autoReconnectMaxRetries': _spec('int', 5, min=0),
    'autoReconnectRetryDelay': _spec('int', 2000, min=0),
}

CONNECTION_SETTINGS_FIELDS = {
    # the 14 of seed 001
    'connectionSettingsEnabled': _spec('bool', False),
    'connectTimeout': _spec('int', 30, min=0),
    'readTimeout': _spec('int', 60, min=0),
    'connectionRequestTimeout': _spec('int', 30, min=0),
    'redirectsEnabled': _spec('bool', True),
    'maxRedirects': _spec('int', 50, min=0),
    'relativeRedirectsAllowed': _spec('bool', True),
    'disableContentCompression': _spec('bool', False),
    'enableStreaming': _spec('bool', False),
    'retryCount': _spec('int', 0, min=0),
    'failoverRetryCount': _spec('int', 0, min=0),
    'ignoreRoutingError': _spec('bool', False),
    'connectionPoolManagementType': _spec('enum', 'GENERAL', enum=POOL_TYPES),
    'customConnectionPoolSize': _spec('int', None, min=1, nullable=True),
    # the 9 the newer docs add
    'validateAfterInactivity': _spec('int', 2000, min=0),
    'idleConnectionTimeout': _spec('int', 30, min=0),
    # "STANDARD (default; also when omitted/null)"
    'queryEncodingMode': _spec('enum', 'STANDARD', enum=QUERY_ENCODING_MODES, nullable=True, null_means='STANDARD'),
    'hopByHopHeaders': _spec('str_list', []),
    'sendUserAgentToBackend': _spec('bool', True),
    'userAgentValue': _spec('str', None, nullable=True),
    'doNotRouteZeroValueContentLength': _spec('bool', False),
    'enableDownload': _spec('bool', False),
    'useByteArrayForCompressedResponse': _spec('bool', False),
}

METADATA_FIELDS = {
    'name': _spec('str', None, nonempty=True),
    'description': _spec('str', ''),
    'categoryList': _spec('str_list', []),
    'sharingType': _spec('enum', 'BOTH', enum=SHARING_TYPES),
    'requestBodyReadBehavior': _spec('enum', 'ALWAYS_READ', enum=BODY_READ_BEHAVIORS),
    'responseBodyReadBehavior': _spec('enum', 'ALWAYS_READ', enum=BODY_READ_BEHAVIORS),
    'direction': _spec('enum', 'REQUEST_RESPONSE', enum=DIRECTIONS),
    'disableDirectAccessToGateways': _spec('bool', False),
    'globalApiProxySettingName': _spec('str', None, nullable=True),
    'backendProxyApplyPolicies': _spec('bool', False),
    'fixSoapApiPortType': _spec('bool', False),
}

MAINTENANCE_FIELDS = {
    'enabled': _spec('bool', False),
    'httpStatusCode': _spec('int', 403, min=100, max=599),
    'contentType': _spec('str', 'application/json; charset=utf-8'),
    'message': _spec('str', 'API is under maintenance'),
}

DEPLOY_FIELDS = {
    'deploy': _spec('bool', False),
    'deployTargetEnvironmentNameList': _spec('str_list', []),
}

# What a deploy history record keeps of the proxy it deployed (with the deploy list and the name left out):
# every metadata field but the name, the route, the endpoints, routing (connection and websocket settings)
# and maintenance mode. A rollback restores these.
DEFINITION_FIELDS = tuple(field for field in METADATA_FIELDS if field != 'name') + (
    'clientRoute', 'endpointList', 'routing', 'maintenanceModeSetting')

DEPLOY_REQUEST_FIELDS = {
    'description': _spec('str', None),
    'persistent': _spec('bool', False),
}

FAULT_FIELDS = ('method', 'path', 'count', 'status', 'body', 'content_type', 'retry_after', 'delay', 'drop', 'after_apply')

# What GET API proxy answers under --proxy-detail documented: the fields Apinizer's get-api-proxy page lists.
DOCUMENTED_PROXY_FIELDS = ('name', 'description', 'apiType', 'categoryList', 'sharingType', 'clientRoute', 'routing',
                           'endpointList', 'deploymentList')
DOCUMENTED_ROUTING_FIELDS = ('routingEnabled', 'routingAddressList')

PASSPHRASE_HEADER = 'X-Apinizer-Package-Passphrase'
NO_PERMISSION = 'User does not have required permission for this operation!'


# ---- errors ----------------------------------------------------------------------------------

class ApiError(Exception):
    """An answer other than success: status, human text, and the error-A code of the seed style."""

    def __init__(self, status, message, code=None, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or {400: 'bad_request', 401: 'unauthorized_client', 403: 'forbidden',
                             404: 'not_found', 405: 'method_not_allowed', 413: 'bad_request',
                             500: 'server_error'}.get(status, 'bad_request')
        self.headers = headers or {}


class NotFound(ApiError):
    """Something named in the path does not exist: 404 or 400 by endpoint and API style."""

    def __init__(self, message, seed_status=404):
        super().__init__(seed_status, message)
        self.seed_status = seed_status


class SeedError(Exception):
    """A seed that cannot be loaded; the text names the place in the seed."""


def bad(message):
    return ApiError(400, message)


def json_type(value):
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'boolean'
    if isinstance(value, int):
        return 'integer'
    if isinstance(value, float):
        return 'number'
    if isinstance(value, str):
        return 'string'
    if isinstance(value, list):
        return 'array'
    return 'object'


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def quoted(names):
    return ', '.join('"%s"' % name for name in names)


def check_unknown(body, known, where=''):
    unknown = [key for key in body if key not in known]
    if unknown:
        label = 'field' if len(unknown) == 1 else 'fields'
        names = quoted(where + key for key in unknown)
        raise bad('Unrecognized %s %s%s' % (label, names, '' if where else ' in this request'))


def check_field(name, value, spec):
    """Validate one value of a proxy settings body against its spec; answer the value to store."""
    if value is None:
        if spec.get('nullable'):
            return spec.get('null_means')
        raise bad('Field "%s" must not be null' % name)
    kind = spec['kind']
    if kind == 'bool':
        if not isinstance(value, bool):
            raise bad('Field "%s" must be a boolean, got %s' % (name, json_type(value)))
    elif kind == 'int':
        if not is_int(value):
            raise bad('Field "%s" must be an integer, got %s' % (name, json_type(value)))
        low, high = spec.get('min', INT32[0]), spec.get('max', INT32[1])
        if value < max(low, INT32[0]) or value > min(high, INT32[1]):
            raise bad('Field "%s" must be from %d to %d, got %d' % (name, max(low, INT32[0]), min(high, INT32[1]), value))
    elif kind == 'str':
        if not isinstance(value, str):
            raise bad('Field "%s" must be a string, got %s' % (name, json_type(value)))
        if spec.get('nonempty') and not value.strip():
            raise bad('Field "%s" must not be empty' % name)
    elif kind == 'enum':
        if not isinstance(value, str):
            raise bad('Field "%s" must be a string, got %s' % (name, json_type(value)))
        if value not in spec['enum']:
            raise bad('Field "%s" must be one of %s, got "%s"' % (name, ', '.join(spec['enum']), value))
    elif kind == 'str_list':
        if not isinstance(value, list):
            raise bad('Field "%s" must be an array of strings, got %s' % (name, json_type(value)))
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise bad('Field "%s[%d]" must be a string, got %s' % (name, index, json_type(item)))
        value = list(value)
    else:  # pragma: no cover - a programming error
        raise AssertionError(kind)
    return value


def check_bool_query(query, name):
    """A boolean query parameter: true, false or absent (None)."""
    value = query.get(name)
    if value is not None and value not in ('true', 'false'):
        raise bad('Query parameter "%s" must be true or false' % name)
    return None if value is None else value == 'true'


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z')


def stable_id(*parts):
    """A 24-hex id (like Apinizer's Mongo ids) that stays the same for the same names."""
    return hashlib.sha1('\x00'.join(parts).encode('utf-8')).hexdigest()[:24]


def slug(name):
    return re.sub(r'[^A-Za-z0-9]+', '-', name).strip('-').lower() or 'api'


def file_name(name):
    """A name made safe for a file: every character outside [A-Za-z0-9._-] becomes '_'."""
    return re.sub(r'[^A-Za-z0-9._-]', '_', name)


class Download:
    """A binary answer sent as an attachment (the export package)."""

    def __init__(self, filename, data):
        self.filename = filename
        self.data = data


def parse_json(raw):
    def no_duplicates(pairs):
        result = {}
        for key, value in pairs:
            if key in result:
                raise ValueError('duplicate field "%s"' % key)
            result[key] = value
        return result

    def no_constants(name):
        raise ValueError('%s is not JSON' % name)

    return json.loads(raw.decode('utf-8'), object_pairs_hook=no_duplicates, parse_constant=no_constants)
