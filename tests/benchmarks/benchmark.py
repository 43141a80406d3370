# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: HTTP requests and time per task, scaling, import cost and memory, and the fleet run.

Run with `make benchmark` (or `python tests/benchmarks/benchmark.py [--quick] [--fleet]` inside
the venv). It starts the emulator on loopback with generated proxies, runs real
ansible-playbook plays, writes docs/performance.md and prints the same tables. It measures
and prints; it never passes or fails on a number.

`--fleet` runs only the fleet part: the maintenance window over many proxies against an
emulator with latency per request and per deploy, today's loop-style runbook
(tests/benchmarks/loop_maintenance_window.yml, one localhost play looping over the proxies)
against playbooks/maintenance_window.yml with one inventory host per proxy (the inventory
plugin) at several forks, then the same without latency. It replaces only the fleet section
of docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EMULATOR = os.path.join(ROOT, 'tests', 'emulator', 'apinizer_emulator.py')
TOKEN = 'benchmark-token'
PROJECT = 'Bench'
ENVIRONMENTS = ('production', 'test')
# Options that change a freshly seeded proxy; the same task run again is the unchanged case.
CHANGING_OPTIONS = {
    'apinizer_maintenance_mode': {'enabled': True, 'http_status_code': 503},
    'apinizer_proxy_metadata': {'description': 'benchmark run'},
    'apinizer_proxy_connection': {'connect_timeout': 45},
    'apinizer_proxy_websocket': {'auto_reconnect': True},
}


def proxy_name(index):
    return 'proxy-%04d' % index


def seed(proxies):
    return {'projects': {PROJECT: {
        'environments': [{'name': env, 'type': 'PRODUCTION' if env == 'production' else 'TEST'}
                         for env in ENVIRONMENTS],
        'apiProxies': [{'name': proxy_name(i), 'type': 'WEBSOCKET', 'description': 'seeded',
                        'routing': {'connectTimeout': 30, 'websocketSettings': {'autoReconnect': False}},
                        'maintenanceModeSetting': {'enabled': False},
                        'deployments': {'production': {'deployed': True, 'redeployRequired': False}}}
                       for i in range(proxies)],
        'connections': [],
    }}}


