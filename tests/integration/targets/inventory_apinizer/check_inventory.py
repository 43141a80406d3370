# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the JSON of `ansible-inventory --list` (stdin) against expectations.

    python check_inventory.py GROUP=HOST,HOST ... [VAR@HOST=JSON ...] [hosts=N] [absent=GROUP]

GROUP=HOSTS: the group holds exactly these hosts (empty: the group is absent or empty);
VAR@HOST=JSON: the host variable has this value; hosts=N: the inventory has N hosts.
Strings from Apinizer are marked unsafe, which --list writes as {"__ansible_unsafe": "..."};
they are compared as the plain strings a playbook sees.
"""

from __future__ import annotations

import json
import sys


def plain(value):
    if isinstance(value, dict):
        if list(value) == ['__ansible_unsafe']:
            return value['__ansible_unsafe']
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def main(args):
    inventory = plain(json.load(sys.stdin))
    hostvars = inventory.get('_meta', {}).get('hostvars', {})
    failures = []
    for arg in args:
        key, value = arg.split('=', 1)
        if key == 'hosts':
            got = len(hostvars)
            if got != int(value):
                failures.append('%d hosts, expected %s: %s' % (got, value, sorted(hostvars)))
        elif '@' in key:
            var, host = key.split('@', 1)
            got = hostvars.get(host, {}).get(var, '<unset>')
            if got != json.loads(value):
                failures.append('%s of %s is %r, expected %s' % (var, host, got, value))
        else:
            got = sorted(inventory.get(key, {}).get('hosts', []))
            expected = sorted(filter(None, value.split(',')))
            if got != expected:
                failures.append('group %s holds %s, expected %s' % (key, got, expected))
    for failure in failures:
        print('FAIL: ' + failure)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
