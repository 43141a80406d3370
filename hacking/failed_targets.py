#!/usr/bin/env python
# Copyright: (c) 2026, apinizer.apiops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Print the end of each failed target's own output from an ansible-test integration log.

The log's last lines name the failed targets but hide why they failed (another target ran after
them), and CI shows only what the test command prints: so each failed target's section is shown.
Usage: failed_targets.py LOG [LINES]
"""
import re
import sys


def sections(lines):
    """Map each target to the lines ansible-test printed while it ran."""
    found, name = {}, None
    for line in lines:
        match = re.match(r'^Running (\S+) integration test (?:role|script)', line)
        if match:
            name = match.group(1)
            found[name] = []
        elif name:
            found[name].append(line)
    return found


def failed(lines):
    names, listing = [], False
    for line in lines:
        if re.match(r'^FATAL: The \d+ integration test\(s\) listed below', line):
            listing, names = True, []
        elif listing and re.match(r'^[\w.-]+$', line.strip()):
            names.append(line.strip())
        elif listing:
            listing = False
    return names


def main():
    with open(sys.argv[1], errors='replace') as log:
        lines = log.read().splitlines()
    keep = int(sys.argv[2]) if len(sys.argv) > 2 else 80
    found = sections(lines)
    for name in failed(lines):
        print('---- %s (the last %d lines of its output)' % (name, keep))
        print('\n'.join(found.get(name, ['(no output found)'])[-keep:]))


if __name__ == '__main__':
    main()
