# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: HTTP requests and time per task, CPU per task, scaling, import cost and memory, the fleet run.

Run with `make benchmark` (or `python tests/benchmarks/benchmark.py [options]` inside the venv).
It starts the emulator on loopback with generated proxies, runs real ansible-playbook plays,
writes docs/performance.md and prints the same tables and how long the run took. It measures and
prints; it never passes or fails on a number (it stops only when a run fails, or when a task did
not take the path, direct execution or module, that it was meant to measure).

Parts (all by default; --per-task and --fleet run only theirs and replace only their section of
docs/performance.md; --quick runs everything small and writes nothing):

- per task: one task on 200 local hosts at forks 20, for direct execution, the module path
  (APINIZER_DIRECT_EXECUTION=false), ansible.builtin.debug, ping, uri and the kinds of task the
  runbook has besides its module tasks (set_fact, assert, a skipped task): wall time and CPU of
  the whole ansible-playbook process tree;
- fleet: the maintenance window over 200 proxies against an emulator with latency per request and
  per deploy: the loop-style runbook (tests/benchmarks/loop_maintenance_window.yml, one localhost
  play looping over the proxies) against playbooks/maintenance_window.yml with one inventory host
  per proxy at forks 5, 20 and 50, on both paths, and the floor (tests/benchmarks/floor.py: the
  same requests from a plain Python script, 50 proxies at a time); then the same without latency.

The parts are in the package apiops_bench/ beside this file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

from apiops_bench import fleet_report, per_task
from apiops_bench.fleet import measure_fleet
from apiops_bench.harness import PATHS, ROOT, minutes
from apiops_bench.overview import measure_overview, overview_report


def splice(text, start, end, section):
    """The document with the section between start and end replaced (appended when it has none)."""
    if start in text and end in text:
        head, rest = text.split(start, 1)
        return head + section + rest.split(end, 1)[1]
    return text.rstrip('\n') + '\n\n' + section + '\n'


def paths_option(value):
    paths = [path.strip() for path in value.split(',') if path.strip() and path.strip() != 'none']
    for path in paths:
        if path not in PATHS:
            raise argparse.ArgumentTypeError('a path is direct or module, not %r' % path)
    return paths


def forks_option(value):
    return [int(forks) for forks in value.split(',')]


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--quick', action='store_true',
                        help='everything small, for a smoke run (writes nothing; its figures mean nothing)')
    parser.add_argument('--fleet', action='store_true',
                        help='only the fleet part (floor, loop and one host per proxy, both paths)')
    parser.add_argument('--per-task', action='store_true', help='only the CPU per task part')
    parser.add_argument('--per-task-hosts', type=int, default=None, help='hosts of the per-task part (default 200)')
    parser.add_argument('--per-task-forks', type=int, default=20, help='forks of the per-task part (default 20)')
    parser.add_argument('--fleet-proxies', type=int, default=None, help='proxies of the fleet part (default 200)')
    parser.add_argument('--fleet-forks', type=forks_option, default=None,
                        help='comma-separated forks of the fleet part (default 5,20,50)')
    parser.add_argument('--fleet-paths', type=paths_option, default=list(PATHS),
                        help='paths of the fleet runs with latency: direct,module (default both)')
    parser.add_argument('--fleet-plain-paths', type=paths_option, default=['direct'],
                        help='paths of the fleet runs without latency (default direct; none: no such runs)')
    parser.add_argument('--fleet-no-loop', action='store_true',
                        help='leave out the loop runs (the longest: they wait out every deploy one after another)')
    parser.add_argument('--floor-threads', type=int, default=None,
                        help='proxies the floor works on at once (default the largest fleet forks)')
    parser.add_argument('--latency-ms', type=int, default=50, help='emulator latency per request in the fleet part')
    parser.add_argument('--deploy-latency-ms', type=int, default=None,
                        help='emulator latency per deploy in the fleet part (default 1000; 100 with --quick)')
    parser.add_argument('--keep-workdir', action='store_true', help='keep the scratch directory (logs, profiles)')
    parser.add_argument('--output', default=os.path.join(ROOT, 'docs', 'performance.md'))
    options = parser.parse_args()
    options.fleet_proxies = options.fleet_proxies or (4 if options.quick else 200)
    options.fleet_forks = options.fleet_forks or ([2, 4] if options.quick else [5, 20, 50])
    options.floor_threads = options.floor_threads or max(options.fleet_forks)
    options.per_task_hosts = options.per_task_hosts or (10 if options.quick else 200)
    if options.deploy_latency_ms is None:
        options.deploy_latency_ms = 100 if options.quick else 1000
    return options


