# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""HTTP access to the Apinizer Management API (apiops).

Every request of every module and plugin goes through ApinizerClient: the token, base URL,
TLS, deadlines, bounded retries decided per request, and the one way API errors become
failure messages (ApinizerApiError). It trusts no server: no redirect is followed (a body or
the token reaches only the configured URL), every answer is read whole within the deadline or
not at all, and a 2xx that is empty, not JSON or says it failed is reported as such, never as
success.
"""

from __future__ import annotations

import email.utils
import json
import os
import re
import socket
import threading
import time
import traceback
from urllib.parse import quote, urljoin, urlsplit

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.apinizer.apiops.plugins.module_utils._scrub import Secrets

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    from requests.adapters import HTTPAdapter
    from requests.auth import AuthBase
    from requests.exceptions import ConnectionError as RequestsConnectionError
    from requests.exceptions import ConnectTimeout, RequestException, SSLError, Timeout
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
    from urllib3.exceptions import NewConnectionError
except ImportError:  # pragma: no cover - exercised by ansible-test's import sanity test
    requests = None
    AuthBase = HTTPAdapter = HTTPConnection = HTTPSConnection = HTTPConnectionPool = HTTPSConnectionPool = object
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

API_PREFIX = '/apiops'

DEFAULT_TIMEOUT = 30
DEFAULT_TOTAL_TIMEOUT = 300
DEFAULT_RETRIES = 3
BACKOFF_SECONDS = 0.5
MAX_RETRY_AFTER_SECONDS = 30
GATEWAY_STATUSES = frozenset((502, 503, 504))
# An answer is held in memory whole; a server that never stops sending must not exhaust it.
MAX_ANSWER_BYTES = 64 * 1024 * 1024
CHUNK_BYTES = 64 * 1024

ERROR_EXCERPT_LENGTH = 200

# The environment variable behind each connection option, for messages that name both.
CONNECTION_ENV = dict(
    url='APINIZER_URL',
    token='APINIZER_TOKEN',
    validate_certs='APINIZER_VALIDATE_CERTS',
    ca_path='APINIZER_CA_PATH',
    timeout='APINIZER_TIMEOUT',
    total_timeout='APINIZER_TOTAL_TIMEOUT',
    retries='APINIZER_RETRIES',
    warn_on_http='APINIZER_WARN_ON_HTTP',
)
CONNECTION_OPTIONS = tuple(CONNECTION_ENV)

# Names that URL normalisation rewrites: requests resolves "." and ".." path segments, so
# api_proxy ".." would address the proxy list, not a proxy.
DOT_SEGMENTS = ('.', '..')


def connection_argument_spec():
    """The connection options every module takes (doc fragment apinizer.apiops.api).

    url and token are not ``required`` here: argument validation would then say only
    "missing required arguments", without the environment variables that can provide them.
    """
    def fallback(option):
        return (env_fallback, [CONNECTION_ENV[option]])

    return dict(
        url=dict(type='str', fallback=fallback('url')),
        token=dict(type='str', no_log=True, fallback=fallback('token')),
        validate_certs=dict(type='bool', default=True, fallback=fallback('validate_certs')),
        ca_path=dict(type='path', fallback=fallback('ca_path')),
        timeout=dict(type='int', default=DEFAULT_TIMEOUT, fallback=fallback('timeout')),
        total_timeout=dict(type='int', default=DEFAULT_TOTAL_TIMEOUT, fallback=fallback('total_timeout')),
        retries=dict(type='int', default=DEFAULT_RETRIES, fallback=fallback('retries')),
        warn_on_http=dict(type='bool', default=True, fallback=fallback('warn_on_http')),
    )


def missing_connection_options(params):
    """A message naming each unset connection option and its environment variable, or None."""
    missing = [name for name in ('url', 'token') if not (params.get(name) or '').strip()]
    if not missing:
        return None
    return 'Set %s: %s.' % (
        'both' if len(missing) > 1 else 'the option',
        ' and '.join('option %s or environment variable %s' % (name, CONNECTION_ENV[name]) for name in missing))


def option_label(option):
    """'timeout (or APINIZER_TIMEOUT)': how messages name a connection option."""
    return '%s (or %s)' % (option, CONNECTION_ENV[option])


def name_problem(option, value):
    """Why a name cannot be a path segment, as a sentence, or None."""
    if isinstance(value, str) and value in DOT_SEGMENTS:
        return ('%s must not be %r: URL normalisation would turn it into another path (a list, or the parent) '
                'instead of naming an object.' % (option, value))
    return None


def api_path(*segments):
    """/apiops/<segment>/.../ with every segment percent-encoded (spaces, '/', unicode)."""
    for segment in segments:
        problem = name_problem('A name', segment)
        if problem:
            raise ApinizerError('%s Nothing was sent.' % problem)
    encoded = [quote(str(segment), safe='') for segment in segments]
    return '%s/%s/' % (API_PREFIX, '/'.join(encoded))


def redacted_url(url):
    """The URL without user name or password, for messages."""
    return re.sub(r'^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@', r'\1***@', url)


def checked_base_url(url):
    """The base URL (no trailing '/', no /apiops), or ApinizerError saying what is wrong with it."""
    text = (url or '').strip()
    label = option_label('url')
    if any(char.isspace() or ord(char) < 0x20 or ord(char) == 0x7f for char in text):
        raise ApinizerError('Option %s must not contain spaces or control characters, got %r. Nothing was sent.' % (
            label, redacted_url(text)))
    parts = urlsplit(text)
    if parts.scheme.lower() not in ('http', 'https') or not parts.netloc:
        raise ApinizerError('Option %s must be an http:// or https:// URL, got %r. Nothing was sent.' % (
            label, redacted_url(text)))
    if '@' in parts.netloc:
        raise ApinizerError('Option %s must not carry a user name or password (%s): the token authenticates every '
                            'request. Nothing was sent.' % (label, redacted_url(text)))
    if parts.query or parts.fragment:
        raise ApinizerError('Option %s must not have a query or fragment (%r); give the base URL of the Apinizer '
                            'management application. Nothing was sent.' % (label, text))
    try:
        parts.port
    except ValueError:
        raise ApinizerError('Option %s has an invalid port: %r. Nothing was sent.' % (label, text))
    if not parts.hostname:
        raise ApinizerError('Option %s names no host: %r. Nothing was sent.' % (label, text))
    path = parts.path.rstrip('/')
    if path.endswith(API_PREFIX):
        path = path[:-len(API_PREFIX)]
    return '%s://%s%s' % (parts.scheme.lower(), parts.netloc, path)


def checked_token(token):
    """The token without surrounding whitespace, or ApinizerError (never showing it) when it cannot be sent."""
    token = (token or '').strip()
    bad = next((index for index, char in enumerate(token) if not '\x21' <= char <= '\x7e'), None)
    if bad is not None:
        raise ApinizerError(
            'Option %s holds a character that cannot be sent in an HTTP header (a space, control or non-ASCII '
            'character, at position %d of %d); give the token exactly as Apinizer issued it. Nothing was sent.'
            % (option_label('token'), bad + 1, len(token)))
    return token


class ApinizerError(Exception):
    """A failure a module reports with fail_json; str() is the user-facing message."""

    def __init__(self, msg, api_error=None):
        super().__init__(msg)
        self.msg = msg
        self.api_error = api_error


class ApinizerApiError(ApinizerError):
    """The API answered with an error or an answer that cannot be trusted, or did not answer (status None).

    ``reached`` is False only when the request provably never reached the server; then it
    took no effect, whatever it was. ``unknown`` says that it may have taken effect although
    no trustworthy success answer arrived (default: reached and no status, or a 5xx).
    """

    def __init__(self, method, path, status, message, body=None, reached=True, unknown=None):
        if status is None:
            text = 'Apinizer API %s %s failed (no response): %s' % (method, path, message)
        elif 200 <= status < 300:
            text = 'Apinizer API %s %s answered HTTP %s, but %s' % (method, path, status, message)
        else:
            text = 'Apinizer API %s %s failed (HTTP %s): %s' % (method, path, status, message)
        self.method = method
        self.path = path
        self.status = status
        self.api_message = message
        self.body = body
        self.reached = reached
        self.unknown = unknown
        super().__init__(text, api_error=self.as_dict())

    def as_dict(self):
        return dict(method=self.method, path=self.path, status=self.status, message=self.api_message)

    @property
    def outcome_unknown(self):
        """The request may have taken effect although no trustworthy success answer arrived."""
        if self.unknown is not None:
            return self.unknown
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


class WholeRequestTimeout(Exception):
    """The answer was not complete within the request's time limit (however slowly it came)."""


