# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""Direct execution: a module of this collection run inside Ansible's worker process.

The modules always talk to Apinizer from the controller. Run as ordinary modules, each task
pays for a new Python process (build the AnsiballZ payload, start an interpreter, import
ansible.module_utils and requests) before its first request. Where the task runs on the
controller anyway (a local connection, delegate_to: localhost), the action plugin of the
module's name runs the module's own entry (module_utils ModuleEntry) in the worker instead: the
same argument validation (ModuleArgumentSpecValidator on the module's own spec, with the task's
environment applied before the APINIZER_* fallbacks are read), the same engine, and the result
formed as the module path forms it. Anywhere else (a remote host, async, become, another Python,
or turned off) the module runs as an ordinary module, as it always did.

requests and the collection's module_utils are imported here, at the top: ansible-core loads
the action plugin of a task in the controller before the workers fork, so every worker shares
these imports instead of paying for them.
"""

from __future__ import annotations

import copy
import json
import os
import sys
import traceback
from contextlib import contextmanager

from ansible import constants as C
from ansible.module_utils.basic import remove_values
from ansible.module_utils.common.arg_spec import ModuleArgumentSpecValidator
from ansible.module_utils.common.warnings import get_warning_messages
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.unsafe_proxy import wrap_var
from ansible.utils.vars import merge_hash

from ansible_collections.apinizer.apiops.plugins.module_utils import _client
from ansible_collections.apinizer.apiops.plugins.module_utils._modules import ENTRIES

display = Display()

# Turning direct execution off (action plugins have no ansible.cfg settings of their own).
SWITCH_VARIABLE = 'apinizer_direct_execution'
SWITCH_ENV = 'APINIZER_DIRECT_EXECUTION'

# Before ansible-core 2.19 a module's warnings and tracebacks travel in its result; from 2.19 on the
# controller shows them itself (and has module_utils._internal).
try:
    from ansible.module_utils import _internal  # noqa: F401 pylint: disable=unused-import
    LEGACY_MESSAGES = False
except ImportError:
    LEGACY_MESSAGES = True

# The AnsibleModule rules a ModuleEntry may carry, as ModuleArgumentSpecValidator takes them.
RULES = ('mutually_exclusive', 'required_together', 'required_one_of', 'required_if', 'required_by')


class Finished(Exception):
    """exit_json or fail_json of the engine: the result as the module would print it."""

    def __init__(self, result):
        super().__init__('finished')
        self.result = result


class WorkerModule:
    """What the engine uses of AnsibleModule, for a run inside the worker process."""

    def __init__(self, entry, params, check_mode, diff, verbosity=0):
        self.argument_spec = entry.argument_spec()
        self.params = params
        self.check_mode = check_mode
        self._diff = diff
        self._verbosity = verbosity
        self.no_log_values = set()
        self.warnings = []

    def warn(self, warning):
        self.warnings.append(warning)

    def exit_json(self, **result):
        raise Finished(result)

    def fail_json(self, msg, **result):
        result.update(failed=True, msg=msg)
        # As AnsibleModule before ansible-core 2.19: the traceback of the error being handled, at -vvv.
        if LEGACY_MESSAGES and 'exception' not in result and sys.exc_info()[2] and self._verbosity >= 3:
            result['exception'] = ''.join(traceback.format_tb(sys.exc_info()[2]))
        raise Finished(result)


def no_log_values(spec, params):
    """The values of the options declared no_log (nested options included), as AnsibleModule collects them."""
    found = set()
    for option, entry in spec.items():
        value = params.get(option) if isinstance(params, dict) else None
        if value is None:
            continue
        if entry.get('no_log'):
            found.update(_texts(value))
        options = entry.get('options')
        if options:
            for item in value if isinstance(value, list) else [value]:
                found.update(no_log_values(options, item))
    return found


def _texts(value):
    """The texts of a no_log value as AnsibleModule collects them: no empty string, no boolean, no None."""
    if isinstance(value, str):
        return {value} if value else set()
    if isinstance(value, dict):
        return set().union(*(_texts(item) for item in value.values())) if value else set()
    if isinstance(value, (list, tuple)):
        return set().union(*(_texts(item) for item in value)) if value else set()
    if value is None or isinstance(value, bool):
        return set()
    return {str(value)}


def plain(value):
    """The task's arguments as the module process receives them: JSON types, not the parser's str subclasses."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


