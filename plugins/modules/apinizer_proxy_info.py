#!/usr/bin/python
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: apinizer_proxy_info
short_description: Read the settings and deploy state of Apinizer API proxies
version_added: 1.0.0
author: apinizer.apiops contributors (@apinizer)
description:
  - Returns one API proxy (O(api_proxy)) or every API proxy of a project, optionally filtered by
    name, category and type.
  - Per proxy, returns its type, categories and deploy state per environment, and each settings
    section the collection manages in the option names and shapes of the module that manages it,
    so a section can be fed back to that module unchanged (and then changes nothing).
  - Reads C(GET /apiops/projects/{project}/apiProxies/{api_proxy}/) and, only for a proxy whose read
    lacks some field, its export package C(GET .../export/) once. A field neither source reports
    is listed in RV(proxies[].unreported) and left out of its section; nothing is guessed.
  - Never writes.
extends_documentation_fragment:
  - apinizer.apiops.api
  - apinizer.apiops.project
  - apinizer.apiops.attributes
  - apinizer.apiops.attributes.actiongroup_apinizer
attributes:
  check_mode:
    support: full
    details: This module never changes anything; it runs the same in check mode.
  diff_mode:
    support: none
  idempotent:
    support: full
options:
  api_proxy:
    description:
      - Name of one API proxy to read (case-sensitive).
      - If that proxy does not exist, RV(proxies) is empty; the task does not fail.
      - If not set, every API proxy of the project (C(GET /apiops/projects/{project}/apiProxies/))
        that passes the filters is read.
    type: str
    aliases: [api_proxy_name]
  name_pattern:
    description:
      - Shell-style wildcard pattern (Python C(fnmatch), case-sensitive) the proxy name must match,
        for example V(orders-*) or V(*-api).
      - C(*) matches everything, C(?) one character, C([seq]) one character in seq.
      - Cannot be used together with O(api_proxy).
    type: str
  category:
    description:
      - Only API proxies that have this category (case-sensitive).
      - A proxy whose categories no source reports does not match; the task warns.
    type: str
  type:
    description:
      - Only API proxies of this type.
    type: str
    choices: [REST, SOAP, GRPC, WEBSOCKET]
  deploy_status:
    description:
      - Also read C(GET .../environments/{environment}/deploy-status/) of each environment for the revision and the
        time of its last deploy (one request per environment and proxy).
    type: bool
    default: false
  route_health:
    description:
      - Also read what the gateway pods of each environment serve
        (C(GET .../environments/{environment}/route-health/), one request per environment and proxy), into
        RV(proxies[].deployments[].route). C(deployed) in the deploy state is the Manager's record only.
    type: bool
    default: false
  deploy_history:
    description:
      - Also return this many of the newest records of the proxy's deploy history
        (C(GET .../deploy-histories/), one request per proxy), into RV(proxies[].deploy_history). V(0) reads none.
    type: int
    default: 0
notes:
  - >-
    Sections fed back: C(maintenance_mode) to M(apinizer.apiops.apinizer_maintenance_mode),
    C(metadata) to M(apinizer.apiops.apinizer_proxy_metadata), C(connection) to
    M(apinizer.apiops.apinizer_proxy_connection), C(websocket) to
    M(apinizer.apiops.apinizer_proxy_websocket), each together with O(project) and
    C(api_proxy=<name>).
  - >-
    A value Apinizer reports that is not one of the managing module's choices (for example a
    C(sharingType) of V(PROJECT), a value of Apinizer's read model) is left out of its section and
    shown in RV(proxies[].outside_choices).
seealso:
  - module: apinizer.apiops.apinizer_proxy_deploy
  - module: apinizer.apiops.apinizer_maintenance_mode
  - module: apinizer.apiops.apinizer_proxy_metadata
  - module: apinizer.apiops.apinizer_proxy_connection
  - module: apinizer.apiops.apinizer_proxy_websocket
"""

EXAMPLES = r"""
---
- name: Current settings of every proxy of the project
  apinizer.apiops.apinizer_proxy_info:
    url: https://apinizer.example.com
    token: "{{ apinizer_token }}"
    project: Demo
  delegate_to: localhost
  register: demo

- name: Names of the proxies in maintenance mode
  ansible.builtin.debug:
    msg: >-
      {{ demo.proxies | selectattr('maintenance_mode') | selectattr('maintenance_mode.enabled')
         | map(attribute='name') | list }}

- name: Before a maintenance window, keep the current maintenance settings of the e-commerce APIs
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/apinizer.apiops.apinizer:
      url: https://apinizer.example.com
      token: "{{ apinizer_token }}"
      project: Demo
  tasks:
    - name: Read the REST proxies named orders-* in category E-commerce
      apinizer.apiops.apinizer_proxy_info:
        name_pattern: orders-*
        category: E-commerce
        type: REST
      register: before_window

    - name: Afterwards, restore each one exactly as it was
      apinizer.apiops.apinizer_maintenance_mode:
        api_proxy: "{{ item.name }}"
        enabled: "{{ item.maintenance_mode.enabled | default(omit) }}"
        http_status_code: "{{ item.maintenance_mode.http_status_code | default(omit) }}"
        content_type: "{{ item.maintenance_mode.content_type | default(omit) }}"
        maintenance_message: "{{ item.maintenance_mode.maintenance_message | default(omit) }}"
      loop: "{{ before_window.proxies | selectattr('maintenance_mode') }}"
      loop_control:
        label: "{{ item.name }}"

- name: Deploy state of one proxy
  apinizer.apiops.apinizer_proxy_info:
    project: Demo
    api_proxy: orders-api
  delegate_to: localhost
  register: orders

