# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""The fields of a connection: option form <-> API form, comparing, and what is shown of them.

A connection's fields as _connection_types declares them: converted between the sub-options
the user writes and the API's camelCase form, compared one by one (a secret the server does not
return in clear is UNKNOWN, never equal), and shown in the option shape with every secret
masked or left out. Every secret value of a connection can be listed, for the scrubber.
"""

from __future__ import annotations

from ansible_collections.apinizer.apiops.plugins.module_utils._compare import (
    MASK,
    is_empty,
    looks_masked,
    values_equal,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._connection_types import (
    COMMON_FIELDS,
    HEADER_FIELDS,
    ID_REFERENCES,
    PROPERTY_FIELDS,
    SECRET_FIELDS,
    TYPES,
    secret_property,
)

EQUAL = 'equal'
DIFFERENT = 'different'
UNKNOWN = 'unknown'          # a secret the server does not return in clear (null or masked)
UNREPORTED = 'unreported'    # a name reference GET reports only as its id (keyStoreName -> keyStoreId)

CHANGED_MASK = MASK + ' (changed)'   # a secret the task changes: masked before and after, marked
SENT_MASK = MASK + ' (sent)'         # a secret Apinizer does not reveal, sent because update_secrets=always


# Option form <-> API form ------------------------------------------------------------------

def _text(value):
    """A Kafka property value is a string in the API; YAML may have typed it."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return value if isinstance(value, str) else str(value)


def _rename_keys(item, names):
    """A dict with its keys renamed by ``names``; keys ``names`` does not know and None values are left out."""
    if not isinstance(item, dict):
        return item
    return {names[key]: value for key, value in item.items() if key in names and value is not None}


def _inverse(names):
    return {api: option for option, api in names.items()}


def to_api(field, value):
    """A sub-option value in the API's form (camelCase keys inside nested structures)."""
    if value is None:
        return None
    if field.normalize:
        value = field.normalize(value)
    if field.compare == 'properties':
        converted = {}
        for entry in value:
            item = dict(valueType=entry.get('value_type') or 'STRING')
            if entry.get('value') is not None:
                item['value'] = _text(entry['value'])
            converted[entry['name']] = item
        return converted
    members = field.member_names
    if members:
        if isinstance(value, list):
            return [_rename_keys(item, members) for item in value]
        return _rename_keys(value, members)
    return value


def from_api(field, value):
    """An API value in the sub-option's form (unmasked)."""
    if value is None:
        return None
    if field.compare == 'properties':
        if not isinstance(value, dict):
            return value
        entries = []
        for name, item in value.items():
            item = item if isinstance(item, dict) else {}
            entry = dict(name=name, value=item.get('value'), value_type=item.get('valueType'))
            entries.append({k: v for k, v in entry.items() if v is not None})
        return entries
    members = field.member_names
    if members:
        inverse = _inverse(members)
        if isinstance(value, list):
            return [_rename_keys(item, inverse) for item in value]
        return _rename_keys(value, inverse)
    return value


def secret_unknown(value):
    return value is None or looks_masked(value)


def revealed(value):
    return isinstance(value, str) and bool(value) and not looks_masked(value)


# Comparing -----------------------------------------------------------------------------------

def compare_field(api, field, desired, current, flags=None):
    """EQUAL, DIFFERENT, UNKNOWN (a secret not readable) or UNREPORTED (not in the GET answer).

    ``field`` is the table entry of API field ``api`` (None for the common fields), ``desired``
    the API-form value, ``current`` the connection as read; ``flags`` the task's Kafka property
    secret flags.
    """
    value = current.get(api)
    if field is None:
        return EQUAL if values_equal(desired, value) else DIFFERENT
    if field.secret:
        if secret_unknown(value):
            return UNKNOWN
        return EQUAL if desired == value else DIFFERENT
    if api not in current and any(name == api and id_field in current for id_field, name in ID_REFERENCES.items()):
        return UNREPORTED  # the server reports the id (keyStoreId) instead of the name a write takes
    if field.blank_matches_any and desired == '':
        return EQUAL  # the server fills in its own value (logback logPodName -> host name)
    if is_empty(desired) and is_empty(value):
        return EQUAL
    kind = field.compare
    if kind == 'properties':
        return _compare_properties(desired, value, flags or {})
    if kind == 'headers':
        return _compare_headers(desired, value)
    if kind == 'map':
        if not isinstance(value, dict) or set(desired) != set(value):
            return DIFFERENT
        return EQUAL if all(values_equal(v, value[k]) for k, v in desired.items()) else DIFFERENT
    return EQUAL if values_equal(desired, value, unordered=kind == 'set') else DIFFERENT


def _compare_properties(desired, current, flags):
    if not isinstance(current, dict) or set(desired) != set(current):
        return DIFFERENT
    unknown = False
    for name, entry in desired.items():
        stored = current.get(name) if isinstance(current.get(name), dict) else {}
        if not values_equal(entry.get('valueType'), stored.get('valueType')):
            return DIFFERENT
        if 'value' not in entry:
            continue  # the task keeps the stored value
        if secret_property(name, flags.get(name)) and secret_unknown(stored.get('value')):
            unknown = True
        elif not values_equal(entry['value'], stored.get('value')):
            return DIFFERENT
    return UNKNOWN if unknown else EQUAL