@contextmanager
def environment_applied(environment):
    """The task's environment: for the APINIZER_* fallbacks and for requests (proxies, CA bundles)."""
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class DirectAction(ActionBase):
    """The action plugin of every module: direct execution on the controller, the module path elsewhere."""

    _supports_check_mode = True
    _supports_async = True  # so that an async task reaches the module path, which runs it asynchronously

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        name = self._task.action.rsplit('.', 1)[-1]
        reason = self.module_path_reason(task_vars, name)
        if reason is not None:
            display.vvv('apinizer.apiops: %s runs as a module (%s)' % (name, reason))
            wrap_async = self._task.async_val and not getattr(self._connection, 'has_native_async', False)
            result = merge_hash(result, self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
            if not wrap_async:
                self._remove_tmp_path(self._connection._shell.tmpdir)
            return result
        display.vvv('apinizer.apiops: %s runs in the worker process (direct execution)' % name)
        return merge_hash(result, self.run_direct(ENTRIES[name], task_vars))

    # Which path ------------------------------------------------------------------------------

    def module_path_reason(self, task_vars, name):
        """Why this task must run as an ordinary module, or None for direct execution."""
        switch = task_vars.get(SWITCH_VARIABLE, os.environ.get(SWITCH_ENV, True))
        if not boolean(self._templar.template(switch), strict=False):
            return 'direct execution is turned off (%s or %s)' % (SWITCH_VARIABLE, SWITCH_ENV)
        if name not in ENTRIES:
            return 'no direct entry for it'
        if self._task.async_val:
            return 'async'
        if self._play_context.become:
            return 'become'
        transport = getattr(self._connection, 'transport', None) or ''
        if transport.rsplit('.', 1)[-1] != 'local':
            return 'connection %s: not on the controller' % transport
        interpreter = self.interpreter(task_vars)
        if interpreter and not interpreter.startswith('auto') and \
                os.path.realpath(interpreter) != os.path.realpath(sys.executable):
            return 'ansible_python_interpreter is %s, not the controller Python %s' % (interpreter, sys.executable)
        if _client.requests is None:
            display.warning('The controller Python (%s) cannot import requests, so %s runs as an ordinary module, '
                            'with ansible_python_interpreter; install requests beside ansible-core to run it inside '
                            'the worker (direct execution).' % (sys.executable, name))
            return 'the controller Python cannot import requests'
        return None

    def interpreter(self, task_vars):
        delegated = (task_vars.get('ansible_delegated_vars') or {}).get(self._task.delegate_to) or {} \
            if self._task.delegate_to else {}
        value = delegated.get('ansible_python_interpreter', task_vars.get('ansible_python_interpreter'))
        return self._templar.template(value) if value is not None else None

    # The direct path ---------------------------------------------------------------------------

    def task_environment(self):
        """The task's environment: keyword, as the module path computes it for the module's process."""
        environment = {}
        configured = self._task.environment
        for each in configured if isinstance(configured, list) else [configured]:
            if not each:
                continue
            values = self._templar.template(each)
            if isinstance(values, dict):
                environment.update((str(key), str(value)) for key, value in values.items())
        return environment

    def run_direct(self, entry, task_vars):
        args = plain(copy.deepcopy(dict(self._task.args)))
        module = WorkerModule(entry, {}, bool(self._task.check_mode), bool(self._task.diff), display.verbosity)
        with environment_applied(self.task_environment()):
            try:
                self.validate(entry, module, args)
                entry.engine(module, raw_params=args).run()
            except Finished as done:
                outcome = done.result
            else:  # pragma: no cover - the engine always ends in exit_json or fail_json
                outcome = dict(failed=True, msg='The module ended without a result.')
        return self.formatted(module, outcome, task_vars)

    def validate(self, entry, module, args):
        """Argument validation as AnsibleModule makes it; a failure ends the run as it would there."""
        rules = {rule: entry.module_options[rule] for rule in RULES if rule in entry.module_options}
        before = len(get_warning_messages()) if LEGACY_MESSAGES else 0
        validation = ModuleArgumentSpecValidator(module.argument_spec, **rules).validate(args)
        if LEGACY_MESSAGES:
            # Before ansible-core 2.19 the validator's warnings (an option and its alias both set) wait in
            # module_utils' list for exit_json; later cores show them themselves.
            module.warnings.extend(get_warning_messages()[before:])
        module.params = validation.validated_parameters
        module.no_log_values.update(no_log_values(module.argument_spec, module.params))
        if validation.error_messages:
            error = validation.errors[0]
            message = validation.errors.msg
            if type(error).__name__ == 'UnsupportedError':
                message = 'Unsupported parameters for (%s) module: %s' % (self._task.action, message)
            module.fail_json(msg=message)
        if module.check_mode and not entry.module_options.get('supports_check_mode'):
            module.exit_json(skipped=True, msg='remote module (%s) does not support check mode' % self._task.action)

    def formatted(self, module, outcome, task_vars):
        """The result as the module path returns it: invocation, warnings, no_log values removed."""
        result = dict(outcome)
        if self.inject_invocation(task_vars):
            result.setdefault('invocation', dict(module_args=module.params))
        else:
            result.pop('invocation', None)
        if module.warnings:
            result['warnings'] = list(module.warnings)
        # As AnsibleModule's exit: top-level booleans and None survive a no_log value they contain
        # (a one-letter password 'e' must not turn changed: true into a placeholder).
        preserved = {key: value for key, value in result.items() if value is None or isinstance(value, bool)}
        result = remove_values(result, module.no_log_values)
        result.update(preserved)
        # What printing and parsing JSON does to the module path's result (tuples become lists).
        result = json.loads(json.dumps(result, default=str))
        return wrap_var(result)

    @staticmethod
    def inject_invocation(task_vars):
        """Whether the module path adds invocation: always before ansible-core 2.21, then per INJECT_INVOCATION."""
        try:
            return bool(C.config.get_config_value('INJECT_INVOCATION', variables=task_vars))
        # The setting does not exist before ansible-core 2.21.
        except Exception:  # pylint: disable=broad-except
            return True
