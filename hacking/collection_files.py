# SPDX-License-Identifier: GPL-3.0-or-later
"""The files of the collection, for the checks that read every file (hacking/check_*.py).

In a git checkout: what git tracks plus untracked files git does not ignore, the list
hacking/build_tree.py copies. In such a copy (no .git; where `make test` runs its steps): every
file except what the tools of the steps leave there.
"""
import os
import subprocess

# What tools write into a copy made by hacking/build_tree.py: never part of the collection.
GENERATED_DIRS = {'__pycache__', '.pytest_cache', '.ansible', '.mypy_cache'}
GENERATED_PATHS = {os.path.join('tests', 'output')}


def collection_files(root):
    """Paths of the collection's files, relative to root, sorted."""
    if os.path.exists(os.path.join(root, '.git')):
        listed = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
                                cwd=root, check=True, capture_output=True).stdout.decode().split('\0')
        return sorted(rel for rel in listed if rel and os.path.isfile(os.path.join(root, rel)))
    found = []
    for directory, subdirs, files in os.walk(root):
        rel_dir = os.path.relpath(directory, root)
        subdirs[:] = [name for name in subdirs if name not in GENERATED_DIRS
                      and os.path.normpath(os.path.join(rel_dir, name)) not in GENERATED_PATHS]
        found += [os.path.normpath(os.path.join(rel_dir, name)) for name in files if not name.endswith('.pyc')]
    return sorted(found)
