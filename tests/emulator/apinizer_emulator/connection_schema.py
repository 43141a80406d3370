# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The 14 connection types (connection_types.json): validation and defaults of connection bodies."""

from __future__ import annotations

import base64
import binascii
import copy
import json
import re

from .common import EMULATED_HOSTNAME, INT32, INT64, TYPES_FILE, bad, check_unknown, is_int, json_type, quoted, stable_id


class ConnectionSchema:
    """Validation and defaults of the 14 connection types, read from connection_types.json."""

    def __init__(self, data):
        self.common = data['common']
        self.read_only = data.get('readOnly', {})
        self.types = data['types']

    @classmethod
    def load(cls, path=TYPES_FILE):
        with open(path, encoding='utf-8') as handle:
            return cls(json.load(handle))

    def type_names(self):
        return list(self.types)

    def secrets(self, connection_type):
        return [name for name, spec in self.types[connection_type]['fields'].items() if spec.get('secret')]

    # values --------------------------------------------------------------------------------

    def _value(self, path, value, spec):
        """Check a non-null value against a field schema; answer it normalised (objects completed)."""
        kind = spec['type']
        if kind == 'boolean':
            if not isinstance(value, bool):
                raise bad('Field "%s" must be a boolean, got %s' % (path, json_type(value)))
        elif kind in ('integer', 'long'):
            if not is_int(value):
                raise bad('Field "%s" must be an integer, got %s' % (path, json_type(value)))
            low, high = INT32 if kind == 'integer' else INT64
            low, high = max(low, spec.get('min', low)), min(high, spec.get('max', high))
            if not low <= value <= high:
                raise bad('Field "%s" must be from %d to %d, got %d' % (path, low, high, value))
        elif kind in ('string', 'base64'):
            if not isinstance(value, str):
                raise bad('Field "%s" must be a string, got %s' % (path, json_type(value)))
            if kind == 'base64':
                try:
                    base64.b64decode(value.encode('ascii'), validate=True)
                except (binascii.Error, ValueError, UnicodeEncodeError):
                    raise bad('Field "%s" must be base64-encoded file content' % path)
            if 'pattern' in spec and not re.search(spec['pattern'], value):
                raise bad('Field "%s" has an invalid format: "%s"' % (path, value))
        elif kind == 'scalar':
            if not isinstance(value, (str, int, float, bool)):
                raise bad('Field "%s" must be a string, number or boolean, got %s' % (path, json_type(value)))
        elif kind == 'array':
            if not isinstance(value, list):
                raise bad('Field "%s" must be an array, got %s' % (path, json_type(value)))
            if len(value) < spec.get('minItems', 0):
                raise bad('Field "%s" must hold at least %d item(s)' % (path, spec['minItems']))
            value = [self._nullable_item('%s[%d]' % (path, index), item, spec['items'])
                     for index, item in enumerate(value)]
        elif kind == 'object':
            if not isinstance(value, dict):
                raise bad('Field "%s" must be an object, got %s' % (path, json_type(value)))
            value = self._object(path, value, spec)
        elif kind == 'map':
            if not isinstance(value, dict):
                raise bad('Field "%s" must be an object, got %s' % (path, json_type(value)))
            if 'keys' in spec:
                unknown = [key for key in value if key not in spec['keys']]
                if unknown:
                    raise bad('Field "%s" has unknown key(s) %s; allowed: %s'
                              % (path, quoted(unknown), ', '.join(spec['keys'])))
            missing = [key for key in spec.get('requiredKeys', ()) if key not in value]
            if missing:
                raise bad('Field "%s" must hold %s' % (path, quoted(missing)))
            value = {key: self._nullable_item('%s.%s' % (path, key), item, spec['values'])
                     for key, item in value.items()}
        else:  # pragma: no cover - a schema error
            raise AssertionError(kind)
        if 'enum' in spec and value not in spec['enum']:
            raise bad('Field "%s" must be one of %s, got %s'
                      % (path, ', '.join(str(item) for item in spec['enum']), json.dumps(value)))
        return value

    def _nullable_item(self, path, value, spec):
        if value is None:
            raise bad('Field "%s" must not be null' % path)
        return self._value(path, value, spec)

    def _object(self, path, value, spec):
        check_unknown(value, spec['fields'], path + '.')
        result = {}
        for name, member in spec['fields'].items():
            item = value.get(name)
            if item is None:
                if member.get('required'):
                    raise bad('Field "%s.%s" is required' % (path, name))
                result[name] = copy.deepcopy(member.get('default'))
            else:
                result[name] = self._value('%s.%s' % (path, name), item, member)
        self._rules(path + '.', result, spec.get('rules', ()))
        return result

    @staticmethod
    def _is_set(value):
        return value is not None and value != '' and value != [] and value != {}

    def _rules(self, prefix, values, rules):
        for rule in rules:
            condition = rule.get('if')
            if condition:
                current = values.get(condition['field'])
                if condition.get('present'):
                    applies = self._is_set(current)
                    shown = '%s%s is set' % (prefix, condition['field'])
                else:
                    applies = any(current is option if isinstance(option, bool) else
                                  (current == option and not isinstance(current, bool)) for option in condition['in'])
                    shown = '%s%s is %s' % (prefix, condition['field'], json.dumps(current))
            else:
                applies, shown = True, None
            if not applies:
                continue
            missing = [name for name in rule.get('require', ()) if not self._is_set(values.get(name))]
            if missing:
                plural = len(missing) > 1
                shown_missing = quoted(prefix + name for name in missing)
                raise bad('Field%s %s %s required when %s'
                          % ('s' if plural else '', shown_missing, 'are' if plural else 'is', shown))
            names = rule.get('exactlyOneTrue') or rule.get('atMostOneTrue') or rule.get('atLeastOneTrue')
            if names:
                true_count = sum(1 for name in names if values.get(name) is True)
                if 'exactlyOneTrue' in rule and true_count != 1:
                    raise bad('Exactly one of %s must be true when %s' % (quoted(prefix + n for n in names), shown))
                if 'atMostOneTrue' in rule and true_count > 1:
                    raise bad('%s are mutually exclusive: set at most one to true' % quoted(prefix + n for n in names))
                if 'atLeastOneTrue' in rule and true_count < 1:
                    raise bad('At least one of %s must be true' % quoted(prefix + n for n in names))

    # whole connections -----------------------------------------------------------------------

    def build(self, project_name, body, previous=None):
        """The connection to store from a create (previous None) or replace (PUT) body.

        Every field the body omits (or sends as null) takes the type's default, except a secret:
        on a replacement an omitted secret keeps the stored value. Read-only fields are accepted
        and recomputed. Raises ApiError(400) naming the first problem.
        """
        connection_type = body.get('type')
        spec = self.types[connection_type]
        fields = spec['fields']
        read_only = dict(self.read_only)
        read_only.update(spec.get('readOnly', {}))
        check_unknown(body, list(self.common) + list(fields) + list(read_only))
        given_project = body.get('projectName')
        if given_project is not None and given_project != project_name:
            raise bad('Field "projectName" must be the project of the path (%s), got %s'
                      % (project_name, json.dumps(given_project)))

        result = {'type': connection_type, 'name': body['name']}
        for name in ('description', 'deployToWorker', 'enabled'):
            result[name] = self._field(name, body.get(name), self.common[name])
        result['projectName'] = project_name
        for name, field in fields.items():
            value = body.get(name)
            if value is None and field.get('secret') and previous is not None:
                result[name] = previous.get(name)
                continue
            result[name] = self._field(name, value, field)
        for name, field in spec.get('readOnly', {}).items():
            source = result.get(field['from'])
            result[name] = stable_id(connection_type, field['from'], source) if source else None

        missing = [name for name, field in fields.items() if field.get('required') and not self._is_set(result[name])]
        if missing:
            raise bad('Field%s %s %s required for a connection of type %s'
                      % ('s' if len(missing) > 1 else '', quoted(missing),
                         'are' if len(missing) > 1 else 'is', connection_type))
        self._rules('', result, spec.get('rules', ()))
        return result

    def _field(self, name, value, field):
        if value is None:
            value = copy.deepcopy(field.get('default'))
            if value is None:
                return None
        else:
            value = self._value(name, value, field)
        normalize = field.get('normalize')
        if normalize == 'trailingSlash' and value and not value.endswith('/'):
            value += '/'
        elif normalize == 'stripLeadingSlash':
            value = value.lstrip('/')
        elif normalize == 'emptyToHostname' and value == '':
            value = EMULATED_HOSTNAME
        return value

    def masked(self, connection):
        """The connection as a list shows it: every secret field null."""
        shown = dict(connection)
        for name in self.secrets(connection['type']):
            shown[name] = None
        return shown
