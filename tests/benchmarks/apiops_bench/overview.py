# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The overview: HTTP requests per task, time per task, scaling, import cost and memory of the module path.

These runs use the task_timer callback (the seconds of every task result); the per-task and fleet
parts measure whole runs with task_profile instead.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time

from .harness import PROJECT, ENVIRONMENTS, TOKEN, Emulator, ansible_env, local_inventory, machine, proxy_name

# Options that change a freshly seeded proxy; the same task run again is the unchanged case.
CHANGING_OPTIONS = {
    'apinizer_maintenance_mode': {'enabled': True, 'http_status_code': 503},
    'apinizer_proxy_metadata': {'description': 'benchmark run'},
    'apinizer_proxy_connection': {'connect_timeout': 45},
    'apinizer_proxy_websocket': {'auto_reconnect': True},
}


class Ansible:
    """ansible-playbook runs whose task results the task_timer callback times."""

    def __init__(self, workdir, collections_path, emulator):
        self.workdir = workdir
        # No inventory: the plays run on the implicit localhost, which the unparsed-is-failed check would refuse.
        self.env = ansible_env(collections_path, emulator.url, ANSIBLE_CALLBACKS_ENABLED='task_timer',
                               ANSIBLE_STDOUT_CALLBACK='ansible.builtin.minimal',
                               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=None)
        self.count = 0

    def play(self, plays, forks=1, inventory=None):
        """Run plays; answer (wall seconds, [task records])."""
        self.count += 1
        playbook = os.path.join(self.workdir, 'play-%d.json' % self.count)
        timings = os.path.join(self.workdir, 'timings-%d.jsonl' % self.count)
        with open(playbook, 'w') as handle:
            json.dump(plays, handle)
        command = ['ansible-playbook', playbook, '-f', str(forks)]
        if inventory:
            command += ['-i', inventory]
        started = time.monotonic()
        completed = subprocess.run(command, env=dict(self.env, TASK_TIMER_FILE=timings),
                                   capture_output=True, text=True, check=False)
        wall = time.monotonic() - started
        if completed.returncode != 0:
            raise SystemExit('ansible-playbook failed:\n%s\n%s' % (completed.stdout[-3000:], completed.stderr[-3000:]))
        with open(timings) as handle:
            records = [json.loads(line) for line in handle]
        return wall, records


def local_play(tasks):
    return [{'hosts': 'localhost', 'gather_facts': False, 'connection': 'local', 'tasks': tasks}]


def module_task(module, proxy, options, deploy=False):
    args = dict(project=PROJECT, api_proxy=proxy, **options)
    if deploy:
        args.update(deploy=True, deploy_environments=list(ENVIRONMENTS))
    return {'name': module, 'apinizer.apiops.%s' % module: args}


def measure_requests(emulator, ansible):
    """HTTP requests per task, read from the emulator's request log."""
    rows = []
    for module, changed in sorted(CHANGING_OPTIONS.items()):
        counts = {}
        for label, deploy in (('changed', False), ('unchanged', False), ('changed + deploy to 2 envs', True)):
            # The unchanged case is the changed task run again, on the state it left.
            if label != 'unchanged':
                emulator.reset()
            emulator.clear_log()
            ansible.play(local_play([module_task(module, proxy_name(0), changed, deploy)]))
            log = emulator.requests()
            counts[label] = '%d (%s)' % (len(log), ' '.join(entry['method'] for entry in log))
        rows.append((module, counts['unchanged'], counts['changed'], counts['changed + deploy to 2 envs']))
    return rows


def measure_task_time(emulator, ansible, tasks):
    """Median seconds per task for (a) unchanged, (b) changed, (c) uri PATCH, (d) ping; and how many changed."""
    module = 'apinizer_maintenance_mode'
    emulator.reset()
    proxies = [proxy_name(i % 50) for i in range(tasks)]
    unchanged = [module_task(module, p, {'enabled': False}) for p in proxies]
    # One proxy switched on and off in turn: every task really changes it.
    changed = [module_task(module, proxy_name(0), {'enabled': i % 2 == 0}) for i in range(tasks)]
    uri = [{'name': 'uri', 'ansible.builtin.uri': {
        'url': '%s/apiops/projects/%s/apiProxies/%s/settings/maintenance-mode/' % (emulator.url, PROJECT, p),
        'method': 'PATCH', 'body_format': 'json', 'body': {'enabled': False},
        'headers': {'Authorization': 'Bearer ' + TOKEN}}} for p in proxies]
    ping = [{'name': 'ping', 'ansible.builtin.ping': {}}] * tasks
    results, changed_counts = {}, {}
    for label, task_list in (('a', unchanged), ('b', changed), ('c', uri), ('d', ping)):
        records = ansible.play(local_play(task_list))[1]
        results[label] = statistics.median(record['seconds'] for record in records)
        changed_counts[label] = sum(1 for record in records if record['changed'])
    return results, changed_counts


