#!/usr/bin/python
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: apinizer_maintenance_mode
short_description: Put an Apinizer API proxy into or out of maintenance mode
version_added: 1.0.0
author: apinizer.apiops contributors (@apinizer)
description:
  - Makes the maintenance mode of an API proxy match the task, through
    C(PATCH /apiops/projects/{project}/apiProxies/{api_proxy}/settings/maintenance-mode/).
  - Reads the proxy first and sends only the fields that differ; a run with nothing to change
    sends no write.
  - While maintenance mode is on, the gateway answers every call to the proxy with
    O(http_status_code), O(content_type) and O(maintenance_message). Gateways see a change only after a
    (re)deploy; use O(deploy) and O(deploy_environments).
  - Options you do not set are left as they are on the server; this module never sends a
    default on its own (Apinizer's defaults are 403 and C(application/json; charset=utf-8)).
extends_documentation_fragment:
  - apinizer.apiops.api
  - apinizer.apiops.project
  - apinizer.apiops.project.api_proxy
  - apinizer.apiops.deploy
  - apinizer.apiops.verify
  - apinizer.apiops.attributes
  - apinizer.apiops.attributes.actiongroup_apinizer
options:
  enabled:
    description:
      - V(true) turns maintenance mode on, V(false) turns it off (API field C(enabled)).
    type: bool
  http_status_code:
    description:
      - HTTP status code returned to callers while maintenance mode is on, 100 to 599 (API field
        C(httpStatusCode)).
    type: int
  content_type:
    description:
      - C(Content-Type) header of the maintenance reply (API field C(contentType)).
    type: str
  maintenance_message:
    description:
      - Body of the maintenance reply (the API field C(message)).
      - A string is sent as is. A mapping or a list is sent as its JSON text, so a JSON reply can be
        written as YAML; it compares equal to the same JSON text on the server.
      - Named O(maintenance_message) because C(message) is reserved by Ansible for module arguments.
    type: raw
seealso:
  - module: apinizer.apiops.apinizer_proxy_metadata
  - name: Apinizer maintenance mode endpoint
    description: Update Maintenance Mode Settings in the Apinizer Management API reference.
    link: https://docs.apinizer.com/
"""

EXAMPLES = r"""
---
- name: Put the orders API into maintenance and deploy to production
  apinizer.apiops.apinizer_maintenance_mode:
    url: https://apinizer.example.com
    token: "{{ apinizer_token }}"
    project: Demo
    api_proxy: orders-api
    enabled: true
    http_status_code: 503
    content_type: application/json; charset=utf-8
    maintenance_message:
      status: 503
      message: Back at 02:00 UTC
    deploy: true
    deploy_environments: [production]
  delegate_to: localhost

- name: Take every proxy out of maintenance, connection options set once for the play
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/apinizer.apiops.apinizer:
      url: https://apinizer.example.com
      token: "{{ apinizer_token }}"
      project: Demo
  tasks:
    - name: Maintenance off and redeploy
      apinizer.apiops.apinizer_maintenance_mode:
        api_proxy: "{{ item }}"
        enabled: false
        deploy: true
        deploy_environments: [production, test]
      loop: [orders-api, payments-api]
"""

RETURN = r"""
project:
  description: The project of the API proxy.
  returned: always
  type: str
  sample: Demo
api_proxy:
  description: The name of the API proxy.
  returned: always
  type: str
  sample: orders-api
before:
  description:
    - The maintenance mode options this task manages (only options you set), as Apinizer reported them before the task.
    - An option Apinizer reports neither in the API proxy nor in its export package is missing here; the
      task then warns that it was sent without comparison.
  returned: success
  type: dict
  sample: {"enabled": false, "http_status_code": 503}
after:
  description:
    - The same options as this task left them (in check mode, would leave them), that is, what Apinizer reported before
      the task with what the task wrote laid over it. Not read back; Apinizer documents the settings PATCH as
      changing only the fields sent, so a field another run changes at the same time stays as that run left it
      and may differ from this value (docs/reliability.md, "Concurrent runs").
  returned: success
  type: dict
  sample: {"enabled": true, "http_status_code": 503}
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
      sample: /apiops/projects/Demo/apiProxies/orders-api/settings/maintenance-mode/
    body:
      description: JSON body, or V(null).
      type: raw
      sample: {"enabled": true}
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
  sample: {"before": {"enabled": false, "http_status_code": 503}, "after": {"enabled": true, "http_status_code": 503}}
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
  sample: {"method": "PATCH", "path": "/apiops/projects/Demo/apiProxies/orders-api/settings/maintenance-mode/", "status": 400,
           "message": "ApiProxy (name: orders-api) was not found!"}
"""

from ansible_collections.apinizer.apiops.plugins.module_utils._engine import run_module
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_modules import MAINTENANCE_MODE


def main():
    run_module(MAINTENANCE_MODE)


if __name__ == '__main__':  # pragma: no cover
    main()
