# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""The four API proxy settings modules, as one class on the plan-then-execute engine.

read the proxy (GET, and the export package for what GET does not report) -> compare the
options the user set -> plan one PATCH with only what differs, plus the redeploys -> check
mode stops -> execute -> result. A module subclasses ProxySettingsModule and declares its
endpoint and field table.
"""

from __future__ import annotations

from ansible_collections.apinizer.apiops.plugins.module_utils._client import (
    ApinizerError,
    api_path,
    connection_argument_spec,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._compare import (
    desired_fields,
    differing_fields,
    to_options,
    values_equal,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._deploy import (
    Deployments,
    deploy_outcome,
    deployment_results,
    left_alone,
    Refusals,
    raise_on_failed,
    would_deploy,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._engine import (
    APPLIED,
    DEPLOY,
    NOT_APPLIED,
    RENAME,
    WRITE,
    ApiRequest,
    ApinizerModule,
    ModuleEntry,
    Plan,
    answer_note,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._options import project_argument_spec
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_state import ProxyState
from ansible_collections.apinizer.apiops.plugins.module_utils._verify import raise_unverified, verify_argument_spec


def proxy_argument_spec(field_spec):
    """Connection options + project/api_proxy + deploy options + the module's own fields."""
    spec = connection_argument_spec()
    spec.update(
        project=project_argument_spec(),
        api_proxy=dict(type='str', required=True, aliases=['api_proxy_name']),
        deploy=dict(type='bool', default=False),
        deploy_environments=dict(type='list', elements='str'),
        deploy_fail_on_skipped=dict(type='bool', default=False),
    )
    spec.update(verify_argument_spec())
    spec.update(field_spec)
    return spec


def proxy_module_options(*required_if):
    """AnsibleModule keyword arguments of a proxy settings module, plus its own required_if rules."""
    return dict(
        supports_check_mode=True,
        required_if=[('deploy', True, ('deploy_environments',))] + list(required_if),
    )


PROXY_MODULE_OPTIONS = proxy_module_options()


def proxy_module_entry(engine, *required_if):
    """The ModuleEntry of a settings module: its argument spec read from the section it manages."""
    return ModuleEntry(engine.section.module, engine, lambda: proxy_argument_spec(engine.section.argument_spec()),
                       **proxy_module_options(*required_if))


