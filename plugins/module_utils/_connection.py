# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""apinizer_connection and apinizer_connection_info on the plan-then-execute engine.

apinizer_connection: validate the options (per type, before any request) -> read the
connection (GET one, secrets in clear) -> compare the fields the task sets -> plan one write:
POST (create), PUT (current object merged with the desired fields; rename) or DELETE -> check
mode stops -> execute (a lost answer is settled by reading the connection back) -> result with
the deployToWorker outcome. apinizer_connection_info reads one connection or a project's
connections and answers each in the option shape apinizer_connection takes, secrets left out.
Secrets are masked in everything shown.
"""

from __future__ import annotations

import copy

from ansible_collections.apinizer.apiops.plugins.module_utils._client import (
    ApinizerApiError,
    ApinizerError,
    api_path,
    connection_argument_spec,
    name_problem,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._compare import is_empty, values_equal
from ansible_collections.apinizer.apiops.plugins.module_utils._connection_fields import (
    CHANGED_MASK,
    DIFFERENT,
    EQUAL,
    SENT_MASK,
    UNKNOWN,
    UNREPORTED,
    changed_secret_items,
    compare_field,
    connection_secrets,
    mask_body,
    options_view,
    revealed,
    secret_unknown,
    secrets_set,
    to_api,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._connection_types import (
    COMMON_FIELDS,
    HEADER_FIELDS,
    ID_REFERENCES,
    PROPERTY_FIELDS,
    READ_ONLY_FIELDS,
    SECRET_FIELDS,
    TYPES,
    TYPE_KEYS,
    option_errors,
    stored_errors,
    type_key,
    types_argument_spec,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._deploy import deployment_results
from ansible_collections.apinizer.apiops.plugins.module_utils._envelope import first_result, result_items
from ansible_collections.apinizer.apiops.plugins.module_utils._fields import argument_spec
from ansible_collections.apinizer.apiops.plugins.module_utils._engine import (
    APPLIED,
    CREATE,
    DELETE,
    DEPLOY,
    NOT_APPLIED,
    RENAME,
    REPLACE,
    WRITE,
    ApiRequest,
    ApinizerModule,
    ModuleEntry,
    Plan,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._options import project_argument_spec


def connection_module_spec():
    """Argument spec of apinizer_connection: connection options, identity, common fields, one dict per type."""
    spec = connection_argument_spec()
    spec.update(
        project=project_argument_spec(),
        name=dict(type='str', required=True, aliases=['connection_name']),
        new_name=dict(type='str'),
        type=dict(type='str', choices=list(TYPE_KEYS)),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        update_secrets=dict(type='str', default='on_create', choices=['on_create', 'always'], no_log=False),
    )
    spec.update(argument_spec(COMMON_FIELDS))
    spec.update(types_argument_spec())
    return spec


CONNECTION_MODULE_OPTIONS = dict(
    supports_check_mode=True,
    mutually_exclusive=[list(TYPE_KEYS)],
    required_if=[('state', 'present', list(TYPE_KEYS), True)],
)


def connection_info_spec():
    spec = connection_argument_spec()
    spec.update(
        project=project_argument_spec(),
        name=dict(type='str', aliases=['connection_name']),
        type=dict(type='str', choices=list(TYPE_KEYS)),
        report_secrets=dict(type='bool', default=True),
    )
    return spec


CONNECTION_INFO_OPTIONS = dict(supports_check_mode=True)


class ConnectionReader:
    """Reads connections; shared by apinizer_connection and apinizer_connection_info."""

    project_of = 'the connection'

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
        connection = first_result(body)
        if connection is not None and not isinstance(connection, dict):
            raise ApinizerError("Apinizer answered the read of connection '%s' with an unexpected body." % name)
        # Secrets Apinizer returns in clear are known to the scrubber before anything shows them.
        self.secrets.update(connection_secrets(connection, getattr(self, 'flags', None)))
        return connection or None


class ConnectionModule(ConnectionReader, ApinizerModule):
    """One project connection made to match the task."""

    name_options = ('project', 'name', 'new_name')

    def __init__(self, module, raw_params=None):
        super().__init__(module, raw_params)
        self.project = self.params['project']
        self.name = self.params['name']
        self.new_name = self.params['new_name']
        self.state = self.params['state']
        given = [key for key in TYPE_KEYS if self.params.get(key) is not None]
        self.key = given[0] if given else self.params.get('type')
        self.options = (self.params.get(self.key) or {}) if given else {}
        self.flags = {entry['name']: entry['secret'] for entry in self.options.get('properties') or []
                      if entry.get('secret') is not None}
        self.target = self.name       # the connection's name after the task
        self.desired = {}             # API field -> value of every option the task sets
        self.task_fields = {}         # API field -> the Field of each option the task sets (None: a common field)
        self.changes = []             # API fields the planned write changes
        self.deployment_failure = None
        self.current = None           # the connection as the plan read it
        self.result.update(project=self.project, name=self.name)

    @property
    def api_type(self):
        return TYPES[self.key].api

    # Validation --------------------------------------------------------------------------

    def validate_options(self):
        """Everything that can be checked without a request; raises ApinizerError."""
        given = [key for key in TYPE_KEYS if self.params.get(key) is not None]
        if self.state == 'absent':
            if self.new_name is not None:
                raise ApinizerError('new_name renames a connection and cannot be used with state=absent.')
            if given and self.params['type'] not in (None, given[0]):
                raise ApinizerError('type=%s and the %s dict name different types.' % (self.params['type'], given[0]))
            return
        if self.params['type'] is not None:
            raise ApinizerError('type is only for state=absent (a check before deleting); with state=present the '
                                'type follows from the type dict (%s: {...}).' % self.params['type'])
        if not given:
            nulls = [key for key in TYPE_KEYS if key in (self.raw_params or {})]
            raise ApinizerError('state=present needs the settings of the connection as one type dict, for example '
                                'email: {host: smtp.example.com}%s. Nothing was sent.' % (
                                    '; %s is null' % nulls[0] if nulls else ''))
        errors = option_errors(self.key, self.options)
        if errors:
            raise ApinizerError(' '.join(errors))
        # Hidden from every output like a no_log option, the invocation included.
        self.secrets.update(connection_secrets(self.desired_fields(), self.flags))

    def desired_fields(self):
        """{API field: value} of every option the task sets, in the API's form."""
        body = {}
        self.task_fields = {}
        for option, field in COMMON_FIELDS.items():
            if self.params.get(option) is not None:
                body[field.api] = self.params[option]
                self.task_fields[field.api] = None
        for option, field in TYPES[self.key].fields.items():
            value = self.options.get(option)
            if value is not None:
                body[field.api] = to_api(field, value)
                self.task_fields[field.api] = field
        return body

    def include(self):
        """The options the task sets, for views limited to them."""
        include = {option for option in COMMON_FIELDS if self.params.get(option) is not None}
        include = dict.fromkeys(include, True)
        include[self.key] = {option for option, value in self.options.items() if value is not None}
        return include

    # Shown to the user -------------------------------------------------------------------

    def mask(self, value):
        return mask_body(value, self.flags)

    # Plan --------------------------------------------------------------------------------

    def plan(self):
        if self.state == 'absent':
            return self.plan_absent()
        return self.plan_present()

    def plan_absent(self):
        current = self.read(self.name)
        if current is None:
            return Plan(before={}, after={})
        stored_key = type_key(current.get('type'))
        if self.key is not None and current.get('type') is not None and stored_key != self.key:
            raise ApinizerError("Connection '%s' in project '%s' is of type %s, not %s; it was not deleted." % (
                self.name, self.project, stored_key or current.get('type'), self.key))
        self.result['type'] = stored_key
        return Plan([ApiRequest('DELETE', self.path(self.name), does=(DELETE,), connection=self.name)],
                    before=options_view(current, stored_key), after={})

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
        self.result['name'] = self.target
        if current is None:
            self.result['type'] = self.key
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

    def _raise_stored_errors(self, connection, creating=False):
        values = options_view(connection, self.key, secrets='clear', keep_empty=True)[self.key]
        for id_field, name_field in ID_REFERENCES.items():
            option = next((o for o, f in TYPES[self.key].fields.items() if f.api == name_field), None)
            if option and option not in values and connection.get(id_field) is not None:
                values[option] = connection[id_field]  # reported by its id: the reference is set
        errors = stored_errors(self.key, values, creating)
        if errors:
            raise ApinizerError('%s Nothing was changed.' % ' '.join(errors))

    def plan_create(self):
        body = dict(self.desired, name=self.target, type=self.api_type)
        self._raise_stored_errors(body, creating=True)
        missing = sorted(name for name, item in (body.get('propertiesMap') or {}).items() if 'value' not in item)
        if missing:
            raise ApinizerError('%s: creating a connection requires a value for properties %s. Nothing was changed.'
                                % (self.key, ', '.join(missing)))
        self.changes = sorted(self.desired)
        return Plan([ApiRequest('POST', self.path(self.target), body, (CREATE,) + self._deploys(body),
                                connection=self.target)],
                    before={}, after=options_view(body, self.key, self.include(), flags=self.flags))

    def plan_update(self, path_name, current):
        stored_key = type_key(current.get('type'))
        if current.get('type') is not None and stored_key != self.key:
            raise ApinizerError(
                "Connection '%s' in project '%s' is of type %s; Apinizer cannot change the type of a connection "
                "to %s. Delete it (state: absent) and create it again with %s: {...}." % (
                    path_name, self.project, stored_key or current.get('type'), self.key, self.key))
        self.result['type'] = self.key

        status = {api: compare_field(api, self.task_fields[api], value, current, self.flags)
                  for api, value in self.desired.items()}
        differing = sorted(api for api, state in status.items() if state == DIFFERENT)
        unknown = sorted(api for api, state in status.items() if state == UNKNOWN)
        unreported = sorted(api for api, state in status.items() if state == UNREPORTED)
        rename = current.get('name', path_name) != self.target
        write = bool(differing or rename or (unknown and self.params['update_secrets'] == 'always'))
        self.changes = differing + (unknown if write else [])

        after = self.merge(current, self.desired, self.target)
        include = self.include()
        before = options_view(current, self.key, include, flags=self.flags)
        before['name'] = current.get('name') or path_name
        self._warn_unverified(path_name, unknown if not write else [], unreported)
        if not write:
            return Plan(before=before, after=copy.deepcopy(before))

        self._raise_stored_errors(after)
        body = self.put_body(current)
        self._warn_lost_references(path_name, current, body)
        self.current, self.path_name = current, path_name
        does = (WRITE, REPLACE) + ((RENAME,) if rename else ()) + self._deploys(body)
        return Plan([ApiRequest('PUT', self.path(path_name), body, does, connection=self.target)], before=before,
                    after=options_view(after, self.key, include, marks=self._marks(current, differing, unknown),
                                       flags=self.flags))

    def put_body(self, current):
        """The PUT body that updates ``current``: the whole connection, with the desired fields laid over it."""
        return self.drop_stale_references(self.write_body(self.merge(current, self.desired, self.target)), current)

    # A PUT replaces the whole connection, and Apinizer offers no ETag or If-Match: between the
    # read the plan was made from and the PUT, another run may have changed a field this task
    # does not set, and the PUT would erase it. So the connection is read again right before
    # the PUT and once more after it (docs/reliability.md, "Concurrent runs").

    def before_send(self, request):
        if request.method != 'PUT':
            return
        now = self.read(self.path_name)
        if now is None:
            raise ApinizerError("Connection '%s' (project '%s') was deleted by someone else since this task read it. "
                                "Nothing was changed." % (self.path_name, self.project))
        planned, fresh = request.body, self.put_body(now)
        changed = sorted(api for api in set(planned) | set(fresh)
                         if not (values_equal(planned.get(api), fresh.get(api)) and
                                 values_equal(fresh.get(api), planned.get(api))))
        if changed:
            raise ApinizerError(
                "Connection '%s' (project '%s') was changed by someone else since this task read it: %s. Nothing was "
                "changed; re-run the task to compare with what Apinizer holds now." % (
                    self.path_name, self.project, ', '.join(self._option_of(api) for api in changed)))

    def verify_put(self, request):
        """After the PUT: is the stored connection what was written? Raise ApinizerError when it is not."""
        stored = self.read(self.target)
        if stored is None:
            raise ApinizerError("Connection '%s' (project '%s') was written, but reading it back finds no such "
                                "connection: someone else may have renamed or deleted it meanwhile." % (
                                    self.target, self.project))
        differ, unverifiable = [], []
        for api, value in sorted(request.body.items()):
            if api == 'type':
                continue
            if api == 'name':
                state = EQUAL if stored.get('name') == value else DIFFERENT
            else:
                state = compare_field(api, self.field_of(api), value, stored, self.flags)
            if state == DIFFERENT:
                differ.append(api)
            elif state == UNKNOWN:
                unverifiable.append(api)
        if differ:
            own = [api for api in differ if api in self.desired]
            carried = [api for api in differ if api not in self.desired]
            named = ', '.join(self._option_of(api) for api in own)
            if carried:
                named += '%s%s (written back as this task had read %s)' % (
                    ', and ' if own else '', ', '.join(self._option_of(api) for api in carried),
                    'it' if len(carried) == 1 else 'them')
            raise ApinizerError(
                "Connection '%s' (project '%s') was written, but reading it back shows other values for %s: someone "
                "else may have changed it at the same moment, or Apinizer did not take them. Check the connection in "
                "Apinizer and re-run the task." % (self.target, self.project, named))
        if unverifiable:
            self.warn("Apinizer does not return %s of connection '%s' (project '%s') in clear, so whether the written "
                      "value%s stored cannot be verified." % (
                          ', '.join(self._option_of(api) for api in unverifiable), self.target, self.project,
                          ' is' if len(unverifiable) == 1 else 's are'))

    def field_of(self, api):
        """The table entry of an API field of this type, or None (a common or unknown field)."""
        return next((field for field in TYPES[self.key].fields.values() if field.api == api), None)

    def _marks(self, current, differing, unknown):
        """{sub-option: marker} of the secrets the write changes or sends unverified."""
        marks = {}
        for api in differing + unknown:
            field = self.task_fields[api]
            if field is None:
                continue
            option = next(o for o, f in TYPES[self.key].fields.items() if f is field)
            marker = CHANGED_MASK if api in differing else SENT_MASK
            if field.secret:
                marks[option] = marker
            elif field.compare in ('headers', 'properties'):
                marks[option] = {name: CHANGED_MASK for name in
                                 changed_secret_items(field, self.desired[api], current, self.flags)}
        return marks

    def merge(self, current, desired, target):
        """The connection after the update: the current object with the desired fields laid over it."""
        after = copy.deepcopy(current)
        for api, value in desired.items():
            field = self.task_fields.get(api)
            kind = field.compare if field else 'scalar'
            stored = after.get(api)
            if kind == 'object' and isinstance(stored, dict):
                merged = dict(stored)
                merged.update(value)
                after[api] = merged
            elif kind == 'properties':
                stored = stored if isinstance(stored, dict) else {}
                after[api] = {name: dict(entry) if 'value' in entry else dict(
                    entry, **self._kept_value((stored.get(name) or {}).get('value')))
                    for name, entry in value.items()}
            elif kind == 'headers':
                values = {item.get('name'): item.get('value') for item in stored or [] if isinstance(item, dict)}
                after[api] = [dict(item) if 'value' in item else dict(item, **self._kept_value(values.get(item['name'])))
                              for item in value]
            else:
                after[api] = copy.deepcopy(value)
        after['name'] = target
        return after

    @staticmethod
    def _kept_value(value):
        """A stored secret the task keeps: its value when Apinizer returned it in clear, else nothing."""
        return dict(value=value) if revealed(value) else {}

    def drop_stale_references(self, body, current):
        """Leave out the other half of the LDAP certificate reference when the task changed one half only."""
        if self.key != 'ldap':
            return body
        for given, dropped in (('certificate_id', 'certificate_name'), ('certificate_name', 'certificate_id')):
            api = TYPES['ldap'].fields[given].api
            if self.options.get(given) is not None and self.options.get(dropped) is None \
                    and not values_equal(self.options[given], current.get(api)):
                body.pop(TYPES['ldap'].fields[dropped].api, None)
        return body

    def write_body(self, after):
        """The PUT body: no read-only fields, no secret the server did not reveal (never sent back)."""
        body = {}
        for key, value in after.items():
            if key in READ_ONLY_FIELDS:
                continue
            if key in SECRET_FIELDS and secret_unknown(value):
                continue
            if key in HEADER_FIELDS and isinstance(value, list):
                value = [{k: v for k, v in item.items() if not (k == 'value' and secret_unknown(v))}
                         if isinstance(item, dict) else item for item in value]
            if key in PROPERTY_FIELDS and isinstance(value, dict):
                missing = sorted(name for name, item in value.items()
                                 if not isinstance(item, dict) or secret_unknown(item.get('value')))
                if missing:
                    raise ApinizerError(
                        "Apinizer did not return the value of Kafka properties %s of connection '%s' (project '%s'), "
                        "and the update replaces the whole map: give their values. Nothing was changed."
                        % (', '.join(missing), self.name, self.project))
            body[key] = value
        body['type'] = self.api_type
        return body

    def _option_of(self, api):
        for option, field in TYPES[self.key].fields.items():
            if field.api == api:
                return '%s.%s' % (self.key, option)
        return next((option for option, field in COMMON_FIELDS.items() if field.api == api), api)

    def _warn_unverified(self, name, unknown, unreported):
        if unknown:
            self.warn(
                "Apinizer did not return %s of connection '%s' (project '%s') in clear, so %s not compared "
                "and not sent (update_secrets=on_create). Set update_secrets=always to send %s on every run." % (
                    ', '.join(self._option_of(api) for api in unknown), name, self.project,
                    'it was' if len(unknown) == 1 else 'they were', 'it' if len(unknown) == 1 else 'them'))
        if unreported:
            self.warn(
                "Apinizer did not report %s of connection '%s' (project '%s'), so a change to %s alone cannot be "
                "detected; %s sent whenever the connection is updated." % (
                    ', '.join(self._option_of(api) for api in unreported), name, self.project,
                    'it' if len(unreported) == 1 else 'them', 'it is' if len(unreported) == 1 else 'they are'))

    def _warn_lost_references(self, name, current, body):
        for id_field, name_field in sorted(ID_REFERENCES.items()):
            if current.get(id_field) is not None and is_empty(body.get(name_field)):
                self.warn(
                    "Apinizer reports %s but not %s for connection '%s' (project '%s'); the update does not send "
                    "ids back, so set %s to keep that reference." % (
                        id_field, name_field, name, self.project, self._option_of(name_field)))

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
        states = {api: compare_field(api, self.task_fields[api], self.desired[api], now, self.flags)
                  for api in self.changes}
        if any(state == DIFFERENT for state in states.values()):
            return NOT_APPLIED
        if all(state == EQUAL for state in states.values()):
            return APPLIED
        return None  # only secrets Apinizer does not reveal were to change

    def handle_response(self, request, response):
        what = dict(POST='created', PUT='updated', DELETE='deleted')[request.method]
        if request.confirmed:
            return
        if request.method == 'PUT':
            self.verify_put(request)
        result = response.get('deploymentResult') if isinstance(response, dict) else None
        if result is None:
            return
        if isinstance(result, dict):
            deployment = dict(success=result.get('success'), details=deployment_results(result, []))
        else:
            deployment = dict(success=None, details=[])
        self.result['deployment'] = deployment
        if DEPLOY in request.does and deployment['success'] is False:
            reasons = '; '.join('%s: %s' % (d['environment'], d['message']) for d in deployment['details']
                                if not d['success']) or 'no details given'
            self.deployment_failure = (
                "Connection '%s' (project '%s') was %s, but deploying it to the workers failed (%s). Re-run the "
                "task after fixing the workers, or deploy the connection in Apinizer." % (
                    request.connection, self.project, what, reasons))

    def finish(self):
        if self.deployment_failure:
            raise ApinizerError(self.deployment_failure)


