# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import re
import socket
import threading
import time

import pytest
import requests

from ansible_collections.apinizer.apiops.plugins.module_utils import _client
from ansible_collections.apinizer.apiops.plugins.module_utils._client import (
    ApinizerApiError,
    ApinizerClient,
    ApinizerError,
    api_error_message,
    api_path,
    missing_connection_options,
    retry_after_seconds,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._scrub import Secrets
from ansible_collections.apinizer.apiops.tests.unit.conftest import BASE_URL, TOKEN

PATH = '/apiops/projects/Demo/apiProxies/orders-api/'
URL = BASE_URL + PATH
CA_FILE = __file__  # any readable file: only its path is handed to requests


def make(**params):
    options = dict(url=BASE_URL, token=TOKEN, validate_certs=True, ca_path=None, timeout=30)
    options.update(params)
    return ApinizerClient.from_params(options)


@pytest.fixture
def client(no_sleep):
    return make()


# --- URLs and headers -------------------------------------------------------------

def test_api_path_encodes_every_segment():
    assert api_path('projects', 'My Project/Team', 'apiProxies', 'inventory/v2') == \
        '/apiops/projects/My%20Project%2FTeam/apiProxies/inventory%2Fv2/'
    assert api_path('projects', 'Démo', 'connections', 'a&b?c#d=e') == \
        '/apiops/projects/D%C3%A9mo/connections/a%26b%3Fc%23d%3De/'


@pytest.mark.parametrize('url', ['https://apinizer.test', 'https://apinizer.test/', 'https://apinizer.test/apiops',
                                 ' https://apinizer.test/apiops/ '])
def test_base_url_is_normalised(url):
    assert make(url=url).base_url == BASE_URL


def test_url_without_scheme_is_refused():
    with pytest.raises(ApinizerError, match='must be an http:// or https:// URL'):
        make(url='apinizer.test')


@pytest.mark.parametrize('options, verify', [
    ({}, True), ({'ca_path': CA_FILE}, CA_FILE), ({'validate_certs': False, 'ca_path': CA_FILE}, False)])
def test_tls_settings_win_over_the_environment(monkeypatch, options, verify):
    """requests lets REQUESTS_CA_BUNDLE override a session's verify; ours is passed with each request."""
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', '/env/bundle.pem')
    monkeypatch.setenv('CURL_CA_BUNDLE', '/env/curl.pem')
    sent = []

    def send(session, request, **kwargs):
        sent.append(kwargs['verify'])
        raise requests.exceptions.SSLError('stop here')

    monkeypatch.setattr(requests.Session, 'send', send)
    with pytest.raises(ApinizerApiError):
        make(**options).get(PATH)
    assert sent == [verify if verify is not True else '/env/bundle.pem']


def test_tls_failure_shows_its_real_reason_and_is_not_retried(mocked_api, client, no_sleep):
    reason = 'certificate verify failed: self-signed certificate in certificate chain (_ssl.c:1006)'
    mocked_api.get(URL, body=requests.exceptions.SSLError(reason))
    with pytest.raises(ApinizerApiError) as caught:
        client.get(PATH)
    assert reason in caught.value.api_message and 'ca_path' in caught.value.api_message
    assert len(mocked_api.calls) == 1


@pytest.mark.parametrize('params, message', [
    ({'url': None, 'token': None}, 'Set both: option url or environment variable APINIZER_URL and option token or '
                                   'environment variable APINIZER_TOKEN.'),
    ({'url': 'https://a', 'token': ' '}, 'Set the option: option token or environment variable APINIZER_TOKEN.'),
    ({'url': 'https://a', 'token': 't'}, None),
])
def test_missing_connection_options_name_their_environment_variables(params, message):
    assert missing_connection_options(params) == message


@pytest.mark.parametrize('option, value', [('timeout', 0), ('timeout', -5), ('total_timeout', 0), ('retries', -1),
                                           ('timeout', True), ('retries', None)])
def test_timeouts_and_retries_out_of_range_are_refused(option, value):
    with pytest.raises(ApinizerError, match=r'Option %s \(or APINIZER_%s\) must be .*, got %r. Nothing was sent.'
                       % (option, option.upper(), value)):
        ApinizerClient(BASE_URL, TOKEN, **{option: value})


def test_token_and_json_are_sent(mocked_api, client):
    mocked_api.patch(URL + 'settings/websocket/', json={'success': True})
    assert client.request('PATCH', PATH + 'settings/websocket/', {'autoReconnect': True}) == {'success': True}
    request = mocked_api.calls[0].request
    assert request.headers['Authorization'] == 'Bearer ' + TOKEN
    assert request.headers['Content-Type'] == 'application/json'
    assert request.body == b'{"autoReconnect": true}'


def test_query_parameters(mocked_api, client):
    mocked_api.get(BASE_URL + '/apiops/projects/Demo/connections/', json={'status': 'SUCCESS', 'resultList': []})
    client.get('/apiops/projects/Demo/connections/', params={'type': 'linux-script'})
    assert mocked_api.calls[0].request.url.endswith('/connections/?type=linux-script')


# --- success and error bodies -------------------------------------------------------

@pytest.mark.parametrize('method', ['DELETE', 'POST', 'PATCH', 'PUT'])
def test_empty_2xx_to_a_write_is_an_unknown_outcome(mocked_api, client, method):
    mocked_api.add(method, URL, body='')
    with pytest.raises(ApinizerApiError) as caught:
        client.request(method, PATH)
    assert str(caught.value) == 'Apinizer API %s %s answered HTTP 200, but the body is empty' % (method, PATH)
    assert caught.value.outcome_unknown and caught.value.status == 200
    assert len(mocked_api.calls) == 1  # never re-sent: it may have been applied


def test_empty_2xx_to_a_read_is_a_failure_not_an_empty_object(mocked_api, client):
    mocked_api.get(URL, body='')
    with pytest.raises(ApinizerApiError, match='answered HTTP 200, but the body is empty') as caught:
        client.get(PATH)
    assert not caught.value.outcome_unknown


@pytest.mark.parametrize('body, message', [
    ({'error': 'bad_request', 'error_description': 'API Proxy type is not WEBSOCKET'}, 'API Proxy type is not WEBSOCKET'),
    ({'status': 'FAILURE', 'resultMessage': 'Token is not valid!'}, 'Token is not valid!'),
    ({'error': 'validation_failed', 'error_description': 'Invalid input',
      'validation_errors': [{'field': 'port', 'message': 'must be positive'}]}, 'Invalid input (port: must be positive)'),
])
def test_both_error_styles_become_one_message(mocked_api, client, body, message):
    mocked_api.patch(URL, status=400, json=body)
    with pytest.raises(ApinizerApiError) as caught:
        client.request('PATCH', PATH, {})
    assert str(caught.value) == 'Apinizer API PATCH %s failed (HTTP 400): %s' % (PATH, message)
    assert caught.value.status == 400


@pytest.mark.parametrize('body', [{'success': False, 'error_description': 'Deploy failed'},
                                  {'status': 'FAILURE', 'resultMessage': 'Deploy failed'}])
def test_2xx_that_reports_failure_to_a_write_is_an_unknown_outcome(mocked_api, client, body):
    mocked_api.post(URL, status=200, json=body)
    with pytest.raises(ApinizerApiError, match=r'answered HTTP 200, but the body says the request failed: '
                                               r'Deploy failed$') as caught:
        client.request('POST', PATH)
    assert caught.value.outcome_unknown


def test_html_error_body_is_cut_to_an_excerpt(mocked_api, client):
    page = '<html><head><style>body{}</style></head><body><h1>502 Bad Gateway</h1>' + 'x' * 500 + '</body></html>'
    mocked_api.post(URL, status=502, body=page, content_type='text/html')
    with pytest.raises(ApinizerApiError) as caught:
        client.request('POST', PATH)
    assert caught.value.api_message.startswith('502 Bad Gateway x')
    assert caught.value.api_message.endswith('...')
    assert '<' not in caught.value.api_message and 'body{}' not in caught.value.api_message


@pytest.mark.parametrize('body', ['OK', '<html><body>Welcome</body></html>', '[1, 2]', '"done"'])
def test_non_json_success_body_is_an_error(mocked_api, client, body):
    mocked_api.get(URL, status=200, body=body, content_type='text/plain')
    mocked_api.patch(URL, status=200, body=body, content_type='text/plain')
    with pytest.raises(ApinizerApiError, match='answered HTTP 200, but the body is not a JSON object: ') as caught:
        client.get(PATH)
    assert not caught.value.outcome_unknown
    with pytest.raises(ApinizerApiError, match='answered HTTP 200, but the body is not a JSON object: ') as caught:
        client.request('PATCH', PATH, {}, repeatable=True)
    assert caught.value.outcome_unknown and len(mocked_api.calls) == 2


def test_401_says_to_check_the_token(mocked_api, client):
    mocked_api.get(URL, status=401, json={'error': 'unauthorized_client', 'error_description': 'Invalid token'})
    with pytest.raises(ApinizerApiError) as caught:
        client.get(PATH)
    assert 'Invalid token (check the token: option token or APINIZER_TOKEN)' in str(caught.value)
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize('status, message, absent', [
    (404, 'ApiProxy (name: orders-api) was not found!', True),
    (400, 'ApiProxy (name: orders-api) is not found!', True),
    (400, 'ApiProxy with name (orders-api) is not found!', True),
    (400, 'Project (Dmeo) is not found or user does not have privilege to access it!', False),
    (404, "Project 'Dmeo' not found", False),
    (404, 'No endpoint GET /wrong/apiops/projects/Demo/apiProxies/orders-api/', False),
    (404, 'ApiProxy (name: orders-api-2) was not found!', False),
    (400, 'API Proxy type is not WEBSOCKET', False),
    (500, 'ApiProxy (name: orders-api) was not found!', False),
])
def test_absent_only_when_the_answer_names_the_object(status, message, absent):
    error = ApinizerApiError('GET', PATH, status, message)
    assert error.says_absent('ApiProxy', 'orders-api') is absent


def test_connection_names_are_compared_without_case():
    error = ApinizerApiError('GET', PATH, 400, 'Connection (name: My-Mail) was not found!')
    assert error.says_absent('Connection', 'my-mail', case_sensitive=False)
    assert not error.says_absent('Connection', 'my-mail')


def test_api_error_carries_method_path_status_and_message():
    error = ApinizerApiError('PATCH', PATH, 409, 'conflict')
    assert error.api_error == {'method': 'PATCH', 'path': PATH, 'status': 409, 'message': 'conflict'}


def test_500_is_not_retried(mocked_api, client, no_sleep):
    mocked_api.get(URL, status=500, json={'status': 'FAILURE', 'resultMessage': 'An unexpected error occurred'})
    with pytest.raises(ApinizerApiError, match=r'HTTP 500\): An unexpected error occurred'):
        client.get(PATH)
    assert len(mocked_api.calls) == 1 and no_sleep == []


# --- retries ----------------------------------------------------------------------

@pytest.mark.parametrize('method', ['GET', 'PATCH', 'PUT'])
@pytest.mark.parametrize('status', [502, 503, 504])
def test_repeatable_calls_retry_transient_statuses(mocked_api, client, no_sleep, method, status):
    mocked_api.add(method, URL, status=status, body='busy')
    mocked_api.add(method, URL, json={'success': True})
    assert client.request(method, PATH, body={} if method != 'GET' else None, repeatable=True) == {'success': True}
    assert len(mocked_api.calls) == 2 and no_sleep == [0.5]


def test_retries_are_bounded_with_backoff(mocked_api, client, no_sleep):
    mocked_api.get(URL, status=503, body='down')
    with pytest.raises(ApinizerApiError, match=r'HTTP 503\): down'):
        client.get(PATH)
    assert len(mocked_api.calls) == 1 + _client.DEFAULT_RETRIES
    assert no_sleep == [0.5, 1.0, 2.0]


def test_429_honours_retry_after(mocked_api, client, no_sleep):
    mocked_api.get(URL, status=429, headers={'Retry-After': '7'},
                   json={'error': 'rate_limit_exceeded', 'error_description': 'Rate limit exceeded.'})
    mocked_api.get(URL, json={'success': True})
    assert client.get(PATH) == {'success': True}
    assert no_sleep == [7.0]


def test_retry_after_is_clamped_and_parsed():
    assert retry_after_seconds('3600') == _client.MAX_RETRY_AFTER_SECONDS
    assert retry_after_seconds('-5') == 0
    assert retry_after_seconds('Wed, 21 Oct 2015 07:28:00 GMT') == 0
    assert retry_after_seconds('soon') is None and retry_after_seconds(None) is None


@pytest.mark.parametrize('method', ['POST', 'DELETE', 'PATCH', 'PUT'])
@pytest.mark.parametrize('status', [500, 502, 503, 504])
def test_requests_that_are_not_repeatable_are_never_resent(mocked_api, client, no_sleep, method, status):
    mocked_api.add(method, URL, status=status, body='busy')
    with pytest.raises(ApinizerApiError, match=r'HTTP %d' % status) as caught:
        client.request(method, PATH, repeatable=False)
    assert len(mocked_api.calls) == 1 and no_sleep == []
    assert caught.value.outcome_unknown


@pytest.mark.parametrize('method', ['POST', 'DELETE', 'PATCH'])
def test_429_is_resent_whatever_the_request_does(mocked_api, client, no_sleep, method):
    mocked_api.add(method, URL, status=429, headers={'Retry-After': '2'}, body='slow down')
    mocked_api.add(method, URL, json={'success': True})
    assert client.request(method, PATH, repeatable=False) == {'success': True}
    assert len(mocked_api.calls) == 2 and no_sleep == [2.0]


def test_429_to_the_end_is_a_refusal_not_an_unknown_outcome(mocked_api, client, no_sleep):
    mocked_api.post(URL, status=429, body='slow down')
    with pytest.raises(ApinizerApiError) as caught:
        client.request('POST', PATH)
    assert not caught.value.outcome_unknown and len(mocked_api.calls) == 1 + _client.DEFAULT_RETRIES


def test_a_4xx_refusal_is_a_known_outcome(mocked_api, client):
    mocked_api.post(URL, status=400, json={'status': 'FAILURE', 'resultMessage': 'no'})
    with pytest.raises(ApinizerApiError) as caught:
        client.request('POST', PATH)
    assert not caught.value.outcome_unknown


def test_name_resolution_failure_never_reached_the_server(mocked_api, client, no_sleep):
    from urllib3.exceptions import MaxRetryError, NameResolutionError
    failure = MaxRetryError(None, URL, NameResolutionError('apinizer.test', None, 'Name or service not known'))
    mocked_api.post(URL, body=requests.exceptions.ConnectionError(failure))
    with pytest.raises(ApinizerApiError) as caught:
        client.request('POST', PATH)
    assert len(mocked_api.calls) == 1 + _client.DEFAULT_RETRIES  # never sent, so even a deploy may be sent again
    assert not caught.value.reached and not caught.value.outcome_unknown


def test_connection_error_is_retried_then_reported(mocked_api, client, no_sleep):
    mocked_api.get(URL, body=requests.exceptions.ConnectionError('Connection reset by peer'))
    with pytest.raises(ApinizerApiError) as caught:
        client.get(PATH)
    assert len(mocked_api.calls) == 1 + _client.DEFAULT_RETRIES
    assert str(caught.value).startswith('Apinizer API GET %s failed (no response): could not connect' % PATH)
    assert re.search(r'; 4 attempts in [0-9.]+ s$', str(caught.value))
    assert caught.value.status is None


def test_dropped_deploy_is_not_resent(mocked_api, client, no_sleep):
    mocked_api.post(URL, body=requests.exceptions.ConnectionError('Connection aborted'))
    with pytest.raises(ApinizerApiError, match=r'failed \(no response\)') as caught:
        client.request('POST', PATH)
    assert len(mocked_api.calls) == 1 and caught.value.outcome_unknown


def test_read_timeout_message_names_the_option(mocked_api, client, no_sleep):
    mocked_api.get(URL, body=requests.exceptions.ReadTimeout('read timed out'))
    with pytest.raises(ApinizerApiError, match=r'no complete answer within 30 seconds \(option timeout or '
                                               r'APINIZER_TIMEOUT\); 4 attempts in [0-9.]+ s$'):
        client.get(PATH)


def test_refused_connection_is_reported_without_traceback(no_sleep):
    # A real socket error, no mock: port 9 on loopback refuses.
    client = make(url='http://127.0.0.1:9', timeout=2)
    with pytest.raises(ApinizerApiError) as caught:
        client.request('POST', PATH)
    message = str(caught.value)
    assert message.startswith('Apinizer API POST %s failed (no response): could not connect to http://127.0.0.1:9' % PATH)
    assert 'object at 0x' not in message and 'Traceback' not in message
    assert len(no_sleep) == _client.DEFAULT_RETRIES  # never sent, so even a POST may be retried


def test_error_message_helpers():
    assert api_error_message({}, 'Bad Request') == 'Bad Request'
    assert api_error_message('', 'Service Unavailable') == 'Service Unavailable'
    assert api_error_message('   ') == 'empty response body'


# --- a client that trusts no server -------------------------------------------------------

@pytest.mark.parametrize('status', [301, 302, 303, 307, 308])
@pytest.mark.parametrize('method', ['GET', 'PATCH', 'PUT', 'POST', 'DELETE'])
def test_redirects_are_never_followed(mocked_api, client, no_sleep, method, status):
    mocked_api.add(method, URL, status=status, headers={'Location': 'https://elsewhere.test/apiops/x/'})
    # Nothing is registered for elsewhere.test: a followed redirect would fail on an unknown URL.
    with pytest.raises(ApinizerApiError) as caught:
        client.request(method, PATH, body={'password': 'p'} if method != 'GET' else None)
    message = str(caught.value)
    assert message.startswith('Apinizer API %s %s failed (HTTP %d): redirect (HTTP %d) to '
                              'https://elsewhere.test/apiops/x/. Redirects are never followed' % (method, PATH, status,
                                                                                                  status))
    assert 'set url (or APINIZER_URL) to the address the Apinizer management application answers on itself (this ' \
           'redirect leads to https://elsewhere.test: set it only if you trust that host with the token)' in message
    assert len(mocked_api.calls) == 1 and no_sleep == []
    # A redirected write may have been applied (a 303 after a write says it was): settled by a read-back.
    assert caught.value.outcome_unknown is (method != 'GET')


def test_redirect_without_location_and_relative_location(mocked_api, client):
    mocked_api.get(URL, status=302)
    with pytest.raises(ApinizerApiError, match=r'redirect \(HTTP 302\) without a Location'):
        client.get(PATH)
    mocked_api.replace(responses_get(), URL, status=301, headers={'Location': '/manager/apiops/projects/'})
    with pytest.raises(ApinizerApiError, match=r'to https://apinizer.test/manager/apiops/projects/\. .*'
                                               r'\(this redirect leads to https://apinizer.test/manager: set it only'):
        client.get(PATH)
    mocked_api.replace(responses_get(), URL, status=302, headers={'Location': URL})
    with pytest.raises(ApinizerApiError, match=r'this redirect leads back to the configured URL'):
        client.get(PATH)


def responses_get():
    import responses
    return responses.GET


def test_the_token_goes_through_an_auth_object_netrc_never_replaces_it(mocked_api, client, tmp_path, monkeypatch):
    netrc = tmp_path / '.netrc'
    netrc.write_text('machine apinizer.test login someone password other-secret\n')
    netrc.chmod(0o600)
    monkeypatch.setenv('NETRC', str(netrc))
    monkeypatch.setenv('HOME', str(tmp_path))
    mocked_api.get(URL, json={'success': True})
    client.get(PATH)
    assert mocked_api.calls[0].request.headers['Authorization'] == 'Bearer ' + TOKEN


@pytest.mark.parametrize('token', [TOKEN + '\n', '  ' + TOKEN + '\r\n', '\t' + TOKEN])
def test_surrounding_whitespace_of_the_token_is_removed(mocked_api, token):
    mocked_api.get(URL, json={'success': True})
    make(token=token).get(PATH)
    assert mocked_api.calls[0].request.headers['Authorization'] == 'Bearer ' + TOKEN


@pytest.mark.parametrize('token, position', [('abc\ndef', 4), ('abc def', 4), ('abc\x00', 4), ('t\u00f6ken', 2)])
def test_a_token_that_cannot_be_a_header_is_refused_without_showing_it(token, position):
    with pytest.raises(ApinizerError) as caught:
        make(token=token)
    message = str(caught.value)
    assert message == ('Option token (or APINIZER_TOKEN) holds a character that cannot be sent in an HTTP header (a '
                       'space, control or non-ASCII character, at position %d of %d); give the token exactly as '
                       'Apinizer issued it. Nothing was sent.' % (position, len(token.strip())))
    assert token.strip() not in message


@pytest.mark.parametrize('url, message', [
    ('https://admin:hunter2@apinizer.test', 'must not carry a user name or password (https://***@apinizer.test)'),
    ('https://apinizer.test/ apiops', 'must not contain spaces or control characters'),
    ('https://apinizer .test', 'must not contain spaces or control characters'),
    ('https://apinizer.test/\x7f', 'must not contain spaces or control characters'),
    ('https://apinizer.test/?x=1', 'must not have a query or fragment'),
    ('https://apinizer.test/#top', 'must not have a query or fragment'),
    ('https://apinizer.test:99999', 'has an invalid port'),
    ('https://:443', 'names no host'),
    ('ftp://apinizer.test', 'must be an http:// or https:// URL'),
])
def test_urls_that_would_mislead_are_refused(url, message):
    with pytest.raises(ApinizerError) as caught:
        make(url=url)
    assert message in str(caught.value) and str(caught.value).endswith('Nothing was sent.')
    assert 'hunter2' not in str(caught.value)


def test_url_userinfo_joins_the_secrets_before_it_is_refused():
    secrets = Secrets()
    with pytest.raises(ApinizerError):
        ApinizerClient('https://admin:hunter2@apinizer.test', TOKEN, secrets=secrets)
    assert 'hunter2' in secrets and TOKEN in secrets


@pytest.mark.parametrize('url, warned', [('http://apinizer.test', True), ('https://apinizer.test', False)])
def test_plain_http_with_a_token_warns_once_unless_turned_off(url, warned):
    warnings = []
    ApinizerClient(url, TOKEN, warn=warnings.append)
    assert len(warnings) == (1 if warned else 0)
    if warned:
        assert warnings[0].startswith('Option url (or APINIZER_URL) uses http://, so the token and every secret')
    warnings = []
    ApinizerClient(url, TOKEN, warn=warnings.append, warn_on_http=False)
    assert warnings == []


def test_a_missing_ca_path_is_refused_before_any_request(tmp_path):
    missing = str(tmp_path / 'nope.pem')
    with pytest.raises(ApinizerError, match='Option ca_path .* names %s, which is not a readable file' % re.escape(missing)):
        make(ca_path=missing)
    make(ca_path=missing, validate_certs=False)  # not used without validation
    make(ca_path=str(tmp_path))  # a directory of hashed certificates is what requests takes too


def test_dot_segments_are_refused_as_names():
    for name in ('.', '..'):
        with pytest.raises(ApinizerError, match="must not be '%s': URL normalisation" % re.escape(name)):
            api_path('projects', 'Demo', 'apiProxies', name)
    assert api_path('projects', 'Demo', 'apiProxies', '...') == '/apiops/projects/Demo/apiProxies/.../'


def test_retries_option_caps_the_attempts(mocked_api, no_sleep):
    mocked_api.get(URL, status=503, body='down')
    with pytest.raises(ApinizerApiError):
        make(retries=1).get(PATH)
    assert len(mocked_api.calls) == 2
    with pytest.raises(ApinizerApiError):
        make(retries=0).get(PATH)
    assert len(mocked_api.calls) == 3


def test_total_timeout_stops_retries_and_says_so(mocked_api, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(_client.time, 'monotonic', lambda: clock[0])
    monkeypatch.setattr(_client.time, 'sleep', lambda seconds: clock.__setitem__(0, clock[0] + seconds))
    mocked_api.get(URL, status=503, headers={'Retry-After': '20'}, body='down')
    with pytest.raises(ApinizerApiError) as caught:
        make(total_timeout=30).get(PATH)
    assert len(mocked_api.calls) == 2  # 20 s of waiting fit in 30 s once, not twice
    assert caught.value.status == 503


def test_total_timeout_already_spent_sends_nothing(mocked_api, monkeypatch):
    client = make(total_timeout=5)
    monkeypatch.setattr(_client.time, 'monotonic', lambda: client.deadline + 1)
    with pytest.raises(ApinizerApiError, match=r'the task ran out of time \(option total_timeout or '
                                               r'APINIZER_TOTAL_TIMEOUT: 5 seconds for all its requests\)') as caught:
        client.get(PATH)
    assert len(mocked_api.calls) == 0 and not caught.value.reached


def test_an_answer_too_large_is_refused(mocked_api, client, monkeypatch):
    monkeypatch.setattr(_client, 'MAX_ANSWER_BYTES', 1000)
    mocked_api.get(URL, body='x' * 5000)
    with pytest.raises(ApinizerApiError, match='the answer was larger than 0 MiB'):
        client.get(PATH)
    assert len(mocked_api.calls) == 1


class DripServer:
    """A real socket server that answers one byte at a time, every ``interval`` seconds, for ever."""

    def __init__(self, interval=0.2, headers_first=False):
        self.listener = socket.socket()
        self.listener.bind(('127.0.0.1', 0))
        self.listener.listen(5)
        self.interval = interval
        self.headers_first = headers_first
        self.stopped = threading.Event()
        threading.Thread(target=self.serve, daemon=True).start()

    @property
    def url(self):
        return 'http://127.0.0.1:%d' % self.listener.getsockname()[1]

    def serve(self):
        while not self.stopped.is_set():
            try:
                conn = self.listener.accept()[0]
            except OSError:
                return
            threading.Thread(target=self.drip, args=(conn,), daemon=True).start()

    def drip(self, conn):
        try:
            conn.recv(65536)
            if self.headers_first:
                conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n')
            else:
                conn.sendall(b'HTTP/1.1 200 OK\r\n')
            while not self.stopped.is_set():
                conn.sendall(b'X-Slow: y\r\n' if not self.headers_first else b' ')
                time.sleep(self.interval)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self):
        self.stopped.set()
        self.listener.close()


@pytest.mark.parametrize('headers_first', [False, True])
def test_timeout_bounds_the_whole_request_however_slowly_the_server_drips(headers_first):
    server = DripServer(headers_first=headers_first)
    try:
        client = ApinizerClient(server.url, TOKEN, timeout=1, retries=0)
        started = time.monotonic()
        with pytest.raises(ApinizerApiError) as caught:
            client.get(PATH)
        took = time.monotonic() - started
        lingering = wait_for_request_threads()
    finally:
        server.close()
    assert took < 1 + 1, took  # the contract: a request ends within timeout + 1 s
    assert 'no complete answer within 1 seconds (option timeout or APINIZER_TIMEOUT); 1 attempt' in str(caught.value)
    assert caught.value.outcome_unknown  # it reached the server
    assert lingering == [], 'the abandoned exchange still reads from the dripping server'


def wait_for_request_threads(seconds=5):
    """The request threads still alive after a bounded wait (its socket was shut, so they end at once)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [thread for thread in threading.enumerate() if thread.name == 'apinizer-request']
        if not alive:
            return []
        time.sleep(0.05)
    return alive
