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
    retry_after_seconds,
)
from ansible_collections.apinizer.apiops.tests.unit.conftest import BASE_URL, TOKEN

PATH = '/apiops/projects/Demo/apiProxies/orders-api/'
URL = BASE_URL + PATH


class FakeModule(object):
    def __init__(self, **params):
        self.params = dict(url=BASE_URL, token=TOKEN, validate_certs=True, ca_path=None, timeout=30)
        self.params.update(params)

    def fail_json(self, **kwargs):
        raise AssertionError('fail_json called: %s' % kwargs)


@pytest.fixture
def client(no_sleep):
    return ApinizerClient(FakeModule())


# --- URLs and headers -------------------------------------------------------------

def test_api_path_encodes_every_segment():
    assert api_path('projects', 'My Project/Team', 'apiProxies', 'inventory/v2') == \
        '/apiops/projects/My%20Project%2FTeam/apiProxies/inventory%2Fv2/'
    assert api_path('projects', 'Démo', 'connections', 'a&b?c#d=e') == \
        '/apiops/projects/D%C3%A9mo/connections/a%26b%3Fc%23d%3De/'


@pytest.mark.parametrize('url', ['https://apinizer.test', 'https://apinizer.test/', 'https://apinizer.test/apiops',
                                 ' https://apinizer.test/apiops/ '])
def test_base_url_is_normalised(url):
    assert ApinizerClient(FakeModule(url=url)).base_url == BASE_URL


def test_url_without_scheme_is_refused():
    with pytest.raises(ApinizerError, match='must be an http:// or https:// URL'):
        ApinizerClient(FakeModule(url='apinizer.test'))


def test_tls_settings_reach_the_session():
    assert ApinizerClient(FakeModule()).session.verify is True
    assert ApinizerClient(FakeModule(ca_path='/etc/ca.pem')).session.verify == '/etc/ca.pem'
    assert ApinizerClient(FakeModule(validate_certs=False, ca_path='/etc/ca.pem')).session.verify is False


def test_token_and_json_are_sent(mocked_api, client):
    mocked_api.patch(URL + 'settings/websocket/', json={'success': True})
    assert client.patch(PATH + 'settings/websocket/', {'autoReconnect': True}) == {'success': True}
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
    assert client.delete(PATH) == {}


@pytest.mark.parametrize('body, message', [
    ({'error': 'bad_request', 'error_description': 'API Proxy type is not WEBSOCKET'}, 'API Proxy type is not WEBSOCKET'),
    ({'status': 'FAILURE', 'resultMessage': 'Token is not valid!'}, 'Token is not valid!'),
    ({'error': 'validation_failed', 'error_description': 'Invalid input',
      'validation_errors': [{'field': 'port', 'message': 'must be positive'}]}, 'Invalid input (port: must be positive)'),
])
def test_both_error_styles_become_one_message(mocked_api, client, body, message):
    mocked_api.patch(URL, status=400, json=body)
    with pytest.raises(ApinizerApiError) as caught:
        client.patch(PATH, {})
    assert str(caught.value) == 'Apinizer API PATCH %s failed (HTTP 400): %s' % (PATH, message)
    assert caught.value.status == 400


@pytest.mark.parametrize('body', [{'success': False, 'error_description': 'Deploy failed'},
                                  {'status': 'FAILURE', 'resultMessage': 'Deploy failed'}])
def test_2xx_that_reports_failure_is_an_error(mocked_api, client, body):
    mocked_api.post(URL, status=200, json=body)
    with pytest.raises(ApinizerApiError, match=r'failed \(HTTP 200\): Deploy failed'):
        client.post(PATH)


def test_html_error_body_is_cut_to_an_excerpt(mocked_api, client):
    page = '<html><head><style>body{}</style></head><body><h1>502 Bad Gateway</h1>' + 'x' * 500 + '</body></html>'
    mocked_api.post(URL, status=502, body=page, content_type='text/html')
    with pytest.raises(ApinizerApiError) as caught:
        client.post(PATH)
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


