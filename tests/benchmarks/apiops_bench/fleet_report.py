# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fleet section of docs/performance.md: the runs' tables, task by task, and where the time goes."""

from __future__ import annotations

import collections
import os
import re

from .fleet import PROJECT, first_difference, reference_row
from .harness import ENVIRONMENTS, PATHS, machine, minutes

MARK_START = '<!-- fleet benchmark: start (written by tests/benchmarks/benchmark.py) -->'
MARK_END = '<!-- fleet benchmark: end -->'
# The goals of the issue: the window within this many times the floor at the best forks, and at
# least this many times faster than the loop-style runbook on the same path.
FLOOR_GOAL = 1.5
LOOP_GOAL = 30.0


def run_label(row):
    if row['kind'] == 'floor':
        return 'floor (`floor.py`, %d threads)' % row['forks']
    if row['kind'] == 'loop':
        return 'loop (one localhost play)'
    return 'one host per proxy'


def best(rows, path):
    """The per-host run of a path with the shortest wall time (None when that path did not run)."""
    found = [row for row in rows if row['kind'] == 'per_host' and row['path'] == path]
    return min(found, key=lambda row: row['wall']) if found else None


def loop_of(rows, path):
    return next((row for row in rows if row['kind'] == 'loop' and row['path'] == path), None)


def floor_of(rows):
    # Every set of fleet runs starts with the floor.
    return next(row for row in rows if row['kind'] == 'floor')


def fleet_table(rows):
    reference, floor_row = reference_row(rows), floor_of(rows)
    lines = ['| run | path | forks | wall s | x faster than the loop (same path) | x the floor | requests | '
             'same requests as the floor | deploys | deploys = %s | end state = %s | CPU s (all) | '
             'CPU s (ansible-playbook) | CPU s (emulator) | peak RSS MiB | peak PSS MiB | load avg (start/end) |'
             % (reference['kind'], reference['kind']),
             '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|']
    for row in rows:
        loop = loop_of(rows, row['path'])
        same_state = first_difference(reference['state'], row['state'])
        main_cpu = row.get('profile', {}).get('main_cpu')
        lines.append('| %s | %s | %s | %.1f | %s | %.2f | %d | %s | %d | %s | %s | %.1f | %s | %.1f | %.0f | %.0f | '
                     '%.1f / %.1f |' % (
                         run_label(row), row['path'] or '-', '-' if row['kind'] != 'per_host' else row['forks'],
                         row['wall'], '-' if loop is None else '%.1f' % (loop['wall'] / row['wall']),
                         row['wall'] / floor_row['wall'], row['requests'],
                         '-' if row['kind'] == 'floor' else row['same_requests'], row['deploys'],
                         'yes' if row['deploys'] == reference['deploys'] else 'NO (%d)' % reference['deploys'],
                         'identical' if same_state is None else 'DIFFERS at %s' % same_state,
                         row['cpu'], '-' if main_cpu is None else '%.1f' % main_cpu, row['emulator_cpu'],
                         row['peak_memory'][0] / 1048576.0, row['peak_memory'][1] / 1048576.0,
                         row['load'][0], row['load'][1]))
    return lines


def short_path(path):
    """A request path without the project and proxy: /apiops/projects/P/apiProxies/N/x/ -> x/."""
    return re.sub(r'^/apiops/projects/[^/]+/apiProxies/[^/]+/', '', path) or '(the proxy)'


def sequence_lines(plan):
    """What the window sends, phase by phase, for one proxy (and whether every proxy gets the same)."""
    lines = []
    for phase in plan['phases']:
        proxies = phase['proxies']
        one = next(iter(proxies.values())) if proxies else []
        shape = [(r['method'], short_path(r['path'])) for r in one]
        same = all([(r['method'], short_path(r['path'])) for r in each] == shape for each in proxies.values())
        requests = ', '.join('%s %s%s' % (r['method'], short_path(r['path']), ' -> %s' % r['status']
                                          if r['status'] not in (200, None) else '') for r in one)
        lines.append('- %s: %s%s%s' % (
            phase['name'], ('%s, then ' % ', '.join('%s %s' % (r['method'], r['path']) for r in phase['serial']))
            if phase['serial'] else '', ('per proxy (%d) %s' % (len(proxies), requests)) if proxies else '',
            '' if same else ' (not the same for every proxy)'))
    return lines


def task_rows(summary):
    """Per task name: (wall, main CPU, worker CPU, results), plays' set-up folded into '(set-up of the plays)'."""
    rows = collections.OrderedDict()
    rows['(start-up and inventory, before the first play)'] = dict(wall=summary['startup'], main_cpu=None,
                                                                   worker_cpu=None, results=None)
    for task in summary['tasks']:
        name = task['name'] if task['kind'] == 'task' else '(set-up of the plays)'
        row = rows.setdefault(name, dict(wall=0.0, main_cpu=0.0, worker_cpu=0.0, results=None))
        row['wall'] += task['wall']
        row['main_cpu'] += task['main_cpu']
        row['worker_cpu'] += task['worker_cpu']
        if task['kind'] == 'task':
            row['results'] = task['results']
    rows['(after the last task: recap, exit)'] = dict(wall=summary['tail'], main_cpu=None, worker_cpu=None,
                                                      results=None)
    return rows


