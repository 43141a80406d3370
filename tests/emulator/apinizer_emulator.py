# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stateful emulator of the Apinizer Management API (/apiops) for tests, demos and rehearsals.

    python tests/emulator/apinizer_emulator.py --port PORT [--host 127.0.0.1] [--token TOKEN]
        [--seed FILE.json] [--tls-cert C --tls-key K] [--api-style seed|newer] [--quiet]
        [--proxy-detail full|documented] [--deny-export] [--latency-ms N] [--deploy-latency-ms N]

The first line of stdout is the base URL (without /apiops); it then serves until SIGTERM or
SIGINT. Standard library only. docs/emulator.md describes the options, the endpoints, the export
package, the seed format, the admin endpoints (/_emulator/...), fault injection, holding requests
(POST /_emulator/holds, to drive concurrent clients in a chosen order), latency and the choices
made where Apinizer's documentation is silent.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import copy
import datetime
import hashlib
import http.server
import io
import ipaddress
import json
import os
import re
import signal
import socket
import ssl
import sys
import threading
import time
import traceback
import zipfile
from urllib.parse import parse_qs, unquote

HERE = os.path.dirname(os.path.abspath(__file__))
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
        super(ApiError, self).__init__(message)
        self.status = status
        self.message = message
        self.code = code or {400: 'bad_request', 401: 'unauthorized_client', 403: 'forbidden',
                             404: 'not_found', 405: 'method_not_allowed', 413: 'bad_request',
                             500: 'server_error'}.get(status, 'bad_request')
        self.headers = headers or {}


class NotFound(ApiError):
    """Something named in the path does not exist: 404 or 400 by endpoint and API style."""

    def __init__(self, message, seed_status=404):
        super(NotFound, self).__init__(seed_status, message)
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


class Download(object):
    """A binary answer sent as an attachment (the export package)."""

    def __init__(self, filename, data):
        self.filename = filename
        self.data = data


# ---- connection types (connection_types.json) ------------------------------------------------

class ConnectionSchema(object):
    """Validation and defaults of the 14 connection types, read from connection_types.json."""

    def __init__(self, data):
        self.common = data['common']
        self.read_only = data.get('readOnly', {})
        self.types = data['types']

    @classmethod
    def load(cls, path=TYPES_FILE):
        with open(path, encoding='utf-8') as handle:
            return cls(json.load(handle))

    def type_names(self):
        return list(self.types)

    def secrets(self, connection_type):
        return [name for name, spec in self.types[connection_type]['fields'].items() if spec.get('secret')]

    # values --------------------------------------------------------------------------------

    def _value(self, path, value, spec):
        """Check a non-null value against a field schema; answer it normalised (objects completed)."""
        kind = spec['type']
        if kind == 'boolean':
            if not isinstance(value, bool):
                raise bad('Field "%s" must be a boolean, got %s' % (path, json_type(value)))
        elif kind in ('integer', 'long'):
            if not is_int(value):
                raise bad('Field "%s" must be an integer, got %s' % (path, json_type(value)))
            low, high = INT32 if kind == 'integer' else INT64
            low, high = max(low, spec.get('min', low)), min(high, spec.get('max', high))
            if not low <= value <= high:
                raise bad('Field "%s" must be from %d to %d, got %d' % (path, low, high, value))
        elif kind in ('string', 'base64'):
            if not isinstance(value, str):
                raise bad('Field "%s" must be a string, got %s' % (path, json_type(value)))
            if kind == 'base64':
                try:
                    base64.b64decode(value.encode('ascii'), validate=True)
                except (binascii.Error, ValueError, UnicodeEncodeError):
                    raise bad('Field "%s" must be base64-encoded file content' % path)
            if 'pattern' in spec and not re.search(spec['pattern'], value):
                raise bad('Field "%s" has an invalid format: "%s"' % (path, value))
        elif kind == 'scalar':
            if not isinstance(value, (str, int, float, bool)):
                raise bad('Field "%s" must be a string, number or boolean, got %s' % (path, json_type(value)))
        elif kind == 'array':
            if not isinstance(value, list):
                raise bad('Field "%s" must be an array, got %s' % (path, json_type(value)))
            if len(value) < spec.get('minItems', 0):
                raise bad('Field "%s" must hold at least %d item(s)' % (path, spec['minItems']))
            value = [self._nullable_item('%s[%d]' % (path, index), item, spec['items'])
                     for index, item in enumerate(value)]
        elif kind == 'object':
            if not isinstance(value, dict):
                raise bad('Field "%s" must be an object, got %s' % (path, json_type(value)))
            value = self._object(path, value, spec)
        elif kind == 'map':
            if not isinstance(value, dict):
                raise bad('Field "%s" must be an object, got %s' % (path, json_type(value)))
            if 'keys' in spec:
                unknown = [key for key in value if key not in spec['keys']]
                if unknown:
                    raise bad('Field "%s" has unknown key(s) %s; allowed: %s'
                              % (path, quoted(unknown), ', '.join(spec['keys'])))
            missing = [key for key in spec.get('requiredKeys', ()) if key not in value]
            if missing:
                raise bad('Field "%s" must hold %s' % (path, quoted(missing)))
            value = dict((key, self._nullable_item('%s.%s' % (path, key), item, spec['values']))
                         for key, item in value.items())
        else:  # pragma: no cover - a schema error
            raise AssertionError(kind)
        if 'enum' in spec and value not in spec['enum']:
            raise bad('Field "%s" must be one of %s, got %s'
                      % (path, ', '.join(str(item) for item in spec['enum']), json.dumps(value)))
        return value

    def _nullable_item(self, path, value, spec):
        if value is None:
            raise bad('Field "%s" must not be null' % path)
        return self._value(path, value, spec)

    def _object(self, path, value, spec):
        check_unknown(value, spec['fields'], path + '.')
        result = {}
        for name, member in spec['fields'].items():
            item = value.get(name)
            if item is None:
                if member.get('required'):
                    raise bad('Field "%s.%s" is required' % (path, name))
                result[name] = copy.deepcopy(member.get('default'))
            else:
                result[name] = self._value('%s.%s' % (path, name), item, member)
        self._rules(path + '.', result, spec.get('rules', ()))
        return result

    @staticmethod
    def _is_set(value):
        return value is not None and value != '' and value != [] and value != {}

    def _rules(self, prefix, values, rules):
        for rule in rules:
            condition = rule.get('if')
            if condition:
                current = values.get(condition['field'])
                if condition.get('present'):
                    applies = self._is_set(current)
                    shown = '%s%s is set' % (prefix, condition['field'])
                else:
                    applies = any(current is option if isinstance(option, bool) else
                                  (current == option and not isinstance(current, bool)) for option in condition['in'])
                    shown = '%s%s is %s' % (prefix, condition['field'], json.dumps(current))
            else:
                applies, shown = True, None
            if not applies:
                continue
            missing = [name for name in rule.get('require', ()) if not self._is_set(values.get(name))]
            if missing:
                plural = len(missing) > 1
                shown_missing = quoted(prefix + name for name in missing)
                raise bad('Field%s %s %s required when %s'
                          % ('s' if plural else '', shown_missing, 'are' if plural else 'is', shown))
            names = rule.get('exactlyOneTrue') or rule.get('atMostOneTrue') or rule.get('atLeastOneTrue')
            if names:
                true_count = sum(1 for name in names if values.get(name) is True)
                if 'exactlyOneTrue' in rule and true_count != 1:
                    raise bad('Exactly one of %s must be true when %s' % (quoted(prefix + n for n in names), shown))
                if 'atMostOneTrue' in rule and true_count > 1:
                    raise bad('%s are mutually exclusive: set at most one to true' % quoted(prefix + n for n in names))
                if 'atLeastOneTrue' in rule and true_count < 1:
                    raise bad('At least one of %s must be true' % quoted(prefix + n for n in names))

    # whole connections -----------------------------------------------------------------------

    def build(self, project_name, body, previous=None):
        """The connection to store from a create (previous None) or replace (PUT) body.

        Every field the body omits (or sends as null) takes the type's default, except a secret:
        on a replacement an omitted secret keeps the stored value. Read-only fields are accepted
        and recomputed. Raises ApiError(400) naming the first problem.
        """
        connection_type = body.get('type')
        spec = self.types[connection_type]
        fields = spec['fields']
        read_only = dict(self.read_only)
        read_only.update(spec.get('readOnly', {}))
        check_unknown(body, list(self.common) + list(fields) + list(read_only))
        given_project = body.get('projectName')
        if given_project is not None and given_project != project_name:
            raise bad('Field "projectName" must be the project of the path (%s), got %s'
                      % (project_name, json.dumps(given_project)))

        result = {'type': connection_type, 'name': body['name']}
        for name in ('description', 'deployToWorker', 'enabled'):
            result[name] = self._field(name, body.get(name), self.common[name])
        result['projectName'] = project_name
        for name, field in fields.items():
            value = body.get(name)
            if value is None and field.get('secret') and previous is not None:
                result[name] = previous.get(name)
                continue
            result[name] = self._field(name, value, field)
        for name, field in spec.get('readOnly', {}).items():
            source = result.get(field['from'])
            result[name] = stable_id(connection_type, field['from'], source) if source else None

        missing = [name for name, field in fields.items() if field.get('required') and not self._is_set(result[name])]
        if missing:
            raise bad('Field%s %s %s required for a connection of type %s'
                      % ('s' if len(missing) > 1 else '', quoted(missing),
                         'are' if len(missing) > 1 else 'is', connection_type))
        self._rules('', result, spec.get('rules', ()))
        return result

    def _field(self, name, value, field):
        if value is None:
            value = copy.deepcopy(field.get('default'))
            if value is None:
                return None
        else:
            value = self._value(name, value, field)
        normalize = field.get('normalize')
        if normalize == 'trailingSlash' and value and not value.endswith('/'):
            value += '/'
        elif normalize == 'stripLeadingSlash':
            value = value.lstrip('/')
        elif normalize == 'emptyToHostname' and value == '':
            value = EMULATED_HOSTNAME
        return value

    def masked(self, connection):
        """The connection as a list shows it: every secret field null."""
        shown = dict(connection)
        for name in self.secrets(connection['type']):
            shown[name] = None
        return shown


