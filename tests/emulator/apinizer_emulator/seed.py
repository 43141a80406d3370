# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Seeds (docs/emulator.md, "Seed format"): loading and validating one, and dumping the state in that format."""

from __future__ import annotations

import copy

from .common import (CONNECTION_SETTINGS_FIELDS, CUSTOM_POOL_MESSAGE, DEFAULT_BACKEND_API_VERSION, ENVIRONMENT_STATUSES,
                     ENVIRONMENT_TYPES, MAINTENANCE_FIELDS, METADATA_FIELDS, PROXY_TYPES, SEED_DEPLOY_TIME,
                     SEED_ONLY_SHARING_TYPES, SHARING_TYPES, WEBSOCKET_FIELDS, ApiError, SeedError, _spec, bad,
                     check_field, check_unknown, json_type, quoted, slug, stable_id)


class SeedMixin:
    """Seed loading and the state dump of the Emulator (self.schema validates connections).

    A proxy's deploy history is loaded by history.py (_load_history), an environment's gateway pods by
    pods.py (_load_pods, _dump_pods), once the proxies they refer to are loaded.
    """

    def load_seed(self, seed):
        """The projects of a seed object, fully validated; raises SeedError naming the place."""
        if not isinstance(seed, dict):
            raise SeedError('the seed must be a JSON object, got %s' % json_type(seed))
        unknown = [key for key in seed if key not in ('projects', 'description')]
        if unknown:
            raise SeedError('unknown top-level key(s) %s (expected "projects")' % quoted(unknown))
        projects_in = seed.get('projects', {})
        if not isinstance(projects_in, dict):
            raise SeedError('"projects" must be an object: project name -> project')
        projects = {}
        for index, (project_name, project_in) in enumerate(projects_in.items()):
            where = 'projects.%s' % project_name
            try:
                projects[project_name] = self._load_project(project_name, project_in, where, index)
            except ApiError as exc:
                raise SeedError('%s: %s' % (where, exc.message))
        return projects

    def _load_project(self, name, data, where, index=0):
        if not name:
            raise SeedError('projects: a project name must not be empty')
        if not isinstance(data, dict):
            raise SeedError('%s must be an object' % where)
        unknown = [key for key in data if key not in ('environments', 'apiProxies', 'connections',
                                                      'globalApiProxySettings', 'description')]
        if unknown:
            raise SeedError('%s: unknown key(s) %s' % (where, quoted(unknown)))
        project = {'name': name, 'environments': {}, 'proxies': {}, 'connections': {}}
        settings = data.get('globalApiProxySettings', [])
        check_field('globalApiProxySettings', settings, _spec('str_list'))
        project['globalApiProxySettings'] = list(settings)
        for position, env in enumerate(self._seed_list(data, 'environments', where)):
            env = self._load_environment(name, env, '%s.environments[%d]' % (where, position))
            if env['name'] in project['environments']:
                raise SeedError('%s.environments: environment %s appears twice' % (where, env['name']))
            project['environments'][env['name']] = env
        for position, proxy in enumerate(self._seed_list(data, 'apiProxies', where)):
            place = '%s.apiProxies[%d]' % (where, position)
            try:
                proxy = self._load_proxy(project, proxy)
            except ApiError as exc:
                raise SeedError('%s: %s' % (place, exc.message))
            if proxy['name'] in project['proxies']:
                raise SeedError('%s: API proxy %s appears twice' % (place, proxy['name']))
            project['proxies'][proxy['name']] = proxy
        try:
            self._load_pods(project, where, index)
        except ApiError as exc:  # its text names the place in full (projects.P.environments[i].pods...)
            raise SeedError(exc.message)
        for position, connection in enumerate(self._seed_list(data, 'connections', where)):
            place = '%s.connections[%d]' % (where, position)
            try:
                stored = self._load_connection(project, connection)
            except ApiError as exc:
                raise SeedError('%s: %s' % (place, exc.message))
            if stored['name'].lower() in project['connections']:
                raise SeedError('%s: connection %s appears twice (names are case-insensitive)' % (place, stored['name']))
            project['connections'][stored['name'].lower()] = stored
        return project

    @staticmethod
    def _seed_list(data, key, where):
        items = data.get(key, [])
        if not isinstance(items, list):
            raise SeedError('%s.%s must be an array' % (where, key))
        return items

    @staticmethod
    def _load_environment(project_name, data, where):
        if not isinstance(data, dict):
            raise SeedError('%s must be an object' % where)
        unknown = [key for key in data if key not in ('id', 'name', 'description', 'type', 'accessUrl', 'status', 'failDeploy',
                                                      'pods')]
        if unknown:
            raise SeedError('%s: unknown key(s) %s' % (where, quoted(unknown)))
        name = data.get('name')
        if not isinstance(name, str) or not name:
            raise SeedError('%s: "name" must be a non-empty string' % where)
        try:
            env_type = check_field('type', data.get('type', 'PRODUCTION' if name.lower().startswith('prod') else 'TEST'),
                                   _spec('enum', enum=ENVIRONMENT_TYPES))
            status = check_field('status', data.get('status', 'PUBLISHED'), _spec('enum', enum=ENVIRONMENT_STATUSES))
            description = check_field('description', data.get('description', '%s environment' % name), _spec('str'))
            access_url = check_field('accessUrl', data.get('accessUrl', 'https://%s.gateway.example.com' % slug(name)), _spec('str'))
            env_id = check_field('id', data.get('id', stable_id('environment', name)), _spec('str'))
            fail = check_field('failDeploy', data.get('failDeploy'), _spec('str', nullable=True))
        except ApiError as exc:
            raise SeedError('%s: %s' % (where, exc.message))
        # "pods" as given (a count or a list); _load_pods replaces it once the proxies are loaded.
        return {'id': env_id, 'name': name, 'description': description, 'type': env_type,
                'accessUrl': access_url, 'status': status, 'failDeploy': fail, 'pods': data.get('pods')}

    def _load_proxy(self, project, data):
        if not isinstance(data, dict):
            raise bad('an API proxy must be an object')
        known = (['name', 'type', 'apiType', 'clientRoute', 'endpointList', 'routing', 'maintenanceModeSetting',
                  'deployments', 'deploymentList', 'deployHistory', 'lastRevision', 'backendApiVersion']
                 + list(METADATA_FIELDS))
        check_unknown(data, known, '')
        name = check_field('name', data.get('name'), METADATA_FIELDS['name'])
        proxy_type = check_field('type', data.get('type', 'REST'), _spec('enum', enum=PROXY_TYPES))
        if 'apiType' in data and data['apiType'] != proxy_type:
            raise bad('"apiType" must equal "type" (%s)' % proxy_type)
        proxy = {'name': name, 'type': proxy_type}
        proxy.update(self._load_definition(project, name, proxy_type, data))
        proxy['deployments'] = self._load_deployments(project, data)
        proxy['backendApiVersion'] = check_field('backendApiVersion', data.get('backendApiVersion', DEFAULT_BACKEND_API_VERSION),
                                                 _spec('str'))
        self._load_history(project, proxy, data)
        return proxy

    def _load_definition(self, project, name, proxy_type, data, where=''):
        """The definition fields (DEFINITION_FIELDS) of a seeded proxy or history record, defaults filled in."""
        proxy = {}
        for field, spec in METADATA_FIELDS.items():
            if field == 'name':
                continue
            if field == 'fixSoapApiPortType' and proxy_type != 'SOAP':
                if data.get(field) is not None:
                    raise bad('"%sfixSoapApiPortType" is only for SOAP API proxies' % where)
                proxy[field] = None
                continue
            if field == 'sharingType':
                spec = _spec('enum', spec['default'], enum=SHARING_TYPES + SEED_ONLY_SHARING_TYPES)
            if field in data:
                proxy[field] = check_field(where + field, data[field], spec)
            else:
                proxy[field] = copy.deepcopy(spec['default'])
        setting = proxy['globalApiProxySettingName']
        if setting is not None and setting not in project['globalApiProxySettings']:
            raise bad('globalApiProxySettingName %s is not in the project\'s globalApiProxySettings' % setting)
        route = data.get('clientRoute', {'relativePathList': ['/' + slug(name)], 'hostList': []})
        if not isinstance(route, dict):
            raise bad('"%sclientRoute" must be an object' % where)
        proxy['clientRoute'] = copy.deepcopy(route)
        endpoints = data.get('endpointList', [])
        if not isinstance(endpoints, list):
            raise bad('"%sendpointList" must be an array' % where)
        proxy['endpointList'] = copy.deepcopy(endpoints)
        proxy['routing'] = self._load_routing(name, proxy_type, data.get('routing', {}), where)
        maintenance = data.get('maintenanceModeSetting', {})
        if not isinstance(maintenance, dict):
            raise bad('"%smaintenanceModeSetting" must be an object' % where)
        check_unknown(maintenance, MAINTENANCE_FIELDS, where + 'maintenanceModeSetting.')
        proxy['maintenanceModeSetting'] = {
            field: check_field(where + 'maintenanceModeSetting.' + field, maintenance[field], spec) if field in maintenance
            else spec['default'] for field, spec in MAINTENANCE_FIELDS.items()}
        return proxy

    @staticmethod
    def _load_routing(name, proxy_type, data, where=''):
        if not isinstance(data, dict):
            raise bad('"%srouting" must be an object' % where)
        known = ['routingEnabled', 'routingAddressList', 'websocketSettings'] + list(CONNECTION_SETTINGS_FIELDS)
        check_unknown(data, known, where + 'routing.')
        routing = {'routingEnabled': check_field(where + 'routing.routingEnabled', data.get('routingEnabled', True), _spec('bool'))}
        addresses = data.get('routingAddressList', [{'address': 'https://backend.example.com/%s' % slug(name),
                                                     'weight': 100, 'healthMonitoringEnabled': False}])
        if not isinstance(addresses, list) or not all(isinstance(item, dict) for item in addresses):
            raise bad('"%srouting.routingAddressList" must be an array of objects' % where)
        routing['routingAddressList'] = copy.deepcopy(addresses)
        for field, spec in CONNECTION_SETTINGS_FIELDS.items():
            routing[field] = (check_field(where + 'routing.' + field, data[field], spec) if field in data
                              else copy.deepcopy(spec['default']))
        if routing['connectionPoolManagementType'] == 'CUSTOM' and not routing['customConnectionPoolSize']:
            raise bad(CUSTOM_POOL_MESSAGE)
        if 'websocketSettings' in data and proxy_type != 'WEBSOCKET':
            raise bad('"%srouting.websocketSettings" is only for WEBSOCKET API proxies' % where)
        if proxy_type == 'WEBSOCKET':
            settings = data.get('websocketSettings', {})
            if not isinstance(settings, dict):
                raise bad('"%srouting.websocketSettings" must be an object' % where)
            check_unknown(settings, WEBSOCKET_FIELDS, where + 'routing.websocketSettings.')
            routing['websocketSettings'] = {
                field: check_field(where + 'routing.websocketSettings.' + field, settings[field], spec) if field in settings
                else spec['default'] for field, spec in WEBSOCKET_FIELDS.items()}
        return routing

    @staticmethod
    def _load_deployments(project, data):
        """deployments: ["env", ...] or {"env": {deployed, redeployRequired, revision, lastDeployTime}};
        or the GET form deploymentList: [{environmentName, deployed, redeployRequired}]."""
        if 'deployments' in data and 'deploymentList' in data:
            raise bad('give "deployments" or "deploymentList", not both')
        raw = data.get('deployments', {})
        if 'deploymentList' in data:
            if not isinstance(data['deploymentList'], list):
                raise bad('"deploymentList" must be an array')
            raw = {}
            for item in data['deploymentList']:
                if not isinstance(item, dict) or not isinstance(item.get('environmentName'), str):
                    raise bad('"deploymentList" items need an "environmentName"')
                raw[item['environmentName']] = {key: value for key, value in item.items() if key != 'environmentName'}
        if isinstance(raw, list):
            if not all(isinstance(env, str) for env in raw):
                raise bad('"deployments" as an array must list environment names')
            raw = {env: {'deployed': True} for env in raw}
        if not isinstance(raw, dict):
            raise bad('"deployments" must be an array of environment names or an object')
        deployments = {}
        for env, state in raw.items():
            if env not in project['environments']:
                raise bad('deployment to unknown environment %s' % env)
            if not isinstance(state, dict):
                raise bad('deployments.%s must be an object' % env)
            check_unknown(state, ('deployed', 'redeployRequired', 'revision', 'lastDeployTime'), 'deployments.%s.' % env)
            deployed = check_field('deployed', state.get('deployed', True), _spec('bool'))
            entry = {
                'deployed': deployed,
                'redeployRequired': check_field('redeployRequired', state.get('redeployRequired', False), _spec('bool')),
                'revision': check_field('revision', state.get('revision', 1 if deployed else None),
                                        _spec('int', min=1, nullable=True)),
                'lastDeployTime': check_field('lastDeployTime', state.get('lastDeployTime', SEED_DEPLOY_TIME if deployed else None),
                                              _spec('str', nullable=True)),
            }
            if entry['redeployRequired'] and not deployed:
                raise bad('deployments.%s: redeployRequired needs deployed' % env)
            deployments[env] = entry
        return deployments

    def _load_connection(self, project, data):
        if not isinstance(data, dict):
            raise bad('a connection must be an object')
        self._check_connection_type(data)
        if not isinstance(data.get('name'), str) or not data['name'].strip():
            raise bad('Field "name" is required')
        return self.schema.build(project['name'], data)

    def dump(self):
        """The whole state in the seed format (POST /_emulator/reset takes it back)."""
        projects = {}
        for name, project in self.projects.items():
            proxies = []
            for proxy in project['proxies'].values():
                item = {key: copy.deepcopy(value) for key, value in proxy.items()}
                proxies.append(item)
            environments = []
            for env in project['environments'].values():
                item = dict(env, pods=self._dump_pods(env))
                if not item.get('failDeploy'):
                    item.pop('failDeploy')
                environments.append(item)
            projects[name] = {
                'globalApiProxySettings': list(project['globalApiProxySettings']),
                'environments': environments,
                'apiProxies': proxies,
                'connections': [copy.deepcopy(c) for c in project['connections'].values()],
            }
        return {'projects': projects}
