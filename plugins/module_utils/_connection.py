# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""apinizer_connection on the plan-then-execute engine: project connections of every documented type.

validate the options (per type, before any request) -> read the connection (GET one,
secrets in clear) -> compare the fields the user set -> plan one write: POST (create), PUT
(current object merged with the desired fields; rename) or DELETE -> check mode stops ->
execute (a lost answer is settled by reading the connection back) -> result with the
deployToWorker outcome. Secrets are masked in everything shown.
"""

from __future__ import annotations

import copy

from ansible_collections.apinizer.apiops.plugins.module_utils._client import (
    ApinizerApiError,
    ApinizerError,
    api_path,
    connection_argument_spec,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._compare import (
    MASK,
    looks_masked,
    mask_secrets,
    values_equal,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._connection_types import (
    COMMON_FIELDS,
    CONNECTION_TYPES,
    FIELDS,
    ID_REFERENCES,
    READ_ONLY_FIELDS,
    REFERENCE_PAIRS,
    SECRET_FIELDS,
    check_rules,
    field_spec,
    ilm_phase_error,
    options_of_type,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._deploy import deployment_results, single_result
from ansible_collections.apinizer.apiops.plugins.module_utils._engine import (
    APPLIED,
    CREATE,
    DELETE,
    DEPLOY,
    NOT_APPLIED,
    RENAME,
    WRITE,
    ApiRequest,
    ApinizerModule,
)

EQUAL = 'equal'
DIFFERENT = 'different'
UNKNOWN = 'unknown'          # a secret the server does not return in clear (null or masked)
UNREPORTED = 'unreported'    # a name reference GET reports only as its id (keyStoreName -> keyStoreId)

FIELD_BY_API = dict((field['api'], field) for field in FIELDS.values())
COMMON_SPEC = dict(
    description=dict(type='str'),
    enabled=dict(type='bool'),
    deploy_to_worker=dict(type='bool'),
)


def connection_module_spec():
    """Argument spec of apinizer_connection: connection options, identity, common and type fields."""
    spec = connection_argument_spec()
    spec.update(
        project=dict(type='str', required=True, aliases=['project_name']),
        name=dict(type='str', required=True, aliases=['connection_name']),
        new_name=dict(type='str'),
        type=dict(type='str', choices=list(CONNECTION_TYPES)),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        update_secrets=dict(type='str', default='on_create', choices=['on_create', 'always'], no_log=False),
    )
    spec.update(copy.deepcopy(COMMON_SPEC))
    spec.update(field_spec())
    return spec


CONNECTION_MODULE_OPTIONS = dict(
    supports_check_mode=True,
    required_if=[('state', 'present', ('type',))],
)


# Option form <-> API form ------------------------------------------------------------------

def _text(value):
    """A Kafka property value is a string in the API; YAML may have typed it."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return value if isinstance(value, str) else str(value)


def _rename_keys(item, names, drop_none=True):
    if not isinstance(item, dict):
        return item
    return dict((names.get(key, key), value) for key, value in item.items()
                if not (drop_none and value is None))


def to_api(field, value):
    """A module option value in the API's form (camelCase keys inside nested structures)."""
    if value is None:
        return None
    if field['normalize']:
        value = field['normalize'](value)
    if field['value_members']:
        return dict((name, {'value': _text(entry.get('value')), 'valueType': entry.get('value_type')})
                    for name, entry in value.items())
    members = field['members']
    if members:
        if isinstance(value, list):
            return [_rename_keys(item, members) for item in value]
        return _rename_keys(value, members)
    return value


def from_api(field, value):
    """An API value in the module option's form, for diffs users read."""
    if value is None:
        return None
    if field['value_members']:
        inverse = dict((api, option) for option, api in field['value_members'].items())
        return dict((name, _rename_keys(entry, inverse, drop_none=False)) for name, entry in value.items()) \
            if isinstance(value, dict) else value
    members = field['members']
    if members:
        inverse = dict((api, option) for option, api in members.items())
        if isinstance(value, list):
            return [_rename_keys(item, inverse, drop_none=False) for item in value]
        return _rename_keys(value, inverse, drop_none=False)
    return value


def _empty(value):
    return value is None or value == '' or value == [] or value == {}


def _secret_unknown(value):
    return value is None or looks_masked(value)


