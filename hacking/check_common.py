# SPDX-License-Identifier: GPL-3.0-or-later
"""What the extra checks (hacking/check_yaml.py, check_action_group.py, check_characters.py,
check_plugin_files.py) share: the collection's files, their self-test and their command line.

The collection's files: in a git checkout, what git tracks plus untracked files git does not
ignore, the list hacking/build_tree.py copies. In such a copy (no .git; where `make test` runs its
steps): every file except what the tools of the steps leave there.

The self-test writes the check's good example into a scratch directory and shows that the check
passes on it, then writes each fault (the good example changed in one place) and shows that the
check fails on it (where given: that the first line it reports names that place, and that rule).
"""
import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
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


class Link(str):
    """A file of a self-test's example that is a symbolic link to this target."""


def write_files(root, files):
    """Write {path relative to root: its text (UTF-8, lone surrogates as the bytes they stand for) or a Link}."""
    for rel, content in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(content, Link):
            os.symlink(content, path)
        else:
            with open(path, 'wb') as f:
                f.write(content.encode('utf-8', 'surrogateescape'))


def edited(good, what, rel, old, new):
    """The files of the good example with the first old of file rel replaced by new."""
    assert old in good[rel], what
    return dict(good, **{rel: good[rel].replace(old, new, 1)})


def _run(check, files):
    """(whether check passes on files written into a scratch directory, what it reported)."""
    # named after the check's script, as in check_yaml.xxxxxxxx
    prefix = os.path.splitext(os.path.basename(check.__code__.co_filename))[0] + '.'
    scratch = tempfile.mkdtemp(prefix=prefix)
    try:
        write_files(scratch, files)
        report = io.StringIO()
        passed = check(scratch, report)
    finally:
        shutil.rmtree(scratch)
    return passed, report.getvalue()


def self_test(check, good, faults, summary, out=sys.stdout):
    """Show that check(root, out) passes on the files good and fails on each fault's files.

    faults: (what, files, where, rule) each: what the fault is, the files that have it, how the
    first line the check reports starts (None: any failure will do) and the rule it names at its
    end in parentheses (None: any). summary: the closing line after "self-test passed: ", with %d
    for the number of faults.
    """
    failures = []
    passed, report = _run(check, good)
    if not passed:
        failures.append('the good example fails:\n' + report)
    count = 0
    for what, files, where, rule in faults:
        count += 1
        passed, report = _run(check, files)
        first = '' if passed else report.splitlines()[0]
        if where is None and passed:
            failures.append('%s: passed:\n%s' % (what, report))
        elif where is not None and (passed or not first.startswith(where)
                                    or (rule is not None and not first.endswith('(%s)' % rule))):
            failures.append('%s: expected a %sproblem at %s, got:\n%s'
                            % (what, '' if rule is None else rule + ' ', where, report))
        else:
            print('self-test: %s: caught (%s)' % (what, first), file=out)
    for failure in failures:
        print('SELF-TEST FAILED: %s' % failure, file=out)
    if failures:
        return False
    print('self-test passed: ' + summary % count, file=out)
    return True


def main(doc, check, run_self_test, must_fail, argv=None):
    """The command line of a check: check(root), or run_self_test() with --self-test; 0 when it passes, else 1.

    doc: the script's docstring (its first paragraph is the description); must_fail: what its self-test shows fails.
    """
    parser = argparse.ArgumentParser(description=doc.partition('\n\n')[0])
    parser.add_argument('--root', default=ROOT, help='the collection to check (default: this checkout)')
    parser.add_argument('--self-test', action='store_true', help='check the checker: %s must fail' % must_fail)
    args = parser.parse_args(argv)
    if args.self_test:
        return 0 if run_self_test() else 1
    return 0 if check(args.root) else 1
