# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The field model: a Field checks its own declaration, and the module docs cannot drift from the tables."""

from __future__ import annotations

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils import _connection_types as types
from ansible_collections.apinizer.apiops.plugins.module_utils._fields import (
    Field,
    boolean,
    field_problems,
    integer,
    range_problems,
    secret_text,
    text,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_sections import SECTIONS
from ansible_collections.apinizer.apiops.tests.unit.module_docs import compare_doc, description, documentation


@pytest.mark.parametrize('declaration, problem', [
    (lambda: Field('password', text(), secret=True), 'must have no_log'),
    (lambda: Field('enabled', boolean(), minimum=0), 'only an int field'),
    (lambda: Field('hosts', text(), compare='sorted'), 'compare must be one of'),
])
def test_a_field_refuses_a_declaration_that_contradicts_itself(declaration, problem):
    with pytest.raises(ValueError, match=problem):
        declaration()


def test_a_field_gives_a_copy_of_its_argument_spec():
    field = Field('password', secret_text(), secret=True)
    spec = field.argument_spec()
    spec['no_log'] = False
    assert field.spec == dict(type='str', no_log=True)


@pytest.mark.parametrize('low, high, what, value, expected', [
    (0, None, None, -1, ['timeout must be 0 or more, got -1.']),
    (None, 10, None, 11, ['timeout must be 10 or less, got 11.']),
    (1, 65535, None, 0, ['timeout must be from 1 to 65535, got 0.']),
    (100, 599, 'an HTTP status code', 700, ['timeout must be an HTTP status code from 100 to 599, got 700.']),
    (1, 65535, None, 1, []),
    (1, 65535, None, None, []),
    (0, None, None, True, []),   # a boolean is argument validation's to refuse, not a number out of range
])
def test_range_problems_say_the_range_and_the_value(low, high, what, value, expected):
    assert range_problems('timeout', value, low, high, what) == expected


def test_field_problems_take_the_options_in_order():
    fields = dict(b=Field('b', integer(), minimum=0), a=Field('a', integer(), minimum=1), c=Field(None, text()))
    assert field_problems(dict(a=0, b=-1, c='x'), fields) == ['a must be 1 or more, got 0.', 'b must be 0 or more, got -1.']


# The module documentation cannot drift from the tables ---------------------------------------------

@pytest.mark.parametrize('section', SECTIONS, ids=lambda section: section.name)
def test_a_settings_module_documents_each_field_as_the_section_declares_it(section):
    doc = documentation(section.module)
    own = {option: doc[option] for option in section.fields}
    compare_doc(own, section.argument_spec(), section.module)
    for option, field in section.fields.items():
        if field.api is not None:
            assert 'API field C(%s)' % field.api in description(doc, option), (section.module, option)
        if field.minimum is not None and field.maximum is not None:
            assert '%d to %d' % (field.minimum, field.maximum) in description(doc, option), (section.module, option)


@pytest.mark.parametrize('key', types.TYPE_KEYS)
def test_a_connection_type_documents_each_field_as_the_table_declares_it(key):
    doc = documentation('apinizer_connection')[key]
    compare_doc(doc['suboptions'], types.type_argument_spec(key)['options'], 'apinizer_connection.%s' % key)
    for option, field in types.TYPES[key].fields.items():
        described = ' '.join(doc['suboptions'][option]['description'])
        assert 'C(%s)' % field.api in described, (key, option, field.api)
        if field.minimum is not None and field.maximum is not None:
            assert '%d to %d' % (field.minimum, field.maximum) in described, (key, option)
