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

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.apinizer.apiops.plugins.module_utils._client import (
    ApinizerApiError,
    ApinizerClient,
    ApinizerError,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._fields import field_problems
from ansible_collections.apinizer.apiops.plugins.module_utils._options import (
    missing_project,
    name_problems,
    raw_module_args,
    raw_type_problems,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._scrub import Secrets
from ansible_collections.apinizer.apiops.plugins.module_utils._verify import RouteVerifier, verify_option_problems

# What a request does. Only a request whose effects are all in REPEATABLE_EFFECTS may be
# sent again after it may have reached the server.
READ = 'read'
WRITE = 'write'
DEPLOY = 'deploy'
UNDEPLOY = 'undeploy'
RENAME = 'rename'
CREATE = 'create'
DELETE = 'delete'
# A connection PUT replaces the whole object: sent again after a lost answer, it would erase
# whatever another run changed in between.
REPLACE = 'replace'
ROLLBACK = 'rollback'
REPEATABLE_EFFECTS = frozenset((READ, WRITE))
# How messages say what sending a request twice would do, in the order they say it.
DONE_TWICE = (('rename', 'rename'), ('create', 'create'), ('delete', 'delete'), ('rollback', 'roll back'),
              ('deploy', 'deploy'), ('undeploy', 'undeploy'))

APPLIED = 'applied'
NOT_APPLIED = 'not applied'


def sentence(text):
    """TEXT ending in a full stop: the server's message is followed by sentences of ours."""
    text = text.rstrip()
    return text if text.endswith(('.', '!', '?')) else text + '.'


class ApiRequest:
    """One planned API call, and what it acts on.

    proxy: the API proxy it acts on, by the name the proxy has once the request is done (a
        rename's new name); environments: those it deploys to, undeploys from or rolls back in;
        connection: the connection it creates, replaces or deletes, by its name once it is done.
    """

    def __init__(self, method, path, body=None, does=(WRITE,), proxy=None, environments=(), connection=None,
                 keep_going=False):
        self.method = method
        self.path = path
        self.body = body
        self.does = tuple(does)
        self.proxy = proxy
        self.environments = tuple(environments)
        self.connection = connection
        # When Apinizer plainly refuses this request, record that (refused()) and go on with the
        # next one: one environment's failed deploy must not keep the others from theirs.
        self.keep_going = keep_going
        self.response = None
        self.unanswered = None  # the ApinizerApiError of an answer that was lost or cannot be trusted
        self.confirmed = False  # no trustworthy answer came; reading the state back showed it applied
        self.read_back = None   # what confirm() read of the state, for handle_response(), when it confirmed

    @property
    def environment(self):
        """The environment of a request that acts in exactly one, else None."""
        return self.environments[0] if len(self.environments) == 1 else None

    @property
    def repeatable(self):
        return set(self.does) <= REPEATABLE_EFFECTS

    def describe(self):
        return '%s %s' % (self.method, self.path)

    def view(self, mask):
        return dict(method=self.method, path=self.path, body=mask(self.body) if self.body is not None else None,
                    does=list(self.does), repeatable=self.repeatable)


class Plan:
    """What a run will do (netcommon's *commands*), and the state before and after it, for the result and the diff.

    An info module's plan has no requests and no before or after: what it read is its result.
    """

    def __init__(self, requests=(), before=None, after=None):
        self.requests = list(requests)
        self.before = before
        self.after = after


class ApinizerModule:
    """Base of every module: subclasses implement plan() and confirm(), little else.

    One run: check the options (as written and as validated) -> make the client -> plan ->
    check mode returns the plan -> execute in order -> finish -> result. Every text that leaves
    the run (message, warning, result) passes the run's one scrubber, which knows every secret
    it has seen.
    """

    fields = {}      # option -> _fields.Field: the options whose range and blank rule the model declares
    # Options naming what a request path is built from (a name, or a list of names): refused
    # when blank or a URL dot segment.
    name_options = ('project',)
    not_blank = ()   # options outside ``fields`` (a name, or a list of names) that must not be or hold an empty string
    project_of = 'the object'   # what the project holds, for the message when none is set
    read_only = False           # an info module: never writes, no requests or diff in its result

    def __init__(self, module, raw_params=None):
        self.module = module
        self.params = module.params
        self.raw_params = raw_params  # the arguments as written (None: not known, those checks are skipped)
        self.secrets = Secrets(on_add=module.no_log_values.add)
        self.client = None
        self.planned = []
        self.done = []
        self._warnings = []
        self.result = dict(changed=False)

    # Hooks ---------------------------------------------------------------------------

    def option_problems(self):
        """Every problem of the options argument validation does not report, as sentences."""
        problems = raw_type_problems(self.module.argument_spec, self.raw_params)
        if 'project' in self.module.argument_spec and self.params.get('project') is None:
            problems.append(missing_project(self.project_of))
        problems.extend(name_problems(self.params, self.name_options))
        blank_checked = self.not_blank + tuple(option for option, field in self.fields.items() if field.not_blank)
        problems.extend(name_problems(self.params, blank_checked, path_names=False))
        problems.extend(field_problems(self.params, self.fields))
        if 'verify' in self.module.argument_spec:
            problems.extend(verify_option_problems(self.params))
        return problems

    def validate_options(self):
        """A module's own rules on the options, checked after option_problems(); raise ApinizerError."""

    def plan(self):
        """Read the current state (*have*), compare it with the options (*want*) and return the Plan.

        Nothing is written here; result fields known before executing (a rename, what check mode
        would deploy) may be set.
        """
        raise NotImplementedError

    def before_send(self, request):
        """Just before ``request`` is sent: a last check of the state it was planned on; raise ApinizerError."""

    def handle_response(self, request, response):
        """Take what an executed request answered (None when no trustworthy answer came but it applied)."""

    def refused(self, request, exc):
        """Take Apinizer's refusal of a keep_going request."""

    def confirm(self, request):
        """After an answer that was lost or cannot be trusted: read the state back and answer APPLIED,
        NOT_APPLIED or None (cannot tell); what handle_response() needs of that reading goes in
        ``request.read_back``."""
        return None

    def finish(self):
        """After every request ran: read back or settle the result; raise ApinizerError on partial failure."""

    def mask(self, value):
        """``value`` with every secret replaced, for anything shown to the user."""
        return value

    def verify_deploys(self, proxy_name, proxy, environments, deploying=True):
        """Verify each environment's deploy (or undeploy) on the gateway pods; the result's verification list."""
        verifier = RouteVerifier(self.client, self.params['project'], proxy_name, self.params, proxy, self.warn)
        entries = [verifier.verify(env, deploying) for env in environments]
        self.result['verification'] = entries
        return entries

    def warn(self, message):
        """A warning for the task's result: scrubbed, each text once."""
        message = self.secrets.scrub(message)
        if message not in self._warnings:
            self._warnings.append(message)
            self.module.warn(message)

    # The loop ------------------------------------------------------------------------

    def run(self):
        try:
            problems = self.option_problems()
            if problems:
                raise ApinizerError('%s Nothing was sent.' % ' '.join(problems))
            self.validate_options()
            self.client = ApinizerClient.from_params(self.params, secrets=self.secrets, warn=self.warn)
            plan = self.plan()
            self.planned = plan.requests
            if not self.read_only:
                self.result.update(before=plan.before, after=plan.after, changed=bool(self.planned),
                                   requests=[request.view(self.mask) for request in self.planned])
                if self.module._diff:
                    self.result['diff'] = dict(before=self.mask(plan.before or {}), after=self.mask(plan.after or {}))
            if not self.module.check_mode:
                for request in self.planned:
                    self.execute(request)
                self.finish()
        except ApinizerError as exc:
            self.result['changed'] = bool(self.done)
            if exc.api_error:
                self.result['api_error'] = dict(exc.api_error)
            self.module.fail_json(msg=self.secrets.scrub(exc.msg), **self.secrets.scrub_data(self.result))
        self.module.exit_json(**self.secrets.scrub_data(self.result))

    def execute(self, request):
        self.before_send(request)
        try:
            response = self.client.request(request.method, request.path, body=request.body,
                                           repeatable=request.repeatable)
        except ApinizerApiError as exc:
            if request.keep_going and not exc.outcome_unknown:
                self.refused(request, exc)
                return
            if not exc.outcome_unknown:
                raise ApinizerError('%s %s' % (sentence(exc.msg), self.progress(exc)), api_error=exc.api_error)
            request.unanswered = exc
            try:
                outcome = self.confirm(request)
            except ApinizerError as read_back:
                self.warn('Could not read the state back after the answer to %s was lost or could not be trusted: %s'
                          % (request.describe(), read_back.msg))
                outcome = None
            if outcome != APPLIED:
                raise ApinizerError('%s %s' % (sentence(exc.msg), self.unconfirmed(request, outcome)),
                                    api_error=exc.api_error)
            request.confirmed = True
            self.warn('%s; it was not sent again, and reading the state back confirmed that it took effect.'
                      % answer_problem(request, exc))
            response = None
        request.response = response
        self.done.append(request)
        self.handle_response(request, response)

    def progress(self, exc):
        """The outcome of a request Apinizer plainly refused, and whether a re-run is safe."""
        return 'This request changed nothing. %s Re-running the task is safe.' % self.earlier()

    def unconfirmed(self, request, outcome):
        """The outcome of a request whose answer was lost or cannot be trusted, as the read-back settled it."""
        twice = [verb for effect, verb in DONE_TWICE if effect in request.does]
        reasons = ['it would %s twice' % ' and '.join(twice)] if twice else []
        if REPLACE in request.does:
            reasons.append('it replaces the whole object, so it could undo a change made in between')
        lead = 'It was not sent again (%s)' % '; '.join(reasons) if reasons else 'It was not sent again'
        if outcome == NOT_APPLIED:
            return ('%s; reading the state back shows it did not take effect. %s Re-running the task is safe.'
                    % (lead, self.earlier()))
        return ('%s, and reading the state back could not tell whether it took effect. %s Check the state in '
                'Apinizer before re-running the task.' % (lead, self.earlier(certain=False)))

    def earlier(self, certain=True):
        """What the requests before the failed one did; "Nothing was changed." only when that is certain."""
        if self.done:
            return 'Already done: %s.' % '; '.join(request.describe() for request in self.done)
        return 'Nothing was changed.' if certain else 'No request before it was sent.'


def answer_note(request):
    """How a deployments entry says that its request's answer did not come as it should."""
    exc = request.unanswered
    return 'Answer lost' if exc is None or exc.status is None else 'Answer not usable (HTTP %s)' % exc.status


def answer_problem(request, exc):
    """'The answer to PATCH /x/ was lost (reason)' or '... could not be trusted (HTTP 200: what was wrong)'."""
    if exc.status is None or exc.status >= 500:
        return 'The answer to %s was lost (%s)' % (request.describe(), exc.api_message)
    return 'The answer to %s could not be trusted (HTTP %s: %s)' % (request.describe(), exc.status, exc.api_message)


class ModuleEntry:
    """What a module is: its name, its engine class, its argument spec and the AnsibleModule rules on it.

    One entry per module, beside the module's engine in module_utils; the module file's main() runs
    it (run_module), and so does the action plugin of the same name inside Ansible's worker.
    """

    def __init__(self, name, engine, argument_spec, **module_options):
        self.name = name
        self.engine = engine
        self._argument_spec = argument_spec
        self.module_options = module_options

    def argument_spec(self):
        """A fresh argument spec (argument validation may change the one it is given)."""
        return self._argument_spec()


def run_module(entry):
    """The one entry point of every module's main(): validate the arguments, then run the engine."""
    module = AnsibleModule(argument_spec=entry.argument_spec(), **entry.module_options)
    entry.engine(module, raw_params=raw_module_args()).run()
