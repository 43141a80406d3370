# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fleet runs: the maintenance window over many proxies, against an emulator with latency.

One window run without latency teaches the floor (tests/benchmarks/floor.py) its plan: the
requests of the window split by the task that sent them. Then, from the same seed each time, the
floor, the loop-style runbook and the runbook with one host per proxy at each forks, on both paths;
every run's requests and end state are compared with the others', so that a faster run that does
less is seen.
"""

from __future__ import annotations

import collections
import itertools
import json
import os
import sys

# tests/benchmarks is sys.path[0] when benchmark.py runs; floor.py stays a standalone script.
import floor

from .harness import (ENVIRONMENTS, FLOOR, TOKEN, Emulator, ansible_env, checked, confirm_path, count_requests,
                      profile_summary, proxy_name, read_jsonl, run_measured)

PROJECT = 'Fleet'
# Fields of the emulator's state that hold the time of a deploy: they differ between any two runs.
VOLATILE_STATE_KEYS = ('lastDeployTime', 'deploymentTime')


def fleet_seed(proxies):
    """Project Fleet: 2 environments, every proxy deployed and up to date in both, maintenance off."""
    return {'projects': {PROJECT: {
        'environments': [{'name': env, 'type': 'PRODUCTION' if env == 'production' else 'TEST'}
                         for env in ENVIRONMENTS],
        'apiProxies': [{'name': proxy_name(i), 'type': 'REST', 'description': 'fleet benchmark',
                        'maintenanceModeSetting': {'enabled': False},
                        'deployments': {env: {'deployed': True, 'redeployRequired': False} for env in ENVIRONMENTS}}
                       for i in range(proxies)],
        'connections': [],
    }}}


def request_keys(entries):
    """The API requests of a log as a multiset (method, path, query, body), in no order."""
    return collections.Counter(
        (entry['method'], entry.get('raw_path') or entry.get('path'), json.dumps(entry.get('query') or {}, sort_keys=True),
         json.dumps(entry.get('body'), sort_keys=True))
        for entry in entries if (entry.get('raw_path') or entry.get('path') or '').startswith('/apiops'))


def phase_keys(phase):
    return request_keys([dict(raw_path=request['path'], **{k: v for k, v in request.items() if k != 'path'})
                         for request in phase['serial'] + [r for each in phase['proxies'].values() for r in each]])


def plan_keys(plan):
    return sum((phase_keys(phase) for phase in plan['phases']), collections.Counter())


def same_requests(keys, plan):
    """How a run's requests compare with the plan's (the floor's): identical, or whole phases left out, or a count."""
    reference = plan_keys(plan)
    if keys == reference:
        return 'identical'
    extra, missing = keys - reference, reference - keys
    if not extra:
        # A runbook without some of the window's tasks (the loop: no inventory, and it is the
        # runbook of an earlier commit) sends the plan less those phases' requests exactly.
        phases = [(phase['name'], phase_keys(phase)) for phase in plan['phases']]
        for size in range(1, len(phases) + 1):
            for combination in itertools.combinations(phases, size):
                if sum((counter for name, counter in combination), collections.Counter()) == missing:
                    return "the floor's less %d: those of %s" % (
                        sum(missing.values()), ', '.join(name for name, counter in combination))
    return 'NO (+%d / -%d)' % (sum(extra.values()), sum(missing.values()))


def comparable_state(state):
    """The emulator's state without the deploy times."""
    if isinstance(state, dict):
        return {key: comparable_state(value) for key, value in state.items() if key not in VOLATILE_STATE_KEYS}
    if isinstance(state, list):
        return [comparable_state(value) for value in state]
    return state


def first_difference(left, right, path=''):
    """Where two states first differ (a path such as /projects/Fleet/apiProxies[3]/...), None when equal."""
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


class Fleet:
    """The files and commands of the fleet runs: the runbooks, their variables, the inventory."""

    def __init__(self, workdir, tree, collections_path, proxies):
        self.workdir, self.tree, self.collections_path, self.proxies = workdir, tree, collections_path, proxies
        self.names = [proxy_name(i) for i in range(proxies)]
        self.extra = os.path.join(workdir, 'fleet-vars.json')
        with open(self.extra, 'w') as handle:
            json.dump({'apinizer_project': PROJECT, 'maintenance_api_proxies': self.names,
                       'maintenance_environments': list(ENVIRONMENTS), 'maintenance_phase': 'window',
                       'maintenance_wait_seconds': 0}, handle)
        self.inventory = os.path.join(workdir, 'fleet.apinizer.yml')
        with open(self.inventory, 'w') as handle:
            handle.write('plugin: apinizer.apiops.apinizer\nprojects:\n  - %s\n' % PROJECT)

    # The runbooks of the build tree: the checkout's may change under a long run.
    def loop_command(self):
        return ['ansible-playbook', os.path.join(self.tree, 'tests', 'benchmarks', 'loop_maintenance_window.yml'),
                '-e', '@' + self.extra]

    def per_host_command(self, forks):
        return ['ansible-playbook', os.path.join(self.tree, 'playbooks', 'maintenance_window.yml'),
                '-i', self.inventory, '-e', 'maintenance_hosts=project_fleet',
                '-e', json.dumps({'maintenance_environments': list(ENVIRONMENTS), 'maintenance_wait_seconds': 0}),
                '--forks', str(forks)]

    def learn_plan(self, forks):
        """One window run (direct execution, no latency) whose request log, split by task, is the floor's plan."""
        emulator = Emulator(self.workdir, self.proxies, fleet_seed(self.proxies))
        try:
            profile = os.path.join(self.workdir, 'fleet-learn.profile.jsonl')
            env = ansible_env(self.collections_path, emulator.url, 'direct', TASK_PROFILE_FILE=profile,
                              TASK_PROFILE_EMULATOR=emulator.url)
            checked(run_measured(self.per_host_command(forks), env, os.path.join(self.workdir, 'fleet-learn.log')),
                    'the window run that learns the requests')
            plan = floor.plan_from_profile(read_jsonl(profile))
        finally:
            emulator.stop()
        path = os.path.join(self.workdir, 'fleet-plan.json')
        with open(path, 'w') as handle:
            json.dump(plan, handle)
        return plan, path

    def runs(self, paths, forks_list, latency_ms, deploy_latency_ms, plan, plan_file, floor_threads, loop=True):
        """The floor, then per path the loop runbook once and the per-host runbook at each forks; one row per run."""
        emulator = Emulator(self.workdir, self.proxies, fleet_seed(self.proxies),
                            ['--latency-ms', str(latency_ms), '--deploy-latency-ms', str(deploy_latency_ms)])
        runs = [('floor', None, floor_threads)]
        for path in paths:
            runs += ([('loop', path, None)] if loop else []) + [('per_host', path, forks) for forks in forks_list]
        rows = []
        try:
            for path in paths:
                confirm_path(self.workdir, self.collections_path, emulator.url, PROJECT, self.names[0], path)
            for kind, path, forks in runs:
                emulator.reset()
                tag = '%s-%s-%s-%d-%d' % (kind, path, forks, latency_ms, deploy_latency_ms)
                print('  %s%s%s, latency %d ms / deploy %d ms...' % (
                    kind, '' if path is None else ' (%s)' % path, '' if forks is None else ' at forks %d' % forks,
                    latency_ms, deploy_latency_ms), flush=True)
                profile = os.path.join(self.workdir, 'fleet-%s.profile.jsonl' % tag)
                result_file = os.path.join(self.workdir, 'fleet-%s.floor.json' % tag)
                if kind == 'floor':
                    command = [sys.executable, FLOOR, '--url', emulator.url, '--token', TOKEN, '--plan', plan_file,
                               '--threads', str(forks), '--output', result_file]
                    env = dict(os.environ)
                else:
                    command = self.loop_command() if kind == 'loop' else self.per_host_command(forks)
                    env = ansible_env(self.collections_path, emulator.url, path, TASK_PROFILE_FILE=profile)
                load_before = os.getloadavg()[0]
                emulator_cpu = emulator.cpu_seconds()
                measured = checked(run_measured(command, env, os.path.join(self.workdir, 'fleet-%s.log' % tag)),
                                   '%s %s' % (kind, path or ''))
                log = emulator.requests()
                requests, deploys, undeploys = count_requests(log)
                row = dict(kind=kind, path=path, forks=forks, latency_ms=latency_ms,
                           deploy_latency_ms=deploy_latency_ms, wall=measured['wall'], cpu=measured['cpu'],
                           emulator_cpu=emulator.cpu_seconds() - emulator_cpu, peak_memory=measured['peak'],
                           requests=requests, deploys=deploys, undeploys=undeploys,
                           same_requests=same_requests(request_keys(log), plan),
                           state=comparable_state(emulator.state()), load=(load_before, os.getloadavg()[0]))
                if kind == 'floor':
                    with open(result_file) as handle:
                        row['floor'] = json.load(handle)
                else:
                    row['profile'] = profile_summary(read_jsonl(profile), measured)
                rows.append(row)
        finally:
            emulator.stop()
        return rows


def reference_row(rows):
    """The run every other is compared with: the first loop's, the floor's when no loop ran."""
    return next((row for row in rows if row['kind'] == 'loop'), rows[0])


def measure_fleet(workdir, tree, collections_path, options):
    fleet = Fleet(workdir, tree, collections_path, options.fleet_proxies)
    print('fleet: learning the requests of the window (%d proxies, direct, forks %d, no latency)...' % (
        options.fleet_proxies, max(options.fleet_forks)), flush=True)
    plan, plan_file = fleet.learn_plan(max(options.fleet_forks))
    print('fleet: %d proxies, paths %s, forks %s, with latency...' % (
        options.fleet_proxies, options.fleet_paths, options.fleet_forks), flush=True)
    latency_rows = fleet.runs(options.fleet_paths, options.fleet_forks, options.latency_ms, options.deploy_latency_ms,
                              plan, plan_file, options.floor_threads, not options.fleet_no_loop)
    plain_rows = []
    if options.fleet_plain_paths:
        print('fleet: without latency, paths %s...' % options.fleet_plain_paths, flush=True)
        plain_rows = fleet.runs(options.fleet_plain_paths, options.fleet_forks, 0, 0, plan, plan_file,
                                options.floor_threads, not options.fleet_no_loop)
    for rows in (latency_rows, plain_rows):
        if not rows:
            continue
        reference = reference_row(rows)
        for row in rows:
            difference = first_difference(reference['state'], row['state'])
            print('check: %s %s forks %s, latency %d ms: requests %s; deploys %d %s %s %d; end state %s' % (
                row['kind'], row['path'] or '', row['forks'], row['latency_ms'], row['same_requests'], row['deploys'],
                '==' if row['deploys'] == reference['deploys'] else '!=', reference['kind'], reference['deploys'],
                'identical to the %s\'s' % reference['kind'] if difference is None
                else 'DIFFERS from the %s\'s at %s' % (reference['kind'], difference)), flush=True)
    return latency_rows, plain_rows, plan
