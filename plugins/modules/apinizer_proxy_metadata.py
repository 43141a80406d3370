#!/usr/bin/python
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: apinizer_proxy_metadata
short_description: Manage the metadata of an Apinizer API proxy, including its name
version_added: 1.0.0
author: apinizer.apiops contributors (@apinizer)
description:
  - Makes the metadata of an API proxy (name, description, categories, sharing, body read
    behaviour, contract direction and related flags) match the task, through
    C(PATCH /apiops/projects/{project}/apiProxies/{api_proxy}/settings/metadata/).
  - Reads the proxy first and sends only the fields that differ; a run with nothing to change
    sends no write.
  - O(new_name) renames the proxy. The rename is idempotent, see O(new_name).
  - Options you do not set are left as they are on the server; this module never sends a
    default on its own.
  - Gateways see a change only after a (re)deploy; use O(deploy) and O(deploy_environments).
    After a change the deploy travels in the same request as the settings.
extends_documentation_fragment:
  - apinizer.apiops.api
  - apinizer.apiops.project
  - apinizer.apiops.project.api_proxy
  - apinizer.apiops.deploy
  - apinizer.apiops.verify
  - apinizer.apiops.attributes
  - apinizer.apiops.attributes.actiongroup_apinizer
options:
  new_name:
    description:
      - New name of the API proxy named by O(api_proxy) (API field C(name)). Names must be unique
        within the project.
      - If O(api_proxy) does not exist but a proxy named O(new_name) does, the rename already happened
        (for example in an earlier run); the task then manages that proxy, says so in RV(rename), and
        warns naming both names (a typo in O(api_proxy) looks the same).
      - Renaming onto the name of another existing proxy fails before anything is written.
    type: str
  description:
    description:
      - Description of the API proxy (API field C(description)). An empty string clears it.
    type: str
  categories:
    description:
      - Category names of the API proxy (API field C(categoryList)); case-sensitive.
      - The order does not matter. An empty list clears the categories.
    type: list
    elements: str
  sharing_type:
    description:
      - Who the API proxy is shared with (API field C(sharingType)).
      - V(BOTH) shares with internal and external users, V(INTERNAL) with internal users only,
        V(EXTERNAL) with external users only, V(NONE) with nobody (private).
      - If the server reports a value outside these choices (Apinizer's read model also knows
        C(PROJECT), C(ORGANIZATION), C(PUBLIC)), it cannot be compared; the value is then sent
        and the task warns.
    type: str
    choices: [BOTH, NONE, EXTERNAL, INTERNAL]
  request_body_read_behavior:
    description:
      - When the gateway reads the request body (API field C(requestBodyReadBehavior)).
      - V(ALWAYS_READ) always reads it (Apinizer's default), V(READ_IF_POLICY_EXISTS) only when a
        policy needs the body, V(NEVER_READ) never reads it.
    type: str
    choices: [ALWAYS_READ, READ_IF_POLICY_EXISTS, NEVER_READ]
  response_body_read_behavior:
    description:
      - When the gateway reads the response body (API field C(responseBodyReadBehavior)); same
        values as O(request_body_read_behavior).
    type: str
    choices: [ALWAYS_READ, READ_IF_POLICY_EXISTS, NEVER_READ]
  direction:
    description:
      - Contract direction of the API (API field C(direction)).
      - V(REQUEST_RESPONSE) is the standard request/response API, V(REQUEST_ONLY) fire-and-forget
        (no response expected), V(RESPONSE_ONLY) response only (server push, event stream).
    type: str
    choices: [REQUEST_RESPONSE, REQUEST_ONLY, RESPONSE_ONLY]
  disable_direct_access_to_gateways:
    description:
      - V(true) makes clients reach the API only through the API Portal
        (API field C(disableDirectAccessToGateways)).
    type: bool
  global_api_proxy_setting_name:
    description:
      - Name (not id) of the Global API Proxy Setting to apply; it must exist in the same project
        (API field C(globalApiProxySettingName)).
    type: str
  backend_proxy_apply_policies:
    description:
      - Apply policies when this proxy is called as another proxy's backend
        (API field C(backendProxyApplyPolicies)).
    type: bool
  fix_soap_api_port_type:
    description:
      - Fix SOAP API port type naming (API field C(fixSoapApiPortType)).
      - Applies to SOAP API proxies only; for a proxy reported as another type the task fails
        before anything is written.
    type: bool
seealso:
  - module: apinizer.apiops.apinizer_maintenance_mode
  - name: Apinizer metadata endpoint
    description: Update Metadata in the Apinizer Management API reference.
    link: https://docs.apinizer.com/
"""

EXAMPLES = r"""
---
- name: Describe and categorise the orders API, then deploy it to production
  apinizer.apiops.apinizer_proxy_metadata:
    url: https://apinizer.example.com
    token: "{{ apinizer_token }}"
    project: Demo
    api_proxy: orders-api
    description: Orders of the web shop
    categories: [E-commerce, Public]
    sharing_type: BOTH
    deploy: true
    deploy_environments: [production]
  delegate_to: localhost

- name: Rename a proxy and tune body reading, connection options set once for the play
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/apinizer.apiops.apinizer:
      url: https://apinizer.example.com
      token: "{{ apinizer_token }}"
      project: Demo
  tasks:
    - name: Rename orders-api to orders (a second run finds it renamed and changes nothing)
      apinizer.apiops.apinizer_proxy_metadata:
        api_proxy: orders-api
        new_name: orders
        request_body_read_behavior: READ_IF_POLICY_EXISTS
        response_body_read_behavior: ALWAYS_READ

    - name: Clear the description and the categories
      apinizer.apiops.apinizer_proxy_metadata:
        api_proxy: orders
        description: ""
        categories: []

- name: Fix the port type naming of a SOAP proxy
  apinizer.apiops.apinizer_proxy_metadata:
    url: https://apinizer.example.com
    token: "{{ apinizer_token }}"
    project: Demo
    api_proxy: legacy-soap
    fix_soap_api_port_type: true
  delegate_to: localhost
"""

RETURN = r"""
project:
  description: The project of the API proxy.
  returned: always
  type: str
  sample: Demo
api_proxy:
  description: The name of the API proxy after the task (the new name once renamed).
  returned: always
  type: str
  sample: orders
rename:
  description:
    - Present when O(new_name) differs from O(api_proxy).
  returned: when O(new_name) differs from O(api_proxy)
  type: dict
  contains:
    from:
      description: The name given in O(api_proxy).
      type: str
      sample: orders-api
    to:
      description: The new name given in O(new_name).
      type: str
      sample: orders
    already_done:
      description:
        - V(true) when O(api_proxy) did not exist but O(new_name) did, so the rename had already
          happened and the task compared against the proxy named O(new_name).
        - V(false) when this task renamed the proxy (or, in check mode, would rename it).
      type: bool
      sample: false
before:
  description:
    - The metadata options this task manages (only options you set), as Apinizer reported them before the task.
    - An option Apinizer reports neither in the API proxy nor in its export package is missing here; the
      task then warns that it was sent without comparison.
  returned: success
  type: dict
  sample: {"description": "Orders"}
after:
  description:
    - The same options as this task left them (in check mode, would leave them), that is, what Apinizer reported before
      the task with what the task wrote laid over it. Not read back; Apinizer documents the settings PATCH as
      changing only the fields sent, so a field another run changes at the same time stays as that run left it
      and may differ from this value (docs/reliability.md, "Concurrent runs").
  returned: success
  type: dict
  sample: {"description": "Orders of the web shop"}
requests:
  description:
    - The write and deploy requests the task sent, in order; in check mode, the ones it would send.
      Empty when nothing needed to change. Reads are not listed.
  returned: always
  type: list
  elements: dict
  contains:
    method:
      description: HTTP method.
      type: str
      sample: PATCH
    path:
      description: Request path.
      type: str
      sample: /apiops/projects/Demo/apiProxies/orders-api/settings/metadata/
    body:
      description: JSON body, or V(null).
      type: raw
      sample: {"description": "Orders of the web shop"}
    does:
      description: What the request does; any of V(write), V(deploy), V(rename).
      type: list
      elements: str
      sample: [write]
    repeatable:
      description:
        - Whether the request may be sent again after its answer was lost. A request that deploys or
          renames is never sent twice. When the answer is lost or cannot be trusted (a redirect, an empty or
          non-JSON body, a body that says it failed), the task reads the state back instead.
      type: bool
      sample: true
deployments:
  description:
    - One entry per listed environment of O(deploy_environments) the task deployed to, would deploy
      to (check mode), or left alone because the API proxy is not deployed there.
  returned: always
  type: list
  elements: dict
  contains:
    environment:
      description: Environment name.
      type: str
      sample: production
    success:
      description: Whether the deploy succeeded; V(null) in check mode and for a skipped environment.
      type: bool
      sample: true
    skipped:
      description: V(true) when the proxy is not deployed in this environment, so the task left it alone.
      type: bool
      sample: false
    message:
      description: Apinizer's message for this environment, or why it was skipped.
      type: str
      sample: Deployment successful
diff:
  description: The managed options before and after, when run with C(--diff).
  returned: when diff mode is on
  type: dict
  sample: {"before": {"description": "Orders"}, "after": {"description": "Orders of the web shop"}}
verification:
  description:
    - One entry per environment the task deployed to (or undeployed from), with what verifying it saw (O(verify)),
      C(environment), C(verified) (V(false) fails the task, V(null) with O(verify=none)), C(by) (V(route), V(manager)
      or V(none)), C(polls), C(seconds), C(message) (which pods disagree and what they serve), and for V(route) the
      last route-health read, C(pods_responded), C(pods_active), C(inconsistent) and C(pods)
      (C({ip, route_active, served_path, methods, error})). Empty when nothing was deployed, and in check mode.
  returned: always
  type: list
  elements: dict
  sample: [{"environment": "production", "verified": true, "by": "route", "polls": 2, "seconds": 2.1,
            "message": "Verified on 2 pods.", "pods_responded": 2, "pods_active": 2, "inconsistent": false,
            "pods": [{"ip": "10.0.1.11", "route_active": true, "served_path": "/orders", "methods": ["GET"]}]}]
api_error:
  description: The failed API request and Apinizer's answer, when the task failed on one.
  returned: failure
  type: dict
  sample: {"method": "PATCH", "path": "/apiops/projects/Demo/apiProxies/orders-api/settings/metadata/", "status": 400,
           "message": "ApiProxy (name: orders-api) was not found!"}
"""

from ansible_collections.apinizer.apiops.plugins.module_utils._engine import run_module
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_modules import METADATA


def main():
    run_module(METADATA)


if __name__ == '__main__':  # pragma: no cover
    main()
