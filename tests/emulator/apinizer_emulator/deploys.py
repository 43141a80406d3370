# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Deploys: the deploy POST and undeploy DELETE, deploys in a settings body, and deploy-status.

Each successful deploy or undeploy to one environment writes a deploy history record (history.py, with
a new revision of the proxy's one counter) and is loaded by the environment's gateway pods (pods.py).
A failed one (an environment seeded with failDeploy) writes nothing and changes nothing.
"""

from __future__ import annotations

from .common import DEPLOY_FIELDS, DEPLOY_OK, DEPLOY_REQUEST_FIELDS, UNDEPLOY_OK, bad, check_field, check_unknown
from .pods import route_of


def new_deployment():
    return {'deployed': False, 'redeployRequired': False, 'revision': None, 'lastDeployTime': None}


class DeployOperations:
    """The deploy operations of the Emulator (the caller holds its lock)."""

    # deploys ------------------------------------------------------------------------------------

    def _deploy_one(self, project, proxy, env_name, description=None, persistent=False):
        self.deploys += 1
        env = project['environments'][env_name]
        if env.get('failDeploy'):
            return False, env['failDeploy']
        record = self._record(proxy, env_name, True, description, persistent)
        state = proxy['deployments'].setdefault(env_name, new_deployment())
        state['deployed'] = True
        state['redeployRequired'] = False
        state['revision'] = record['revision']
        state['lastDeployTime'] = record['deploymentTime']
        self._pods_load(project, env, proxy['name'], route_of(record['definition'], record['revision']))
        return True, DEPLOY_OK

    def _check_deploy_fields(self, project, proxy_name, body):
        """Validate deploy + deployTargetEnvironmentNameList of a PATCH body; answer the environments."""
        deploy = check_field('deploy', body['deploy'], DEPLOY_FIELDS['deploy']) if 'deploy' in body else False
        targets = body.get('deployTargetEnvironmentNameList')
        if targets is not None or 'deployTargetEnvironmentNameList' in body:
            targets = check_field('deployTargetEnvironmentNameList', targets, DEPLOY_FIELDS['deployTargetEnvironmentNameList'])
        if not deploy:
            return []
        if not targets:
            raise bad('deployTargetEnvironmentNameList is required when deploy is true')
        unique = []
        for env in targets:
            self.environment(project, proxy_name, env)
            if env not in unique:
                unique.append(env)
        return unique

    def _after_write(self, project, proxy, environments):
        """A saved settings change: redeploy needed where deployed, then the in-body deploy."""
        for state in proxy['deployments'].values():
            if state['deployed']:
                state['redeployRequired'] = True
        answer = {'success': True}
        if environments:
            results = []
            for env in environments:
                ok, message = self._deploy_one(project, proxy, env)
                results.append({'environmentName': env, 'success': ok, 'message': message})
            answer['deploymentResult'] = {'success': all(item['success'] for item in results),
                                          'deploymentResults': results}
        return answer

    def deploy(self, project_name, proxy_name, env_name, body):
        project = self.project(project_name)
        proxy = self.proxy(project, proxy_name)
        body = self._check_deploy_request(body)
        env = self.environment(project, proxy_name, env_name)
        ok, message = self._deploy_one(project, proxy, env['name'], body.get('description'), body.get('persistent'))
        if not ok:
            raise bad(message)
        return 200, {'success': True, 'deploymentResult': {'success': True, 'deploymentResults': [
            {'environmentName': env_name, 'success': True, 'message': message}]}}

    def undeploy(self, project_name, proxy_name, env_name, body):
        project = self.project(project_name)
        proxy = self.proxy(project, proxy_name)
        body = self._check_deploy_request(body)
        env = self.environment(project, proxy_name, env_name)
        state = proxy['deployments'].get(env_name)
        if not state or not state['deployed']:
            raise bad('ApiProxy with name (%s) can not be undeployed from Environment(%s) because it is not deployed!'
                      % (proxy_name, env_name))
        self.deploys += 1
        if env.get('failDeploy'):
            raise bad(env['failDeploy'])
        self._record(proxy, env_name, False, body.get('description'), body.get('persistent'))
        state['deployed'] = False
        state['redeployRequired'] = False
        self._pods_load(project, env, proxy['name'], None)
        return 200, {'success': True, 'deploymentResult': {'success': True, 'deploymentResults': [
            {'environmentName': env_name, 'success': True, 'message': UNDEPLOY_OK}]}}

    @staticmethod
    def _check_deploy_request(body):
        """The optional body of a deploy or undeploy: {description, persistent}, each may be null."""
        if body is None:
            return {}
        check_unknown(body, DEPLOY_REQUEST_FIELDS)
        for key, value in body.items():
            check_field(key, value, dict(DEPLOY_REQUEST_FIELDS[key], nullable=True))
        return body

    def deploy_status(self, project_name, proxy_name, env_name):
        project = self.project(project_name)
        message = 'ApiProxy with name (%s) is not found!' % proxy_name if self.style == 'newer' else None
        proxy = self.proxy(project, proxy_name, message=message)
        self.environment(project, proxy_name, env_name)
        state = dict(proxy['deployments'].get(env_name) or new_deployment())
        item = {'deployed': state['deployed'], 'lastDeployTime': state['lastDeployTime'],
                'revision': state['revision'], 'redeployRequired': state['redeployRequired']}
        return 200, {'status': 'SUCCESS', 'resultList': [item], 'resultCount': 1}