# ---- holds (POST /_emulator/holds) ----------------------------------------------------------------

class _Waiter(object):
    """One held request: `released` lets it go on; its `handled` lets the one caught after it go on."""

    __slots__ = ('released', 'handled', 'previous')

    def __init__(self, previous):
        self.released = threading.Event()
        self.handled = threading.Event()
        self.previous = previous


class Holds(object):
    """Requests stopped before they are handled until a test releases them, to drive interleavings.

    Its own lock, never the emulator's, so that a held request blocks no other client.
    """

    FIELDS = ('method', 'path', 'count', 'timeout')
    RELEASE_FIELDS = ('count',)
    RELEASE_PATH = re.compile(r'/_emulator/holds/([0-9]{1,18})/release')
    MAX_TIMEOUT = 600
    # How long a reset waits for the requests it released to be handled, so that they land in the
    # log and state of the test that made them, not in those of the next one.
    RESET_SETTLE = 10

    def __init__(self):
        self.lock = threading.Lock()
        self.holds = []
        self.counter = 0

    def add(self, body):
        if not isinstance(body, dict):
            raise bad('a hold must be a JSON object')
        check_unknown(body, self.FIELDS)
        if not isinstance(body.get('path'), str):
            raise bad('Field "path" (a regular expression) is required')
        try:
            pattern = re.compile(body['path'])
        except re.error as exc:
            raise bad('Field "path" is not a valid regular expression: %s' % exc)
        method = body.get('method')
        if method is not None and not isinstance(method, str):
            raise bad('Field "method" must be a string')
        count = body.get('count', 1)
        if not is_int(count) or count < 1:
            raise bad('Field "count" must be a positive integer')
        timeout = body.get('timeout', 60)
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= self.MAX_TIMEOUT:
            raise bad('Field "timeout" must be a number of seconds above 0, at most %d' % self.MAX_TIMEOUT)
        with self.lock:
            self.counter += 1
            hold = {'id': self.counter, 'method': method.upper() if method else None, 'path': body['path'],
                    'remaining': count, 'timeout': timeout, 'caught': 0, 'released': 0, 'timed_out': 0,
                    'regex': pattern, 'queue': [], 'last': None}
            self.holds.append(hold)
            return self.view(hold)

    @staticmethod
    def view(hold):
        view = dict((key, value) for key, value in hold.items() if key not in ('regex', 'queue', 'last'))
        view['waiting'] = len(hold['queue'])
        return view

    def views(self):
        with self.lock:
            return [self.view(hold) for hold in self.holds]

    def release(self, hold_id, body):
        if body is not None and not isinstance(body, dict):
            raise bad('a release must be a JSON object')
        check_unknown(body or {}, self.RELEASE_FIELDS)
        count = (body or {}).get('count')
        if count is not None and (not is_int(count) or count < 1):
            raise bad('Field "count" must be a positive integer')
        with self.lock:
            for hold in self.holds:
                if hold['id'] == hold_id:
                    self._let_go(hold, len(hold['queue']) if count is None else count)
                    return self.view(hold)
        raise ApiError(404, 'No hold %d' % hold_id)

    def clear(self, settle=0):
        """Release every waiting request and remove every hold; wait up to settle s for them to be handled."""
        with self.lock:
            holds, self.holds = self.holds, []
            waiters = [waiter for hold in holds for waiter in hold['queue']]
            for hold in holds:
                self._let_go(hold, len(hold['queue']))
        deadline = time.monotonic() + settle
        for waiter in waiters:
            waiter.handled.wait(max(0, deadline - time.monotonic()))
        return {'cleared': len(holds), 'released': len(waiters)}

    @staticmethod
    def _let_go(hold, count):
        freed = hold['queue'][:count]
        del hold['queue'][:count]
        hold['released'] += len(freed)
        for waiter in freed:
            waiter.released.set()
        return len(freed)

    def wait(self, method, path, raw_path):
        """Block a request that a hold catches until it is released or times out; answer its _Waiter, or None.

        The caller must set the waiter's `handled` once the request is handled, whatever happens: the
        request caught after it waits for that, so requests released together are handled in the order
        they arrived.
        """
        with self.lock:
            for hold in self.holds:
                if hold['remaining'] > 0 and (not hold['method'] or hold['method'] == method) \
                        and (hold['regex'].search(path) or hold['regex'].search(raw_path)):
                    break
            else:
                return None
            hold['remaining'] -= 1
            hold['caught'] += 1
            waiter = _Waiter(hold['last'])
            hold['last'] = waiter
            hold['queue'].append(waiter)
        if not waiter.released.wait(hold['timeout']):
            with self.lock:
                if waiter in hold['queue']:
                    # The older ones' time is up as well: releasing them too keeps "release the oldest n" true.
                    hold['timed_out'] += self._let_go(hold, hold['queue'].index(waiter) + 1)
        if waiter.previous is not None:
            waiter.previous.handled.wait()
            waiter.previous = None
        return waiter


# ---- state -----------------------------------------------------------------------------------

def _new_deployment():
    return {'deployed': False, 'redeployRequired': False, 'revision': None, 'lastDeployTime': None}


