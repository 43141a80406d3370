# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers of the emulator tests: the HTTP client, the emulator process, paths, error checks.

Plain functions and classes, no fixtures and no tests (the fixtures are in conftest.py). The test
files import them by name: pytest puts this directory on sys.path (rootdir-based, no __init__.py).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import quote, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
EMULATOR = os.path.join(HERE, 'apinizer_emulator.py')
SEED_FILE = os.path.join(HERE, 'seed.json')
TOKEN = 'apinizer-demo-token'

with open(SEED_FILE, encoding='utf-8') as _handle:
    SEED = json.load(_handle)

CONNECTION_SETTINGS = {
    'connectionSettingsEnabled': True, 'connectTimeout': 11, 'readTimeout': 12, 'connectionRequestTimeout': 13,
    'redirectsEnabled': False, 'maxRedirects': 4, 'relativeRedirectsAllowed': False, 'disableContentCompression': True,
    'enableStreaming': True, 'retryCount': 2, 'failoverRetryCount': 1, 'ignoreRoutingError': True,
    'connectionPoolManagementType': 'CUSTOM', 'customConnectionPoolSize': 20,
    'validateAfterInactivity': 1500, 'idleConnectionTimeout': 45, 'queryEncodingMode': 'RFC3986',
    'hopByHopHeaders': ['X-Internal'], 'sendUserAgentToBackend': False, 'userAgentValue': 'apinizer-test',
    'doNotRouteZeroValueContentLength': True, 'enableDownload': True, 'useByteArrayForCompressedResponse': True,
}
WEBSOCKET_DEFAULTS = {
    'connectionLostTimeout': 60, 'reuseAddr': False, 'connectTimeout': 30, 'maxRetries': 3, 'retryDelay': 1000,
    'autoReconnect': False, 'autoReconnectMaxRetries': 5, 'autoReconnectRetryDelay': 2000,
}


def api(*segments):
    """An /apiops path the way the collection builds it: every segment percent-encoded, trailing '/'."""
    return '/apiops/' + '/'.join(quote(segment, safe='') for segment in segments) + '/'


def proxy_path(name, *more, project='Demo'):
    return api('projects', project, 'apiProxies', name, *more)


def connection_path(name, project='Demo'):
    return api('projects', project, 'connections', name)


class Response:
    def __init__(self, status, headers, data):
        self.status = status
        self.headers = headers
        self.data = data
        self.text = data.decode('utf-8', 'replace')

    @property
    def json(self):
        return json.loads(self.text)

    def __repr__(self):
        return '<Response %s %s>' % (self.status, self.text[:300])


class Client:
    """Plain http.client calls: exact paths, headers and bodies, no client-side normalisation."""

    def __init__(self, base, token=TOKEN, context=None):
        parts = urlsplit(base)
        self.base = base
        self.scheme, self.host, self.port = parts.scheme, parts.hostname, parts.port
        self.token = token
        self.context = context

    def connection(self, timeout=10):
        if self.scheme == 'https':
            return http.client.HTTPSConnection(self.host, self.port, timeout=timeout, context=self.context)
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method, path, body=None, token='default', headers=None, raw=None, conn=None):
        headers = dict(headers or {})
        token = self.token if token == 'default' else token
        if token is not None:
            headers.setdefault('Authorization', 'Bearer %s' % token)
        data = raw
        if body is not None:
            data = json.dumps(body).encode('utf-8')
            headers.setdefault('Content-Type', 'application/json')
        own = conn is None
        conn = conn or self.connection()
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            return Response(response.status, response.headers, response.read())
        finally:
            if own:
                conn.close()

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def patch(self, path, body, **kwargs):
        return self.request('PATCH', path, body, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.request('POST', path, body, **kwargs)

    def put(self, path, body, **kwargs):
        return self.request('PUT', path, body, **kwargs)

    def delete(self, path, **kwargs):
        return self.request('DELETE', path, **kwargs)

    def admin(self, method, path, body=None):
        response = self.request(method, path, body, token=None)
        assert response.status == 200, response
        return response.json

    # shortcuts
    def proxy(self, name, project='Demo'):
        response = self.get(proxy_path(name, project=project))
        assert response.status == 200, response
        body = response.json
        assert body['success'] is True and body['resultCount'] == 1
        return body['resultList'][0]

    def deployment(self, name, env):
        return {d['environmentName']: d for d in self.proxy(name)['deploymentList']}[env]

    def deploy_status(self, name, env):
        response = self.get(proxy_path(name, 'environments', env, 'deploy-status'))
        assert response.status == 200, response
        return response.json['resultList'][0]

    def last_revision(self, name, project='Demo'):
        """The proxy's revision counter: the revision its last deploy or undeploy got (one per proxy)."""
        state = self.admin('GET', '/_emulator/state')
        return [p for p in state['projects'][project]['apiProxies'] if p['name'] == name][0]['lastRevision']

    def connection_object(self, name, project='Demo'):
        response = self.get(connection_path(name, project))
        assert response.status == 200, response
        return response.json['resultList'][0]

    def log(self):
        return self.admin('GET', '/_emulator/requests')


class Emulator:
    def __init__(self, *args):
        self.stderr = tempfile.TemporaryFile()
        started = time.monotonic()
        self.process = subprocess.Popen([sys.executable, EMULATOR, '--port', '0'] + list(args),
                                        stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        self.url = self.process.stdout.readline().strip()
        self.startup_seconds = time.monotonic() - started

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            code = self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.process.stdout.close()
        return code

    def stderr_text(self):
        self.stderr.seek(0)
        return self.stderr.read().decode('utf-8', 'replace')


def error_a(response, status, text, code=None):
    assert response.status == status, response
    body = response.json
    assert body['error_description'] == text, body
    if code:
        assert body['error'] == code, body
    assert response.headers['Content-Type'].startswith('application/json')


def error_b(response, status, text):
    assert response.status == status, response
    assert response.json == {'status': 'FAILURE', 'resultMessage': text}


def bad_request(response, *fragments):
    assert response.status == 400, response
    body = response.json
    text = body.get('error_description') or body.get('resultMessage')
    for fragment in fragments:
        assert fragment in text, text
    return text


def parallel(count, call):
    """Run call(index) in count threads at once; answer the results and the seconds it took."""
    results = [None] * count
    barrier = threading.Barrier(count)

    def work(index):
        barrier.wait()
        results[index] = call(index)

    threads = [threading.Thread(target=work, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    for thread in threads:
        thread.join(30)
    return results, time.monotonic() - started


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started
