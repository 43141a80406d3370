#!/usr/bin/env python
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that no file of the collection has trailing whitespace, tabs or invisible characters.

    python hacking/check_characters.py              # exit 1 and list each one as path:line:column
    python hacking/check_characters.py --self-test  # show that each of them makes the check fail

In every file of the collection (hacking/check_common.py: what git tracks plus untracked files
it does not ignore), read as UTF-8 (antsibull-nox's "no-trailing-whitespace" and "avoid-characters"
checks, with the tab rule community.hrobot and community.docker use):

- no space or tab at the end of a line (in Markdown it is an invisible line break; elsewhere noise
  in every diff);
- no tab, but in a Makefile (make needs them);
- no invisible or look-alike space: no-break space, soft hyphen, zero-width space and joiners,
  word joiner, byte order mark (pasted from a web page or a word processor, they break YAML
  keys, shell commands and searches while looking right).

Not here, because ``ansible-test sanity`` already checks them in every file: CRLF line endings
(line-endings) and curly quotes (no-smart-quotes); nor in Python and YAML files alone, which
pep8 and yamllint check (hacking/check_yaml.py). ``make test`` runs the check and the self-test
(hacking/test.sh, step extra).
"""
from __future__ import annotations

import os
import re
import sys

from check_common import collection_files, edited, main, self_test as common_self_test

TABS_ALLOWED = ('Makefile', '.mk')   # names ending so
UNWANTED = {
    '\t': 'a tab',
    '\u00a0': 'a no-break space (U+00A0)',
    '\u00ad': 'a soft hyphen (U+00AD)',
    '\u200b': 'a zero-width space (U+200B)',
    '\u200c': 'a zero-width non-joiner (U+200C)',
    '\u200d': 'a zero-width joiner (U+200D)',
    '\u2060': 'a word joiner (U+2060)',
    '\ufeff': 'a byte order mark (U+FEFF)',
}
UNWANTED_ALL = re.compile('[%s]' % ''.join(UNWANTED))
UNWANTED_NO_TAB = re.compile('[%s]' % ''.join(character for character in UNWANTED if character != '\t'))
TRAILING = re.compile(r'[ \t]+$', re.M)


def problems_of(path, rel):
    with open(path, 'rb') as f:
        data = f.read()
    if b'\0' in data:
        return []  # binary
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as exc:
        return ['%s: not UTF-8 (%s)' % (rel, exc)]
    found = [(match.start(), 'trailing whitespace') for match in TRAILING.finditer(text)]
    unwanted = UNWANTED_NO_TAB if rel.endswith(TABS_ALLOWED) else UNWANTED_ALL
    found += [(match.start(), UNWANTED[match.group()]) for match in unwanted.finditer(text)]
    problems = []
    for start, what in sorted(found):
        line = text.count('\n', 0, start) + 1
        column = start - (text.rfind('\n', 0, start) + 1) + 1
        problems.append('%s:%d:%d: %s' % (rel, line, column, what))
    return problems


def check(root, out=sys.stdout):
    files = collection_files(root)
    problems = []
    for rel in files:
        problems += problems_of(os.path.join(root, rel), rel)
    for problem in problems:
        print(problem, file=out)
    if problems:
        print('%d unwanted character(s) (above)' % len(problems), file=out)
        return False
    if not files:
        print('no files found in %s' % root, file=out)
        return False
    print('%d files: no trailing whitespace, no tabs (but Makefile), no invisible characters: ok' % len(files),
          file=out)
    return True


GOOD = {
    'README.md': '# Example\n\nCurly quotes are sanity\'s: \u201cok\u201d. An arrow \u21b3 and \u00d7 are fine.\n',
    'Makefile': 'test:\n\tbash hacking/test.sh\n',
    'plugins/modules/example.py': 'DOCUMENTATION = r"""\nmodule: example\n"""\n',
}
MUTATIONS = [
    # (what, file, old, new, where)
    ('two trailing spaces in Markdown', 'README.md', '# Example\n', '# Example  \n', 'README.md:1:10'),
    ('a trailing tab', 'plugins/modules/example.py', 'module: example\n', 'module: example\t\n',
     'plugins/modules/example.py:2:16'),
    ('a tab in Python', 'plugins/modules/example.py', 'module: example', 'module:\texample',
     'plugins/modules/example.py:2:8'),
    ('a no-break space', 'README.md', 'An arrow', 'An\u00a0arrow', 'README.md:3:36'),
    ('a zero-width space', 'plugins/modules/example.py', 'module: example', 'module: ex\u200bample',
     'plugins/modules/example.py:2:11'),
    ('a byte order mark', 'README.md', '# Example', '\ufeff# Example', 'README.md:1:1'),
    ('a file that is not UTF-8', 'README.md', '# Example', '# Ex\udcffample', 'README.md: not UTF-8'),
]


def self_test(out=sys.stdout):
    faults = ((what, edited(GOOD, what, rel, old, new), where, None) for what, rel, old, new, where in MUTATIONS)
    return common_self_test(check, GOOD, faults, 'each of %d unwanted characters fails the check, at its place', out)


if __name__ == '__main__':
    sys.exit(main(__doc__, check, self_test, 'unwanted characters'))