class Emulator(object):
    def __init__(self, workdir, proxies, seed_data=None, options=()):
        self.seed_file = os.path.join(workdir, 'seed-%d-%d.json' % (proxies, len(os.listdir(workdir))))
        with open(self.seed_file, 'w') as handle:
            json.dump(seed_data or seed(proxies), handle)
        self.process = subprocess.Popen(
            [sys.executable, EMULATOR, '--port', '0', '--token', TOKEN, '--seed', self.seed_file, '--quiet']
            + list(options), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith('http'):
            raise SystemExit('emulator did not start')

    def admin(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def reset(self):
        with open(self.seed_file) as handle:
            self.admin('POST', '/_emulator/reset', json.load(handle))

    def requests(self):
        return self.admin('GET', '/_emulator/requests')

    def clear_log(self):
        self.admin('DELETE', '/_emulator/requests')

    def state(self):
        return self.admin('GET', '/_emulator/state')

    def cpu_seconds(self):
        """CPU time (user + system) the emulator process has used so far."""
        with open('/proc/%d/stat' % self.process.pid) as handle:
            fields = handle.read().rsplit(')', 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / float(os.sysconf('SC_CLK_TCK'))

    def stop(self):
        self.process.terminate()
        self.process.wait()


class Ansible(object):
    def __init__(self, workdir, collections_path, emulator):
        self.workdir = workdir
        self.env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path,
                        ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, 'callback_plugins'),
                        ANSIBLE_CALLBACKS_ENABLED='task_timer', ANSIBLE_STDOUT_CALLBACK='ansible.builtin.minimal',
                        ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
                        ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_HOST_KEY_CHECKING='false',
                        APINIZER_URL=emulator.url, APINIZER_TOKEN=TOKEN)
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
            if label != 'unchanged':
                emulator.reset()
            emulator.clear_log()
            ansible.play(local_play([module_task(module, proxy_name(0), changed, deploy)]))
            log = emulator.requests()
            counts[label] = '%d (%s)' % (len(log), ' '.join(entry['method'] for entry in log))
        rows.append((module, counts['unchanged'], counts['changed'], counts['changed + deploy to 2 envs']))
    return rows


def per_task_median(records):
    return statistics.median(record['seconds'] for record in records)


def measure_task_time(emulator, ansible, tasks):
    """Median seconds per task for (a) unchanged, (b) changed, (c) uri PATCH, (d) ping."""
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
    ping = [{'name': 'ping', 'ansible.builtin.ping': {}} for proxy in proxies]
    results, changed_counts = {}, {}
    for label, task_list in (('a', unchanged), ('b', changed), ('c', uri), ('d', ping)):
        records = ansible.play(local_play(task_list))[1]
        results[label] = per_task_median(records)
        changed_counts[label] = sum(1 for record in records if record['changed'])
    return results, changed_counts


def measure_scaling(emulator, ansible, workdir, sizes, forks_list):
    rows = []
    tasks = [module_task(module, '{{ inventory_hostname }}', changed)
             for module, changed in sorted(CHANGING_OPTIONS.items())]
    for size in sizes:
        inventory = os.path.join(workdir, 'inventory-%d.ini' % size)
        with open(inventory, 'w') as handle:
            handle.write('[proxies]\n')
            for i in range(size):
                handle.write('%s ansible_connection=local\n' % proxy_name(i))
        for forks in forks_list:
            emulator.reset()
            plays = [{'hosts': 'proxies', 'gather_facts': False, 'tasks': tasks}]
            wall, records = ansible.play(plays, forks=forks, inventory=inventory)
            rows.append((size, forks, len(records), wall, len(records) / wall))
    return rows


def measure_import_and_memory(collections_path, emulator, workdir):
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
    ours = dict((name, us) for name, us in cumulative.items() if 'apinizer' in name)
    emulator.reset()
    args_file = os.path.join(workdir, 'module-args.json')
    with open(args_file, 'w') as handle:
        json.dump({'ANSIBLE_MODULE_ARGS': dict(url=emulator.url, token=TOKEN, project=PROJECT,
                                               api_proxy=proxy_name(0), enabled=True)}, handle)
    module = os.path.join(collections_path, 'ansible_collections', 'apinizer', 'apiops', 'plugins', 'modules',
                          'apinizer_maintenance_mode.py')
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


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo') as handle:
            cpu = next(line.split(':', 1)[1].strip() for line in handle if line.startswith('model name'))
    except (OSError, StopIteration):
        pass
    with open('/proc/meminfo') as handle:
        memory_kb = int(handle.readline().split()[1])
    import ansible
    return '%s, %d cores, %.0f GiB RAM, Python %s, ansible-core %s' % (
        cpu, os.cpu_count(), memory_kb / 1024 / 1024, platform.python_version(), ansible.__version__)


READING_NOTES = [
    '## Reading the figures', '',
    '- A module task costs what every Ansible task costs (building the module payload, starting '
    'Python, importing `ansible.module_utils.basic`: case d) plus importing `requests` and one to '
    'two HTTP requests. `ansible.builtin.uri` pays the same Python start and its own HTTP stack, so '
    'an unchanged run (one GET, no write) costs no more than the PATCH users write by hand.',
    '- Against `ping`, most of the difference is the import of `requests` (urllib3, charset_normalizer, idna, certifi; '
    'see the import table); the HTTP requests themselves take about a millisecond each '
    'against the emulator.',
    '- Forks help until the machine\'s cores are busy: with 2 cores, forks 5 and forks 20 give about '
    'the same rate. With a real Apinizer, network latency per request adds to each task and more '
    'forks then pay off further.', '']


def report(command, counts, timing, tasks, scaling, footprint):
    timing, changed = timing
    lines = ['# Performance', '',
             'Measured by `%s` on one machine: %s. Every figure comes from one run of that '
             'command against the bundled emulator on loopback (`tests/emulator/`), so it shows the '
             "collection's own cost, not a real Apinizer server's." % (command, machine()), '',
             '## HTTP requests per task (from the emulator request log)', '',
             '| module | unchanged | changed | changed + deploy to 2 environments |', '|---|---|---|---|']
    lines += ['| %s | %s | %s | %s |' % row for row in counts]
    lines += ['', 'Targets: unchanged = 1 request, changed = 2 (+ the deploy requests).', '',
              '## Time per task (median of %d tasks in one play, one host, forks 1)' % tasks, '',
              '| case | median s/task | tasks reported changed |', '|---|---|---|',
              '| (a) apinizer_maintenance_mode, state unchanged | %.3f | %d |' % (timing['a'], changed['a']),
              '| (b) apinizer_maintenance_mode, state changed | %.3f | %d |' % (timing['b'], changed['b']),
              '| (c) ansible.builtin.uri sending the same PATCH | %.3f | %d |' % (timing['c'], changed['c']),
              '| (d) ansible.builtin.ping (Ansible per-task floor) | %.3f | %d |' % (timing['d'], changed['d']), '',
              '| ratio | value | target |', '|---|---|---|',
              '| a/c | %.2f | <= 1.0 |' % (timing['a'] / timing['c']),
              '| b/c | %.2f | - |' % (timing['b'] / timing['c']),
              '| a/d | %.2f | <= 1.15 |' % (timing['a'] / timing['d']), '',
              '## Scaling: the four proxy modules on N proxies (one inventory host per proxy)', '',
              '| proxies | forks | tasks | total s | tasks/s |', '|---|---|---|---|---|']
    lines += ['| %d | %d | %d | %.1f | %.1f |' % row for row in scaling]
    lines += ['', '## Import cost and memory', '',
              '| what | value |', '|---|---|',
              '| import of module_utils._proxy (cumulative, incl. requests and ansible.module_utils) | %.1f ms |'
              % (footprint['total_us'] / 1000.0),
              '| of which requests | %.1f ms |' % ((footprint['requests_us'] or 0) / 1000.0),
              '| peak RSS of one apinizer_maintenance_mode run (changed) | %.1f MiB |' % (footprint['maxrss_kb'] / 1024.0),
              '| peak RSS of a bare Python interpreter, for comparison | %.1f MiB |'
              % (footprint['python_baseline_kb'] / 1024.0), '']
    lines += ['Own module_utils import times (self + children, microseconds): ' +
              ', '.join('%s %d' % (name.rsplit('.', 1)[-1], us) for name, us in sorted(footprint['ours'].items())), '']
    lines += READING_NOTES
    return '\n'.join(lines)


# Fleet: the maintenance window over many proxies ---------------------------------------------

FLEET_PROJECT = 'Fleet'
FLEET_MARK_START = '<!-- fleet benchmark: start (written by tests/benchmarks/benchmark.py) -->'
FLEET_MARK_END = '<!-- fleet benchmark: end -->'
# Fields of the emulator's state that hold the time of a deploy: they differ between any two runs.
VOLATILE_STATE_KEYS = ('lastDeployTime',)


def fleet_seed(proxies):
    """Project Fleet: 2 environments, every proxy deployed and up to date in both, maintenance off."""
    return {'projects': {FLEET_PROJECT: {
        'environments': [{'name': env, 'type': 'PRODUCTION' if env == 'production' else 'TEST'}
                         for env in ENVIRONMENTS],
        'apiProxies': [{'name': proxy_name(i), 'type': 'REST', 'description': 'fleet benchmark',
                        'maintenanceModeSetting': {'enabled': False},
                        'deployments': dict((env, {'deployed': True, 'redeployRequired': False}) for env in ENVIRONMENTS)}
                       for i in range(proxies)],
        'connections': [],
    }}}


def process_tree_memory(root_pid):
    """(RSS, PSS) in bytes of a process and all its descendants, read from /proc.

    RSS counts the pages the forked workers share with ansible-playbook once per process; PSS
    shares them out, so it is what the tree really occupies.
    """
    children = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as handle:
                ppid = int(handle.read().rsplit(')', 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    rss = pss = 0
    todo = [root_pid]
    while todo:
        pid = todo.pop()
        try:
            with open('/proc/%d/smaps_rollup' % pid) as handle:
                for line in handle:
                    if line.startswith('Rss:'):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith('Pss:'):
                        pss += int(line.split()[1]) * 1024
        except (OSError, IndexError, ValueError):
            pass
        todo.extend(children.get(pid, []))
    return rss, pss


def run_measured(command, env, log_path):
    """Run a command; answer wall seconds, CPU seconds of it and its descendants, peak tree (RSS, PSS), rc."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = [0, 0]
    with open(log_path, 'w') as log:
        started = time.monotonic()
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample():
            while not done.wait(0.5):
                rss, pss = process_tree_memory(process.pid)
                peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
        sampler = threading.Thread(target=sample)
        sampler.start()
        returncode = process.wait()
        wall = time.monotonic() - started
        done.set()
        sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, tuple(peak), returncode


def count_requests(log):
    """(API requests, deploys to one environment, undeploys) in an emulator request log."""
    requests = deploys = undeploys = 0
    for entry in log:
        path = entry.get('path') or ''
        if not path.startswith('/apiops'):
            continue
        requests += 1
        body = entry.get('body') if isinstance(entry.get('body'), dict) else {}
        if re.search(r'/environments/[^/]+/$', path) and entry['method'] == 'POST':
            deploys += 1
        elif re.search(r'/environments/[^/]+/$', path) and entry['method'] == 'DELETE':
            undeploys += 1
        elif entry['method'] in ('PATCH', 'PUT') and body.get('deploy'):
            deploys += len(body.get('deployTargetEnvironmentNameList') or [])
    return requests, deploys, undeploys


def comparable_state(state):
    """The emulator's state without the deploy times."""
    if isinstance(state, dict):
        return dict((key, comparable_state(value)) for key, value in state.items() if key not in VOLATILE_STATE_KEYS)
    if isinstance(state, list):
        return [comparable_state(value) for value in state]
    return state


def first_difference(left, right, path=''):
    if type(left) is not type(right):
        return path or '/'
    if isinstance(left, dict):
        for key in sorted(set(left) | set(right)):
            if key not in left or key not in right:
                return '%s/%s' % (path, key)
            found = first_difference(left[key], right[key], '%s/%s' % (path, key))
            if found:
                return found
        return None
    if isinstance(left, list):
        if len(left) != len(right):
            return '%s (length)' % (path or '/')
        for index, (a, b) in enumerate(zip(left, right)):
            found = first_difference(a, b, '%s[%d]' % (path, index))
            if found:
                return found
        return None
    return None if left == right else (path or '/')


def fleet_runs(workdir, tree, collections_path, proxies, forks_list, latency_ms, deploy_latency_ms):
    """The loop runbook once, then the per-host runbook at each forks; one row per run."""
    emulator = Emulator(workdir, proxies, fleet_seed(proxies),
                        ['--latency-ms', str(latency_ms), '--deploy-latency-ms', str(deploy_latency_ms)])
    names = [proxy_name(i) for i in range(proxies)]
    extra = os.path.join(workdir, 'fleet-vars.json')
    with open(extra, 'w') as handle:
        json.dump({'apinizer_project': FLEET_PROJECT, 'maintenance_api_proxies': names,
                   'maintenance_environments': list(ENVIRONMENTS), 'maintenance_phase': 'window',
                   'maintenance_wait_seconds': 0}, handle)
    inventory = os.path.join(workdir, 'fleet.apinizer.yml')
    with open(inventory, 'w') as handle:
        json.dump({'plugin': 'apinizer.apiops.apinizer', 'projects': [FLEET_PROJECT]}, handle)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path,
               ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
               ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED='true', ANSIBLE_NOCOLOR='true',
               ANSIBLE_HOST_KEY_CHECKING='false', APINIZER_URL=emulator.url, APINIZER_TOKEN=TOKEN)
    loop = ['ansible-playbook', os.path.join(tree, 'tests', 'benchmarks', 'loop_maintenance_window.yml'),
            '-e', '@' + extra]
    per_host = ['ansible-playbook', os.path.join(tree, 'playbooks', 'maintenance_window.yml'), '-i', inventory,
                '-e', 'maintenance_hosts=project_fleet',
                '-e', json.dumps({'maintenance_environments': list(ENVIRONMENTS), 'maintenance_wait_seconds': 0})]
    runs = [('loop (one localhost play)', None, loop)] + [
        ('one host per proxy', forks, per_host + ['--forks', str(forks)]) for forks in forks_list]
    rows = []
    try:
        # What the inventory alone asks (part of every per-host run's requests).
        emulator.reset()
        subprocess.run(['ansible-inventory', '-i', inventory, '--list'], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        inventory_requests = count_requests(emulator.requests())[0]
        for label, forks, command in runs:
            emulator.reset()
            print('  %s%s, latency %d ms / deploy %d ms...' % (
                label, '' if forks is None else ' at forks %d' % forks, latency_ms, deploy_latency_ms), flush=True)
            load_before = os.getloadavg()[0]
            emulator_cpu = emulator.cpu_seconds()
            log_path = os.path.join(workdir, 'fleet-%s-%s-%d.log' % ('loop' if forks is None else forks,
                                                                     latency_ms, deploy_latency_ms))
            wall, cpu, peak, returncode = run_measured(command, env, log_path)
            if returncode != 0:
                with open(log_path) as handle:
                    raise SystemExit('%s failed (rc %d):\n%s' % (label, returncode, handle.read()[-4000:]))
            requests, deploys, undeploys = count_requests(emulator.requests())
            rows.append(dict(label=label, forks=forks, latency_ms=latency_ms, deploy_latency_ms=deploy_latency_ms,
                             wall=wall, cpu=cpu, emulator_cpu=emulator.cpu_seconds() - emulator_cpu, peak_memory=peak,
                             requests=requests, deploys=deploys, undeploys=undeploys,
                             state=comparable_state(emulator.state()), load=(load_before, os.getloadavg()[0])))
    finally:
        emulator.stop()
    return rows, inventory_requests


def fleet_report(command, proxies, forks_list, latency_rows, plain_rows, inventory_requests, latency, deploy_latency):
    cores = os.cpu_count()
    lines = [FLEET_MARK_START, '',
             '## Fleet: a maintenance window over %d API proxies, loop against one host per proxy' % proxies, '',
             'Measured by `%s` on %s. The emulator serves project `%s`: %d REST proxies, each deployed '
             'in %s, maintenance off. Each run is the full window (preview, in and deployed, out and deployed), '
             'starting from that seed:' % (command, machine(), FLEET_PROJECT, proxies, ' and '.join(ENVIRONMENTS)), '',
             '- **loop**: `tests/benchmarks/loop_maintenance_window.yml`, the runbook as it was before it ran one host '
             'per proxy: one `localhost` play whose tasks loop over `maintenance_api_proxies` '
             '(`-e @vars` with the %d names);' % proxies,
             '- **one host per proxy**: `playbooks/maintenance_window.yml -i fleet.apinizer.yml -e '
             'maintenance_hosts=project_fleet --forks N`, the hosts from the inventory plugin (its own %d reads '
             'are part of the requests).' % inventory_requests, '',
             'Wall time is the whole `ansible-playbook` run. CPU is user + system time of `ansible-playbook` and '
             'everything it started (`getrusage(RUSAGE_CHILDREN)`). Peak memory is the largest sum over that process '
             'tree, sampled every 0.5 s from `/proc/<pid>/smaps_rollup`: RSS (pages the forked workers share with '
             '`ansible-playbook` counted once per process) and PSS (shared pages divided among the processes that '
             'share them). A deploy is one environment deployed '
             '(in a settings PATCH or a deploy POST). "End state" compares the emulator\'s whole state after the '
             'run (`GET /_emulator/state`, without the deploy times) with the loop\'s.', '']
    for title, rows in (('With %d ms per request and %d ms per deploy' % (latency, deploy_latency), latency_rows),
                        ('Without latency (the cost of the parallelism itself)', plain_rows)):
        loop = rows[0]
        lines += ['### %s' % title, '',
                  '| run | forks | wall s | x faster than the loop | requests | deploys | deploys = loop | '
                  'end state = loop | CPU s (Ansible) | CPU s (emulator) | peak RSS MiB | peak PSS MiB | load avg (start/end) |',
                  '|---|---|---|---|---|---|---|---|---|---|---|---|---|']
        for row in rows:
            same_state = first_difference(loop['state'], row['state'])
            lines.append('| %s | %s | %.1f | %s | %d | %d | %s | %s | %.1f | %.1f | %.0f | %.0f | %.1f / %.1f |' % (
                row['label'], '-' if row['forks'] is None else row['forks'], row['wall'],
                '1.0' if row is loop else '%.1f' % (loop['wall'] / row['wall']),
                row['requests'], row['deploys'],
                'yes' if row['deploys'] == loop['deploys'] else 'NO (%d)' % loop['deploys'],
                'identical' if same_state is None else 'DIFFERS at %s' % same_state,
                row['cpu'], row['emulator_cpu'], row['peak_memory'][0] / 1048576.0, row['peak_memory'][1] / 1048576.0,
                row['load'][0], row['load'][1]))
        lines.append('')
    lines += fleet_analysis(latency_rows, plain_rows, latency, deploy_latency, cores)
    lines += ['', FLEET_MARK_END]
    return '\n'.join(lines)


def fleet_analysis(latency_rows, plain_rows, latency, deploy_latency, cores):
    """Where the time goes, computed from the figures above."""
    proxies = FLEET_PROXIES[0]
    module_runs = 3 * proxies  # preview, in, out: one module run per proxy each, in both runbooks
    loop, best = latency_rows[0], min(latency_rows[1:], key=lambda row: row['wall'])
    plain_loop, plain_best = plain_rows[0], min(plain_rows[1:], key=lambda row: row['wall'])
    waited = loop['requests'] * latency / 1000.0 + loop['deploys'] * deploy_latency / 1000.0
    ratio = loop['wall'] / best['wall']
    cpu_floor = best['cpu'] / cores
    loads = [load for row in latency_rows + plain_rows for load in row['load']]
    lines = ['### Where the time goes', '',
             '- Goal: one host per proxy at least 10x faster than the loop. Measured: %.1fx at forks %d '
             '(%.1f s against %.1f s): %s.' % (ratio, best['forks'], best['wall'], loop['wall'],
                                               'reached' if ratio >= 10 else 'not reached'),
             '- The loop pays every wait one after another: %d requests x %d ms + %d deploys x %d ms = %.0f s of '
             'its %.0f s. The rest, %.0f s, is Ansible working on one proxy at a time (%.0f s of CPU in all, '
             '%.2f s per module run).' % (
                 loop['requests'], latency, loop['deploys'], deploy_latency, waited, loop['wall'],
                 loop['wall'] - waited, loop['cpu'], loop['cpu'] / module_runs),
             '- One host per proxy overlaps the waits; what is left is CPU. At forks %d Ansible used %.0f s of CPU '
             '(%.2f s per module run: a worker process forked for every proxy and task, a Python that imports the '
             'module, `ansible.module_utils` and `requests`, against items that share one worker in the loop). '
             'On the %d cores of this machine that is at least %.0f s, %.0f%% of the %.0f s the run took; the '
             'latency the run waits for on top is what forks cannot hide once the cores are busy.' % (
                 best['forks'], best['cpu'], best['cpu'] / module_runs, cores, cpu_floor,
                 100.0 * cpu_floor / best['wall'], best['wall']),
             '- Without latency the same runs show the cost of the parallelism itself: the loop %.1f s (%.0f s CPU), '
             'the best per-host run %.1f s at forks %d (%.0f s CPU, %.1fx the loop\'s speed). More forks than '
             'cores add CPU (more processes to schedule) without adding speed: %s.' % (
                 plain_loop['wall'], plain_loop['cpu'], plain_best['wall'], plain_best['forks'], plain_best['cpu'],
                 plain_loop['wall'] / plain_best['wall'],
                 ', '.join('%.1f s / %.0f s CPU at forks %d' % (row['wall'], row['cpu'], row['forks'])
                           for row in plain_rows[1:])),
             '- The emulator is not the limit: it used %.0f s of CPU in the best latency run (%.0f%% of one core '
             'over the run), and it answers every client at once (its waits do not block other clients).' % (
                 best['emulator_cpu'], 100.0 * best['emulator_cpu'] / best['wall']),
             '- Load average (1 minute) at the start and end of each run: %.1f to %.1f on %d cores. It counts '
             'the runs\' own processes (up to one worker per fork) and decays from the run before, so a high '
             'figure after a run with many forks is that run\'s own; the loop with latency, which mostly waits, '
             'started at %.1f.' % (min(loads), max(loads), cores, loop['load'][0]),
             '- Memory grows with forks (one worker process per fork, each with its module\'s Python): peak PSS '
             '%.0f MiB for the loop, %s.' % (loop['peak_memory'][1] / 1048576.0, ', '.join(
                 '%.0f MiB at forks %d' % (row['peak_memory'][1] / 1048576.0, row['forks']) for row in latency_rows[1:]))]
    return lines


FLEET_PROXIES = [200]


def splice_fleet(path, section):
    """Put the fleet section into the document, replacing an earlier one."""
    text = open(path).read() if os.path.exists(path) else '# Performance\n'
    if FLEET_MARK_START in text and FLEET_MARK_END in text:
        head, rest = text.split(FLEET_MARK_START, 1)
        tail = rest.split(FLEET_MARK_END, 1)[1]
        return head + section + tail
    return text.rstrip('\n') + '\n\n' + section + '\n'


def measure_fleet(workdir, tree, collections_path, proxies, forks_list, latency, deploy_latency):
    FLEET_PROXIES[0] = proxies
    print('fleet: %d proxies, forks %s, with latency...' % (proxies, forks_list), flush=True)
    latency_rows, inventory_requests = fleet_runs(workdir, tree, collections_path, proxies, forks_list,
                                                  latency, deploy_latency)
    print('fleet: without latency...', flush=True)
    plain_rows = fleet_runs(workdir, tree, collections_path, proxies, forks_list, 0, 0)[0]
    for rows in (latency_rows, plain_rows):
        loop = rows[0]
        for row in rows[1:]:
            print('check: forks %d, latency %d ms: deploys %d %s loop %d; end state %s' % (
                row['forks'], row['latency_ms'], row['deploys'], '==' if row['deploys'] == loop['deploys'] else '!=',
                loop['deploys'], 'identical to the loop' if first_difference(loop['state'], row['state']) is None
                else 'DIFFERS from the loop at %s' % first_difference(loop['state'], row['state'])), flush=True)
    return latency_rows, plain_rows, inventory_requests


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--quick', action='store_true', help='small sizes, for a smoke run (writes nothing)')
    parser.add_argument('--fleet', action='store_true', help='only the fleet part (loop against one host per proxy)')
    parser.add_argument('--fleet-proxies', type=int, default=None, help='proxies of the fleet part (default 200)')
    parser.add_argument('--fleet-forks', default=None, help='comma-separated forks of the fleet part (default 5,20,50)')
    parser.add_argument('--latency-ms', type=int, default=50, help='emulator latency per request in the fleet part')
    parser.add_argument('--deploy-latency-ms', type=int, default=1000, help='emulator latency per deploy in the fleet part')
    parser.add_argument('--output', default=os.path.join(ROOT, 'docs', 'performance.md'))
    options = parser.parse_args()
    sizes, forks_list, tasks = ([10, 20], [1, 5], 20) if options.quick else ([50, 200, 500], [1, 5, 20], 50)
    fleet_proxies = options.fleet_proxies or (10 if options.quick else 200)
    fleet_forks = [int(forks) for forks in (options.fleet_forks or ('2,5' if options.quick else '5,20,50')).split(',')]
    # A build tree of its own, so that a `make demo` or `make test` during a long run does not
    # replace the collection under it.
    workdir = tempfile.mkdtemp(prefix='apiops-bench-')
    tree = subprocess.run([sys.executable, os.path.join(ROOT, 'hacking', 'build_tree.py')],
                          env=dict(os.environ, APIOPS_BUILD_ROOT=os.path.join(workdir, 'build')),
                          capture_output=True, text=True, check=True).stdout.strip()
    collections_path = os.path.dirname(os.path.dirname(os.path.dirname(tree)))
    # The command as it was given: through make (which sets MAKELEVEL) or the script itself.
    if os.environ.get('MAKELEVEL'):
        command = 'make benchmark' + (' BENCHMARK_ARGS="%s"' % ' '.join(sys.argv[1:]) if sys.argv[1:] else '')
    else:
        command = 'python tests/benchmarks/benchmark.py' + ''.join(' ' + arg for arg in sys.argv[1:])
    text = None
    if not options.fleet:
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
        text = report(command, counts, timing, tasks, scaling, footprint)
    latency_rows, plain_rows, inventory_requests = measure_fleet(
        workdir, tree, collections_path, fleet_proxies, fleet_forks, options.latency_ms, options.deploy_latency_ms)
    section = fleet_report(command, fleet_proxies, fleet_forks, latency_rows, plain_rows, inventory_requests,
                           options.latency_ms, options.deploy_latency_ms)
    if text is None:
        document = splice_fleet(options.output, section)
    else:
        document = text.rstrip('\n') + '\n\n' + section + '\n'
    if not options.quick:
        with open(options.output, 'w') as handle:
            handle.write(document)
    print(text or '')
    print(section)


if __name__ == '__main__':
    main()
