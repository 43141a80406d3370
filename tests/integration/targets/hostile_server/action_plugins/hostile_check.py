# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""hostile_check: the checks of one case of the hostile_server target, made on the controller.

A test helper of tests/integration/targets/hostile_server, not part of the collection. After a
case's module task, it reads the hostile server's request logs and the emulator's state
(GET /_hostile/requests?state=1), checks the module's registered result against the case's
expectations (vars/cases.yml, the header says what each means), appends the result to the
results file (JSON lines: the leak test greps it) and the case's outcome to the summary file.
Three forms:

    hostile_check: {start: true, results_file: F}     empties F and F.summary
    hostile_check: {case: ..., kind: ..., outcome: ..., reset_time: ..., hostile: URL,
                    elsewhere: URL, http_warnings: N, task_slack: S, clock_slack: S, token_split: N,
                    results_file: F}
                                                     checks one case; never fails (the summary has it)
    hostile_check: {finish: true, results_file: F}   answers the summary and failed_cases: each case that
                                                     did not end as expected, with the checks that failed

The checks are Python rather than a Jinja expression per case: the same checks in templates cost
more CPU than the module run they check, and the target runs on two cores beside other jobs.
The result of a check names the failed checks and a one-line summary; it never holds the state
(which holds secrets in clear), and the token is read from APINIZER_TOKEN, never passed as an
argument.
"""

from __future__ import annotations

import json
import os
import re
import urllib.request
from collections.abc import Mapping

from ansible.plugins.action import ActionBase

TIMEOUT_SECONDS = 60
# Every secret value of the target carries this marker (vars/secrets.yml, runme.sh).
MARKER = 'SeKrEt'
CONFIRMED = 'it was not sent again, and reading the state back confirmed that it took effect'
HTTP_WARNING = 'uses http://, so the token'
PROBLEMS_200 = {
    'empty_200': 'the body is empty',
    'non_json_200': 'the body is not a JSON object: Sign in Single sign-on',
}


def plain(value):
    """Templated values as plain JSON types (ansible-core 2.19+ tags them; older cores mark them unsafe)."""
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def number(value):
    return float(value) if value not in (None, '') else None


def within(value, bounds, extra=0.0):
    return float(bounds[0]) <= value <= float(bounds[1]) + extra


def earlier(bounds, seconds):
    """The bounds with the lower one moved ``seconds`` earlier."""
    return [float(bounds[0]) - seconds, bounds[1]]


def applied_in(kind, state):
    """Whether the write of this kind is in the emulator's state (see hostile.yml, kinds)."""
    project = state['projects']['Demo']
    proxy = next(item for item in project['apiProxies'] if item['name'] == 'orders-api')
    connections = {item['name']: item for item in project['connections']}
    deployments = proxy.get('deployments') or {}
    production = deployments.get('production') or {}
    # orders-api starts with maintenance off, deployed to production only (revision 7: a second
    # deploy would make it 9); smtp-alerts on port 587; hostile-kafka does not exist.
    return {
        'get': False,
        'patch': bool(proxy['maintenanceModeSetting']['enabled']),
        'patch_deploy': bool(proxy['maintenanceModeSetting']['enabled']) and production.get('revision') == 8
        and not production.get('redeployRequired'),
        'deploy_post': bool((deployments.get('test') or {}).get('deployed')),
        'put': connections['smtp-alerts'].get('port') == 2525,
        'post': 'hostile-kafka' in connections,
    }[kind]


def quoted_text(behaviour, arm, target, hostile, elsewhere, in_warning):
    """What a failure message (or the warning of a confirmed write) must quote of the bad answer."""
    if behaviour in PROBLEMS_200 or behaviour == 'success_false_200':
        problem = PROBLEMS_200.get(behaviour) or 'the body says the request failed: ' + (
            'The operation could not be completed' if arm.get('variant') == 'status'
            else 'no error message in the response')
        return ('HTTP 200: ' if in_warning else 'answered HTTP 200, but ') + problem
    if behaviour == 'redirect':
        return 'redirect (HTTP %s) to %s%s' % (arm.get('status'), elsewhere, target['path'])
    if behaviour == 'redirect_loop':
        return 'redirect (HTTP %s) to %s%s' % (arm.get('status', 302), hostile, target['path'])
    if behaviour in ('drip', 'never_answer'):
        return 'no complete answer within'
    if behaviour == 'echo_401':
        return '(HTTP 401)'
    return ''


