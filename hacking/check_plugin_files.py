#!/usr/bin/env python
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that plugins/ holds only Python files, in directories Ansible loads plugins from.

    python hacking/check_plugin_files.py              # exit 1 and list each unwanted file
    python hacking/check_plugin_files.py --self-test  # show that each kind of unwanted file fails the check

``ansible-galaxy collection build`` packs every file of plugins/ but __pycache__ (galaxy.yml's
build_ignore lists no others), tracked by git or not, and Ansible silently ignores what it does
not load: a ``plugins/module/`` typo, a module saved as ``.yaml``, a backup ``.orig`` or ``.bak``
beside a module, notes, a symbolic link. So, in plugins/ (antsibull-nox's "no-unwanted-files",
with the settings community.hrobot and community.docker use: Python files only):

- every entry of plugins/ is a directory of a plugin type a collection may have (PLUGIN_TYPES);
- every file under them ends in ``.py`` and its name is a Python identifier (the plugin's or
  module's name in ``apinizer.apiops.<name>`` and in imports);
- every file is a regular file, no symbolic link.

__pycache__ directories are left out (build_ignore drops them). ``make test`` runs the check and
the self-test (hacking/test.sh, step extra).
"""
from __future__ import annotations

import os
import sys

from check_common import Link, main, self_test as common_self_test

# The directories of plugins/ ansible-core loads from a collection: its AnsibleCollectionRef.VALID_REF_TYPES
# (ansible/utils/collection_loader/_collection_finder.py) but role and playbook, and plugin_utils (Python
# shared by plugins, as module_utils is by modules).
PLUGIN_TYPES = {
    'action', 'become', 'cache', 'callback', 'cliconf', 'connection', 'doc_fragments', 'filter', 'httpapi',
    'inventory', 'lookup', 'module_utils', 'modules', 'netconf', 'plugin_utils', 'shell', 'strategy', 'terminal',
    'test', 'vars',
}
EXTENSIONS = ('.py',)
SKIP_DIRS = {'__pycache__'}


def problems_of(root):
    problems = []
    plugins = os.path.join(root, 'plugins')
    if not os.path.isdir(plugins):
        return ['plugins/: no such directory'], 0
    count = 0
    for entry in sorted(os.listdir(plugins)):
        path = os.path.join(plugins, entry)
        if entry in SKIP_DIRS:
            continue
        if os.path.islink(path) or not os.path.isdir(path):
            problems.append('plugins/%s: not a directory of plugins (only directories of the plugin types %s)'
                            % (entry, ', '.join(sorted(PLUGIN_TYPES))))
            continue
        if entry not in PLUGIN_TYPES:
            problems.append('plugins/%s/: Ansible loads no plugins from it (plugin types: %s)'
                            % (entry, ', '.join(sorted(PLUGIN_TYPES))))
        for directory, subdirs, files in os.walk(path):
            subdirs[:] = sorted(name for name in subdirs if name not in SKIP_DIRS)
            for name in sorted(subdirs):
                if os.path.islink(os.path.join(directory, name)):
                    problems.append('%s: a symbolic link' % os.path.relpath(os.path.join(directory, name), root))
            for name in sorted(files):
                file_path = os.path.join(directory, name)
                rel = os.path.relpath(file_path, root)
                count += 1
                stem, extension = os.path.splitext(name)
                if os.path.islink(file_path):
                    problems.append('%s: a symbolic link' % rel)
                elif not os.path.isfile(file_path):
                    problems.append('%s: not a regular file' % rel)
                if extension not in EXTENSIONS:
                    problems.append('%s: extension must be one of: %s' % (rel, ', '.join(EXTENSIONS)))
                elif not stem.isidentifier():
                    problems.append('%s: %r is not a Python identifier' % (rel, stem))
    return problems, count


def check(root, out=sys.stdout):
    problems, count = problems_of(root)
    for problem in problems:
        print(problem, file=out)
    if problems:
        print('%d unwanted file(s) in plugins/ (above)' % len(problems), file=out)
        return False
    if not count:
        print('no files in %s' % os.path.join(root, 'plugins'), file=out)
        return False
    print('plugins/: %d Python files in directories of plugin types, no other files: ok' % count, file=out)
    return True


GOOD = dict.fromkeys(['plugins/modules/example.py', 'plugins/action/example.py', 'plugins/module_utils/_example.py',
                      'plugins/modules/__pycache__/example.cpython-313.pyc'], '\n')
MUTATIONS = [
    # (what, the files to add)
    ('a backup beside a module', {'plugins/modules/example.py.orig': '\n'}),
    ('a module saved as YAML', {'plugins/modules/other.yaml': '\n'}),
    ('notes in module_utils', {'plugins/module_utils/NOTES.md': '\n'}),
    ('a misspelt plugin directory', {'plugins/module/other.py': '\n'}),
    ('a file directly in plugins/', {'plugins/README.md': '\n'}),
    ('a module name with a dash', {'plugins/modules/other-module.py': '\n'}),
    ('a symbolic link to a module', {'plugins/modules/alias.py': Link('example.py')}),
]


def self_test(out=sys.stdout):
    faults = ((what, dict(GOOD, **added), None, None) for what, added in MUTATIONS)
    return common_self_test(check, GOOD, faults, 'each of %d unwanted files fails the check', out)


if __name__ == '__main__':
    sys.exit(main(__doc__, check, self_test, 'unwanted files'))
