# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The floor of the maintenance window: its HTTP requests sent by a plain Python script.

It sends exactly the requests a run of playbooks/maintenance_window.yml sent (the inventory's
reads, then each task's: the preview, the in and out phases, each deploy followed by the
route-health reads that verify it on the gateway pods, as a module makes them), in the runbook's
order: each phase across all proxies before the next one, and within a phase one proxy's requests
one after another (as one module run sends them), THREADS proxies at a time (as --forks THREADS
does). What is left is the time the server and the network take: no Ansible, no templating, no
process per task.

The requests come from a plan, learned from one window run against the emulator:
tests/benchmarks/benchmark.py runs the window with the task_profile callback and
TASK_PROFILE_EMULATOR set, which splits the emulator's request log by the task that sent it.

    python tests/benchmarks/floor.py --url URL --token TOKEN --profile PROFILE.jsonl [--threads 50]
    python tests/benchmarks/floor.py --url URL --token TOKEN --plan PLAN.json [--write-plan PLAN.json]
        [--output RESULT.json]

Prints (or writes to --output) one JSON document: the wall time of the whole run and of each
phase, the requests sent (and how many were route-health reads), and the answers that had another
status than the window's run got; then exits 1 if there were any (naming them on stderr), as the
floor did not then replay the window. Only the standard library and requests.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import requests

PROXY_PATH = re.compile(r'^/apiops/projects/([^/]+)/apiProxies/([^/]+)/')
ROUTE_HEALTH = re.compile(r'/environments/[^/]+/route-health/$')
INVENTORY = 'inventory (before the first play)'


def plan_from_profile(lines):
    """The plan of a window run: phases in order, each the requests of one task, split per proxy.

    lines: the task_profile records of a run with TASK_PROFILE_EMULATOR set. The requests a
    record carries were sent before it, by the task the record before it started (by the
    inventory for the first record). Requests under /apiops/projects/P/apiProxies/N/ belong to
    proxy P/N and keep their order; the others (project lists, environments) are sent first, one
    after another.
    """
    phases = []
    before = INVENTORY
    for record in lines:
        sent = [entry for entry in record.get('requests_before') or [] if (entry.get('path') or '').startswith('/apiops')]
        if sent:
            phase = dict(name=before, serial=[], proxies={})
            for entry in sent:
                request = dict(method=entry['method'], path=entry['raw_path'], query=entry.get('query') or {},
                               body=entry.get('body'), status=entry.get('status'))
                match = PROXY_PATH.match(entry['raw_path'])
                if match:
                    phase['proxies'].setdefault('%s/%s' % match.groups(), []).append(request)
                else:
                    phase['serial'].append(request)
            phases.append(phase)
        if record.get('kind') == 'task':
            before = record['name']
    return dict(phases=phases)


class Floor:
    """Sends a plan's requests: phase after phase, the proxies of a phase on a pool of threads."""

    def __init__(self, url, token, threads, timeout=60):
        self.url = url.rstrip('/')
        self.headers = {'Authorization': 'Bearer ' + token, 'Accept': 'application/json'}
        self.threads = threads
        self.timeout = timeout
        self.local = threading.local()
        self.lock = threading.Lock()
        self.sent = 0
        self.route_health = 0
        self.other_status = []

    def session(self):
        # One connection per thread, kept alive, as each Ansible worker would have at best.
        if not hasattr(self.local, 'session'):
            self.local.session = requests.Session()
        return self.local.session

    def send(self, request):
        url = self.url + request['path']
        if request['query']:
            url += '?' + urlencode(request['query'], doseq=True)
        headers = dict(self.headers)
        data = None
        if request['body'] is not None:
            data = json.dumps(request['body'])
            headers['Content-Type'] = 'application/json'
        answer = self.session().request(request['method'], url, data=data, headers=headers, timeout=self.timeout)
        # Read the whole answer, as a module does.
        answer.content  # pylint: disable=pointless-statement
        with self.lock:
            self.sent += 1
            self.route_health += 1 if ROUTE_HEALTH.search(request['path']) else 0
            if request['status'] is not None and answer.status_code != request['status']:
                self.other_status.append('%s %s: %d, the window got %d' % (
                    request['method'], request['path'], answer.status_code, request['status']))

    def proxy(self, requests_of_proxy):
        for request in requests_of_proxy:
            self.send(request)

    def run(self, plan):
        phases = []
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=self.threads) as pool:
            for phase in plan['phases']:
                phase_started = time.monotonic()
                for request in phase['serial']:
                    self.send(request)
                for future in [pool.submit(self.proxy, each) for each in phase['proxies'].values()]:
                    future.result()
                phases.append(dict(name=phase['name'], proxies=len(phase['proxies']),
                                   requests=len(phase['serial']) + sum(len(each) for each in phase['proxies'].values()),
                                   seconds=time.monotonic() - phase_started))
        return dict(seconds=time.monotonic() - started, threads=self.threads, requests=self.sent,
                    route_health=self.route_health, other_status=self.other_status, phases=phases)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--url', required=True, help='base URL of the emulator (or Apinizer)')
    parser.add_argument('--token', required=True)
    parser.add_argument('--threads', type=int, default=50, help='proxies worked on at once (as --forks)')
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument('--profile', help='task_profile records of a window run (with TASK_PROFILE_EMULATOR)')
    source.add_argument('--plan', help='a plan written by --write-plan')
    parser.add_argument('--write-plan', help='write the plan to this file')
    parser.add_argument('--output', help='write the result to this file (default: print it)')
    options = parser.parse_args()
    if options.profile:
        with open(options.profile) as handle:
            plan = plan_from_profile(json.loads(line) for line in handle if line.strip())
    else:
        with open(options.plan) as handle:
            plan = json.load(handle)
    if options.write_plan:
        with open(options.write_plan, 'w') as handle:
            json.dump(plan, handle)
    result = Floor(options.url, options.token, options.threads).run(plan)
    if options.output:
        with open(options.output, 'w') as handle:
            json.dump(result, handle, indent=1)
    else:
        json.dump(result, sys.stdout, indent=1)
        sys.stdout.write('\n')
    for line in result['other_status']:
        sys.stderr.write('another status than the window got: %s\n' % line)
    return 1 if result['other_status'] else 0


if __name__ == '__main__':
    sys.exit(main())
