# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: HTTP requests and time per task, scaling, import cost and memory.

Run with `make benchmark` (or `python tests/benchmarks/benchmark.py [--quick]` inside the
venv). It starts the emulator on loopback with generated proxies, runs real
ansible-playbook plays, writes docs/performance.md and prints the same tables. It measures
and prints; it never passes or fails on a number.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
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
    def __init__(self, workdir, proxies):
        self.seed_file = os.path.join(workdir, 'seed-%d.json' % proxies)
        with open(self.seed_file, 'w') as handle:
            json.dump(seed(proxies), handle)
        self.process = subprocess.Popen(
            [sys.executable, EMULATOR, '--port', '0', '--token', TOKEN, '--seed', self.seed_file],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--quick', action='store_true', help='small sizes, for a smoke run')
    parser.add_argument('--output', default=os.path.join(ROOT, 'docs', 'performance.md'))
    options = parser.parse_args()
    sizes, forks_list, tasks = ([10, 20], [1, 5], 20) if options.quick else ([50, 200, 500], [1, 5, 20], 50)
    tree = subprocess.run([sys.executable, os.path.join(ROOT, 'hacking', 'build_tree.py')],
                          capture_output=True, text=True, check=True).stdout.strip()
    collections_path = os.path.dirname(os.path.dirname(os.path.dirname(tree)))
    workdir = tempfile.mkdtemp(prefix='apiops-bench-')
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
    command = 'make benchmark' + (' BENCHMARK_ARGS=--quick' if options.quick else '')
    text = report(command, counts, timing, tasks, scaling, footprint)
    if not options.quick:
        with open(options.output, 'w') as handle:
            handle.write(text)
    print(text)


if __name__ == '__main__':
    main()
