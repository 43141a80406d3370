#!/usr/bin/python
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: apinizer_proxy_rollback
short_description: Roll an Apinizer API proxy back to a revision of its deploy history
version_added: 1.0.0
author: apinizer.apiops contributors (@apinizer)
description:
  - Restores the configuration an API proxy had at a revision of its deploy history (routing, policies and
    settings; the list of environments it may be deployed to stays as it is now) and deploys it to each listed
    environment, through
    C(POST /apiops/projects/{project}/apiProxies/{api_proxy}/deploy-histories/{revision}/rollback/?environmentName={environment}),
    one request per environment. Without O(environments), the configuration is rolled back and nothing is deployed.
  - Reads the deploy history (C(GET .../deploy-histories/)) to resolve O(revision) and check it exists, and the deploy
    state of each listed environment; an environment already deployed at that revision, with no redeploy required, is
    left alone, so a second run with the same revision changes nothing there.
  - A rollback with a deploy records a new revision in the history (Apinizer numbers revisions per API proxy). A
    second run therefore sees the environment on that new revision, not on the one rolled back to, and rolls back
    again, because Apinizer does not report which configuration a revision holds. The new rollback deploys the same
    configuration once more.
  - Apinizer answers a rollback whose deploy failed with status C(SUCCESS) and the message C(API Proxy rolled back
    successfully but deployment failed); this module fails the task then, naming the environment, and says that
    the configuration itself was rolled back.
  - A rollback is never sent twice. When its answer is lost, the module reads the deploy history and the deploy
    state back and reports whether it took effect.
  - Each deploy is verified like one of M(apinizer.apiops.apinizer_proxy_deploy) (O(verify)).
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
    details:
      - An environment already deployed at O(revision), and current, is left alone.
      - After a rollback that recorded a new revision, a second run rolls back again (see the description).
      - Without O(environments), every run rolls the configuration back.
options:
  revision:
    description:
      - The revision of the deploy history to roll back to, as a number, or V(previous) for the deploy before the
        last one. Per listed environment that is the environment's deploy before its newest one (each environment
        may resolve to another revision); without O(environments), the proxy's deploy before its newest one.
      - The revision it resolved to is returned (RV(revision), and per environment in RV(rollbacks)).
      - A revision the history no longer holds fails the task before anything is sent. Apinizer prunes records past
        its retention limit unless they were made with O(apinizer.apiops.apinizer_proxy_deploy#module:persistent=true).
    type: str
    required: true
  environments:
    description:
      - Environments to deploy the rolled-back configuration to. The rollback restores the configuration of the whole
        API proxy, so an environment that is not listed keeps serving what it has and reports C(redeployRequired);
        the task warns about each one where the proxy is deployed.
    type: list
    elements: str
    default: []
seealso:
  - module: apinizer.apiops.apinizer_proxy_deploy
  - module: apinizer.apiops.apinizer_proxy_info
  - name: Apinizer rollback endpoint
    description: Rollback Deploy History in the Apinizer Management API reference.
    link: https://docs.apinizer.com/
"""

EXAMPLES = r"""
---
- name: Roll the orders API back to revision 12 in production, verified on the gateway pods
  apinizer.apiops.apinizer_proxy_rollback:
    url: https://apinizer.example.com
    token: "{{ apinizer_token }}"
    project: Demo
    api_proxy: orders-api
    revision: "12"
    environments: [production]
  delegate_to: localhost

- name: Undo the last deploy to test
  apinizer.apiops.apinizer_proxy_rollback:
    project: Demo
    api_proxy: orders-api
    revision: previous
    environments: [test]
  register: undone
  delegate_to: localhost

- name: Say which revision it went back to
  ansible.builtin.debug:
    msg: "test is back on the configuration of revision {{ undone.rollbacks[0].revision }}"
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
revision:
  description: The revision rolled back to, or V(null) when V(previous) resolved to different revisions per environment.
  returned: always
  type: int
  sample: 12
rollbacks:
  description: One entry per listed environment (or one without environment, for a rollback without deploy).
  returned: always
  type: list
  elements: dict
  contains:
    environment:
      description: Environment name; V(null) for a rollback without deploy.
      type: str
    revision:
      description: The revision rolled back to.
      type: int
    revision_before:
      description: The revision the environment was deployed at before the task (Apinizer's deploy state).
      type: int
    revision_now:
      description: The revision the environment is deployed at after the task (the rollback's new record).
      type: int
    skipped:
      description: V(true) when the environment was already deployed at the revision, so nothing was sent.
      type: bool
    message:
      description: Apinizer's answer, or why nothing was sent.
      type: str
  sample: [{"environment": "production", "revision": 12, "revision_before": 15, "revision_now": 16, "skipped": false,
            "message": "API Proxy rolled back successfully to deploy history revision (12). Deployed to environment: production"}]
before:
  description: The deploy state per listed environment before the task (C(deployed), C(redeploy_required), C(revision)).
  returned: success
  type: dict
  sample: {"production": {"deployed": true, "redeploy_required": false, "revision": 15}}
after:
  description:
    - The deploy state per listed environment after the task, read back, with C(rolled_back_to); in check mode, as
      it would be (C(revision) V(null), since Apinizer numbers the new record).
  returned: success
  type: dict
  sample: {"production": {"deployed": true, "redeploy_required": false, "revision": 16, "rolled_back_to": 12}}
deployments:
  description: The deploy each rollback made, per environment, C({environment, success, skipped, message}).
  returned: always
  type: list
  elements: dict
requests:
  description: The rollback requests the task sent (in check mode, would send); each does V(rollback) and V(deploy).
  returned: always
  type: list
  elements: dict
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
diff:
  description: The deploy state before and after, when run with C(--diff).
  returned: when diff mode is on
  type: dict
api_error:
  description: The failed API request and Apinizer's answer, when the task failed on one.
  returned: failure
  type: dict
  sample: {"method": "POST", "path": "/apiops/projects/Demo/apiProxies/orders-api/deploy-histories/12/rollback/?environmentName=production",
           "status": 400, "message": "Rollback failed for deploy history revision (12)!"}
"""

from ansible_collections.apinizer.apiops.plugins.module_utils._engine import run_module
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_rollback import PROXY_ROLLBACK


def main():
    run_module(PROXY_ROLLBACK)


if __name__ == '__main__':  # pragma: no cover
    main()
