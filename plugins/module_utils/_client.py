# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""HTTP access to the Apinizer Management API (apiops).

Every request of every module and plugin goes through ApinizerClient: the token, base URL,
TLS, timeouts, bounded retries decided per request, and the one way API errors become
failure messages (ApinizerApiError).
"""

from __future__ import annotations

import email.utils
import re
import time
import traceback
from urllib.parse import quote

from ansible.module_utils.basic import env_fallback, missing_required_lib

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    from requests.exceptions import ConnectionError as RequestsConnectionError
    from requests.exceptions import ConnectTimeout, RequestException, SSLError, Timeout
    from urllib3.exceptions import NewConnectionError
except ImportError:  # pragma: no cover - exercised by ansible-test's import sanity test
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

API_PREFIX = '/apiops'

# Retries are bounded, with exponential backoff, and decided per request by the caller
# (repeatable=...): a request that may have reached the server is re-sent only when sending
# it twice can do nothing more than sending it once. Any request is re-sent when it provably
# never reached the server, or when the server refused it with 429.
MAX_RETRIES = 3
BACKOFF_SECONDS = 0.5
MAX_RETRY_AFTER_SECONDS = 30
GATEWAY_STATUSES = frozenset((502, 503, 504))

ERROR_EXCERPT_LENGTH = 200

# The environment variable behind each connection option, for messages that name both.
CONNECTION_ENV = dict(
    url='APINIZER_URL',
    token='APINIZER_TOKEN',
    validate_certs='APINIZER_VALIDATE_CERTS',
    ca_path='APINIZER_CA_PATH',
    timeout='APINIZER_TIMEOUT',
)


def connection_argument_spec():
    """The connection options every module takes (doc fragment apinizer.apiops.api).

    url and token are not ``required`` here: argument validation would then say only
    "missing required arguments", without the environment variables that can provide them.
    """
    return dict(
        url=dict(type='str', fallback=(env_fallback, [CONNECTION_ENV['url']])),
        token=dict(type='str', no_log=True, fallback=(env_fallback, [CONNECTION_ENV['token']])),
        validate_certs=dict(type='bool', default=True, fallback=(env_fallback, [CONNECTION_ENV['validate_certs']])),
        ca_path=dict(type='path', fallback=(env_fallback, [CONNECTION_ENV['ca_path']])),
        timeout=dict(type='int', default=30, fallback=(env_fallback, [CONNECTION_ENV['timeout']])),
    )


def missing_connection_options(params):
    """A message naming each unset connection option and its environment variable, or None."""
    missing = [name for name in ('url', 'token') if not (params.get(name) or '').strip()]
    if not missing:
        return None
    return 'Set %s: %s.' % (
        'both' if len(missing) > 1 else 'the option',
        ' and '.join('option %s or environment variable %s' % (name, CONNECTION_ENV[name]) for name in missing))


def api_path(*segments):
    """/apiops/<segment>/.../ with every segment percent-encoded (spaces, '/', unicode)."""
    encoded = [quote(str(segment), safe='') for segment in segments]
    return '%s/%s/' % (API_PREFIX, '/'.join(encoded))


class ApinizerError(Exception):
    """A failure a module reports with fail_json; str() is the user-facing message."""

    def __init__(self, msg, api_error=None):
        super(ApinizerError, self).__init__(msg)
        self.msg = msg
        self.api_error = api_error


class ApinizerApiError(ApinizerError):
    """The API answered with an error, or did not answer at all (status is None).

    ``reached`` is False only when the request provably never reached the server; then it
    took no effect, whatever it was.
    """

    def __init__(self, method, path, status, message, body=None, reached=True):
        if status is None:
            text = 'Apinizer API %s %s failed (no response): %s' % (method, path, message)
        else:
            text = 'Apinizer API %s %s failed (HTTP %s): %s' % (method, path, status, message)
        self.method = method
        self.path = path
        self.status = status
        self.api_message = message
        self.body = body
        self.reached = reached
        super(ApinizerApiError, self).__init__(text, api_error=self.as_dict())

    def as_dict(self):
        return dict(method=self.method, path=self.path, status=self.status, message=self.api_message)

    @property
    def outcome_unknown(self):
        """The request may have taken effect although no success answer arrived."""
        return self.reached and (self.status is None or self.status >= 500)

    def says_absent(self, kind, name, case_sensitive=True):
        """Whether Apinizer answered that the named object of this kind does not exist.

        Only an answer that names the object counts: a missing project, a wrong base URL or a
        404 page of some proxy in between is a failure, not "absent".
        """
        if self.status not in (400, 404) or not isinstance(self.api_message, str):
            return False
        flags = 0 if case_sensitive else re.IGNORECASE
        named = re.escape(name)
        pattern = r'%s\s*(?:\(name:\s*%s\)|with name\s*\(%s\))\s*(?:was|is)\s+not\s+found' % (kind, named, named)
        return re.search(pattern, self.api_message, flags) is not None


def api_error_message(body, reason=''):
    """The human text of an Apinizer error body, whichever of its styles it uses."""
    if isinstance(body, dict):
        for key in ('error_description', 'resultMessage', 'message', 'detail', 'error'):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                message = value.strip()
                break
        else:
            message = reason or 'no error message in the response'
        details = body.get('validation_errors')
        if isinstance(details, list) and details:
            parts = ['%s: %s' % (item.get('field'), item.get('message'))
                     for item in details if isinstance(item, dict)]
            message = '%s (%s)' % (message, '; '.join(parts))
        return message
    text = body if isinstance(body, str) else ''
    # A proxy in front of Apinizer may answer with an HTML page; keep a short excerpt.
    text = re.sub(r'(?is)<(script|style)\b.*?</\1>', ' ', text)
    text = re.sub(r'<[^>]+>', ' ', text)
    text = ' '.join(text.split())
    if not text:
        return reason or 'empty response body'
    if len(text) > ERROR_EXCERPT_LENGTH:
        text = text[:ERROR_EXCERPT_LENGTH] + '...'
    return text


def reports_failure(body):
    """A 2xx body can still say it failed: {"success": false} or {"status": "FAILURE"}."""
    if not isinstance(body, dict):
        return False
    return body.get('success') is False or body.get('status') == 'FAILURE'


def retry_after_seconds(header_value):
    if not header_value:
        return None
    try:
        seconds = float(header_value)
    except ValueError:
        parsed = email.utils.parsedate_tz(header_value)
        if parsed is None:
            return None
        seconds = email.utils.mktime_tz(parsed) - time.time()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


def never_reached_server(exc):
    """True when the request could not have reached the server (refused, DNS, connect timeout)."""
    if isinstance(exc, SSLError):
        return True  # the TLS handshake failed before any byte of the request was sent
    if isinstance(exc, ConnectTimeout):
        return True
    if isinstance(exc, RequestsConnectionError):
        reason = getattr(exc.args[0], 'reason', None) if exc.args else None
        # urllib3 2.x raises NameResolutionError, a subclass: isinstance, never a name compare.
        return isinstance(reason, NewConnectionError)
    return False


def _backoff(attempt):
    return BACKOFF_SECONDS * 2 ** (attempt - 1)


class ApinizerClient(object):
    """One requests.Session per module run: keep-alive, auth header, TLS settings."""

    def __init__(self, url, token, validate_certs=True, ca_path=None, timeout=30):
        if requests is None:
            raise ApinizerError(missing_required_lib('requests'))
        url = (url or '').strip().rstrip('/')
        if not re.match(r'^https?://[^/]+', url):
            raise ApinizerError('Option url must be an http:// or https:// URL, got %r.' % url)
        if url.endswith(API_PREFIX):
            url = url[:-len(API_PREFIX)]
        if timeout is not None and timeout <= 0:
            raise ApinizerError('Option timeout must be a positive number of seconds, got %s.' % timeout)
        self.base_url = url
        self.timeout = timeout
        # Passed with every request, not set on the session: requests lets REQUESTS_CA_BUNDLE
        # and CURL_CA_BUNDLE override a session's verify, which would ignore ca_path and
        # validate_certs=false on hosts that set them.
        self.verify = (ca_path or True) if validate_certs else False
        self.session = requests.Session()
        self.session.headers.update({
            'Authorization': 'Bearer %s' % token,
            'Accept': 'application/json',
            'User-Agent': 'apinizer.apiops-ansible',
        })
        if not validate_certs:
            requests.packages.urllib3.disable_warnings(requests.packages.urllib3.exceptions.InsecureRequestWarning)

    @classmethod
    def from_params(cls, params):
        """A client from the connection options (module params or inventory options)."""
        missing = missing_connection_options(params)
        if missing:
            raise ApinizerError(missing)
        return cls(params['url'], params['token'], params.get('validate_certs', True),
                   params.get('ca_path'), params.get('timeout', 30))

    def get(self, path, params=None):
        return self.request('GET', path, params=params)

    def request(self, method, path, body=None, params=None, repeatable=None, binary=False):
        """Send one API call; answer its JSON body (a dict, {} when empty), or bytes when ``binary``.

        ``repeatable`` (default: only for GET) says whether the request may be sent again after
        it may have reached the server (timeout, dropped connection, 502/503/504). Raises
        ApinizerApiError.
        """
        if repeatable is None:
            repeatable = method == 'GET'
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self.session.request(method, self.base_url + path, json=body, params=params,
                                                timeout=self.timeout, verify=self.verify)
            except RequestException as exc:
                reached = not never_reached_server(exc)
                if (repeatable or not reached) and attempt <= MAX_RETRIES and not isinstance(exc, SSLError):
                    time.sleep(_backoff(attempt))
                    continue
                raise ApinizerApiError(method, path, None, self._describe_network_error(exc), reached=reached)

            retry = response.status_code == 429 or (response.status_code in GATEWAY_STATUSES and repeatable)
            if retry and attempt <= MAX_RETRIES:
                wait = retry_after_seconds(response.headers.get('Retry-After'))
                time.sleep(wait if wait is not None else _backoff(attempt))
                continue
            return self._parse(method, path, response, binary)

    def _parse(self, method, path, response, binary):
        ok = 200 <= response.status_code < 300
        if ok and binary:
            return response.content
        try:
            body = response.json() if response.content else {}
        except ValueError:
            body = response.text
        if ok and isinstance(body, dict) and not reports_failure(body):
            return body
        if ok and body == '':
            return {}
        if ok and not isinstance(body, dict):
            message = 'expected a JSON object, got: %s' % api_error_message(body)
        else:
            message = api_error_message(body, response.reason)
        if response.status_code == 401:
            message += ' (check the token: option token or APINIZER_TOKEN)'
        # 429 means refused; anything else that is not 2xx may or may not have been applied.
        raise ApinizerApiError(method, path, response.status_code, message, body=body,
                               reached=response.status_code != 429)

    def _describe_network_error(self, exc):
        if isinstance(exc, SSLError):
            return ('TLS verification failed (%s); set ca_path to the CA bundle that signs the server '
                    'certificate, or validate_certs: false only for a host you control' % self._root_cause(exc))
        if isinstance(exc, Timeout) and not isinstance(exc, ConnectTimeout):
            return 'no answer within %s seconds (option timeout)' % self.timeout
        if isinstance(exc, ConnectTimeout):
            return 'could not connect to %s within %s seconds' % (self.base_url, self.timeout)
        if isinstance(exc, RequestsConnectionError):
            return 'could not connect to %s or the connection was closed (%s)' % (
                self.base_url, self._root_cause(exc))
        return '%s: %s' % (type(exc).__name__, exc)

    @staticmethod
    def _root_cause(exc):
        reason = getattr(exc.args[0], 'reason', None) if exc.args else None
        cause = reason if reason is not None else (exc.args[0] if exc.args else exc)
        # The SSL reason sits at the bottom of urllib3's chain of wrapped errors.
        while isinstance(cause, Exception) and cause.args and isinstance(cause.args[-1], Exception):
            cause = cause.args[-1]
        text = str(cause)
        # urllib3 wraps the socket error in "<object at 0x...>: Failed to establish..."
        text = re.sub(r'<[^>]*object at 0x[0-9a-f]+>:\s*', '', text)
        return text[:ERROR_EXCERPT_LENGTH]
