# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulated server: its state, the lookups and views the API operations share, and the request log.

The API operations themselves are mixins: proxies.py (GET, export, the settings PATCHes, environments),
deploys.py (deploy, undeploy, deploy-status), history.py (deploy histories, rollback), pods.py (gateway
pods, route-health), connections.py; seed.py loads and dumps the state and
faults.py holds the faults. Every operation runs under the one lock (server.py takes it)."""

from __future__ import annotations

import copy
import threading

from .common import DEFAULT_HISTORY_LIMIT, DEFAULT_PODS, DEFAULT_TOKEN, DOCUMENTED_PROXY_FIELDS, DOCUMENTED_ROUTING_FIELDS, METADATA_FIELDS, NotFound, bad
from .connection_schema import ConnectionSchema
from .connections import ConnectionOperations
from .deploys import DeployOperations, new_deployment
from .faults import FaultsMixin, Holds
from .history import HistoryMixin
from .pods import PodsMixin
from .proxies import ProxyOperations
from .seed import SeedMixin


class Emulator(SeedMixin, FaultsMixin, ProxyOperations, DeployOperations, HistoryMixin, PodsMixin,
               ConnectionOperations):
    """The emulated server's state and the API operations on it; every operation under one lock."""

    def __init__(self, seed, token=DEFAULT_TOKEN, style='seed', schema=None, proxy_detail='full', deny_export=False,
                 latency_ms=0, deploy_latency_ms=0, history_limit=DEFAULT_HISTORY_LIMIT, default_pods=DEFAULT_PODS):
        self.lock = threading.RLock()
        self.token = token
        self.style = style
        self.proxy_detail = proxy_detail
        self.deny_export = deny_export
        self.latency = latency_ms / 1000.0
        self.deploy_latency = deploy_latency_ms / 1000.0
        # deploys and undeploys to one environment done by the request that holds the lock
        self.deploys = 0
        self.schema = schema or ConnectionSchema.load()
        self.history_limit = history_limit
        self.default_pods = default_pods
        self.pod_behaviours = []
        self.pod_counter = 0
        self.start_seed = copy.deepcopy(seed)
        self.projects = self.load_seed(seed)
        self.requests = []
        self.faults = []
        self.fault_counter = 0
        self.holds = Holds()

    def reset(self, seed=None):
        projects = self.load_seed(self.start_seed if seed is None else seed)
        self.holds.clear(Holds.RESET_SETTLE)
        with self.lock:
            self.projects = projects
            self.requests = []
            self.faults = []
            self.pod_behaviours = []

    # request log -------------------------------------------------------------------

    def record(self, entry):
        with self.lock:
            self.requests.append(entry)

    # answers ----------------------------------------------------------------------------------

    def error_body(self, error):
        if self.style == 'newer':
            return {'status': 'FAILURE', 'resultMessage': error.message}
        return {'error': error.code, 'error_description': error.message}

    def error_status(self, error):
        if isinstance(error, NotFound):
            return 400 if self.style == 'newer' else error.seed_status
        return error.status

    def as_not_found(self, message, seed_status=404):
        error = NotFound(message, seed_status)
        if self.style == 'seed' and seed_status == 400:
            error.code = 'bad_request'
        return error

    # lookups ------------------------------------------------------------------------------------

    def project(self, name):
        if name == '':
            raise bad('projectName value can not be empty!')
        project = self.projects.get(name)
        if project is None:
            if self.style == 'newer':
                raise self.as_not_found('Project (%s) is not found or user does not have privilege to access it!' % name)
            raise self.as_not_found("Project '%s' not found" % name)
        return project

    def proxy(self, project, name, seed_status=404, message=None):
        if name == '':
            raise bad('apiProxyName value can not be empty!')
        proxy = project['proxies'].get(name)
        if proxy is None:
            raise self.as_not_found(message or 'ApiProxy (name: %s) was not found!' % name, seed_status)
        return proxy

    def environment(self, project, proxy_name, env_name):
        env = project['environments'].get(env_name)
        if env is None:
            raise bad('ApiProxy with name (%s) can not be deployed to Environment(%s) because it is not exist!'
                      % (proxy_name, env_name))
        return env

    def connection(self, project, name):
        if name == '':
            raise bad('Connection name can not be empty!')
        connection = project['connections'].get(name.lower())
        if connection is None:
            raise self.as_not_found('Connection (name: %s) was not found!' % name, 400)
        return connection

    # views --------------------------------------------------------------------------------------

    @staticmethod
    def proxy_view(project, proxy):
        view = {'name': proxy['name'], 'description': proxy['description'], 'type': proxy['type'],
                'apiType': proxy['type']}
        for field in METADATA_FIELDS:
            if field not in ('name', 'description'):
                view[field] = copy.deepcopy(proxy[field])
        view['clientRoute'] = copy.deepcopy(proxy['clientRoute'])
        view['endpointList'] = copy.deepcopy(proxy['endpointList'])
        view['routing'] = copy.deepcopy(proxy['routing'])
        view['maintenanceModeSetting'] = dict(proxy['maintenanceModeSetting'])
        view['deploymentList'] = []
        for env in project['environments']:
            state = proxy['deployments'].get(env) or new_deployment()
            view['deploymentList'].append({'environmentName': env, 'deployed': state['deployed'],
                                           'redeployRequired': state['redeployRequired']})
        return view

    @staticmethod
    def documented_view(view):
        """A full proxy view cut to the fields Apinizer documents for GET API proxy."""
        shown = {key: view[key] for key in DOCUMENTED_PROXY_FIELDS}
        shown['routing'] = {key: view['routing'][key] for key in DOCUMENTED_ROUTING_FIELDS}
        return shown

    @staticmethod
    def export_view(view):
        """A full proxy view in the field names of Apinizer's create/update API proxy bodies."""
        return {'routingInfo' if key == 'routing' else key: value for key, value in view.items()}

    @staticmethod
    def environment_view(env, in_project):
        view = {key: env[key] for key in ('id', 'name', 'description', 'type', 'accessUrl', 'status')}
        if in_project:
            view['deployed'] = None
            view['redeployRequired'] = None
        return view