class Emulator(object):
    """The emulated server's state and the API operations on it; every operation under one lock."""

    def __init__(self, seed, token=DEFAULT_TOKEN, style='seed', schema=None, proxy_detail='full', deny_export=False,
                 latency_ms=0, deploy_latency_ms=0):
        self.lock = threading.RLock()
        self.token = token
        self.style = style
        self.proxy_detail = proxy_detail
        self.deny_export = deny_export
        self.latency = latency_ms / 1000.0
        self.deploy_latency = deploy_latency_ms / 1000.0
        # deploys and undeploys to one environment done by the request that holds the lock
        self.deploys = 0
        self.schema = schema or ConnectionSchema.load()
        self.start_seed = copy.deepcopy(seed)
        self.projects = self.load_seed(seed)
        self.requests = []
        self.faults = []
        self.fault_counter = 0
        self.holds = Holds()

    # seeds -----------------------------------------------------------------------------------

    def load_seed(self, seed):
        """The projects of a seed object, fully validated; raises SeedError naming the place."""
        if not isinstance(seed, dict):
            raise SeedError('the seed must be a JSON object, got %s' % json_type(seed))
        unknown = [key for key in seed if key not in ('projects', 'description')]
        if unknown:
            raise SeedError('unknown top-level key(s) %s (expected "projects")' % quoted(unknown))
        projects_in = seed.get('projects', {})
        if not isinstance(projects_in, dict):
            raise SeedError('"projects" must be an object: project name -> project')
        projects = {}
        for project_name, project_in in projects_in.items():
            where = 'projects.%s' % project_name
            try:
                projects[project_name] = self._load_project(project_name, project_in, where)
            except ApiError as exc:
                raise SeedError('%s: %s' % (where, exc.message))
        return projects

    def _load_project(self, name, data, where):
        if not name:
            raise SeedError('projects: a project name must not be empty')
        if not isinstance(data, dict):
            raise SeedError('%s must be an object' % where)
        unknown = [key for key in data if key not in ('environments', 'apiProxies', 'connections',
                                                      'globalApiProxySettings', 'description')]
        if unknown:
            raise SeedError('%s: unknown key(s) %s' % (where, quoted(unknown)))
        project = {'name': name, 'environments': {}, 'proxies': {}, 'connections': {}}
        settings = data.get('globalApiProxySettings', [])
        check_field('globalApiProxySettings', settings, _spec('str_list'))
        project['globalApiProxySettings'] = list(settings)
        for index, env in enumerate(self._seed_list(data, 'environments', where)):
            env = self._load_environment(name, env, '%s.environments[%d]' % (where, index))
            if env['name'] in project['environments']:
                raise SeedError('%s.environments: environment %s appears twice' % (where, env['name']))
            project['environments'][env['name']] = env
        for index, proxy in enumerate(self._seed_list(data, 'apiProxies', where)):
            place = '%s.apiProxies[%d]' % (where, index)
            try:
                proxy = self._load_proxy(project, proxy)
            except ApiError as exc:
                raise SeedError('%s: %s' % (place, exc.message))
            if proxy['name'] in project['proxies']:
                raise SeedError('%s: API proxy %s appears twice' % (place, proxy['name']))
            project['proxies'][proxy['name']] = proxy
        for index, connection in enumerate(self._seed_list(data, 'connections', where)):
            place = '%s.connections[%d]' % (where, index)
            try:
                stored = self._load_connection(project, connection)
            except ApiError as exc:
                raise SeedError('%s: %s' % (place, exc.message))
            if stored['name'].lower() in project['connections']:
                raise SeedError('%s: connection %s appears twice (names are case-insensitive)' % (place, stored['name']))
            project['connections'][stored['name'].lower()] = stored
        return project

    @staticmethod
    def _seed_list(data, key, where):
        items = data.get(key, [])
        if not isinstance(items, list):
            raise SeedError('%s.%s must be an array' % (where, key))
        return items

    @staticmethod
    def _load_environment(project_name, data, where):
        if not isinstance(data, dict):
            raise SeedError('%s must be an object' % where)
        unknown = [key for key in data if key not in ('id', 'name', 'description', 'type', 'accessUrl', 'status', 'failDeploy')]
        if unknown:
            raise SeedError('%s: unknown key(s) %s' % (where, quoted(unknown)))
        name = data.get('name')
        if not isinstance(name, str) or not name:
            raise SeedError('%s: "name" must be a non-empty string' % where)
        try:
            env_type = check_field('type', data.get('type', 'PRODUCTION' if name.lower().startswith('prod') else 'TEST'),
                                   _spec('enum', enum=ENVIRONMENT_TYPES))
            status = check_field('status', data.get('status', 'PUBLISHED'), _spec('enum', enum=ENVIRONMENT_STATUSES))
            description = check_field('description', data.get('description', '%s environment' % name), _spec('str'))
            access_url = check_field('accessUrl', data.get('accessUrl', 'https://%s.gateway.example.com' % slug(name)), _spec('str'))
            env_id = check_field('id', data.get('id', stable_id('environment', name)), _spec('str'))
            fail = check_field('failDeploy', data.get('failDeploy'), _spec('str', nullable=True))
        except ApiError as exc:
            raise SeedError('%s: %s' % (where, exc.message))
        return {'id': env_id, 'name': name, 'description': description, 'type': env_type,
                'accessUrl': access_url, 'status': status, 'failDeploy': fail}

    def _load_proxy(self, project, data):
        if not isinstance(data, dict):
            raise bad('an API proxy must be an object')
        known = (['name', 'type', 'apiType', 'clientRoute', 'endpointList', 'routing', 'maintenanceModeSetting',
                  'deployments', 'deploymentList'] + list(METADATA_FIELDS))
        check_unknown(data, known, '')
        name = check_field('name', data.get('name'), METADATA_FIELDS['name'])
        proxy_type = check_field('type', data.get('type', 'REST'), _spec('enum', enum=PROXY_TYPES))
        if 'apiType' in data and data['apiType'] != proxy_type:
            raise bad('"apiType" must equal "type" (%s)' % proxy_type)
        proxy = {'name': name, 'type': proxy_type}
        for field, spec in METADATA_FIELDS.items():
            if field == 'name':
                continue
            if field == 'fixSoapApiPortType' and proxy_type != 'SOAP':
                if data.get(field) is not None:
                    raise bad('"fixSoapApiPortType" is only for SOAP API proxies')
                proxy[field] = None
                continue
            if field == 'sharingType':
                spec = _spec('enum', spec['default'], enum=SHARING_TYPES + SEED_ONLY_SHARING_TYPES)
            if field in data:
                proxy[field] = check_field(field, data[field], spec)
            else:
                proxy[field] = copy.deepcopy(spec['default'])
        setting = proxy['globalApiProxySettingName']
        if setting is not None and setting not in project['globalApiProxySettings']:
            raise bad('globalApiProxySettingName %s is not in the project\'s globalApiProxySettings' % setting)
        route = data.get('clientRoute', {'relativePathList': ['/' + slug(name)], 'hostList': []})
        if not isinstance(route, dict):
            raise bad('"clientRoute" must be an object')
        proxy['clientRoute'] = copy.deepcopy(route)
        endpoints = data.get('endpointList', [])
        if not isinstance(endpoints, list):
            raise bad('"endpointList" must be an array')
        proxy['endpointList'] = copy.deepcopy(endpoints)
        proxy['routing'] = self._load_routing(name, proxy_type, data.get('routing', {}))
        maintenance = data.get('maintenanceModeSetting', {})
        if not isinstance(maintenance, dict):
            raise bad('"maintenanceModeSetting" must be an object')
        check_unknown(maintenance, MAINTENANCE_FIELDS, 'maintenanceModeSetting.')
        proxy['maintenanceModeSetting'] = dict(
            (field, check_field('maintenanceModeSetting.' + field, maintenance[field], spec) if field in maintenance
             else spec['default']) for field, spec in MAINTENANCE_FIELDS.items())
        proxy['deployments'] = self._load_deployments(project, data)
        return proxy

    @staticmethod
    def _load_routing(name, proxy_type, data):
        if not isinstance(data, dict):
            raise bad('"routing" must be an object')
        known = ['routingEnabled', 'routingAddressList', 'websocketSettings'] + list(CONNECTION_SETTINGS_FIELDS)
        check_unknown(data, known, 'routing.')
        routing = {'routingEnabled': check_field('routing.routingEnabled', data.get('routingEnabled', True), _spec('bool'))}
        addresses = data.get('routingAddressList', [{'address': 'https://backend.example.com/%s' % slug(name),
                                                     'weight': 100, 'healthMonitoringEnabled': False}])
        if not isinstance(addresses, list) or not all(isinstance(item, dict) for item in addresses):
            raise bad('"routing.routingAddressList" must be an array of objects')
        routing['routingAddressList'] = copy.deepcopy(addresses)
        for field, spec in CONNECTION_SETTINGS_FIELDS.items():
            routing[field] = (check_field('routing.' + field, data[field], spec) if field in data
                              else copy.deepcopy(spec['default']))
        if routing['connectionPoolManagementType'] == 'CUSTOM' and not routing['customConnectionPoolSize']:
            raise bad(CUSTOM_POOL_MESSAGE)
        if 'websocketSettings' in data and proxy_type != 'WEBSOCKET':
            raise bad('"routing.websocketSettings" is only for WEBSOCKET API proxies')
        if proxy_type == 'WEBSOCKET':
            settings = data.get('websocketSettings', {})
            if not isinstance(settings, dict):
                raise bad('"routing.websocketSettings" must be an object')
            check_unknown(settings, WEBSOCKET_FIELDS, 'routing.websocketSettings.')
            routing['websocketSettings'] = dict(
                (field, check_field('routing.websocketSettings.' + field, settings[field], spec) if field in settings
                 else spec['default']) for field, spec in WEBSOCKET_FIELDS.items())
        return routing

    @staticmethod
    def _load_deployments(project, data):
        """deployments: ["env", ...] or {"env": {deployed, redeployRequired, revision, lastDeployTime}};
        or the GET form deploymentList: [{environmentName, deployed, redeployRequired}]."""
        if 'deployments' in data and 'deploymentList' in data:
            raise bad('give "deployments" or "deploymentList", not both')
        raw = data.get('deployments', {})
        if 'deploymentList' in data:
            if not isinstance(data['deploymentList'], list):
                raise bad('"deploymentList" must be an array')
            raw = {}
            for item in data['deploymentList']:
                if not isinstance(item, dict) or not isinstance(item.get('environmentName'), str):
                    raise bad('"deploymentList" items need an "environmentName"')
                raw[item['environmentName']] = dict((key, value) for key, value in item.items() if key != 'environmentName')
        if isinstance(raw, list):
            if not all(isinstance(env, str) for env in raw):
                raise bad('"deployments" as an array must list environment names')
            raw = dict((env, {'deployed': True}) for env in raw)
        if not isinstance(raw, dict):
            raise bad('"deployments" must be an array of environment names or an object')
        deployments = {}
        for env, state in raw.items():
            if env not in project['environments']:
                raise bad('deployment to unknown environment %s' % env)
            if not isinstance(state, dict):
                raise bad('deployments.%s must be an object' % env)
            check_unknown(state, ('deployed', 'redeployRequired', 'revision', 'lastDeployTime'), 'deployments.%s.' % env)
            deployed = check_field('deployed', state.get('deployed', True), _spec('bool'))
            entry = {
                'deployed': deployed,
                'redeployRequired': check_field('redeployRequired', state.get('redeployRequired', False), _spec('bool')),
                'revision': check_field('revision', state.get('revision', 1 if deployed else None),
                                        _spec('int', min=1, nullable=True)),
                'lastDeployTime': check_field('lastDeployTime', state.get('lastDeployTime', SEED_DEPLOY_TIME if deployed else None),
                                              _spec('str', nullable=True)),
            }
            if entry['redeployRequired'] and not deployed:
                raise bad('deployments.%s: redeployRequired needs deployed' % env)
            deployments[env] = entry
        return deployments

    def _load_connection(self, project, data):
        if not isinstance(data, dict):
            raise bad('a connection must be an object')
        self._check_connection_type(data)
        if not isinstance(data.get('name'), str) or not data['name'].strip():
            raise bad('Field "name" is required')
        return self.schema.build(project['name'], data)

    def dump(self):
        """The whole state in the seed format (POST /_emulator/reset takes it back)."""
        projects = {}
        for name, project in self.projects.items():
            proxies = []
            for proxy in project['proxies'].values():
                item = dict((key, copy.deepcopy(value)) for key, value in proxy.items())
                proxies.append(item)
            environments = []
            for env in project['environments'].values():
                item = dict(env)
                if not item.get('failDeploy'):
                    item.pop('failDeploy')
                environments.append(item)
            projects[name] = {
                'globalApiProxySettings': list(project['globalApiProxySettings']),
                'environments': environments,
                'apiProxies': proxies,
                'connections': [copy.deepcopy(c) for c in project['connections'].values()],
            }
        return {'projects': projects}

    def reset(self, seed=None):
        projects = self.load_seed(self.start_seed if seed is None else seed)
        self.holds.clear(Holds.RESET_SETTLE)
        with self.lock:
            self.projects = projects
            self.requests = []
            self.faults = []

    # request log and faults -------------------------------------------------------------------

    def record(self, entry):
        with self.lock:
            self.requests.append(entry)

    def add_fault(self, body):
        if not isinstance(body, dict):
            raise bad('a fault must be a JSON object')
        check_unknown(body, FAULT_FIELDS)
        if not isinstance(body.get('path'), str):
            raise bad('Field "path" (a regular expression) is required')
        try:
            pattern = re.compile(body['path'])
        except re.error as exc:
            raise bad('Field "path" is not a valid regular expression: %s' % exc)
        method = body.get('method')
        if method is not None and not isinstance(method, str):
            raise bad('Field "method" must be a string')
        count = body.get('count', 1)
        if not is_int(count) or count < 1:
            raise bad('Field "count" must be a positive integer')
        status = body.get('status')
        if status is not None and (not is_int(status) or not 100 <= status <= 599):
            raise bad('Field "status" must be an HTTP status code (100-599)')
        delay = body.get('delay', 0)
        if isinstance(delay, bool) or not isinstance(delay, (int, float)) or delay < 0 or delay > 600:
            raise bad('Field "delay" must be a number of seconds from 0 to 600')
        drop = body.get('drop', False)
        if not isinstance(drop, bool):
            raise bad('Field "drop" must be a boolean')
        after_apply = body.get('after_apply', False)
        if not isinstance(after_apply, bool):
            raise bad('Field "after_apply" must be a boolean')
        if status is None and not drop and not delay:
            raise bad('A fault needs "status", "drop" or "delay"')
        content_type = body.get('content_type')
        if content_type is not None and not isinstance(content_type, str):
            raise bad('Field "content_type" must be a string')
        retry_after = body.get('retry_after')
        if retry_after is not None and (isinstance(retry_after, bool) or not isinstance(retry_after, (int, float, str))):
            raise bad('Field "retry_after" must be a number of seconds or an HTTP date')
        with self.lock:
            self.fault_counter += 1
            fault = {'id': self.fault_counter, 'method': method.upper() if method else None, 'path': body['path'],
                     'remaining': count, 'status': status, 'body': body.get('body'), 'content_type': content_type,
                     'retry_after': retry_after, 'delay': delay, 'drop': drop, 'after_apply': after_apply,
                     'regex': pattern}
            self.faults.append(fault)
            return self.fault_view(fault)

    @staticmethod
    def fault_view(fault):
        return dict((key, value) for key, value in fault.items() if key != 'regex')

    @staticmethod
    def fault_label(fault):
        """What a fault did to a request, for its request log entry: e.g. "drop after apply"."""
        parts = []
        if fault['delay']:
            parts.append('delay %gs' % fault['delay'])
        if fault['drop']:
            parts.append('drop')
        elif fault['status'] is not None:
            parts.append('status %d' % fault['status'])
        return ', '.join(parts) + (' after apply' if fault['after_apply'] else '')

    def take_fault(self, method, path, raw_path):
        with self.lock:
            for fault in self.faults:
                if fault['method'] and fault['method'] != method:
                    continue
                if not (fault['regex'].search(path) or fault['regex'].search(raw_path)):
                    continue
                fault['remaining'] -= 1
                if fault['remaining'] <= 0:
                    self.faults.remove(fault)
                return dict(fault)
        return None

    # answers ----------------------------------------------------------------------------------

    def error_body(self, error):
        if self.style == 'newer':
            return {'status': 'FAILURE', 'resultMessage': error.message}
        return {'error': error.code, 'error_description': error.message}

    def error_status(self, error):
        if isinstance(error, NotFound):
            return 400 if self.style == 'newer' else error.seed_status
        return error.status

    def as_not_found(self, message, seed_status=404):
        error = NotFound(message, seed_status)
        if self.style == 'seed' and seed_status == 400:
            error.code = 'bad_request'
        return error

    # lookups ------------------------------------------------------------------------------------

    def project(self, name):
        if name == '':
            raise bad('projectName value can not be empty!')
        project = self.projects.get(name)
        if project is None:
            if self.style == 'newer':
                raise self.as_not_found('Project (%s) is not found or user does not have privilege to access it!' % name)
            raise self.as_not_found("Project '%s' not found" % name)
        return project

    def proxy(self, project, name, seed_status=404, message=None):
        if name == '':
            raise bad('apiProxyName value can not be empty!')
        proxy = project['proxies'].get(name)
        if proxy is None:
            raise self.as_not_found(message or 'ApiProxy (name: %s) was not found!' % name, seed_status)
        return proxy

    def environment(self, project, proxy_name, env_name):
        env = project['environments'].get(env_name)
        if env is None:
            raise bad('ApiProxy with name (%s) can not be deployed to Environment(%s) because it is not exist!'
                      % (proxy_name, env_name))
        return env

    def connection(self, project, name):
        if name == '':
            raise bad('Connection name can not be empty!')
        connection = project['connections'].get(name.lower())
        if connection is None:
            raise self.as_not_found('Connection (name: %s) was not found!' % name, 400)
        return connection

    # views --------------------------------------------------------------------------------------

    @staticmethod
    def proxy_view(project, proxy):
        view = {'name': proxy['name'], 'description': proxy['description'], 'type': proxy['type'],
                'apiType': proxy['type']}
        for field in METADATA_FIELDS:
            if field not in ('name', 'description'):
                view[field] = copy.deepcopy(proxy[field])
        view['clientRoute'] = copy.deepcopy(proxy['clientRoute'])
        view['endpointList'] = copy.deepcopy(proxy['endpointList'])
        view['routing'] = copy.deepcopy(proxy['routing'])
        view['maintenanceModeSetting'] = dict(proxy['maintenanceModeSetting'])
        view['deploymentList'] = []
        for env in project['environments']:
            state = proxy['deployments'].get(env) or _new_deployment()
            view['deploymentList'].append({'environmentName': env, 'deployed': state['deployed'],
                                           'redeployRequired': state['redeployRequired']})
        return view

    @staticmethod
    def documented_view(view):
        """A full proxy view cut to the fields Apinizer documents for GET API proxy."""
        shown = dict((key, view[key]) for key in DOCUMENTED_PROXY_FIELDS)
        shown['routing'] = dict((key, view['routing'][key]) for key in DOCUMENTED_ROUTING_FIELDS)
        return shown

    @staticmethod
    def export_view(view):
        """A full proxy view in the field names of Apinizer's create/update API proxy bodies."""
        return dict(('routingInfo' if key == 'routing' else key, value) for key, value in view.items())

    @staticmethod
    def environment_view(env, in_project):
        view = dict((key, env[key]) for key in ('id', 'name', 'description', 'type', 'accessUrl', 'status'))
        if in_project:
            view['deployed'] = None
            view['redeployRequired'] = None
        return view

    # deploys ------------------------------------------------------------------------------------

    def _deploy_one(self, project, proxy, env_name):
        self.deploys += 1
        env = project['environments'][env_name]
        if env.get('failDeploy'):
            return False, env['failDeploy']
        state = proxy['deployments'].setdefault(env_name, _new_deployment())
        state['deployed'] = True
        state['redeployRequired'] = False
        state['revision'] = (state['revision'] or 0) + 1
        state['lastDeployTime'] = now_iso()
        return True, DEPLOY_OK

    def _check_deploy_fields(self, project, proxy_name, body):
        """Validate deploy + deployTargetEnvironmentNameList of a PATCH body; answer the environments."""
        deploy = check_field('deploy', body['deploy'], DEPLOY_FIELDS['deploy']) if 'deploy' in body else False
        targets = body.get('deployTargetEnvironmentNameList')
        if targets is not None or 'deployTargetEnvironmentNameList' in body:
            targets = check_field('deployTargetEnvironmentNameList', targets, DEPLOY_FIELDS['deployTargetEnvironmentNameList'])
        if not deploy:
            return []
        if not targets:
            raise bad('deployTargetEnvironmentNameList is required when deploy is true')
        unique = []
        for env in targets:
            self.environment(project, proxy_name, env)
            if env not in unique:
                unique.append(env)
        return unique

    def _after_write(self, project, proxy, environments):
        """A saved settings change: redeploy needed where deployed, then the in-body deploy."""
        for state in proxy['deployments'].values():
            if state['deployed']:
                state['redeployRequired'] = True
        answer = {'success': True}
        if environments:
            results = []
            for env in environments:
                ok, message = self._deploy_one(project, proxy, env)
                results.append({'environmentName': env, 'success': ok, 'message': message})
            answer['deploymentResult'] = {'success': all(item['success'] for item in results),
                                          'deploymentResults': results}
        return answer

    # the API ------------------------------------------------------------------------------------

    def get_proxy(self, project_name, proxy_name, query):
        check_bool_query(query, 'withPolicies')
        project = self.project(project_name)
        proxy = self.proxy(project, proxy_name)
        view = self.proxy_view(project, proxy)
        if self.proxy_detail == 'documented':
            view = self.documented_view(view)
        return 200, {'success': True, 'resultList': [view], 'resultCount': 1}

    def export_proxy(self, project_name, proxy_name, query, passphrase):
        """The export package: a ZIP holding <name>.json, the complete definition (docs/emulator.md)."""
        project = self.project(project_name)
        if self.deny_export:
            raise bad(NO_PERMISSION)
        proxy = self.proxy(project, proxy_name, seed_status=400)
        check_bool_query(query, 'withDependencies')
        if check_bool_query(query, 'encrypt') and not (passphrase or '').strip():
            raise bad('Package encryption requested but no passphrase was supplied.')
        definition = self.export_view(self.proxy_view(project, proxy))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as package:
            package.writestr(file_name(proxy['name']) + '.json', json.dumps(definition, indent=2, ensure_ascii=False))
        return 200, Download(file_name(proxy['name']) + '.zip', buffer.getvalue())

    def list_proxies(self, project_name):
        project = self.project(project_name)
        items = [{'name': proxy['name'], 'description': proxy['description'], 'type': proxy['type'],
                  'relativePath': (proxy['clientRoute'].get('relativePathList') or [None])[0], 'soapToRest': False}
                 for proxy in sorted(project['proxies'].values(), key=lambda item: item['name'])]
        return 200, {'status': 'SUCCESS', 'resultList': items, 'resultCount': len(items)}

    def patch_websocket(self, project_name, proxy_name, body):
        project = self.project(project_name)
        proxy = self.proxy(project, proxy_name)
        if proxy['type'] != 'WEBSOCKET':
            raise bad('API Proxy type is not WEBSOCKET')
        flat = [key for key in body if key in WEBSOCKET_FIELDS]
        if 'websocketSettings' in body:
            if flat:
                raise bad('Send the websocket settings either inside "websocketSettings" or flat, not both (flat: %s)'
                          % quoted(flat))
            check_unknown(body, ['websocketSettings'] + list(DEPLOY_FIELDS))
            settings = body['websocketSettings']
            if not isinstance(settings, dict):
                raise bad('Field "websocketSettings" must be an object, got %s' % json_type(settings))
            check_unknown(settings, WEBSOCKET_FIELDS, 'websocketSettings.')
            prefix = 'websocketSettings.'
        else:
            check_unknown(body, list(WEBSOCKET_FIELDS) + list(DEPLOY_FIELDS))
            settings = dict((key, body[key]) for key in flat)
            prefix = ''
        changes = dict((key, check_field(prefix + key, value, WEBSOCKET_FIELDS[key])) for key, value in settings.items())
        environments = self._check_deploy_fields(project, proxy_name, body)
        proxy['routing']['websocketSettings'].update(changes)
        return 200, self._after_write(project, proxy, environments)

    def patch_connection_settings(self, project_name, proxy_name, body):
        project = self.project(project_name)
        proxy = self.proxy(project, proxy_name)
        if proxy['type'] == 'AI':
            raise bad('Connection settings are not supported for API proxies of type AI')
        check_unknown(body, CONNECTION_SETTINGS_FIELDS)
        changes = dict((key, check_field(key, value, CONNECTION_SETTINGS_FIELDS[key])) for key, value in body.items())
        pool_type = changes.get('connectionPoolManagementType')
        if pool_type == 'CUSTOM':
            if not changes.get('customConnectionPoolSize'):
                raise bad(CUSTOM_POOL_MESSAGE)
        elif pool_type is None and 'customConnectionPoolSize' in changes:
            if proxy['routing']['connectionPoolManagementType'] == 'CUSTOM' and not changes['customConnectionPoolSize']:
                raise bad(CUSTOM_POOL_MESSAGE)
        proxy['routing'].update(changes)
        return 200, self._after_write(project, proxy, [])

    def patch_metadata(self, project_name, proxy_name, body):
        project = self.project(project_name)
        proxy = self.proxy(project, proxy_name)
        check_unknown(body, list(METADATA_FIELDS) + list(DEPLOY_FIELDS))
        if not any(key in METADATA_FIELDS for key in body):
            raise bad('At least one field must be provided')
        changes = dict((key, check_field(key, value, METADATA_FIELDS[key]))
                       for key, value in body.items() if key in METADATA_FIELDS)
        if 'fixSoapApiPortType' in changes and proxy['type'] != 'SOAP':
            raise bad('fixSoapApiPortType is only applicable to SOAP API Proxies (this API Proxy is %s)' % proxy['type'])
        setting = changes.get('globalApiProxySettingName')
        if setting is not None and setting not in project['globalApiProxySettings']:
            raise bad('Global API Proxy Setting (name: %s) was not found!' % setting)
        new_name = changes.get('name', proxy_name)
        if new_name != proxy_name and new_name in project['proxies']:
            raise bad('ApiProxy (name: %s) is already exist!' % new_name)
        environments = self._check_deploy_fields(project, proxy_name, body)
        proxy.update(changes)
        if new_name != proxy_name:
            project['proxies'] = dict((new_name if key == proxy_name else key, value)
                                      for key, value in project['proxies'].items())
        return 200, self._after_write(project, proxy, environments)

    def patch_maintenance(self, project_name, proxy_name, body):
        project = self.project(project_name)
        proxy = self.proxy(project, proxy_name, seed_status=400)
        check_unknown(body, list(MAINTENANCE_FIELDS) + list(DEPLOY_FIELDS))
        changes = dict((key, check_field(key, value, MAINTENANCE_FIELDS[key]))
                       for key, value in body.items() if key in MAINTENANCE_FIELDS)
        environments = self._check_deploy_fields(project, proxy_name, body)
        proxy['maintenanceModeSetting'].update(changes)
        return 200, self._after_write(project, proxy, environments)

    def deploy(self, project_name, proxy_name, env_name, body):
        project = self.project(project_name)
        proxy = self.proxy(project, proxy_name)
        self._check_deploy_request(body)
        env = self.environment(project, proxy_name, env_name)
        ok, message = self._deploy_one(project, proxy, env['name'])
        if not ok:
            raise bad(message)
        return 200, {'success': True, 'deploymentResult': {'success': True, 'deploymentResults': [
            {'environmentName': env_name, 'success': True, 'message': message}]}}

    def undeploy(self, project_name, proxy_name, env_name, body):
        project = self.project(project_name)
        proxy = self.proxy(project, proxy_name)
        self._check_deploy_request(body)
        env = self.environment(project, proxy_name, env_name)
        state = proxy['deployments'].get(env_name)
        if not state or not state['deployed']:
            raise bad('ApiProxy with name (%s) can not be undeployed from Environment(%s) because it is not deployed!'
                      % (proxy_name, env_name))
        self.deploys += 1
        if env.get('failDeploy'):
            raise bad(env['failDeploy'])
        state['deployed'] = False
        state['redeployRequired'] = False
        return 200, {'success': True, 'deploymentResult': {'success': True, 'deploymentResults': [
            {'environmentName': env_name, 'success': True, 'message': UNDEPLOY_OK}]}}

    @staticmethod
    def _check_deploy_request(body):
        if body is None:
            return
        check_unknown(body, DEPLOY_REQUEST_FIELDS)
        for key, value in body.items():
            check_field(key, value, dict(DEPLOY_REQUEST_FIELDS[key], nullable=True))

    def deploy_status(self, project_name, proxy_name, env_name):
        project = self.project(project_name)
        message = 'ApiProxy with name (%s) is not found!' % proxy_name if self.style == 'newer' else None
        proxy = self.proxy(project, proxy_name, message=message)
        self.environment(project, proxy_name, env_name)
        state = dict(proxy['deployments'].get(env_name) or _new_deployment())
        item = {'deployed': state['deployed'], 'lastDeployTime': state['lastDeployTime'],
                'revision': state['revision'], 'redeployRequired': state['redeployRequired']}
        return 200, {'status': 'SUCCESS', 'resultList': [item], 'resultCount': 1}

    def list_environments(self, project_name=None):
        if project_name is None:
            seen, items = set(), []
            for project in self.projects.values():
                for env in project['environments'].values():
                    if env['name'] not in seen:
                        seen.add(env['name'])
                        items.append(self.environment_view(env, False))
        else:
            project = self.project(project_name)
            items = [self.environment_view(env, True) for env in project['environments'].values()]
        return 200, {'status': 'SUCCESS', 'resultList': items, 'resultCount': len(items)}

    # connections --------------------------------------------------------------------------------

    def _check_connection_type(self, body):
        connection_type = body.get('type')
        if connection_type is None:
            raise bad('Field "type" (the connection type) is required')
        if not isinstance(connection_type, str) or connection_type not in self.schema.types:
            raise bad('Connection type %s is not valid! Valid types: %s'
                      % (json.dumps(connection_type), ', '.join(self.schema.type_names())))
        return connection_type

    @staticmethod
    def _write_answer(connection):
        answer = {'status': 'SUCCESS'}
        if connection.get('deployToWorker'):
            answer['deploymentResult'] = {'success': True}
        return answer

    def get_connection(self, project_name, name):
        project = self.project(project_name)
        connection = self.connection(project, name)
        return 200, {'status': 'SUCCESS', 'resultList': [copy.deepcopy(connection)], 'resultCount': 1}

    def list_connections(self, project_name, query):
        project = self.project(project_name)
        connection_type = query.get('type')
        if isinstance(connection_type, list):
            connection_type = connection_type[0]
        if not connection_type:
            raise bad('Connection type parameter is required!')
        if connection_type not in self.schema.types:
            raise bad('Connection type (%s) is not valid! Valid types: %s'
                      % (connection_type, ', '.join(self.schema.type_names())))
        items = [copy.deepcopy(self.schema.masked(connection))
                 for connection in sorted(project['connections'].values(), key=lambda item: item['name'].lower())
                 if connection['type'] == connection_type]
        return 200, {'status': 'SUCCESS', 'resultList': items, 'resultCount': len(items)}

    def create_connection(self, project_name, name, body):
        project = self.project(project_name)
        if name == '':
            raise bad('Connection name can not be empty!')
        self._check_connection_type(body)
        body_name = body.get('name')
        if body_name is None or body_name == '':
            raise bad('Field "name" is required')
        if not isinstance(body_name, str):
            raise bad('Field "name" must be a string, got %s' % json_type(body_name))
        if body_name.lower() != name.lower():
            raise bad('Connection name in the path (%s) and in the body (%s) do not match!' % (name, body_name))
        if body_name.lower() in project['connections']:
            raise bad('Connection (name: %s) already exists!' % body_name)
        stored = self.schema.build(project['name'], body)
        project['connections'][body_name.lower()] = stored
        return 200, self._write_answer(stored)

    def update_connection(self, project_name, name, body):
        project = self.project(project_name)
        current = self.connection(project, name)
        connection_type = self._check_connection_type(body)
        if connection_type != current['type']:
            raise bad('Connection type can not be changed (stored: %s, sent: %s)! Delete the connection and create it again.'
                      % (current['type'], connection_type))
        new_name = body.get('name')
        if new_name is None or new_name == '':
            new_name = current['name']
        elif not isinstance(new_name, str):
            raise bad('Field "name" must be a string, got %s' % json_type(new_name))
        old_key, new_key = current['name'].lower(), new_name.lower()
        if new_key != old_key and new_key in project['connections']:
            raise bad('Connection (name: %s) already exists!' % new_name)
        stored = self.schema.build(project['name'], dict(body, name=new_name), previous=current)
        project['connections'] = dict((new_key if key == old_key else key, stored if key == old_key else value)
                                      for key, value in project['connections'].items())
        return 200, self._write_answer(stored)

    def delete_connection(self, project_name, name):
        project = self.project(project_name)
        current = self.connection(project, name)
        del project['connections'][current['name'].lower()]
        return 200, self._write_answer(current)


