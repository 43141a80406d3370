# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Per task: one task on many local hosts, wall time and CPU of the whole ansible-playbook process tree.

One run per kind of task: this collection's task on both paths, the builtins it is compared with,
and the kinds of task the runbook has besides its module tasks; a play without tasks is the
baseline every row is taken less.
"""

from __future__ import annotations

import json
import os
import sys

from .harness import (PATHS, PROJECT, TOKEN, Emulator, ansible_env, checked, confirm_path, count_requests,
                      local_inventory, machine, minutes, profile_summary, proxy_name, read_jsonl, run_measured)

MARK_START = '<!-- per-task benchmark: start (written by tests/benchmarks/benchmark.py) -->'
MARK_END = '<!-- per-task benchmark: end -->'
# The goal of the issue: a task of this collection (direct execution) costs at most this many
# times the CPU of ansible.builtin.debug.
GOAL = 1.5


def cases(url):
    """(key, what, task, path): the task of each run; None: the play without tasks."""
    maintenance = {'apinizer.apiops.apinizer_maintenance_mode': {
        'project': PROJECT, 'api_proxy': '{{ inventory_hostname }}', 'enabled': False}}
    return [
        ('baseline', 'the same play without tasks (start-up, inventory, play)', None, 'direct'),
        ('direct', 'apinizer_maintenance_mode, unchanged (one GET), direct execution', maintenance, 'direct'),
        ('module', 'the same on the module path (`APINIZER_DIRECT_EXECUTION=false`)', maintenance, 'module'),
        ('debug', '`ansible.builtin.debug` (msg: the host name)', {'ansible.builtin.debug': {
            'msg': '{{ inventory_hostname }}'}}, 'direct'),
        ('ping', '`ansible.builtin.ping`', {'ansible.builtin.ping': {}}, 'direct'),
        ('uri', '`ansible.builtin.uri`, the same GET against the emulator', {'ansible.builtin.uri': {
            'url': '%s/apiops/projects/%s/apiProxies/{{ inventory_hostname }}/' % (url, PROJECT),
            'headers': {'Authorization': 'Bearer ' + TOKEN}}}, 'direct'),
        ('set_fact', '`ansible.builtin.set_fact` (a dict of two templated values)', {'ansible.builtin.set_fact': {
            'benchmark_fact': {'name': '{{ inventory_hostname }}', 'upper': '{{ inventory_hostname | upper }}'}}},
         'direct'),
        ('assert', '`ansible.builtin.assert` (one condition, quiet)', {'ansible.builtin.assert': {
            'that': ['inventory_hostname | length > 0'], 'quiet': True}}, 'direct'),
        ('skipped', 'a task skipped by its `when` (debug, `when: false`)',
         {'ansible.builtin.debug': {'msg': 'x'}, 'when': False}, 'direct'),
    ]


def measure_per_task(workdir, collections_path, hosts, forks):
    names = [proxy_name(i) for i in range(hosts)]
    emulator = Emulator(workdir, hosts)
    rows = []
    try:
        for path in PATHS:
            confirm_path(workdir, collections_path, emulator.url, PROJECT, names[0], path)
        inventory = local_inventory(os.path.join(workdir, 'per-task-%d.ini' % hosts), names)
        for key, what, task, path in cases(emulator.url):
            emulator.reset()
            playbook = os.path.join(workdir, 'per-task-%s.json' % key)
            with open(playbook, 'w') as handle:
                json.dump([{'name': 'per task', 'hosts': 'proxies', 'gather_facts': False,
                            'tasks': [dict(name=key, **task)] if task else []}], handle)
            profile = os.path.join(workdir, 'per-task-%s.profile.jsonl' % key)
            print('  %s: %d hosts, forks %d...' % (key, hosts, forks), flush=True)
            measured = checked(run_measured(['ansible-playbook', playbook, '-i', inventory, '-f', str(forks)],
                                            ansible_env(collections_path, emulator.url, path, TASK_PROFILE_FILE=profile),
                                            os.path.join(workdir, 'per-task-%s.log' % key)), key)
            summary = profile_summary(read_jsonl(profile), measured)
            results = summary['tasks'][-1]['results'] if task and summary['tasks'] else {}
            rows.append(dict(key=key, what=what, wall=measured['wall'], cpu=measured['cpu'],
                             main_cpu=summary['main_cpu'], worker_cpu=summary['worker_cpu'],
                             results=results, requests=count_requests(emulator.requests())[0]))
    finally:
        emulator.stop()
    base = rows[0]
    for row in rows:
        row['cpu_net_ms'] = 1000.0 * (row['cpu'] - base['cpu']) / hosts
        row['wall_net_ms'] = 1000.0 * (row['wall'] - base['wall']) / hosts
        row['main_net_ms'] = 1000.0 * ((row['main_cpu'] or 0) - (base['main_cpu'] or 0)) / hosts
        row['worker_net_ms'] = 1000.0 * ((row['worker_cpu'] or 0) - (base['worker_cpu'] or 0)) / hosts
    return dict(hosts=hosts, forks=forks, rows=rows)


def per_task_report(command, per_task, seconds):
    hosts, forks, rows = per_task['hosts'], per_task['forks'], per_task['rows']
    by = {row['key']: row for row in rows}
    debug, direct, module = by['debug'], by['direct'], by['module']
    lines = [MARK_START, '',
             '## CPU per task: one task on %d hosts, forks %d' % (hosts, forks), '',
             'Measured by `%s` on %s (this part: %s). A static inventory of %d hosts with `ansible_connection=local` '
             'and `ansible_python_interpreter` the controller\'s Python (`%s`), one play, one task, forks %d; one '
             '`ansible-playbook` run per row. CPU is user + system time of `ansible-playbook` and every process it '
             'started (`getrusage(RUSAGE_CHILDREN)` around the run); main is `ansible-playbook` itself (it queues '
             'every host\'s task and takes every result), workers the processes it forks, one per host and task '
             '(read by the benchmark\'s `task_profile` callback). "Per task" is the run less the play without tasks, '
             'divided by %d.' % (command, machine(), minutes(seconds), hosts, sys.executable, forks, hosts), '',
             '| task | results ok/skipped/failed | requests | wall s | CPU s | CPU s main | CPU s workers | '
             'wall ms per task | CPU ms per task | of which main | of which workers | CPU / debug |',
             '|---|---|---|---|---|---|---|---|---|---|---|---|']
    for row in rows:
        # The baseline row has no task: no results and nothing per task.
        first = row is rows[0]
        results = row['results']
        lines.append('| %s | %s | %d | %.1f | %.1f | %.1f | %.1f | %s | %s | %s | %s | %s |' % (
            row['what'], '-' if first else '%d/%d/%d' % (results.get('ok', 0), results.get('skipped', 0),
                                                         results.get('failed', 0)),
            row['requests'], row['wall'], row['cpu'], row['main_cpu'] or 0, row['worker_cpu'] or 0,
            '-' if first else '%.1f' % row['wall_net_ms'], '-' if first else '%.1f' % row['cpu_net_ms'],
            '-' if first else '%.1f' % row['main_net_ms'], '-' if first else '%.1f' % row['worker_net_ms'],
            '-' if first else '%.2f' % (row['cpu_net_ms'] / debug['cpu_net_ms'])))
    ratio = direct['cpu_net_ms'] / debug['cpu_net_ms']
    lines += ['',
              '- Goal: a task of this collection (direct execution) at most %.1fx the CPU of `debug`. Measured: '
              '%.2fx (%.1f ms against %.1f ms per task): %s.' % (
                  GOAL, ratio, direct['cpu_net_ms'], debug['cpu_net_ms'],
                  'reached' if ratio <= GOAL else 'not reached'),
              '- Direct execution against the module path: %.1f ms against %.1f ms of CPU per task (%.1fx less), '
              '%.1f ms against %.1f ms of wall time per task at forks %d. Against `uri` (the same GET, a module '
              'run in a new Python): %.1f ms; `ping` (a module that does nothing): %.1f ms.' % (
                  direct['cpu_net_ms'], module['cpu_net_ms'], module['cpu_net_ms'] / direct['cpu_net_ms'],
                  direct['wall_net_ms'], module['wall_net_ms'], forks, by['uri']['cpu_net_ms'],
                  by['ping']['cpu_net_ms']),
              '- Of the CPU per task, `ansible-playbook` itself (one process: it cannot use a second core) spends '
              '%.1f ms for direct execution and %.1f ms for `debug`; the workers %.1f ms and %.1f ms. The play '
              'without tasks (start-up, inventory, play) took %.1f s of CPU.' % (
                  direct['main_net_ms'], debug['main_net_ms'], direct['worker_net_ms'], debug['worker_net_ms'],
                  rows[0]['cpu']),
              '- The other kinds of task of the maintenance window runbook, per host: `set_fact` %.1f ms, `assert` '
              '%.1f ms, `debug` %.1f ms, and a task skipped by its `when` still %.1f ms (the condition is evaluated '
              'in a worker forked for the host).' % (
                  by['set_fact']['cpu_net_ms'], by['assert']['cpu_net_ms'], debug['cpu_net_ms'],
                  by['skipped']['cpu_net_ms']),
              '', MARK_END]
    return '\n'.join(lines)
