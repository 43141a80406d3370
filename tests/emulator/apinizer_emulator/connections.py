# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Connection operations: GET one, the list by type, create (POST), replace (PUT) and DELETE."""

from __future__ import annotations

import copy
import json

from .common import bad, json_type


class ConnectionOperations:
    """The connection operations of the Emulator (the caller holds its lock)."""

    def _check_connection_type(self, body):
        connection_type = body.get('type')
        if connection_type is None:
            raise bad('Field "type" (the connection type) is required')
        if not isinstance(connection_type, str) or connection_type not in self.schema.types:
            raise bad('Connection type %s is not valid! Valid types: %s'
                      % (json.dumps(connection_type), ', '.join(self.schema.type_names())))
        return connection_type

    @staticmethod
    def _write_answer(connection):
        answer = {'status': 'SUCCESS'}
        if connection.get('deployToWorker'):
            answer['deploymentResult'] = {'success': True}
        return answer

    def get_connection(self, project_name, name):
        project = self.project(project_name)
        connection = self.connection(project, name)
        return 200, {'status': 'SUCCESS', 'resultList': [copy.deepcopy(connection)], 'resultCount': 1}

    def list_connections(self, project_name, query):
        project = self.project(project_name)
        connection_type = query.get('type')
        if isinstance(connection_type, list):
            connection_type = connection_type[0]
        if not connection_type:
            raise bad('Connection type parameter is required!')
        if connection_type not in self.schema.types:
            raise bad('Connection type (%s) is not valid! Valid types: %s'
                      % (connection_type, ', '.join(self.schema.type_names())))
        items = [copy.deepcopy(self.schema.masked(connection))
                 for connection in sorted(project['connections'].values(), key=lambda item: item['name'].lower())
                 if connection['type'] == connection_type]
        return 200, {'status': 'SUCCESS', 'resultList': items, 'resultCount': len(items)}

    def create_connection(self, project_name, name, body):
        project = self.project(project_name)
        if name == '':
            raise bad('Connection name can not be empty!')
        self._check_connection_type(body)
        body_name = body.get('name')
        if body_name is None or body_name == '':
            raise bad('Field "name" is required')
        if not isinstance(body_name, str):
            raise bad('Field "name" must be a string, got %s' % json_type(body_name))
        if body_name.lower() != name.lower():
            raise bad('Connection name in the path (%s) and in the body (%s) do not match!' % (name, body_name))
        if body_name.lower() in project['connections']:
            raise bad('Connection (name: %s) already exists!' % body_name)
        stored = self.schema.build(project['name'], body)
        project['connections'][body_name.lower()] = stored
        return 200, self._write_answer(stored)

    def update_connection(self, project_name, name, body):
        project = self.project(project_name)
        current = self.connection(project, name)
        connection_type = self._check_connection_type(body)
        if connection_type != current['type']:
            raise bad('Connection type can not be changed (stored: %s, sent: %s)! Delete the connection and create it again.'
                      % (current['type'], connection_type))
        new_name = body.get('name')
        if new_name is None or new_name == '':
            new_name = current['name']
        elif not isinstance(new_name, str):
            raise bad('Field "name" must be a string, got %s' % json_type(new_name))
        old_key, new_key = current['name'].lower(), new_name.lower()
        if new_key != old_key and new_key in project['connections']:
            raise bad('Connection (name: %s) already exists!' % new_name)
        stored = self.schema.build(project['name'], dict(body, name=new_name), previous=current)
        project['connections'] = {new_key if key == old_key else key: stored if key == old_key else value
                                  for key, value in project['connections'].items()}
        return 200, self._write_answer(stored)

    def delete_connection(self, project_name, name):
        project = self.project(project_name)
        current = self.connection(project, name)
        del project['connections'][current['name'].lower()]
        return 200, self._write_answer(current)