class ConnectionInfoModule(ConnectionReader, ApinizerModule):
    """One connection, or every connection of a project (of one type), in apinizer_connection's option shape."""

    read_only = True

    def __init__(self, module, raw_params=None):
        super().__init__(module, raw_params)
        self.project = self.params['project']
        self.result.update(project=self.project, connections=[], secrets_set={})

    def validate_options(self):
        name = self.params['name']
        if name is not None and not name.strip():
            raise ApinizerError('name must not be empty; leave it out to list every connection of the project.')
        problem = name_problem('name', name)
        if problem:
            raise ApinizerError('%s Nothing was sent.' % problem)

    def plan(self):
        name, key = self.params['name'], self.params['type']
        if name is not None:
            connection = self.read(name)
            found = [connection] if connection is not None and (key is None or type_key(connection.get('type')) == key) \
                else []
            self.add(found, complete=True)
        else:
            for each in [key] if key else TYPE_KEYS:
                listed = result_items(self.client.get(api_path('projects', self.project, 'connections'),
                                                      params=dict(type=TYPES[each].api)))
                if self.params['report_secrets']:
                    listed = [self.read(item['name']) for item in listed if item.get('name')]
                self.add([item for item in listed if item], complete=self.params['report_secrets'])
        self.result['connections'].sort(key=lambda entry: (entry['name'].lower(), entry['name']))
        return Plan()

    def add(self, connections, complete):
        for connection in connections:
            key = type_key(connection.get('type'))
            if key is None or connection.get('name') is None:
                self.warn("Connection '%s' has type %r, which this collection does not manage; it is left out."
                          % (connection.get('name'), connection.get('type')))
                continue
            entry = options_view(connection, key, secrets='omit', keep_empty=True)
            entry['project'] = self.project
            self.result['connections'].append(entry)
            if complete:
                self.result['secrets_set'][connection['name']] = secrets_set(connection, key)


CONNECTION = ModuleEntry('apinizer_connection', ConnectionModule, connection_module_spec, **CONNECTION_MODULE_OPTIONS)
CONNECTION_INFO = ModuleEntry('apinizer_connection_info', ConnectionInfoModule, connection_info_spec,
                              **CONNECTION_INFO_OPTIONS)
