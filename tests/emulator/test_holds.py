# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of the emulator's hold/release hook (POST /_emulator/holds), over HTTP against a subprocess.

Nothing here orders requests by sleeping: a test waits for a hold's `waiting` count (a bounded poll)
before it sends the next request, so the order of arrival is the order the test chose.

Run: python -m pytest -q tests/emulator
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

# emulator_helpers.py (its directory is on sys.path under pytest's default import mode) owns the client
# and the process wrapper; only plain helpers are imported, no fixtures and no tests.
from emulator_helpers import Client, Emulator, bad_request, connection_path, error_a, proxy_path

MAINTENANCE = proxy_path('orders-api', 'settings', 'maintenance-mode')


@pytest.fixture(scope='module')
def hold_server():
    server = Emulator('--quiet')
    assert server.url.startswith('http://127.0.0.1:'), server.stderr_text()
    yield server
    assert server.stop() == 0


@pytest.fixture
def client(hold_server):
    client = Client(hold_server.url)
    client.admin('POST', '/_emulator/reset')
    return client


@pytest.fixture
def pool(client):
    """Threads for the concurrent clients; a failed test's held requests are released, not left to time out."""
    pool = ThreadPoolExecutor(max_workers=8)
    yield pool
    client.request('DELETE', '/_emulator/holds', token=None)
    pool.shutdown(wait=True)


def arm(client, **body):
    return client.admin('POST', '/_emulator/holds', body)


def view(client, hold_id):
    return [item for item in client.admin('GET', '/_emulator/holds') if item['id'] == hold_id][0]


def release(client, hold_id, body=None):
    return client.admin('POST', '/_emulator/holds/%d/release' % hold_id, body)


def until_waiting(client, hold_id, count, timeout=10):
    """Poll the hold until `count` requests are blocked on it (bounded by a deadline)."""
    deadline = time.monotonic() + timeout
    while True:
        current = view(client, hold_id)
        if current['waiting'] == count:
            return current
        assert time.monotonic() < deadline, 'hold %d: %d waiting, expected %d' % (hold_id, current['waiting'], count)
        time.sleep(0.005)


def send_in_order(client, pool, hold_id, calls):
    """Start each call in its own thread once the previous one is held: they arrive in this order."""
    futures = []
    for index, call in enumerate(calls):
        futures.append(pool.submit(call))
        until_waiting(client, hold_id, index + 1)
    return futures


def maintenance(client, message):
    return lambda: client.patch(MAINTENANCE, {'message': message}).status


def logged(client, method):
    return [entry for entry in client.log() if entry['method'] == method]


# ---- holding and releasing ----------------------------------------------------------------------

def test_arm_answers_the_hold_with_its_defaults(client):
    first = arm(client, path='orders-api')
    assert first == {'id': first['id'], 'method': None, 'path': 'orders-api', 'remaining': 1, 'timeout': 60,
                     'waiting': 0, 'caught': 0, 'released': 0, 'timed_out': 0}
    second = arm(client, method='put', path='x', count=3, timeout=2.5)
    # like fault ids, never reused, not even after a reset
    assert (second['id'], second['method'], second['remaining'], second['timeout']) == (first['id'] + 1, 'PUT', 3, 2.5)
    assert client.admin('GET', '/_emulator/holds') == [first, second]


def test_held_put_is_not_applied_until_released(client, pool):
    before = client.connection_object('smtp-alerts')
    changed = dict(before, host='smtp2.example.com')
    hold = arm(client, method='PUT', path='connections/smtp-alerts/$')
    future = pool.submit(lambda: client.put(connection_path('smtp-alerts'), changed))
    assert until_waiting(client, hold['id'], 1)['caught'] == 1
    # held: nothing applied, nothing logged, and everyone else is answered
    assert client.connection_object('smtp-alerts')['host'] == 'smtp.example.com'
    assert client.admin('GET', '/_emulator/state')['projects']['Demo']['connections'][0]['host'] == 'smtp.example.com'
    assert logged(client, 'PUT') == []
    assert not future.done()
    assert release(client, hold['id']) == dict(hold, remaining=0, caught=1, released=1)
    response = future.result(10)
    assert response.status == 200, response
    assert client.connection_object('smtp-alerts')['host'] == 'smtp2.example.com'
    log = client.log()
    put = [entry for entry in log if entry['method'] == 'PUT']
    assert len(put) == 1 and put[0]['held'] is True and put[0]['status'] == 200
    assert all('held' not in entry for entry in log if entry['method'] == 'GET')
    # the hold caught its one request; the next PUT goes through
    assert client.put(connection_path('smtp-alerts'), before).status == 200
    assert view(client, hold['id'])['caught'] == 1