def _values_match(field, desired, current):
    """Compare one field by its kind; an empty desired value matches an empty (null) current one."""
    if _empty(desired) and _empty(current):
        return True
    kind = field['compare'] if field else 'scalar'
    if kind == 'map':
        if not isinstance(current, dict) or set(desired) != set(current):
            return False
        return all(values_equal(value, current[key]) for key, value in desired.items())
    if kind == 'set':
        return values_equal(desired, current, unordered=True)
    return values_equal(desired, current)


def _without(items, keys):
    """List items with the given keys left out (compare headers without their secret values)."""
    return [dict((k, v) for k, v in item.items() if k not in keys) if isinstance(item, dict) else item
            for item in items]


def compare_field(api, desired, current):
    """EQUAL, DIFFERENT, UNKNOWN (secret not readable) or UNREPORTED (not in the GET answer)."""
    field = FIELD_BY_API.get(api)
    secret = api in SECRET_FIELDS
    if api not in current:
        if secret:
            return UNKNOWN
        if any(name == api and id_field in current for id_field, name in ID_REFERENCES.items()):
            return UNREPORTED  # the server reports the id (keyStoreId) instead of the name a write takes
    value = current.get(api)
    if secret:
        if _secret_unknown(value):
            return UNKNOWN
        return EQUAL if desired == value else DIFFERENT
    if field and field['blank_matches_any'] and desired == '':
        return EQUAL  # the server fills in its own value (logback logPodName -> host name)
    hidden = field['secret_members'] if field else ()
    if hidden and isinstance(desired, list):
        if not isinstance(value, list):
            return DIFFERENT
        if not _values_match(field, _without(desired, hidden), _without(value, hidden)):
            return DIFFERENT
        if any(isinstance(item, dict) and _secret_unknown(item.get(key)) for item in value for key in hidden):
            return UNKNOWN
    return EQUAL if _values_match(field, desired, value) else DIFFERENT


def mask_connection(obj):
    """A copy of an API-form connection with every secret replaced by MASK."""
    if not isinstance(obj, dict):
        return obj
    masked = mask_secrets(obj, SECRET_FIELDS)
    for api, field in FIELD_BY_API.items():
        items = masked.get(api)
        if field['secret_members'] and isinstance(items, list):
            masked[api] = [dict((k, MASK if k in field['secret_members'] and not _empty(v) else v)
                                for k, v in item.items()) if isinstance(item, dict) else item
                           for item in items]
    return masked


def options_view(obj, options, marks=None):
    """{option: value} of an API-form connection for the given options, secrets masked.

    ``marks`` replaces the mask of the secrets it names ({API field: marker}), so a diff can
    show a changed secret as changed without showing it.
    """
    masked = mask_connection(obj)
    view = {}
    for option in options:
        api = _api_of(option)
        if api not in masked:
            continue
        field = FIELDS.get(option)
        value = from_api(field, masked[api]) if field else masked[api]
        if marks and api in marks and api in SECRET_FIELDS:
            value = marks[api]
        elif marks and api in marks and field and field['secret_members'] and isinstance(value, list):
            value = [dict((k, marks[api] if k in field['secret_members'] and v is not None else v)
                          for k, v in item.items()) if isinstance(item, dict) else item for item in value]
        view[option] = value
    return view


def _api_of(option):
    if option in ('name', 'type'):
        return option
    if option in COMMON_FIELDS:
        return COMMON_FIELDS[option]
    return FIELDS[option]['api']


CHANGED_MASK = MASK + ' (changed)'   # a secret the task changes: masked before and after, marked
SENT_MASK = MASK + ' (sent)'         # a secret Apinizer does not reveal, sent because update_secrets=always


