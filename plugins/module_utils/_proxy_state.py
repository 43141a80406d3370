# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""Where the current settings of an API proxy are read (docs/decisions.md#1-how-current-settings-are-read).

State sources, in order: (a) the GET proxy answer; (b) for fields the task sets that (a)
does not report, the export package (a ZIP whose {apiProxyName}.json Apinizer documents as
the complete definition), fetched at most once per task and opened in memory; (c) unknown:
the module sends the field without comparison and warns. Apinizer's docs list only name,
description, apiType, categoryList, sharingType, clientRoute, routing (routingEnabled,
routingAddressList), endpointList and deploymentList in the GET answer, so (b) is what makes
maintenance mode, backend connection and websocket settings comparable on such a server.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

from ansible_collections.apinizer.apiops.plugins.module_utils._client import ApinizerApiError, ApinizerError, api_path
from ansible_collections.apinizer.apiops.plugins.module_utils._envelope import first_result

# Where each settings section is found in a proxy definition: the GET answer and the export
# package's JSON alike. The export uses the names of Apinizer's create/update-API-proxy
# bodies (routingInfo, maintenanceModeSetting); the GET answer uses routing. The first
# place that has a field wins.
SECTION_LOCATIONS = {
    'metadata': ((),),
    'connection': (('routing',), ('routingInfo',), ('connectionSettings',)),
    'websocket': (('routing', 'websocketSettings'), ('routingInfo', 'websocketSettings'), ('websocketSettings',)),
    'maintenance': (('maintenanceModeSetting',),),
}

PROXY_TYPES = ('REST', 'SOAP', 'GRPC', 'WEBSOCKET')

# Apinizer refuses an export to a token without API_MANAGEMENT + EXPORT_IMPORT with a 400 (newer
# docs) or 403 (older docs) whose text speaks of permission or privilege.
PERMISSION_PATTERN = re.compile(r'permission|privilege|not allowed|access denied|forbidden', re.IGNORECASE)


def proxy_type(proxy):
    value = proxy.get('type') or proxy.get('apiType') if isinstance(proxy, dict) else None
    return value.upper() if isinstance(value, str) else None


def find_fields(definition, location, fields):
    """{field: value} of the fields the definition reports for one settings section."""
    found = {}
    for field in fields:
        for place in SECTION_LOCATIONS[location]:
            container = definition
            for key in place:
                container = container.get(key) if isinstance(container, dict) else None
            if isinstance(container, dict) and field in container:
                found[field] = container[field]
                break
    return found


def definition_from_package(data, proxy_name):
    """The proxy definition inside an export ZIP, or None when the package holds none we can read."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = [name for name in package.namelist() if name.lower().endswith('.json')]
        # Apinizer names the file after the proxy, sanitised for a file name; prefer that one.
        sanitised = re.sub(r'[^A-Za-z0-9._-]', '_', proxy_name) + '.json'
        names.sort(key=lambda name: (name.rsplit('/', 1)[-1] not in (proxy_name + '.json', sanitised), name))
        for name in names:
            document = json.loads(package.read(name).decode('utf-8'))
            definition = first_result(document) if isinstance(document, dict) else None
            if isinstance(definition, dict) and isinstance(definition.get('apiProxy'), dict):
                definition = definition['apiProxy']
            if isinstance(definition, dict) and definition.get('name') in (None, proxy_name):
                return definition
    except (zipfile.BadZipFile, ValueError, KeyError, UnicodeDecodeError):
        return None
    return None


class ProxyState:
    """The current definition of one API proxy, from the GET answer and, on demand, the export."""

    def __init__(self, client, project, name, warn):
        self.client = client
        self.project = project
        self.name = name
        self.warn = warn
        self.proxy = None
        self._export = None
        self._export_read = False

    def path(self, *more):
        return api_path('projects', self.project, 'apiProxies', self.name, *more)

    def read(self):
        """The GET proxy answer, or None when Apinizer says this proxy does not exist."""
        self._export, self._export_read = None, False
        try:
            self.proxy = first_result(self.client.get(self.path()))
        except ApinizerApiError as exc:
            if exc.says_absent('ApiProxy', self.name):
                self.proxy = None
                return None
            raise
        if self.proxy is not None and not isinstance(self.proxy, dict):
            raise ApinizerError("Apinizer answered the read of API proxy '%s' with an unexpected body." % self.name)
        return self.proxy

    @property
    def type(self):
        return proxy_type(self.proxy) or proxy_type(self._export)

    def export(self):
        """The export package's definition (read once), or None when it cannot be had."""
        if self._export_read:
            return self._export
        self._export_read = True
        try:
            data = self.client.request('GET', self.path('export'), binary=True)
        except ApinizerApiError as exc:
            if exc.status in (400, 401, 403) and PERMISSION_PATTERN.search(exc.api_message or ''):
                self.warn("Apinizer refused the export of API proxy '%s' (project '%s'): %s. Settings that the proxy "
                          "read does not report cannot be compared without the export, which needs the permission "
                          "API_MANAGEMENT + EXPORT_IMPORT for the token." % (
                              self.name, self.project, (exc.api_message or '').rstrip('.!')))
                return None
            raise
        self._export = definition_from_package(data, self.name)
        if self._export is None:
            self.warn("The export package of API proxy '%s' (project '%s') holds no definition this collection can "
                      "read." % (self.name, self.project))
        return self._export

    def read_fields(self, location, fields):
        """({field: current value}, [fields no source reports]) for API fields of one settings section."""
        current = find_fields(self.proxy, location, fields)
        missing = [field for field in fields if field not in current]
        if missing and self.export() is not None:
            current.update(find_fields(self._export, location, missing))
        return current, [field for field in fields if field not in current]