def measure_scaling(emulator, ansible, workdir, sizes, forks_list):
    rows = []
    tasks = [module_task(module, '{{ inventory_hostname }}', changed)
             for module, changed in sorted(CHANGING_OPTIONS.items())]
    for size in sizes:
        inventory = local_inventory(os.path.join(workdir, 'inventory-%d.ini' % size), [proxy_name(i) for i in range(size)])
        for forks in forks_list:
            emulator.reset()
            plays = [{'hosts': 'proxies', 'gather_facts': False, 'tasks': tasks}]
            wall, records = ansible.play(plays, forks=forks, inventory=inventory)
            rows.append((size, forks, len(records), wall, len(records) / wall))
    return rows


def measure_import_and_memory(collections_path, emulator, workdir):
    """What a module-path task pays in its new Python: the import of module_utils, and its peak memory."""
    env = dict(os.environ, PYTHONPATH=collections_path)
    probe = subprocess.run(
        [sys.executable, '-X', 'importtime', '-c',
         'import ansible_collections.apinizer.apiops.plugins.module_utils._proxy'],
        env=env, capture_output=True, text=True, check=True)
    cumulative = {}
    for line in probe.stderr.splitlines():
        match = re.match(r'import time:\s+\d+ \|\s+(\d+) \|\s+(\S.*)$', line)
        if match:
            cumulative[match.group(2).strip()] = int(match.group(1))
    ours = {name: us for name, us in cumulative.items() if 'apinizer' in name}
    emulator.reset()
    args_file = os.path.join(workdir, 'module-args.json')
    with open(args_file, 'w') as handle:
        json.dump({'ANSIBLE_MODULE_ARGS': dict(url=emulator.url, token=TOKEN, project=PROJECT,
                                               api_proxy=proxy_name(0), enabled=True)}, handle)
    module = os.path.join(collections_path, 'ansible_collections', 'apinizer', 'apiops', 'plugins', 'modules',
                          'apinizer_maintenance_mode.py')
    # The module's exit_json ends the interpreter; the peak RSS is read after it.
    runner = ('import resource, runpy, sys\n'
              'sys.argv = [sys.argv[1], sys.argv[2]]\n'
              'try:\n    runpy.run_path(sys.argv[0], run_name="__main__")\n'
              'except SystemExit:\n    pass\n'
              'sys.stderr.write("maxrss_kb=%d\\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n')
    run = subprocess.run([sys.executable, '-c', runner, module, args_file], env=env, capture_output=True, text=True, check=True)
    maxrss = int(re.search(r'maxrss_kb=(\d+)', run.stderr).group(1))
    baseline = subprocess.run([sys.executable, '-c', 'import resource, sys; sys.stderr.write(str(resource.getrusage('
                               'resource.RUSAGE_SELF).ru_maxrss))'], capture_output=True, text=True, check=True)
    return dict(total_us=cumulative.get('ansible_collections.apinizer.apiops.plugins.module_utils._proxy'),
                requests_us=cumulative.get('requests'), ours=ours, maxrss_kb=maxrss,
                python_baseline_kb=int(baseline.stderr))


def measure_overview(workdir, collections_path, quick):
    sizes, forks_list, tasks = ([10, 20], [1, 5], 20) if quick else ([50, 200, 500], [1, 5, 20], 50)
    # measure_task_time works on 50 proxies whatever the sizes.
    emulator = Emulator(workdir, max(sizes + [50]))
    try:
        ansible = Ansible(workdir, collections_path, emulator)
        print('measuring requests per task...', flush=True)
        counts = measure_requests(emulator, ansible)
        print('measuring time per task...', flush=True)
        timing = measure_task_time(emulator, ansible, tasks)
        print('measuring scaling %s x forks %s...' % (sizes, forks_list), flush=True)
        scaling = measure_scaling(emulator, ansible, workdir, sizes, forks_list)
        footprint = measure_import_and_memory(collections_path, emulator, workdir)
    finally:
        emulator.stop()
    return dict(counts=counts, timing=timing, tasks=tasks, scaling=scaling, footprint=footprint)


