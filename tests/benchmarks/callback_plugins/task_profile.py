# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: task_profile
type: aggregate
short_description: Wall time, CPU and emulator requests of every task of a run, for the benchmark
description:
  - Writes one JSON line to the file named by the environment variable E(TASK_PROFILE_FILE) at the
    start of every play and task and at the end of the run, with the time, the CPU used so far by
    ansible-playbook itself (main) and by the processes it started (workers, reaped or not), and
    how many results the task before it had (ok, skipped, failed).
  - With the linear strategy a task starts only when the one before it has finished on every host,
    so the difference between two lines is what that task cost, in wall time and in CPU.
  - With E(TASK_PROFILE_EMULATOR) (the emulator's base URL) it also moves the emulator's request
    log into the line (and clears it), so the requests are split by the task that sent them (the
    requests before the first task are the inventory's). Used only by tests/benchmarks/benchmark.py.
"""

import json
import os
import resource
import time
import urllib.request

from ansible.plugins.callback import CallbackBase


def cpu(usage):
    return usage.ru_utime + usage.ru_stime


def unreaped_children_cpu():
    """CPU of this process's children that have not been waited for yet (running or zombie).

    RUSAGE_CHILDREN counts a worker only once it is reaped; ansible-core reaps a worker when it
    reuses its slot, so some of a task's workers are still unreaped when the next task starts.
    """
    me = os.getpid()
    ticks = float(os.sysconf('SC_CLK_TCK'))
    total = 0.0
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as handle:
                fields = handle.read().rsplit(')', 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == me:
            # Its own time and that of its children it has waited for (a module's Python).
            total += (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / ticks
    return total


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'task_profile'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._out = open(os.environ['TASK_PROFILE_FILE'], 'a')
        self._emulator = os.environ.get('TASK_PROFILE_EMULATOR')
        self._results = dict(ok=0, skipped=0, failed=0)

    def _mark(self, kind, name):
        # The worker CPU first: the main process reaps workers only in this thread, so none is
        # counted twice or missed between the two readings.
        record = dict(kind=kind, name=name, time=time.monotonic(),
                      main_cpu=cpu(resource.getrusage(resource.RUSAGE_SELF)),
                      worker_cpu=unreaped_children_cpu() + cpu(resource.getrusage(resource.RUSAGE_CHILDREN)),
                      results_before=self._results)
        self._results = dict(ok=0, skipped=0, failed=0)
        if self._emulator:
            record['requests_before'] = self._take_requests()
        self._out.write(json.dumps(record) + '\n')
        self._out.flush()

    def _take_requests(self):
        """The emulator's request log since the last mark (then cleared): the requests of the task before."""
        def call(method):
            request = urllib.request.Request(self._emulator + '/_emulator/requests', method=method)
            with urllib.request.urlopen(request) as response:
                return json.loads(response.read())
        taken = call('GET')
        call('DELETE')
        return taken

    def v2_playbook_on_play_start(self, play):
        self._mark('play', play.get_name())

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._mark('task', task.get_name())

    def v2_playbook_on_handler_task_start(self, task):
        self._mark('task', task.get_name())

    def v2_playbook_on_stats(self, stats):
        self._mark('end', '')

    def v2_runner_on_ok(self, result):
        self._results['ok'] += 1

    def v2_runner_on_skipped(self, result):
        self._results['skipped'] += 1

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._results['failed'] += 1

    def v2_runner_on_unreachable(self, result):
        self._results['failed'] += 1
