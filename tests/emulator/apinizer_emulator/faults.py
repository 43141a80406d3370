# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Faults (POST /_emulator/faults) and holds (POST /_emulator/holds) of /apiops requests."""

from __future__ import annotations

import re
import threading
import time

from .common import FAULT_FIELDS, ApiError, bad, check_unknown, is_int


# ---- which requests a fault or a hold catches -----------------------------------------------------

def request_match(body):
    """(compiled path, METHOD or None, count) of a fault's or a hold's fields path, method and count, checked."""
    if not isinstance(body.get('path'), str):
        raise bad('Field "path" (a regular expression) is required')
    try:
        pattern = re.compile(body['path'])
    except re.error as exc:
        raise bad('Field "path" is not a valid regular expression: %s' % exc)
    method = body.get('method')
    if method is not None and not isinstance(method, str):
        raise bad('Field "method" must be a string')
    count = body.get('count', 1)
    if not is_int(count) or count < 1:
        raise bad('Field "count" must be a positive integer')
    return pattern, method.upper() if method else None, count


def catches(entry, method, path, raw_path):
    """Whether a fault or a hold catches a request: its method (if it names one) and its path (decoded or raw)."""
    return (not entry['method'] or entry['method'] == method) \
        and bool(entry['regex'].search(path) or entry['regex'].search(raw_path))


# ---- faults (POST /_emulator/faults) --------------------------------------------------------------

class FaultsMixin:
    """The armed faults of the Emulator: self.faults and self.fault_counter, guarded by self.lock."""

    def add_fault(self, body):
        if not isinstance(body, dict):
            raise bad('a fault must be a JSON object')
        check_unknown(body, FAULT_FIELDS)
        pattern, method, count = request_match(body)
        status = body.get('status')
        if status is not None and (not is_int(status) or not 100 <= status <= 599):
            raise bad('Field "status" must be an HTTP status code (100-599)')
        delay = body.get('delay', 0)
        if isinstance(delay, bool) or not isinstance(delay, (int, float)) or delay < 0 or delay > 600:
            raise bad('Field "delay" must be a number of seconds from 0 to 600')
        drop = body.get('drop', False)
        if not isinstance(drop, bool):
            raise bad('Field "drop" must be a boolean')
        after_apply = body.get('after_apply', False)
        if not isinstance(after_apply, bool):
            raise bad('Field "after_apply" must be a boolean')
        if status is None and not drop and not delay:
            raise bad('A fault needs "status", "drop" or "delay"')
        content_type = body.get('content_type')
        if content_type is not None and not isinstance(content_type, str):
            raise bad('Field "content_type" must be a string')
        retry_after = body.get('retry_after')
        if retry_after is not None and (isinstance(retry_after, bool) or not isinstance(retry_after, (int, float, str))):
            raise bad('Field "retry_after" must be a number of seconds or an HTTP date')
        with self.lock:
            self.fault_counter += 1
            fault = {'id': self.fault_counter, 'method': method, 'path': body['path'],
                     'remaining': count, 'status': status, 'body': body.get('body'), 'content_type': content_type,
                     'retry_after': retry_after, 'delay': delay, 'drop': drop, 'after_apply': after_apply,
                     'regex': pattern}
            self.faults.append(fault)
            return self.fault_view(fault)

    @staticmethod
    def fault_view(fault):
        return {key: value for key, value in fault.items() if key != 'regex'}

    @staticmethod
    def fault_label(fault):
        """What a fault did to a request, for its request log entry: e.g. "drop after apply"."""
        parts = []
        if fault['delay']:
            parts.append('delay %gs' % fault['delay'])
        if fault['drop']:
            parts.append('drop')
        elif fault['status'] is not None:
            parts.append('status %d' % fault['status'])
        return ', '.join(parts) + (' after apply' if fault['after_apply'] else '')

    def take_fault(self, method, path, raw_path):
        with self.lock:
            for fault in self.faults:
                if not catches(fault, method, path, raw_path):
                    continue
                fault['remaining'] -= 1
                if fault['remaining'] <= 0:
                    self.faults.remove(fault)
                return dict(fault)
        return None


# ---- holds (POST /_emulator/holds) ----------------------------------------------------------------

