# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The admin endpoints under /_emulator/ (no token, loopback clients only): their route table and handlers.

A route is (method, regular expression over the raw path without trailing '/', handler); the first that
matches wins. A path or method no route matches is a 404 (not a 405), as it always was. Errors answer
in the seed style's error body whatever --api-style says.
"""

from __future__ import annotations

import copy
import ipaddress
import re

from .common import ApiError, SeedError, bad, parse_json


def is_loopback(address):
    try:
        return ipaddress.ip_address(address.split('%')[0]).is_loopback
    except ValueError:
        return False


# ---- handlers: handler(emulator, document, params) -> the JSON answer (status 200) ------------------

def _requests(emulator, document, params):
    with emulator.lock:
        return copy.deepcopy(emulator.requests)


def _clear_requests(emulator, document, params):
    with emulator.lock:
        answer = {'cleared': len(emulator.requests)}
        emulator.requests = []
    return answer


def _state(emulator, document, params):
    with emulator.lock:
        return emulator.dump()


def _reset(emulator, document, params):
    try:
        emulator.reset(document)
    except SeedError as exc:
        raise bad('Invalid seed: %s' % exc)
    return {'reset': True, 'projects': sorted(emulator.projects)}


def _add_fault(emulator, document, params):
    return emulator.add_fault(document)


def _faults(emulator, document, params):
    with emulator.lock:
        return [emulator.fault_view(fault) for fault in emulator.faults]


def _clear_faults(emulator, document, params):
    with emulator.lock:
        answer = {'cleared': len(emulator.faults)}
        emulator.faults = []
    return answer


def _add_hold(emulator, document, params):
    return emulator.holds.add(document)


def _holds(emulator, document, params):
    return emulator.holds.views()


def _clear_holds(emulator, document, params):
    return emulator.holds.clear()


def _pods(emulator, document, params):
    return emulator.pods_view()


def _add_pod_behaviour(emulator, document, params):
    return emulator.add_pod_behaviour(document)


def _clear_pod_behaviours(emulator, document, params):
    return emulator.clear_pod_behaviours()


def _remove_pod_behaviour(emulator, document, params):
    return emulator.remove_pod_behaviour(int(params['id']))


def _set_pod_count(emulator, document, params):
    return emulator.set_pod_count(document)


def _release_hold(emulator, document, params):
    return emulator.holds.release(int(params['id']), document)


ADMIN_ROUTES = tuple((method, re.compile(pattern), handler) for method, pattern, handler in (
    ('GET', '/_emulator/requests', _requests),
    ('DELETE', '/_emulator/requests', _clear_requests),
    ('GET', '/_emulator/state', _state),
    ('POST', '/_emulator/reset', _reset),
    ('POST', '/_emulator/faults', _add_fault),
    ('GET', '/_emulator/faults', _faults),
    ('DELETE', '/_emulator/faults', _clear_faults),
    ('POST', '/_emulator/holds', _add_hold),
    ('GET', '/_emulator/holds', _holds),
    ('DELETE', '/_emulator/holds', _clear_holds),
    ('POST', r'/_emulator/holds/(?P<id>[0-9]{1,18})/release', _release_hold),
    ('GET', '/_emulator/pods', _pods),
    ('POST', '/_emulator/pods', _add_pod_behaviour),
    ('DELETE', '/_emulator/pods', _clear_pod_behaviours),
    ('POST', '/_emulator/pods/count', _set_pod_count),
    ('DELETE', r'/_emulator/pods/(?P<id>[0-9]{1,18})', _remove_pod_behaviour),
))


def handle(emulator, method, raw_path, body, client_address):
    """(status, JSON answer) of one admin request."""
    path = raw_path.rstrip('/')
    try:
        if not is_loopback(client_address):
            raise ApiError(403, 'The admin endpoints answer loopback clients only')
        document = None
        if body:
            try:
                document = parse_json(body)
            except (ValueError, UnicodeDecodeError) as exc:
                raise bad('Malformed JSON body: %s' % exc)
        for route_method, pattern, handler in ADMIN_ROUTES:
            found = pattern.fullmatch(path)
            if found and route_method == method:
                return 200, handler(emulator, document, found.groupdict())
        raise ApiError(404, 'No admin endpoint %s %s' % (method, raw_path))
    except ApiError as error:
        return error.status, {'error': error.code, 'error_description': error.message}