def reading_notes(per_task):
    """What the tables say, with the per-task figures."""
    rows = {row['key']: row for row in per_task['rows']}
    direct, module, debug = rows['direct'], rows['module'], rows['debug']
    return [
        '## Reading the figures', '',
        '- On the controller (a local connection, `delegate_to: localhost`) a task of this collection runs inside '
        'Ansible\'s worker process (direct execution, `plugins/plugin_utils/_direct.py`): no module payload, no new '
        'Python, no import of `requests` per task (the action plugin imports it in `ansible-playbook` before the '
        'workers fork). What it costs on top of what every Ansible task costs (a forked worker, templating, the '
        'result sent back to `ansible-playbook`: `debug`) is the validation of its arguments, the engine and its '
        'requests: %.1f ms of CPU per task against %.1f ms for `debug` (per-task table).' % (
            direct['cpu_net_ms'], debug['cpu_net_ms']),
        '- On the module path (a remote host, async, become, another Python, or `APINIZER_DIRECT_EXECUTION=false`) '
        'a task pays, like `ping` and `uri`, for a new Python process that imports `ansible.module_utils` and '
        '`requests` (see the import table): %.1f ms of CPU per task, %.1fx direct execution.' % (
            module['cpu_net_ms'], module['cpu_net_ms'] / direct['cpu_net_ms']),
        '- The HTTP requests themselves take about a millisecond each against the emulator on loopback; with a '
        'real Apinizer, network latency per request adds to each task, and more forks then pay off further. '
        'Without latency, forks help only until the cores are busy.', '']


def overview_report(command, overview, per_task_section, per_task):
    """docs/performance.md up to the fleet section; the per-task section goes after the requests table."""
    timing, changed = overview['timing']
    footprint = overview['footprint']
    lines = ['# Performance', '',
             'Measured by `%s` on one machine: %s. Every figure comes from one run of that '
             'command against the bundled emulator on loopback (`tests/emulator/`), so it shows the '
             "collection's own cost, not a real Apinizer server's. Tasks of this collection run with direct "
             'execution (inside the worker process, the default on the controller) unless a table says '
             '"module path".' % (command, machine()), '',
             '## HTTP requests per task (from the emulator request log)', '',
             '| module | unchanged | changed | changed + deploy to 2 environments |', '|---|---|---|---|']
    lines += ['| %s | %s | %s | %s |' % row for row in overview['counts']]
    lines += ['', 'Targets: unchanged = 1 request, changed = 2 (+ the deploy requests and their checks).', '']
    lines += [per_task_section, '']
    lines += ['## Time per task (median of %d tasks in one play, one host, forks 1)' % overview['tasks'], '',
              '| case | median s/task | tasks reported changed |', '|---|---|---|',
              '| (a) apinizer_maintenance_mode, state unchanged | %.3f | %d |' % (timing['a'], changed['a']),
              '| (b) apinizer_maintenance_mode, state changed | %.3f | %d |' % (timing['b'], changed['b']),
              '| (c) ansible.builtin.uri sending the same PATCH | %.3f | %d |' % (timing['c'], changed['c']),
              '| (d) ansible.builtin.ping (a module that does nothing) | %.3f | %d |' % (timing['d'], changed['d']), '',
              '| ratio | value | target |', '|---|---|---|',
              '| a/c | %.2f | <= 1.0 |' % (timing['a'] / timing['c']),
              '| b/c | %.2f | - |' % (timing['b'] / timing['c']),
              '| a/d | %.2f | <= 1.15 |' % (timing['a'] / timing['d']), '',
              '## Scaling: the four proxy modules on N proxies (one inventory host per proxy)', '',
              '| proxies | forks | tasks | total s | tasks/s |', '|---|---|---|---|---|']
    lines += ['| %d | %d | %d | %.1f | %.1f |' % row for row in overview['scaling']]
    lines += ['', '## Import cost and memory of the module path', '',
              'A task on the module path pays this import in a new Python every time; direct execution pays it '
              'once per `ansible-playbook` run, before the workers fork.', '',
              '| what | value |', '|---|---|',
              '| import of module_utils._proxy (cumulative, incl. requests and ansible.module_utils) | %.1f ms |'
              % (footprint['total_us'] / 1000.0),
              '| of which requests | %.1f ms |' % ((footprint['requests_us'] or 0) / 1000.0),
              '| peak RSS of one apinizer_maintenance_mode module run (changed) | %.1f MiB |'
              % (footprint['maxrss_kb'] / 1024.0),
              '| peak RSS of a bare Python interpreter, for comparison | %.1f MiB |'
              % (footprint['python_baseline_kb'] / 1024.0), '']
    lines += ['Own module_utils import times (self + children, microseconds): ' +
              ', '.join('%s %d' % (name.rsplit('.', 1)[-1], us) for name, us in sorted(footprint['ours'].items())), '']
    lines += reading_notes(per_task)
    return '\n'.join(lines)
