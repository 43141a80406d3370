# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stateful emulator of the Apinizer Management API (/apiops) for tests, demos and rehearsals.

Start it with the launcher script beside this package, tests/emulator/apinizer_emulator.py (or
`python -m apinizer_emulator` with tests/emulator on the path); docs/emulator.md describes it all.

Modules: common (constants, errors, field specs, helpers), connection_schema (the 14 connection
types), seed (loading a seed, dumping the state), state (the Emulator: state, lookups, views),
proxies, deploys, history (deploy histories, rollback), pods (gateway pods, route-health) and
connections (the API operations, mixins of the Emulator), faults (faults and holds), routes (the
/apiops route table), admin (the /_emulator route table), server (HTTP) and cli (the command line).
"""

from __future__ import annotations

from .cli import main, parse_args
from .common import ApiError, SeedError
from .server import EmulatorServer
from .state import Emulator

__all__ = ['ApiError', 'Emulator', 'EmulatorServer', 'SeedError', 'main', 'parse_args']
