# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""The four API proxy settings modules: each a section of _proxy_sections and its own few rules.

Each entry here is what its module file's main() runs, and what the action plugin of the same
name runs inside Ansible's worker.
"""

from __future__ import annotations

import json

from ansible_collections.apinizer.apiops.plugins.module_utils._client import ApinizerError, name_problem
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy import ProxySettingsModule, proxy_module_entry
from ansible_collections.apinizer.apiops.plugins.module_utils import _proxy_sections as sections


class MaintenanceMode(ProxySettingsModule):
    section = sections.MAINTENANCE_MODE
    endpoint = 'maintenance-mode'
    title = 'maintenance mode settings'
    body_deploy = True

    def validate_options(self):
        message = self.params['maintenance_message']
        if isinstance(message, (dict, list)):
            self.params['maintenance_message'] = json.dumps(message)
        elif message is not None and not isinstance(message, str):
            self.params['maintenance_message'] = str(message)


class Metadata(ProxySettingsModule):
    section = sections.METADATA
    endpoint = 'metadata'
    title = 'metadata settings'
    body_deploy = True

    def validate_options(self):
        if self.params['new_name'] is not None and not self.params['new_name'].strip():
            raise ApinizerError('new_name must not be empty; it is the new name of the API proxy.')
        problem = name_problem('new_name', self.params['new_name'])
        if problem:
            raise ApinizerError('%s Nothing was sent.' % problem)

    def locate_proxy(self):
        new_name = self.params['new_name']
        renaming = new_name is not None and new_name != self.proxy_name
        if self.read_proxy(self.proxy_name) is not None:
            if renaming:
                self.result['rename'] = {'from': self.proxy_name, 'to': new_name, 'already_done': False}
            return
        if not renaming or self.read_proxy(new_name) is None:
            raise self.proxy_not_found("Nor was an API proxy named '%s' (option new_name) found." % new_name if renaming else '')
        # Renamed earlier (docs/decisions.md, "Renaming an API proxy"): manage the proxy under its new
        # name. A typo in api_proxy looks the same, so say which names were looked up.
        self.warn("API proxy '%s' was not found in project '%s', but '%s' was: taking the rename as done "
                  "earlier and managing '%s'. If '%s' is a typo, correct api_proxy." % (
                      self.proxy_name, self.project, new_name, new_name, self.proxy_name))
        self.result['rename'] = {'from': self.proxy_name, 'to': new_name, 'already_done': True}

    def check_proxy(self):
        super().check_proxy()
        new_name = self.params['new_name']
        if new_name is not None and new_name != self.proxy_name and self.proxy_exists(new_name):
            raise ApinizerError(
                "Cannot rename API proxy '%s' to '%s' in project '%s': another API proxy named '%s' already "
                "exists. Nothing was changed." % (self.proxy_name, new_name, self.project, new_name))


class ConnectionSettings(ProxySettingsModule):
    section = sections.CONNECTION
    endpoint = 'connection'
    title = 'connection settings'

    def build_body(self, changes):
        body = dict(changes)
        # Apinizer rejects CUSTOM without the pool size in the same body, even when the size is unchanged.
        if body.get('connectionPoolManagementType') == 'CUSTOM':
            body.setdefault('customConnectionPoolSize', self.params['custom_connection_pool_size'])
        return body


class WebsocketSettings(ProxySettingsModule):
    section = sections.WEBSOCKET
    endpoint = 'websocket'
    title = 'websocket settings'

    def build_body(self, changes):
        if self.params['request_format'] == 'flat':
            return dict(changes)
        return dict(websocketSettings=dict(changes))


MAINTENANCE_MODE = proxy_module_entry(MaintenanceMode)
METADATA = proxy_module_entry(Metadata)
# Apinizer needs the pool size in the same body as CUSTOM: refuse the task before any request.
PROXY_CONNECTION = proxy_module_entry(
    ConnectionSettings, ('connection_pool_management_type', 'CUSTOM', ('custom_connection_pool_size',)))
WEBSOCKET = proxy_module_entry(WebsocketSettings)
