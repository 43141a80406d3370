#!/usr/bin/env python
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that the runbooks in playbooks/ pass on every option of the modules they drive.

    python hacking/check_runbooks.py   # exit 1 and list each option a runbook lags behind on

Why: a runbook that drives a module with a list of items (playbooks/proxy_baseline.yml,
playbooks/connections.yml) has to write out each option it passes on, in the task and in a play
variable that lists the options an item of a variables file may carry, because Ansible has no
safe way to pass a dict as module arguments. A module that gains an option would otherwise
leave the runbook silently without it, and an option a module drops would fail only when a
variables file uses it.

What it checks, for each (playbook, module) of RUNBOOK_COVERAGE, against the module's options as
``ansible-doc --json`` reports them: the module exists; a task of the playbook runs it; the task
passes every option (but the connection and project options, which come from module_defaults,
and those the playbook deliberately leaves out) and none the module lacks; and the play
variable lists exactly those options.

ansible-doc needs the collection on a collections path, found as hacking/generate_module_docs.py
finds it (its collections_path(), whose docs it reads with load_docs()).
"""
import argparse
import os
import re
import sys

import yaml

from generate_module_docs import COLLECTION, ROOT, load_docs, plugin_names

# Options a runbook does not pass per item: the connection (module_defaults / APINIZER_* env),
# the project (module_defaults) and the deploy options (set by the runbook itself).
COMMON_OPTIONS = {'url', 'token', 'validate_certs', 'ca_path', 'timeout', 'total_timeout', 'retries', 'warn_on_http',
                  'project'}
# The deploy options of the settings modules: the baseline compares and writes, it never deploys.
DEPLOY_OPTIONS = {'deploy', 'deploy_environments', 'deploy_fail_on_skipped', 'verify', 'verify_timeout',
                  'verify_interval', 'verify_pods', 'verify_without_pods'}
RUNBOOK_COVERAGE = [
    # (playbook, module, the play variable listing the options a variables file may use,
    #  options the playbook deliberately leaves out)
    ('playbooks/proxy_baseline.yml', 'apinizer_proxy_metadata', 'baseline_metadata_options',
     {'api_proxy', 'new_name'} | DEPLOY_OPTIONS),
    ('playbooks/proxy_baseline.yml', 'apinizer_proxy_connection', 'baseline_connection_options',
     {'api_proxy'} | DEPLOY_OPTIONS),
    ('playbooks/proxy_baseline.yml', 'apinizer_proxy_websocket', 'baseline_websocket_options',
     {'api_proxy'} | DEPLOY_OPTIONS),
    ('playbooks/connections.yml', 'apinizer_connection', 'connections_options', set()),
]


def runbook_problems(docs):
    """The problems of RUNBOOK_COVERAGE's runbooks, given {module name: ansible-doc's JSON of it}."""
    problems = []
    for playbook, module, listed_in, left_out in RUNBOOK_COVERAGE:
        if module not in docs:
            problems.append('%s: module %s does not exist' % (playbook, module))
            continue
        path = os.path.join(ROOT, playbook)
        text = open(path).read() if os.path.exists(path) else ''
        task = _task_text(text, module)
        if task is None:
            problems.append('%s: no task runs %s.%s' % (playbook, COLLECTION, module))
            continue
        passed = set(re.findall(r'^ {8}([a-z][a-z0-9_]*):', task, re.M))
        wanted = set(docs[module]['doc']['options']) - COMMON_OPTIONS - left_out
        for option in sorted(wanted - passed):
            problems.append('%s: the %s task does not pass option %s' % (playbook, module, option))
        for option in sorted(passed - set(docs[module]['doc']['options'])):
            problems.append('%s: the %s task passes %s, which the module does not have' % (playbook, module, option))
        listed = set(_play_vars(text).get(listed_in) or [])
        for option in sorted(wanted ^ listed):
            verb = 'lacks' if option in wanted else 'has the unknown option'
            problems.append('%s: %s %s %s' % (playbook, listed_in, verb, option))
    return problems


def _play_vars(text):
    try:
        plays = yaml.safe_load(text) or []
    except yaml.YAMLError:
        return {}
    return dict(plays[0].get('vars') or {}) if plays and isinstance(plays[0], dict) else {}


def _task_text(text, module):
    """The argument block of the first task that calls the module (lines indented 8 spaces)."""
    match = re.search(r'^ {6}%s\.%s:\n((?: {8}.*\n| *\n)+)' % (re.escape(COLLECTION), re.escape(module)), text, re.M)
    return match.group(1) if match else None


def main():
    argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0]).parse_args()
    modules = [(kind, name) for kind, name in plugin_names() if kind == 'module']
    docs = {name: data for (kind, name), data in load_docs(modules).items()}
    problems = runbook_problems(docs)
    for problem in problems:
        print('FAIL %s' % problem)
    if problems:
        print('Fix the runbooks named above (or RUNBOOK_COVERAGE in hacking/check_runbooks.py).')
        return 1
    print('the runbooks cover every option of the %d modules they drive.' % len({row[1] for row in RUNBOOK_COVERAGE}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