# ---- HTTP ------------------------------------------------------------------------------------

SETTINGS = {
    'websocket': 'patch_websocket',
    'connection': 'patch_connection_settings',
    'metadata': 'patch_metadata',
    'maintenance-mode': 'patch_maintenance',
}


def route(core):
    """(operation, arguments, allowed methods) of the path segments after /apiops, or None."""
    size = len(core)
    if core == ['environments']:
        return 'environments', [], ('GET',)
    if size < 2 or core[0] != 'projects':
        return None
    project = core[1]
    if size == 3 and core[2] == 'environments':
        return 'project_environments', [project], ('GET',)
    if size == 3 and core[2] == 'apiProxies':
        return 'proxies', [project], ('GET',)
    if size == 3 and core[2] == 'connections':
        return 'connections', [project], ('GET',)
    if size == 4 and core[2] == 'connections':
        return 'connection', [project, core[3]], ('GET', 'POST', 'PUT', 'DELETE')
    if size < 4 or core[2] != 'apiProxies':
        return None
    proxy = core[3]
    if size == 4:
        return 'proxy', [project, proxy], ('GET',)
    if size == 5 and core[4] == 'export':
        return 'export', [project, proxy], ('GET',)
    if size == 6 and core[4] == 'settings' and core[5] in SETTINGS:
        return SETTINGS[core[5]], [project, proxy], ('PATCH',)
    if size == 6 and core[4] == 'environments':
        return 'deployment', [project, proxy, core[5]], ('POST', 'DELETE')
    if size == 7 and core[4] == 'environments' and core[6] == 'deploy-status':
        return 'deploy_status', [project, proxy, core[5]], ('GET',)
    return None


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