def check(args, log, token):
    """[(name, passed)] of one case, and the numbers its summary line shows."""
    case, target, outcome = args['case'], args['kind'], args['outcome']
    exp = case['expect']
    arm = case.get('arm') or {}
    behaviour = arm.get('behaviour', '')
    hostile, elsewhere = args['hostile'], args['elsewhere']
    front = [e for e in log['front'] if e['method'] == target['method'] and e['path'] == target['path']]
    behind = [e for e in log['emulator'] if e['method'] == target['method'] and e['raw_path'] == target['path']]
    writes = [e for e in log['emulator'] if e['method'] != 'GET']
    armed = [e for e in front if e.get('arm')]
    ended = [e['ended'] for e in front if e.get('ended') is not None]
    span = (max(ended) - min(e['arrived'] for e in front)) if front and ended else 0.0
    seconds = log['time'] - float(args['reset_time'])
    msg = outcome.get('msg') or ''
    if not isinstance(msg, str):
        msg = json.dumps(msg)
    warnings = [str(w) for w in outcome.get('warnings') or []]
    failed = bool(outcome.get('failed'))
    changed = bool(outcome.get('changed'))
    expected = exp['outcome']
    should_apply = exp.get('applied', expected != 'failed')
    confirmed = bool(exp.get('confirmed', False))
    trusted = [w for w in warnings if CONFIRMED in w]
    quoted = quoted_text(behaviour, arm, target, hostile, elsewhere, in_warning=False)
    quoted_warning = quoted_text(behaviour, arm, target, hostile, elsewhere, in_warning=True)
    lead = 'The answer to %s %s %s' % (target['method'], target['path'],
                                       'was lost' if behaviour in ('drip', 'never_answer') else 'could not be trusted')
    http_warnings = int(exp.get('http_warnings', args['http_warnings']))
    slack = float(args['task_slack'])
    # A total_timeout counts from the client's own start of the request, which the hostile server sees
    # only when the first attempt arrives (later, on a busy machine): the bounds it sets on the server's
    # clock (the span, the hold of the attempt it cuts short) may be reached up to clock_slack earlier.
    clock = float(args['clock_slack']) if case.get('total_timeout') is not None else 0.0
    sent_nothing = exp.get('front_total') == 0
    attempts = re.search(r'(\d+) attempts in ([0-9.]+) s', msg)
    result_text = json.dumps(outcome)
    holds = [e.get('held') for e in armed]
    checks = [
        ('no traceback', 'module_stderr' not in outcome and 'module_stdout' not in outcome
         and 'Traceback' not in msg and not msg.startswith('MODULE FAILURE')),
        ('outcome %s' % expected, failed == (expected == 'failed')
         and (expected == 'failed' or changed == (expected == 'changed'))),
        ('front saw the request %s times' % exp['front'], len(front) == exp['front']),
        ('the emulator saw it %s times' % exp['emulator'], len(behind) == exp['emulator']),
        ('no other write reached the emulator', len(writes) == (exp['emulator'] if target['write'] else 0)),
        ('elsewhere received nothing', not log['elsewhere']),
        ('front saw %s requests in all' % exp.get('front_total'),
         'front_total' not in exp or len(log['front']) == exp['front_total']),
        ('applied: %s' % should_apply, not target['write'] or applied_in(case['kind'], log['state']) == should_apply),
        ('the failure names the request', expected != 'failed' or sent_nothing
         or ('%s %s' % (target['method'], target['path'])) in msg),
        ('api_error of the request', expected != 'failed' or sent_nothing
         or (isinstance(outcome.get('api_error'), dict) and outcome['api_error'].get('method') == target['method']
             and outcome['api_error'].get('path') == target['path'])),
        ('the message quotes the answer', expected != 'failed' or quoted in msg),
        ('the message holds %s' % exp.get('msg', []), all(text in msg for text in exp.get('msg', []))),
        ('a bad answer is never "This request changed nothing"', behaviour in ('', 'echo_401')
         or 'This request changed nothing' not in msg),
        ('no raw HTML in the message', not any(tag in msg for tag in ('<html', '<title', '<script'))),
        ('confirmed with one warning' if confirmed else 'no confirmed warning', len(trusted) == (1 if confirmed else 0)),
        ('the warning quotes the answer', not confirmed
         or len([w for w in trusted if lead in w and quoted_warning in w]) == 1),
        ('%s plain-http warnings' % http_warnings, len([w for w in warnings if HTTP_WARNING in w]) == http_warnings),
        ('every request of the task ended', all(e.get('ended') is not None for e in log['front'])),
        ('the client hung up each stalled attempt after %s s, expected %s' % (holds, exp.get('held', 'any')),
         'held' not in exp or (bool(armed) and all(e.get('hung_up') for e in armed)
                               and all(within(number(held), earlier(exp['held'], clock)) for held in holds))),
        ('the request was out for %.2f s, expected %s%s' % (
            span, exp.get('span', 'any'), ' less %s s' % clock if clock else ''),
         'span' not in exp or within(span, earlier(exp['span'], clock))),
        ('the task took %.1f s, expected %s + %s s of start-up' % (seconds, exp.get('seconds', 'any'), slack),
         'seconds' not in exp or within(seconds, exp['seconds'], slack)),
        ('attempts %s in the message, expected %s' % (attempts.groups() if attempts else None, exp.get('attempts')),
         'attempts' not in exp or (attempts is not None and int(attempts.group(1)) == exp['attempts'][0]
                                   and within(float(attempts.group(2)), exp['attempts'][1:]))),
        ('no secret in the result', MARKER not in result_text and token not in result_text
         and token[int(args['token_split']):] not in result_text),
    ]
    line = '%s -> %s, front %d, emulator %d, elsewhere %d, %.1f s%s%s' % (
        case['name'], 'FAILED' if failed else ('changed' if changed else 'ok'), len(front), len(behind),
        len(log['elsewhere']), seconds, (' | ' + msg) if failed else '',
        (' | warning: ' + ' '.join(warnings)) if warnings else '')
    return checks, line


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(('start', 'finish', 'case', 'kind', 'outcome', 'reset_time', 'hostile', 'elsewhere',
                             'http_warnings', 'task_slack', 'clock_slack', 'token_split', 'results_file'))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = plain(self._task.args)
        results_file = args['results_file']
        summary_file = results_file + '.summary'
        result['changed'] = False
        if args.get('start'):
            for path in (results_file, summary_file):
                with open(path, 'w'):
                    pass
            os.chmod(results_file, 0o600)
            return result
        if args.get('finish'):
            with open(summary_file) as handle:
                cases = [json.loads(line) for line in handle if line.strip()]
            result['summary'] = [entry['line'] + ((' | CHECK FAILED: ' + '; '.join(entry['problems']))
                                                  if entry['problems'] else '') for entry in cases]
            result['failed_cases'] = ['%s: %s' % (entry['case'], '; '.join(entry['problems']))
                                      for entry in cases if entry['problems']] or ([] if cases else ['no case ran'])
            return result
        with urllib.request.urlopen(args['hostile'] + '/_hostile/requests?state=1', timeout=TIMEOUT_SECONDS) as answer:
            log = json.loads(answer.read().decode('utf-8'))
        token = os.environ.get('APINIZER_TOKEN', '').strip()
        try:
            checks, line = check(args, log, token)
            problems = [name for name, passed in checks if not passed]
        # A case the checks cannot even be computed for is reported as failed, not raised.
        except Exception as exc:  # pylint: disable=broad-except
            problems, line = ['the checks themselves failed: %s: %s' % (type(exc).__name__, exc)], args['case']['name']
        with open(results_file, 'a') as handle:
            handle.write(json.dumps(dict(case=args['case']['name'], result=args['outcome'])) + '\n')
        with open(summary_file, 'a') as handle:
            handle.write(json.dumps(dict(case=args['case']['name'], line=line, problems=problems)) + '\n')
        result.update(case=args['case']['name'], problems=problems, line=line)
        return result
