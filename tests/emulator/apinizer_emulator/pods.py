# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Gateway (worker) pods: what each pod of an environment serves, route-health, pod behaviours (faults)
armed with POST /_emulator/pods, the pod count, and an environment's "pods" in a seed.

An environment's `pods` is a list of pods: {workerPodIp, routes: {proxy name: route}, pending: {proxy
name: {route, polls}}}. A route is what a pod loaded for a proxy: {servedPath, methods, revision}
(route_of). By default every pod loads a deploy (and drops an undeploy) at once. A behaviour changes
that for one pod, or every pod, of an environment (and one proxy, or every proxy):

- lag (polls N): a deploy or undeploy reaches the pod only after N route-health reads of that proxy
  in that environment (the load waits in `pending`);
- stuck: the pod loads no deploy and drops no undeploy: it keeps what it had;
- orphan: the pod loads deploys but keeps serving after an undeploy;
- silent: the pod does not answer route-health (not counted, not listed);
- error (message): the pod answers route-health with an error entry.

A behaviour armed with `times` N applies N times, then is removed (a pod slow or failing once): a load
behaviour (lag, stuck, orphan) to the next N deploys or undeploys that reach the pod, a probe behaviour
(silent, error) to the next N route-health reads of the proxy in the environment. Without it, until cleared.
"""

from __future__ import annotations

import copy

from .common import DEFAULT_PODS, MAX_PODS, ROOT_CONTEXT, ApiError, _spec, bad, check_field, check_unknown, json_type

BEHAVIOURS = ('lag', 'stuck', 'orphan', 'silent', 'error')
LOAD_BEHAVIOURS = ('lag', 'stuck', 'orphan')
PROBE_BEHAVIOURS = ('silent', 'error')
BEHAVIOUR_FIELDS = ('project', 'environment', 'pod', 'proxy', 'behaviour', 'polls', 'message', 'times')
COUNT_FIELDS = ('project', 'environment', 'count')
DEFAULT_POD_ERROR = 'Connection refused'
MAX_POLLS = 1000
ROUTE_FIELDS = ('servedPath', 'methods', 'revision')


def route_of(definition, revision):
    """The route a pod loads for a proxy definition: its client route's first relative path, and the
    upper-case methods of its endpoints (those not marked active: false), each once, in order."""
    paths = (definition.get('clientRoute') or {}).get('relativePathList')
    served = paths[0] if isinstance(paths, list) and paths and isinstance(paths[0], str) else None
    methods = []
    for endpoint in definition.get('endpointList') or []:
        if isinstance(endpoint, dict) and isinstance(endpoint.get('httpMethod'), str) and endpoint.get('active') is not False:
            method = endpoint['httpMethod'].upper()
            if method not in methods:
                methods.append(method)
    return {'servedPath': served, 'methods': methods, 'revision': revision}


def pod_ip(project_index, env_index, pod_index):
    return 'http://10.%d.%d.%d:8091' % (project_index % 256, min(env_index + 1, 255), 11 + pod_index)


class PodsMixin:
    """The gateway pods of the Emulator's environments: self.pod_behaviours (armed, oldest first) and
    self.pod_counter, guarded by self.lock like the rest of the state."""

    # the pods' routes ---------------------------------------------------------------------------

    def _behaviour(self, project, env, index, proxy_name, kinds):
        """The behaviour of one kind that applies to a pod and proxy: the one armed last, or None."""
        for behaviour in reversed(self.pod_behaviours):
            if behaviour['behaviour'] in kinds and behaviour['environment'] == env['name'] \
                    and behaviour['project'] in (None, project['name']) and behaviour['pod'] in (None, index) \
                    and behaviour['proxy'] in (None, proxy_name):
                return behaviour
        return None

    @staticmethod
    def _apply(pod, proxy_name, route):
        pod['pending'].pop(proxy_name, None)
        if route is None:
            pod['routes'].pop(proxy_name, None)
        else:
            pod['routes'][proxy_name] = copy.deepcopy(route)

    def _pods_load(self, project, env, proxy_name, route):
        """A deploy (route) or undeploy (None) of a proxy reaches the environment's pods."""
        used = []
        for index, pod in enumerate(env['pods']):
            behaviour = self._behaviour(project, env, index, proxy_name, LOAD_BEHAVIOURS)
            kind = behaviour['behaviour'] if behaviour else None
            if behaviour and behaviour['times'] is not None and behaviour not in used:
                used.append(behaviour)
            if kind == 'stuck' or (kind == 'orphan' and route is None):
                continue
            if kind == 'lag':
                pod['pending'][proxy_name] = {'route': copy.deepcopy(route), 'polls': behaviour['polls']}
                continue
            self._apply(pod, proxy_name, route)
        self._count_down(used)

    def _count_down(self, used):
        """Once per deploy, undeploy or route-health read, however many of the environment's pods it reached."""
        for behaviour in used:
            behaviour['times'] -= 1
            if behaviour['times'] <= 0:
                self.pod_behaviours.remove(behaviour)

    def _deployed_routes(self, project):
        """The routes a freshly started pod loads: every proxy deployed in an environment, as its deployed
        revision's record holds it (the current definition when the record is gone)."""
        routes = {}
        for env_name in project['environments']:
            routes[env_name] = {}
        for proxy in project['proxies'].values():
            for env_name, state in proxy['deployments'].items():
                if not state['deployed']:
                    continue
                records = [record for record in proxy['deployHistory'] if record['revision'] == state['revision']]
                definition = records[0]['definition'] if records else proxy
                routes[env_name][proxy['name']] = route_of(definition, state['revision'])
        return routes

    def _rename_routes(self, project, old, new):
        """A renamed proxy: the pods serve it under its new name."""
        for env in project['environments'].values():
            for pod in env['pods']:
                for table in (pod['routes'], pod['pending']):
                    if old in table:
                        table[new] = table.pop(old)

    # route-health -------------------------------------------------------------------------------

    def route_health(self, project_name, proxy_name, env_name):
        """GET .../environments/{e}/route-health/: what every pod that answers serves for the proxy."""
        project = self.project(project_name)
        if proxy_name == '':
            raise bad('apiProxyName value can not be empty!')
        proxy = project['proxies'].get(proxy_name)
        if proxy is None:
            raise bad('ApiProxy with name (%s) is not found!' % proxy_name)
        env = self.environment(project, proxy_name, env_name)
        pods = []
        used = []
        for index, pod in enumerate(env['pods']):
            pending = pod['pending'].get(proxy_name)
            if pending is not None:
                if pending['polls'] <= 0:
                    self._apply(pod, proxy_name, pending['route'])
                else:
                    pending['polls'] -= 1
            probe = self._behaviour(project, env, index, proxy_name, PROBE_BEHAVIOURS)
            if probe and probe['times'] is not None and probe not in used:
                used.append(probe)
            if probe and probe['behaviour'] == 'silent':
                continue
            route = pod['routes'].get(proxy_name)
            entry = {'routeActive': route is not None, 'servedPath': route['servedPath'] if route else None,
                     'methods': list(route['methods']) if route else [], 'workerPodIp': pod['workerPodIp'],
                     'apinizerRootContext': ROOT_CONTEXT}
            if probe:
                entry.update(routeActive=False, servedPath=None, methods=[], error=probe['message'])
            pods.append(entry)
        self._count_down(used)
        responded = len(pods)
        active = [entry for entry in pods if entry['routeActive']]
        state = proxy['deployments'].get(env_name)
        deployed = bool(state and state['deployed'])
        inconsistent = bool(responded) and ((deployed and len(active) < responded) or (not deployed and bool(active)))
        result = {'routeActive': bool(responded) and len(active) == responded,
                  'servedPath': active[0]['servedPath'] if active else None,
                  'methods': list(active[0]['methods']) if active else [],
                  'apinizerRootContext': ROOT_CONTEXT, 'podsResponded': responded, 'podsActive': len(active),
                  'deployedInManager': deployed, 'inconsistent': inconsistent, 'pods': pods}
        if self.style == 'newer':
            return 200, {'status': 'SUCCESS', 'resultList': [result], 'resultCount': 1}
        # The older page's answer: no deployedInManager and inconsistent, in the success-A envelope.
        del result['deployedInManager'], result['inconsistent']
        return 200, {'success': True, 'result': [result]}

    # admin: /_emulator/pods ---------------------------------------------------------------------

    def _pod_environments(self, body):
        """[(project, env)] a pods admin body names: its environment in its project, or in every project."""
        project_name = body.get('project')
        if project_name is not None and not isinstance(project_name, str):
            raise bad('Field "project" must be a string')
        env_name = body.get('environment')
        if not isinstance(env_name, str) or not env_name:
            raise bad('Field "environment" (an environment name) is required')
        if project_name is not None and project_name not in self.projects:
            raise bad('No project %s' % project_name)
        found = [(project, project['environments'][env_name]) for name, project in self.projects.items()
                 if project_name in (None, name) and env_name in project['environments']]
        if not found:
            raise bad('No environment %s%s' % (env_name, '' if project_name is None else ' in project %s' % project_name))
        return found

    def add_pod_behaviour(self, body):
        if not isinstance(body, dict):
            raise bad('a pod behaviour must be a JSON object')
        check_unknown(body, BEHAVIOUR_FIELDS)
        kind = body.get('behaviour')
        if kind not in BEHAVIOURS or not isinstance(kind, str):
            given = '"%s"' % kind if isinstance(kind, str) else json_type(kind)
            raise bad('Field "behaviour" must be one of %s, got %s' % (', '.join(BEHAVIOURS), given))
        pod = body.get('pod')
        if pod is not None and (isinstance(pod, bool) or not isinstance(pod, int) or pod < 0):
            raise bad('Field "pod" must be a pod index (0 or more)')
        proxy = body.get('proxy')
        if proxy is not None and (not isinstance(proxy, str) or not proxy):
            raise bad('Field "proxy" must be an API proxy name')
        polls = body.get('polls')
        if kind == 'lag':
            if isinstance(polls, bool) or not isinstance(polls, int) or not 1 <= polls <= MAX_POLLS:
                raise bad('Field "polls" (1 to %d route-health reads) is required for "lag"' % MAX_POLLS)
        elif polls is not None:
            raise bad('Field "polls" is only for "lag"')
        message = body.get('message')
        if kind == 'error':
            if message is None:
                message = DEFAULT_POD_ERROR
            elif not isinstance(message, str) or not message:
                raise bad('Field "message" must be a non-empty string')
        elif message is not None:
            raise bad('Field "message" is only for "error"')
        times = body.get('times')
        if times is not None and (isinstance(times, bool) or not isinstance(times, int) or not 1 <= times <= MAX_POLLS):
            raise bad('Field "times" must be from 1 to %d (deploys or undeploys, route-health reads for silent and '
                      'error)' % MAX_POLLS)
        with self.lock:
            found = self._pod_environments(body)
            if pod is not None and not any(pod < len(env['pods']) for _project, env in found):
                raise bad('Environment %s has no pod %d (pods are counted from 0)' % (body['environment'], pod))
            if proxy is not None and not any(proxy in project['proxies'] for project, _env in found):
                raise bad('No API proxy %s' % proxy)
            self.pod_counter += 1
            behaviour = {'id': self.pod_counter, 'project': body.get('project'), 'environment': body['environment'],
                         'pod': pod, 'proxy': proxy, 'behaviour': kind, 'polls': polls, 'message': message,
                         'times': times}
            self.pod_behaviours.append(behaviour)
            return dict(behaviour)

    def remove_pod_behaviour(self, behaviour_id):
        with self.lock:
            for behaviour in self.pod_behaviours:
                if behaviour['id'] == behaviour_id:
                    self.pod_behaviours.remove(behaviour)
                    return dict(behaviour)
        raise ApiError(404, 'No pod behaviour %d' % behaviour_id)

    def clear_pod_behaviours(self):
        """Remove every behaviour and let every pending (lagging) load reach its pod now."""
        with self.lock:
            cleared = len(self.pod_behaviours)
            self.pod_behaviours = []
            applied = 0
            for project in self.projects.values():
                for env in project['environments'].values():
                    for pod in env['pods']:
                        for proxy_name, pending in list(pod['pending'].items()):
                            self._apply(pod, proxy_name, pending['route'])
                            applied += 1
        return {'cleared': cleared, 'applied': applied}

    def set_pod_count(self, body):
        """POST /_emulator/pods/count: remove pods from the end, or add pods that load what is deployed."""
        if not isinstance(body, dict):
            raise bad('a pod count must be a JSON object')
        check_unknown(body, COUNT_FIELDS)
        count = body.get('count')
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_PODS:
            raise bad('Field "count" must be a number of pods from 0 to %d' % MAX_PODS)
        with self.lock:
            found = self._pod_environments(body)
            for project, env in found:
                del env['pods'][count:]
                if len(env['pods']) < count:
                    routes = self._deployed_routes(project)[env['name']]
                    project_index = list(self.projects).index(project['name'])
                    env_index = list(project['environments']).index(env['name'])
                    for index in range(len(env['pods']), count):
                        env['pods'].append({'workerPodIp': pod_ip(project_index, env_index, index),
                                            'routes': copy.deepcopy(routes), 'pending': {}})
            return [self._environment_pods(project, env) for project, env in found]

    def _environment_pods(self, project, env):
        return {'project': project['name'], 'environment': env['name'],
                'pods': [dict(copy.deepcopy(pod), pod=index) for index, pod in enumerate(env['pods'])]}

    def pods_view(self):
        """GET /_emulator/pods: the armed behaviours and every environment's pods."""
        with self.lock:
            return {'behaviours': [dict(behaviour) for behaviour in self.pod_behaviours],
                    'environments': [self._environment_pods(project, env) for project in self.projects.values()
                                     for env in project['environments'].values()]}

    # seeds --------------------------------------------------------------------------------------

    def _load_pods(self, project, where, project_index):
        """Replace each environment's seeded "pods" (a count, a list of pods, or absent) by its pods."""
        deployed = None
        for env_index, env in enumerate(project['environments'].values()):
            place = '%s.environments[%d].pods' % (where, env_index)
            given = env['pods']
            if given is None:
                given = self.default_pods
            if isinstance(given, bool) or not isinstance(given, (int, list)):
                raise ApiError(400, '%s: must be a number of pods or an array of pods' % place)
            if isinstance(given, int):
                if not 0 <= given <= MAX_PODS:
                    raise ApiError(400, '%s: must be from 0 to %d' % (place, MAX_PODS))
                given = [{}] * given
            if len(given) > MAX_PODS:
                raise ApiError(400, '%s: at most %d pods' % (place, MAX_PODS))
            pods = []
            for index, item in enumerate(given):
                if deployed is None:
                    deployed = self._deployed_routes(project)
                pods.append(self._load_pod(project, item, '%s[%d]' % (place, index), pod_ip(project_index, env_index, index),
                                           deployed[env['name']]))
            env['pods'] = pods

    def _load_pod(self, project, item, where, default_ip, deployed):
        try:
            if not isinstance(item, dict):
                raise bad('a pod must be an object')
            check_unknown(item, ('workerPodIp', 'routes', 'pending'), '')
            pod = {'workerPodIp': check_field('workerPodIp', item.get('workerPodIp', default_ip), _spec('str', nonempty=True))}
            if 'routes' in item:
                routes = item['routes']
                if not isinstance(routes, dict):
                    raise bad('"routes" must be an object: API proxy name -> route')
                pod['routes'] = {name: self._load_route(project, name, route, 'routes.%s.' % name)
                                 for name, route in routes.items()}
            else:
                pod['routes'] = copy.deepcopy(deployed)
            pending = item.get('pending', {})
            if not isinstance(pending, dict):
                raise bad('"pending" must be an object: API proxy name -> {route, polls}')
            pod['pending'] = {}
            for name, load in pending.items():
                if not isinstance(load, dict):
                    raise bad('"pending.%s" must be an object' % name)
                check_unknown(load, ('route', 'polls'), 'pending.%s.' % name)
                route = load.get('route')
                pod['pending'][name] = {
                    'route': None if route is None else self._load_route(project, name, route, 'pending.%s.route.' % name),
                    'polls': check_field('pending.%s.polls' % name, load.get('polls', 0), _spec('int', min=0))}
        except ApiError as exc:
            raise ApiError(400, '%s: %s' % (where, exc.message))
        return pod

    @staticmethod
    def _load_route(project, name, route, where):
        if name not in project['proxies']:
            raise bad('"%s" names no API proxy of the project' % where.rstrip('.'))
        if not isinstance(route, dict):
            raise bad('"%s" must be an object' % where.rstrip('.'))
        check_unknown(route, ROUTE_FIELDS, where)
        return {'servedPath': check_field(where + 'servedPath', route.get('servedPath'), _spec('str', nullable=True)),
                'methods': check_field(where + 'methods', route.get('methods', []), _spec('str_list')),
                'revision': check_field(where + 'revision', route.get('revision'), _spec('int', min=1, nullable=True))}

    @staticmethod
    def _dump_pods(env):
        """An environment's pods in the seed format (pending only where a load is pending)."""
        pods = []
        for pod in env['pods']:
            item = {'workerPodIp': pod['workerPodIp'], 'routes': copy.deepcopy(pod['routes'])}
            if pod['pending']:
                item['pending'] = copy.deepcopy(pod['pending'])
            pods.append(item)
        return pods


__all__ = ['DEFAULT_PODS', 'PodsMixin', 'route_of']