def is_inventory(name):
    return name.startswith('inventory')


def profile_table(rows, plan):
    """Task by task: the floor's phase, then the best per-host run of each path."""
    runs = [row for row in (best(rows, path) for path in PATHS) if row]
    floor_phases = {phase['name']: phase for phase in floor_of(rows)['floor']['phases']}
    plan_phases = {phase['name']: phase for phase in plan['phases']}
    tables = [task_rows(run['profile']) for run in runs]
    names = []
    for table in tables:
        names += [name for name in table if name not in names]
    header = '| task | requests per proxy | floor s |' + ''.join(
        ' %s forks %d: results ok/skipped | wall s | CPU s main | CPU s workers |' % (run['path'], run['forks'])
        for run in runs)
    lines = [header, '|---|---|---|' + '---|---|---|---|' * len(runs)]
    inventory = next((phase for name, phase in plan_phases.items() if is_inventory(name)), None)
    for name in names:
        # The inventory's requests are sent during the start-up, before any task.
        phase = plan_phases.get(name) or (inventory if name.startswith('(start-up') else None)
        floor_phase = floor_phases.get(phase['name']) if phase else None
        one = next(iter(phase['proxies'].values()), []) if phase else []
        cells = ['| %s | %s | %s |' % (
            name, ' '.join(r['method'] for r in one) or '-', '%.2f' % floor_phase['seconds'] if floor_phase else '-')]
        for table in tables:
            row = table.get(name)
            if row is None:
                cells.append(' - | - | - | - |')
                continue
            results = row['results']
            cells.append(' %s | %.2f | %s | %s |' % (
                '%d/%d' % (results['ok'] + results['failed'], results['skipped']) if results else '-', row['wall'],
                '-' if row['main_cpu'] is None else '%.2f' % row['main_cpu'],
                '-' if row['worker_cpu'] is None else '%.2f' % row['worker_cpu']))
        lines.append(''.join(cells))
    return lines


def split_by_requests(summary, plan):
    """[seconds, main CPU, worker CPU, results] of the tasks that send requests ('sending') and of all the others."""
    sending = {phase['name'] for phase in plan['phases']}
    totals = dict(sending=[0.0, 0.0, 0.0, 0], other=[0.0, 0.0, 0.0, 0])
    for task in summary['tasks']:
        side = totals['sending' if task['name'] in sending and task['kind'] == 'task' else 'other']
        side[0] += task['wall']
        side[1] += task['main_cpu']
        side[2] += task['worker_cpu']
        if task['kind'] == 'task':
            side[3] += task['results']['ok'] + task['results']['skipped'] + task['results']['failed']
    return totals


def time_split(run, plan, floor_row, cores):
    """Where the run's time above the floor goes: start-up and inventory, the tasks that send requests, the others."""
    summary = run['profile']
    split = split_by_requests(summary, plan)
    sending, other = split['sending'], split['other']
    phases = floor_row['floor']['phases']
    floor_inventory = sum(phase['seconds'] for phase in phases if is_inventory(phase['name']))
    floor_sending = sum(phase['seconds'] for phase in phases if not is_inventory(phase['name']))
    lines = [
        '- %s at forks %d, %.1f s against the floor\'s %.1f s (%.1f s more): start-up and inventory %.1f s '
        '(the floor\'s inventory reads: %.2f s); the tasks that send requests %.1f s (%d results; the floor sends '
        'the same requests in %.2f s); every other task %.1f s (%d results: set_fact, assert, debug, skipped '
        'pauses, the plays\' set-up), which the floor does not have; the end (recap, exit) %.1f s; the floor\'s own '
        'start-up %.2f s.' % (
            'Direct execution' if run['path'] == 'direct' else 'The module path', run['forks'], run['wall'],
            floor_row['wall'], run['wall'] - floor_row['wall'], summary['startup'], floor_inventory, sending[0],
            sending[3], floor_sending, other[0], other[3], summary['tail'],
            floor_row['wall'] - floor_inventory - floor_sending),
        '- CPU of that run: the tasks that send requests %.1f s in `ansible-playbook` and %.1f s in the workers '
        '(%.1f ms per result); every other task %.1f s and %.1f s (%.1f ms per result).' % (
            sending[1], sending[2], 1000.0 * (sending[1] + sending[2]) / sending[3] if sending[3] else 0.0,
            other[1], other[2], 1000.0 * (other[1] + other[2]) / other[3] if other[3] else 0.0)]
    if summary['main_cpu'] is not None:
        busy = summary['main_cpu'] / run['wall']
        lines.append(
            '- `ansible-playbook` itself (one process: one core at most) used %.1f s of CPU, %.0f%% of the run\'s '
            '%.1f s (%s); the whole tree used %.1f s, %.0f%% of what %d cores give in that time.' % (
                summary['main_cpu'], 100.0 * busy, run['wall'],
                'it templates and queues every host\'s task and takes every result: busy most of the run, it is the '
                'bound' if busy >= 0.8 else 'not the bound', run['cpu'], 100.0 * run['cpu'] / (cores * run['wall']),
                cores))
    return lines