class AnswerTooLarge(Exception):
    """The answer grew past MAX_ANSWER_BYTES."""


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


class BearerAuth(AuthBase):
    """The token as an explicit auth object: requests then never replaces it by a ~/.netrc entry."""

    def __init__(self, token):
        self.token = token

    def __call__(self, request):
        request.headers['Authorization'] = 'Bearer %s' % self.token
        return request


# The connection an exchange thread is sending on, so that the caller can shut its socket at the
# deadline: a thread blocked in a read cannot be stopped otherwise, and closing the response from
# another thread would wait for that read. putrequest() is where http.client starts every request
# on a connection, new or kept alive.
_exchange_state = threading.local()


def _track(connection):
    exchange = getattr(_exchange_state, 'exchange', None)
    if exchange is not None:
        exchange['connection'] = connection


class _TrackedHTTPConnection(HTTPConnection):
    def putrequest(self, *args, **kwargs):
        _track(self)
        return super().putrequest(*args, **kwargs)


class _TrackedHTTPSConnection(HTTPSConnection):
    def putrequest(self, *args, **kwargs):
        _track(self)
        return super().putrequest(*args, **kwargs)


class _TrackedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _TrackedHTTPConnection


class _TrackedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _TrackedHTTPSConnection


class _TrackingAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {'http': _TrackedHTTPPool, 'https': _TrackedHTTPSPool}


