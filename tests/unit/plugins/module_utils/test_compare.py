# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils._compare import (
    MASK,
    desired_fields,
    differing_fields,
    looks_masked,
    mask_secrets,
    to_options,
    values_equal,
)

FIELDS = {'connect_timeout': 'connectTimeout', 'category_list': 'categoryList', 'description': 'description'}


def test_only_options_the_user_set_are_desired():
    params = {'connect_timeout': None, 'category_list': [], 'description': ''}
    assert desired_fields(params, FIELDS) == {'categoryList': [], 'description': ''}


@pytest.mark.parametrize('desired, current', [
    (30, 30), (30, '30'), (30, 30.0), (True, True), (True, 'true'), (False, 'False'), ('a', 'a'), ([], []),
    ({'host': 'es1'}, {'host': 'es1', 'port': 9200}),
    ([{'host': 'es1'}], [{'host': 'es1', 'scheme': 'http'}]),
])
def test_equal_after_normalisation(desired, current):
    assert values_equal(desired, current)


@pytest.mark.parametrize('desired, current', [
    (30, 31), (30, None), (30, 'thirty'), (True, False), (True, 1), (1, True), (False, None), ('', 'a'),
    ([], ['a']), ('', 0), ('', False), (['a', 'b'], ['b', 'a']), ({'host': 'es1'}, {'host': 'es2'}), ({'a': 1}, 'a'),
])
def test_real_differences(desired, current):
    assert not values_equal(desired, current)


@pytest.mark.parametrize('desired', ['', [], {}])
@pytest.mark.parametrize('current', [None, '', [], {}])
def test_clearing_matches_a_field_already_clear(desired, current):
    """The one compare rule (docs/decisions.md): "" or [] set by the user matches a null or absent field."""
    assert values_equal(desired, current)
    assert differing_fields({'description': desired}, {} if current is None else {'description': current}) == {}


def test_sets_compare_without_order_but_count_duplicates():
    assert values_equal(['Payment', 'Public'], ['Public', 'Payment'], unordered=True)
    assert not values_equal(['a', 'a'], ['a', 'b'], unordered=True)
    assert not values_equal(['Payment'], ['payment'], unordered=True)


def test_differing_fields_keeps_changes_and_unknowns():
    desired = {'connectTimeout': 30, 'categoryList': ['b', 'a'], 'description': 'x'}
    current = {'connectTimeout': '30', 'categoryList': ['a', 'b'], 'description': 'y'}
    assert differing_fields(desired, current, unordered=('categoryList',)) == {'description': 'x'}
    assert differing_fields(desired, current, unknown=('connectTimeout',), unordered=('categoryList',)) == \
        {'connectTimeout': 30, 'description': 'x'}


def test_results_use_option_names():
    assert to_options({'connectTimeout': 5, 'other': 1}, FIELDS) == {'connect_timeout': 5, 'other': 1}


def test_mask_secrets_recursively_and_leaves_empty_ones():
    values = {'password': 's3cret', 'username': 'u', 'elasticPassword': None,
              'headerList': [{'name': 'Authorization', 'value': 'Bearer x'}]}
    masked = mask_secrets(values, {'password', 'elasticPassword', 'value'})
    assert masked == {'password': MASK, 'username': 'u', 'elasticPassword': None,
                      'headerList': [{'name': 'Authorization', 'value': MASK}]}
    assert values['password'] == 's3cret'


@pytest.mark.parametrize('value, masked', [('****', True), ('********', True), ('*', False), ('s3cret', False),
                                           (None, False), ('**a*', False)])
def test_looks_masked(value, masked):
    assert looks_masked(value) is masked
