# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Deploy histories: the record every deploy and undeploy writes, the list, detail and delete endpoints,
rollback to a revision, the retention limit, and a seed's "deployHistory".

A proxy keeps, in the proxy dict: `deployHistory`, its records oldest first, each with the definition it
deployed (DEFINITION_FIELDS, internal: the API never shows it, the state dump does); `lastRevision`, the
proxy's revision counter (one per proxy, not per environment; a deleted or pruned number is never used
again); `backendApiVersion`, what each record reports.
"""

from __future__ import annotations

import copy
import re

from .common import (DEFINITION_FIELDS, DEPLOY_DESCRIPTION, HISTORY_USERNAME, ROLLBACK_DESCRIPTION, SEED_DEPLOY_TIME,
                     UNDEPLOY_DESCRIPTION, _spec, bad, check_field, check_unknown, now_iso)

# The fields of a record as the API answers them, in the documented order.
RECORD_FIELDS = ('revision', 'username', 'deploymentTime', 'description', 'environment', 'deploy', 'persistent',
                 'backendApiVersion')
REVISION_TEXT = re.compile(r'[0-9]{1,18}')


def definition_of(proxy):
    """What a deploy history record keeps of a proxy: a deep copy of its definition fields."""
    return {field: copy.deepcopy(proxy[field]) for field in DEFINITION_FIELDS}


def record_view(record):
    return {field: record[field] for field in RECORD_FIELDS}


def find_record(proxy, revision):
    """The record of a revision given as path text, or None (also for text that is no revision number)."""
    if not REVISION_TEXT.fullmatch(revision):
        return None
    number = int(revision)
    for record in proxy['deployHistory']:
        if record['revision'] == number:
            return record
    return None


class HistoryMixin:
    """The deploy history operations of the Emulator (the caller holds its lock)."""

    def _record(self, proxy, env_name, deploy, description, persistent):
        """Write the record of a successful deploy (deploy True) or undeploy to one environment; answer it."""
        proxy['lastRevision'] += 1
        record = {'revision': proxy['lastRevision'], 'username': HISTORY_USERNAME, 'deploymentTime': now_iso(),
                  'description': (description if description is not None
                                  else DEPLOY_DESCRIPTION if deploy else UNDEPLOY_DESCRIPTION),
                  'environment': env_name, 'deploy': deploy, 'persistent': bool(persistent),
                  'backendApiVersion': proxy['backendApiVersion'], 'definition': definition_of(proxy)}
        proxy['deployHistory'].append(record)
        self._prune(proxy)
        return record

    def _prune(self, proxy):
        """The retention limit (--history-limit): drop the oldest records that are not persistent, never the
        record just written (the deploy the proxy now serves stays one a rollback can name)."""
        history = proxy['deployHistory']
        while len(history) > self.history_limit:
            for index, record in enumerate(history[:-1]):
                if not record['persistent']:
                    del history[index]
                    break
            else:
                return

    def _history_proxy(self, project_name, proxy_name):
        """(project, proxy) of a deploy-histories path: not found as deploy-status answers it."""
        project = self.project(project_name)
        message = 'ApiProxy with name (%s) is not found!' % proxy_name if self.style == 'newer' else None
        return project, self.proxy(project, proxy_name, message=message)

    @staticmethod
    def _no_record(proxy_name, revision):
        return bad('Deploy history with revision (%s) is not found for ApiProxy (%s)!' % (revision, proxy_name))

    def list_histories(self, project_name, proxy_name):
        proxy = self._history_proxy(project_name, proxy_name)[1]
        items = [record_view(record) for record in reversed(proxy['deployHistory'])]
        return 200, {'status': 'SUCCESS', 'resultList': items, 'resultCount': len(items)}

    def get_history(self, project_name, proxy_name, revision):
        proxy = self._history_proxy(project_name, proxy_name)[1]
        record = find_record(proxy, revision)
        if record is None:
            raise self._no_record(proxy_name, revision)
        return 200, {'status': 'SUCCESS', 'resultList': [record_view(record)], 'resultCount': 1}

    def delete_history(self, project_name, proxy_name, revision):
        proxy = self._history_proxy(project_name, proxy_name)[1]
        record = find_record(proxy, revision)
        if record is None:
            raise self._no_record(proxy_name, revision)
        proxy['deployHistory'].remove(record)
        return 200, {'status': 'SUCCESS', 'resultMessage': 'Deploy history record deleted successfully.'}

    def rollback(self, project_name, proxy_name, revision, query):
        """Restore the definition of a revision; with ?environmentName=E also deploy it there."""
        project, proxy = self._history_proxy(project_name, proxy_name)
        env_name = query.get('environmentName')
        if isinstance(env_name, list):
            raise bad('Query parameter "environmentName" must be given once')
        record = find_record(proxy, revision)
        if record is None or (env_name is not None and env_name not in project['environments']):
            raise bad('Rollback failed for deploy history revision (%s)!' % revision)
        # Restoring the configuration the proxy already has changes nothing, so no environment then needs a
        # redeploy (our choice: Apinizer's docs do not say; it keeps environments on equal revisions current).
        changed = any(proxy[field] != record['definition'][field] for field in DEFINITION_FIELDS)
        for field in DEFINITION_FIELDS:
            proxy[field] = copy.deepcopy(record['definition'][field])
        for state in proxy['deployments'].values():
            if state['deployed'] and changed:
                state['redeployRequired'] = True
        message = 'API Proxy rolled back successfully to deploy history revision (%d).' % record['revision']
        if env_name is not None:
            ok, text = self._deploy_one(project, proxy, env_name, ROLLBACK_DESCRIPTION % record['revision'])
            if ok:
                message += ' Deployed to environment: %s' % env_name
            else:
                message = 'API Proxy rolled back successfully but deployment failed: %s' % text
        return 200, {'status': 'SUCCESS', 'resultMessage': message}

    # seeds --------------------------------------------------------------------------------------

    def _load_history(self, project, proxy, data):
        """proxy['deployHistory'] and proxy['lastRevision'] of a seeded proxy (raises ApiError naming the field).

        Without "deployHistory" the seed's deployments get one record each (one per distinct revision, in
        the seed's order), holding the seeded definition.
        """
        if 'deployHistory' in data:
            items = data['deployHistory']
            if not isinstance(items, list):
                raise bad('"deployHistory" must be an array')
            history = [self._load_record(project, proxy, item, 'deployHistory[%d].' % index)
                       for index, item in enumerate(items)]
        else:
            history = []
            for env_name, state in proxy['deployments'].items():
                if state['revision'] is not None and state['revision'] not in [item['revision'] for item in history]:
                    history.append({'revision': state['revision'], 'username': HISTORY_USERNAME,
                                    'deploymentTime': state['lastDeployTime'] or SEED_DEPLOY_TIME,
                                    'description': DEPLOY_DESCRIPTION, 'environment': env_name, 'deploy': True,
                                    'persistent': False, 'backendApiVersion': proxy['backendApiVersion'],
                                    'definition': definition_of(proxy)})
        revisions = [record['revision'] for record in history]
        twice = sorted({revision for revision in revisions if revisions.count(revision) > 1})
        if twice:
            raise bad('"deployHistory": revision %d appears twice' % twice[0])
        history.sort(key=lambda item: item['revision'])
        proxy['deployHistory'] = history
        highest = max(revisions + [state['revision'] or 0 for state in proxy['deployments'].values()] + [0])
        # A state dump edited before a reset may add a deployment (revision 1 when not given) to a proxy whose
        # dumped counter is lower: the counter is never below a seeded revision, so no revision is used twice.
        last = check_field('lastRevision', data.get('lastRevision', highest), _spec('int', min=0))
        proxy['lastRevision'] = max(last, highest)

    def _load_record(self, project, proxy, item, where):
        if not isinstance(item, dict):
            raise bad('"%s" must be an object' % where.rstrip('.'))
        check_unknown(item, RECORD_FIELDS + ('definition',), where)
        record = {'revision': check_field(where + 'revision', item.get('revision'), _spec('int', min=1))}
        deploy = check_field(where + 'deploy', item.get('deploy', True), _spec('bool'))
        record['username'] = check_field(where + 'username', item.get('username', HISTORY_USERNAME), _spec('str'))
        record['deploymentTime'] = check_field(where + 'deploymentTime', item.get('deploymentTime', SEED_DEPLOY_TIME),
                                               _spec('str'))
        record['description'] = check_field(where + 'description', item.get(
            'description', DEPLOY_DESCRIPTION if deploy else UNDEPLOY_DESCRIPTION), _spec('str'))
        environment = check_field(where + 'environment', item.get('environment'), _spec('str', nonempty=True))
        if environment not in project['environments']:
            raise bad('%senvironment: unknown environment %s' % (where, environment))
        record['environment'] = environment
        record['deploy'] = deploy
        record['persistent'] = check_field(where + 'persistent', item.get('persistent', False), _spec('bool'))
        record['backendApiVersion'] = check_field(where + 'backendApiVersion', item.get(
            'backendApiVersion', proxy['backendApiVersion']), _spec('str'))
        if 'definition' in item:
            definition = item['definition']
            if not isinstance(definition, dict):
                raise bad('"%sdefinition" must be an object' % where)
            check_unknown(definition, DEFINITION_FIELDS, where + 'definition.')
            record['definition'] = self._load_definition(project, proxy['name'], proxy['type'], definition,
                                                         where + 'definition.')
        else:
            record['definition'] = definition_of(proxy)
        return record
