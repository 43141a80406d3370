#!/usr/bin/env python
"""Copy the collection into <build root>/ansible_collections/apinizer/apiops (ansible-test needs that path).

Copies what git tracks plus untracked files git does not ignore, as they are in the work
tree, and prints the tree's path. The build root lies outside the repository (ansible-test
asks git which files exist, and inside this repository the copy would be ignored):
$APIOPS_BUILD_ROOT, or a directory under the system temp dir named after this checkout.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import hashlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD_ROOT = os.environ.get('APIOPS_BUILD_ROOT') or os.path.join(
    tempfile.gettempdir(), 'apinizer-apiops-' + hashlib.sha256(ROOT.encode()).hexdigest()[:10])
TREE = os.path.join(BUILD_ROOT, 'ansible_collections', 'apinizer', 'apiops')


def main():
    listed = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
                            cwd=ROOT, check=True, capture_output=True).stdout.decode().split('\0')
    keep_output = os.path.join(TREE, 'tests', 'output')
    if os.path.isdir(TREE):
        for entry in os.listdir(TREE):
            path = os.path.join(TREE, entry)
            if entry == 'tests':
                for sub in os.listdir(path):
                    subpath = os.path.join(path, sub)
                    if subpath != keep_output:
                        shutil.rmtree(subpath) if os.path.isdir(subpath) and not os.path.islink(subpath) \
                            else os.remove(subpath)
            elif os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.remove(path)
    for rel in filter(None, listed):
        source = os.path.join(ROOT, rel)
        if not os.path.isfile(source):
            continue
        target = os.path.join(TREE, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(source, target)
    print(TREE)


if __name__ == '__main__':
    sys.exit(main())
