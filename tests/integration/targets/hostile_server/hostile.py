# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A hostile server for the hostile_server integration target: a reverse proxy in front of the emulator.

    python hostile.py --upstream http://127.0.0.1:PORT [--port 0] [--host 127.0.0.1] [--quiet]

It listens twice on loopback: the *front*, which the modules are pointed at (APINIZER_URL), and
*elsewhere*, a second listener that a redirect sends clients to. The first line of standard output
is the front's base URL, the second elsewhere's; both are flushed at once and nothing else is
written to standard output. It serves until SIGTERM or SIGINT. Standard library only.

Every request to the front outside /_hostile/ is forwarded to the upstream emulator and its answer
relayed, unless a misbehaviour armed with POST /_hostile/arm matches it:

    {"method": "PATCH", "path": "<regex searched in the raw and the decoded path>", "count": 1,
     "behaviour": "redirect", "status": 307, "after_apply": false}

behaviour (field: default)
    redirect           answer `status` (301, 302, 303, 307 or 308) with Location: elsewhere + the same
                       path and query
    redirect_loop      answer `status` (default 302) with Location: the front itself, the same path
    empty_200          200, application/json, no body
    non_json_200       200, text/html, a login page
    success_false_200  200 with {"success": false} (variant "success", the default) or
                       {"status": "FAILURE", "resultMessage": ...} (variant "status")
    drip               the status line and headers (200, Content-Length 1 MiB), then one byte every
                       `interval` seconds (default 1), never finishing
    never_answer       read the request, send nothing; the connection stays open until the client
                       closes it
    echo_401           401 whose body echoes the request's Authorization header and body: JSON
                       {"error", "error_description"} (style "json", the default) or text/plain (style
                       "text")
after_apply (every behaviour): forward the request to the emulator first, so a write is applied,
then answer badly; without it the request never reaches the emulator. `limit` (default 120) bounds
how many seconds a drip or never_answer holds its connection; a reset ends them at once.

Control endpoints (no token; loopback clients only; never logged, never armed):
    GET    /_hostile/            {"front", "elsewhere", "upstream"}
    POST   /_hostile/arm         arm one misbehaviour (the body above); answers it with its id
    GET    /_hostile/armed       what is still armed;  DELETE /_hostile/armed  disarm all
    GET    /_hostile/requests    {"front": [...], "elsewhere": [...], "emulator": [...], "time"}; with
                                 ?state=1 also "state": the emulator's GET /_emulator/state (secrets in
                                 clear: read it with no_log)
    DELETE /_hostile/requests    clear the front and elsewhere logs
    POST   /_hostile/reset       disarm, clear the logs, end held connections, reset the emulator
                                 (POST /_emulator/reset, unless {"emulator": false}); {"arm": [...]}
                                 arms those afterwards. Answers {"reset": true, "armed": [...], "time"}