def is_loopback(address):
    try:
        return ipaddress.ip_address(address.split('%')[0]).is_loopback
    except ValueError:
        return False


class DropConnection(Exception):
    """Close the connection without an answer (fault injection)."""


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'ApinizerEmulator/1.0'
    sys_version = ''
    timeout = 300  # an idle keep-alive connection is closed after this many seconds

    # plumbing -----------------------------------------------------------------------------------

    def setup(self):
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        context = getattr(self.server, 'ssl_context', None)
        if context is not None:
            self.request.settimeout(30)
            self.request = context.wrap_socket(self.request, server_side=True)
        super(Handler, self).setup()

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if not self.server.quiet:
            sys.stderr.write('%s %s\n' % (self.address_string(), format % args))

    def log_request(self, code='-', size='-'):
        pass  # one line per request is written by _access_log instead

    def _access_log(self, method, raw_path, status, started):
        if not self.server.quiet:
            sys.stderr.write('%s %s %s %s %.1fms\n' % (self.client_address[0], method, raw_path,
                                                       status if status is not None else 'dropped',
                                                       (time.monotonic() - started) * 1000))

    def do_GET(self):
        self._handle('GET')

    def do_POST(self):
        self._handle('POST')

    def do_PUT(self):
        self._handle('PUT')

    def do_PATCH(self):
        self._handle('PATCH')

    def do_DELETE(self):
        self._handle('DELETE')

    def _read_body(self):
        if 'chunked' in (self.headers.get('Transfer-Encoding') or '').lower():
            chunks = []
            total = 0
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b';')[0].strip() or b'0', 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b'\r\n', b'\n', b''):
                        pass
                    return b''.join(chunks)
                total += size
                if total > MAX_BODY_BYTES:
                    raise ApiError(413, 'Request body too large')
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = self.headers.get('Content-Length')
        if not length:
            return b''
        try:
            length = int(length)
        except ValueError:
            self.close_connection = True
            raise bad('Invalid Content-Length header')
        if length < 0 or length > MAX_BODY_BYTES:
            self.close_connection = True
            raise ApiError(413, 'Request body too large')
        return self.rfile.read(length)

    def _send(self, status, payload, content_type=JSON_CONTENT_TYPE, headers=None):
        if isinstance(payload, (dict, list)):
            data = json.dumps(payload).encode('utf-8')
        elif isinstance(payload, bytes):
            data = payload
        else:
            data = (payload or '').encode('utf-8')
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header('Connection', 'close')
        # Headers and body in one write: two small writes would meet Nagle's algorithm and the
        # client's delayed ACK (about 40 ms per answer on a keep-alive connection).
        self._headers_buffer.append(b'\r\n')
        head = b''.join(self._headers_buffer)
        self._headers_buffer = []
        self.wfile.write(head + data)

    # requests -----------------------------------------------------------------------------------

    def _handle(self, method):
        started = time.monotonic()
        emulator = self.server.emulator
        raw_path, raw_query = (self.path.split('?', 1) + [''])[:2]
        raw_query = raw_query.partition('#')[0]
        try:
            body = self._read_body()
        except (ApiError, ValueError) as exc:
            error = exc if isinstance(exc, ApiError) else bad('Invalid chunked body')
            self.close_connection = True
            self._send(error.status, emulator.error_body(error))
            return
        if raw_path == '/_emulator' or raw_path.startswith('/_emulator/'):
            status = self._admin(method, raw_path, body)
            self._access_log(method, raw_path, status, started)
            return
        status = self._api(method, raw_path, raw_query, body)
        self._access_log(method, raw_path, status, started)

    def _api(self, method, raw_path, raw_query, body):
        emulator = self.server.emulator
        segments = raw_path.split('/')[1:]
        try:
            decoded = [unquote(segment, errors='strict') for segment in segments]
        except UnicodeDecodeError:
            decoded = None
        path = '/' + '/'.join(decoded) if decoded is not None else raw_path
        query = dict((key, values[0] if len(values) == 1 else values)
                     for key, values in parse_qs(raw_query, keep_blank_values=True).items())
        try:
            parsed = parse_json(body) if body else None
        except ValueError:
            parsed = None
        entry = {'method': method, 'path': path, 'raw_path': raw_path, 'query': query, 'body': parsed, 'status': None}
        if emulator.latency:
            time.sleep(emulator.latency)

        # Held before anything looks at the request (token, path, body, faults), so that a held write
        # has changed nothing and a fault meant for it is taken only once it is released.
        held = emulator.holds.wait(method, path, raw_path)
        try:
            if held:
                entry['held'] = True
            # A fault acts before the request is handled (a drop or status then means it is never applied) or,
            # with after_apply, on the answer of a request that was handled and logged with its real status.
            fault = emulator.take_fault(method, path, raw_path)
            after = bool(fault) and fault['after_apply']
            if fault:
                entry['fault'] = emulator.fault_label(fault)
                if fault['delay'] and not after:
                    time.sleep(fault['delay'])
            if not fault or after or not (fault['drop'] or fault['status'] is not None):
                status, payload, content_type, headers = self._answer(method, decoded, raw_path, query, body)
                entry['status'] = status
            elif not fault['drop']:
                entry['status'] = fault['status']
            emulator.record(entry)
        finally:
            if held:
                held.handled.set()
        if after and fault['delay']:
            time.sleep(fault['delay'])
        if fault and fault['drop']:
            self._drop()
            return None
        if fault and fault['status'] is not None:
            status, payload, content_type = self._fault_answer(fault)
            headers = {}
            if fault['retry_after'] is not None:
                headers['Retry-After'] = str(fault['retry_after'])
        self._send(status, payload, content_type, headers)
        return status

    def _answer(self, method, decoded, raw_path, query, body):
        """Handle an API request: (status, payload, content type, headers) of its answer."""
        emulator = self.server.emulator
        headers = {}
        content_type = JSON_CONTENT_TYPE
        try:
            status, payload = self._dispatch(method, decoded, raw_path, query, body)
            if isinstance(payload, Download):
                content_type = 'application/octet-stream'
                headers['Content-Disposition'] = 'attachment; filename="%s"' % payload.filename
                payload = payload.data
            elif isinstance(payload, str):
                content_type = 'text/plain;charset=UTF-8'
        except ApiError as error:
            status, payload, headers = emulator.error_status(error), emulator.error_body(error), error.headers
        except Exception:  # pylint: disable=broad-except
            traceback.print_exc(file=sys.stderr)
            error = ApiError(500, 'An unexpected error occurred')
            status, payload = 500, emulator.error_body(error)
        return status, payload, content_type, headers

    def _drop(self):
        """Close the connection without an answer."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _fault_answer(self, fault):
        status, body, content_type = fault['status'], fault['body'], fault['content_type']
        if body is None:
            body = self.server.emulator.error_body(ApiError(status, 'Injected fault (HTTP %d)' % status))
        if isinstance(body, (dict, list)):
            return status, body, content_type or JSON_CONTENT_TYPE
        text = str(body)
        if content_type is None:
            try:
                json.loads(text)
                content_type = JSON_CONTENT_TYPE
            except ValueError:
                content_type = 'text/plain;charset=UTF-8'
        return status, text, content_type

    def _dispatch(self, method, decoded, raw_path, query, body):
        emulator = self.server.emulator
        if decoded is None:
            raise bad('The path is not valid percent-encoded UTF-8')
        if decoded[:3] in (['apiops', 'test', 'healthcheck'],) and decoded[3:] in ([], ['']):
            if method != 'GET':
                raise ApiError(405, "Request method '%s' is not supported" % method, headers={'Allow': 'GET'})
            return 200, 'OK'
        if not decoded or decoded[0] != 'apiops':
            raise ApiError(404, 'No endpoint %s %s' % (method, raw_path))
        self._authorize()
        rest = decoded[1:]
        trailing = bool(rest) and rest[-1] == ''
        core = rest[:-1] if trailing else rest
        match = route(core)
        if match is None:
            raise ApiError(404, 'No endpoint %s %s' % (method, raw_path))
        if not trailing:
            raise ApiError(404, 'No endpoint %s %s: Apinizer paths end with "/"' % (method, raw_path))
        operation, args, allowed = match
        if method not in allowed:
            raise ApiError(405, "Request method '%s' is not supported" % method, headers={'Allow': ', '.join(allowed)})
        needs_body = method in ('PATCH', 'PUT') or (method == 'POST' and operation == 'connection')
        optional_body = operation == 'deployment'
        document = None
        if needs_body or (optional_body and body):
            document = self._json_object(body)
        # Deploys take --deploy-latency-ms each: counted under the lock, waited for after it is released,
        # so a slow deploy never holds up other clients.
        with emulator.lock:
            emulator.deploys = 0
            try:
                answer = self._operate(operation, method, args, query, document)
            except ApiError as error:
                answer = error
            deploys = emulator.deploys
        if deploys and emulator.deploy_latency:
            time.sleep(deploys * emulator.deploy_latency)
        if isinstance(answer, ApiError):
            raise answer
        return answer

    def _operate(self, operation, method, args, query, document):
        """Run one API operation on the emulator's state (the caller holds the lock)."""
        emulator = self.server.emulator
        if operation == 'environments':
            return emulator.list_environments()
        if operation == 'project_environments':
            return emulator.list_environments(args[0])
        if operation == 'proxies':
            return emulator.list_proxies(args[0])
        if operation == 'proxy':
            return emulator.get_proxy(args[0], args[1], query)
        if operation == 'export':
            return emulator.export_proxy(args[0], args[1], query, self.headers.get(PASSPHRASE_HEADER))
        if operation in SETTINGS.values():
            return getattr(emulator, operation)(args[0], args[1], document)
        if operation == 'deployment':
            if method == 'POST':
                return emulator.deploy(args[0], args[1], args[2], document)
            return emulator.undeploy(args[0], args[1], args[2], document)
        if operation == 'deploy_status':
            return emulator.deploy_status(*args)
        if operation == 'connections':
            return emulator.list_connections(args[0], query)
        if method == 'GET':
            return emulator.get_connection(*args)
        if method == 'POST':
            return emulator.create_connection(args[0], args[1], document)
        if method == 'PUT':
            return emulator.update_connection(args[0], args[1], document)
        return emulator.delete_connection(*args)

    def _authorize(self):
        emulator = self.server.emulator
        header = self.headers.get('Authorization')
        if header is None or not header.strip():
            message = ('Empty Key! Client must be authenticated to access this resource.'
                       if emulator.style == 'newer' else 'Invalid token')
            raise ApiError(401, message)
        if header != 'Bearer ' + emulator.token:
            raise ApiError(401, 'Token is not valid!' if emulator.style == 'newer' else 'Invalid token')

    def _json_object(self, body):
        content_type = (self.headers.get('Content-Type') or '').split(';')[0].strip().lower()
        if content_type != 'application/json':
            raise bad("Content-Type '%s' is not supported; send application/json" % (content_type or 'none'))
        if not body:
            raise bad('Required request body is missing')
        try:
            document = parse_json(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise bad('Malformed JSON request body: %s' % exc)
        if not isinstance(document, dict):
            raise bad('The request body must be a JSON object, got %s' % json_type(document))
        return document

    # admin ------------------------------------------------------------------------------------------

    def _admin(self, method, raw_path, body):
        emulator = self.server.emulator
        path = raw_path.rstrip('/')
        try:
            if not is_loopback(self.client_address[0]):
                raise ApiError(403, 'The admin endpoints answer loopback clients only')
            document = None
            if body:
                try:
                    document = parse_json(body)
                except (ValueError, UnicodeDecodeError) as exc:
                    raise bad('Malformed JSON body: %s' % exc)
            release = Holds.RELEASE_PATH.fullmatch(path)
            if path == '/_emulator/requests' and method == 'GET':
                with emulator.lock:
                    answer = copy.deepcopy(emulator.requests)
            elif path == '/_emulator/requests' and method == 'DELETE':
                with emulator.lock:
                    answer = {'cleared': len(emulator.requests)}
                    emulator.requests = []
            elif path == '/_emulator/state' and method == 'GET':
                with emulator.lock:
                    answer = emulator.dump()
            elif path == '/_emulator/reset' and method == 'POST':
                try:
                    emulator.reset(document)
                except SeedError as exc:
                    raise bad('Invalid seed: %s' % exc)
                answer = {'reset': True, 'projects': sorted(emulator.projects)}
            elif path == '/_emulator/faults' and method == 'POST':
                answer = emulator.add_fault(document)
            elif path == '/_emulator/faults' and method == 'GET':
                with emulator.lock:
                    answer = [emulator.fault_view(fault) for fault in emulator.faults]
            elif path == '/_emulator/faults' and method == 'DELETE':
                with emulator.lock:
                    answer = {'cleared': len(emulator.faults)}
                    emulator.faults = []
            elif path == '/_emulator/holds' and method == 'POST':
                answer = emulator.holds.add(document)
            elif path == '/_emulator/holds' and method == 'GET':
                answer = emulator.holds.views()
            elif path == '/_emulator/holds' and method == 'DELETE':
                answer = emulator.holds.clear()
            elif release and method == 'POST':
                answer = emulator.holds.release(int(release.group(1)), document)
            else:
                raise ApiError(404, 'No admin endpoint %s %s' % (method, raw_path))
            status = 200
        except ApiError as error:
            status, answer = error.status, {'error': error.code, 'error_description': error.message}
        self._send(status, answer)
        return status


class EmulatorServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address, emulator, ssl_context=None, quiet=False):
        if ':' in address[0]:
            self.address_family = socket.AF_INET6
        self.emulator = emulator
        self.ssl_context = ssl_context
        self.quiet = quiet
        super(EmulatorServer, self).__init__(address, Handler)

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, ssl.SSLError, socket.timeout, OSError)):
            if not self.quiet:
                sys.stderr.write('%s connection error: %s\n' % (client_address[0], type(exc).__name__))
            return
        super(EmulatorServer, self).handle_error(request, client_address)


