# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The command line: options, start-up (seed, TLS, port), the base URL on stdout, serving until a signal."""

from __future__ import annotations

import argparse
import json
import signal
import ssl
import sys
import threading

from .common import DEFAULT_HISTORY_LIMIT, DEFAULT_PODS, DEFAULT_SEED, DEFAULT_TOKEN, MAX_PODS, PROXY_DETAILS, STYLES, SeedError
from .server import EmulatorServer
from .state import Emulator


def base_url(host, port, tls):
    shown = '[%s]' % host if ':' in host else host
    return '%s://%s:%d' % ('https' if tls else 'http', shown, port)


def milliseconds(text):
    """argparse type of the latency options: a whole number of milliseconds, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError('%r is not a whole number of milliseconds (0 or more)' % text)
    return value


def parse_args(argv):
    parser = argparse.ArgumentParser(description='Apinizer Management API emulator (docs/emulator.md).')
    parser.add_argument('--port', type=int, required=True, help='TCP port; 0 picks a free one')
    parser.add_argument('--host', default='127.0.0.1', help='address to listen on (default 127.0.0.1)')
    parser.add_argument('--token', default=DEFAULT_TOKEN, help='the Bearer token the API accepts')
    parser.add_argument('--seed', default=DEFAULT_SEED, help='seed JSON file (default: seed.json beside this script)')
    parser.add_argument('--tls-cert', help='PEM certificate (chain): serve HTTPS')
    parser.add_argument('--tls-key', help='PEM private key of --tls-cert')
    parser.add_argument('--api-style', choices=STYLES, default='seed',
                        help='error bodies and not-found statuses: seed (the seed docs, default) or newer')
    parser.add_argument('--quiet', action='store_true', help='no access log on stderr')
    parser.add_argument('--proxy-detail', choices=PROXY_DETAILS, default='full',
                        help='what GET API proxy answers: full (every section, default) or documented (only the fields '
                             "Apinizer's docs list; the rest is in the export package)")
    parser.add_argument('--deny-export', action='store_true',
                        help='refuse every export as a token without the EXPORT_IMPORT permission would be refused (400)')
    parser.add_argument('--latency-ms', type=milliseconds, default=0, metavar='N',
                        help='wait N ms before answering each API request (not the /_emulator admin endpoints)')
    parser.add_argument('--deploy-latency-ms', type=milliseconds, default=0, metavar='N',
                        help='each deploy or undeploy to one environment takes N ms (deploy POST, undeploy DELETE, '
                             'every environment of an in-body deploy)')
    parser.add_argument('--history-limit', type=int, default=DEFAULT_HISTORY_LIMIT, metavar='N',
                        help='deploy history records kept per API proxy; the oldest that are not persistent are '
                             'pruned (default %d)' % DEFAULT_HISTORY_LIMIT)
    parser.add_argument('--pods', type=int, default=DEFAULT_PODS, metavar='N',
                        help='gateway pods of an environment whose seed gives no "pods" (default %d, at most %d)'
                             % (DEFAULT_PODS, MAX_PODS))
    args = parser.parse_args(argv)
    if args.history_limit < 1:
        parser.error('--history-limit must be 1 or more')
    if not 0 <= args.pods <= MAX_PODS:
        parser.error('--pods must be from 0 to %d' % MAX_PODS)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error('--tls-cert and --tls-key go together')
    if not args.token:
        parser.error('--token must not be empty')
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        with open(args.seed, encoding='utf-8') as handle:
            seed = json.load(handle)
        emulator = Emulator(seed, token=args.token, style=args.api_style, proxy_detail=args.proxy_detail,
                            deny_export=args.deny_export, latency_ms=args.latency_ms,
                            deploy_latency_ms=args.deploy_latency_ms, history_limit=args.history_limit,
                            default_pods=args.pods)
    except (OSError, ValueError, SeedError) as exc:
        sys.stderr.write('apinizer_emulator: cannot load seed %s: %s\n' % (args.seed, exc))
        return 2
    context = None
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        try:
            context.load_cert_chain(args.tls_cert, args.tls_key)
        except (OSError, ssl.SSLError) as exc:
            sys.stderr.write('apinizer_emulator: cannot load the TLS certificate or key: %s\n' % exc)
            return 2
    try:
        server = EmulatorServer((args.host, args.port), emulator, context, args.quiet)
    except OSError as exc:
        sys.stderr.write('apinizer_emulator: cannot listen on %s:%s: %s\n' % (args.host, args.port, exc))
        return 2

    stop = threading.Event()

    def request_stop(signum, frame):  # pylint: disable=unused-argument
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.1}, daemon=True)
    thread.start()
    sys.stdout.write(base_url(args.host, server.server_address[1], context is not None) + '\n')
    sys.stdout.flush()
    if not args.quiet:
        sys.stderr.write('apinizer_emulator: serving %d project(s), api style %s, proxy detail %s\n'
                         % (len(emulator.projects), args.api_style, args.proxy_detail))
    while not stop.wait(1.0):
        pass
    server.shutdown()
    server.server_close()
    return 0
