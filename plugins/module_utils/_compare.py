# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""Desired-versus-current comparison, diffs and secret masking shared by every module."""

from __future__ import annotations

import json

MASK = '********'


def desired_fields(params, field_map):
    """{api field: value} for the options the user set; None means "not set", "" and [] are real."""
    return {api: params[option] for option, api in field_map.items() if params.get(option) is not None}


def _scalar_equal(desired, current):
    if isinstance(desired, bool) or isinstance(current, bool):
        return as_bool(desired) == as_bool(current) and as_bool(desired) is not None
    if isinstance(desired, (int, float)) or isinstance(current, (int, float)):
        try:
            return float(desired) == float(current)
        except (TypeError, ValueError):
            return False
    return desired == current


def as_bool(value):
    """A boolean a server may send as a boolean or as the text true/false; None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ('true', 'false'):
        return value.lower() == 'true'
    return None


def _canonical(value):
    return json.dumps(value, sort_keys=True, default=str)


def is_empty(value):
    return value is None or value == '' or value == [] or value == {}


def values_equal(desired, current, unordered=False):
    """Whether the current value already satisfies the desired one.

    The one compare rule of every module: an empty string, list or mapping the user sets
    ("clear it") matches a field the server reports as null, empty or not at all ("already
    clear"). Dicts compare only the keys the user gave (a server adds defaults the user never
    set); lists compare element by element, or as sets of elements when ``unordered``.
    """
    if desired is None:
        return True
    if is_empty(desired) and is_empty(current):
        return True
    if isinstance(desired, dict):
        if not isinstance(current, dict):
            return False
        return all(values_equal(value, current.get(key)) for key, value in desired.items())
    if isinstance(desired, (list, tuple)):
        if not isinstance(current, (list, tuple)) or len(desired) != len(current):
            return False
        if not unordered:
            return all(values_equal(d, c) for d, c in zip(desired, current))
        remaining = list(current)
        for item in desired:
            match = next((i for i, candidate in enumerate(remaining) if values_equal(item, candidate)), None)
            if match is None:
                return False
            remaining.pop(match)
        return True
    if current is None:
        return False
    return _scalar_equal(desired, current)


def differing_fields(desired, current, unknown=(), unordered=()):
    """The subset of ``desired`` to write: fields that differ, plus fields whose value is unknown."""
    return {field: value for field, value in desired.items()
            if field in unknown or not values_equal(value, current.get(field), field in unordered)}


def to_options(api_values, field_map):
    """Rename {api field: value} to {option: value} for results and diffs users read."""
    option_of = {api: option for option, api in field_map.items()}
    return {option_of.get(field, field): value for field, value in api_values.items()}


def mask_secrets(values, secret_keys):
    """A copy of ``values`` (dict, recursively) with every secret that has a value replaced by MASK."""
    if isinstance(values, list):
        return [mask_secrets(item, secret_keys) for item in values]
    if not isinstance(values, dict):
        return values
    masked = {}
    for key, value in values.items():
        if key in secret_keys and value not in (None, ''):
            masked[key] = MASK
        else:
            masked[key] = mask_secrets(value, secret_keys)
    return masked


def looks_masked(value):
    """A secret a server hides ("****", "********") is an unknown value, never one to send back."""
    return isinstance(value, str) and len(value) >= 3 and set(value) == set('*')