def base_url(host, port, tls):
    shown = '[%s]' % host if ':' in host else host
    return '%s://%s:%d' % ('https' if tls else 'http', shown, port)


def milliseconds(text):
    """argparse type of the latency options: a whole number of milliseconds, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError('%r is not a whole number of milliseconds (0 or more)' % text)
    return value


def parse_args(argv):
    parser = argparse.ArgumentParser(description='Apinizer Management API emulator (docs/emulator.md).')
    parser.add_argument('--port', type=int, required=True, help='TCP port; 0 picks a free one')
    parser.add_argument('--host', default='127.0.0.1', help='address to listen on (default 127.0.0.1)')
    parser.add_argument('--token', default=DEFAULT_TOKEN, help='the Bearer token the API accepts')
    parser.add_argument('--seed', default=DEFAULT_SEED, help='seed JSON file (default: seed.json beside this script)')
    parser.add_argument('--tls-cert', help='PEM certificate (chain): serve HTTPS')
    parser.add_argument('--tls-key', help='PEM private key of --tls-cert')
    parser.add_argument('--api-style', choices=STYLES, default='seed',
                        help='error bodies and not-found statuses: seed (the seed docs, default) or newer')
    parser.add_argument('--quiet', action='store_true', help='no access log on stderr')
    parser.add_argument('--proxy-detail', choices=PROXY_DETAILS, default='full',
                        help='what GET API proxy answers: full (every section, default) or documented (only the fields '
                             "Apinizer's docs list; the rest is in the export package)")
    parser.add_argument('--deny-export', action='store_true',
                        help='refuse every export as a token without the EXPORT_IMPORT permission would be refused (400)')
    parser.add_argument('--latency-ms', type=milliseconds, default=0, metavar='N',
                        help='wait N ms before answering each API request (not the /_emulator admin endpoints)')
    parser.add_argument('--deploy-latency-ms', type=milliseconds, default=0, metavar='N',
                        help='each deploy or undeploy to one environment takes N ms (deploy POST, undeploy DELETE, '
                             'every environment of an in-body deploy)')
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error('--tls-cert and --tls-key go together')
    if not args.token:
        parser.error('--token must not be empty')
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        with open(args.seed, encoding='utf-8') as handle:
            seed = json.load(handle)
        emulator = Emulator(seed, token=args.token, style=args.api_style, proxy_detail=args.proxy_detail,
                            deny_export=args.deny_export, latency_ms=args.latency_ms,
                            deploy_latency_ms=args.deploy_latency_ms)
    except (OSError, ValueError, SeedError) as exc:
        sys.stderr.write('apinizer_emulator: cannot load seed %s: %s\n' % (args.seed, exc))
        return 2
    context = None
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        try:
            context.load_cert_chain(args.tls_cert, args.tls_key)
        except (OSError, ssl.SSLError) as exc:
            sys.stderr.write('apinizer_emulator: cannot load the TLS certificate or key: %s\n' % exc)
            return 2
    try:
        server = EmulatorServer((args.host, args.port), emulator, context, args.quiet)
    except OSError as exc:
        sys.stderr.write('apinizer_emulator: cannot listen on %s:%s: %s\n' % (args.host, args.port, exc))
        return 2

    stop = threading.Event()

    def request_stop(signum, frame):  # pylint: disable=unused-argument
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.1}, daemon=True)
    thread.start()
    sys.stdout.write(base_url(args.host, server.server_address[1], context is not None) + '\n')
    sys.stdout.flush()
    if not args.quiet:
        sys.stderr.write('apinizer_emulator: serving %d project(s), api style %s, proxy detail %s\n'
                         % (len(emulator.projects), args.api_style, args.proxy_detail))
    while not stop.wait(1.0):
        pass
    server.shutdown()
    server.server_close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
