#!/usr/bin/python
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: apinizer_proxy_deploy
short_description: Deploy an Apinizer API proxy to environments, or undeploy it
version_added: 1.0.0
author: apinizer.apiops contributors (@apinizer)
description:
  - With O(state=deployed), deploys the API proxy to each environment in O(environments) where it
    is not deployed or reports C(redeployRequired) (its definition changed since the last deploy),
    through C(POST /apiops/projects/{project}/apiProxies/{api_proxy}/environments/{environment}/).
    An environment where it is deployed and up to date is left alone, unless O(force=true).
  - With O(state=undeployed), undeploys it from each listed environment where it is deployed,
    through C(DELETE) on the same path.
  - Reads the deploy state first, from the proxy read (C(deploymentList)) or
    C(GET .../environments/{environment}/deploy-status/) for an environment the read does not list.
    An environment the project does not know fails the task before anything is sent.
  - Each deploy records a new revision in Apinizer's deploy history, so a deploy request is never
    sent twice. When its answer is lost, the module reads the deploy state back and reports whether
    it took effect.
  - When Apinizer refuses one environment, the other environments are still deployed; the task then
    fails, naming each refused environment and Apinizer's message.
extends_documentation_fragment:
  - apinizer.apiops.api
  - apinizer.apiops.project
  - apinizer.apiops.project.api_proxy
  - apinizer.apiops.verify
  - apinizer.apiops.attributes
  - apinizer.apiops.attributes.actiongroup_apinizer
attributes:
  idempotent:
    support: partial
    details: With O(force=true) every run redeploys; otherwise a second run changes nothing.
options:
  state:
    description:
      - V(deployed) deploys where needed, V(undeployed) undeploys where deployed.
    type: str
    choices: [deployed, undeployed]
    default: deployed
  environments:
    description:
      - Names of the environments to deploy to or undeploy from (case-sensitive). At least one.
    type: list
    elements: str
    required: true
  force:
    description:
      - With O(state=deployed), redeploy to every listed environment, also where the API proxy is
        deployed and up to date. Each run then changes something.
      - Not allowed with O(state=undeployed).
    type: bool
    default: false
  description:
    description:
      - Description of the deploy or undeploy in Apinizer's deploy history (the request body's
        C(description)). If not set, Apinizer writes its own (C(Deployed by APIOPS Api)).
    type: str
  persistent:
    description:
      - Keep the deploy history record this deploy or undeploy makes from being pruned when Apinizer's
        retention limit is reached (the request body's C(persistent)), so that
        M(apinizer.apiops.apinizer_proxy_rollback) can always return to it.
      - A body is sent only when O(description) or O(persistent=true) is set (older releases take none).
    type: bool
    default: false
seealso:
  - module: apinizer.apiops.apinizer_proxy_info
  - name: Apinizer deploy endpoint
    description: Deploy / Undeploy API Proxy in the Apinizer Management API reference.
    link: https://docs.apinizer.com/
"""

EXAMPLES = r"""
---
- name: Deploy the orders API to test and production where it is not current
  apinizer.apiops.apinizer_proxy_deploy:
    url: https://apinizer.example.com
    token: "{{ apinizer_token }}"
    project: Demo
    api_proxy: orders-api
    environments: [test, production]
    description: Release 2026.07 (change CHG-1234)
  delegate_to: localhost

- name: Handlers that redeploy after settings changes, connection options set once for the play
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/apinizer.apiops.apinizer:
      url: https://apinizer.example.com
      token: "{{ apinizer_token }}"
      project: Demo
  tasks:
    - name: Put the proxy into maintenance mode
      apinizer.apiops.apinizer_maintenance_mode:
        api_proxy: orders-api
        enabled: true
      notify: Deploy orders-api
  handlers:
    - name: Deploy orders-api
      apinizer.apiops.apinizer_proxy_deploy:
        api_proxy: orders-api
        environments: [production]

- name: Take a retired proxy off every gateway
  apinizer.apiops.apinizer_proxy_deploy:
    project: Demo
    api_proxy: legacy-soap
    state: undeployed
    environments: [production, test, staging]
  delegate_to: localhost
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
deployments:
  description:
    - One entry per listed environment, in the order of O(environments).
  returned: always
  type: list
  elements: dict
  contains:
    environment:
      description: Environment name.
      type: str
      sample: production
    success:
      description:
        - Whether the deploy or undeploy succeeded; V(false) when Apinizer refused it.
        - V(null) in check mode and for a skipped environment.
      type: bool
      sample: true
    skipped:
      description: V(true) when nothing had to be done in this environment.
      type: bool
      sample: false
    message:
      description: Apinizer's message for this environment, or why it was skipped.
      type: str
      sample: Deployment successful
before:
  description: Deploy state per listed environment before the task.
  returned: success
  type: dict
  sample: {"production": {"deployed": true, "redeploy_required": true}, "test": {"deployed": false, "redeploy_required": false}}
after:
  description:
    - Deploy state per listed environment after the task (in check mode, as it would be).
  returned: success
  type: dict
  sample: {"production": {"deployed": true, "redeploy_required": false}, "test": {"deployed": true, "redeploy_required": false}}
requests:
  description:
    - The deploy and undeploy requests the task sent, in order; in check mode, the ones it would send.
      Empty when nothing needed to change. Reads are not listed.
  returned: always
  type: list
  elements: dict
  contains:
    method:
      description: HTTP method, V(POST) (deploy) or V(DELETE) (undeploy).
      type: str
      sample: POST
    path:
      description: Request path.
      type: str
      sample: /apiops/projects/Demo/apiProxies/orders-api/environments/production/
    body:
      description: JSON body (the O(description)), or V(null).
      type: raw
      sample: {"description": "Release 2026.07"}
    does:
      description: What the request does, V(deploy) or V(undeploy).
      type: list
      elements: str
      sample: [deploy]
    repeatable:
      description: Always V(false); a lost answer is settled by reading the deploy state back.
      type: bool
      sample: false
diff:
  description: The deploy state per listed environment before and after, when run with C(--diff).
  returned: when diff mode is on
  type: dict
  sample: {"before": {"test": {"deployed": false, "redeploy_required": false}},
           "after": {"test": {"deployed": true, "redeploy_required": false}}}
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
  sample: {"method": "GET", "path": "/apiops/projects/Demo/apiProxies/orders-api/environments/nowhere/deploy-status/",
           "status": 400, "message": "ApiProxy with name (orders-api) can not be deployed to Environment(nowhere)"}
"""

from ansible_collections.apinizer.apiops.plugins.module_utils._engine import run_module
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_deploy import PROXY_DEPLOY


def main():
    run_module(PROXY_DEPLOY)


if __name__ == '__main__':  # pragma: no cover
    main()
