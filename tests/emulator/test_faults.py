# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of fault injection (POST /_emulator/faults), before and after the request is applied.

Run: python -m pytest -q tests/emulator
"""

from __future__ import annotations

import http.client
import threading
import time

import pytest

from emulator_helpers import error_a, error_b, proxy_path, timed


# ---- faults ---------------------------------------------------------------------------------------------

def test_fault_status_and_json_body_then_normal(client):
    fault = client.admin('POST', '/_emulator/faults', {
        'method': 'PATCH', 'path': 'payments-api/settings/maintenance-mode', 'status': 500,
        'body': {'error': 'server_error', 'error_description': 'injected'}})
    assert fault['remaining'] == 1 and fault['status'] == 500
    path = proxy_path('payments-api', 'settings', 'maintenance-mode')
    assert client.get(proxy_path('payments-api')).status == 200  # another method: not affected
    error_a(client.patch(path, {'enabled': True}), 500, 'injected', 'server_error')
    assert client.proxy('payments-api')['maintenanceModeSetting']['enabled'] is False  # nothing applied
    assert client.patch(path, {'enabled': True}).status == 200
    assert [entry['status'] for entry in client.log() if entry['method'] == 'PATCH'] == [500, 200]
    assert client.admin('GET', '/_emulator/faults') == []


def test_fault_html_body_retry_after_and_count(client):
    client.admin('POST', '/_emulator/faults', {'path': r'/apiProxies/orders-api/$', 'count': 2, 'status': 503,
                                               'body': '<html><body><h1>503 Service Unavailable</h1></body></html>',
                                               'content_type': 'text/html', 'retry_after': 2})
    for attempt in range(2):
        response = client.get(proxy_path('orders-api'))
        assert response.status == 503, attempt
        assert response.headers['Content-Type'] == 'text/html'
        assert response.headers['Retry-After'] == '2'
        assert response.text.startswith('<html>')
    response = client.get(proxy_path('orders-api'))
    assert response.status == 200 and 'Retry-After' not in response.headers
    assert [entry['status'] for entry in client.log()] == [503, 503, 200]


def test_fault_default_body_follows_the_style(client, newer):
    client.admin('POST', '/_emulator/faults', {'path': 'orders-api', 'status': 502})
    error_a(client.get(proxy_path('orders-api')), 502, 'Injected fault (HTTP 502)')
    newer.admin('POST', '/_emulator/faults', {'path': 'orders-api', 'status': 502})
    error_b(newer.get(proxy_path('orders-api')), 502, 'Injected fault (HTTP 502)')


def test_fault_delay(client):
    client.admin('POST', '/_emulator/faults', {'path': 'orders-api', 'delay': 1.0})
    started = time.monotonic()
    assert client.get(proxy_path('orders-api')).status == 200
    assert time.monotonic() - started >= 1.0
    started = time.monotonic()
    assert client.get(proxy_path('orders-api')).status == 200
    assert time.monotonic() - started < 0.8


def test_fault_drop(client):
    client.admin('POST', '/_emulator/faults', {'method': 'GET', 'path': 'orders-api', 'drop': True})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        client.get(proxy_path('orders-api'))
    assert client.get(proxy_path('orders-api')).status == 200
    log = client.log()
    assert [entry['status'] for entry in log] == [None, 200]
    assert log[0]['path'] == '/apiops/projects/Demo/apiProxies/orders-api/'


def test_fault_matches_the_decoded_path_and_faults_can_be_cleared(client):
    client.admin('POST', '/_emulator/faults', {'path': 'customer api', 'status': 429, 'count': 5})
    assert client.get(proxy_path('customer api')).status == 429
    assert client.admin('DELETE', '/_emulator/faults') == {'cleared': 1}
    assert client.get(proxy_path('customer api')).status == 200
    client.admin('POST', '/_emulator/faults', {'path': 'healthcheck', 'status': 503})
    assert client.get('/apiops/test/healthcheck', token=None).status == 503


@pytest.mark.parametrize('fault,fragment', [
    ({'status': 500}, '"path"'),
    ({'path': '(', 'status': 500}, 'regular expression'),
    ({'path': 'x'}, '"status", "drop" or "delay"'),
    ({'path': 'x', 'status': 'bad'}, '"status"'),
    ({'path': 'x', 'status': 500, 'count': 0}, '"count"'),
    ({'path': 'x', 'delay': -1}, '"delay"'),
    ({'path': 'x', 'status': 500, 'colour': 'red'}, '"colour"'),
])
def test_invalid_faults(client, fault, fragment):
    response = client.request('POST', '/_emulator/faults', fault, token=None)
    assert response.status == 400 and fragment in response.json['error_description'], response


# ---- faults after apply -----------------------------------------------------------------------------

def test_fault_after_apply_drop(client):
    path = proxy_path('orders-api', 'environments', 'test')
    last = client.last_revision('orders-api')
    client.admin('POST', '/_emulator/faults', {'method': 'POST', 'path': 'environments/test', 'drop': True, 'after_apply': True})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        client.post(path)
    assert client.deploy_status('orders-api', 'test')['revision'] == last + 1  # it was applied
    log = client.log()
    assert log[0] == {'method': 'POST', 'path': path, 'raw_path': path, 'query': {}, 'body': None, 'status': 200,
                      'fault': 'drop after apply'}
    assert 'fault' not in log[1]


def test_fault_after_apply_status(client):
    path = proxy_path('orders-api', 'settings', 'maintenance-mode')
    fault = client.admin('POST', '/_emulator/faults', {'path': 'maintenance-mode', 'status': 502, 'after_apply': True,
                                                       'body': '<html>Bad Gateway</html>', 'content_type': 'text/html',
                                                       'retry_after': 3})
    assert fault['after_apply'] is True
    response = client.patch(path, {'enabled': True})
    assert response.status == 502 and response.text == '<html>Bad Gateway</html>'
    assert response.headers['Content-Type'] == 'text/html' and response.headers['Retry-After'] == '3'
    assert client.proxy('orders-api')['maintenanceModeSetting']['enabled'] is True
    assert client.log()[0]['status'] == 200 and client.log()[0]['fault'] == 'status 502 after apply'
    # a request the server refuses is logged with its real status too
    client.admin('POST', '/_emulator/faults', {'path': 'maintenance-mode', 'status': 504, 'after_apply': True})
    error_a(client.patch(path, {'enabled': 'yes'}), 504, 'Injected fault (HTTP 504)')
    assert client.log()[-1]['status'] == 400 and client.log()[-1]['fault'] == 'status 504 after apply'


def test_fault_after_apply_delay(client):
    client.admin('POST', '/_emulator/faults', {'method': 'PATCH', 'path': 'orders-api', 'delay': 0.6, 'after_apply': True})
    other = []

    def look():
        time.sleep(0.3)
        other.append(client.proxy('orders-api')['maintenanceModeSetting']['message'])

    thread = threading.Thread(target=look)
    thread.start()
    response, seconds = timed(lambda: client.patch(proxy_path('orders-api', 'settings', 'maintenance-mode'), {'message': 'late'}))
    thread.join(5)
    assert response.status == 200 and seconds >= 0.6
    assert other == ['late']  # applied (and seen by others) before the answer was sent
    entry = [item for item in client.log() if item['method'] == 'PATCH'][0]
    assert entry['status'] == 200 and entry['fault'] == 'delay 0.6s after apply'


def test_fault_before_apply_is_labelled_in_the_log(client):
    client.admin('POST', '/_emulator/faults', {'path': 'orders-api/$', 'drop': True})
    client.admin('POST', '/_emulator/faults', {'path': 'payments-api/$', 'status': 503, 'delay': 0.1})
    client.admin('POST', '/_emulator/faults', {'path': 'live-feed/$', 'delay': 0.1})
    assert client.admin('GET', '/_emulator/faults')[0]['after_apply'] is False
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        client.get(proxy_path('orders-api'))
    assert client.get(proxy_path('payments-api')).status == 503
    assert client.get(proxy_path('live-feed')).status == 200
    assert client.get(proxy_path('legacy-soap')).status == 200
    assert [(entry['status'], entry.get('fault')) for entry in client.log()] == [
        (None, 'drop'), (503, 'delay 0.1s, status 503'), (200, 'delay 0.1s'), (200, None)]


def test_invalid_after_apply(client):
    response = client.request('POST', '/_emulator/faults', {'path': 'x', 'drop': True, 'after_apply': 'yes'}, token=None)
    assert response.status == 400 and '"after_apply" must be a boolean' in response.json['error_description']
