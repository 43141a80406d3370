#!/usr/bin/env python
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that the action group of meta/runtime.yml lists exactly the modules that take the connection options.

    python hacking/check_action_group.py              # exit 1 and list each mismatch
    python hacking/check_action_group.py --self-test  # show that each kind of mismatch fails the check

A play sets the connection options once for every module with
``module_defaults: {group/apinizer.apiops.apinizer: {url: ..., token: ...}}``. That reaches a module
only when meta/runtime.yml's action group ``apinizer`` lists it; a module left out gets no URL and
fails, a name listed by mistake is silently ignored. So, for each group of GROUPS below:

- meta/runtime.yml has exactly these action groups, each a list of module names without doubles;
- the group lists exactly the modules of plugins/modules/ whose DOCUMENTATION extends the connection
  fragment (``apinizer.apiops.api``: url, token, validate_certs, ...), and each name it lists is a
  module there;
- exactly those modules extend the membership fragment
  (``apinizer.apiops.attributes.actiongroup_apinizer``), which documents the ``action_group``
  attribute, so ansible-doc and docs/modules/ say which modules the group reaches; no module
  declares that attribute on its own;
- the membership fragment names this group (``membership: [apinizer.apiops.apinizer]``).

It is antsibull-nox's "action-groups" extra check (community.hrobot, community.docker), with the
group's members defined by the fragment a module extends instead of a name pattern. That a
module's documented options are its argument spec is ``ansible-test sanity``'s validate-modules.
``make test`` runs the check and the self-test (hacking/test.sh, step extra).
"""
from __future__ import annotations

import ast
import os
import sys

import yaml

from check_common import edited, main, self_test as common_self_test

COLLECTION = 'apinizer.apiops'
# action group: (the fragment of the options it sets defaults for, the fragment that documents membership)
GROUPS = {
    'apinizer': ('apinizer.apiops.api', 'apinizer.apiops.attributes.actiongroup_apinizer'),
}
RUNTIME = os.path.join('meta', 'runtime.yml')
MODULES = os.path.join('plugins', 'modules')


def assigned_strings(path, class_name=None):
    """The string constants assigned at the top of a Python file (or of one class in it), by name."""
    with open(path, encoding='utf-8') as f:
        body = ast.parse(f.read(), filename=path).body
    if class_name:
        body = next((node.body for node in body if isinstance(node, ast.ClassDef) and node.name == class_name), [])
    strings = {}
    for node in body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    strings[target.id] = node.value.value
    return strings


def load_yaml(text, where, errors):
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        errors.append('%s: not YAML: %s' % (where, str(exc).replace('\n', ' ')))
        return None
    if not isinstance(data, dict):
        errors.append('%s: not a mapping' % where)
        return None
    return data


def fragment_docs(root, fragment, errors):
    """The YAML of a doc fragment named like apinizer.apiops.attributes.actiongroup_apinizer."""
    parts = fragment.split('.')
    path = os.path.join(root, 'plugins', 'doc_fragments', parts[2] + '.py')
    variable = parts[3].upper() if len(parts) > 3 else 'DOCUMENTATION'
    where = '%s (%s)' % (os.path.relpath(path, root), variable)
    if not os.path.isfile(path):
        errors.append('%s: no such doc fragment file' % where)
        return None
    try:
        text = assigned_strings(path, 'ModuleDocFragment').get(variable)
    except SyntaxError as exc:
        errors.append('%s: not Python: %s' % (where, exc))
        return None
    if text is None:
        errors.append('%s: no such doc fragment' % where)
        return None
    return load_yaml(text, where, errors)


def runtime_groups(root, errors):
    path = os.path.join(root, RUNTIME)
    try:
        with open(path, encoding='utf-8') as f:
            data = yaml.safe_load(f) or {}
    except (OSError, yaml.YAMLError) as exc:
        errors.append('%s: cannot read: %s' % (RUNTIME, exc))
        return {}
    groups = data.get('action_groups') or {}
    if not isinstance(groups, dict):
        errors.append('%s: action_groups is not a mapping' % RUNTIME)
        return {}
    found = {}
    for name, members in groups.items():
        if not isinstance(members, list):
            errors.append('%s: action group %r is not a list' % (RUNTIME, name))
            continue
        if name not in GROUPS:
            errors.append('%s: action group %r is not one of %s (add it to GROUPS in hacking/check_action_group.py)'
                          % (RUNTIME, name, sorted(GROUPS)))
        # a {metadata: {extend_group: ...}} entry is not a member
        names = [member for member in members if not isinstance(member, dict)]
        seen = set()
        for member in names:
            if not isinstance(member, str):
                errors.append('%s: action group %r: %r is not a module name' % (RUNTIME, name, member))
                continue
            if names.count(member) > 1 and member not in seen:
                errors.append('%s: action group %r lists %s %d times' % (RUNTIME, name, member, names.count(member)))
            seen.add(member)
        found[name] = [member for member in names if isinstance(member, str)]
    for name in GROUPS:
        if name not in groups:
            errors.append('%s: no action group %r' % (RUNTIME, name))
    return found


def module_docs(root, errors):
    """{module name: its DOCUMENTATION} of plugins/modules/."""
    docs = {}
    directory = os.path.join(root, MODULES)
    for entry in sorted(os.listdir(directory)) if os.path.isdir(directory) else []:
        if not entry.endswith('.py') or entry == '__init__.py':
            continue
        path = os.path.join(directory, entry)
        where = '%s (DOCUMENTATION)' % os.path.join(MODULES, entry)
        try:
            text = assigned_strings(path).get('DOCUMENTATION')
        except SyntaxError as exc:
            errors.append('%s: not Python: %s' % (where, exc))
            continue
        if text is None:
            errors.append('%s: missing' % where)
            continue
        data = load_yaml(text, where, errors)
        if data is not None:
            docs[entry[:-3]] = data
    return docs


def fragments_of(data):
    fragments = data.get('extends_documentation_fragment') or []
    return [fragments] if isinstance(fragments, str) else list(fragments)


def check(root, out=sys.stdout):
    errors = []
    groups = runtime_groups(root, errors)
    docs = module_docs(root, errors)
    for group, (options_fragment, membership_fragment) in sorted(GROUPS.items()):
        listed = groups.get(group, [])
        full_name = '%s.%s' % (COLLECTION, group)
        for name in sorted(set(listed) - set(docs)):
            errors.append('%s: action group %r lists %s, which is not a module of %s/'
                          % (RUNTIME, group, name, MODULES))
        for name, data in sorted(docs.items()):
            path = os.path.join(MODULES, name + '.py')
            fragments = fragments_of(data)
            takes = options_fragment in fragments
            if takes and name not in listed:
                errors.append('%s: action group %r does not list %s, which takes the options of %s'
                              ' (module_defaults for the group would not reach it)'
                              % (RUNTIME, group, name, options_fragment))
            if name in listed and not takes:
                errors.append('%s: action group %r lists %s, which does not extend %s'
                              % (RUNTIME, group, name, options_fragment))
            declares = membership_fragment in fragments
            if takes != declares:
                errors.append('%s: %s extend %s (it %s the options of %s)'
                              % (path, 'must' if takes else 'must not', membership_fragment,
                                 'takes' if takes else 'does not take', options_fragment))
            if 'action_group' in (data.get('attributes') or {}):
                errors.append('%s: declares the action_group attribute itself; extend %s instead'
                              % (path, membership_fragment))
        fragment = fragment_docs(root, membership_fragment, errors)
        if fragment is not None:
            attribute = (fragment.get('attributes') or {}).get('action_group') or {}
            where = 'plugins/doc_fragments (%s)' % membership_fragment
            if attribute.get('membership') != [full_name]:
                errors.append('%s: action_group membership is %r, not [%s]'
                              % (where, attribute.get('membership'), full_name))
            if attribute.get('support') != 'full':
                errors.append('%s: action_group support is %r, not full' % (where, attribute.get('support')))
    for error in errors:
        print(error, file=out)
    if errors:
        print('%d action group mismatch(es) (above)' % len(errors), file=out)
        return False
    if not docs:
        print('no modules found in %s' % os.path.join(root, MODULES), file=out)
        return False
    for group in sorted(GROUPS):
        print('action group %s: the %d modules that take %s, each documenting its membership: ok'
              % (group, len(groups.get(group, [])), GROUPS[group][0]), file=out)
    return True


# A collection whose action group is right, and changes of it that each break one rule.
GOOD = {
    'meta/runtime.yml': '---\nrequires_ansible: ">=2.16.0"\naction_groups:\n  apinizer:\n'
                        '    - apinizer_a\n    - apinizer_b\n',
    'plugins/doc_fragments/attributes.py': 'class ModuleDocFragment:\n    ACTIONGROUP_APINIZER = r"""\n'
                                           'attributes:\n  action_group:\n    support: full\n'
                                           '    membership:\n      - apinizer.apiops.apinizer\n"""\n',
    'plugins/modules/apinizer_a.py': 'DOCUMENTATION = r"""\nmodule: apinizer_a\nextends_documentation_fragment:\n'
                                     '  - apinizer.apiops.api\n  - apinizer.apiops.attributes.actiongroup_apinizer\n"""\n',
    'plugins/modules/apinizer_b.py': 'DOCUMENTATION = r"""\nmodule: apinizer_b\nextends_documentation_fragment:\n'
                                     '  - apinizer.apiops.api\n  - apinizer.apiops.attributes.actiongroup_apinizer\n"""\n',
    # a module that does not talk to Apinizer: in no group
    'plugins/modules/apinizer_local.py': 'DOCUMENTATION = r"""\nmodule: apinizer_local\n'
                                         'extends_documentation_fragment:\n  - apinizer.apiops.attributes\n"""\n',
}
MUTATIONS = [
    # (what, file, old, new)
    ('a module left out of the group', 'meta/runtime.yml', '    - apinizer_b\n', ''),
    ('a group member that is no module', 'meta/runtime.yml', '    - apinizer_b\n', '    - apinizer_b\n    - apinizer_c\n'),
    ('a module listed twice', 'meta/runtime.yml', '    - apinizer_b\n', '    - apinizer_b\n    - apinizer_a\n'),
    ('a module without the connection options in the group', 'meta/runtime.yml', '    - apinizer_b\n',
     '    - apinizer_b\n    - apinizer_local\n'),
    ('an action group the check does not know', 'meta/runtime.yml', '    - apinizer_b\n',
     '    - apinizer_b\n  other:\n    - apinizer_a\n'),
    ('a member that does not document its membership', 'plugins/modules/apinizer_b.py',
     '  - apinizer.apiops.attributes.actiongroup_apinizer\n', ''),
    ('a module that documents a membership it does not have', 'plugins/modules/apinizer_local.py',
     '  - apinizer.apiops.attributes\n',
     '  - apinizer.apiops.attributes\n  - apinizer.apiops.attributes.actiongroup_apinizer\n'),
    ('a module that declares the attribute itself', 'plugins/modules/apinizer_a.py', 'actiongroup_apinizer\n',
     'actiongroup_apinizer\nattributes:\n  action_group:\n    support: none\n'),
    ('a membership fragment that names another group', 'plugins/doc_fragments/attributes.py',
     '- apinizer.apiops.apinizer', '- apinizer.apiops.other'),
]


def self_test(out=sys.stdout):
    faults = ((what, edited(GOOD, what, rel, old, new), None, None) for what, rel, old, new in MUTATIONS)
    return common_self_test(check, GOOD, faults, 'each of %d mismatches fails the check', out)


if __name__ == '__main__':
    sys.exit(main(__doc__, check, self_test, 'each mismatch'))
