# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stateful emulator of the Apinizer Management API (/apiops) for tests, demos and rehearsals.

    python tests/emulator/apinizer_emulator.py --port PORT [--host 127.0.0.1] [--token TOKEN]
        [--seed FILE.json] [--tls-cert C --tls-key K] [--api-style seed|newer] [--quiet]
        [--proxy-detail full|documented] [--deny-export] [--latency-ms N] [--deploy-latency-ms N]
        [--history-limit N] [--pods N]

The first line of stdout is the base URL (without /apiops); it then serves until SIGTERM or
SIGINT. Standard library only. docs/emulator.md describes the options, the endpoints, the export
package, the seed format, the admin endpoints (/_emulator/...), fault injection, holding requests
(POST /_emulator/holds, to drive concurrent clients in a chosen order), latency, deploy histories
and rollback, gateway pods and route-health (pod behaviours: POST /_emulator/pods) and the choices
made where Apinizer's documentation is silent.

This file is only the launcher: the emulator is the package apinizer_emulator/ beside it. Run as a
script, this file's directory is sys.path[0], and a package directory is found before a module of
the same name, so the import below finds the package, not this file.
"""

from __future__ import annotations

import os
import sys

if __name__ == '__main__':
    HERE = os.path.dirname(os.path.abspath(__file__))
    if sys.path[:1] != [HERE]:
        sys.path.insert(0, HERE)
    from apinizer_emulator.cli import main  # pylint: disable=import-self

    sys.exit(main())
