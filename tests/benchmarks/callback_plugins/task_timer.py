# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: task_timer
type: aggregate
short_description: Record every task result's duration for the benchmark
description:
  - Writes one JSON line per task result (task name, host, seconds, changed) to the file named by
    the environment variable E(TASK_TIMER_FILE). Used only by tests/benchmarks/benchmark.py.
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'task_timer'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._started = {}
        self._out = open(os.environ['TASK_TIMER_FILE'], 'a')

    def v2_runner_on_start(self, host, task):
        self._started[(host.get_name(), task._uuid)] = time.monotonic()

    def _record(self, result):
        key = (result._host.get_name(), result._task._uuid)
        started = self._started.pop(key, None)
        if started is None:
            return
        self._out.write(json.dumps(dict(task=result._task.get_name(), host=key[0],
                                        seconds=time.monotonic() - started,
                                        changed=bool(result._result.get('changed')),
                                        failed=bool(result._result.get('failed')))) + '\n')
        self._out.flush()

    v2_runner_on_ok = _record

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result)
