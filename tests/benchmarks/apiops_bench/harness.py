# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every part of the benchmark uses: the emulator, a measured ansible-playbook run, its task profile."""

from __future__ import annotations

import json
import os
import platform
import re
import resource
import subprocess
import sys
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(os.path.dirname(HERE))
EMULATOR = os.path.join(ROOT, 'tests', 'emulator', 'apinizer_emulator.py')
FLOOR = os.path.join(HERE, 'floor.py')
CALLBACKS = os.path.join(HERE, 'callback_plugins')
TOKEN = 'benchmark-token'
# Direct execution on/off (plugins/plugin_utils/_direct.py); the module path is this set to false.
SWITCH_ENV = 'APINIZER_DIRECT_EXECUTION'
PATHS = ('direct', 'module')
PROJECT = 'Bench'
ENVIRONMENTS = ('production', 'test')


def proxy_name(index):
    return 'proxy-%04d' % index


def seed(proxies):
    """Project Bench: WebSocket proxies (every proxy module has something to change), deployed in production."""
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


class Emulator:
    """tests/emulator/apinizer_emulator.py on a free loopback port, with a seed and its admin endpoints."""

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
        """Back to the seed (and an empty request log): every run starts from the same state."""
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


# Running ansible-playbook, measured ---------------------------------------------------------------

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
            # The process ended between the listing and the read.
            pass
        todo.extend(children.get(pid, []))
    return rss, pss


def run_measured(command, env, log_path):
    """Run a command: wall seconds, CPU seconds of it and its descendants, peak tree (RSS, PSS), rc.

    CPU is getrusage(RUSAGE_CHILDREN) before and after: user + system time of the command and of
    every process it started and waited for (the benchmark runs one command at a time).
    """
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
        finished = time.monotonic()
        done.set()
        sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return dict(wall=finished - started, cpu=cpu, peak=tuple(peak), returncode=returncode, started=started,
                finished=finished, log=log_path)


def checked(measured, label):
    if measured['returncode'] != 0:
        with open(measured['log']) as handle:
            raise SystemExit('%s failed (rc %d):\n%s' % (label, measured['returncode'], handle.read()[-4000:]))
    return measured


def read_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path) as handle:
        return [json.loads(line) for line in handle if line.strip()]


def ansible_env(collections_path, url, path='direct', **extra):
    """The environment of an ansible-playbook run (default stdout callback, as a user runs it); None in extra unsets."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_CALLBACK_PLUGINS=CALLBACKS,
               ANSIBLE_CALLBACKS_ENABLED='task_profile',
               ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
               ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED='true', ANSIBLE_NOCOLOR='true',
               ANSIBLE_HOST_KEY_CHECKING='false', APINIZER_URL=url, APINIZER_TOKEN=TOKEN,
               # As against an https:// Apinizer: no warning per task about the emulator's http://.
               APINIZER_WARN_ON_HTTP='false')
    # The caller's shell must not choose the path, nor make a run send its requests elsewhere.
    env.pop(SWITCH_ENV, None)
    env.pop('TASK_PROFILE_EMULATOR', None)
    if path == 'module':
        env[SWITCH_ENV] = 'false'
    env.update(extra)
    for name in [name for name, value in env.items() if value is None]:
        del env[name]
    return env


def local_inventory(path, hosts):
    """A static inventory: one local host per proxy name, with the controller's Python."""
    with open(path, 'w') as handle:
        handle.write('[proxies]\n')
        for name in hosts:
            handle.write('%s ansible_connection=local ansible_python_interpreter=%s\n' % (name, sys.executable))
    return path


def confirm_path(workdir, collections_path, url, project, proxy, path):
    """Run one apinizer_maintenance_mode task at -vvv and check that it took the path meant.

    A task falls back to the module path silently when direct execution does not apply, and then
    the figures of "direct" would be the module path's.
    """
    inventory = local_inventory(os.path.join(workdir, 'confirm-inventory.ini'), [proxy])
    playbook = os.path.join(workdir, 'confirm-%s.json' % path)
    with open(playbook, 'w') as handle:
        json.dump([{'hosts': 'all', 'gather_facts': False, 'tasks': [
            {'apinizer.apiops.apinizer_maintenance_mode': {'project': project, 'api_proxy': '{{ inventory_hostname }}',
                                                           'enabled': False}, 'check_mode': True}]}], handle)
    env = ansible_env(collections_path, url, path, ANSIBLE_CALLBACKS_ENABLED=None)
    done = subprocess.run(['ansible-playbook', playbook, '-i', inventory, '-vvv'], env=env,
                          capture_output=True, text=True, check=False)
    said = {'direct': 'runs in the worker process (direct execution)', 'module': 'runs as a module'}
    if done.returncode != 0 or said[path] not in done.stdout + done.stderr:
        raise SystemExit('a task did not take the %s path (the benchmark would measure the wrong thing):\n%s\n%s'
                         % (path, done.stdout[-3000:], done.stderr[-2000:]))


def profile_summary(records, measured):
    """Per task of a run (task_profile records): wall, CPU of ansible-playbook (main) and of its workers.

    Also the start-up (the command's start to the first play) and the end (the last task to the
    command's exit).
    """
    tasks = []
    for record, following in zip(records, records[1:]):
        if record['kind'] not in ('task', 'play'):
            continue
        tasks.append(dict(kind=record['kind'], name=record['name'], wall=following['time'] - record['time'],
                          main_cpu=following['main_cpu'] - record['main_cpu'],
                          worker_cpu=following['worker_cpu'] - record['worker_cpu'],
                          results=following['results_before']))
    end = records[-1] if records else None
    return dict(tasks=tasks, startup=(records[0]['time'] - measured['started']) if records else measured['wall'],
                tail=(measured['finished'] - end['time']) if end else 0.0,
                main_cpu=end['main_cpu'] if end and end['kind'] == 'end' else None,
                worker_cpu=end['worker_cpu'] if end and end['kind'] == 'end' else None)


# The report ---------------------------------------------------------------------------------------

def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo') as handle:
            cpu = next(line.split(':', 1)[1].strip() for line in handle if line.startswith('model name'))
    except (OSError, StopIteration):
        pass
    with open('/proc/meminfo') as handle:
        memory_kb = int(handle.readline().split()[1])
    import ansible  # pylint: disable=import-outside-toplevel
    return '%s, %d cores, %.0f GiB RAM, Python %s, ansible-core %s' % (
        cpu, os.cpu_count(), memory_kb / 1024 / 1024, platform.python_version(), ansible.__version__)


def minutes(seconds):
    return '%d min %02d s' % (seconds // 60, seconds % 60) if seconds >= 60 else '%.0f s' % seconds
