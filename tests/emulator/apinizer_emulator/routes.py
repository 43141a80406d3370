# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The API's route table: (method, path pattern) -> handler, for the paths under /apiops/.

A pattern is the path after /apiops/ without its trailing '/', one segment per '/', and a segment in
braces names a value (any text, also empty, percent-decoded). The first pattern that matches the path
wins; a path no pattern matches is a 404, a method its pattern does not list a 405 (with an Allow
header in the order listed here). `body` says what the endpoint does with a request body: NONE (it is
not read), OPTIONAL (a JSON object when sent), REQUIRED (a JSON object).
"""

from __future__ import annotations

from .common import PASSPHRASE_HEADER

NONE = 'none'
OPTIONAL = 'optional'
REQUIRED = 'required'


class Call:
    """What a handler gets: the path's named values, the query, the JSON body (or None) and the headers."""

    __slots__ = ('args', 'query', 'document', 'headers')

    def __init__(self, args, query, document, headers):
        self.args = args
        self.query = query
        self.document = document
        self.headers = headers


class Endpoint:
    """One method of a route: its handler(emulator, call) -> (status, payload) and its body rule."""

    __slots__ = ('handler', 'body')

    def __init__(self, handler, body=NONE):
        self.handler = handler
        self.body = body


class Route:
    """A path pattern and the endpoints of its methods."""

    def __init__(self, pattern, endpoints):
        self.pattern = pattern
        self.segments = tuple(pattern.split('/'))
        self.endpoints = {method: Endpoint(handler, body) for method, handler, body in endpoints}
        self.allowed = tuple(method for method, _handler, _body in endpoints)

    def match(self, core):
        """The named values of the path segments `core` (a list), or None."""
        if len(core) != len(self.segments):
            return None
        args = {}
        for segment, value in zip(self.segments, core):
            if segment.startswith('{'):
                args[segment[1:-1]] = value
            elif segment != value:
                return None
        return args


def match(core, routes=None):
    """(route, named values) of the path segments after /apiops (without the trailing ''), or None."""
    for route in ROUTES if routes is None else routes:
        args = route.match(core)
        if args is not None:
            return route, args
    return None


# ---- handlers: each maps a call to one operation of the Emulator (state.py and its mixins) ---------

def _environments(emulator, call):
    return emulator.list_environments()


def _project_environments(emulator, call):
    return emulator.list_environments(call.args['project'])


def _proxies(emulator, call):
    return emulator.list_proxies(call.args['project'])


def _get_proxy(emulator, call):
    return emulator.get_proxy(call.args['project'], call.args['proxy'], call.query)


def _export(emulator, call):
    return emulator.export_proxy(call.args['project'], call.args['proxy'], call.query,
                                 call.headers.get(PASSPHRASE_HEADER))


def _settings(operation):
    def handler(emulator, call):
        return getattr(emulator, operation)(call.args['project'], call.args['proxy'], call.document)
    handler.__name__ = operation
    return handler


def _deploy(emulator, call):
    return emulator.deploy(call.args['project'], call.args['proxy'], call.args['environment'], call.document)


def _undeploy(emulator, call):
    return emulator.undeploy(call.args['project'], call.args['proxy'], call.args['environment'], call.document)


def _deploy_status(emulator, call):
    return emulator.deploy_status(call.args['project'], call.args['proxy'], call.args['environment'])


def _route_health(emulator, call):
    return emulator.route_health(call.args['project'], call.args['proxy'], call.args['environment'])


def _list_histories(emulator, call):
    return emulator.list_histories(call.args['project'], call.args['proxy'])


def _get_history(emulator, call):
    return emulator.get_history(call.args['project'], call.args['proxy'], call.args['revision'])


def _delete_history(emulator, call):
    return emulator.delete_history(call.args['project'], call.args['proxy'], call.args['revision'])


def _rollback(emulator, call):
    return emulator.rollback(call.args['project'], call.args['proxy'], call.args['revision'], call.query)


def _list_connections(emulator, call):
    return emulator.list_connections(call.args['project'], call.query)


def _get_connection(emulator, call):
    return emulator.get_connection(call.args['project'], call.args['connection'])


def _create_connection(emulator, call):
    return emulator.create_connection(call.args['project'], call.args['connection'], call.document)


def _update_connection(emulator, call):
    return emulator.update_connection(call.args['project'], call.args['connection'], call.document)


def _delete_connection(emulator, call):
    return emulator.delete_connection(call.args['project'], call.args['connection'])


PROXY = 'projects/{project}/apiProxies/{proxy}'

ROUTES = (
    Route('environments', [('GET', _environments, NONE)]),
    Route('projects/{project}/environments', [('GET', _project_environments, NONE)]),
    Route('projects/{project}/apiProxies', [('GET', _proxies, NONE)]),
    Route('projects/{project}/connections', [('GET', _list_connections, NONE)]),
    Route('projects/{project}/connections/{connection}', [
        ('GET', _get_connection, NONE),
        ('POST', _create_connection, REQUIRED),
        ('PUT', _update_connection, REQUIRED),
        ('DELETE', _delete_connection, NONE)]),
    Route(PROXY, [('GET', _get_proxy, NONE)]),
    Route(PROXY + '/export', [('GET', _export, NONE)]),
    Route(PROXY + '/settings/websocket', [('PATCH', _settings('patch_websocket'), REQUIRED)]),
    Route(PROXY + '/settings/connection', [('PATCH', _settings('patch_connection_settings'), REQUIRED)]),
    Route(PROXY + '/settings/metadata', [('PATCH', _settings('patch_metadata'), REQUIRED)]),
    Route(PROXY + '/settings/maintenance-mode', [('PATCH', _settings('patch_maintenance'), REQUIRED)]),
    Route(PROXY + '/environments/{environment}', [
        ('POST', _deploy, OPTIONAL),
        ('DELETE', _undeploy, OPTIONAL)]),
    Route(PROXY + '/environments/{environment}/deploy-status', [('GET', _deploy_status, NONE)]),
    Route(PROXY + '/environments/{environment}/route-health', [('GET', _route_health, NONE)]),
    Route(PROXY + '/deploy-histories', [('GET', _list_histories, NONE)]),
    Route(PROXY + '/deploy-histories/{revision}', [
        ('GET', _get_history, NONE),
        ('DELETE', _delete_history, NONE)]),
    Route(PROXY + '/deploy-histories/{revision}/rollback', [('POST', _rollback, NONE)]),
)
