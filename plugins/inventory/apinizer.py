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
      - A user name or password in the URL, a query, a fragment, spaces and control characters are refused
        before any request. Redirects are never followed; a 3xx answer fails the inventory, naming the
        C(Location), so the token reaches only this URL.
      - One of this option and the E(APINIZER_URL) environment variable is required.
    type: str
    env:
      - name: APINIZER_URL
  token:
    description:
      - Personal API Access Token (Apinizer UI, My Profile, Personal API Access Tokens). A secret.
      - 'Sent as C(Authorization: Bearer <token>). It is never logged, never put in a host variable,
        never written to the cache and never part of the cache key; every message and warning of the
        plugin, what Apinizer answered included, has it masked.'
      - Surrounding whitespace (a trailing newline from a file or a vaulted value) is removed; a space or
        control character inside it is refused before any request. A C(~/.netrc) entry for the host never
        replaces it.
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
      - Seconds each HTTP request may take, from connecting to the last byte of the answer, however
        slowly the server sends it. A positive number; anything else is refused before any request.
      - A read is sent again (up to O(retries) more times, with backoff) after a timeout, a dropped
        connection or HTTP 502, 503 or 504, and after HTTP 429 (honouring C(Retry-After)).
    type: int
    default: 30
    env:
      - name: APINIZER_TIMEOUT
  total_timeout:
    description:
      - Seconds the whole inventory read may spend waiting on Apinizer, over all its requests, retries
        and waits between them, in every worker. When it runs out the inventory fails, saying how many
        attempts were made and how long they took.
    type: int
    default: 300
    env:
      - name: APINIZER_TOTAL_TIMEOUT
  retries:
    description:
      - How many times a request may be sent again (see O(timeout) for when). V(0) sends every request once.
    type: int
    default: 3
    env:
      - name: APINIZER_RETRIES
  warn_on_http:
    description:
      - Warn, once per inventory read, when O(url) uses C(http://), since the token then crosses the network
        unencrypted. Set to V(false) only for a lab (the bundled emulator, for example).
    type: bool
    default: true
    env:
      - name: APINIZER_WARN_ON_HTTP
  projects:
    description:
      - The Apinizer projects (C(projectName)) whose API proxies become hosts.
      - Required. Apinizer's Management API documents no endpoint that lists the projects a token
        can see, so the plugin cannot find them by itself.
      - An empty name, V(.) and V(..) are refused before any request.
      - A project that cannot be read (unknown, not visible to the token, a refused token, a server
        error, an answer the plugin cannot use) fails the inventory, unless O(on_project_error=skip).
    type: list
    elements: str
    required: true
  environments:
    description:
      - The environments to report the deploy state for, in every project.
      - If empty (the default), each project's own environments
        (C(GET /apiops/projects/{project}/environments/)).
      - An environment a project does not have makes the inventory fail with Apinizer's message.
      - An empty name, V(.) and V(..) are refused before any request.
    type: list
    elements: str
    default: []
  on_project_error:
    description:
      - What becomes of a project that cannot be read, because its proxy list, its environments, the
        read of one of its proxies or one deploy state failed (a refused token, HTTP 403, an unknown
        project, a server error, a timeout, an answer the plugin cannot use).
      - V(fail) fails the whole inventory with the message, naming the project. The hosts of the other
        projects are not added either.
      - V(skip) leaves that project out, with a warning that names it and says why, and keeps the others.
        The cache, if on, is then not updated, so that a partial read is never served from it later.
        When no project can be read at all, the inventory fails anyway.
      - Ansible itself only warns when an inventory source fails, and goes on without its hosts. To
        make the failure fail the command, set E(ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED) to V(true),
        or E(ANSIBLE_INVENTORY_UNPARSED_FAILED) to V(true) (which AWX sets for every inventory sync;
        it fails only when no inventory source could be parsed).
    type: str
    choices: [fail, skip]
    default: fail
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
        C(deployed_<environment>) and C(redeploy_required_<environment>) (with O(route_health), also
        C(route_inconsistent_<environment>) and C(orphan_<environment>)).
      - Group names are lower case, and every run of characters other than letters, digits and
        C(_) becomes one C(_) (project C(My Project/Team) gives C(project_my_project_team),
        category C(E-commerce) gives C(category_e_commerce)).
      - Use O(groups) and O(keyed_groups) for any other grouping.
    type: bool
    default: true
  route_health:
    description:
      - Also read what the gateway pods of each environment serve
        (C(GET .../apiProxies/{proxy}/environments/{environment}/route-health/), one request per proxy and
        environment), into the host variable C(apinizer_route_health) (a mapping of each environment to
        C({pods_responded, pods_active, route_active, inconsistent, orphan, problems, ...})), and, with
        O(default_groups), the groups
        C(route_inconsistent_<environment>) (the pods do not serve what the Manager's record says, or
        Apinizer reports it inconsistent) and C(orphan_<environment>) (not deployed in the Manager, but pods
        still serve it).
      - C(deployed) in the deploy state is the Manager's record only. Use these groups to find proxies a
        maintenance window must not trust, or orphan routes to clean up.
    type: bool
    default: false
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
    O(url), O(projects), O(environments) and O(detail); never from the token, and the token is never
    written to the cache. A cache file the plugin writes or reads is made readable by its owner only
    (mode C(0600)), and a cache directory the plugin creates is mode C(0700).
    C(ansible-playbook --flush-cache) (and C(ansible-inventory --flush-cache) from ansible-core 2.19)
    reads them again.
seealso:
  - module: apinizer.apiops.apinizer_maintenance_mode
  - ref: inventory_plugins
    description: How to use inventory plugins.
"""

EXAMPLES = r"""
---
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
# on_project_error: skip          # a project that cannot be read is left out, with a warning
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

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.apinizer.apiops.plugins.module_utils._client import (
    CONNECTION_OPTIONS,
    ApinizerApiError,
    ApinizerClient,
    ApinizerError,
    api_path,
    name_problem,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._deploy import Deployments, state_view
from ansible_collections.apinizer.apiops.plugins.module_utils._envelope import first_result, result_list
from ansible_collections.apinizer.apiops.plugins.module_utils._inventory import (
    GROUP_KINDS,
    UNUSABLE_ANSWER,
    chain_text,
    default_group_names,
    make_cache_file_private,
    private_umask,
    proxy_facts,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._scrub import Secrets
from ansible_collections.apinizer.apiops.plugins.module_utils._verify import route_view

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core before 2.19 templates every string it is given
    def trust_as_template(value):
        return value

PLUGIN_NAME = 'apinizer.apiops.apinizer'
TEMPLATE_CHARACTERS = re.compile(r'[{}]')


def make_unsafe(value):
    """The value with every string that could hold a template ('{' or '}') marked unsafe.

    Only those: AWX has stored other strings that ansible-inventory wrote as unsafe wrongly
    (community.general#8212), and a string without braces is no template anyway.
    """
    if isinstance(value, dict):
        return {make_unsafe(key): make_unsafe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [make_unsafe(item) for item in value]
    if isinstance(value, str) and TEMPLATE_CHARACTERS.search(value):
        return wrap_var(value)
    return value


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = PLUGIN_NAME

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self._reset()

    def _reset(self):
        """The state of one parse: its secrets, the warnings it gave, its clients and their deadline."""
        self._secrets = Secrets()
        self._warned = set()
        self._local = threading.local()
        self._deadline = None
        self._connection = None
        self._environment_names = []
        self._cache_key = None
        self._skipped = []

    def verify_file(self, path):
        """A readable file whose name ends with apinizer.yml or apinizer.yaml."""
        return super().verify_file(path) and path.endswith(('apinizer.yml', 'apinizer.yaml'))

    # ---- messages: each goes through the scrubber that knows the token and the URL's user info --

    def _warn(self, message):
        message = self._secrets.scrub(to_native(message))
        with self._lock:
            if message in self._warned:
                return
            self._warned.add(message)
        self.display.warning(message)

    def _failure(self, message):
        """The error to raise ``from None``: a cause or context would show its own text unscrubbed."""
        return AnsibleParserError(self._secrets.scrub(to_native(message)))

    # ---- options ---------------------------------------------------------------------------

    def _connection_params(self):
        params = {}
        for name in CONNECTION_OPTIONS:
            value = self.get_option(name)
            # A vault-encrypted value in the file reads as its clear text here.
            params[name] = to_native(value) if name in ('url', 'token', 'ca_path') and value is not None else value
        self._secrets.add(params['token'])
        return params

    def _names(self, option):
        """The entries of a list option of names, or AnsibleParserError (before any request) for one that is no name."""
        names = []
        for value in self.get_option(option) or []:
            name = to_native(value) if value is not None else ''
            if not name.strip():
                raise self._failure('Option %s has an empty entry. Nothing was sent.' % option)
            problem = name_problem('An entry of option %s' % option, name)
            if problem:
                raise self._failure('%s Nothing was sent.' % problem)
            names.append(name)
        return names

    def _projects(self):
        projects = self._names('projects')
        if not projects:
            raise self._failure('Option projects must list at least one Apinizer project: the Management API '
                                'has no documented request that lists the projects a token can see.')
        return projects

    def get_cache_key(self, path):
        """The file's path, url, projects, environments and detail; never the token."""
        scope = json.dumps([to_native(path), self._connection.get('url'), self._projects(), self._names('environments'),
                            bool(self.get_option('detail')), bool(self.get_option('route_health'))], sort_keys=True)
        return '%s_%s' % (PLUGIN_NAME, hashlib.sha256(scope.encode('utf-8')).hexdigest()[:16])

    # ---- reading ---------------------------------------------------------------------------

    def _client(self):
        """One client (HTTP session) per worker thread, all bound by one total_timeout."""
        client = getattr(self._local, 'client', None)
        if client is None:
            client = ApinizerClient.from_params(self._connection, secrets=self._secrets, warn=self._warn)
            with self._lock:
                if self._deadline is None:
                    self._deadline = client.deadline
            # Each client counts total_timeout from its creation; the inventory's read is one whole.
            client.deadline = self._deadline
            self._local.client = client
        return client

    def _environments(self, project):
        if self._environment_names:
            return self._environment_names
        path = api_path('projects', project, 'environments')
        try:
            items = result_list(self._client().get(path), path)
        except ApinizerError as exc:
            raise ApinizerError("Cannot read the environments of project '%s': %s" % (project, exc))
        names = [env['name'] for env in items if isinstance(env.get('name'), str) and env['name']]
        for name in names:
            problem = name_problem('An environment name', name)
            if problem:
                raise ApinizerError("Apinizer lists an environment of project '%s' that cannot be asked for by its "
                                    "name: %s" % (project, problem))
        return names

    def _read_proxy(self, project, listed, environments, detail):
        """The facts of one proxy, or None when it was deleted after the list was read."""
        name = listed['name']
        try:
            return self._proxy_state(project, listed, environments, detail)
        except ApinizerApiError as exc:
            raise ApinizerError("Cannot read API proxy '%s' of project '%s': %s" % (name, project, exc))
        except UNUSABLE_ANSWER as exc:
            raise ApinizerError("Cannot read API proxy '%s' of project '%s': Apinizer answered with a body of a shape "
                                "the plugin cannot use (%s: %s)." % (name, project, type(exc).__name__, exc))

    def _proxy_state(self, project, listed, environments, detail):
        name = listed['name']
        answer = None
        if detail:
            try:
                answer = first_result(self._client().get(api_path('projects', project, 'apiProxies', name)))
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
            facts['deployments'][env] = state_view(state)
        facts['deployed_environments'] = [env for env in environments if facts['deployments'][env]['deployed']]
        facts['redeploy_required_environments'] = [env for env in environments
                                                   if facts['deployments'][env]['redeploy_required']]
        if self.get_option('route_health'):
            facts['route_health'] = {env: self._route_health(project, name, env, answer, facts['deployments'][env])
                                     for env in environments}
            facts['route_inconsistent_environments'] = [env for env in environments
                                                        if facts['route_health'][env]['problems']]
            facts['orphan_environments'] = [env for env in environments if facts['route_health'][env]['orphan']]
        return facts

    def _route_health(self, project, name, env, answer, deployed):
        path = api_path('projects', project, 'apiProxies', name, 'environments', env, 'route-health')
        view = route_view(self._client().get(path), deployed['deployed'], answer)
        if view is None:
            raise ApinizerError("Apinizer answered the route-health read of API proxy '%s' (project '%s') in "
                                "environment '%s' without a route-health object." % (name, project, env))
        return view

    def _read_project(self, project, pool):
        path = api_path('projects', project, 'apiProxies')
        try:
            listed = result_list(self._client().get(path), path)
        except ApinizerError as exc:
            raise ApinizerError("Cannot list the API proxies of project '%s': %s" % (project, exc))
        listed = [item for item in listed if isinstance(item.get('name'), str) and item['name']]
        for item in listed:
            problem = name_problem('An API proxy name', item['name'])
            if problem:
                raise ApinizerError("Apinizer lists an API proxy of project '%s' that cannot be read by its name: %s"
                                    % (project, problem))
        environments = self._environments(project)
        detail = self.get_option('detail')
        futures = [pool.submit(self._read_proxy, project, item, environments, detail) for item in listed]
        try:
            read = [future.result() for future in futures]
        except BaseException:
            # The project has failed: its reads that have not started yet are not sent.
            for future in futures:
                future.cancel()
            raise
        proxies = []
        for item, facts in zip(listed, read):
            if facts is None:
                self._warn("API proxy '%s' of project '%s' was deleted while the inventory was read; it is left out."
                           % (item['name'], project))
            else:
                proxies.append(facts)
        return dict(name=project, environments=environments, proxies=proxies)

    def fetch(self, projects):
        """What Apinizer reports about the projects: JSON-serialisable, as it is cached.

        A project that cannot be read fails the inventory, or, with on_project_error=skip, is left
        out (named in self._skipped and in a warning) unless no project can be read at all.
        """
        read, failed = [], []
        pool = ThreadPoolExecutor(max_workers=self.get_option('workers'))
        try:
            for project in projects:
                try:
                    read.append(self._read_project(project, pool))
                except ApinizerError as exc:
                    if self.get_option('on_project_error') != 'skip':
                        raise self._failure(str(exc)) from None
                    failed.append((project, str(exc)))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if failed and not read:
            raise self._failure('No project could be read (on_project_error=skip leaves out only some): %s'
                                % ' '.join(message for dummy, message in failed))
        for project, message in failed:
            self._warn("Project '%s' is left out of the inventory (on_project_error=skip)%s: %s" % (
                project, '; the inventory cache is not updated' if self.get_option('cache') else '', message))
        self._skipped = [project for project, dummy in failed]
        return dict(projects=read)

    # ---- populating ------------------------------------------------------------------------

    def _hostname(self, facts):
        template = self.get_option('hostname')
        if not template:
            return '%s/%s' % (facts['project'], facts['name'])
        self.templar.available_variables = facts
        try:
            name = self.templar.template(trust_as_template(template))
        except Exception as exc:
            raise self._failure("Option hostname could not be evaluated for API proxy '%s' of project '%s': %s"
                                % (facts['name'], facts['project'], to_native(exc))) from None
        name = to_native(name).strip() if name is not None else ''
        if not name:
            raise self._failure("Option hostname gives an empty name for API proxy '%s' of project '%s'."
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
                    raise self._failure("Option hostname gives '%s' for API proxy '%s' of project '%s' and for "
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
        super().parse(inventory, loader, path, cache=cache)
        self._reset()
        try:
            self._parse(path, cache)
        except Exception as exc:
            text = chain_text(exc)
            if not isinstance(exc, AnsibleError) or self._secrets.scrub(text) != text:
                # Its message, cause or context (a traceback at -vvv shows them) would show a secret,
                # or it is no error of Ansible's and would show a traceback.
                raise self._failure(to_native(exc) if isinstance(exc, AnsibleError) else text) from None
            raise

    def _parse(self, path, cache):
        with private_umask():
            # The cache plugin is loaded here; a cache directory it creates is private.
            self._read_config_data(path)
        self._connection = self._connection_params()
        projects = self._projects()
        self._environment_names = self._names('environments')
        if self.get_option('workers') is None or self.get_option('workers') < 1:
            raise self._failure('Option workers must be 1 or more, got %s.' % self.get_option('workers'))
        try:
            # The options the client refuses (url, token, timeouts) fail here, before any request.
            self._client()
        except ApinizerError as exc:
            raise self._failure(str(exc)) from None

        cache_key = self._cache_key = self.get_cache_key(path)
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
        # A server can echo the token (in a description, say); no host variable and no cache holds it.
        data = self._secrets.scrub_data(data)
        if cache_needs_update and not self._skipped:
            self._cache[cache_key] = data
        self.populate(data)

    # ---- cache files: owner-only ----------------------------------------------------------

    def update_cache_if_changed(self):
        """Write the cache (ansible-core's inventory manager calls this after a parse), owner-only."""
        if not hasattr(getattr(self, '_cache', None), 'update_cache_if_changed'):
            return  # the cache is off
        with private_umask():
            super().update_cache_if_changed()
        self._make_cache_private()

    def set_cache_plugin(self):
        with private_umask():
            super().set_cache_plugin()
        self._make_cache_private()

    def _make_cache_private(self):
        backend = getattr(self._cache, '_plugin', None)
        file_name = getattr(backend, '_get_cache_file_name', None)
        if file_name is None or self._cache_key is None:
            return  # no cache file: the cache is off, or not kept in files
        # From ansible-core 2.19 the cache plugin is wrapped, and the wrapper adds a schema prefix to each key.
        stored_key = getattr(backend, '_get_key', lambda key: key)(self._cache_key)
        problem = make_cache_file_private(file_name(stored_key))
        if problem:
            self._warn(problem)