def goal_lines(latency_rows, floor_row):
    lines = []
    for path in PATHS:
        run, loop = best(latency_rows, path), loop_of(latency_rows, path)
        if run is None:
            continue
        ratio = run['wall'] / floor_row['wall']
        goals = ['%.2fx the floor (%.1f s against %.1f s; goal at most %.1fx: %s)' % (
            ratio, run['wall'], floor_row['wall'], FLOOR_GOAL, 'reached' if ratio <= FLOOR_GOAL else 'not reached')]
        if loop:
            ratio = loop['wall'] / run['wall']
            goals.append('%.1fx faster than the loop on the same path (%.1f s; goal at least %.0fx: %s)' % (
                ratio, loop['wall'], LOOP_GOAL, 'reached' if ratio >= LOOP_GOAL else 'not reached'))
        lines.append('- %s, best forks %d: %s.' % (
            'Direct execution' if path == 'direct' else 'Module path', run['forks'], '; '.join(goals)))
    return lines


def fleet_analysis(latency_rows, plain_rows, plan, proxies, latency, deploy_latency, cores):
    """Where the time goes, computed from the figures above."""
    floor_row = floor_of(latency_rows)
    floor_result = floor_row['floor']
    lines = ['### Goals and where the time goes', ''] + goal_lines(latency_rows, floor_row)
    # floor.py exits non-zero (and the benchmark stops) when an answer's status is not the window's.
    lines.append(
        '- The floor sends the window\'s %d requests (each answered with the status the window got; %d of them the '
        'route-health reads that verify each deploy on the gateway pods, as the modules do) with no Ansible at all: '
        '%s. That is the time the emulator\'s latency takes with %d proxies at once; its own CPU was %.1f s.' % (
            floor_result['requests'], floor_result['route_health'],
            ', '.join('%s %.2f s' % (phase['name'], phase['seconds']) for phase in floor_result['phases']),
            floor_result['threads'], floor_row['cpu']))
    for path in PATHS:
        run = best(latency_rows, path)
        if run is not None:
            lines += time_split(run, plan, floor_row, cores)
    module_run, direct_run = best(latency_rows, 'module'), best(latency_rows, 'direct')
    if module_run and direct_run:
        runs = split_by_requests(module_run['profile'], plan)['sending'][3]
        lines.append(
            '- The module path at forks %d took %.1f s and %.0f s of CPU against %.1f s and %.0f s for direct '
            'execution: %.2f s more CPU per task of this collection (%d of them, %.0f per proxy), the new Python, '
            '`ansible.module_utils` and `requests` of each.' % (
                module_run['forks'], module_run['wall'], module_run['cpu'], direct_run['wall'], direct_run['cpu'],
                (module_run['cpu'] - direct_run['cpu']) / runs if runs else 0.0, runs, runs / float(proxies)))
    loop = loop_of(latency_rows, 'direct') or loop_of(latency_rows, 'module')
    if loop:
        waited = loop['requests'] * latency / 1000.0 + loop['deploys'] * deploy_latency / 1000.0
        lines.append(
            '- The loop pays every wait one after another: %d requests x %d ms + %d deploys x %d ms = %.0f s of its '
            '%.0f s (%s path). No run is faster than the floor, so no run can be more than %.0fx faster than this '
            'loop (%.1f s against the floor\'s %.1f s).' % (
                loop['requests'], latency, loop['deploys'], deploy_latency, waited, loop['wall'], loop['path'],
                loop['wall'] / floor_row['wall'], loop['wall'], floor_row['wall']))
    plain_best = [row for row in (best(plain_rows, path) for path in PATHS) if row]
    if plain_best:
        lines.append(
            '- Without latency the runs show the cost of the parallelism itself: %s.' % '; '.join(
                '%s: loop %s, best per-host %.1f s at forks %d (%.0f s CPU, of which %s in `ansible-playbook`)' % (
                    row['path'], '%.1f s' % loop_of(plain_rows, row['path'])['wall']
                    if loop_of(plain_rows, row['path']) else '-', row['wall'], row['forks'], row['cpu'],
                    '%.0f s' % row['profile']['main_cpu'] if row['profile']['main_cpu'] is not None else '-')
                for row in plain_best))
    loads = [load for row in latency_rows + plain_rows for load in row['load']]
    lines.append(
        '- Load average (1 minute) at the start and end of each run: %.1f to %.1f on %d cores. It counts the runs\' '
        'own processes (up to one worker per fork) and decays from the run before.' % (min(loads), max(loads), cores))
    lines.append('- Memory grows with forks (one worker process per fork): peak PSS %s.' % ', '.join(
        '%.0f MiB %s' % (row['peak_memory'][1] / 1048576.0, 'for the floor' if row['kind'] == 'floor' else
                         'for the loop (%s)' % row['path'] if row['kind'] == 'loop' else
                         'at forks %d (%s)' % (row['forks'], row['path'])) for row in latency_rows))
    return lines


