# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A module's documented options, read from its file as ansible-doc reads them, and compared with a spec."""

from __future__ import annotations

import ast
import os

import yaml

MODULES = os.path.join(os.path.dirname(__file__), '..', '..', 'plugins', 'modules')


def documentation(name):
    """The options of module NAME's DOCUMENTATION (without its doc fragments)."""
    with open(os.path.join(MODULES, name + '.py')) as handle:
        tree = ast.parse(handle.read())
    text = next(node.value.value for node in tree.body if isinstance(node, ast.Assign)
                and getattr(node.targets[0], 'id', None) == 'DOCUMENTATION')
    return yaml.safe_load(text)['options']


def description(doc, option):
    return ' '.join(doc[option]['description'])


def compare_doc(doc, spec, where):
    """Assert that the documented options are the spec's, with its types, defaults, choices and aliases."""
    assert set(doc) == set(spec), (where, set(doc) ^ set(spec))
    for option, entry in spec.items():
        documented = doc[option]
        label = '%s.%s' % (where, option)
        assert documented.get('type', 'str') == entry.get('type', 'str'), label
        assert documented.get('elements') == entry.get('elements'), label
        assert bool(documented.get('required')) == bool(entry.get('required')), label
        assert documented.get('default') == entry.get('default'), label
        assert documented.get('choices') == entry.get('choices'), label
        assert sorted(documented.get('aliases') or []) == sorted(entry.get('aliases') or []), label
        assert documented.get('description'), label
        if entry.get('options'):
            compare_doc(documented.get('suboptions') or {}, entry['options'], label)
