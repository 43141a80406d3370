# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

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
from ansible_collections.apinizer.apiops.tests.unit.conftest import BASE_URL, TOKEN

PATH = '/apiops/projects/Demo/apiProxies/orders-api/'
URL = BASE_URL + PATH


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
    ({}, True), ({'ca_path': '/etc/ca.pem'}, '/etc/ca.pem'), ({'validate_certs': False, 'ca_path': '/etc/ca.pem'}, False)])
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


def test_zero_timeout_is_refused():
    with pytest.raises(ApinizerError, match='timeout must be a positive'):
        make(timeout=0)


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

def test_empty_success_body_is_an_empty_dict(mocked_api, client):
    mocked_api.delete(URL, body='')
    assert client.request('DELETE', PATH) == {}


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
def test_2xx_that_reports_failure_is_an_error(mocked_api, client, body):
    mocked_api.post(URL, status=200, json=body)
    with pytest.raises(ApinizerApiError, match=r'failed \(HTTP 200\): Deploy failed'):
        client.request('POST', PATH)


def test_html_error_body_is_cut_to_an_excerpt(mocked_api, client):
    page = '<html><head><style>body{}</style></head><body><h1>502 Bad Gateway</h1>' + 'x' * 500 + '</body></html>'
    mocked_api.post(URL, status=502, body=page, content_type='text/html')
    with pytest.raises(ApinizerApiError) as caught:
        client.request('POST', PATH)
    assert caught.value.api_message.startswith('502 Bad Gateway x')
    assert caught.value.api_message.endswith('...')
    assert '<' not in caught.value.api_message and 'body{}' not in caught.value.api_message


def test_non_json_success_body_is_an_error(mocked_api, client):
    mocked_api.get(URL, status=200, body='OK', content_type='text/plain')
    with pytest.raises(ApinizerApiError, match='expected a JSON object, got: OK'):
        client.get(PATH)


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
    assert len(mocked_api.calls) == 1 + _client.MAX_RETRIES
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
    assert not caught.value.outcome_unknown and len(mocked_api.calls) == 1 + _client.MAX_RETRIES


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
    assert len(mocked_api.calls) == 1 + _client.MAX_RETRIES  # never sent, so even a deploy may be sent again
    assert not caught.value.reached and not caught.value.outcome_unknown


def test_connection_error_is_retried_then_reported(mocked_api, client, no_sleep):
    mocked_api.get(URL, body=requests.exceptions.ConnectionError('Connection reset by peer'))
    with pytest.raises(ApinizerApiError) as caught:
        client.get(PATH)
    assert len(mocked_api.calls) == 1 + _client.MAX_RETRIES
    assert str(caught.value).startswith('Apinizer API GET %s failed (no response): could not connect' % PATH)
    assert caught.value.status is None


def test_dropped_deploy_is_not_resent(mocked_api, client, no_sleep):
    mocked_api.post(URL, body=requests.exceptions.ConnectionError('Connection aborted'))
    with pytest.raises(ApinizerApiError, match=r'failed \(no response\)') as caught:
        client.request('POST', PATH)
    assert len(mocked_api.calls) == 1 and caught.value.outcome_unknown


def test_read_timeout_message_names_the_option(mocked_api, client, no_sleep):
    mocked_api.get(URL, body=requests.exceptions.ReadTimeout('read timed out'))
    with pytest.raises(ApinizerApiError, match=r'no answer within 30 seconds \(option timeout\)'):
        client.get(PATH)


def test_refused_connection_is_reported_without_traceback(no_sleep):
    # A real socket error, no mock: port 9 on loopback refuses.
    client = make(url='http://127.0.0.1:9', timeout=2)
    with pytest.raises(ApinizerApiError) as caught:
        client.request('POST', PATH)
    message = str(caught.value)
    assert message.startswith('Apinizer API POST %s failed (no response): could not connect to http://127.0.0.1:9' % PATH)
    assert 'object at 0x' not in message and 'Traceback' not in message
    assert len(no_sleep) == _client.MAX_RETRIES  # never sent, so even a POST may be retried


def test_error_message_helpers():
    assert api_error_message({}, 'Bad Request') == 'Bad Request'
    assert api_error_message('', 'Service Unavailable') == 'Service Unavailable'
    assert api_error_message('   ') == 'empty response body'
