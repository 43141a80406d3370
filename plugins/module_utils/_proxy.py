# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""The engine behind the four API proxy settings modules.

read the proxy -> compare the options the user set -> diff -> (check mode stops here)
-> one PATCH with only what differs -> optional deploy -> result.
A module subclasses ProxySettingsModule and declares its endpoint and field table.
"""

from __future__ import annotations

from ansible_collections.apinizer.apiops.plugins.module_utils._client import (
    ApinizerApiError,
    ApinizerClient,
    ApinizerError,
    api_path,
    connection_argument_spec,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._compare import (
    desired_fields,
    differing_fields,
    to_options,
)

# Where each settings section is read in the proxy object of
# GET /apiops/projects/{project}/apiProxies/{name}/ (design.md section 4). Apinizer
# documents these endpoints as PATCH only, so this table is the one place that knows
# where a server reports current values; the first place that has a field wins.
SECTION_LOCATIONS = {
    'metadata': ((),),
    'connection': (('routing',), ('routingInfo',), ('connectionSettings',)),
    'websocket': (('routing', 'websocketSettings'), ('routingInfo', 'websocketSettings'), ('websocketSettings',)),
    'maintenance': (('maintenanceModeSetting',),),
}

PROXY_TYPES = ('REST', 'SOAP', 'GRPC', 'WEBSOCKET')


def proxy_argument_spec(field_spec):
    """Connection options + project/api_proxy + deploy options + the module's own fields."""
    spec = connection_argument_spec()
    spec.update(
        project=dict(type='str', required=True, aliases=['project_name']),
        api_proxy=dict(type='str', required=True, aliases=['api_proxy_name']),
        deploy=dict(type='bool', default=False),
        deploy_environments=dict(type='list', elements='str'),
    )
    spec.update(field_spec)
    return spec


def proxy_module_options(*required_if):
    """AnsibleModule keyword arguments of a proxy settings module, plus its own required_if rules."""
    return dict(
        supports_check_mode=True,
        required_if=[('deploy', True, ('deploy_environments',))] + list(required_if),
    )


PROXY_MODULE_OPTIONS = proxy_module_options()


def single_result(body):
    """The object of a read: resultList[0] of either envelope, or a bare object."""
    if isinstance(body, dict) and 'resultList' in body:
        items = body.get('resultList') or []
        return items[0] if items else None
    return body or None


def proxy_type(proxy):
    value = proxy.get('type') or proxy.get('apiType')
    return value.upper() if isinstance(value, str) else None


def read_section(proxy, section, fields):
    """({field: current value}, [fields the server does not report]) for one section."""
    current = {}
    for field in fields:
        for place in SECTION_LOCATIONS[section]:
            container = proxy
            for key in place:
                container = container.get(key) if isinstance(container, dict) else None
            if isinstance(container, dict) and field in container:
                current[field] = container[field]
                break
    unknown = [field for field in fields if field not in current]
    return current, unknown


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