def test_other_clients_are_served_while_requests_are_held(client, pool):
    hold = arm(client, method='get', path='customer api')
    other = arm(client, path='payments-api/settings')
    held = pool.submit(lambda: client.get(proxy_path('customer api')))
    metadata = proxy_path('payments-api', 'settings', 'metadata')
    held_too = pool.submit(lambda: client.patch(metadata, {'description': 'p'}))
    until_waiting(client, hold['id'], 1)
    until_waiting(client, other['id'], 1)
    # another method on the held path, other paths, writes, deploys, admin endpoints: all answered
    assert client.patch(proxy_path('customer api', 'settings', 'metadata'), {'description': 'c'}).status == 200
    assert client.get(proxy_path('orders-api')).status == 200
    assert client.post(proxy_path('orders-api', 'environments', 'test')).status == 200
    assert client.get('/apiops/test/healthcheck', token=None).status == 200
    for path in ('/_emulator/requests', '/_emulator/state', '/_emulator/faults', '/_emulator/holds'):
        assert client.request('GET', path, token=None).status == 200
    assert not held.done() and not held_too.done()
    release(client, other['id'])
    assert held_too.result(10).status == 200
    assert not held.done()
    release(client, hold['id'])
    assert held.result(10).json['resultList'][0]['description'] == 'c'


def test_held_before_the_token_is_checked(client, pool):
    hold = arm(client, path='orders-api/$')
    future = pool.submit(lambda: client.get(proxy_path('orders-api'), token='wrong'))
    until_waiting(client, hold['id'], 1)
    assert client.log() == []
    release(client, hold['id'])
    error_a(future.result(10), 401, 'Invalid token')
    assert [(entry['status'], entry['held']) for entry in client.log()] == [(401, True)]


def test_released_together_they_are_handled_in_arrival_order(client, pool):
    messages = ['m%d' % index for index in range(6)]
    hold = arm(client, method='PATCH', path='orders-api/settings/maintenance-mode', count=len(messages))
    futures = send_in_order(client, pool, hold['id'], [maintenance(client, message) for message in messages])
    assert release(client, hold['id'])['released'] == len(messages)
    assert [future.result(10) for future in futures] == [200] * len(messages)
    assert [entry['body']['message'] for entry in logged(client, 'PATCH')] == messages
    assert client.proxy('orders-api')['maintenanceModeSetting']['message'] == messages[-1]


def test_release_count_lets_the_oldest_go(client, pool):
    hold = arm(client, method='PATCH', path='maintenance-mode', count=3)
    futures = send_in_order(client, pool, hold['id'], [maintenance(client, 'm%d' % index) for index in range(3)])
    # a fourth matching request is past the hold's count: not held
    assert maintenance(client, 'free')() == 200
    assert release(client, hold['id'], {'count': 1}) == dict(
        hold, remaining=0, caught=3, waiting=2, released=1)
    assert futures[0].result(10) == 200
    assert not futures[1].done() and not futures[2].done()
    assert [entry['body']['message'] for entry in logged(client, 'PATCH')] == ['free', 'm0']
    assert client.proxy('orders-api')['maintenanceModeSetting']['message'] == 'm0'
    # more than wait: all that wait
    assert release(client, hold['id'], {'count': 5})['released'] == 3
    assert [future.result(10) for future in futures[1:]] == [200, 200]
    assert [entry['body']['message'] for entry in logged(client, 'PATCH')] == ['free', 'm0', 'm1', 'm2']
    # nothing waits: a release is a no-op
    assert release(client, hold['id'], {}) == dict(hold, remaining=0, caught=3, waiting=0, released=3)


