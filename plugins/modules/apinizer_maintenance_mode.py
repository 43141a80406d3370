#!/usr/bin/python
# -*- coding: utf-8 -*-
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
  - apinizer.apiops.deploy
  - apinizer.apiops.attributes
  - apinizer.apiops.attributes.actiongroup_apinizer
options:
  enabled:
    description:
      - V(true) turns maintenance mode on, V(false) turns it off.
    type: bool
  http_status_code:
    description:
      - HTTP status code returned to callers while maintenance mode is on (100 to 599).
    type: int
    aliases: [status_code]
  content_type:
    description:
      - C(Content-Type) header of the maintenance reply.
    type: str
  maintenance_message:
    description:
      - Body of the maintenance reply (the API field C(message)), sent as is. For a JSON reply,
        pass a JSON string (for example with the C(to_json) filter).
      - Named O(maintenance_message) because C(message) is reserved by Ansible for module arguments.
    type: str
    aliases: [response_body]
seealso:
  - module: apinizer.apiops.apinizer_proxy_metadata
  - name: Apinizer maintenance mode endpoint
    description: Update Maintenance Mode Settings in the Apinizer Management API reference.
    link: https://docs.apinizer.com/
"""

EXAMPLES = r"""
- name: Put the orders API into maintenance and deploy to production
  apinizer.apiops.apinizer_maintenance_mode:
    url: https://apinizer.example.com
    token: "{{ apinizer_token }}"
    project: Demo
    api_proxy: orders-api
    enabled: true
    http_status_code: 503
    content_type: application/json; charset=utf-8
    maintenance_message: "{{ {'status': 503, 'message': 'Back at 02:00 UTC'} | to_json }}"
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
settings:
  description: The options this task manages, as they are on the server after the task (only options you set).
  returned: success
  type: dict
  sample: {"enabled": true, "http_status_code": 503}
deployments:
  description:
    - One entry per environment deployed to (or, in check mode, that would be deployed to).
  returned: always
  type: list
  elements: dict
  contains:
    environment:
      description: Environment name.
      type: str
      sample: production
    success:
      description: Whether the deploy succeeded; V(null) in check mode.
      type: bool
      sample: true
    message:
      description: Apinizer's message for this environment.
      type: str
      sample: Deployment successful
diff:
  description: The managed options before and after, when run with C(--diff).
  returned: when diff mode is on
  type: dict
  sample: {"before": {"enabled": false}, "after": {"enabled": true}}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.apinizer.apiops.plugins.module_utils._client import ApinizerError
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy import (
    PROXY_MODULE_OPTIONS,
    ProxySettingsModule,
    proxy_argument_spec,
)

FIELD_SPEC = dict(
    enabled=dict(type='bool'),
    http_status_code=dict(type='int', aliases=['status_code']),
    content_type=dict(type='str'),
    maintenance_message=dict(type='str', aliases=['response_body']),
)


class MaintenanceMode(ProxySettingsModule):
    section = 'maintenance'
    endpoint = 'maintenance-mode'
    title = 'maintenance mode settings'
    body_deploy = True
    fields = dict(
        enabled='enabled',
        http_status_code='httpStatusCode',
        content_type='contentType',
        maintenance_message='message',
    )

    def validate_options(self):
        code = self.params['http_status_code']
        if code is not None and not 100 <= code <= 599:
            raise ApinizerError('http_status_code must be an HTTP status code from 100 to 599, got %d.' % code)


def main():
    module = AnsibleModule(argument_spec=proxy_argument_spec(FIELD_SPEC), **PROXY_MODULE_OPTIONS)
    MaintenanceMode(module).run()


if __name__ == '__main__':  # pragma: no cover
    main()
