# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""apinizer_proxy_deploy on the plan-then-execute engine.

read the proxy and its deploy state per listed environment -> plan one deploy (POST) or
undeploy (DELETE) per environment that needs it -> check mode stops -> execute; a refused
environment does not stop the others, and fails the task at the end -> result. A deploy whose
answer is lost is not sent again: deploy-status, read back, tells whether it took effect.
"""

from __future__ import annotations

from ansible_collections.apinizer.apiops.plugins.module_utils._client import ApinizerError, connection_argument_spec
from ansible_collections.apinizer.apiops.plugins.module_utils._deploy import (
    Deployments,
    ProxyEnvironmentsModule,
    deploy_outcome,
    state_view,
    would_deploy,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._engine import (
    APPLIED,
    DEPLOY,
    NOT_APPLIED,
    ModuleEntry,
    Plan,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._options import project_argument_spec
from ansible_collections.apinizer.apiops.plugins.module_utils._verify import raise_unverified, verify_argument_spec

DEPLOYED = 'deployed'
UNDEPLOYED = 'undeployed'


class ProxyDeploy(ProxyEnvironmentsModule):
    """Deploys an API proxy to, or undeploys it from, the listed environments."""

    def __init__(self, module, raw_params=None):
        super().__init__(module, raw_params)
        self.deploying = self.params['state'] == DEPLOYED
        self.deployments = None
        self.entries = {}
        self.revisions = {}  # environment -> revision before a forced redeploy of an up-to-date proxy

    def validate_options(self):
        if not self.environments:
            raise ApinizerError('environments must name at least one environment.')
        if self.params['force'] and not self.deploying:
            raise ApinizerError('force applies only to state=deployed: an undeploy is sent only where the API '
                                'proxy is deployed.')

    # Plan ------------------------------------------------------------------------

    def plan(self):
        self.read_proxy()
        self.deployments = Deployments(self.client, self.project, self.proxy_name, self.proxy.get('deploymentList'))
        before = {env: state_view(self.deployments.state(env)) for env in self.environments}
        targets = [env for env in self.environments if self.needed(before[env])]
        after = {env: dict(deployed=self.deploying, redeploy_required=False) if env in targets else before[env]
                 for env in self.environments}

        for env in self.environments:
            if env not in targets:
                self.entries[env] = dict(environment=env, success=None, skipped=True, message=self.skip_reason(before[env]))
        if self.module.check_mode:
            what = 'Would deploy (check mode)' if self.deploying else 'Would undeploy (check mode)'
            self.entries.update((entry['environment'], entry) for entry in would_deploy(targets, what))
        elif self.deploying and self.params['force']:
            self.remember_revisions(targets, before)
        self.collect()

        make = self.deployments.deploy_request if self.deploying else self.deployments.undeploy_request
        return Plan([make(env, self.params['description'], self.params['persistent']) for env in targets],
                    before=before, after=after)

    def needed(self, state):
        if not self.deploying:
            return state['deployed']
        return self.params['force'] or not state['deployed'] or state['redeploy_required']

    def skip_reason(self, state):
        if not self.deploying:
            return 'Not deployed in this environment; nothing to undeploy.'
        return 'Deployed and up to date; set force=true to redeploy anyway.'

    def remember_revisions(self, targets, before):
        """For a forced redeploy of an up-to-date proxy, the revision to compare with after a lost answer."""
        for env in targets:
            if before[env]['deployed'] and not before[env]['redeploy_required']:
                state = self.deployments.states[env]
                if 'revision' not in state:
                    state.update(self.deployments.read_status(env))
                self.revisions[env] = state.get('revision')

    # Execute ---------------------------------------------------------------------

    def handle_response(self, request, response):
        entry = deploy_outcome(request, response)
        self.entries[request.environment] = entry
        if entry['success'] is not False:
            self.result['after'][request.environment] = dict(deployed=self.deploying, redeploy_required=False)
        else:
            self.result['after'][request.environment] = self.result['before'][request.environment]
        self.collect()

    def refused(self, request, exc):
        self.entries[request.environment] = self.refusals.add(request, exc)
        self.result['after'][request.environment] = self.result['before'][request.environment]
        self.collect()

    def confirm(self, request):
        """After a lost answer: does deploy-status show the deploy (or undeploy) done?"""
        env = request.environment
        try:
            state = self.deployments.read_status(env)
        except ApinizerError:
            return None
        if DEPLOY not in request.does:
            return NOT_APPLIED if state['deployed'] else APPLIED
        if not state['deployed'] or state['redeploy_required']:
            return NOT_APPLIED
        if env not in self.revisions:
            return APPLIED  # it was not deployed, or needed a redeploy: now it is deployed and current
        # A forced redeploy of an up-to-date proxy shows only in a new revision.
        if self.revisions[env] is None or state.get('revision') is None:
            return None
        return APPLIED if state['revision'] != self.revisions[env] else NOT_APPLIED

    def finish(self):
        changed = [entry['environment'] for entry in self.result['deployments'] if entry['success']]
        entries = self.verify_deploys(self.proxy_name, self.proxy, changed, self.deploying)
        self.raise_on_failed()
        raise_unverified(entries, '%s API proxy %r (project %r)' % (
            'Deploying' if self.deploying else 'Undeploying', self.proxy_name, self.project),
            'The Manager reports the %s done.' % ('deploy' if self.deploying else 'undeploy'))

    def raise_on_failed(self):
        failed = [entry for entry in self.result['deployments'] if entry['success'] is False]
        if not failed:
            return
        done = [entry['environment'] for entry in self.result['deployments'] if entry['success']]
        reasons = '; '.join("environment '%s': %s" % (entry['environment'], self.refusals.reason(entry)) for entry in failed)
        raise ApinizerError("%s API proxy '%s' (project '%s') failed for %s. %s Re-run the task to retry." % (
            'Deploying' if self.deploying else 'Undeploying', self.proxy_name, self.project, reasons,
            ('%s: %s.' % ('Deployed' if self.deploying else 'Undeployed', ', '.join(done))) if done
            else 'No environment was changed.'), api_error=self.refusals.api_error)

    def collect(self):
        """result['deployments'] in the order of the environments option."""
        self.result['deployments'] = [self.entries[env] for env in self.environments if env in self.entries]


def proxy_deploy_spec():
    spec = connection_argument_spec()
    spec.update(
        project=project_argument_spec(),
        api_proxy=dict(type='str', required=True, aliases=['api_proxy_name']),
        state=dict(type='str', choices=['deployed', 'undeployed'], default='deployed'),
        environments=dict(type='list', elements='str', required=True),
        force=dict(type='bool', default=False),
        description=dict(type='str'),
        persistent=dict(type='bool', default=False),
    )
    spec.update(verify_argument_spec())
    return spec


PROXY_DEPLOY = ModuleEntry('apinizer_proxy_deploy', ProxyDeploy, proxy_deploy_spec, supports_check_mode=True)
