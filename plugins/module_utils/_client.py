# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""HTTP access to the Apinizer Management API (apiops).

Every request of every module goes through ApinizerClient: the token, base URL, TLS,
timeouts, bounded retries, and the one way API errors become failure messages.
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
    from requests.exceptions import ConnectTimeout, RequestException, Timeout
except ImportError:  # pragma: no cover - exercised by ansible-test's import sanity test
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

API_PREFIX = '/apiops'

# Retries: bounded, with exponential backoff. Only GET and the idempotent settings
# PATCH / connection PUT are retried on transient answers; a POST (deploy, create) or a
# DELETE is retried only when the connection could not even be opened, because once
# sent it may have taken effect (a deploy records a new revision each time).
MAX_RETRIES = 3
BACKOFF_SECONDS = 0.5
MAX_RETRY_AFTER_SECONDS = 30
RETRY_STATUSES = frozenset((429, 502, 503, 504))
IDEMPOTENT_METHODS = frozenset(('GET', 'PATCH', 'PUT'))

ERROR_EXCERPT_LENGTH = 200

# Newer Apinizer releases report a missing object as HTTP 400 with one of these texts;
# older ones answer 404. Both mean "absent" where a module can act on that.
NOT_FOUND_PATTERN = re.compile(r'\b(was|is) not found\b', re.IGNORECASE)


def connection_argument_spec():
    """The connection options every module takes (doc fragment apinizer.apiops.api)."""
    return dict(
        url=dict(type='str', required=True, fallback=(env_fallback, ['APINIZER_URL'])),
        token=dict(type='str', required=True, no_log=True, fallback=(env_fallback, ['APINIZER_TOKEN'])),
        validate_certs=dict(type='bool', default=True, fallback=(env_fallback, ['APINIZER_VALIDATE_CERTS'])),
        ca_path=dict(type='path', fallback=(env_fallback, ['APINIZER_CA_PATH'])),
        timeout=dict(type='int', default=30, fallback=(env_fallback, ['APINIZER_TIMEOUT'])),
    )


def api_path(*segments):
    """/apiops/<segment>/.../ with every segment percent-encoded (spaces, '/', unicode)."""
    encoded = [quote(str(segment), safe='') for segment in segments]
    return '%s/%s/' % (API_PREFIX, '/'.join(encoded))


class ApinizerError(Exception):
    """A failure a module reports with fail_json; str() is the user-facing message."""

    def __init__(self, msg, **details):
        super(ApinizerError, self).__init__(msg)
        self.msg = msg
        self.details = details


class ApinizerApiError(ApinizerError):
    """The API answered with an error, or did not answer at all (status is None)."""

    def __init__(self, method, path, status, message, body=None):
        if status is None:
            text = 'Apinizer API %s %s failed (no response): %s' % (method, path, message)
        else:
            text = 'Apinizer API %s %s failed (HTTP %s): %s' % (method, path, status, message)
        super(ApinizerApiError, self).__init__(text, status=status, api_message=message)
        self.method = method
        self.path = path
        self.status = status
        self.api_message = message
        self.body = body

    @property
    def is_not_found(self):
        if self.status == 404:
            return True
        return self.status == 400 and bool(NOT_FOUND_PATTERN.search(self.api_message or ''))


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


def _never_sent(exc):
    """True when the request could not have reached the server (safe to repeat any method)."""
    if isinstance(exc, ConnectTimeout):
        return True
    if isinstance(exc, RequestsConnectionError):
        reason = getattr(exc.args[0], 'reason', None) if exc.args else None
        return type(reason).__name__ == 'NewConnectionError'
    return False


class ApinizerClient(object):
    """One requests.Session per module run: keep-alive, auth header, TLS settings."""

    def __init__(self, module):
        if requests is None:
            module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
        params = module.params
        url = params['url'].strip().rstrip('/')
        if not re.match(r'^https?://[^/]+', url):
            raise ApinizerError('Option url must be an http:// or https:// URL, got %r.' % params['url'])
        if url.endswith(API_PREFIX):
            url = url[:-len(API_PREFIX)]
        self.base_url = url
        self.timeout = params['timeout']
        self.session = requests.Session()
        self.session.headers.update({
            'Authorization': 'Bearer %s' % params['token'],
            'Accept': 'application/json',
            'User-Agent': 'apinizer.apiops-ansible',
        })
        if params['validate_certs']:
            self.session.verify = params.get('ca_path') or True
        else:
            self.session.verify = False
            requests.packages.urllib3.disable_warnings(requests.packages.urllib3.exceptions.InsecureRequestWarning)

    def get(self, path, params=None):
        return self.request('GET', path, params=params)

    def get_or_none(self, path, params=None):
        """GET that answers None when Apinizer says the object does not exist."""
        try:
            return self.request('GET', path, params=params)
        except ApinizerApiError as exc:
            if exc.is_not_found:
                return None
            raise

    def patch(self, path, body):
        return self.request('PATCH', path, body=body)

    def put(self, path, body):
        return self.request('PUT', path, body=body)

    def post(self, path, body=None):
        return self.request('POST', path, body=body)

    def delete(self, path):
        return self.request('DELETE', path)

    def request(self, method, path, body=None, params=None):
        """Send one API call; answer its JSON body (a dict, {} when empty) or raise ApinizerApiError."""
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self.session.request(
                    method, self.base_url + path, json=body, params=params, timeout=self.timeout)
            except RequestException as exc:
                retryable = method in IDEMPOTENT_METHODS or _never_sent(exc)
                if retryable and attempt <= MAX_RETRIES:
                    time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
                    continue
                raise ApinizerApiError(method, path, None, self._describe_network_error(exc))

            if (response.status_code in RETRY_STATUSES and method in IDEMPOTENT_METHODS
                    and attempt <= MAX_RETRIES):
                wait = retry_after_seconds(response.headers.get('Retry-After'))
                time.sleep(wait if wait is not None else BACKOFF_SECONDS * 2 ** (attempt - 1))
                continue
            return self._parse(method, path, response)

    def _parse(self, method, path, response):
        try:
            body = response.json() if response.content else {}
        except ValueError:
            body = response.text
        ok = 200 <= response.status_code < 300
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
        raise ApinizerApiError(method, path, response.status_code, message, body=body)

    def _describe_network_error(self, exc):
        if isinstance(exc, Timeout) and not isinstance(exc, ConnectTimeout):
            return 'no answer within %s seconds (option timeout)' % self.timeout
        if isinstance(exc, requests.exceptions.SSLError):
            return ('TLS verification failed; set ca_path to your CA bundle, or validate_certs: false '
                    'only for a host you control (%s)' % type(exc).__name__)
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
        text = str(cause)
        # urllib3 wraps the socket error in "<object at 0x...>: Failed to establish..."
        text = re.sub(r'<[^>]*object at 0x[0-9a-f]+>:\s*', '', text)
        return text[:ERROR_EXCERPT_LENGTH]