def _compare_headers(desired, current):
    if not isinstance(current, list):
        return DIFFERENT
    names = sorted(item.get('name') or '' for item in desired)
    if names != sorted((item or {}).get('name') or '' for item in current if isinstance(item, dict)):
        return DIFFERENT
    stored = {item.get('name'): item.get('value') for item in current if isinstance(item, dict)}
    unknown = False
    for item in desired:
        if 'value' not in item:
            continue
        if secret_unknown(stored.get(item['name'])):
            unknown = True
        elif item['value'] != stored.get(item['name']):
            return DIFFERENT
    return UNKNOWN if unknown else EQUAL


def changed_secret_items(field, desired, current, flags=None):
    """Names of the header or Kafka property entries whose secret value the task changes."""
    stored = current.get(field.api)
    if field.compare == 'headers' and isinstance(stored, list):
        values = {item.get('name'): item.get('value') for item in stored if isinstance(item, dict)}
        return {item['name'] for item in desired if 'value' in item and revealed(values.get(item['name']))
                and values[item['name']] != item['value']}
    if field.compare == 'properties' and isinstance(stored, dict):
        changed = set()
        for name, entry in desired.items():
            value = (stored.get(name) or {}).get('value') if isinstance(stored.get(name), dict) else None
            if 'value' in entry and secret_property(name, (flags or {}).get(name)) and value != entry['value']:
                changed.add(name)
        return changed
    return set()


# Views ---------------------------------------------------------------------------------------

def options_view(connection, key, include=None, secrets='mask', marks=None, flags=None, keep_empty=False):
    """A connection (API form) in the option shape of apinizer_connection.

    {name, description, enabled, deploy_to_worker, <type key>: {sub-options}}; values the server
    reports as null are left out. ``include`` limits the view to the given top-level and
    sub-options. ``secrets``: 'mask' replaces each set secret by MASK (or its entry in
    ``marks``: {sub-option: marker, or {entry name: marker} for headers and Kafka properties}),
    'omit' leaves secrets out, 'clear' keeps them (never shown: for rule checks only). An empty
    type dict is left out unless ``keep_empty`` (an entry to feed back needs it: it names the type).
    """
    view = {}
    if connection.get('name') is not None:
        view['name'] = connection['name']
    for option, field in COMMON_FIELDS.items():
        if connection.get(field.api) is not None and (include is None or option in include):
            view[option] = connection[field.api]
    if key is None:
        return view
    section = {}
    marks = marks or {}
    for option, field in TYPES[key].fields.items():
        if include is not None and option not in include.get(key, ()):
            continue
        value = from_api(field, connection.get(field.api))
        if value is None:
            continue
        if field.secret:
            if secrets == 'omit' or value == '':
                continue
            if secrets == 'mask':
                value = marks.get(option, MASK)
        elif field.compare in ('headers', 'properties') and isinstance(value, list) and secrets != 'clear':
            value = [_entry_view(field, item, secrets, marks.get(option) or {}, flags or {}) for item in value]
        section[option] = value
    if section or keep_empty:
        view[key] = section
    return view


def _entry_view(field, item, secrets, marks, flags):
    if not isinstance(item, dict) or item.get('value') in (None, ''):
        return item
    name = item.get('name')
    if field.compare == 'properties' and not secret_property(name, flags.get(name)):
        return item
    item = dict(item)
    if secrets == 'omit':
        del item['value']
    else:
        item['value'] = marks.get(name, MASK)
    return item


def secrets_set(connection, key):
    """The secret sub-options of a connection that hold a value (never the values)."""
    found = []
    for option, field in sorted(TYPES[key].fields.items()):
        value = connection.get(field.api)
        if field.secret and not is_empty(value):
            found.append('%s.%s' % (key, option))
        elif field.compare == 'headers' and isinstance(value, list):
            found.extend('%s.%s[%s]' % (key, option, item.get('name')) for item in value
                         if isinstance(item, dict) and not is_empty(item.get('value')))
        elif field.compare == 'properties' and isinstance(value, dict):
            found.extend('%s.%s[%s]' % (key, option, name) for name, item in sorted(value.items())
                         if secret_property(name) and isinstance(item, dict) and not is_empty(item.get('value')))
    return found


def mask_body(body, flags=None):
    """A copy of an API-form connection with every secret replaced by MASK."""
    if not isinstance(body, dict):
        return body
    masked = dict(body)
    for api, value in body.items():
        if api in SECRET_FIELDS and not is_empty(value):
            masked[api] = MASK
        elif api in HEADER_FIELDS and isinstance(value, list):
            masked[api] = [dict(item, value=MASK) if isinstance(item, dict) and not is_empty(item.get('value'))
                           else item for item in value]
        elif api in PROPERTY_FIELDS and isinstance(value, dict):
            masked[api] = {name: dict(item, value=MASK) if isinstance(item, dict) and not is_empty(
                item.get('value')) and secret_property(name, (flags or {}).get(name)) else item
                for name, item in value.items()}
    return masked


def connection_secrets(connection, flags=None):
    """Every secret value in an API-form connection (to scrub error texts)."""
    found = set()
    for api, value in (connection or {}).items():
        if api in SECRET_FIELDS and revealed(value):
            found.add(value)
        elif api in HEADER_FIELDS and isinstance(value, list):
            found.update(item.get('value') for item in value if isinstance(item, dict) and revealed(item.get('value')))
        elif api in PROPERTY_FIELDS and isinstance(value, dict):
            found.update(item.get('value') for name, item in value.items() if isinstance(item, dict)
                         and secret_property(name, (flags or {}).get(name)) and revealed(item.get('value')))
    return found
