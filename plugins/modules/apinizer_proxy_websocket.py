#!/usr/bin/python
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: apinizer_proxy_websocket
short_description: Manage the websocket settings of an Apinizer WEBSOCKET API proxy
version_added: 1.0.0
author: apinizer.apiops contributors (@apinizer)
description:
  - Makes the websocket connection settings of a WEBSOCKET API proxy match the task, through
    C(PATCH /apiops/projects/{project}/apiProxies/{api_proxy}/settings/websocket/).
  - Reads the proxy first and sends only the fields that differ; a run with nothing to change
    sends no write.
  - Refuses, before any write, an API proxy whose reported type is not C(WEBSOCKET).
  - Options you do not set are left as they are on the server; Apinizer inherits the value of
    an unset field from its system-level settings. This module never sends a default on its own.
  - Gateways see a change only after a (re)deploy; use O(deploy) and O(deploy_environments).
    The deploy is one C(POST .../environments/{environment}/) per environment.
extends_documentation_fragment:
  - apinizer.apiops.api
  - apinizer.apiops.project
  - apinizer.apiops.project.api_proxy
  - apinizer.apiops.deploy
  - apinizer.apiops.verify
  - apinizer.apiops.attributes
  - apinizer.apiops.attributes.actiongroup_apinizer
options:
  connection_lost_timeout:
    description:
      - Seconds without data after which a connection counts as lost (API field C(connectionLostTimeout)).
      - Set it higher for long-lived idle connections.
    type: int
  reuse_addr:
    description:
      - Enable socket address reuse, C(SO_REUSEADDR) (API field C(reuseAddr)).
    type: bool
  connect_timeout:
    description:
      - Websocket connect timeout in seconds (API field C(connectTimeout)).
    type: int
  max_retries:
    description:
      - Maximum number of retries of the initial connection (API field C(maxRetries)).
    type: int
  retry_delay:
    description:
      - Delay between retries of the initial connection, in milliseconds (API field C(retryDelay)).
    type: int
  auto_reconnect:
    description:
      - Reconnect automatically after an established connection is lost (API field C(autoReconnect)).
    type: bool
  auto_reconnect_max_retries:
    description:
      - Maximum number of automatic reconnect attempts (API field C(autoReconnectMaxRetries)).
    type: int
  auto_reconnect_retry_delay:
    description:
      - Delay between automatic reconnect attempts, in milliseconds (API field C(autoReconnectRetryDelay)).
    type: int
  request_format:
    description:
      - Shape of the request body.
      - V(wrapped) sends the fields inside a C(websocketSettings) object, as current Apinizer
        releases and their OpenAPI description document it.
      - V(flat) sends the fields at the top level of the body, as earlier Apinizer documentation
        showed it. Use it only for a server that ignores the wrapped form.
    type: str
    choices: [wrapped, flat]
    default: wrapped
seealso:
  - module: apinizer.apiops.apinizer_proxy_connection
  - name: Apinizer websocket settings endpoint
    description: Update WebSocket Settings in the Apinizer Management API reference.
    link: https://docs.apinizer.com/
"""

EXAMPLES = r"""
---
- name: Keep idle websocket connections for two minutes and reconnect on loss
  apinizer.apiops.apinizer_proxy_websocket:
    url: https://apinizer.example.com
    token: "{{ apinizer_token }}"
    project: Demo
    api_proxy: live-feed
    connection_lost_timeout: 120
    connect_timeout: 30
    auto_reconnect: true
    auto_reconnect_max_retries: 10
    auto_reconnect_retry_delay: 3000
  delegate_to: localhost

- name: Websocket retries for a live feed, deployed where it runs
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/apinizer.apiops.apinizer:
      url: https://apinizer.example.com
      token: "{{ apinizer_token }}"
      project: Demo
  tasks:
    - name: Retry the initial connection five times, two seconds apart
      apinizer.apiops.apinizer_proxy_websocket:
        api_proxy: live-feed
        max_retries: 5
        retry_delay: 2000
        reuse_addr: true
        deploy: true
        deploy_environments: [production, test]

- name: Send the flat body of older Apinizer releases (url and token from APINIZER_URL, APINIZER_TOKEN)
  apinizer.apiops.apinizer_proxy_websocket:
    project: Demo
    api_proxy: live-feed
    auto_reconnect: false
    request_format: flat
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
  sample: live-feed
before:
  description:
    - The websocket options this task manages (only options you set), as Apinizer reported them before the task.
    - An option Apinizer reports neither in the API proxy nor in its export package is missing here; the
      task then warns that it was sent without comparison.
  returned: success
  type: dict
  sample: {"auto_reconnect": false}
after:
  description:
    - The same options as this task left them (in check mode, would leave them), that is, what Apinizer reported before
      the task with what the task wrote laid over it. Not read back. Apinizer documents the flat body of this
      PATCH as changing only the fields sent, but not whether a partial C(websocketSettings) object (the
      default O(request_format)) is merged or replaces the stored one; either way a field another run changes
      at the same time may differ from this value (docs/reliability.md, "Concurrent runs").
  returned: success
  type: dict
  sample: {"auto_reconnect": true}
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
      sample: /apiops/projects/Demo/apiProxies/orders-api/settings/websocket/
    body:
      description: JSON body, or V(null).
      type: raw
      sample: {"websocketSettings": {"autoReconnect": true}}
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
  sample: {"before": {"auto_reconnect": false}, "after": {"auto_reconnect": true}}
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
  sample: {"method": "PATCH", "path": "/apiops/projects/Demo/apiProxies/orders-api/settings/websocket/", "status": 400,
           "message": "ApiProxy (name: orders-api) was not found!"}
"""

from ansible_collections.apinizer.apiops.plugins.module_utils._engine import run_module
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_modules import WEBSOCKET


def main():
    run_module(WEBSOCKET)


if __name__ == '__main__':  # pragma: no cover
    main()
