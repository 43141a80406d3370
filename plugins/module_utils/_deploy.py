# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""Deploying API proxies: where they are deployed, what to (re)deploy, and what Apinizer answered.

Used by the settings modules (redeploy after a change, docs/decisions.md#6-deploy) and by
apinizer_proxy_deploy (first deploys and undeploys).
"""

from __future__ import annotations

from ansible_collections.apinizer.apiops.plugins.module_utils._client import ApinizerApiError, ApinizerError, api_path
from ansible_collections.apinizer.apiops.plugins.module_utils._envelope import first_result
from ansible_collections.apinizer.apiops.plugins.module_utils._engine import DEPLOY, UNDEPLOY, ApiRequest, ApinizerModule, answer_note
from ansible_collections.apinizer.apiops.plugins.module_utils._options import unique
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_state import ProxyState


def deployment_results(result, environments):
    """[{environment, success, message}] from any of the three deploymentResult shapes."""
    if not isinstance(result, dict):
        return [dict(environment=env, success=True, message='Deploy requested; Apinizer returned no result')
                for env in environments]
    entries = result.get('deploymentResults')
    if isinstance(entries, list) and entries:
        return [dict(environment=e.get('environmentName'), success=e.get('success') is not False,
                     message=e.get('message') or '') for e in entries]
    details = result.get('detailList')
    if isinstance(details, list) and details:
        return [dict(environment=e.get('envName'), success=e.get('success') is not False,
                     message=e.get('detail') or '') for e in details]
    if result.get('envName'):
        return [dict(environment=result['envName'], success=result.get('success') is not False,
                     message=result.get('detail') or '')]
    success = result.get('success') is not False
    return [dict(environment=env, success=success, message='' if success else 'Deployment failed')
            for env in environments]


class ProxyEnvironmentsModule(ApinizerModule):
    """A module of one API proxy and a list of environments (apinizer_proxy_deploy, apinizer_proxy_rollback)."""

    name_options = ('project', 'api_proxy', 'environments')
    project_of = 'the API proxy'

    def __init__(self, module, raw_params=None):
        super().__init__(module, raw_params)
        self.project = self.params['project']
        self.proxy_name = self.params['api_proxy']
        self.environments = unique(self.params['environments'])
        self.proxy = None
        self.refusals = Refusals()
        self.result.update(project=self.project, api_proxy=self.proxy_name, deployments=[], verification=[])

    def read_proxy(self):
        """The ProxyState of the API proxy the task names, read (``self.proxy``); ApinizerError when there is none."""
        state = ProxyState(self.client, self.project, self.proxy_name, self.warn)
        self.proxy = state.read()
        if self.proxy is None:
            raise ApinizerError("API proxy '%s' was not found in project '%s'. Nothing was changed." % (
                self.proxy_name, self.project))
        return state


class Deployments:
    """The deploy state of one API proxy per environment, read as cheaply as Apinizer allows.

    The GET proxy answer's deploymentList serves every environment it lists; any other
    environment is asked with GET .../environments/{env}/deploy-status/ (an unknown
    environment fails there, before anything is written).
    """

    def __init__(self, client, project, proxy_name, reported=None):
        self.client = client
        self.project = project
        self.proxy_name = proxy_name
        self.states = {d.get('environmentName'): dict(deployed=bool(d.get('deployed')),
                                                      redeploy_required=bool(d.get('redeployRequired')))
                       for d in reported or [] if isinstance(d, dict) and d.get('environmentName')}

    def state(self, env):
        if env not in self.states:
            self.states[env] = self.read_status(env)
        return self.states[env]

    def read_status(self, env):
        path = api_path('projects', self.project, 'apiProxies', self.proxy_name, 'environments', env, 'deploy-status')
        try:
            status = first_result(self.client.get(path)) or {}
        except ApinizerApiError as exc:
            if exc.status in (400, 404):
                raise ApinizerError("Cannot read the deploy state of API proxy '%s' in environment '%s' of project "
                                    "'%s': %s" % (self.proxy_name, env, self.project, exc.api_message),
                                    api_error=exc.api_error)
            raise
        # revision (None when not reported) tells a redeploy of an up-to-date proxy from no deploy at all.
        return dict(deployed=bool(status.get('deployed')), redeploy_required=bool(status.get('redeployRequired')),
                    revision=status.get('revision'), last_deploy_time=status.get('lastDeployTime'))

    def redeploy_plan(self, environments, changed):
        """(environments to redeploy, environments left alone because the proxy is not deployed there)."""
        targets, not_deployed = [], []
        for env in unique(environments):
            state = self.state(env)
            if not state['deployed']:
                not_deployed.append(env)
            elif changed or state['redeploy_required']:
                targets.append(env)
        return targets, not_deployed

    def path(self, env):
        return api_path('projects', self.project, 'apiProxies', self.proxy_name, 'environments', env)

    # One environment's refused deploy must not keep the others from theirs: keep_going.
    def deploy_request(self, env, description=None, persistent=False):
        return ApiRequest('POST', self.path(env), body=deploy_body(description, persistent), does=(DEPLOY,),
                          proxy=self.proxy_name, environments=(env,), keep_going=True)

    def undeploy_request(self, env, description=None, persistent=False):
        return ApiRequest('DELETE', self.path(env), body=deploy_body(description, persistent), does=(UNDEPLOY,),
                          proxy=self.proxy_name, environments=(env,), keep_going=True)


def deploy_body(description, persistent):
    """The optional body of a deploy or undeploy: sent only when it says something (older releases take none)."""
    body = {}
    if description:
        body['description'] = description
    if persistent:
        body['persistent'] = True
    return body or None


def state_view(state, detail=False):
    """What results show of one environment's deploy state: deployed, redeploy_required (with ``detail``, also the
    revision and last deploy time, where deploy-status was read)."""
    view = dict(deployed=state['deployed'], redeploy_required=state['redeploy_required'])
    for key in ('revision', 'last_deploy_time') if detail else ():
        if key in state:
            view[key] = state[key]
    return view


def left_alone(environments):
    return [dict(environment=env, success=None, skipped=True,
                 message='Not deployed in this environment, so it was left alone; '
                         'use apinizer.apiops.apinizer_proxy_deploy to deploy it there.')
            for env in environments]


def would_deploy(environments, what='Would deploy (check mode)'):
    return [dict(environment=env, success=None, skipped=False, message=what) for env in environments]


def deploy_outcome(request, response):
    """The deployments entry of an executed deploy or undeploy request."""
    env = request.environment
    if request.confirmed:
        return dict(environment=env, success=True, skipped=False,
                    message='%s; the deploy state read back confirms it took effect' % answer_note(request))
    results = deployment_results(response.get('deploymentResult') if isinstance(response, dict) else None, [env])
    entry = next((r for r in results if r['environment'] == env), results[0])
    return dict(entry, skipped=False)


class Refusals:
    """Deploys Apinizer refused, per environment: the task's message names each request and status."""

    def __init__(self):
        self.errors = {}

    def add(self, request, exc):
        self.errors.setdefault(request.environment, exc)
        return dict(environment=request.environment, success=False, skipped=False, message=exc.api_message)

    def reason(self, entry):
        exc = self.errors.get(entry['environment'])
        return exc.msg if exc is not None else entry['message']

    @property
    def api_error(self):
        return next(iter(self.errors.values())).api_error if self.errors else None


def raise_on_failed(deployments, what, saved, refusals=None):
    """Fail the task when a deploy failed, naming each environment and Apinizer's reason."""
    failed = [d for d in deployments if d['success'] is False]
    if not failed:
        return
    refusals = refusals or Refusals()
    reasons = '; '.join("environment '%s': %s" % (d['environment'], refusals.reason(d)) for d in failed)
    outcome = ('The %s themselves were saved.' % saved) if saved else 'No settings were changed.'
    raise ApinizerError('Deploying %s failed for %s. %s Re-run the task to retry the deploy.' % (what, reasons, outcome),
                        api_error=refusals.api_error)