- name: Environments where orders-api needs a redeploy
  ansible.builtin.debug:
    msg: "{{ orders.proxies[0].deployments | selectattr('redeploy_required') | map(attribute='environment') | list }}"
"""

RETURN = r"""
project:
  description: The project read.
  returned: always
  type: str
  sample: Demo
proxies:
  description:
    - One entry per API proxy read that passes the filters, in the order Apinizer lists them.
    - Empty when O(api_proxy) does not exist or nothing matches.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the API proxy.
      type: str
      sample: orders-api
    type:
      description: Type of the API proxy (C(REST), C(SOAP), C(GRPC), C(WEBSOCKET)); V(null) when no source reports it.
      type: str
      sample: REST
    categories:
      description: Category names (the same list as C(metadata.categories)); V(null) when no source reports them.
      type: list
      elements: str
      sample: [E-commerce]
    deployments:
      description:
        - Deploy state per environment, from the proxy read (C(deploymentList)) or else from
          C(GET .../environments/{environment}/deploy-status/) for each environment of the project.
      type: list
      elements: dict
      contains:
        environment:
          description: Environment name.
          type: str
          sample: production
        deployed:
          description: Whether the proxy is deployed there.
          type: bool
          sample: true
        redeploy_required:
          description: Whether its definition changed since the last deploy there.
          type: bool
          sample: false
        revision:
          description: The revision of the last deploy there (with O(deploy_status)); V(null) when never deployed.
          type: int
          sample: 12
        last_deploy_time:
          description: When that deploy was made (with O(deploy_status)).
          type: str
          sample: "2026-06-16T10:30:00Z"
        route:
          description:
            - What the gateway pods serve (with O(route_health)) C({pods_responded, pods_active, route_active,
              inconsistent, deployed_in_manager, served_path, methods, pods, orphan, problems}).
            - C(orphan) is V(true) when the proxy is not deployed in the Manager but pods still serve it; C(problems)
              lists what disagrees with the Manager's record and with the proxy's path and methods.
          type: dict
          sample: {"pods_responded": 2, "pods_active": 2, "route_active": true, "inconsistent": false,
                   "orphan": false, "problems": []}
    deploy_history:
      description:
        - The newest records of the deploy history (with O(deploy_history)), newest first, C({revision, environment,
          deploy, deploymentTime, username, description, persistent, backendApiVersion}); C(deploy) is V(false) for
          an undeploy.
      returned: when O(deploy_history) is more than 0
      type: list
      elements: dict
      sample: [{"revision": 12, "environment": "production", "deploy": true, "deploymentTime": "2026-04-16T10:30:00Z",
                "username": "admin", "description": "Deployed by APIOPS Api", "persistent": false}]
    maintenance_mode:
      description:
        - The options of M(apinizer.apiops.apinizer_maintenance_mode) (C(enabled), C(http_status_code),
          C(content_type), C(maintenance_message)) as Apinizer reports them.
        - Only reported options are present, and of those only the ones with a value (a field Apinizer
          reports as V(null) is not set and left out); V(null) when none is reported.
      type: dict
      sample: {"enabled": false, "http_status_code": 403, "content_type": "application/json; charset=utf-8",
               "maintenance_message": "API is under maintenance"}
    metadata:
      description:
        - The options of M(apinizer.apiops.apinizer_proxy_metadata) as Apinizer reports them, except
          the rename option (the proxy's name is RV(proxies[].name)).
        - C(fix_soap_api_port_type) is present only for SOAP proxies, the only ones it may be set on.
        - Only reported options are present, and of those only the ones with a value (a field Apinizer
          reports as V(null) is not set and left out); V(null) when none is reported.
      type: dict
      sample: {"description": "Orders API", "categories": ["E-commerce"], "sharing_type": "BOTH",
               "request_body_read_behavior": "ALWAYS_READ"}
    connection:
      description:
        - The options of M(apinizer.apiops.apinizer_proxy_connection) as Apinizer reports them.
        - Only reported options are present, and of those only the ones with a value (a field Apinizer
          reports as V(null) is not set and left out); V(null) when none is reported.
      type: dict
      sample: {"connect_timeout": 30, "read_timeout": 60, "connection_pool_management_type": "GENERAL"}
    websocket:
      description:
        - The options of M(apinizer.apiops.apinizer_proxy_websocket) as Apinizer reports them
          (without C(request_format), which is not a setting).
        - Only reported options are present, and of those only the ones with a value (a field Apinizer
          reports as V(null) is not set and left out); V(null) when none is reported.
      returned: for WEBSOCKET API proxies
      type: dict
      sample: {"connection_lost_timeout": 60, "auto_reconnect": false}
    unreported:
      description:
        - The fields no source reports, as C(<section>.<option>) (and C(type) when no source reports the
          type). They are left out of their sections, so feeding a section back leaves them as they are.
      type: list
      elements: str
      sample: [maintenance_mode.enabled, maintenance_mode.http_status_code]
    outside_choices:
      description:
        - Fields Apinizer reports with a value that is not among the managing module's choices, as
          C(<section>.<option>) with that value. They are left out of their sections.
      type: dict
      sample: {"metadata.sharing_type": "PROJECT"}
api_error:
  description: The failed API request and Apinizer's answer, when the task failed on one.
  returned: failure
  type: dict
  sample: {"method": "GET", "path": "/apiops/projects/Demo/apiProxies/", "status": 400,
           "message": "Project (Demo) is not found or user does not have privilege to access it!"}
"""

from ansible_collections.apinizer.apiops.plugins.module_utils._engine import run_module
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_info import PROXY_INFO


def main():
    run_module(PROXY_INFO)


if __name__ == '__main__':  # pragma: no cover
    main()
