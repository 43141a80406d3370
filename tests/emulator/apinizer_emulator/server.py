# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP server: one thread per connection, HTTP/1.1 keep-alive, the request pipeline of /apiops
(latency, holds, faults, token, route table, body, one operation under the lock) and the admin endpoints."""

from __future__ import annotations

import http.server
import json
import socket
import ssl
import sys
import time
import traceback
from urllib.parse import parse_qs, unquote

from . import admin, routes
from .common import JSON_CONTENT_TYPE, MAX_BODY_BYTES, ApiError, Download, bad, json_type, parse_json


class DropConnection(Exception):
    """Close the connection without an answer (fault injection)."""


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'ApinizerEmulator/1.0'
    sys_version = ''
    timeout = 300  # an idle keep-alive connection is closed after this many seconds

    # plumbing -----------------------------------------------------------------------------------

    def setup(self):
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        context = getattr(self.server, 'ssl_context', None)
        if context is not None:
            self.request.settimeout(30)
            self.request = context.wrap_socket(self.request, server_side=True)
        super().setup()

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if not self.server.quiet:
            sys.stderr.write('%s %s\n' % (self.address_string(), format % args))

    def log_request(self, code='-', size='-'):
        pass  # one line per request is written by _access_log instead

    def _access_log(self, method, raw_path, status, started):
        if not self.server.quiet:
            sys.stderr.write('%s %s %s %s %.1fms\n' % (self.client_address[0], method, raw_path,
                                                       status if status is not None else 'dropped',
                                                       (time.monotonic() - started) * 1000))

    def do_GET(self):
        self._handle('GET')

    def do_POST(self):
        self._handle('POST')

    def do_PUT(self):
        self._handle('PUT')

    def do_PATCH(self):
        self._handle('PATCH')

    def do_DELETE(self):
        self._handle('DELETE')

    def _read_body(self):
        if 'chunked' in (self.headers.get('Transfer-Encoding') or '').lower():
            chunks = []
            total = 0
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b';')[0].strip() or b'0', 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b'\r\n', b'\n', b''):
                        pass
                    return b''.join(chunks)
                total += size
                if total > MAX_BODY_BYTES:
                    raise ApiError(413, 'Request body too large')
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = self.headers.get('Content-Length')
        if not length:
            return b''
        try:
            length = int(length)
        except ValueError:
            self.close_connection = True
            raise bad('Invalid Content-Length header')
        if length < 0 or length > MAX_BODY_BYTES:
            self.close_connection = True
            raise ApiError(413, 'Request body too large')
        return self.rfile.read(length)

    def _send(self, status, payload, content_type=JSON_CONTENT_TYPE, headers=None):
        if isinstance(payload, (dict, list)):
            data = json.dumps(payload).encode('utf-8')
        elif isinstance(payload, bytes):
            data = payload
        else:
            data = (payload or '').encode('utf-8')
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header('Connection', 'close')
        # Headers and body in one write: two small writes would meet Nagle's algorithm and the
        # client's delayed ACK (about 40 ms per answer on a keep-alive connection).
        self._headers_buffer.append(b'\r\n')
        head = b''.join(self._headers_buffer)
        self._headers_buffer = []
        self.wfile.write(head + data)

    # requests -----------------------------------------------------------------------------------

    def _handle(self, method):
        started = time.monotonic()
        emulator = self.server.emulator
        raw_path, raw_query = (self.path.split('?', 1) + [''])[:2]
        raw_query = raw_query.partition('#')[0]
        try:
            body = self._read_body()
        except (ApiError, ValueError) as exc:
            error = exc if isinstance(exc, ApiError) else bad('Invalid chunked body')
            self.close_connection = True
            self._send(error.status, emulator.error_body(error))
            return
        if raw_path == '/_emulator' or raw_path.startswith('/_emulator/'):
            status = self._admin(method, raw_path, body)
            self._access_log(method, raw_path, status, started)
            return
        status = self._api(method, raw_path, raw_query, body)
        self._access_log(method, raw_path, status, started)

    def _api(self, method, raw_path, raw_query, body):
        emulator = self.server.emulator
        segments = raw_path.split('/')[1:]
        try:
            decoded = [unquote(segment, errors='strict') for segment in segments]
        except UnicodeDecodeError:
            decoded = None
        path = '/' + '/'.join(decoded) if decoded is not None else raw_path
        query = {key: values[0] if len(values) == 1 else values
                 for key, values in parse_qs(raw_query, keep_blank_values=True).items()}
        try:
            parsed = parse_json(body) if body else None
        except ValueError:
            parsed = None
        entry = {'method': method, 'path': path, 'raw_path': raw_path, 'query': query, 'body': parsed, 'status': None}
        if emulator.latency:
            time.sleep(emulator.latency)

        # Held before anything looks at the request (token, path, body, faults), so that a held write
        # has changed nothing and a fault meant for it is taken only once it is released.
        held = emulator.holds.wait(method, path, raw_path)
        try:
            if held:
                entry['held'] = True
            # A fault acts before the request is handled (a drop or status then means it is never applied) or,
            # with after_apply, on the answer of a request that was handled and logged with its real status.
            fault = emulator.take_fault(method, path, raw_path)
            after = bool(fault) and fault['after_apply']
            if fault:
                entry['fault'] = emulator.fault_label(fault)
                if fault['delay'] and not after:
                    time.sleep(fault['delay'])
            if not fault or after or not (fault['drop'] or fault['status'] is not None):
                status, payload, content_type, headers = self._answer(method, decoded, raw_path, query, body)
                entry['status'] = status
            elif not fault['drop']:
                entry['status'] = fault['status']
            emulator.record(entry)
        finally:
            if held:
                held.handled.set()
        if after and fault['delay']:
            time.sleep(fault['delay'])
        if fault and fault['drop']:
            self._drop()
            return None
        if fault and fault['status'] is not None:
            status, payload, content_type = self._fault_answer(fault)
            headers = {}
            if fault['retry_after'] is not None:
                headers['Retry-After'] = str(fault['retry_after'])
        self._send(status, payload, content_type, headers)
        return status

    def _answer(self, method, decoded, raw_path, query, body):
        """Handle an API request: (status, payload, content type, headers) of its answer."""
        emulator = self.server.emulator
        headers = {}
        content_type = JSON_CONTENT_TYPE
        try:
            status, payload = self._dispatch(method, decoded, raw_path, query, body)
            if isinstance(payload, Download):
                content_type = 'application/octet-stream'
                headers['Content-Disposition'] = 'attachment; filename="%s"' % payload.filename
                payload = payload.data
            elif isinstance(payload, str):
                content_type = 'text/plain;charset=UTF-8'
        except ApiError as error:
            status, payload, headers = emulator.error_status(error), emulator.error_body(error), error.headers
        except Exception:  # pylint: disable=broad-except
            traceback.print_exc(file=sys.stderr)
            error = ApiError(500, 'An unexpected error occurred')
            status, payload = 500, emulator.error_body(error)
        return status, payload, content_type, headers

    def _drop(self):
        """Close the connection without an answer."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _fault_answer(self, fault):
        status, body, content_type = fault['status'], fault['body'], fault['content_type']
        if body is None:
            body = self.server.emulator.error_body(ApiError(status, 'Injected fault (HTTP %d)' % status))
        if isinstance(body, (dict, list)):
            return status, body, content_type or JSON_CONTENT_TYPE
        text = str(body)
        if content_type is None:
            try:
                json.loads(text)
                content_type = JSON_CONTENT_TYPE
            except ValueError:
                content_type = 'text/plain;charset=UTF-8'
        return status, text, content_type

    def _dispatch(self, method, decoded, raw_path, query, body):
        emulator = self.server.emulator
        if decoded is None:
            raise bad('The path is not valid percent-encoded UTF-8')
        if decoded[:3] in (['apiops', 'test', 'healthcheck'],) and decoded[3:] in ([], ['']):
            if method != 'GET':
                raise ApiError(405, "Request method '%s' is not supported" % method, headers={'Allow': 'GET'})
            return 200, 'OK'
        if not decoded or decoded[0] != 'apiops':
            raise ApiError(404, 'No endpoint %s %s' % (method, raw_path))
        self._authorize()
        rest = decoded[1:]
        trailing = bool(rest) and rest[-1] == ''
        core = rest[:-1] if trailing else rest
        match = routes.match(core)
        if match is None:
            raise ApiError(404, 'No endpoint %s %s' % (method, raw_path))
        if not trailing:
            raise ApiError(404, 'No endpoint %s %s: Apinizer paths end with "/"' % (method, raw_path))
        route, args = match
        endpoint = route.endpoints.get(method)
        if endpoint is None:
            raise ApiError(405, "Request method '%s' is not supported" % method,
                           headers={'Allow': ', '.join(route.allowed)})
        document = None
        if endpoint.body == routes.REQUIRED or (endpoint.body == routes.OPTIONAL and body):
            document = self._json_object(body)
        call = routes.Call(args, query, document, self.headers)
        # Deploys take --deploy-latency-ms each: counted under the lock, waited for after it is released,
        # so a slow deploy never holds up other clients.
        with emulator.lock:
            emulator.deploys = 0
            try:
                answer = endpoint.handler(emulator, call)
            except ApiError as error:
                answer = error
            deploys = emulator.deploys
        if deploys and emulator.deploy_latency:
            time.sleep(deploys * emulator.deploy_latency)
        if isinstance(answer, ApiError):
            raise answer
        return answer

    def _authorize(self):
        emulator = self.server.emulator
        header = self.headers.get('Authorization')
        if header is None or not header.strip():
            message = ('Empty Key! Client must be authenticated to access this resource.'
                       if emulator.style == 'newer' else 'Invalid token')
            raise ApiError(401, message)
        if header != 'Bearer ' + emulator.token:
            raise ApiError(401, 'Token is not valid!' if emulator.style == 'newer' else 'Invalid token')

    def _json_object(self, body):
        content_type = (self.headers.get('Content-Type') or '').split(';')[0].strip().lower()
        if content_type != 'application/json':
            raise bad("Content-Type '%s' is not supported; send application/json" % (content_type or 'none'))
        if not body:
            raise bad('Required request body is missing')
        try:
            document = parse_json(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise bad('Malformed JSON request body: %s' % exc)
        if not isinstance(document, dict):
            raise bad('The request body must be a JSON object, got %s' % json_type(document))
        return document

    # admin ------------------------------------------------------------------------------------------

    def _admin(self, method, raw_path, body):
        status, answer = admin.handle(self.server.emulator, method, raw_path, body, self.client_address[0])
        self._send(status, answer)
        return status


class EmulatorServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address, emulator, ssl_context=None, quiet=False):
        if ':' in address[0]:
            self.address_family = socket.AF_INET6
        self.emulator = emulator
        self.ssl_context = ssl_context
        self.quiet = quiet
        super().__init__(address, Handler)

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, ssl.SSLError, socket.timeout, OSError)):
            if not self.quiet:
                sys.stderr.write('%s connection error: %s\n' % (client_address[0], type(exc).__name__))
            return
        super().handle_error(request, client_address)