class ProxySettingsModule(object):
    """One API proxy settings section made to match the task."""

    section = None        # key of SECTION_LOCATIONS
    endpoint = None       # last path segment of .../settings/<endpoint>/
    title = None          # what the section is called in messages
    fields = {}           # option name -> API field name
    unordered_fields = ()  # API fields that are sets by meaning
    body_deploy = False   # the PATCH takes deploy + deployTargetEnvironmentNameList

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.project = self.params['project']
        self.proxy_name = self.params['api_proxy']
        self.client = None
        self.wrote = False  # anything written: settings saved or a deploy done, so changed stays honest on failure
        self.result = dict(changed=False, project=self.project, api_proxy=self.proxy_name, deployments=[])

    # Hooks a module may override -------------------------------------------------

    def validate_options(self):
        """Module-specific rules on the options; raise ApinizerError before any request."""

    def locate_proxy(self):
        proxy = self.read_proxy(self.proxy_name)
        if proxy is None:
            raise self.proxy_not_found()
        return proxy

    def check_proxy(self, proxy):
        """Refuse a proxy this section does not apply to; raise ApinizerError."""

    # Helpers for the hooks --------------------------------------------------------

    def proxy_not_found(self, detail=''):
        return ApinizerError("API proxy '%s' was not found in project '%s'.%s" % (
            self.proxy_name, self.project, (' ' + detail) if detail else ''))

    def require_proxy_type(self, proxy, expected, what):
        """Refuse, before any write, a proxy whose reported type is not ``expected``.

        A proxy whose type is not reported passes; the server then answers for itself.
        """
        kind = proxy_type(proxy)
        if kind is not None and kind != expected:
            raise ApinizerError(
                "API proxy '%s' in project '%s' is of type %s, but %s can only be set on %s API proxies. "
                "Nothing was changed." % (self.proxy_name, self.project, kind, what, expected))

    def build_body(self, changes, current):
        """The PATCH body for the differing fields."""
        return dict(changes)

    # Engine ----------------------------------------------------------------------

    def run(self):
        try:
            self.validate_options()
            self.client = ApinizerClient(self.module)
            self.apply()
        except ApinizerError as exc:
            self.result['changed'] = self.wrote
            self.module.fail_json(msg=exc.msg, **self.result)
        self.module.exit_json(**self.result)

    def read_proxy(self, name):
        path = api_path('projects', self.project, 'apiProxies', name)
        try:
            body = self.client.get(path)
        except ApinizerApiError as exc:
            if exc.is_not_found:
                return None
            raise
        return single_result(body)

    def apply(self):
        desired = desired_fields(self.params, self.fields)
        proxy = self.locate_proxy()
        self.proxy_name = proxy.get('name') or self.proxy_name
        self.result['api_proxy'] = self.proxy_name
        self.check_proxy(proxy)

        current, unknown = read_section(proxy, self.section, list(desired))
        unknown = set(unknown) | self._outside_choices(current)
        changes = differing_fields(desired, current, unknown, self.unordered_fields)
        not_reported = sorted(option for option, api in self.fields.items() if api in desired and api in unknown)
        if not_reported:
            self.module.warn(
                "Apinizer did not report %s of API proxy '%s' (project '%s'): they were sent without "
                "comparison, so idempotency cannot be verified for them." % (
                    ', '.join(not_reported), self.proxy_name, self.project))

        to_deploy = self.environments_to_deploy(proxy, bool(changes))
        self.result['changed'] = bool(changes or to_deploy)
        self.result['settings'] = to_options(desired, self.fields)
        if self.module._diff:
            known_before = dict((f, v) for f, v in current.items() if f not in unknown)
            self.result['diff'] = dict(before=to_options(known_before, self.fields),
                                       after=to_options(desired, self.fields))
        if self.module.check_mode:
            self.result['deployments'] = [dict(environment=env, success=None, message='Would deploy (check mode)')
                                          for env in to_deploy]
            return

        settings_path = api_path('projects', self.project, 'apiProxies', self.proxy_name, 'settings', self.endpoint)
        in_body = []
        if changes:
            body = self.build_body(changes, current)
            if self.body_deploy and to_deploy:
                body['deploy'] = True
                body['deployTargetEnvironmentNameList'] = list(to_deploy)
                in_body = to_deploy
            response = self.client.patch(settings_path, body)
            self.wrote = True
            self.proxy_name = changes.get('name', self.proxy_name)
            self.result['api_proxy'] = self.proxy_name
            if in_body:
                self.result['deployments'] = deployment_results(response.get('deploymentResult'), in_body)
        for env in to_deploy:
            if env not in in_body:
                self.result['deployments'].append(self.deploy(env))
        self.wrote = self.wrote or any(d['success'] for d in self.result['deployments'])
        self._fail_on_failed_deploys(bool(changes))

    def _outside_choices(self, current):
        """Fields whose current value is outside the option's choices cannot be compared (design 9.8)."""
        outside = set()
        for option, api in self.fields.items():
            choices = self.module.argument_spec.get(option, {}).get('choices')
            if choices and api in current and current[api] is not None and current[api] not in choices:
                outside.add(api)
        return outside

    def environments_to_deploy(self, proxy, changed):
        """The listed environments to deploy to: all after a change, else those not up to date."""
        if not self.params['deploy']:
            return []
        environments = []
        for env in self.params['deploy_environments'] or []:
            if env not in environments:
                environments.append(env)
        if not environments:
            raise ApinizerError('deploy_environments must name at least one environment when deploy is true.')
        reported = dict((d.get('environmentName'), d) for d in proxy.get('deploymentList') or []
                        if isinstance(d, dict))
        plan = []
        for env in environments:
            state = reported.get(env) or self.deploy_status(env)
            if changed or not state.get('deployed') or state.get('redeployRequired'):
                plan.append(env)
        return plan

    def deploy_status(self, env):
        path = api_path('projects', self.project, 'apiProxies', self.proxy_name, 'environments', env,
                        'deploy-status')
        try:
            return single_result(self.client.get(path)) or {}
        except ApinizerApiError as exc:
            if exc.status in (400, 404):
                raise ApinizerError(
                    "Cannot deploy API proxy '%s' to environment '%s' of project '%s': %s" % (
                        self.proxy_name, env, self.project, exc.api_message), api_message=exc.api_message)
            raise

    def deploy(self, env):
        path = api_path('projects', self.project, 'apiProxies', self.proxy_name, 'environments', env)
        try:
            response = self.client.post(path)
        except ApinizerApiError as exc:
            return dict(environment=env, success=False, message=exc.api_message)
        results = deployment_results(response.get('deploymentResult'), [env])
        return next((r for r in results if r['environment'] == env), results[0])

    def _fail_on_failed_deploys(self, saved):
        failed = [d for d in self.result['deployments'] if d['success'] is False]
        if not failed:
            return
        reasons = '; '.join("environment '%s': %s" % (d['environment'], d['message']) for d in failed)
        outcome = ('The %s themselves were saved.' % self.title) if saved else 'No settings were changed.'
        raise ApinizerError("Deploying API proxy '%s' (project '%s') failed for %s. %s Re-run the task to "
                            "retry the deploy." % (self.proxy_name, self.project, reasons, outcome))
