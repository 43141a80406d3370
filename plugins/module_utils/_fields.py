# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""One setting, declared once: the Field every table of the collection is built of.

A Field says everything the code needs about one option: the API field behind it, its
argument spec entry (type, choices, elements, aliases, no_log), whether it is a secret, how it
is compared, its range and whether it may be blank. The proxy settings sections
(_proxy_sections) and the connection types (_connection_types) are tables of Fields; the
argument specs, the option <-> API maps, the range and blank checks, the masking and the info
modules' shape are all read from them, so adding a setting is one line in one table.
"""

from __future__ import annotations

# How a value is compared with the one the server holds (see _compare and _connection_fields).
COMPARE_MODES = ('scalar', 'object', 'list', 'set', 'map', 'headers', 'properties')


def text(**spec):
    """A str option's argument spec (choices, aliases, no_log=False...)."""
    return dict(type='str', **spec)


def integer():
    return dict(type='int')


def boolean():
    return dict(type='bool')


def secret_text():
    return dict(type='str', no_log=True)


def text_list():
    return dict(type='list', elements='str')


class Field:
    """One option and the API field behind it (``api`` None: an option of the module alone).

    spec: the option's argument spec entry, as AnsibleModule takes it (without ``options``
          when the field has members: they give it).
    compare: scalar | object (a dict compared on the keys the user gave, merged on update)
             | list (ordered) | set (unordered list) | map (a dict whose keys are the value)
             | headers (webhook headers: a set by name, values secret)
             | properties (kafka properties: a map by name of {value, valueType}).
    members: {suboption: Field} of a dict, or of each dict in a list: their argument spec, the
             renaming of their keys between option and API form, their ranges and secrets.
    minimum / maximum: the range of an int; ``range_text`` says what a value of that range is
             ("an HTTP status code").
    pattern: (regex, what it means) a string must match.
    not_blank: an empty string (or a list holding one) is refused before any request.
    normalize: a function the value passes through on its way to the API (a trailing slash).
    blank_matches_any: an empty value stands for whatever the server fills in.
    proxy_type: the only API proxy type the setting exists for (SOAP); None: every type.
    """

    __slots__ = ('api', 'spec', 'secret', 'compare', 'members', 'normalize', 'blank_matches_any', 'minimum',
                 'maximum', 'range_text', 'pattern', 'not_blank', 'proxy_type')

    def __init__(self, api, spec, secret=False, compare='scalar', members=None, normalize=None,
                 blank_matches_any=False, minimum=None, maximum=None, range_text=None, pattern=None, not_blank=False,
                 proxy_type=None):
        if compare not in COMPARE_MODES:
            raise ValueError('compare must be one of %s, got %r' % (', '.join(COMPARE_MODES), compare))
        if secret and not spec.get('no_log'):
            raise ValueError('a secret field (%s) must have no_log in its argument spec' % api)
        if (minimum is not None or maximum is not None) and spec.get('type') != 'int':
            raise ValueError('only an int field (%s) takes a range' % api)
        if members and 'dict' not in (spec.get('type'), spec.get('elements')):
            raise ValueError('only a dict or a list of dicts (%s) has members' % api)
        self.api = api
        self.spec = dict(spec, options=argument_spec(members)) if members else spec
        self.secret = secret
        self.compare = compare
        self.members = members or {}
        self.normalize = normalize
        self.blank_matches_any = blank_matches_any
        self.minimum = minimum
        self.maximum = maximum
        self.range_text = range_text
        self.pattern = pattern
        self.not_blank = not_blank
        self.proxy_type = proxy_type

    @property
    def unordered(self):
        """A list that is a set by meaning: its order is not compared."""
        return self.compare == 'set'

    @property
    def member_names(self):
        """{suboption: API key} of the members that have an API key."""
        return api_names(self.members)

    @property
    def secret_members(self):
        return tuple(option for option, member in self.members.items() if member.secret)

    def argument_spec(self):
        """A copy of the option's argument spec entry (argument validation may change the one it is given)."""
        spec = dict(self.spec)
        if 'options' in spec:
            spec['options'] = {option: dict(entry) for option, entry in spec['options'].items()}
        return spec

    def range_problems(self, label, value):
        """The sentence for a value outside the field's range, as a list (empty when in range or unset)."""
        return range_problems(label, value, self.minimum, self.maximum, self.range_text)

    def member_problems(self, label, value):
        """The range sentences of the members of a dict value, or of each dict of a list value."""
        problems = []
        items = value if isinstance(value, list) else [value]
        for option, member in sorted(self.members.items()):
            for index, item in enumerate(items):
                where = '%s[%d]' % (label, index) if isinstance(value, list) else label
                problems.extend(member.range_problems('%s.%s' % (where, option), (item or {}).get(option)))
        return problems


def range_problems(label, value, low, high, what=None):
    """['LABEL must be LOW or more, got VALUE.'], or '... must be from LOW to HIGH ...', or []."""
    if value is None or isinstance(value, bool) or (low is None and high is None):
        return []
    if (low is None or value >= low) and (high is None or value <= high):
        return []
    if high is None:
        return ['%s must be %d or more, got %s.' % (label, low, value)]
    if low is None:
        return ['%s must be %d or less, got %s.' % (label, high, value)]
    if what:
        return ['%s must be %s from %d to %d, got %s.' % (label, what, low, high, value)]
    return ['%s must be from %d to %d, got %s.' % (label, low, high, value)]


def argument_spec(fields):
    """The argument spec of a table of fields: {option: Field} -> {option: spec entry}."""
    return {option: field.argument_spec() for option, field in fields.items()}


def api_names(fields):
    """{option: API field} of the fields that have one."""
    return {option: field.api for option, field in fields.items() if field.api is not None}


def field_problems(params, fields):
    """Sentences for each option's value outside its field's range, in the option order."""
    problems = []
    for option, field in sorted(fields.items()):
        problems.extend(field.range_problems(option, params.get(option)))
    return problems
