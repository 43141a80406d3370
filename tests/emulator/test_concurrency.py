# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of concurrent clients and of --latency-ms and --deploy-latency-ms.

Run: python -m pytest -q tests/emulator
"""

from __future__ import annotations

import threading

from emulator_helpers import Client, Emulator, api, error_a, parallel, proxy_path, timed


# ---- concurrency ----------------------------------------------------------------------------------------

def test_fifty_parallel_clients_lose_nothing(client):
    workers, rounds = 50, 6
    seed = {'projects': {'Load': {
        'environments': [{'name': 'production'}],
        'apiProxies': [{'name': 'shared', 'deployments': ['production']}] + [{'name': 'p%02d' % i} for i in range(workers)],
    }}}
    client.admin('POST', '/_emulator/reset', seed)
    errors = []
    barrier = threading.Barrier(workers)

    def work(index):
        conn = client.connection(timeout=30)
        try:
            barrier.wait()
            own = api('projects', 'Load', 'apiProxies', 'p%02d' % index)
            for round_number in range(rounds):
                message = 'worker %d round %d' % (index, round_number)
                response = client.patch(own + 'settings/maintenance-mode/', {'message': message}, conn=conn)
                if response.status != 200:
                    errors.append(response)
                got = client.get(own, conn=conn).json['resultList'][0]['maintenanceModeSetting']['message']
                if got != message:
                    errors.append((index, round_number, got))
                # the same proxy from every worker: each PATCH adds one category, each deploy one revision
                shared = api('projects', 'Load', 'apiProxies', 'shared')
                response = client.post(shared + 'environments/production/', conn=conn)
                if response.status != 200:
                    errors.append(response)
        except Exception as exc:  # pylint: disable=broad-except
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    state = client.admin('GET', '/_emulator/state')['projects']['Load']
    proxies = {proxy['name']: proxy for proxy in state['apiProxies']}
    for index in range(workers):
        assert proxies['p%02d' % index]['maintenanceModeSetting']['message'] == 'worker %d round %d' % (index, rounds - 1)
    assert proxies['shared']['deployments']['production']['revision'] == 1 + workers * rounds
    log = client.log()
    assert len(log) == workers * rounds * 3
    assert sum(1 for entry in log if entry['method'] == 'POST') == workers * rounds
    assert all(entry['status'] == 200 for entry in log)


def test_parallel_metadata_patches_on_one_proxy(client):
    workers = 50
    errors = []

    def work(index):
        response = client.patch(proxy_path('customer api', 'settings', 'connection'), {'retryCount': index})
        if response.status != 200:
            errors.append(response)
        response = client.patch(proxy_path('customer api', 'settings', 'metadata'),
                                {'categoryList': ['c%02d' % index]})
        if response.status != 200:
            errors.append(response)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    log = client.log()
    assert len(log) == 2 * workers
    last_retry = [entry['body']['retryCount'] for entry in log if entry['path'].endswith('/connection/')][-1]
    last_category = [entry['body']['categoryList'] for entry in log if entry['path'].endswith('/metadata/')][-1]
    proxy = client.proxy('customer api')
    # the state is what the last logged write of each kind set
    assert proxy['routing']['retryCount'] == last_retry
    assert proxy['categoryList'] == last_category


# ---- latency ------------------------------------------------------------------------------------------


def test_latency_delays_api_requests_without_blocking_other_clients():
    # Delays far above the noise of a loaded 2-core machine, so that the bounds prove the property.
    server = Emulator('--latency-ms', '1000', '--quiet')
    try:
        client = Client(server.url)
        response, seconds = timed(lambda: client.get(proxy_path('orders-api')))
        assert response.status == 200 and seconds >= 1.0
        response, seconds = timed(lambda: client.get('/apiops/test/healthcheck', token=None))
        assert response.status == 200 and seconds >= 1.0
        assert timed(lambda: client.get(proxy_path('orders-api'), token='wrong'))[1] >= 1.0
        # the admin endpoints answer at once
        assert timed(lambda: client.admin('GET', '/_emulator/requests'))[1] < 0.5
        results, seconds = parallel(10, lambda index: client.patch(
            proxy_path('orders-api', 'settings', 'maintenance-mode'), {'message': 'm%d' % index}).status)
        assert results == [200] * 10
        assert seconds < 5.0, seconds  # not 10 x 1 s
        assert len(client.log()) == 13
    finally:
        assert server.stop() == 0


def test_deploy_latency_per_environment_without_blocking_other_clients():
    server = Emulator('--deploy-latency-ms', '1000', '--quiet')
    try:
        client = Client(server.url)
        response, seconds = timed(lambda: client.post(proxy_path('orders-api', 'environments', 'test')))
        assert response.status == 200 and seconds >= 1.0
        response, seconds = timed(lambda: client.delete(proxy_path('orders-api', 'environments', 'test')))
        assert response.status == 200 and seconds >= 1.0
        # every environment of an in-body deploy, the failing one too
        body = {'enabled': True, 'deploy': True, 'deployTargetEnvironmentNameList': ['production', 'test', 'staging']}
        response, seconds = timed(lambda: client.patch(proxy_path('payments-api', 'settings', 'maintenance-mode'), body))
        assert response.status == 200 and seconds >= 3.0
        assert [item['success'] for item in response.json['deploymentResult']['deploymentResults']] == [True, True, False]
        error_a(timed(lambda: client.post(proxy_path('orders-api', 'environments', 'staging')))[0], 400,
                'Gateway pods unreachable')
        # no deploy, no wait: reads, settings writes without deploy, refused deploys
        assert timed(lambda: client.get(proxy_path('orders-api')))[1] < 0.5
        assert timed(lambda: client.patch(proxy_path('orders-api', 'settings', 'metadata'), {'description': 'x'}))[1] < 0.5
        response, seconds = timed(lambda: client.post(proxy_path('orders-api', 'environments', 'nowhere')))
        assert response.status == 400 and seconds < 0.5

        # a slow deploy holds up no one: reads during it, and ten deploys at once
        def call(index):
            if index % 2:
                return client.post(proxy_path('customer api', 'environments', 'production')).status, None
            return timed(lambda: client.get(proxy_path('orders-api')).status)

        results = parallel(10, call)[0]
        assert [result[0] for result in results] == [200] * 10
        assert max(result[1] for result in results if result[1] is not None) < 0.5
        last = client.last_revision('customer api')
        results, seconds = parallel(10, lambda index: client.post(proxy_path('customer api', 'environments', 'test')).status)
        assert results == [200] * 10 and seconds < 5.0, seconds  # not 10 x 1 s
        assert client.deploy_status('customer api', 'test')['revision'] == last + 10
    finally:
        assert server.stop() == 0