A front log entry: {id, method, path (raw), query, behaviour (null: plainly forwarded; else the
behaviour, with " after apply"), arm (its id), forwarded (whether it reached the emulator),
upstream_status, status (what the client was sent: null for nothing, the drip's 200 though it never
ends), arrived and ended (time.time() when the request had been read, and when the front was done with
it), and for a drip or never_answer hung_up (whether the client closed the connection first) and held
(seconds from arrived to that)}: held is how long the client waited, on the server's clock. An
elsewhere entry: {method, path, query, authorization (whether an Authorization header came; never its
value), body}: elsewhere must receive nothing. "emulator" is the emulator's own
request log without bodies ({method, raw_path, status, fault}). The token and request bodies are
never logged by the front (the echo_401 answer is the only place they are sent back).
"""

from __future__ import annotations

import argparse
import http.client
import http.server
import json
import re
import select
import signal
import sys
import threading
import time
import urllib.parse

BEHAVIOURS = ('redirect', 'redirect_loop', 'empty_200', 'non_json_200', 'success_false_200', 'drip',
              'never_answer', 'echo_401')
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
ARM_FIELDS = dict(method=str, path=str, count=int, behaviour=str, status=int, after_apply=bool, variant=str,
                  interval=(int, float), limit=(int, float), style=str)
HOP_BY_HOP = frozenset(('connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer',
                        'transfer-encoding', 'upgrade', 'host', 'content-length'))
LOGIN_PAGE = (b'<!DOCTYPE html><html><head><title>Sign in</title><style>body {font-family: sans-serif}</style>'
              b'<script>window.location.hash = "login";</script></head><body><h1>Single sign-on</h1>'
              b'<form method="post" action="/sso/login"><input name="user"><input name="password" type="password">'
              b'<button>Sign in</button></form></body></html>')
DRIP_LENGTH = 1024 * 1024
UPSTREAM_TIMEOUT = 60
# How long GET /_hostile/requests waits for the handlers of requests whose client has gone.
SETTLE_SECONDS = 3


class ArmError(ValueError):
    pass


def checked_arm(body):
    """An arm as given, checked strictly (unknown keys, types, values), with its defaults filled in."""
    if not isinstance(body, dict):
        raise ArmError('an arm is a JSON object')
    unknown = sorted(set(body) - set(ARM_FIELDS))
    if unknown:
        raise ArmError('unknown field(s) %s' % ', '.join(unknown))
    for key, kind in ARM_FIELDS.items():
        if key in body and (not isinstance(body[key], kind) or (kind is not bool and isinstance(body[key], bool))):
            raise ArmError('field %s has the wrong type' % key)
    arm = dict(method=None, count=1, status=None, after_apply=False, variant='success', interval=1, limit=120,
               style='json')
    arm.update(body)
    if 'path' not in body or 'behaviour' not in body:
        raise ArmError('path and behaviour are required')
    try:
        arm['regex'] = re.compile(arm['path'])
    except re.error as exc:
        raise ArmError('path is not a regular expression: %s' % exc)
    if arm['behaviour'] not in BEHAVIOURS:
        raise ArmError('behaviour must be one of %s' % ', '.join(BEHAVIOURS))
    if arm['count'] < 1:
        raise ArmError('count must be 1 or more')
    if arm['behaviour'] == 'redirect' and arm['status'] not in REDIRECT_STATUSES:
        raise ArmError('a redirect needs status, one of %s' % ', '.join(map(str, REDIRECT_STATUSES)))
    if arm['behaviour'] == 'redirect_loop':
        arm['status'] = arm['status'] or 302
        if arm['status'] not in REDIRECT_STATUSES:
            raise ArmError('a redirect_loop status must be one of %s' % ', '.join(map(str, REDIRECT_STATUSES)))
    if arm['variant'] not in ('success', 'status'):
        raise ArmError('variant must be success or status')
    if arm['style'] not in ('json', 'text'):
        raise ArmError('style must be json or text')
    if arm['interval'] <= 0 or arm['limit'] <= 0:
        raise ArmError('interval and limit must be above 0')
    if arm['method']:
        arm['method'] = arm['method'].upper()
    return arm


def public(arm):
    return {key: value for key, value in arm.items() if key != 'regex'}


class Hostile:
    """What both listeners share: the armed misbehaviours, the logs, the generation that ends held connections."""

    def __init__(self, upstream):
        self.upstream = upstream.rstrip('/')
        parts = urllib.parse.urlsplit(self.upstream)
        if parts.scheme != 'http' or not parts.hostname:
            raise ValueError('--upstream must be an http:// URL')
        self.upstream_host, self.upstream_port = parts.hostname, parts.port or 80
        self.lock = threading.Lock()
        self.armed = []
        self.front_log = []
        self.elsewhere_log = []
        self.next_arm = 1
        self.next_entry = 1
        self.stop = threading.Event()  # set by a reset: every held connection ends; replaced at once
        self.front_url = self.elsewhere_url = None

    def arm(self, body):
        arm = checked_arm(body)
        with self.lock:
            arm['id'] = self.next_arm
            self.next_arm += 1
            self.armed.append(arm)
        return public(arm)

    def take(self, method, raw_path):
        """The first armed misbehaviour matching this request (its count used once), or None."""
        decoded = urllib.parse.unquote(raw_path)
        with self.lock:
            for arm in self.armed:
                if arm['method'] and arm['method'] != method:
                    continue
                if not (arm['regex'].search(raw_path) or arm['regex'].search(decoded)):
                    continue
                arm['count'] -= 1
                if arm['count'] <= 0:
                    self.armed.remove(arm)
                return arm
        return None

    def log(self, entry):
        with self.lock:
            entry['id'] = self.next_entry
            self.next_entry += 1
            self.front_log.append(entry)
        return entry

    def reset(self):
        with self.lock:
            self.armed = []
            self.front_log = []
            self.elsewhere_log = []
            stop, self.stop = self.stop, threading.Event()
        stop.set()

    def upstream_call(self, method, path, body=None, headers=None):
        """(status, reason, headers, body) of one request to the emulator."""
        connection = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=UPSTREAM_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.reason, response.getheaders(), response.read()
        finally:
            connection.close()

    def emulator_state(self):
        status, _reason, _headers, body = self.upstream_call('GET', '/_emulator/state')
        if status != 200:
            raise ValueError('the emulator answered its state with HTTP %s' % status)
        return json.loads(body.decode('utf-8'))

    def emulator_log(self):
        status, _reason, _headers, body = self.upstream_call('GET', '/_emulator/requests')
        if status != 200:
            raise ValueError('the emulator answered its request log with HTTP %s' % status)
        return [dict(method=entry.get('method'), raw_path=entry.get('raw_path'), path=entry.get('path'),
                     status=entry.get('status'), fault=entry.get('fault'))
                for entry in json.loads(body.decode('utf-8'))]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'hostile'
    sys_version = ''

    @property
    def hostile(self):
        return self.server.hostile

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if not self.server.quiet:
            sys.stderr.write('hostile %s: %s\n' % (self.server.role, format % args))

    def read_body(self):
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length > 0 else b''

    def answer(self, status, body=b'', content_type='application/json', headers=()):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode('utf-8')
        self.send_response(status)
        if body or content_type:
            self.send_header('Content-Type', content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if body and self.command != 'HEAD':
            self.wfile.write(body)

    def handle_any(self):
        body = self.read_body()
        split = urllib.parse.urlsplit(self.path)
        if self.server.role == 'elsewhere':
            with self.hostile.lock:
                self.hostile.elsewhere_log.append(dict(
                    method=self.command, path=split.path, query=split.query,
                    authorization='Authorization' in self.headers, body=body.decode('utf-8', 'replace')))
            # A client that followed the redirect would find a plausible success here.
            return self.answer(200, {'success': True, 'status': 'SUCCESS', 'resultList': [], 'resultCount': 0})
        if split.path == '/_hostile' or split.path.startswith('/_hostile/'):
            return self.control(split.path, split.query, body)
        return self.front(split, body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = handle_any

    # Control -------------------------------------------------------------------------

    def control(self, path, query, body):
        if self.client_address[0] not in ('127.0.0.1', '::1'):
            return self.answer(403, {'error': 'loopback clients only'})
        hostile = self.hostile
        try:
            data = json.loads(body.decode('utf-8')) if body.strip() else None
        except ValueError:
            return self.answer(400, {'error': 'the body is not JSON'})
        route = (self.command, path.rstrip('/'))
        try:
            if route == ('GET', '/_hostile'):
                return self.answer(200, dict(front=hostile.front_url, elsewhere=hostile.elsewhere_url,
                                             upstream=hostile.upstream))
            if route == ('POST', '/_hostile/arm'):
                return self.answer(200, hostile.arm(data))
            if route == ('GET', '/_hostile/armed'):
                with hostile.lock:
                    return self.answer(200, [public(arm) for arm in hostile.armed])
            if route == ('DELETE', '/_hostile/armed'):
                with hostile.lock:
                    cleared, hostile.armed = len(hostile.armed), []
                return self.answer(200, {'cleared': cleared})
            if route == ('GET', '/_hostile/requests'):
                # A client that has finished has closed its connections: give the handlers a moment to
                # see that, so that every entry has ended (one that has not after that stays null).
                settle = time.monotonic() + SETTLE_SECONDS
                while time.monotonic() < settle and any(entry['ended'] is None for entry in hostile.front_log):
                    time.sleep(0.02)
                with hostile.lock:
                    front = [dict(entry) for entry in hostile.front_log]
                    elsewhere = [dict(entry) for entry in hostile.elsewhere_log]
                answer = dict(front=front, elsewhere=elsewhere, emulator=hostile.emulator_log(), time=time.time())
                if 'state=1' in query.split('&'):
                    answer['state'] = hostile.emulator_state()
                return self.answer(200, answer)
            if route == ('DELETE', '/_hostile/requests'):
                with hostile.lock:
                    cleared = len(hostile.front_log) + len(hostile.elsewhere_log)
                    hostile.front_log, hostile.elsewhere_log = [], []
                return self.answer(200, {'cleared': cleared})
            if route == ('POST', '/_hostile/reset'):
                data = data or {}
                if not isinstance(data, dict) or set(data) - {'emulator', 'arm'}:
                    raise ArmError('a reset body is {"emulator": bool, "arm": [arm, ...]}')
                arms = data.get('arm') or []
                for arm in arms:
                    checked_arm(arm)  # all or nothing
                hostile.reset()
                if data.get('emulator', True):
                    status = hostile.upstream_call('POST', '/_emulator/reset')[0]
                    if status != 200:
                        return self.answer(502, {'error': 'the emulator answered its reset with HTTP %s' % status})
                armed = [hostile.arm(arm) for arm in arms]
                return self.answer(200, dict(reset=True, armed=armed, time=time.time()))
        except ArmError as exc:
            return self.answer(400, {'error': str(exc)})
        except (OSError, ValueError) as exc:
            return self.answer(502, {'error': 'the emulator could not be reached: %s' % exc})
        return self.answer(404, {'error': 'no control endpoint %s %s' % route})

    # The front ------------------------------------------------------------------------

    def front(self, split, body):
        hostile = self.hostile
        stop = hostile.stop
        raw_path = split.path
        arm = hostile.take(self.command, raw_path)
        entry = hostile.log(dict(
            method=self.command, path=raw_path, query=split.query, arm=arm['id'] if arm else None,
            behaviour=(arm['behaviour'] + (' after apply' if arm['after_apply'] else '')) if arm else None,
            forwarded=False, upstream_status=None, status=None, arrived=time.time(), ended=None, hung_up=None,
            held=None))
        relayed = None
        if arm is None or arm['after_apply']:
            headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
            try:
                relayed = hostile.upstream_call(self.command, self.path, body=body if body or self.command not in (
                    'GET', 'HEAD', 'DELETE') else None, headers=headers)
            except OSError as exc:
                entry['status'] = 502
                return self.answer(502, {'error': 'bad_gateway', 'error_description': 'upstream: %s' % exc})
            entry['forwarded'] = True
            entry['upstream_status'] = relayed[0]
        if arm is None:
            status, reason, headers, content = relayed
            entry['status'] = status
            self.send_response(status, reason)
            for name, value in headers:
                if name.lower() not in HOP_BY_HOP and name.lower() not in ('date', 'server'):
                    self.send_header(name, value)
            self.send_header('Content-Length', str(len(content)))
            self.end_headers()
            if content:
                self.wfile.write(content)
            entry['ended'] = time.time()
            return None
        self.misbehave(arm, entry, split, body, stop)
        if entry['ended'] is None:
            entry['ended'] = time.time()
        return None

    def misbehave(self, arm, entry, split, body, stop):
        behaviour = arm['behaviour']
        target = split.path + ('?' + split.query if split.query else '')
        if behaviour in ('redirect', 'redirect_loop'):
            base = self.hostile.elsewhere_url if behaviour == 'redirect' else self.hostile.front_url
            entry['status'] = arm['status']
            return self.answer(arm['status'], b'<html><body>Moved</body></html>', 'text/html',
                               headers=[('Location', base + target)])
        if behaviour == 'empty_200':
            entry['status'] = 200
            return self.answer(200, b'', 'application/json')
        if behaviour == 'non_json_200':
            entry['status'] = 200
            return self.answer(200, LOGIN_PAGE, 'text/html; charset=utf-8')
        if behaviour == 'success_false_200':
            entry['status'] = 200
            if arm['variant'] == 'success':
                return self.answer(200, {'success': False})
            return self.answer(200, {'status': 'FAILURE', 'resultMessage': 'The operation could not be completed'})
        if behaviour == 'echo_401':
            entry['status'] = 401
            authorization = self.headers.get('Authorization', '')
            text = body.decode('utf-8', 'replace')
            if arm['style'] == 'json':
                return self.answer(401, {'error': 'unauthorized_client', 'error_description':
                                         'Invalid token in "%s" for this request: %s' % (authorization, text)})
            return self.answer(401, ('Unauthorized. Authorization: %s. Request body: %s' % (authorization, text))
                               .encode('utf-8'), 'text/plain; charset=utf-8')
        self.close_connection = True
        if behaviour == 'drip':
            entry['status'] = 200
            try:
                self.send_response(200)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(DRIP_LENGTH))
                self.end_headers()
                self.wfile.write(b'{')
            except OSError:
                return self.ended(entry, hung_up=True)
        # drip: one byte per interval; never_answer: nothing. Either way until the client hangs up (seen
        # at once: the socket turns readable and reads empty), a reset, or the limit.
        deadline = time.monotonic() + arm['limit']
        next_byte = time.monotonic() + arm['interval']
        while time.monotonic() < deadline and not stop.is_set():
            try:
                wait = max(0.0, min(0.1, next_byte - time.monotonic())) if behaviour == 'drip' else 0.1
                readable = select.select([self.connection], [], [], wait)[0]
                if readable and not self.connection.recv(4096):
                    return self.ended(entry, hung_up=True)
                if behaviour == 'drip' and time.monotonic() >= next_byte:
                    self.wfile.write(b' ')
                    next_byte += arm['interval']
            except OSError:
                return self.ended(entry, hung_up=True)
        return self.ended(entry, hung_up=False)

    @staticmethod
    def ended(entry, hung_up):
        entry['ended'] = time.time()
        entry['hung_up'] = hung_up
        entry['held'] = round(entry['ended'] - entry['arrived'], 3)
        return None


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, hostile, role, quiet):
        super().__init__(address, Handler)
        self.hostile = hostile
        self.role = role
        self.quiet = quiet


def main(argv=None):
    parser = argparse.ArgumentParser(description='Hostile reverse proxy in front of the Apinizer emulator.')
    parser.add_argument('--upstream', required=True, help='base URL of the emulator (http://127.0.0.1:PORT)')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0, help='port of the front (0: a free one)')
    parser.add_argument('--quiet', action='store_true', help='no access log on standard error')
    args = parser.parse_args(argv)
    try:
        hostile = Hostile(args.upstream)
        front = Server((args.host, args.port), hostile, 'front', args.quiet)
        elsewhere = Server((args.host, 0), hostile, 'elsewhere', args.quiet)
    except (OSError, ValueError) as exc:
        sys.stderr.write('hostile: %s\n' % exc)
        return 2
    hostile.front_url = 'http://%s:%d' % (args.host, front.server_address[1])
    hostile.elsewhere_url = 'http://%s:%d' % (args.host, elsewhere.server_address[1])
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    signal.signal(signal.SIGINT, lambda signum, frame: stop.set())
    for server in (front, elsewhere):
        threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.1}, daemon=True).start()
    sys.stdout.write('%s\n%s\n' % (hostile.front_url, hostile.elsewhere_url))
    sys.stdout.flush()
    while not stop.wait(1.0):
        pass
    hostile.reset()
    for server in (front, elsewhere):
        server.shutdown()
        server.server_close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
