# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: apinizer
short_description: API proxies of Apinizer projects as inventory hosts
version_added: 1.0.0
author: apinizer.apiops contributors (@apinizer)
description:
  - Reads the API proxies of one or more Apinizer projects through the Management API
    (C(/apiops)) and makes each proxy an inventory host, so plays can target proxies the way
    Apinizer groups them (by project, type, category, and deploy state per environment).
  - Reads, per project, C(GET /apiops/projects/{project}/apiProxies/), the project's environments
    (C(GET /apiops/projects/{project}/environments/)) unless O(environments) lists them, and per
    proxy C(GET /apiops/projects/{project}/apiProxies/{proxy}/) when O(detail) is on. The deploy
    state of an environment that the proxy answer does not report is read with
    C(GET .../apiProxies/{proxy}/environments/{environment}/deploy-status/). Nothing is written.
  - The hosts are not machines. Tasks that target them run on the controller; see the notes.
  - Uses a YAML configuration file whose name ends with C(apinizer.yml) or C(apinizer.yaml).
extends_documentation_fragment:
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
options:
  plugin:
    description: Marks the file as a source for this plugin.
    required: true
    choices: [apinizer.apiops.apinizer]
    type: str
  url:
    description:
      - Base URL of the Apinizer management application, for example V(https://apinizer.example.com).
      - The plugin appends C(/apiops/...) itself; a trailing C(/apiops) is accepted and ignored.
      - One of this option and the E(APINIZER_URL) environment variable is required.
    type: str
    env:
      - name: APINIZER_URL
  token:
    description:
      - Personal API Access Token (Apinizer UI, My Profile, Personal API Access Tokens). A secret.
      - 'Sent as C(Authorization: Bearer <token>). It is never logged, never put in a host variable
        and never part of the cache key.'
      - Prefer the E(APINIZER_TOKEN) environment variable (an AWX credential injects it) or a
        vault-encrypted value over a token in clear in the configuration file.
      - One of this option and E(APINIZER_TOKEN) is required.
    type: str
    env:
      - name: APINIZER_TOKEN
  validate_certs:
    description:
      - If V(false), TLS certificates are not validated. Use this only for hosts you control that
        use self-signed certificates; prefer O(ca_path).
    type: bool
    default: true
    env:
      - name: APINIZER_VALIDATE_CERTS
  ca_path:
    description:
      - PEM file with the CA certificates that sign the Apinizer server certificate (a private CA).
    type: path
    env:
      - name: APINIZER_CA_PATH
  timeout:
    description:
      - Seconds to wait for each HTTP request to connect and to answer. Reads are retried up to
        three times, with backoff, after a timeout, a dropped connection or HTTP 429, 502, 503 or 504.
    type: int
    default: 30
    env:
      - name: APINIZER_TIMEOUT
  projects:
    description:
      - The Apinizer projects (C(projectName)) whose API proxies become hosts.
      - Required. Apinizer's Management API documents no endpoint that lists the projects a token
        can see, so the plugin cannot find them by itself.
    type: list
    elements: str
    required: true
  environments:
    description:
      - The environments to report the deploy state for, in every project.
      - If empty (the default), each project's own environments
        (C(GET /apiops/projects/{project}/environments/)).
      - An environment a project does not have makes the inventory fail with Apinizer's message.
    type: list
    elements: str
    default: []
  detail:
    description:
      - Read each proxy with C(GET /apiops/projects/{project}/apiProxies/{proxy}/) (one request per
        proxy). This gives the categories, the deploy state of every environment the answer lists,
        and the other host variables marked "with O(detail)".
      - If V(false), only the list answer is read, the deploy state comes from one C(deploy-status)
        request per proxy and environment, and the proxies have no categories (so no
        C(category_*) groups).
    type: bool
    default: true
  hostname:
    description:
      - Jinja2 template of each host's name, evaluated once per proxy.
      - The template sees the host variables without O(hostvar_prefix) (V(project), V(name),
        V(type), V(description), V(categories), V(relative_path), ...).
      - If not set, the host is named C(<project>/<proxy>), as the template C({{ project }}/{{ name }}) would name it.
      - Two proxies that get the same name make the inventory fail.
    type: str
  hostvar_prefix:
    description:
      - Prefix of every host variable the plugin sets, for example V(apinizer_name).
      - Variables set with O(compose) are not prefixed.
    type: str
    default: apinizer_
  default_groups:
    description:
      - Add the hosts to the groups C(project_<project>), C(type_<type>), C(category_<category>),
        C(deployed_<environment>) and C(redeploy_required_<environment>).
      - Group names are lower case, and every run of characters other than letters, digits and
        C(_) becomes one C(_) (project C(My Project/Team) gives C(project_my_project_team),
        category C(E-commerce) gives C(category_e_commerce)).
      - Use O(groups) and O(keyed_groups) for any other grouping.
    type: bool
    default: true
  workers:
    description:
      - How many requests the plugin sends at the same time while it reads the proxies (each
        worker has its own HTTP connection). V(1) reads one proxy after another.
    type: int
    default: 8
requirements:
  - requests
notes:
  - >-
    The hosts are API proxies, not machines: Ansible cannot connect to them. Run the tasks of a
    play that targets them on the controller with C(delegate_to: localhost) (Ansible then runs
    the module with the Python it runs itself, which has C(requests)), and set
    C(gather_facts: false). The plugin sets no connection variable. To have no C(delegate_to),
    set C(ansible_connection: "'local'") with O(compose) and give the play the variable
    C(ansible_python_interpreter: "{{ ansible_playbook_python }}"); otherwise Ansible looks for
    a Python of its own on the controller, which may lack C(requests).
  - >-
    Host variables (with the default O(hostvar_prefix)) are C(apinizer_project), C(apinizer_name),
    C(apinizer_type), C(apinizer_description), C(apinizer_relative_path), C(apinizer_soap_to_rest),
    C(apinizer_categories), C(apinizer_deployments) (C({environment: {deployed, redeploy_required}})),
    C(apinizer_deployed_environments) and C(apinizer_redeploy_required_environments); with
    O(detail), when the proxy answer reports them, also C(apinizer_sharing_type),
    C(apinizer_relative_paths), C(apinizer_client_hosts), C(apinizer_backend_addresses),
    C(apinizer_endpoints) and C(apinizer_maintenance_mode) (whether maintenance mode is on).
  - Strings read from Apinizer that contain C({) or C(}) are marked unsafe, so a description like
    C({{ lookup(...) }}) is never evaluated as a template.
  - With O(cache), the answers are kept under a key made from the configuration file's path,
    O(url), O(projects), O(environments) and O(detail); never from the token.
    C(ansible-playbook --flush-cache) (and C(ansible-inventory --flush-cache) from ansible-core 2.19)
    reads them again.
seealso:
  - module: apinizer.apiops.apinizer_maintenance_mode
  - ref: inventory_plugins
    description: How to use inventory plugins.
"""

EXAMPLES = r"""
# demo.apinizer.yml: the proxies of project Demo, connection from APINIZER_URL and APINIZER_TOKEN
plugin: apinizer.apiops.apinizer
projects:
  - Demo

# Another file, another configuration (each example below is a file of its own):
#
# ops.apinizer.yml: two projects, production only, hosts named after the proxy alone,
# a group of the proxies in maintenance, and caching for ten minutes
# plugin: apinizer.apiops.apinizer
# url: https://apinizer.example.com
# projects: [Payments, Orders]
# environments: [production]
# hostname: "{{ name }}"
# groups:
#   in_maintenance: apinizer_maintenance_mode | default(false)
# keyed_groups:
#   - key: apinizer_sharing_type | default('unknown')
#     prefix: sharing
# compose:
#   ansible_connection: "'local'"   # plays set ansible_python_interpreter: "{{ ansible_playbook_python }}"
# cache: true
# cache_plugin: ansible.builtin.jsonfile
# cache_connection: ~/.cache/apinizer-inventory
# cache_timeout: 600
#
# A play over every proxy that production must redeploy (ansible-playbook -i demo.apinizer.yml ...):
# - hosts: redeploy_required_production
#   gather_facts: false
#   tasks:
#     - name: Maintenance off, redeployed where it was deployed
#       apinizer.apiops.apinizer_maintenance_mode:
#         project: "{{ apinizer_project }}"
#         api_proxy: "{{ apinizer_name }}"
#         enabled: false
#         deploy: true
#         deploy_environments: "{{ apinizer_deployed_environments }}"
#       delegate_to: localhost
"""

import hashlib
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor

from ansible.errors import AnsibleParserError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.apinizer.apiops.plugins.module_utils._client import (
    ApinizerApiError,
    ApinizerClient,
    ApinizerError,
    api_path,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._deploy import Deployments, single_result

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core before 2.19 templates every string it is given
    def trust_as_template(value):
        return value

PLUGIN_NAME = 'apinizer.apiops.apinizer'
TEMPLATE_CHARACTERS = re.compile(r'[{}]')
# The prefixes of the default groups, in the order --graph lists them.
GROUP_KINDS = ('project_', 'type_', 'category_', 'deployed_', 'redeploy_required_')
CONNECTION_OPTIONS = ('url', 'token', 'validate_certs', 'ca_path', 'timeout')


def make_unsafe(value):
    """The value with every string that could hold a template ('{' or '}') marked unsafe.

    Only those: AWX has stored other strings that ansible-inventory wrote as unsafe wrongly
    (community.general#8212), and a string without braces is no template anyway.
    """
    if isinstance(value, dict):
        return dict((make_unsafe(key), make_unsafe(item)) for key, item in value.items())
    if isinstance(value, list):
        return [make_unsafe(item) for item in value]
    if isinstance(value, str) and TEMPLATE_CHARACTERS.search(value):
        return wrap_var(value)
    return value


def group_slug(name):
    """Lower case; every run of characters other than [a-z0-9_] becomes one '_'."""
    return re.sub(r'[^a-z0-9_]+', '_', to_native(name).lower()).strip('_')


def default_group_names(facts):
    """project_<p>, type_<t>, category_<c>..., deployed_<env>..., redeploy_required_<env>... of one proxy."""
    names = ['project_' + group_slug(facts['project'])]
    if facts.get('type'):
        names.append('type_' + group_slug(facts['type']))
    names.extend('category_' + group_slug(category) for category in facts['categories'])
    names.extend('deployed_' + group_slug(env) for env in facts['deployed_environments'])
    names.extend('redeploy_required_' + group_slug(env) for env in facts['redeploy_required_environments'])
    return [name for name in names if not name.endswith('_')]


def result_list(body):
    """The items of a list answer (either envelope), or a bare list."""
    if isinstance(body, dict):
        items = body.get('resultList')
    else:
        items = body
    return [item for item in items or [] if isinstance(item, dict)]


def _text_list(value):
    return [to_native(item) for item in value] if isinstance(value, list) else []


def proxy_facts(project, listed, detail):
    """The host variables of one proxy (without prefix) from its list entry and GET answer."""
    detail = detail or {}
    kind = detail.get('type') or detail.get('apiType') or listed.get('type') or listed.get('apiType')
    client_route = detail.get('clientRoute') if isinstance(detail.get('clientRoute'), dict) else {}
    relative_paths = _text_list(client_route.get('relativePathList'))
    relative_path = listed.get('relativePath') or (relative_paths[0] if relative_paths else None)
    description = detail.get('description') if 'description' in detail else listed.get('description')
    facts = dict(
        project=project,
        name=listed['name'],
        type=kind.upper() if isinstance(kind, str) else None,
        description=description,
        relative_path=relative_path,
        soap_to_rest=listed.get('soapToRest'),
        categories=_text_list(detail.get('categoryList', listed.get('categoryList'))),
    )
    if detail.get('sharingType') is not None:
        facts['sharing_type'] = detail['sharingType']
    if 'relativePathList' in client_route:
        facts['relative_paths'] = relative_paths
    if 'hostList' in client_route:
        facts['client_hosts'] = _text_list(client_route.get('hostList'))
    routing = detail.get('routing') if isinstance(detail.get('routing'), dict) else {}
    if isinstance(routing.get('routingAddressList'), list):
        facts['backend_addresses'] = [item.get('address') for item in routing['routingAddressList']
                                      if isinstance(item, dict) and item.get('address')]
    if isinstance(detail.get('endpointList'), list):
        facts['endpoints'] = [dict(method=item.get('httpMethod'), path=item.get('endpoint'), active=item.get('active'))
                              for item in detail['endpointList'] if isinstance(item, dict)]
    maintenance = detail.get('maintenanceModeSetting')
    if isinstance(maintenance, dict) and 'enabled' in maintenance:
        facts['maintenance_mode'] = bool(maintenance['enabled'])
    return facts


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = PLUGIN_NAME

    def __init__(self):
        super(InventoryModule, self).__init__()
        self._local = threading.local()
        self._connection = None

    def verify_file(self, path):
        """A readable file whose name ends with apinizer.yml or apinizer.yaml."""
        return super(InventoryModule, self).verify_file(path) and path.endswith(('apinizer.yml', 'apinizer.yaml'))

    # ---- options ---------------------------------------------------------------------------

    def _connection_params(self):
        params = {}
        for name in CONNECTION_OPTIONS:
            value = self.get_option(name)
            # A vault-encrypted value in the file reads as its clear text here.
            params[name] = to_native(value) if name in ('url', 'token', 'ca_path') and value is not None else value
        return params

    def _projects(self):
        projects = [to_native(p) for p in self.get_option('projects') or [] if p is not None and to_native(p).strip()]
        if not projects:
            raise AnsibleParserError('Option projects must list at least one Apinizer project: the Management API '
                                     'has no documented request that lists the projects a token can see.')
        return projects

    def get_cache_key(self, path):
        """The file's path, url, projects, environments and detail; never the token."""
        scope = json.dumps([to_native(path), self._connection.get('url'), self._projects(),
                            [to_native(e) for e in self.get_option('environments') or []],
                            bool(self.get_option('detail'))], sort_keys=True)
        return '%s_%s' % (PLUGIN_NAME, hashlib.sha256(scope.encode('utf-8')).hexdigest()[:16])

    # ---- reading ---------------------------------------------------------------------------

    def _client(self):
        """One client (HTTP session) per worker thread."""
        client = getattr(self._local, 'client', None)
        if client is None:
            client = self._local.client = ApinizerClient.from_params(self._connection)
        return client

    def _environments(self, project):
        chosen = [to_native(e) for e in self.get_option('environments') or []]
        if chosen:
            return chosen
        try:
            body = self._client().get(api_path('projects', project, 'environments'))
        except ApinizerApiError as exc:
            raise ApinizerError("Cannot read the environments of project '%s': %s" % (project, exc))
        return [to_native(env['name']) for env in result_list(body) if env.get('name')]

    def _read_proxy(self, project, listed, environments, detail):
        """The facts of one proxy, or None when it was deleted after the list was read."""
        name = listed['name']
        answer = None
        if detail:
            try:
                answer = single_result(self._client().get(api_path('projects', project, 'apiProxies', name)))
            except ApinizerApiError as exc:
                if exc.says_absent('ApiProxy', name):
                    return None
                raise
            if not isinstance(answer, dict):
                raise ApinizerError("Apinizer answered the read of API proxy '%s' (project '%s') with an unexpected "
                                    "body." % (name, project))
        reported = answer.get('deploymentList') if answer else None
        deployments = Deployments(self._client(), project, name, reported=reported if isinstance(reported, list) else None)
        facts = proxy_facts(project, listed, answer)
        facts['deployments'] = {}
        for env in environments:
            state = deployments.state(env)
            facts['deployments'][env] = dict(deployed=state['deployed'], redeploy_required=state['redeploy_required'])
        facts['deployed_environments'] = [env for env in environments if facts['deployments'][env]['deployed']]
        facts['redeploy_required_environments'] = [env for env in environments
                                                   if facts['deployments'][env]['redeploy_required']]
        return facts

    def _read_project(self, project, pool):
        try:
            listed = result_list(self._client().get(api_path('projects', project, 'apiProxies')))
        except ApinizerApiError as exc:
            raise ApinizerError("Cannot list the API proxies of project '%s': %s" % (project, exc))
        listed = [item for item in listed if item.get('name')]
        environments = self._environments(project)
        detail = self.get_option('detail')
        read = pool.map(lambda item: self._read_proxy(project, item, environments, detail), listed)
        proxies = []
        for item, facts in zip(listed, read):
            if facts is None:
                self.display.warning("API proxy '%s' of project '%s' was deleted while the inventory was read; "
                                     "it is left out." % (item['name'], project))
            else:
                proxies.append(facts)
        return dict(name=project, environments=environments, proxies=proxies)

    def fetch(self, projects):
        """What Apinizer reports about the projects: JSON-serialisable, as it is cached."""
        try:
            with ThreadPoolExecutor(max_workers=self.get_option('workers')) as pool:
                return dict(projects=[self._read_project(project, pool) for project in projects])
        except ApinizerError as exc:
            raise AnsibleParserError(to_native(exc))

    # ---- populating ------------------------------------------------------------------------

    def _hostname(self, facts):
        template = self.get_option('hostname')
        if not template:
            return '%s/%s' % (facts['project'], facts['name'])
        self.templar.available_variables = facts
        try:
            name = self.templar.template(trust_as_template(template))
        except Exception as exc:
            raise AnsibleParserError("Option hostname could not be evaluated for API proxy '%s' of project '%s': %s"
                                     % (facts['name'], facts['project'], to_native(exc)))
        name = to_native(name).strip() if name is not None else ''
        if not name:
            raise AnsibleParserError("Option hostname gives an empty name for API proxy '%s' of project '%s'."
                                     % (facts['name'], facts['project']))
        return name

    def _add_group(self, name, host):
        group = self.inventory.add_group(name)
        self.inventory.add_child(group, host)

    def populate(self, data):
        prefix = self.get_option('hostvar_prefix') or ''
        strict = self.get_option('strict')
        default_groups = self.get_option('default_groups')
        if default_groups:
            # Created up front, kind by kind and sorted, so that --graph lists them in that order.
            names = set()
            for project in data['projects']:
                for facts in project['proxies']:
                    names.update(default_group_names(facts))
            for name in sorted(names, key=lambda n: ([n.startswith(k) for k in GROUP_KINDS].index(True), n)):
                self.inventory.add_group(name)
        seen = {}
        for project in data['projects']:
            for facts in project['proxies']:
                host = self._hostname(facts)
                if host in seen:
                    raise AnsibleParserError("Option hostname gives '%s' for API proxy '%s' of project '%s' and for "
                                             "API proxy '%s' of project '%s'; make it unique (for example "
                                             "'{{ project }}/{{ name }}')." % (host, seen[host][1], seen[host][0],
                                                                               facts['name'], facts['project']))
                seen[host] = (facts['project'], facts['name'])
                host = make_unsafe(host)
                self.inventory.add_host(host)
                for key, value in facts.items():
                    self.inventory.set_variable(host, prefix + key, make_unsafe(value))
                if default_groups:
                    for name in default_group_names(facts):
                        self._add_group(name, host)
                hostvars = self.inventory.get_host(host).get_vars()
                self._set_composite_vars(self.get_option('compose'), hostvars, host, strict=strict)
                self._add_host_to_composed_groups(self.get_option('groups'), hostvars, host, strict=strict)
                self._add_host_to_keyed_groups(self.get_option('keyed_groups'), hostvars, host, strict=strict)

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache=cache)
        self._read_config_data(path)
        self._connection = self._connection_params()
        projects = self._projects()
        if self.get_option('workers') is None or self.get_option('workers') < 1:
            raise AnsibleParserError('Option workers must be 1 or more, got %s.' % self.get_option('workers'))

        cache_key = self.get_cache_key(path)
        user_cache_setting = self.get_option('cache')
        attempt_to_read_cache = user_cache_setting and cache
        cache_needs_update = user_cache_setting and not cache
        data = None
        if attempt_to_read_cache:
            try:
                data = self._cache[cache_key]
            except KeyError:
                cache_needs_update = True
        if data is None:
            data = self.fetch(projects)
        if cache_needs_update:
            self._cache[cache_key] = data
        self.populate(data)