class ProxySettingsModule(ApinizerModule):
    """One API proxy settings section made to match the task."""

    section = None        # the _proxy_sections.Section the module manages
    endpoint = None       # last path segment of .../settings/<endpoint>/
    title = None          # what the section is called in messages
    body_deploy = False   # the PATCH takes deploy + deployTargetEnvironmentNameList
    name_options = ('project', 'api_proxy', 'deploy_environments')
    project_of = 'the API proxy'

    def __init__(self, module, raw_params=None):
        super().__init__(module, raw_params)
        self.project = self.params['project']
        self.proxy_name = self.params['api_proxy']
        self.proxy_state = None
        self.desired = {}
        self.refusals = Refusals()
        self.result.update(project=self.project, api_proxy=self.proxy_name, deployments=[], verification=[])

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.section is not None:
            cls.fields = cls.section.fields  # the engine's range and blank checks read the section's fields

    def option_problems(self):
        problems = super().option_problems()
        if self.params['deploy'] and not self.params['deploy_environments']:
            problems.append('deploy_environments must name at least one environment when deploy is true.')
        return problems

    # Hooks a module may override -------------------------------------------------

    def locate_proxy(self):
        """Read the proxy the task names; raise ApinizerError when it does not exist."""
        if self.read_proxy(self.proxy_name) is None:
            raise self.proxy_not_found()

    def check_proxy(self):
        """Refuse, before any write, a proxy the section or a setting the task gives does not exist for."""
        if self.section.proxy_type:
            self.require_proxy_type(self.section.proxy_type, self.title)
        for option, field in sorted(self.section.fields.items()):
            if field.proxy_type and self.params.get(option) is not None:
                self.require_proxy_type(field.proxy_type, option)

    def build_body(self, changes):
        """The PATCH body for the differing fields."""
        return dict(changes)

    # Helpers for the hooks --------------------------------------------------------

    def read_proxy(self, name):
        self.proxy_state = ProxyState(self.client, self.project, name, self.warn)
        return self.proxy_state.read()

    def proxy_exists(self, name):
        """Whether a proxy of that name exists, without changing the one the task manages."""
        return ProxyState(self.client, self.project, name, self.warn).read() is not None

    def proxy_not_found(self, detail=''):
        return ApinizerError("API proxy '%s' was not found in project '%s'.%s Nothing was changed." % (
            self.proxy_name, self.project, (' ' + detail) if detail else ''))

    def require_proxy_type(self, expected, what):
        """Refuse, before any write, a proxy whose reported type is not ``expected``.

        A proxy whose type no source reports passes; the server then answers for itself.
        """
        kind = self.proxy_state.type
        if kind is not None and kind != expected:
            raise ApinizerError(
                "API proxy '%s' in project '%s' is of type %s, but %s can only be set on %s API proxies. "
                "Nothing was changed." % (self.proxy_name, self.project, kind, what, expected))

    # Plan ------------------------------------------------------------------------

    def plan(self):
        self.desired = desired_fields(self.params, self.section.api_names)
        self.locate_proxy()
        self.proxy_name = self.proxy_state.name
        self.result['api_proxy'] = self.proxy_name
        self.check_proxy()

        current, unreported = self.proxy_state.read_fields(self.section.location, list(self.desired))
        outside = self._outside_choices(current)
        unknown = set(unreported) | outside
        changes = differing_fields(self.desired, current, unknown, self.section.unordered)
        self.warn_uncompared(unreported, outside, current)
        known = {field: value for field, value in current.items() if field not in unknown}

        final_name = changes.get('name', self.proxy_name)
        requests = []
        targets = self.plan_deploys(bool(changes))
        in_body = targets if changes and self.body_deploy else []
        if changes:
            body = self.build_body(changes)
            does = [WRITE] + ([RENAME] if final_name != self.proxy_name else [])
            if in_body:
                body.update(deploy=True, deployTargetEnvironmentNameList=list(in_body))
                does.append(DEPLOY)
            requests.append(ApiRequest('PATCH', self.settings_path(self.proxy_name), body, does, proxy=final_name,
                                       environments=in_body))
        # Sent after the PATCH: a renamed proxy is deployed by its new name.
        renamed = Deployments(self.client, self.project, final_name)
        requests.extend(renamed.deploy_request(env) for env in targets if env not in in_body)
        if self.module.check_mode:
            self.result['deployments'].extend(would_deploy(targets))
        # Unchanged fields keep the server's form (its order of a set, say): after is what it will hold.
        return Plan(requests, before=to_options(known, self.section.api_names),
                    after=to_options(dict(known, **changes), self.section.api_names))

    def plan_deploys(self, changed):
        """The listed environments to redeploy; the ones where the proxy is not deployed are reported, not deployed."""
        if not self.params['deploy']:
            return []
        deployments = Deployments(self.client, self.project, self.proxy_name,
                                  (self.proxy_state.proxy or {}).get('deploymentList'))
        targets, not_deployed = deployments.redeploy_plan(self.params['deploy_environments'], changed)
        self.result['deployments'].extend(left_alone(not_deployed))
        if not_deployed:
            self.skipped_deploys(not_deployed)
        return targets

    def skipped_deploys(self, environments):
        """A listed environment where the proxy is not deployed: said aloud, and fatal when the task asks."""
        where = ', '.join("'%s'" % env for env in environments)
        text = ("API proxy '%s' (project '%s') is not deployed in environment%s %s, so deploy left %s alone: a settings "
                "module redeploys only where the proxy is deployed (apinizer.apiops.apinizer_proxy_deploy deploys it "
                "there)." % (self.proxy_name, self.project, 's' if len(environments) > 1 else '', where,
                             'them' if len(environments) > 1 else 'it'))
        if self.params['deploy_fail_on_skipped']:
            raise ApinizerError('%s Nothing was changed (deploy_fail_on_skipped is true).' % text)
        self.warn('%s Set deploy_fail_on_skipped to true to fail the task instead.' % text)

    def settings_path(self, name):
        return api_path('projects', self.project, 'apiProxies', name, 'settings', self.endpoint)

    def warn_uncompared(self, unreported, outside, current):
        options = {api: option for option, api in self.section.api_names.items()}
        if unreported:
            names = sorted(options[api] for api in unreported)
            self.warn(
                "Apinizer reported neither in the API proxy nor in its export package %s of API proxy '%s' (project "
                "'%s'): %s sent without comparison, so idempotency cannot be verified for %s." % (
                    ', '.join(names), self.proxy_name, self.project,
                    'it is' if len(names) == 1 else 'they are', 'it' if len(names) == 1 else 'them'))
        for api in sorted(outside):
            self.warn(
                "Apinizer reports a value outside the option's choices (%r) for %s of API proxy '%s' (project '%s'): "
                "it is sent without comparison, so idempotency cannot be verified for it." % (
                    current[api], options[api], self.proxy_name, self.project))

    def _outside_choices(self, current):
        """Fields whose current value is outside the option's choices cannot be compared
        (docs/decisions.md#8-values-outside-the-documented-choices)."""
        outside = set()
        for option, api in self.section.api_names.items():
            choices = self.section.choices(option)
            if choices and api in current and current[api] is not None and current[api] not in choices:
                outside.add(api)
        return outside

    # Execute ---------------------------------------------------------------------

    def handle_response(self, request, response):
        if request.method == 'PATCH':
            self.proxy_name = request.proxy
            self.result['api_proxy'] = self.proxy_name
            if request.environments:
                if request.confirmed:
                    self.result['deployments'].extend(request.read_back)
                else:
                    results = deployment_results((response or {}).get('deploymentResult'), request.environments)
                    self.result['deployments'].extend(dict(entry, skipped=False) for entry in results)
        else:
            self.result['deployments'].append(deploy_outcome(request, response))

    def refused(self, request, exc):
        self.result['deployments'].append(self.refusals.add(request, exc))

    def confirm(self, request):
        """Read the proxy back after a lost answer: did the settings (and their deploys) take effect?"""
        if request.method != 'PATCH':
            state = Deployments(self.client, self.project, request.proxy).read_status(request.environment)
            return APPLIED if state['deployed'] and not state['redeploy_required'] else NOT_APPLIED
        final_name = request.proxy
        if self.read_proxy(final_name) is None:
            return NOT_APPLIED
        current, unknown = self.proxy_state.read_fields(self.section.location, list(self.desired))
        if unknown:
            return None
        if not all(values_equal(value, current.get(field), field in self.section.unordered)
                   for field, value in self.desired.items()):
            return NOT_APPLIED
        reread = Deployments(self.client, self.project, final_name, self.proxy_state.proxy.get('deploymentList'))
        request.read_back = []
        for env in request.environments:
            state = reread.state(env)
            done = state['deployed'] and not state['redeploy_required']
            request.read_back.append(dict(
                environment=env, success=done, skipped=False,
                message='%s; the deploy state read back confirms it took effect' % answer_note(request) if done
                else '%s; the settings were saved but the deploy state read back shows no deploy' % answer_note(request)))
        return APPLIED

    def finish(self):
        saved = any(request.method == 'PATCH' for request in self.done)
        what = "API proxy '%s' (project '%s')" % (self.proxy_name, self.project)
        deployed = [entry['environment'] for entry in self.result['deployments'] if entry['success']]
        entries = self.verify_deploys(self.proxy_name, self.proxy_state.proxy if self.proxy_state else None, deployed)
        raise_on_failed(self.result['deployments'], what, self.title if saved else None, self.refusals)
        raise_unverified(entries, 'Deploying %s' % what, 'The %s themselves were saved and the Manager reports them '
                                                         'deployed.' % self.title if saved else
                         'The Manager reports the deploy done.')