def fleet_report(command, options, latency_rows, plain_rows, plan, seconds):
    cores = os.cpu_count()
    proxies, latency, deploy_latency = options.fleet_proxies, options.latency_ms, options.deploy_latency_ms
    inventory_requests = sum(len(phase['serial']) + sum(len(each) for each in phase['proxies'].values())
                             for phase in plan['phases'] if is_inventory(phase['name']))
    lines = [MARK_START, '',
             '## Fleet: a maintenance window over %d API proxies, loop against one host per proxy' % proxies, '',
             'Measured by `%s` on %s (this part: %s). The emulator serves project `%s`: %d REST proxies, each deployed '
             'in %s, maintenance off. Each run is the full window (preview, in and deployed, out and deployed), '
             'starting from that seed, on both paths (direct: the tasks run inside the worker processes; module: '
             '`APINIZER_DIRECT_EXECUTION=false`):' % (
                 command, machine(), minutes(seconds), PROJECT, proxies, ' and '.join(ENVIRONMENTS)), '',
             '- **floor**: `tests/benchmarks/floor.py`, a plain Python script (requests, one kept-alive connection per '
             'thread) that sends exactly the requests of a window run, the route-health reads after each deploy '
             'included: each phase across all proxies before the next, as the runbook does, within a phase %d '
             'proxies at a time (as forks %d), one proxy\'s requests one after another;' % (
                 options.floor_threads, options.floor_threads),
             '- **loop**: `tests/benchmarks/loop_maintenance_window.yml`, the runbook as it was before it ran one host '
             'per proxy: one `localhost` play whose tasks loop over `maintenance_api_proxies` '
             '(`-e @vars` with the %d names);' % proxies,
             '- **one host per proxy**: `playbooks/maintenance_window.yml -i fleet.apinizer.yml -e '
             'maintenance_hosts=project_fleet --forks N`, the hosts from the inventory plugin (its own %d reads '
             'are part of the requests).' % inventory_requests, '',
             'The requests of the window, learned from the emulator\'s request log of one window run (direct '
             'execution, forks %d, no latency), split by the task that sent them:' % max(options.fleet_forks), '']
    lines += sequence_lines(plan)
    lines += ['',
              'Wall time is the whole run. CPU is user + system time of the command and everything it started '
              '(`getrusage(RUSAGE_CHILDREN)`); "ansible-playbook" is the main process alone (the benchmark\'s '
              '`task_profile` callback). Peak memory is the largest sum over the process tree, sampled every 0.5 s '
              'from `/proc/<pid>/smaps_rollup`: RSS (pages the forked workers share with `ansible-playbook` counted '
              'once per process) and PSS (shared pages divided among the processes that share them). A deploy is one '
              'environment deployed (in a settings PATCH or a deploy POST). "Same requests as the floor" compares '
              'the run\'s requests (method, path, query, body, in any order) with those the floor sends, and names '
              'the tasks whose requests a runbook does not send at all; "end state" compares the emulator\'s whole '
              'state after the run (`GET /_emulator/state`, without the deploy times) with the first loop\'s (the '
              'floor\'s when no loop ran).', '']
    for title, rows in (('With %d ms per request and %d ms per deploy' % (latency, deploy_latency), latency_rows),
                        ('Without latency (the cost of the parallelism itself)', plain_rows)):
        if rows:
            lines += ['### %s' % title, ''] + fleet_table(rows) + ['']
    if any(best(latency_rows, path) for path in PATHS):
        lines += ['### Task by task (with latency, the best forks of each path)', '',
                  'Wall time from the start of a task to the start of the next (the linear strategy starts a task '
                  'when the one before has finished on every host), CPU of `ansible-playbook` and of the workers in '
                  'that time; the floor\'s time for the same requests beside it.', '']
        lines += profile_table(latency_rows, plan) + ['']
    lines += fleet_analysis(latency_rows, plain_rows, plan, proxies, latency, deploy_latency, cores)
    lines += ['', MARK_END]
    return '\n'.join(lines)