def the_command():
    """The command as it was given, for the report: through make (which sets MAKELEVEL) or the script itself."""
    if os.environ.get('MAKELEVEL'):
        return 'make benchmark' + (' BENCHMARK_ARGS="%s"' % ' '.join(sys.argv[1:]) if sys.argv[1:] else '')
    return 'python tests/benchmarks/benchmark.py' + ''.join(' ' + arg for arg in sys.argv[1:])


def run(options, workdir, command, begun):
    """Run the parts asked for; answer the document to write and the text to print."""
    everything = not (options.fleet or options.per_task)
    # A build tree of its own, so that a `make demo` or `make test` during a long run does not
    # replace the collection under it.
    tree = subprocess.run([sys.executable, os.path.join(ROOT, 'hacking', 'build_tree.py')],
                          env=dict(os.environ, APIOPS_BUILD_ROOT=os.path.join(workdir, 'build')),
                          capture_output=True, text=True, check=True).stdout.strip()
    collections_path = os.path.dirname(os.path.dirname(os.path.dirname(tree)))
    overview = per_task_results = per_task_section = fleet_section = None
    if everything:
        overview = measure_overview(workdir, collections_path, options.quick)
    if everything or options.per_task:
        started = time.monotonic()
        print('measuring CPU per task: %d hosts, forks %d...' % (options.per_task_hosts, options.per_task_forks),
              flush=True)
        per_task_results = per_task.measure_per_task(workdir, collections_path, options.per_task_hosts,
                                                     options.per_task_forks)
        per_task_section = per_task.per_task_report(command, per_task_results, time.monotonic() - started)
    if everything or options.fleet:
        started = time.monotonic()
        latency_rows, plain_rows, plan = measure_fleet(workdir, tree, collections_path, options)
        fleet_section = fleet_report.fleet_report(command, options, latency_rows, plain_rows, plan,
                                                  time.monotonic() - started)
    if everything:
        text = overview_report(command, overview, per_task_section, per_task_results)
        text += '\nThe whole run took %s.\n' % minutes(time.monotonic() - begun)
        document = text.rstrip('\n') + '\n\n' + fleet_section + '\n'
        return document, document
    # One part: only its section of the document there is changes.
    document = '# Performance\n'
    if os.path.exists(options.output):
        with open(options.output) as handle:
            document = handle.read()
    for start, end, section in ((per_task.MARK_START, per_task.MARK_END, per_task_section),
                                (fleet_report.MARK_START, fleet_report.MARK_END, fleet_section)):
        if section is not None:
            document = splice(document, start, end, section)
    return document, '\n\n'.join(section for section in (per_task_section, fleet_section) if section)


def main():
    begun = time.monotonic()
    options = parse_options()
    print('load average at the start: %.2f %.2f %.2f (%d cores)' % (os.getloadavg() + (os.cpu_count(),)), flush=True)
    workdir = tempfile.mkdtemp(prefix='apiops-bench-')
    try:
        document, text = run(options, workdir, the_command(), begun)
        if not options.quick:
            with open(options.output, 'w') as handle:
                handle.write(document)
        print(text)
        print('benchmark took %s%s; load average at the end: %.2f %.2f %.2f' % (
            minutes(time.monotonic() - begun), ' (--quick: nothing written)' if options.quick
            else ', wrote %s' % options.output, *os.getloadavg()), flush=True)
    finally:
        if options.keep_workdir:
            print('scratch directory kept: %s' % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    main()