def test_a_held_request_is_released_by_its_timeout(client):
    hold = arm(client, method='GET', path='orders-api/$', timeout=0.5)
    started = time.monotonic()
    response = client.get(proxy_path('orders-api'))  # no release: the timeout lets it go
    assert response.status == 200 and time.monotonic() - started >= 0.5
    assert view(client, hold['id']) == dict(hold, remaining=0, caught=1, waiting=0, released=1, timed_out=1)
    assert client.log()[0]['held'] is True


def test_timeouts_keep_the_arrival_order(client, pool):
    hold = arm(client, method='PATCH', path='maintenance-mode', count=3, timeout=1)
    futures = send_in_order(client, pool, hold['id'], [maintenance(client, 'm%d' % index) for index in range(3)])
    assert [future.result(10) for future in futures] == [200] * 3
    assert [entry['body']['message'] for entry in logged(client, 'PATCH')] == ['m0', 'm1', 'm2']
    assert view(client, hold['id'])['timed_out'] == 3


def test_delete_releases_every_waiting_request_and_removes_the_holds(client, pool):
    first = arm(client, method='PATCH', path='maintenance-mode', count=2)
    second = arm(client, method='GET', path='live-feed')
    futures = send_in_order(client, pool, first['id'], [maintenance(client, 'a'), maintenance(client, 'b')])
    futures.append(pool.submit(lambda: client.get(proxy_path('live-feed')).status))
    until_waiting(client, second['id'], 1)
    assert client.admin('DELETE', '/_emulator/holds') == {'cleared': 2, 'released': 3}
    assert [future.result(10) for future in futures] == [200] * 3
    assert client.admin('GET', '/_emulator/holds') == []
    assert client.get(proxy_path('live-feed')).status == 200  # not held any more
    assert client.admin('DELETE', '/_emulator/holds') == {'cleared': 0, 'released': 0}


def test_reset_releases_the_requests_and_handles_them_before_it_resets(client, pool):
    hold = arm(client, method='PATCH', path='maintenance-mode')
    future = pool.submit(maintenance(client, 'before reset'))
    until_waiting(client, hold['id'], 1)
    # an invalid seed changes nothing: the hold stays armed and its request waits
    bad_request(client.request('POST', '/_emulator/reset', {'projects': []}, token=None), 'Invalid seed')
    assert until_waiting(client, hold['id'], 1)['released'] == 0
    assert client.admin('POST', '/_emulator/reset')['reset'] is True
    assert future.result(10) == 200
    # the released request was handled before the reset: it is in neither the new state nor the new log
    assert client.proxy('orders-api')['maintenanceModeSetting']['message'] == 'API is under maintenance'
    assert logged(client, 'PATCH') == []
    assert client.admin('GET', '/_emulator/holds') == []


def test_a_hold_applies_before_a_fault(client, pool):
    hold = arm(client, method='PATCH', path='maintenance-mode')
    client.admin('POST', '/_emulator/faults', {'method': 'PATCH', 'path': 'maintenance-mode', 'status': 503})
    future = pool.submit(lambda: client.patch(MAINTENANCE, {'enabled': True}))
    until_waiting(client, hold['id'], 1)
    assert client.admin('GET', '/_emulator/faults')[0]['remaining'] == 1  # not taken while held
    release(client, hold['id'])
    error_a(future.result(10), 503, 'Injected fault (HTTP 503)')
    assert client.proxy('orders-api')['maintenanceModeSetting']['enabled'] is False  # the fault refused it
    entry = logged(client, 'PATCH')[0]
    assert (entry['status'], entry['held'], entry['fault']) == (503, True, 'status 503')
    assert client.admin('GET', '/_emulator/faults') == []
    assert client.patch(MAINTENANCE, {'enabled': True}).status == 200


