# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""apinizer_proxy_info: the settings of API proxies in the option names of the modules that manage them.

Per proxy: GET the proxy, then, only when that answer lacks a field, the export package (once);
each section is looked up through _proxy_state's table and reported in the option names of
_proxy_sections' tables, so a section fed back to its module changes nothing. A field no source
reports is listed in ``unreported`` and left out of its section; nothing is guessed. Never writes.
"""

from __future__ import annotations

import fnmatch

from ansible_collections.apinizer.apiops.plugins.module_utils._client import api_path, connection_argument_spec
from ansible_collections.apinizer.apiops.plugins.module_utils._deploy import Deployments, state_view
from ansible_collections.apinizer.apiops.plugins.module_utils._envelope import result_items
from ansible_collections.apinizer.apiops.plugins.module_utils._engine import ApinizerModule, ModuleEntry, Plan
from ansible_collections.apinizer.apiops.plugins.module_utils._options import project_argument_spec
from ansible_collections.apinizer.apiops.plugins.module_utils._fields import Field, argument_spec, boolean, integer, text
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_sections import SECTIONS
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_rollback import history_records
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_state import PROXY_TYPES, ProxyState, proxy_type
from ansible_collections.apinizer.apiops.plugins.module_utils._verify import route_view

# The API field that names the proxy: it is the entry's name, not a setting of its section.
IDENTITY_FIELD = 'name'

EXPORT_REFUSED = 'Apinizer refused the export'
HISTORY_FIELDS = ('revision', 'environment', 'deploy', 'deploymentTime', 'username', 'description', 'persistent',
                  'backendApiVersion')


class InfoProxyState(ProxyState):
    """ProxyState that asks for the export only while ``allowed()`` says so."""

    def __init__(self, client, project, name, warn, allowed):
        super().__init__(client, project, name, warn)
        self.allowed = allowed

    def export(self):
        if not self._export_read and not self.allowed():
            self._export_read = True
        return super().export()

    def export_if_read(self):
        """The export's definition when this run already read it; never reads it."""
        return self._export if self._export_read and isinstance(self._export, dict) else None