@pytest.mark.parametrize('status, body, found', [
    (404, {'error': 'not_found', 'error_description': 'ApiProxy (name: x) was not found!'}, True),
    (400, {'status': 'FAILURE', 'resultMessage': 'Connection (name: x) was not found!'}, True),
    (400, {'status': 'FAILURE', 'resultMessage': 'Project (P) is not found or user does not have privilege'}, True),
    (400, {'status': 'FAILURE', 'resultMessage': 'API Proxy type is not WEBSOCKET'}, False),
    (500, {'status': 'FAILURE', 'resultMessage': 'An unexpected error occurred'}, False),
])
def test_not_found_in_both_styles(mocked_api, client, status, body, found):
    mocked_api.get(URL, status=status, json=body)
    if found:
        assert client.get_or_none(PATH) is None
    else:
        with pytest.raises(ApinizerApiError):
            client.get_or_none(PATH)


def test_500_is_not_retried(mocked_api, client, no_sleep):
    mocked_api.get(URL, status=500, json={'status': 'FAILURE', 'resultMessage': 'An unexpected error occurred'})
    with pytest.raises(ApinizerApiError, match=r'HTTP 500\): An unexpected error occurred'):
        client.get(PATH)
    assert len(mocked_api.calls) == 1 and no_sleep == []


# --- retries ----------------------------------------------------------------------

@pytest.mark.parametrize('method', ['GET', 'PATCH', 'PUT'])
@pytest.mark.parametrize('status', [502, 503, 504])
def test_idempotent_calls_retry_transient_statuses(mocked_api, client, no_sleep, method, status):
    mocked_api.add(method, URL, status=status, body='busy')
    mocked_api.add(method, URL, json={'success': True})
    assert client.request(method, PATH, body={} if method != 'GET' else None) == {'success': True}
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


@pytest.mark.parametrize('method', ['POST', 'DELETE'])
@pytest.mark.parametrize('status', [429, 502, 503, 504])
def test_deploy_and_delete_are_never_resent(mocked_api, client, no_sleep, method, status):
    mocked_api.add(method, URL, status=status, body='busy')
    with pytest.raises(ApinizerApiError, match=r'HTTP %d' % status):
        client.request(method, PATH)
    assert len(mocked_api.calls) == 1 and no_sleep == []


def test_connection_error_is_retried_then_reported(mocked_api, client, no_sleep):
    mocked_api.get(URL, body=requests.exceptions.ConnectionError('Connection reset by peer'))
    with pytest.raises(ApinizerApiError) as caught:
        client.get(PATH)
    assert len(mocked_api.calls) == 1 + _client.MAX_RETRIES
    assert str(caught.value).startswith('Apinizer API GET %s failed (no response): could not connect' % PATH)
    assert caught.value.status is None


def test_dropped_deploy_is_not_resent(mocked_api, client, no_sleep):
    mocked_api.post(URL, body=requests.exceptions.ConnectionError('Connection aborted'))
    with pytest.raises(ApinizerApiError, match=r'failed \(no response\)'):
        client.post(PATH)
    assert len(mocked_api.calls) == 1


def test_read_timeout_message_names_the_option(mocked_api, client, no_sleep):
    mocked_api.get(URL, body=requests.exceptions.ReadTimeout('read timed out'))
    with pytest.raises(ApinizerApiError, match=r'no answer within 30 seconds \(option timeout\)'):
        client.get(PATH)


def test_refused_connection_is_reported_without_traceback(no_sleep):
    # A real socket error, no mock: port 9 on loopback refuses.
    client = ApinizerClient(FakeModule(url='http://127.0.0.1:9', timeout=2))
    with pytest.raises(ApinizerApiError) as caught:
        client.post(PATH)
    message = str(caught.value)
    assert message.startswith('Apinizer API POST %s failed (no response): could not connect to http://127.0.0.1:9' % PATH)
    assert 'object at 0x' not in message and 'Traceback' not in message
    assert len(no_sleep) == _client.MAX_RETRIES  # never sent, so even a POST may be retried


def test_error_message_helpers():
    assert api_error_message({}, 'Bad Request') == 'Bad Request'
    assert api_error_message('', 'Service Unavailable') == 'Service Unavailable'
    assert api_error_message('   ') == 'empty response body'