def test_two_clients_in_a_chosen_order(client, pool):
    """The docs' worked example: A reads, B reads and writes, then A's write lands and B's is lost."""
    path = connection_path('smtp-alerts')
    seen_by_a = client.connection_object('smtp-alerts')
    hold = arm(client, method='PUT', path='connections/smtp-alerts/$')
    a_put = pool.submit(lambda: client.put(path, dict(seen_by_a, description='written by A')))
    until_waiting(client, hold['id'], 1)
    seen_by_b = client.connection_object('smtp-alerts')
    assert client.put(path, dict(seen_by_b, port=2525)).status == 200  # past the hold's count
    release(client, hold['id'])
    assert a_put.result(10).status == 200
    final = client.connection_object('smtp-alerts')
    assert (final['description'], final['port']) == ('written by A', 587)  # B's port change was overwritten
    assert [(entry['body'].get('port'), entry.get('held')) for entry in logged(client, 'PUT')] == [
        (2525, None), (587, True)]


def test_a_held_request_is_applied_after_its_client_gave_up(client, pool):
    hold = arm(client, method='PATCH', path='maintenance-mode')
    impatient = client.connection(timeout=0.5)

    def give_up():
        try:
            return client.patch(MAINTENANCE, {'message': 'too late'}, conn=impatient)
        finally:
            impatient.close()

    future = pool.submit(give_up)
    until_waiting(client, hold['id'], 1)
    with pytest.raises(OSError):  # the client's read timeout
        future.result(10)
    assert until_waiting(client, hold['id'], 1)['released'] == 0  # its client is gone, it still waits
    release(client, hold['id'])
    deadline = time.monotonic() + 10
    while not logged(client, 'PATCH'):
        assert time.monotonic() < deadline, 'the released PATCH was never handled'
        time.sleep(0.005)
    assert logged(client, 'PATCH')[0]['status'] == 200
    assert client.proxy('orders-api')['maintenanceModeSetting']['message'] == 'too late'


# ---- bad admin bodies -------------------------------------------------------------------------------

@pytest.mark.parametrize('body,fragment', [
    (None, 'a hold must be a JSON object'),
    ([], 'a hold must be a JSON object'),
    ({}, '"path"'),
    ({'path': 5}, '"path"'),
    ({'path': '('}, 'regular expression'),
    ({'path': 'x', 'method': 5}, '"method"'),
    ({'path': 'x', 'count': 0}, '"count"'),
    ({'path': 'x', 'count': '1'}, '"count"'),
    ({'path': 'x', 'count': True}, '"count"'),
    ({'path': 'x', 'count': 1.0}, '"count"'),
    ({'path': 'x', 'timeout': 0}, '"timeout"'),
    ({'path': 'x', 'timeout': -1}, '"timeout"'),
    ({'path': 'x', 'timeout': 601}, '"timeout"'),
    ({'path': 'x', 'timeout': '5'}, '"timeout"'),
    ({'path': 'x', 'timeout': True}, '"timeout"'),
    ({'path': 'x', 'status': 503}, 'Unrecognized field "status"'),
    ({'path': 'x', 'colour': 'red', 'size': 1}, 'Unrecognized fields "colour", "size"'),
])
def test_invalid_holds(client, body, fragment):
    bad_request(client.request('POST', '/_emulator/holds', body, token=None), fragment)
    assert client.admin('GET', '/_emulator/holds') == []


@pytest.mark.parametrize('body,fragment', [
    ([], 'a release must be a JSON object'),
    ({'count': 0}, '"count"'),
    ({'count': '2'}, '"count"'),
    ({'count': False}, '"count"'),
    ({'all': True}, 'Unrecognized field "all"'),
])
def test_invalid_releases(client, body, fragment):
    hold = arm(client, path='x')
    bad_request(client.request('POST', '/_emulator/holds/%d/release' % hold['id'], body, token=None), fragment)


def test_release_of_an_unknown_hold_and_other_methods(client):
    response = client.request('POST', '/_emulator/holds/7/release', token=None)
    assert response.status == 404 and response.json['error_description'] == 'No hold 7', response
    hold = arm(client, path='x')
    for method in ('GET', 'DELETE', 'PUT'):
        assert client.request(method, '/_emulator/holds/%d/release' % hold['id'], token=None).status == 404
    assert client.request('POST', '/_emulator/holds/abc/release', token=None).status == 404
    assert client.request('PATCH', '/_emulator/holds', {}, token=None).status == 404
    bad_request(client.request('POST', '/_emulator/holds', raw=b'{"path": ', token=None,
                               headers={'Content-Type': 'application/json'}), 'Malformed JSON')
