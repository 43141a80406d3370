#!/usr/bin/python
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: apinizer_proxy_connection
short_description: Manage the backend connection settings of an Apinizer API proxy
version_added: 1.0.0
author: apinizer.apiops contributors (@apinizer)
description:
  - Makes the connection settings of an API proxy (timeouts, retries, redirects, connection
    pool and routing behaviour towards the backend) match the task, through
    C(PATCH /apiops/projects/{project}/apiProxies/{api_proxy}/settings/connection/).
  - Reads the proxy first and sends only the fields that differ; a run with nothing to change
    sends no write.
  - Options you do not set are left as they are on the server; this module never sends a
    default on its own. Some options exist only in newer Apinizer releases (noted on each
    option); they are sent only when you set them.
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
  connection_settings_enabled:
    description:
      - Enable the custom connection settings of this proxy (API field C(connectionSettingsEnabled)).
    type: bool
  connect_timeout:
    description:
      - Timeout for opening the connection to the backend, in seconds (API field C(connectTimeout)).
    type: int
  read_timeout:
    description:
      - Timeout for reading the backend's answer, in seconds (API field C(readTimeout)).
    type: int
  connection_request_timeout:
    description:
      - Connection request timeout, in seconds (API field C(connectionRequestTimeout)).
    type: int
  redirects_enabled:
    description:
      - Follow HTTP redirects of the backend, up to O(max_redirects) (API field C(redirectsEnabled)).
    type: bool
  max_redirects:
    description:
      - Maximum number of redirects followed (API field C(maxRedirects)).
    type: int
  relative_redirects_allowed:
    description:
      - Allow relative redirects (API field C(relativeRedirectsAllowed)).
    type: bool
  disable_content_compression:
    description:
      - Disable content compression (API field C(disableContentCompression)).
    type: bool
  enable_streaming:
    description:
      - Stream the backend's answer instead of buffering it (API field C(enableStreaming)).
    type: bool
  retry_count:
    description:
      - Number of retries against the same backend on failure (API field C(retryCount)).
      - Documented by earlier Apinizer releases and their OpenAPI description; newer documentation
        no longer lists it.
    type: int
  failover_retry_count:
    description:
      - Number of retries on failover backends (API field C(failoverRetryCount)).
      - Documented by earlier Apinizer releases and their OpenAPI description; newer documentation
        no longer lists it.
    type: int
  ignore_routing_error:
    description:
      - V(true) passes the backend's error status and body through untouched instead of applying
        the proxy's error template (API field C(ignoreRoutingError)).
    type: bool
  connection_pool_management_type:
    description:
      - Connection pool used towards the backend (API field C(connectionPoolManagementType)).
      - V(GENERAL) uses the shared connection pool.
      - V(CUSTOM) uses a pool of the proxy's own, of O(custom_connection_pool_size) connections;
        O(custom_connection_pool_size) is then required and is always sent together with V(CUSTOM).
      - V(NONE) uses no connection pool.
    type: str
    choices: [GENERAL, CUSTOM, NONE]
  custom_connection_pool_size:
    description:
      - Size of the proxy's own connection pool (API field C(customConnectionPoolSize)).
      - Required when O(connection_pool_management_type=CUSTOM).
    type: int
  validate_after_inactivity:
    description:
      - Validate-after-inactivity period of pooled connections, in milliseconds
        (API field C(validateAfterInactivity); Apinizer's default is 2000).
      - Newer Apinizer releases only.
    type: int
  idle_connection_timeout:
    description:
      - Idle connection timeout, in seconds (API field C(idleConnectionTimeout); Apinizer's default is 30).
      - Newer Apinizer releases only.
    type: int
  query_encoding_mode:
    description:
      - How the query string is encoded towards the backend (API field C(queryEncodingMode)).
      - V(STANDARD) is Apinizer's default (also when the field was never set).
      - V(RFC3986) encodes by RFC 3986.
      - V(PASSTHROUGH) passes the query string through.
      - Newer Apinizer releases only.
    type: str
    choices: [STANDARD, RFC3986, PASSTHROUGH]
  hop_by_hop_headers:
    description:
      - Headers removed before the request is forwarded to the backend (API field C(hopByHopHeaders)).
      - Compared without regard to order; an empty list clears them.
      - Newer Apinizer releases only.
    type: list
    elements: str
  send_user_agent_to_backend:
    description:
      - Send a C(User-Agent) header to the backend (API field C(sendUserAgentToBackend)).
      - Newer Apinizer releases only.
    type: bool
  user_agent_value:
    description:
      - Value of the C(User-Agent) header sent to the backend (API field C(userAgentValue)).
      - Newer Apinizer releases only.
    type: str
  do_not_route_zero_value_content_length:
    description:
      - Do not route a C(Content-Length) of value 0 to the backend
        (API field C(doNotRouteZeroValueContentLength)).
      - Newer Apinizer releases only.
    type: bool
  enable_download:
    description:
      - Enable download mode (API field C(enableDownload)).
      - Newer Apinizer releases only.
    type: bool
  use_byte_array_for_compressed_response:
    description:
      - Use a byte array for compressed responses (API field C(useByteArrayForCompressedResponse)).
      - Newer Apinizer releases only.
    type: bool
seealso:
  - module: apinizer.apiops.apinizer_proxy_websocket
  - name: Apinizer connection settings endpoint
    description: Update Connection Settings in the Apinizer Management API reference.
    link: https://docs.apinizer.com/
"""

EXAMPLES = r"""
---
- name: Timeouts and retries of the orders API
  apinizer.apiops.apinizer_proxy_connection:
    url: https://apinizer.example.com
    token: "{{ apinizer_token }}"
    project: Demo
    api_proxy: orders-api
    connection_settings_enabled: true
    connect_timeout: 30
    read_timeout: 60
    connection_request_timeout: 30
    retry_count: 3
    failover_retry_count: 2
  delegate_to: localhost

- name: A pool of its own for every payments proxy, deployed to production and test
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/apinizer.apiops.apinizer:
      url: https://apinizer.example.com
      token: "{{ apinizer_token }}"
      project: Demo
  tasks:
    - name: Custom connection pool of 20 connections
      apinizer.apiops.apinizer_proxy_connection:
        api_proxy: payments-api
        connection_settings_enabled: true
        connection_pool_management_type: CUSTOM
        custom_connection_pool_size: 20
        read_timeout: 120
        deploy: true
        deploy_environments: [production, test]

- name: Strip hop-by-hop headers and forward the query string untouched (newer releases)
  apinizer.apiops.apinizer_proxy_connection:
    url: https://apinizer.example.com
    token: "{{ apinizer_token }}"
    project: Demo
    api_proxy: orders-api
    query_encoding_mode: PASSTHROUGH
    hop_by_hop_headers: [Connection, Keep-Alive, Upgrade]
    idle_connection_timeout: 30
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
before:
  description:
    - The connection options this task manages (only options you set), as Apinizer reported them before the task.
    - An option Apinizer reports neither in the API proxy nor in its export package is missing here; the
      task then warns that it was sent without comparison.
  returned: success
  type: dict
  sample: {"read_timeout": 30}
after:
  description:
    - The same options as this task left them (in check mode, would leave them), that is, what Apinizer reported before
      the task with what the task wrote laid over it. Not read back; Apinizer documents the settings PATCH as
      changing only the fields sent, so a field another run changes at the same time stays as that run left it
      and may differ from this value (docs/reliability.md, "Concurrent runs").
  returned: success
  type: dict
  sample: {"read_timeout": 60}
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
      sample: /apiops/projects/Demo/apiProxies/orders-api/settings/connection/
    body:
      description: JSON body, or V(null).
      type: raw
      sample: {"readTimeout": 60}
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
  sample: {"before": {"read_timeout": 30}, "after": {"read_timeout": 60}}
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
  sample: {"method": "PATCH", "path": "/apiops/projects/Demo/apiProxies/orders-api/settings/connection/", "status": 400,
           "message": "ApiProxy (name: orders-api) was not found!"}
"""

from ansible_collections.apinizer.apiops.plugins.module_utils._engine import run_module
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_modules import PROXY_CONNECTION


def main():
    run_module(PROXY_CONNECTION)


if __name__ == '__main__':  # pragma: no cover
    main()