class ConnectionModule(ApinizerModule):
    """One project connection made to match the task."""

    def __init__(self, module):
        super(ConnectionModule, self).__init__(module)
        self.project = self.params['project']
        self.name = self.params['name']
        self.new_name = self.params['new_name']
        self.type = self.params['type']
        self.state = self.params['state']
        self.target = self.name       # the connection's name after the task
        self.desired = {}             # API field -> value of every option the task sets
        self.changes = []             # API fields the planned write changes
        self.deployment_failure = None
        self._secrets = set()
        self.result.update(project=self.project, name=self.name)

    # Validation --------------------------------------------------------------------------

    def given_options(self):
        """Type-specific options the user set (not None)."""
        return sorted(option for option in FIELDS if self.params.get(option) is not None)

    def validate_options(self):
        """Everything that can be checked without a request; raises ApinizerError."""
        for option, field in FIELDS.items():
            if field['secret'] and self.params.get(option):
                self._secrets.add(self.params[option])
        if not (self.name or '').strip():
            raise ApinizerError('name must not be empty.')
        if self.new_name is not None and not self.new_name.strip():
            raise ApinizerError('new_name must not be empty.')
        if self.state == 'absent' and self.new_name is not None:
            raise ApinizerError('new_name renames a connection and cannot be used with state=absent.')
        if self.type is None:
            return  # state=absent without a type: the type-specific options are ignored
        wrong = [option for option in self.given_options() if self.type not in FIELDS[option]['types']]
        if wrong:
            parts = ['%s (used with type %s)' % (option, ', '.join(FIELDS[option]['types'])) for option in wrong]
            raise ApinizerError('Option%s not valid for type=%s: %s.' % (
                's' if len(wrong) > 1 else '', self.type, '; '.join(parts)))
        if self.state == 'present':
            self._raise_rule_errors(check_rules(self.type, self._type_params()))

    def _type_params(self):
        return dict((option, self.params.get(option)) for option in options_of_type(self.type))

    @staticmethod
    def _raise_rule_errors(errors):
        if errors:
            raise ApinizerError(' '.join(errors))

    # Shown to the user -------------------------------------------------------------------

    def mask(self, value):
        return mask_connection(value)

    def scrub(self, text):
        """Replace every secret value this run has seen by MASK (error texts may echo a body)."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            if isinstance(secret, str) and secret:
                text = text.replace(secret, MASK)
        return text

    # Reading -----------------------------------------------------------------------------

    def path(self, name):
        return api_path('projects', self.project, 'connections', name)

    def read(self, name):
        """The connection of that name (API form), or None when Apinizer says it does not exist."""
        try:
            body = self.client.get(self.path(name))
        except ApinizerApiError as exc:
            if exc.says_absent('Connection', name, case_sensitive=False):
                return None
            raise
        connection = single_result(body)
        if connection is not None and not isinstance(connection, dict):
            raise ApinizerError("Apinizer answered the read of connection '%s' with an unexpected body." % name)
        if connection:
            self._remember_secrets(connection)
        return connection or None

    def _remember_secrets(self, connection):
        for api in SECRET_FIELDS:
            value = connection.get(api)
            if isinstance(value, str) and value and not looks_masked(value):
                self._secrets.add(value)
        for api, field in FIELD_BY_API.items():
            items = connection.get(api) if field['secret_members'] else None
            for item in items if isinstance(items, list) else []:
                for key in field['secret_members']:
                    value = item.get(key) if isinstance(item, dict) else None
                    if isinstance(value, str) and value and not looks_masked(value):
                        self._secrets.add(value)

    def desired_fields(self):
        """{API field: value} of every option the user set, in the API's form."""
        body = {}
        for option, api in COMMON_FIELDS.items():
            if self.params.get(option) is not None:
                body[api] = self.params[option]
        for option in options_of_type(self.type):
            value = self.params.get(option)
            if value is not None:
                body[FIELDS[option]['api']] = to_api(FIELDS[option], value)
        return body

    def compared_options(self):
        options = [option for option in COMMON_FIELDS if self.params.get(option) is not None]
        return options + [option for option in options_of_type(self.type) if self.params.get(option) is not None]

    # Plan --------------------------------------------------------------------------------

    def plan(self):
        if self.state == 'absent':
            return self.plan_absent()
        return self.plan_present()

    def plan_absent(self):
        current = self.read(self.name)
        self.result.update(before={}, after={})
        if current is None:
            return []
        stored_type = current.get('type')
        if self.type is not None and stored_type not in (None, self.type):
            raise ApinizerError("Connection '%s' in project '%s' is of type %s, not %s; it was not deleted." % (
                self.name, self.project, stored_type, self.type))
        self.result['type'] = stored_type
        options = ['name', 'type'] + list(COMMON_FIELDS) + (options_of_type(stored_type)
                                                            if stored_type in CONNECTION_TYPES else [])
        self.result['before'] = options_view(current, options)
        return [ApiRequest('DELETE', self.path(self.name), does=(DELETE,), subject=self.name)]

    def plan_present(self):
        self.desired = self.desired_fields()
        self.target = self.new_name or self.name
        current = self.read(self.name)
        path_name = self.name
        if self.new_name is not None and self.new_name != self.name:
            if current is None:
                # The rename may already have happened: manage the connection under its new name.
                current = self.read(self.new_name)
                path_name = self.new_name
            else:
                other = self.read(self.new_name)
                if other is not None and not self._same(current, other):
                    raise ApinizerError(
                        "Cannot rename connection '%s' to '%s' in project '%s': a connection named '%s' "
                        "already exists." % (self.name, self.new_name, self.project, self.new_name))
        self.result.update(name=self.target, type=self.type)
        if current is None:
            return self.plan_create()
        return self.plan_update(path_name, current)

    @staticmethod
    def _same(one, other):
        if one.get('id') is not None and other.get('id') is not None:
            return one['id'] == other['id']
        return one.get('name') == other.get('name')

    @staticmethod
    def _deploys(body):
        """A write deploys to the workers unless its body says deployToWorker: false (Apinizer's default is true)."""
        return (DEPLOY,) if body.get('deployToWorker') is not False else ()

    def plan_create(self):
        self._raise_rule_errors(check_rules(self.type, self._type_params(), creating=True))
        body = dict(self.desired, name=self.target, type=self.type)
        self.changes = sorted(self.desired)
        self.result['before'] = {}
        self.result['after'] = options_view(body, ['name', 'type'] + self.compared_options())
        return [ApiRequest('POST', self.path(self.target), body, (CREATE,) + self._deploys(body), subject=self.target)]

    def plan_update(self, path_name, current):
        stored_type = current.get('type')
        if stored_type is not None and stored_type != self.type:
            raise ApinizerError(
                "Connection '%s' in project '%s' is of type %s; Apinizer cannot change the type of a connection "
                "to %s. Delete it (state=absent) and create it again with type=%s." % (
                    path_name, self.project, stored_type, self.type, self.type))

        status = dict((api, compare_field(api, value, current)) for api, value in self.desired.items())
        differing = sorted(api for api, state in status.items() if state == DIFFERENT)
        unknown = sorted(api for api, state in status.items() if state == UNKNOWN)
        unreported = sorted(api for api, state in status.items() if state == UNREPORTED)
        rename = current.get('name', path_name) != self.target
        write = bool(differing or rename or (unknown and self.params['update_secrets'] == 'always'))
        self.changes = differing + (unknown if write else [])

        after = self.merge(current, self.desired, self.target)
        options = ['name'] + self.compared_options()
        before = options_view(current, options)
        before.setdefault('name', path_name)
        marks = dict((api, CHANGED_MASK) for api in differing)
        if write:
            marks.update((api, SENT_MASK) for api in unknown)
        self.result['before'] = before
        self.result['after'] = options_view(after if write else current, options, marks if write else None)
        self.result['after'].setdefault('name', self.target)
        self._warn_unverified(path_name, unknown if not write else [], unreported)
        if not write:
            return []

        body = self.drop_stale_references(self.write_body(after), current)
        policy_error = ilm_phase_error(body.get('indexLifecyclePolicy'))
        if policy_error:
            raise ApinizerError(policy_error)
        self._warn_lost_references(path_name, current, body)
        does = (WRITE,) + ((RENAME,) if rename else ()) + self._deploys(body)
        return [ApiRequest('PUT', self.path(path_name), body, does, subject=self.target)]

    @staticmethod
    def merge(current, desired, target):
        """The connection after the update: the current object with the desired fields laid over it."""
        after = copy.deepcopy(current)
        for api, value in desired.items():
            field = FIELD_BY_API.get(api)
            if field and field['compare'] == 'object' and isinstance(after.get(api), dict):
                merged = dict(after[api])
                merged.update(value)
                after[api] = merged
            else:
                after[api] = copy.deepcopy(value)
        after['name'] = target
        return after

    def drop_stale_references(self, body, current):
        """Leave out the other half of a reference pair when the task changed one half only."""
        for one, other in REFERENCE_PAIRS:
            for given, dropped in ((one, other), (other, one)):
                api = FIELDS[given]['api']
                if self.params.get(given) is not None and self.params.get(dropped) is None \
                        and not values_equal(self.params[given], current.get(api)):
                    body.pop(FIELDS[dropped]['api'], None)
        return body

    def write_body(self, after):
        """The PUT body: no read-only fields, no secret the server did not reveal (never sent back)."""
        body = {}
        for key, value in after.items():
            if key in READ_ONLY_FIELDS:
                continue
            if key in SECRET_FIELDS and _secret_unknown(value):
                continue
            field = FIELD_BY_API.get(key)
            if field and field['secret_members'] and isinstance(value, list):
                value = [dict((k, v) for k, v in item.items()
                              if not (k in field['secret_members'] and _secret_unknown(v)))
                         if isinstance(item, dict) else item for item in value]
            body[key] = value
        body['type'] = self.type
        return body

    def _warn_unverified(self, name, unknown, unreported):
        options = dict((field['api'], option) for option, field in FIELDS.items())
        if unknown:
            self.module.warn(
                "Apinizer did not return %s of connection '%s' (project '%s') in clear, so %s not compared "
                "and not sent (update_secrets=on_create). Set update_secrets=always to send %s on every run." % (
                    ', '.join(options[api] for api in unknown), name, self.project,
                    'it was' if len(unknown) == 1 else 'they were', 'it' if len(unknown) == 1 else 'them'))
        if unreported:
            self.module.warn(
                "Apinizer did not report %s of connection '%s' (project '%s'), so a change to %s alone cannot be "
                "detected; %s sent whenever the connection is updated." % (
                    ', '.join(options.get(api, api) for api in unreported), name, self.project,
                    'it' if len(unreported) == 1 else 'them', 'it is' if len(unreported) == 1 else 'they are'))

    def _warn_lost_references(self, name, current, body):
        options = dict((field['api'], option) for option, field in FIELDS.items())
        for id_field, name_field in sorted(ID_REFERENCES.items()):
            if current.get(id_field) is not None and _empty(body.get(name_field)):
                self.module.warn(
                    "Apinizer reports %s but not %s for connection '%s' (project '%s'); the update does not send "
                    "ids back, so set %s to keep that reference." % (
                        id_field, name_field, name, self.project, options.get(name_field, name_field)))

    # Execute -----------------------------------------------------------------------------

    def confirm(self, request):
        """After a lost answer: read the connection back and tell whether the write took effect."""
        try:
            if request.method == 'DELETE':
                return APPLIED if self.read(self.name) is None else NOT_APPLIED
            now = self.read(self.target)
        except ApinizerError:
            return None
        if request.method == 'POST':
            return APPLIED if now is not None else NOT_APPLIED
        if now is None:
            # Renamed: the new name does not exist, so the rename did not happen. Otherwise the
            # connection vanished meanwhile, and nothing can be told.
            return NOT_APPLIED if RENAME in request.does else None
        if RENAME in request.does and now.get('name') != self.target:
            return NOT_APPLIED
        states = dict((api, compare_field(api, self.desired[api], now)) for api in self.changes)
        if any(state == DIFFERENT for state in states.values()):
            return NOT_APPLIED
        if all(state == EQUAL for state in states.values()):
            return APPLIED
        return None  # only secrets Apinizer does not reveal were to change

    def handle_response(self, request, response):
        what = dict(POST='created', PUT='updated', DELETE='deleted')[request.method]
        if request.confirmed:
            self.result['deployment'] = dict(success=None, details=[])
            return
        result = response.get('deploymentResult') if isinstance(response, dict) else None
        if result is None:
            return
        if isinstance(result, dict):
            deployment = dict(success=result.get('success'), details=deployment_results(result, []))
        else:
            deployment = dict(success=None, details=[])
        self.result['deployment'] = deployment
        requested = DEPLOY in request.does
        if requested and deployment['success'] is False:
            reasons = '; '.join('%s: %s' % (d['environment'], d['message']) for d in deployment['details']
                                if not d['success']) or 'no details given'
            self.deployment_failure = (
                "Connection '%s' (project '%s') was %s, but deploying it to the workers failed (%s). Re-run the "
                "task after fixing the workers, or deploy the connection in Apinizer." % (
                    request.subject, self.project, what, reasons))

    def finish(self):
        if self.deployment_failure:
            raise ApinizerError(self.deployment_failure)
