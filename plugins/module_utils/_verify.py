# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""Verifying a deploy where it counts: on the gateway pods, not only in the Manager's record.

`deployed: true` in deploy-status is the Manager's record only; the route may be missing on
some pods, or a pod may still serve an old snapshot. After a deploy (or undeploy) the module
polls GET .../environments/{env}/route-health/ until every pod that answered serves the route
(or, after an undeploy, none does), as many pods answered as the task expects, the Manager and
the pods agree, and the pods serve the proxy's path and methods; or until the wait runs out.
With no pod answering at all (an installation without the pods' management API configured), the
task decides: the Manager's record (with a warning) or a failure (docs/decisions.md,
"Verifying deploys").
"""

from __future__ import annotations

import time

from ansible_collections.apinizer.apiops.plugins.module_utils._client import ApinizerApiError, ApinizerError, api_path
from ansible_collections.apinizer.apiops.plugins.module_utils._compare import as_bool
from ansible_collections.apinizer.apiops.plugins.module_utils._envelope import first_result

ROUTE = 'route'
MANAGER = 'manager'
NONE = 'none'
VERIFY_CHOICES = [ROUTE, MANAGER, NONE]
DEFAULT_VERIFY_TIMEOUT = 120
DEFAULT_VERIFY_INTERVAL = 2.0


def verify_argument_spec():
    """The verification options of every module that deploys (doc fragment apinizer.apiops.verify)."""
    return dict(
        verify=dict(type='str', choices=VERIFY_CHOICES, default=ROUTE),
        verify_timeout=dict(type='int', default=DEFAULT_VERIFY_TIMEOUT),
        verify_interval=dict(type='float', default=DEFAULT_VERIFY_INTERVAL),
        verify_pods=dict(type='raw'),
        verify_without_pods=dict(type='str', choices=[MANAGER, 'fail'], default=MANAGER),
    )


def verify_option_problems(params):
    """Sentences for verification options argument validation cannot check."""
    problems = []
    if params.get('verify_timeout') is not None and params['verify_timeout'] < 0:
        problems.append('verify_timeout must be 0 or more seconds, got %s.' % params['verify_timeout'])
    if params.get('verify_interval') is not None and params['verify_interval'] <= 0:
        problems.append('verify_interval must be a positive number of seconds, got %s.' % params['verify_interval'])
    pods = params.get('verify_pods')
    if pods is not None:
        values = pods.values() if isinstance(pods, dict) else [pods]
        if not all(isinstance(value, int) and not isinstance(value, bool) and value >= 1 for value in values):
            problems.append('verify_pods must be a number of pods (1 or more), or a mapping of environment names to '
                            'one, got %r.' % (pods,))
    return problems


def expected_pods(params, env):
    pods = params.get('verify_pods')
    if isinstance(pods, dict):
        return pods.get(env)
    return pods


def _count(value):
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _path(value):
    return value.rstrip('/') or '/' if isinstance(value, str) else None


def serves(proxy):
    """(paths, methods) the proxy should serve, from its definition; None where it does not say."""
    proxy = proxy if isinstance(proxy, dict) else {}
    route = proxy.get('clientRoute') if isinstance(proxy.get('clientRoute'), dict) else {}
    listed = route.get('relativePathList')
    paths = {_path(path) for path in listed if isinstance(path, str)} if isinstance(listed, list) and listed else None
    endpoints = proxy.get('endpointList')
    methods = None
    if isinstance(endpoints, list) and endpoints:
        methods = {str(item.get('httpMethod')).upper() for item in endpoints
                   if isinstance(item, dict) and item.get('httpMethod') and item.get('active', True) is not False}
        methods = methods or None
    return paths, methods


def read_route_health(body):
    """The route-health object of either documented envelope (resultList, or an older page's result)."""
    if isinstance(body, dict) and isinstance(body.get('result'), list) and 'resultList' not in body:
        body = dict(body, resultList=body['result'])
    health = first_result(body)
    return health if isinstance(health, dict) else None


class Observation:
    """One route-health answer, judged against what the task expects."""

    def __init__(self, health, deploying, paths, methods, expected):
        self.health = health
        pods = health.get('pods')
        self.pods = [pod for pod in pods if isinstance(pod, dict)] if isinstance(pods, list) else []
        self.responded = _count(health.get('podsResponded'))
        if self.responded is None:
            self.responded = len(self.pods)
        self.active = _count(health.get('podsActive'))
        if self.active is None:
            self.active = sum(1 for pod in self.pods if as_bool(pod.get('routeActive')))
        self.route_active = as_bool(health.get('routeActive'))
        self.inconsistent = as_bool(health.get('inconsistent'))  # the current OpenAPI schema lacks it
        self.in_manager = as_bool(health.get('deployedInManager'))
        self.expected = expected
        self.problems = self._judge(deploying, paths, methods)

    @property
    def no_pod_answered(self):
        return self.responded == 0 and not self.pods

    def _judge(self, deploying, paths, methods):
        problems = []
        for pod in self.pods:
            name = pod.get('workerPodIp') or 'a pod'
            active = as_bool(pod.get('routeActive'))
            if pod.get('error'):
                problems.append('%s answered with an error (%s)' % (name, pod['error']))
            elif deploying and not active:
                problems.append('%s does not serve the route' % name)
            elif not deploying and active:
                problems.append('%s still serves %s' % (name, pod.get('servedPath') or 'the route'))
            elif deploying:
                # A pod that does not say what it serves is judged by routeActive alone.
                served = _path(pod.get('servedPath'))
                if paths and served is not None and served not in paths:
                    problems.append('%s serves %s instead of %s' % (name, pod.get('servedPath'), ', '.join(sorted(paths))))
                pod_methods = {str(method).upper() for method in pod.get('methods') or []}
                if methods and pod_methods and pod_methods != methods:
                    problems.append('%s accepts %s instead of %s' % (
                        name, ', '.join(sorted(pod_methods)) or 'no method', ', '.join(sorted(methods))))
        if deploying:
            if self.route_active is False and not problems:
                problems.append('Apinizer reports the route not active on every pod')
            if self.active != self.responded:
                problems.append('%d of %d pods that answered serve the route' % (self.active, self.responded))
        elif self.active:
            plural = self.active > 1
            problems.append('%d pod%s still serve%s the route' % (self.active, 's' if plural else '', '' if plural else 's'))
        if self.inconsistent:
            problems.append("Apinizer reports the Manager's record and the pods inconsistent")
        if self.expected is not None and self.responded != self.expected:
            problems.append('%d of the %d expected pods answered' % (self.responded, self.expected))
        return problems

    def view(self):
        return dict(pods_responded=self.responded, pods_active=self.active, route_active=self.route_active,
                    inconsistent=self.inconsistent, deployed_in_manager=self.in_manager,
                    served_path=self.health.get('servedPath'), methods=self.health.get('methods'),
                    pods=[dict(ip=pod.get('workerPodIp'), route_active=as_bool(pod.get('routeActive')),
                               served_path=pod.get('servedPath'), methods=pod.get('methods'), error=pod.get('error'))
                          for pod in self.pods])


class RouteVerifier:
    """Verifies deploys of one API proxy per environment, as the task's verify options say."""

    def __init__(self, client, project, proxy_name, params, proxy=None, warn=None, sleep=None):
        self.client = client
        self.project = project
        self.proxy_name = proxy_name
        self.params = params
        self.paths, self.methods = serves(proxy)
        self.warn = warn or (lambda message: None)
        self.sleep = sleep or time.sleep

    def path(self, env, what):
        return api_path('projects', self.project, 'apiProxies', self.proxy_name, 'environments', env, what)

    def verify(self, env, deploying=True):
        """{environment, verified, by, polls, seconds, message, ...what was seen}; never raises for a mismatch."""
        mode = self.params.get('verify') or ROUTE
        started = time.monotonic()
        if mode == NONE:
            return dict(environment=env, verified=None, by=NONE, polls=0, seconds=0.0,
                        message='Not verified (verify: none).')
        if mode == MANAGER:
            return self._by_manager(env, deploying, started)
        return self._by_route(env, deploying, started)

    def _by_manager(self, env, deploying, started, note=''):
        status = first_result(self.client.get(self.path(env, 'deploy-status'))) or {}
        deployed, stale = bool(status.get('deployed')), bool(status.get('redeployRequired'))
        verified = (deployed and not stale) if deploying else not deployed
        message = ("The Manager's record says %s%s." % (
            ('deployed and current' if deployed and not stale else 'deployed, but a redeploy is required' if deployed
             else 'not deployed'), note))
        return dict(environment=env, verified=verified, by=MANAGER, polls=1, revision=status.get('revision'),
                    seconds=round(time.monotonic() - started, 1), message=message)

    def _by_route(self, env, deploying, started):
        wait = self.params.get('verify_timeout')
        wait = 0 if wait is None else wait
        interval = self.params.get('verify_interval') or 2.0
        deadline = min(started + wait, self.client.deadline)
        expected = expected_pods(self.params, env)
        # Bounded by the number of polls the wait allows too, not by the clock alone.
        most = int(wait // interval) + 1
        polls = 0
        while True:
            polls += 1
            try:
                health = read_route_health(self.client.get(self.path(env, 'route-health')))
            except ApinizerApiError as exc:
                if exc.status == 404 and not exc.says_absent('ApiProxy', self.proxy_name):
                    self.warn("Apinizer answered the route-health read of API proxy '%s' in environment '%s' with "
                              "HTTP 404: this version does not offer it, so the deploy was verified against the "
                              "Manager's record only." % (self.proxy_name, env))
                    return self._by_manager(env, deploying, started, note=' (route-health is not available)')
                raise
            if health is None:
                raise ApinizerError("Apinizer answered the route-health read of API proxy '%s' in environment '%s' "
                                    "without a route-health object." % (self.proxy_name, env))
            seen = Observation(health, deploying, self.paths, self.methods, expected)
            if seen.no_pod_answered and expected is None:
                return self._without_pods(env, deploying, started, polls, seen)
            if not seen.problems:
                return self._entry(env, True, polls, started, seen, 'Verified on %d pod%s.' % (
                    seen.responded, '' if seen.responded == 1 else 's'))
            if polls >= most or time.monotonic() + interval > deadline:
                return self._entry(env, False, polls, started, seen, '%s.' % '; '.join(seen.problems))
            self.sleep(interval)

    def _without_pods(self, env, deploying, started, polls, seen):
        if self.params.get('verify_without_pods') == 'fail':
            return self._entry(env, False, polls, started, seen,
                               'No gateway pod answered the route-health probe (verify_without_pods: fail).')
        self.warn("No gateway pod of environment '%s' answered the route-health probe for API proxy '%s' (an "
                  "installation without the pods' management API configured, or every pod down), so the deploy was "
                  "verified against the Manager's record only. Set verify_pods to the number of pods to require "
                  "them, or verify_without_pods: fail." % (env, self.proxy_name))
        entry = self._by_manager(env, deploying, started, note=' (no pod answered the route-health probe)')
        entry.update(seen.view(), polls=polls + 1)
        return entry

    def _entry(self, env, verified, polls, started, seen, message):
        entry = dict(environment=env, verified=verified, by=ROUTE, polls=polls,
                     seconds=round(time.monotonic() - started, 1), message=message, pods_expected=seen.expected)
        entry.update(seen.view())
        return entry


def route_view(body, deployed, proxy):
    """What the gateway pods serve, for the info module and the inventory: judged against the Manager's record
    (``deployed``) and the proxy's path and methods; ``orphan`` when not deployed but served."""
    health = read_route_health(body)
    if health is None:
        return None
    paths, methods = serves(proxy)
    seen = Observation(health, deployed, paths, methods, None)
    view = seen.view()
    view.update(orphan=not deployed and seen.active > 0, problems=seen.problems)
    return view


def unverified(entries):
    return [entry for entry in entries if entry.get('verified') is False]


def raise_unverified(entries, what, done):
    """Fail the task when a deploy did not verify, naming each environment and what its pods serve."""
    failed = unverified(entries)
    if not failed:
        return
    reasons = '; '.join("environment '%s': %s" % (entry['environment'], entry['message'].rstrip('.')) for entry in failed)
    raise ApinizerError('%s did not verify on the gateway pods (%s). %s The verification result of each environment '
                        'is in the verification list of the result; re-run the task to deploy and verify again.'
                        % (what, reasons, done))
