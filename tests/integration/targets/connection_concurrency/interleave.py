# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two concurrent runs of apinizer_connection on one connection, driven through named interleavings.

    python interleave.py [--api-style STYLE] [SCENARIO...]     (default: every scenario, in order)

Reads EMULATOR_URL, APINIZER_URL and APINIZER_TOKEN (setup_emulator's start_emulator). Prints one
report per scenario; exits 1 when any assertion of any scenario fails, naming it.

Run A changes the port of the seeded email connection smtp-alerts (project Demo), run B its
description: different fields of one connection. Each run is one `ansible` process (the module
ad hoc; its result is the JSON of the minimal callback) and sends four requests for an update:
plan read (GET), re-read right before the PUT (GET), PUT, verify read (GET); a run that finds the
connection changed at its re-read stops there.

No timing is relied on. Every request either run sends is caught by a hold of the emulator
(docs/emulator.md, "Holding requests") before the emulator does anything with it, so at any moment
at most one run is free to send, and the test chooses which:

- a run is started with a fresh hold armed (count 1, any method, the connection's path) and the
  test waits until that hold has `waiting == 1`: its first request is held;
- an event "X: METHOD" lets run X's held request go: arm a fresh hold, release X's hold, wait
  until the fresh hold has caught X's next request (or, for X's last event, until X has exited),
  then check that the request log grew by exactly that request (method, `held: true`, 200) and
  take a snapshot of the stored connection (GET /_emulator/state). The snapshot after a run's
  verify read is what the server held when that run verified: the invariant is checked on it.

A scenario that breaks ends its runs (the module process too, by id), then clears the holds.

The waits are bounded polls (a hang guard of DEADLINE seconds), not a dependency on timing: no
outcome depends on how fast anything runs. The holds' own timeout (60 s) only lets a broken test
end; the runs' request timeout is raised above it, so a run never gives up on a held request.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

PROJECT = 'Demo'
CONNECTION = 'smtp-alerts'
HOLD_PATH = r'/apiops/projects/%s/connections/%s/$' % (PROJECT, CONNECTION)
DEADLINE = 60.0      # seconds: the hang guard of every wait
POLL = 0.02

RUNS = {
    'A': dict(field='port', option='email.port', value=2525,
              args=dict(project=PROJECT, name=CONNECTION, email=dict(port=2525))),
    'B': dict(field='description', option='description', value='Changed by run B',
              args=dict(project=PROJECT, name=CONNECTION, email={}, description='Changed by run B')),
}
# What each run's n-th request is, when it goes all the way.
ROLES = ('plan read', 're-read', 'PUT', 'verify read')

STALE = ("Connection '%s' (project '%s') was changed by someone else since this task read it: email.port. "
         "Nothing was changed" % (CONNECTION, PROJECT))
# A's PUT carried the whole connection, B's field too (with the value A read): the verify read
# names A's own field, then B's as one it wrote back as it had read it.
OVERWRITTEN = ("Connection '%s' (project '%s') was written, but reading it back shows other values for "
               "email.port, and description (written back as this task had read it):" % (CONNECTION, PROJECT))

OK = dict(failed=False, changed=True)

# name -> the events (run, method of the request let go, in order), what each run ends in, how many
# PUTs reach the server, whose change the end state holds, and whether this is the limit.
SCENARIOS = [
    dict(name='sequential',
         meaning='A finishes (plan read, re-read, PUT, verify), then B runs',
         events='A:GET A:GET A:PUT A:GET B:GET B:GET B:PUT B:GET',
         outcome=dict(A=OK, B=OK),
         puts=dict(A=1, B=1), end=('A', 'B')),
    dict(name='stale_plan_caught',
         meaning="both plan reads, then A completes, then B's re-read sees A's change",
         events='A:GET B:GET A:GET A:PUT A:GET B:GET',
         outcome=dict(A=OK, B=dict(failed=True, changed=False, msg=STALE)),
         puts=dict(A=1, B=0), end=('A',)),
    dict(name='race_past_check',
         meaning="both re-reads before either PUT; A PUTs, B PUTs (erasing A's change), then A's verify read",
         events='A:GET B:GET A:GET B:GET A:PUT B:PUT A:GET B:GET',
         outcome=dict(A=dict(failed=True, changed=True, msg=OVERWRITTEN), B=OK),
         puts=dict(A=1, B=1), end=('B',)),
    dict(name='verified_then_overwritten',
         meaning="both re-reads before either PUT; A PUTs and verifies, then B PUTs (erasing A's change) and "
                 "verifies: the limit without ETags",
         events='A:GET B:GET A:GET B:GET A:PUT A:GET B:PUT B:GET',
         outcome=dict(A=OK, B=OK),
         puts=dict(A=1, B=1), end=('B',), limit=True),
]


class Failure(Exception):
    pass


def admin(method, path, body=None):
    """One call to the emulator (admin endpoints or the API itself); the decoded JSON answer."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(os.environ['EMULATOR_URL'] + path, data=data, method=method,
                                     headers={'Content-Type': 'application/json'})
    try:
        with urllib.request.urlopen(request, timeout=DEADLINE) as answer:
            return json.loads(answer.read().decode() or 'null')
    except urllib.error.HTTPError as exc:
        raise Failure('%s %s answered HTTP %s: %s' % (method, path, exc.code, exc.read().decode()[:300]))


def stored_connection():
    for connection in admin('GET', '/_emulator/state')['projects'][PROJECT]['connections']:
        if connection['name'] == CONNECTION:
            return connection
    return None


def arm():
    return admin('POST', '/_emulator/holds', dict(path=HOLD_PATH, count=1, timeout=60))['id']


def hold_view(hold_id):
    return next(hold for hold in admin('GET', '/_emulator/holds') if hold['id'] == hold_id)


class Run:
    """One ansible process running apinizer_connection once."""

    def __init__(self, name, spec, out_dir):
        self.name, self.spec = name, spec
        self.hold = None
        self.log_path = os.path.join(out_dir, 'run-%s.log' % name)
        env = dict(os.environ, ANSIBLE_LOAD_CALLBACK_PLUGINS='false', ANSIBLE_NOCOLOR='true',
                   ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
                   ANSIBLE_DEPRECATION_WARNINGS='false', ANSIBLE_PIPELINING='true',
                   # above the holds' timeout: a held request is never given up on (and so never sent again)
                   APINIZER_TIMEOUT='120')
        self.log = open(self.log_path, 'w+')
        self.process = subprocess.Popen(
            ['ansible', 'localhost', '-i', 'localhost,', '-c', 'local',
             '-e', 'ansible_python_interpreter=%s' % sys.executable,
             '-m', 'apinizer.apiops.apinizer_connection', '-a', json.dumps(spec['args'])],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def output(self):
        self.log.seek(0)
        return self.log.read()

    def result(self):
        """The module's result, as the minimal callback prints it: 'localhost | CHANGED => {...}'."""
        text = self.output()
        match = re.search(r'^localhost \| ([A-Z]+!?) => ', text, re.M)
        if not match:
            raise Failure('run %s printed no result:\n%s' % (self.name, text[-3000:]))
        result = json.JSONDecoder().raw_decode(text, match.end())[0]
        # Newer cores leave "failed" out of what the callback prints; the status word and rc tell.
        failed = match.group(1) == 'FAILED!'
        if failed != (self.process.returncode != 0) or result.get('failed', failed) != failed:
            raise Failure('run %s: status %s, rc %s and failed=%s disagree' % (
                self.name, match.group(1), self.process.returncode, result.get('failed')))
        result['failed'] = failed
        return result

    def wait_caught(self, hold_id):
        """Until the hold has caught this run's next request; fail when the run ends first."""
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            if hold_view(hold_id)['waiting'] == 1:
                self.hold = hold_id
                return
            if self.process.poll() is not None:
                raise Failure('run %s ended (rc %s) where the scenario expects it to send another request:\n%s'
                              % (self.name, self.process.returncode, self.output()[-3000:]))
            time.sleep(POLL)
        raise Failure('hang guard: run %s sent no request within %d s' % (self.name, DEADLINE))

    def wait_exit(self):
        try:
            self.process.wait(DEADLINE)
        except subprocess.TimeoutExpired:
            raise Failure('hang guard: run %s did not end within %d s of its last request' % (self.name, DEADLINE))

    def stop(self):
        """End the run if it is still going (a scenario that failed), module process included."""
        if self.process.poll() is None:
            # The module runs in a process of its own that outlives a killed `ansible` (newer cores
            # put the worker in a session of its own): end every descendant, by its id, then ansible.
            for pid in descendants(self.process.pid) + [self.process.pid]:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            self.process.wait()
        self.log.close()


def descendants(root):
    """The ids of every process under ``root`` (from /proc; none where there is no /proc)."""
    children = {}
    for entry in os.listdir('/proc') if os.path.isdir('/proc') else []:
        if entry.isdigit():
            try:
                with open('/proc/%s/stat' % entry) as stat:
                    parent = int(stat.read().rsplit(')', 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def play(scenario, out_dir):
    """Drive one interleaving; answer the report lines; raise Failure on the first broken assertion."""
    admin('POST', '/_emulator/reset')
    seed = stored_connection()
    events = [tuple(event.split(':')) for event in scenario['events'].split()]
    order = [run for run, method in events]
    left = {name: order.count(name) for name in RUNS}
    sent = {name: 0 for name in RUNS}
    runs = {}
    timeline, snapshots, verified = [], [], {}
    try:
        for name in sorted(RUNS, key=order.index):  # the first to act starts first; each waits on a hold
            hold = arm()
            runs[name] = Run(name, RUNS[name], out_dir)
            runs[name].wait_caught(hold)
        for index, (name, method) in enumerate(events):
            run = runs[name]
            left[name] -= 1
            if left[name]:
                hold = arm()
                admin('POST', '/_emulator/holds/%d/release' % run.hold)
                run.wait_caught(hold)
            else:
                admin('POST', '/_emulator/holds/%d/release' % run.hold)
                run.wait_exit()
            log = admin('GET', '/_emulator/requests')
            if len(log) != index + 1:
                raise Failure('after event %d (%s: %s) the request log holds %d requests, not %d: %s' % (
                    index + 1, name, method, len(log), index + 1, [entry['method'] for entry in log]))
            entry = log[index]
            if entry['method'] != method or not entry.get('held') or entry['status'] != 200:
                raise Failure('event %d: expected %s to send a held %s answered 200; the log has %s %s (held %s, '
                              'status %s)' % (index + 1, name, method, entry['method'], entry['path'],
                                              entry.get('held'), entry['status']))
            role = ROLES[sent[name]] if sent[name] < len(ROLES) else 'request %d' % (sent[name] + 1)
            sent[name] += 1
            snapshots.append(stored_connection())
            if role == 'verify read':
                verified[name] = snapshots[-1]
            timeline.append('%s %s' % (name, role))
        for name, run in runs.items():
            if run.process.poll() is None:
                raise Failure('run %s has not ended after its last event' % name)
        results = {name: run.result() for name, run in runs.items()}
        log = admin('GET', '/_emulator/requests')
    finally:
        for run in runs.values():
            run.stop()
        admin('DELETE', '/_emulator/holds')
    end = stored_connection()
    return check(scenario, seed, events, results, log, verified, end, timeline)


def check(scenario, seed, events, results, log, verified, end, timeline):
    problems = []

    def expect(condition, text):
        if not condition:
            problems.append(text)

    # Each run's outcome.
    for name, want in sorted(scenario['outcome'].items()):
        result = results[name]
        expect(bool(result.get('failed')) == want['failed'],
               'run %s: failed is %s, expected %s (msg: %s)' % (name, bool(result.get('failed')), want['failed'],
                                                                result.get('msg')))
        expect(result.get('changed') == want['changed'],
               'run %s: changed is %s, expected %s' % (name, result.get('changed'), want['changed']))
        if 'msg' in want:
            expect(want['msg'] in (result.get('msg') or ''),
                   'run %s: msg lacks %r: %r' % (name, want['msg'], result.get('msg')))
        if not want['failed']:
            spec = RUNS[name]
            after = result.get('after') or {}
            shown = (after.get('email') or {}).get(spec['field']) if spec['field'] == 'port' else after.get('description')
            expect(shown == spec['value'], 'run %s: after shows %s = %r, expected %r' % (
                name, spec['option'], shown, spec['value']))

    # The PUTs that reached the server: how many, and whose (each carries its run's change and only it).
    puts = [entry for entry in log if entry['method'] == 'PUT']
    expected_puts = [name for name, method in events if method == 'PUT']
    expect(len(puts) == sum(scenario['puts'].values()) == len(expected_puts),
           'the emulator received %d PUTs, expected %d' % (len(puts), sum(scenario['puts'].values())))
    for name, entry in zip(expected_puts, puts):
        mine, other = RUNS[name], RUNS['B' if name == 'A' else 'A']
        body = entry.get('body') or {}
        expect(body.get(mine['field']) == mine['value'],
               "%s's PUT does not carry its change: %s = %r" % (name, mine['field'], body.get(mine['field'])))
    for name, count in scenario['puts'].items():
        expect(expected_puts.count(name) == count, 'run %s sent %d PUTs, expected %d' % (
            name, expected_puts.count(name), count))

    # The end state: exactly the seed with the changes the scenario keeps, nothing else touched.
    want_end = dict(seed)
    for name in scenario['end']:
        want_end[RUNS[name]['field']] = RUNS[name]['value']
    expect(end == want_end, 'end state differs from the expected one in %s: %s' % (
        sorted(key for key in set(end or {}) | set(want_end) if (end or {}).get(key) != want_end.get(key)),
        {key: (end or {}).get(key) for key in ('port', 'description')}))

    # The invariant: a run that reports success had its change on the server when it verified it,
    # and (except in the documented limit) still has it at the end.
    for name, result in sorted(results.items()):
        if result.get('failed'):
            continue
        spec = RUNS[name]
        seen = verified.get(name)
        expect(seen is not None and seen.get(spec['field']) == spec['value'],
               'run %s reports success, but when it verified, the server held %s = %r' % (
                   name, spec['field'], (seen or {}).get(spec['field'])))
        if not scenario.get('limit'):
            expect(end.get(spec['field']) == spec['value'],
                   'run %s reports success for a state that is not on the server: %s = %r at the end' % (
                       name, spec['field'], end.get(spec['field'])))
    if scenario.get('limit'):
        # The one interleaving that cannot be detected without ETags: A verified its change, then B's
        # PUT (planned and re-read before A's PUT) replaced it. Asserted exactly, as documented.
        expect(end.get(RUNS['A']['field']) == seed[RUNS['A']['field']],
               "limit: A's change was expected to be overwritten by B's PUT, end state holds %s = %r" % (
                   RUNS['A']['field'], end.get(RUNS['A']['field'])))

    if problems:
        raise Failure('; '.join(problems))
    outcome = ', '.join('%s %s%s' % (name, 'failed' if results[name].get('failed') else 'ok',
                                     ' changed' if results[name].get('changed') else '')
                        for name in sorted(results))
    lines = ['   requests: %s' % ' -> '.join(timeline),
             '   outcome: %s; PUTs received: %d; end state: port=%r description=%r' % (
                 outcome, len(puts), end.get('port'), end.get('description'))]
    for name in sorted(results):
        if results[name].get('failed'):
            lines.append('   %s msg: %s' % (name, results[name].get('msg')))
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--api-style', default='seed', help='only for the report')
    parser.add_argument('--out', default=None, help='folder for the runs\' output (default: a temporary one)')
    parser.add_argument('scenarios', nargs='*', help='names (default: all)')
    options = parser.parse_args()
    known = {scenario['name']: scenario for scenario in SCENARIOS}
    unknown = [name for name in options.scenarios if name not in known]
    if unknown:
        parser.error('unknown scenario %s; known: %s' % (', '.join(unknown), ', '.join(known)))
    out = options.out
    if out is None:
        import tempfile
        out = tempfile.mkdtemp(prefix='connection_concurrency-')
    failed = 0
    for name in options.scenarios or list(known):
        scenario = known[name]
        folder = os.path.join(out, '%s-%s' % (options.api_style, name))
        os.makedirs(folder, exist_ok=True)
        started = time.monotonic()
        try:
            lines = play(scenario, folder)
        except Failure as exc:
            failed += 1
            print('FAILED %s (--api-style %s): %s\n   runs\' output: %s' % (name, options.api_style, exc, folder))
            continue
        print('== %s (--api-style %s, %.1f s): %s' % (name, options.api_style, time.monotonic() - started,
                                                      scenario['meaning']))
        print('\n'.join(lines))
        if scenario.get('limit'):
            print('   the limit without ETags: A reported success for a state that was on the server when it '
                  'verified it and was then overwritten (docs/reliability.md, "Concurrent runs")')
    sys.stdout.flush()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
