# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""Plan, then execute: the one run loop of every managing module.

read the current state -> plan: an ordered list of ApiRequest (method, path, body, what it
does) -> check mode returns the plan and stops -> execute in order -> result. A request that
deploys, renames, creates or deletes is sent once: when its answer is lost, the module reads
the state back and reports whether it took effect, instead of sending it again.
"""

from __future__ import annotations

from ansible_collections.apinizer.apiops.plugins.module_utils._client import (
    ApinizerApiError,
    ApinizerClient,
    ApinizerError,
)

# What a request does. Only a request whose effects are all in REPEATABLE_EFFECTS may be
# sent again after it may have reached the server.
READ = 'read'
WRITE = 'write'
DEPLOY = 'deploy'
UNDEPLOY = 'undeploy'
RENAME = 'rename'
CREATE = 'create'
DELETE = 'delete'
REPEATABLE_EFFECTS = frozenset((READ, WRITE))

APPLIED = 'applied'
NOT_APPLIED = 'not applied'


def sentence(text):
    """TEXT ending in a full stop: the server's message is followed by sentences of ours."""
    text = text.rstrip()
    return text if text.endswith(('.', '!', '?')) else text + '.'


class ApiRequest(object):
    """One planned API call; ``subject`` names what it acts on (an environment, a new name)."""

    def __init__(self, method, path, body=None, does=(WRITE,), subject=None, keep_going=False):
        self.method = method
        self.path = path
        self.body = body
        self.does = tuple(does)
        self.subject = subject
        # When Apinizer plainly refuses this request, record that (refused()) and go on with the
        # next one: one environment's failed deploy must not keep the others from theirs.
        self.keep_going = keep_going
        self.response = None
        self.confirmed = False  # its answer was lost; reading the state back showed it applied

    @property
    def repeatable(self):
        return set(self.does) <= REPEATABLE_EFFECTS

    def describe(self):
        return '%s %s' % (self.method, self.path)

    def view(self, mask):
        return dict(method=self.method, path=self.path, body=mask(self.body) if self.body is not None else None,
                    does=list(self.does), repeatable=self.repeatable)


def option_problems(params, minimums=None, not_blank=()):
    """What is wrong with the options, as sentences: numbers below their minimum, blank names.

    Apinizer refuses these only on the server, some not at all; checked before any request.
    """
    problems = []
    for option in not_blank:
        value = params.get(option)
        if isinstance(value, str) and not value.strip():
            problems.append('%s must not be empty.' % option)
        elif isinstance(value, list) and any(not isinstance(item, str) or not item.strip() for item in value):
            problems.append('%s must not hold an empty name.' % option)
    for option, minimum in sorted((minimums or {}).items()):
        value = params.get(option)
        if value is not None and value < minimum:
            problems.append('%s must be %s or more, got %s.' % (option, minimum, value))
    return problems


class ApinizerModule(object):
    """Base of every managing module: subclasses implement plan() and confirm(), little else."""

    minimums = {}    # option -> the smallest value it takes
    not_blank = ()   # options (a name, or a list of names) that must not be or hold an empty string

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.client = None
        self.planned = []
        self.done = []
        self.result = dict(changed=False)

    # Hooks ---------------------------------------------------------------------------

    def option_problems(self):
        """Every problem of the options argument validation cannot express, as sentences."""
        return option_problems(self.params, self.minimums, self.not_blank)

    def validate_options(self):
        """A module's own rules on the options, checked after option_problems(); raise ApinizerError."""

    def plan(self):
        """Read the current state and answer the requests that make it match the task.

        Also sets result fields known before executing: before, after (as planned), diff.
        """
        raise NotImplementedError

    def handle_response(self, request, response):
        """Take what an executed request answered (None when applied but its answer was lost)."""

    def refused(self, request, exc):
        """Take Apinizer's refusal of a keep_going request."""

    def confirm(self, request):
        """After a lost answer: read the state back and answer APPLIED, NOT_APPLIED or None (cannot tell)."""
        return None

    def finish(self):
        """After every request ran: read back or settle the result; raise ApinizerError on partial failure."""

    def mask(self, value):
        """``value`` with every secret replaced, for anything shown to the user."""
        return value

    def scrub(self, text):
        """Error text with every secret value this run has seen replaced."""
        return text

    # The loop ------------------------------------------------------------------------

    def run(self):
        try:
            problems = self.option_problems()
            if problems:
                raise ApinizerError('%s Nothing was sent.' % ' '.join(problems))
            self.validate_options()
            self.client = ApinizerClient.from_params(self.params)
            self.planned = self.plan()
            self.result['changed'] = bool(self.planned)
            self.result['requests'] = [request.view(self.mask) for request in self.planned]
            if self.module._diff and 'diff' not in self.result:
                self.result['diff'] = dict(before=self.mask(self.result.get('before') or {}),
                                           after=self.mask(self.result.get('after') or {}))
            if not self.module.check_mode:
                for request in self.planned:
                    self.execute(request)
                self.finish()
        except ApinizerError as exc:
            self.result['changed'] = bool(self.done)
            if exc.api_error:
                self.result['api_error'] = dict(exc.api_error, message=self.scrub(exc.api_error.get('message') or ''))
            self.module.fail_json(msg=self.scrub(exc.msg), **self.result)
        self.module.exit_json(**self.result)

    def execute(self, request):
        try:
            response = self.client.request(request.method, request.path, body=request.body,
                                           repeatable=request.repeatable)
        except ApinizerApiError as exc:
            if request.keep_going and not exc.outcome_unknown:
                self.refused(request, exc)
                return
            if request.repeatable or not exc.outcome_unknown:
                raise ApinizerError('%s %s' % (sentence(exc.msg), self.progress(request, exc)), api_error=exc.api_error)
            try:
                outcome = self.confirm(request)
            except ApinizerError as read_back:
                self.module.warn('Reading the state back after the lost answer to %s failed: %s' % (
                    request.describe(), read_back.msg))
                outcome = None
            if outcome != APPLIED:
                raise ApinizerError('%s %s' % (sentence(exc.msg), self.unconfirmed(request, outcome)),
                                    api_error=exc.api_error)
            request.confirmed = True
            self.module.warn('The answer to %s was lost (%s); it was not sent again, and reading the state back '
                             'confirmed that it took effect.' % (request.describe(), exc.api_message))
            response = None
        request.response = response
        self.done.append(request)
        self.handle_response(request, response)

    def progress(self, failed, exc):
        """What the failed request and the ones before it did, and whether a re-run is safe."""
        if exc.outcome_unknown:
            text = 'It is not known whether this request took effect; it changes nothing more when sent again.'
        else:
            text = 'This request changed nothing.'
        return '%s %s Re-running the task is safe.' % (text, self.earlier(certain=not exc.outcome_unknown))

    def unconfirmed(self, request, outcome):
        does = ' and '.join(effect for effect in request.does if effect not in REPEATABLE_EFFECTS)
        if outcome == NOT_APPLIED:
            return ('It was not sent again (it would %s twice); reading the state back shows it did not take '
                    'effect. %s Re-running the task is safe.' % (does, self.earlier()))
        return ('It was not sent again (it would %s twice), and reading the state back could not tell whether it '
                'took effect. %s Check the state in Apinizer before re-running the task.' % (
                    does, self.earlier(certain=False)))

    def earlier(self, certain=True):
        """What the requests before the failed one did; "Nothing was changed." only when that is certain."""
        if self.done:
            return 'Already done: %s.' % '; '.join(request.describe() for request in self.done)
        return 'Nothing was changed.' if certain else 'No request before it was sent.'
