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

import argparse
import io
import os
import shutil
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
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


GOOD = ['plugins/modules/example.py', 'plugins/action/example.py', 'plugins/module_utils/_example.py',
        'plugins/modules/__pycache__/example.cpython-313.pyc']
MUTATIONS = [
    # (what, the files to add, a symbolic link to add (path, target) or None)
    ('a backup beside a module', ['plugins/modules/example.py.orig'], None),
    ('a module saved as YAML', ['plugins/modules/other.yaml'], None),
    ('notes in module_utils', ['plugins/module_utils/NOTES.md'], None),
    ('a misspelt plugin directory', ['plugins/module/other.py'], None),
    ('a file directly in plugins/', ['plugins/README.md'], None),
    ('a module name with a dash', ['plugins/modules/other-module.py'], None),
    ('a symbolic link to a module', [], ('plugins/modules/alias.py', 'example.py')),
]


def _make(root, files, link=None):
    for rel in files:
        os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
        with open(os.path.join(root, rel), 'w', encoding='utf-8') as f:
            f.write('\n')
    if link:
        os.symlink(link[1], os.path.join(root, link[0]))


def self_test(out=sys.stdout):
    failures = []
    for what, extra, link in [('the good example', [], None)] + MUTATIONS:
        scratch = tempfile.mkdtemp(prefix='check_plugin_files.')
        try:
            _make(scratch, GOOD + extra, link)
            report = io.StringIO()
            passed = check(scratch, report)
        finally:
            shutil.rmtree(scratch)
        if what == 'the good example':
            if not passed:
                failures.append('the good example fails:\n' + report.getvalue())
        elif passed:
            failures.append('%s: passed:\n%s' % (what, report.getvalue()))
        else:
            print('self-test: %s: caught (%s)' % (what, report.getvalue().splitlines()[0]), file=out)
    for failure in failures:
        print('SELF-TEST FAILED: %s' % failure, file=out)
    if failures:
        return False
    print('self-test passed: each of %d unwanted files fails the check' % len(MUTATIONS), file=out)
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.partition('\n\n')[0])
    parser.add_argument('--root', default=ROOT, help='the collection to check (default: this checkout)')
    parser.add_argument('--self-test', action='store_true', help='check the checker: unwanted files must fail')
    args = parser.parse_args(argv)
    if args.self_test:
        return 0 if self_test() else 1
    return 0 if check(args.root) else 1


if __name__ == '__main__':
    sys.exit(main())
