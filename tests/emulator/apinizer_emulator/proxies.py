# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""API proxy operations: GET, the export package, the list, the four settings PATCHes, and environments."""

from __future__ import annotations

import io
import json
import zipfile

from .common import (CONNECTION_SETTINGS_FIELDS, CUSTOM_POOL_MESSAGE, DEPLOY_FIELDS, MAINTENANCE_FIELDS, METADATA_FIELDS,
                     NO_PERMISSION, WEBSOCKET_FIELDS, Download, bad, check_bool_query, check_field, check_unknown,
                     file_name, json_type, quoted)


class ProxyOperations:
    """The API proxy operations of the Emulator (the caller holds its lock)."""

    # the API ------------------------------------------------------------------------------------

    def get_proxy(self, project_name, proxy_name, query):
        check_bool_query(query, 'withPolicies')
        project = self.project(project_name)
        proxy = self.proxy(project, proxy_name)
        view = self.proxy_view(project, proxy)
        if self.proxy_detail == 'documented':
            view = self.documented_view(view)
        return 200, {'success': True, 'resultList': [view], 'resultCount': 1}

    def export_proxy(self, project_name, proxy_name, query, passphrase):
        """The export package: a ZIP holding <name>.json, the complete definition (docs/emulator.md)."""
        project = self.project(project_name)
        if self.deny_export:
            raise bad(NO_PERMISSION)
        proxy = self.proxy(project, proxy_name, seed_status=400)
        check_bool_query(query, 'withDependencies')
        if check_bool_query(query, 'encrypt') and not (passphrase or '').strip():
            raise bad('Package encryption requested but no passphrase was supplied.')
        definition = self.export_view(self.proxy_view(project, proxy))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as package:
            package.writestr(file_name(proxy['name']) + '.json', json.dumps(definition, indent=2, ensure_ascii=False))
        return 200, Download(file_name(proxy['name']) + '.zip', buffer.getvalue())

    def list_proxies(self, project_name):
        project = self.project(project_name)
        items = [{'name': proxy['name'], 'description': proxy['description'], 'type': proxy['type'],
                  'relativePath': (proxy['clientRoute'].get('relativePathList') or [None])[0], 'soapToRest': False}
                 for proxy in sorted(project['proxies'].values(), key=lambda item: item['name'])]
        return 200, {'status': 'SUCCESS', 'resultList': items, 'resultCount': len(items)}

    def patch_websocket(self, project_name, proxy_name, body):
        project = self.project(project_name)
        proxy = self.proxy(project, proxy_name)
        if proxy['type'] != 'WEBSOCKET':
            raise bad('API Proxy type is not WEBSOCKET')
        flat = [key for key in body if key in WEBSOCKET_FIELDS]
        if 'websocketSettings' in body:
            if flat:
                raise bad('Send the websocket settings either inside "websocketSettings" or flat, not both (flat: %s)'
                          % quoted(flat))
            check_unknown(body, ['websocketSettings'] + list(DEPLOY_FIELDS))
            settings = body['websocketSettings']
            if not isinstance(settings, dict):
                raise bad('Field "websocketSettings" must be an object, got %s' % json_type(settings))
            check_unknown(settings, WEBSOCKET_FIELDS, 'websocketSettings.')
            prefix = 'websocketSettings.'
        else:
            check_unknown(body, list(WEBSOCKET_FIELDS) + list(DEPLOY_FIELDS))
            settings = {key: body[key] for key in flat}
            prefix = ''
        changes = {key: check_field(prefix + key, value, WEBSOCKET_FIELDS[key]) for key, value in settings.items()}
        environments = self._check_deploy_fields(project, proxy_name, body)
        proxy['routing']['websocketSettings'].update(changes)
        return 200, self._after_write(project, proxy, environments)

    def patch_connection_settings(self, project_name, proxy_name, body):
        project = self.project(project_name)
        proxy = self.proxy(project, proxy_name)
        if proxy['type'] == 'AI':
            raise bad('Connection settings are not supported for API proxies of type AI')
        check_unknown(body, CONNECTION_SETTINGS_FIELDS)
        changes = {key: check_field(key, value, CONNECTION_SETTINGS_FIELDS[key]) for key, value in body.items()}
        pool_type = changes.get('connectionPoolManagementType')
        if pool_type == 'CUSTOM':
            if not changes.get('customConnectionPoolSize'):
                raise bad(CUSTOM_POOL_MESSAGE)
        elif pool_type is None and 'customConnectionPoolSize' in changes:
            if proxy['routing']['connectionPoolManagementType'] == 'CUSTOM' and not changes['customConnectionPoolSize']:
                raise bad(CUSTOM_POOL_MESSAGE)
        proxy['routing'].update(changes)
        return 200, self._after_write(project, proxy, [])

    def patch_metadata(self, project_name, proxy_name, body):
        project = self.project(project_name)
        proxy = self.proxy(project, proxy_name)
        check_unknown(body, list(METADATA_FIELDS) + list(DEPLOY_FIELDS))
        if not any(key in METADATA_FIELDS for key in body):
            raise bad('At least one field must be provided')
        changes = {key: check_field(key, value, METADATA_FIELDS[key])
                   for key, value in body.items() if key in METADATA_FIELDS}
        if 'fixSoapApiPortType' in changes and proxy['type'] != 'SOAP':
            raise bad('fixSoapApiPortType is only applicable to SOAP API Proxies (this API Proxy is %s)' % proxy['type'])
        setting = changes.get('globalApiProxySettingName')
        if setting is not None and setting not in project['globalApiProxySettings']:
            raise bad('Global API Proxy Setting (name: %s) was not found!' % setting)
        new_name = changes.get('name', proxy_name)
        if new_name != proxy_name and new_name in project['proxies']:
            raise bad('ApiProxy (name: %s) is already exist!' % new_name)
        environments = self._check_deploy_fields(project, proxy_name, body)
        proxy.update(changes)
        if new_name != proxy_name:
            project['proxies'] = {new_name if key == proxy_name else key: value
                                  for key, value in project['proxies'].items()}
            self._rename_routes(project, proxy_name, new_name)
        return 200, self._after_write(project, proxy, environments)

    def patch_maintenance(self, project_name, proxy_name, body):
        project = self.project(project_name)
        proxy = self.proxy(project, proxy_name, seed_status=400)
        check_unknown(body, list(MAINTENANCE_FIELDS) + list(DEPLOY_FIELDS))
        changes = {key: check_field(key, value, MAINTENANCE_FIELDS[key])
                   for key, value in body.items() if key in MAINTENANCE_FIELDS}
        environments = self._check_deploy_fields(project, proxy_name, body)
        proxy['maintenanceModeSetting'].update(changes)
        return 200, self._after_write(project, proxy, environments)

    def list_environments(self, project_name=None):
        if project_name is None:
            seen, items = set(), []
            for project in self.projects.values():
                for env in project['environments'].values():
                    if env['name'] not in seen:
                        seen.add(env['name'])
                        items.append(self.environment_view(env, False))
        else:
            project = self.project(project_name)
            items = [self.environment_view(env, True) for env in project['environments'].values()]
        return 200, {'status': 'SUCCESS', 'resultList': items, 'resultCount': len(items)}
