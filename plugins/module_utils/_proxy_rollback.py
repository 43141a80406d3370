# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""apinizer_proxy_rollback: an API proxy back to a revision of its deploy history.

read the proxy, its deploy history and the deploy state of each listed environment -> resolve
the revision (a number, or "previous": the deploy before the last one) -> plan one
POST .../deploy-histories/{revision}/rollback/?environmentName=<env> per environment not already
on that revision (or one rollback without a deploy) -> check mode stops -> execute; the answer
"rolled back successfully but deployment failed" (status SUCCESS) is a failed deploy -> read the
deploy state back and verify the route like a deploy. A rollback is never sent twice: after a
lost answer the history and the deploy state decide whether it took effect.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ansible_collections.apinizer.apiops.plugins.module_utils._client import (
    ApinizerApiError,
    ApinizerError,
    api_path,
    connection_argument_spec,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._deploy import Deployments, ProxyEnvironmentsModule
from ansible_collections.apinizer.apiops.plugins.module_utils._engine import (
    APPLIED,
    DEPLOY,
    NOT_APPLIED,
    ROLLBACK,
    ApiRequest,
    ModuleEntry,
    Plan,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._envelope import result_items
from ansible_collections.apinizer.apiops.plugins.module_utils._options import project_argument_spec
from ansible_collections.apinizer.apiops.plugins.module_utils._verify import raise_unverified, verify_argument_spec

PREVIOUS = 'previous'
# Apinizer answers a rollback whose follow-up deploy failed with status SUCCESS and this text.
DEPLOY_FAILED = re.compile(r'but deployment failed:?\s*(.*)$', re.IGNORECASE | re.DOTALL)


def rollback_spec():
    spec = connection_argument_spec()
    spec.update(
        project=project_argument_spec(),
        api_proxy=dict(type='str', required=True, aliases=['api_proxy_name']),
        revision=dict(type='str', required=True),
        environments=dict(type='list', elements='str', default=[]),
    )
    spec.update(verify_argument_spec())
    return spec


def history_records(body):
    """The deploy history, newest first, each with an integer revision (records without one are left out)."""
    records = []
    for item in result_items(body):
        revision = item.get('revision')
        if isinstance(revision, str) and revision.isdigit():
            revision = int(revision)
        if isinstance(revision, int) and not isinstance(revision, bool):
            records.append(dict(item, revision=revision))
    return sorted(records, key=lambda item: item['revision'], reverse=True)


class ProxyRollback(ProxyEnvironmentsModule):
    """Rolls an API proxy back to a revision of its deploy history, and deploys it where asked."""

    def __init__(self, module, raw_params=None):
        super().__init__(module, raw_params)
        self.history = []
        self.targets = {}      # environment (None: a rollback without deploy) -> revision
        self.failures = {}     # environment -> the reason its deploy failed
        self.result.update(revision=None, rollbacks=[])

    def validate_options(self):
        revision = self.params['revision'].strip()
        if revision != PREVIOUS and not revision.isdigit():
            raise ApinizerError("revision must be a revision number of the API proxy's deploy history or 'previous' "
                                "(the deploy before the last one), got %r. Nothing was sent." % self.params['revision'])

    # Plan ------------------------------------------------------------------------------

    def path(self, *more):
        return api_path('projects', self.project, 'apiProxies', self.proxy_name, *more)

    def plan(self):
        self.read_proxy()
        self.history = history_records(self.client.get(self.path('deploy-histories')))
        deployments = Deployments(self.client, self.project, self.proxy_name)
        requests = []
        before, after = {}, {}
        for env in self.environments or [None]:
            target = self.resolve(env)
            self.targets[env] = target
            entry = dict(environment=env, revision=target)
            if env is None:
                requests.append(self.rollback_request(target, None))
                self.result['rollbacks'].append(dict(entry, message='Would roll back the configuration'
                                                     if self.module.check_mode else ''))
                continue
            status = deployments.read_status(env)
            before[env] = dict(deployed=status['deployed'], redeploy_required=status['redeploy_required'],
                               revision=status.get('revision'))
            entry['revision_before'] = status.get('revision')
            if self.on_target(status, target):
                after[env] = before[env]
                self.result['rollbacks'].append(dict(entry, skipped=True, message='Deployed at revision %s and '
                                                     'current; nothing to roll back.' % target))
                continue
            after[env] = dict(deployed=True, redeploy_required=False, revision=None, rolled_back_to=target)
            requests.append(self.rollback_request(target, env))
            self.result['rollbacks'].append(dict(entry, skipped=False, message='Would roll back and deploy (check mode)'
                                                 if self.module.check_mode else ''))
        revisions = set(self.targets.values())
        self.result['revision'] = revisions.pop() if len(revisions) == 1 else None
        if requests:
            self.warn_unlisted()
        return Plan(requests, before=before, after=after)

    def resolve(self, env):
        """The absolute revision the task rolls back to (for one environment, when 'previous')."""
        asked = self.params['revision'].strip()
        known = ', '.join(str(item['revision']) for item in self.history[:10]) or 'none'
        if asked != PREVIOUS:
            revision = int(asked)
            if not any(item['revision'] == revision for item in self.history):
                raise ApinizerError(
                    "Revision %d is not in the deploy history of API proxy '%s' (project '%s'); newest revisions: %s. "
                    "Apinizer prunes records past its retention limit unless they are persistent. Nothing was "
                    "changed." % (revision, self.proxy_name, self.project, known))
            return revision
        deploys = [item for item in self.history if item.get('deploy') is not False and
                   (env is None or item.get('environment') == env)]
        if len(deploys) < 2:
            where = "environment '%s'" % env if env else 'any environment'
            raise ApinizerError(
                "API proxy '%s' (project '%s') has no deploy to %s before its last one in the deploy history "
                "(newest revisions: %s), so there is no 'previous' revision. Nothing was changed." % (
                    self.proxy_name, self.project, where, known))
        return deploys[1]['revision']

    @staticmethod
    def on_target(status, target):
        """Idempotence: the environment is deployed at the target revision and needs no redeploy."""
        return status['deployed'] and not status['redeploy_required'] and status.get('revision') == target

    def rollback_request(self, revision, env):
        path = self.path('deploy-histories', revision, 'rollback')
        if env is None:
            return ApiRequest('POST', path, does=(ROLLBACK,), proxy=self.proxy_name)
        return ApiRequest('POST', '%s?environmentName=%s' % (path, quote(env, safe='')), does=(ROLLBACK, DEPLOY),
                          proxy=self.proxy_name, environments=(env,), keep_going=True)

    def warn_unlisted(self):
        """A rollback restores the whole proxy: environments it does not deploy to keep serving what they had."""
        listed = set(self.environments)
        deployed = [item.get('environmentName') for item in self.proxy.get('deploymentList') or []
                    if isinstance(item, dict) and item.get('deployed') and item.get('environmentName') not in listed]
        if deployed:
            self.warn("A rollback restores the configuration of the whole API proxy '%s': %s, where it is deployed but "
                      "which the task does not list, keep%s serving what %s deployed and will report "
                      "redeployRequired." % (self.proxy_name, ', '.join("'%s'" % env for env in deployed),
                                             's' if len(deployed) == 1 else '', 'it has' if len(deployed) == 1
                                             else 'they have'))

    # Execute ---------------------------------------------------------------------------

    def entry_of(self, env):
        return next(entry for entry in self.result['rollbacks'] if entry['environment'] == env)

    def handle_response(self, request, response):
        message = (response or {}).get('resultMessage') if isinstance(response, dict) else None
        message = message if isinstance(message, str) else ''
        entry = self.entry_of(request.environment)
        failed = DEPLOY_FAILED.search(message)
        if failed and request.environment is not None:
            self.failures[request.environment] = failed.group(1).strip() or message
            entry.update(message=message, deployed=False)
            self.result['deployments'].append(dict(environment=request.environment, success=False, skipped=False,
                                                   message=message))
            return
        entry.update(message=message or ('Rolled back (answer lost; the deploy history read back confirms it)'
                                         if request.confirmed else 'Rolled back'))
        if request.environment is not None:
            self.result['deployments'].append(dict(environment=request.environment, success=True, skipped=False,
                                                   message=entry['message']))

    def refused(self, request, exc):
        self.entry_of(request.environment).update(message=exc.api_message)
        self.result['deployments'].append(self.refusals.add(request, exc))

    def confirm(self, request):
        """After a lost answer: does the history show a new deploy to the environment, and is it current?"""
        env = request.environment
        if env is None:
            return None  # a rollback without deploy leaves no record of its own to read back
        newest = max([item['revision'] for item in self.history] or [0])
        try:
            now = history_records(self.client.get(self.path('deploy-histories')))
            status = Deployments(self.client, self.project, self.proxy_name).read_status(env)
        except ApinizerApiError:
            return None
        made = [item for item in now if item['revision'] > newest and item.get('environment') == env
                and item.get('deploy') is not False]
        if not made:
            return NOT_APPLIED
        if status['deployed'] and not status['redeploy_required'] and status.get('revision') == made[0]['revision']:
            return APPLIED
        return None

    def finish(self):
        done = [entry['environment'] for entry in self.result['deployments'] if entry['success']]
        # Every environment a rollback was sent for, failed ones too: `after` is what Apinizer reports, not the plan.
        sent = [entry['environment'] for entry in self.result['deployments'] if entry['environment'] is not None]
        if sent:
            reread = Deployments(self.client, self.project, self.proxy_name)
            for env in sent:
                status = reread.read_status(env)
                self.result['after'][env] = dict(deployed=status['deployed'], redeploy_required=status[
                    'redeploy_required'], revision=status.get('revision'), rolled_back_to=self.targets[env])
                self.entry_of(env)['revision_now'] = status.get('revision')
        entries = self.verify_deploys(self.proxy_name, self.proxy, done)
        what = "API proxy '%s' (project '%s')" % (self.proxy_name, self.project)
        problems = ["environment '%s': Apinizer rolled the configuration back to revision %s but answered that the "
                    "deploy failed (%s), with status SUCCESS" % (env, self.targets[env], reason)
                    for env, reason in self.failures.items()]
        problems.extend("environment '%s': %s" % (entry['environment'], self.refusals.reason(entry))
                        for entry in self.result['deployments'] if entry['success'] is False
                        and entry['environment'] not in self.failures)
        if problems:
            raise ApinizerError('Rolling back %s failed for %s. %sRe-run the task to retry: an environment already on '
                                'the revision is left alone.' % (what, '; '.join(problems), (
                                    'Rolled back and deployed: %s. ' % ', '.join(done)) if done else ''),
                                api_error=self.refusals.api_error)
        raise_unverified(entries, 'Rolling back %s' % what, 'Apinizer reports the rollback deployed.')


PROXY_ROLLBACK = ModuleEntry('apinizer_proxy_rollback', ProxyRollback, rollback_spec, supports_check_mode=True)