class _Waiter:
    """One held request: `released` lets it go on; its `handled` lets the one caught after it go on."""

    __slots__ = ('released', 'handled', 'previous')

    def __init__(self, previous):
        self.released = threading.Event()
        self.handled = threading.Event()
        self.previous = previous


class Holds:
    """Requests stopped before they are handled until a test releases them, to drive interleavings.

    Its own lock, never the emulator's, so that a held request blocks no other client.
    """

    FIELDS = ('method', 'path', 'count', 'timeout')
    RELEASE_FIELDS = ('count',)
    MAX_TIMEOUT = 600
    # How long a reset waits for the requests it released to be handled, so that they land in the
    # log and state of the test that made them, not in those of the next one.
    RESET_SETTLE = 10

    def __init__(self):
        self.lock = threading.Lock()
        self.holds = []
        self.counter = 0

    def add(self, body):
        if not isinstance(body, dict):
            raise bad('a hold must be a JSON object')
        check_unknown(body, self.FIELDS)
        pattern, method, count = request_match(body)
        timeout = body.get('timeout', 60)
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= self.MAX_TIMEOUT:
            raise bad('Field "timeout" must be a number of seconds above 0, at most %d' % self.MAX_TIMEOUT)
        with self.lock:
            self.counter += 1
            hold = {'id': self.counter, 'method': method, 'path': body['path'],
                    'remaining': count, 'timeout': timeout, 'caught': 0, 'released': 0, 'timed_out': 0,
                    'regex': pattern, 'queue': [], 'last': None}
            self.holds.append(hold)
            return self.view(hold)

    @staticmethod
    def view(hold):
        view = {key: value for key, value in hold.items() if key not in ('regex', 'queue', 'last')}
        view['waiting'] = len(hold['queue'])
        return view

    def views(self):
        with self.lock:
            return [self.view(hold) for hold in self.holds]

    def release(self, hold_id, body):
        if body is not None and not isinstance(body, dict):
            raise bad('a release must be a JSON object')
        check_unknown(body or {}, self.RELEASE_FIELDS)
        count = (body or {}).get('count')
        if count is not None and (not is_int(count) or count < 1):
            raise bad('Field "count" must be a positive integer')
        with self.lock:
            for hold in self.holds:
                if hold['id'] == hold_id:
                    self._let_go(hold, len(hold['queue']) if count is None else count)
                    return self.view(hold)
        raise ApiError(404, 'No hold %d' % hold_id)

    def clear(self, settle=0):
        """Release every waiting request and remove every hold; wait up to settle s for them to be handled."""
        with self.lock:
            holds, self.holds = self.holds, []
            waiters = [waiter for hold in holds for waiter in hold['queue']]
            for hold in holds:
                self._let_go(hold, len(hold['queue']))
        deadline = time.monotonic() + settle
        for waiter in waiters:
            waiter.handled.wait(max(0, deadline - time.monotonic()))
        return {'cleared': len(holds), 'released': len(waiters)}

    @staticmethod
    def _let_go(hold, count):
        freed = hold['queue'][:count]
        del hold['queue'][:count]
        hold['released'] += len(freed)
        for waiter in freed:
            waiter.released.set()
        return len(freed)

    def wait(self, method, path, raw_path):
        """Block a request that a hold catches until it is released or times out; answer its _Waiter, or None.

        The caller must set the waiter's `handled` once the request is handled, whatever happens: the
        request caught after it waits for that, so requests released together are handled in the order
        they arrived.
        """
        with self.lock:
            for hold in self.holds:
                if hold['remaining'] > 0 and catches(hold, method, path, raw_path):
                    break
            else:
                return None
            hold['remaining'] -= 1
            hold['caught'] += 1
            waiter = _Waiter(hold['last'])
            hold['last'] = waiter
            hold['queue'].append(waiter)
        if not waiter.released.wait(hold['timeout']):
            with self.lock:
                if waiter in hold['queue']:
                    # The older ones' time is up as well: releasing them too keeps "release the oldest n" true.
                    hold['timed_out'] += self._let_go(hold, hold['queue'].index(waiter) + 1)
        if waiter.previous is not None:
            waiter.previous.handled.wait()
            waiter.previous = None
        return waiter