class ProxyInfo(ApinizerModule):
    """Reads one API proxy or the API proxies of a project; answers the module result."""

    read_only = True
    name_options = ('project', 'api_proxy')
    fields = dict(
        name_pattern=Field(None, text(), not_blank=True),
        category=Field(None, text(), not_blank=True),
        type=Field(None, text(choices=list(PROXY_TYPES))),
        deploy_status=Field(None, dict(boolean(), default=False)),
        route_health=Field(None, dict(boolean(), default=False)),
        deploy_history=Field(None, dict(integer(), default=0), minimum=0),
    )
    project_of = 'the API proxies'

    def __init__(self, module, raw_params=None):
        super().__init__(module, raw_params)
        self.project = self.params['project']
        self.export_refused = False
        self.skipped_exports = 0
        self.environment_names = None
        self.result.update(project=self.project, proxies=[])

    def plan(self):
        try:
            for name, listed_type in self.candidates():
                entry = self.describe(name, listed_type)
                if entry is not None and self.matches(entry):
                    self.result['proxies'].append(entry)
        finally:
            self.note_skipped_exports()
        return Plan()

    def warn(self, message):
        if message.startswith(EXPORT_REFUSED):
            self.export_refused = True
        super().warn(message)

    def note_skipped_exports(self):
        if self.skipped_exports:
            self.warn('After that refusal the export was not asked for the other %d API prox%s; what their read does '
                      'not report is listed in unreported.' % (self.skipped_exports, 'y' if self.skipped_exports == 1
                                                               else 'ies'))

    # Which proxies -------------------------------------------------------------------

    def candidates(self):
        """[(name, type the project list reports or None)] of the proxies to read."""
        if self.params['api_proxy'] is not None:
            return [(self.params['api_proxy'], None)]
        listed = result_items(self.client.get(api_path('projects', self.project, 'apiProxies')))
        pattern, wanted = self.params['name_pattern'], self.params['type']
        found = []
        for item in listed:
            if not isinstance(item, dict) or not isinstance(item.get('name'), str):
                continue
            kind = proxy_type(item)
            if pattern is not None and not fnmatch.fnmatchcase(item['name'], pattern):
                continue
            if wanted is not None and kind is not None and kind != wanted:
                continue
            found.append((item['name'], kind))
        return found

    def may_match(self, proxy, kind):
        """False when the proxy read alone shows that the type or category filter excludes the proxy."""
        wanted, category = self.params['type'], self.params['category']
        if wanted is not None and kind is not None and kind != wanted:
            return False
        reported = proxy.get('categoryList')
        return category is None or not isinstance(reported, list) or category in reported

    def matches(self, entry):
        """The filters the project list cannot apply: type (when the list did not say) and category."""
        wanted, category = self.params['type'], self.params['category']
        if wanted is not None and entry['type'] != wanted:
            if entry['type'] is None:
                self.warn("Apinizer reports no type for API proxy '%s', so it does not match type %s." % (
                    entry['name'], wanted))
            return False
        if category is not None and category not in (entry['categories'] or []):
            if entry['categories'] is None:
                self.warn("Apinizer reports no categories for API proxy '%s', so it does not match category '%s'." % (
                    entry['name'], category))
            return False
        return True

    # One proxy -----------------------------------------------------------------------

    def describe(self, name, listed_type=None):
        """The entry of one API proxy, or None when it does not exist."""
        state = InfoProxyState(self.client, self.project, name, self.warn, self.export_allowed)
        if state.read() is None:
            return None
        kind = proxy_type(state.proxy) or listed_type
        if not self.may_match(state.proxy, kind):
            return None  # excluded by what the read already says: no export needed
        unreported, outside, sections = [], {}, {}
        for section in SECTIONS:
            if section.proxy_type and kind is not None and kind != section.proxy_type:
                continue
            values, missing, odd = self.section_values(state, section, kind)
            if section.proxy_type and kind is None and values is None:
                continue  # no type reported and no field of this type-specific section either
            sections[section.name] = values
            unreported.extend(missing)
            outside.update(odd)
        kind = kind or state.type
        if kind is None:
            unreported.insert(0, 'type')
        metadata = sections.get('metadata') or {}
        categories = metadata.get('categories') if 'categories' in metadata else None
        entry = dict(name=state.proxy.get('name') or name, type=kind, categories=categories,
                     deployments=self.deployments(state), unreported=unreported, outside_choices=outside)
        if self.params['deploy_history']:
            entry['deploy_history'] = self.deploy_history(state)
        entry.update(sections)
        return entry

    def export_allowed(self):
        """False once the token was refused an export: it is not asked again for every proxy."""
        if self.export_refused:
            self.skipped_exports += 1
            return False
        return True

    @staticmethod
    def section_values(state, section, kind):
        """(values in the module's option names or None when no field is reported, unreported paths, outside choices)."""
        options = sorted(option for option, api in section.api_names.items()
                         if api != IDENTITY_FIELD and (kind is None or section.fields[option].proxy_type in (None, kind)))
        current, missing = state.read_fields(section.location, [section.api_names[option] for option in options])
        values, unreported, outside = {}, [], {}
        for option in options:
            path = '%s.%s' % (section.name, option)
            api = section.api_names[option]
            if api in missing:
                unreported.append(path)
                continue
            value = current[api]
            if value is None:
                # Null is "not set": left out, so that default(omit) passes over it on every core
                # (2.16 to 2.18 template a null into a string), as apinizer_connection_info does.
                continue
            choices = section.choices(option)
            if choices and value is not None and value not in choices:
                # Reported, but in a form the module does not take: shown, never fed back
                # (docs/decisions.md#8-values-outside-the-documented-choices).
                outside[path] = value
                continue
            values[option] = value
        return (None if len(missing) == len(options) else values), unreported, outside

    def deployments(self, state):
        """[{environment, deployed, redeploy_required}] from the proxy read (or its export) or else deploy-status."""
        reported = state.proxy.get('deploymentList')
        if not isinstance(reported, list):
            reported = (state.export_if_read() or {}).get('deploymentList')
        if isinstance(reported, list):
            names = [item.get('environmentName') for item in reported
                     if isinstance(item, dict) and item.get('environmentName')]
        else:
            reported, names = None, self.project_environments()
        deployments = Deployments(self.client, self.project, state.name, reported)
        entries = []
        for env in names:
            current = deployments.state(env)
            if self.params['deploy_status'] and 'revision' not in current:
                current = dict(current, **deployments.read_status(env))
            entry = dict(environment=env, **state_view(current, detail=self.params['deploy_status']))
            if self.params['route_health']:
                entry['route'] = self.route_health(state, env, current)
            entries.append(entry)
        return entries

    def route_health(self, state, env, current):
        """What the gateway pods of one environment serve, judged against the Manager's record."""
        path = api_path('projects', self.project, 'apiProxies', state.name, 'environments', env, 'route-health')
        return route_view(self.client.get(path), current['deployed'], state.proxy)

    def deploy_history(self, state):
        """The newest records of the proxy's deploy history (deploy_history of them)."""
        body = self.client.get(api_path('projects', self.project, 'apiProxies', state.name, 'deploy-histories'))
        return [{key: item.get(key) for key in HISTORY_FIELDS}
                for item in history_records(body)[:self.params['deploy_history']]]

    def project_environments(self):
        """The environment names of the project (read once), for a proxy read that lists no deployments."""
        if self.environment_names is None:
            items = result_items(self.client.get(api_path('projects', self.project, 'environments')))
            self.environment_names = [item['name'] for item in items if isinstance(item, dict) and item.get('name')]
        return self.environment_names


def proxy_info_spec():
    spec = connection_argument_spec()
    spec.update(
        project=project_argument_spec(),
        api_proxy=dict(type='str', aliases=['api_proxy_name']),
    )
    spec.update(argument_spec(ProxyInfo.fields))
    return spec


PROXY_INFO = ModuleEntry('apinizer_proxy_info', ProxyInfo, proxy_info_spec, supports_check_mode=True,
                         mutually_exclusive=[('api_proxy', 'name_pattern')])