def _shut(connection):
    sock = getattr(connection, 'sock', None)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class Answer:
    """One HTTP answer, read whole: status, reason, headers, body bytes."""

    def __init__(self, status, reason, headers, content):
        self.status = status
        self.reason = reason
        self.headers = headers
        self.content = content

    @property
    def text(self):
        return self.content.decode('utf-8', 'replace')


class ApinizerClient:
    """One requests.Session per module run: keep-alive, auth, TLS settings, the task's deadline."""

    def __init__(self, url, token, validate_certs=True, ca_path=None, timeout=DEFAULT_TIMEOUT,
                 total_timeout=DEFAULT_TOTAL_TIMEOUT, retries=DEFAULT_RETRIES, warn_on_http=True,
                 secrets=None, warn=None):
        if requests is None:
            raise ApinizerError(missing_required_lib('requests'))
        self.secrets = secrets if secrets is not None else Secrets()
        self.secrets.add(token)
        userinfo = re.match(r'^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)@', (url or '').strip())
        if userinfo:
            self.secrets.add(userinfo.group(1))
            self.secrets.add(userinfo.group(1).partition(':')[2])
        for option, value, least in (('timeout', timeout, 1), ('total_timeout', total_timeout, 1),
                                     ('retries', retries, 0)):
            if value is None or isinstance(value, bool) or value < least:
                raise ApinizerError('Option %s must be %s, got %r. Nothing was sent.' % (
                    option_label(option), 'a positive number of seconds' if least else '0 or more', value))
        self.base_url = checked_base_url(url)
        token = checked_token(token)
        if validate_certs and ca_path and not (os.path.isdir(ca_path) or os.access(ca_path, os.R_OK)):
            raise ApinizerError('Option %s names %s, which is not a readable file or directory. Nothing was sent.' % (
                option_label('ca_path'), ca_path))
        self.timeout = timeout
        self.total_timeout = total_timeout
        self.retries = retries
        self.deadline = time.monotonic() + total_timeout
        # Passed with every request, not set on the session: requests lets REQUESTS_CA_BUNDLE
        # and CURL_CA_BUNDLE override a session's verify, which would ignore ca_path and
        # validate_certs=false on hosts that set them.
        self.verify = (ca_path or True) if validate_certs else False
        self.session = requests.Session()
        for scheme in ('http://', 'https://'):
            self.session.mount(scheme, _TrackingAdapter())
        self.session.auth = BearerAuth(token)
        self.session.headers.update({'Accept': 'application/json', 'User-Agent': 'apinizer.apiops-ansible'})
        if not validate_certs:
            requests.packages.urllib3.disable_warnings(requests.packages.urllib3.exceptions.InsecureRequestWarning)
        if warn is not None and warn_on_http and self.base_url.startswith('http://'):
            warn('Option %s uses http://, so the token and every secret this task sends cross the network '
                 'unencrypted. Use https://; for a lab, set warn_on_http to false (or APINIZER_WARN_ON_HTTP=false).'
                 % option_label('url'))

    @classmethod
    def from_params(cls, params, secrets=None, warn=None):
        """A client from the connection options (module params or inventory options)."""
        if secrets is not None:
            secrets.add(params.get('token'))
        missing = missing_connection_options(params)
        if missing:
            raise ApinizerError(missing)
        settings = {option: params[option] for option in CONNECTION_OPTIONS
                    if option not in ('url', 'token') and params.get(option) is not None}
        return cls(params['url'], params['token'], secrets=secrets, warn=warn, **settings)

    def get(self, path, params=None):
        return self.request('GET', path, params=params)

    # One request -------------------------------------------------------------------------

    def request(self, method, path, body=None, params=None, repeatable=None, binary=False):
        """Send one API call; answer its JSON body (a dict), or bytes when ``binary``.

        ``repeatable`` (default: only for GET) says whether the request may be sent again after
        it may have reached the server (timeout, dropped connection, 502/503/504). Raises
        ApinizerApiError.
        """
        if repeatable is None:
            repeatable = method == 'GET'
        started = time.monotonic()
        attempt = 0
        reached = False  # whether an earlier attempt may have reached the server
        while True:
            attempt += 1
            limit = min(self.timeout, self.deadline - time.monotonic())
            if limit <= 0:
                raise ApinizerApiError(method, path, None, self._out_of_time(attempt - 1, started), reached=reached)
            try:
                answer = self._exchange(method, self.base_url + path, body, params, limit)
            except (RequestException, WholeRequestTimeout, AnswerTooLarge) as exc:
                reached = reached or not never_reached_server(exc)
                wait = _backoff(attempt)
                eligible = (repeatable or not reached) and not isinstance(exc, (SSLError, AnswerTooLarge)) \
                    and attempt <= self.retries
                if eligible and self._time_left_after(wait):
                    time.sleep(wait)
                    continue
                raise ApinizerApiError(method, path, None, self._describe_failure(exc, limit, attempt, started,
                                                                                  out_of_time=eligible),
                                       reached=reached)

            retry = answer.status == 429 or (answer.status in GATEWAY_STATUSES and repeatable)
            if retry and attempt <= self.retries:
                wait = retry_after_seconds(answer.headers.get('Retry-After'))
                wait = wait if wait is not None else _backoff(attempt)
                if self._time_left_after(wait):
                    time.sleep(wait)
                    continue
            return self._parse(method, path, answer, binary)

    def _time_left_after(self, wait):
        return time.monotonic() + wait < self.deadline

    def _exchange(self, method, url, body, params, limit):
        """The whole answer to one request within ``limit`` seconds, or WholeRequestTimeout.

        requests and urllib3 bound each socket read, not the request: a server that sends a
        byte every few seconds would hold the task for ever. So the exchange runs in a thread
        of its own and the caller stops waiting at the limit (no SIGALRM: Ansible's task
        ``timeout:`` uses it).
        """
        outcome = {}
        finished = threading.Event()
        abandoned = threading.Event()

        def exchange():
            response = None
            _exchange_state.exchange = outcome
            try:
                response = self.session.request(method, url, json=body, params=params, timeout=(limit, limit),
                                                verify=self.verify, allow_redirects=False, stream=True)
                outcome['response'] = response
                chunks, size = [], 0
                for chunk in response.iter_content(CHUNK_BYTES):
                    if abandoned.is_set():
                        return
                    size += len(chunk)
                    if size > MAX_ANSWER_BYTES:
                        raise AnswerTooLarge()
                    chunks.append(chunk)
                outcome['answer'] = Answer(response.status_code, response.reason or '', response.headers,
                                           b''.join(chunks))
            # Whatever it is, it is raised again in the caller's thread.
            except Exception as exc:  # pylint: disable=broad-except
                outcome['error'] = exc
            finally:
                _exchange_state.exchange = None
                if response is not None:
                    response.close()
                finished.set()

        worker = threading.Thread(target=exchange, name='apinizer-request', daemon=True)
        worker.start()
        if not finished.wait(limit):
            abandoned.set()
            _shut(outcome.get('connection'))
            raise WholeRequestTimeout()
        if 'error' in outcome:
            raise outcome['error']
        return outcome['answer']

    def _parse(self, method, path, answer, binary):
        status = answer.status
        write = method != 'GET'
        if 300 <= status < 400:
            raise ApinizerApiError(method, path, status, self._redirect_message(answer, path), unknown=write)
        ok = 200 <= status < 300
        if ok and binary:
            return answer.content
        body = answer.text
        if answer.content.strip():
            try:
                body = json.loads(answer.content)
            except ValueError:
                pass
        if ok:
            if not answer.content.strip():
                problem = 'the body is empty'
            elif not isinstance(body, dict):
                problem = 'the body is not a JSON object: %s' % api_error_message(
                    body if isinstance(body, str) else repr(body)[:ERROR_EXCERPT_LENGTH])
            elif reports_failure(body):
                problem = 'the body says the request failed: %s' % api_error_message(body)
            else:
                return body
            # A write answered this way may or may not have been applied: settled by a read-back.
            raise ApinizerApiError(method, path, status, problem, body=body, unknown=write)
        message = api_error_message(body, answer.reason)
        if status == 401:
            message += ' (check the token: option token or APINIZER_TOKEN)'
        # 429 means refused; anything else that is not 2xx may or may not have been applied.
        raise ApinizerApiError(method, path, status, message, body=body, reached=status != 429)

    def _redirect_message(self, answer, path):
        location = answer.headers.get('Location')
        if not location:
            where = 'without a Location'
            advice = 'the address the Apinizer management application answers on itself'
        else:
            target = urljoin(self.base_url + path, location)
            where = 'to %s' % redacted_url(target)
            parts = urlsplit(target)
            base = target.split(API_PREFIX + '/', 1)[0] if API_PREFIX + '/' in parts.path else \
                '%s://%s' % (parts.scheme, parts.netloc)
            if base.rstrip('/') == self.base_url:
                advice = ('the address the Apinizer management application answers on itself (this redirect leads '
                          'back to the configured URL: a proxy in front of Apinizer may be misconfigured)')
            else:
                advice = ('the address the Apinizer management application answers on itself (this redirect leads to '
                          '%s: set it only if you trust that host with the token)' % redacted_url(base))
        return ('redirect (HTTP %d) %s. Redirects are never followed, so the token and request bodies reach only '
                'the configured URL: set %s to %s.' % (answer.status, where, option_label('url'), advice))

    # Messages ----------------------------------------------------------------------------

    def _attempts(self, attempt, started):
        if attempt == 1:
            return '1 attempt'  # its time is the limit the message states
        return '%d attempts in %.1f s' % (attempt, time.monotonic() - started)

    def _out_of_time(self, attempts, started):
        text = 'the task ran out of time (option total_timeout or %s: %d seconds for all its requests)' % (
            CONNECTION_ENV['total_timeout'], self.total_timeout)
        if attempts:
            text += '; %s' % self._attempts(attempts, started)
        return text

    def _describe_failure(self, exc, limit, attempt, started, out_of_time=False):
        if isinstance(exc, SSLError):
            return ('TLS verification failed (%s); set ca_path to the CA bundle that signs the server '
                    'certificate, or validate_certs: false only for a host you control' % self._root_cause(exc))
        if isinstance(exc, AnswerTooLarge):
            return 'the answer was larger than %d MiB; this is not an Apinizer answer' % (MAX_ANSWER_BYTES // 2 ** 20)
        if isinstance(exc, ConnectTimeout):
            text = 'could not connect to %s within %s seconds' % (self.base_url, _seconds(limit))
        elif isinstance(exc, (Timeout, WholeRequestTimeout)):
            text = 'no complete answer within %s seconds (option timeout or %s)' % (
                _seconds(limit), CONNECTION_ENV['timeout'])
        elif isinstance(exc, RequestsConnectionError):
            text = 'could not connect to %s or the connection was closed (%s)' % (self.base_url, self._root_cause(exc))
        else:
            text = '%s: %s' % (type(exc).__name__, exc)
        text += '; %s' % self._attempts(attempt, started)
        if out_of_time:
            text += '; no time was left for another (option total_timeout or %s: %d seconds)' % (
                CONNECTION_ENV['total_timeout'], self.total_timeout)
        return text

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


def _seconds(value):
    return ('%d' % value) if float(value).is_integer() else ('%.1f' % value)
