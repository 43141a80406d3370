# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""python -m apinizer_emulator (with tests/emulator on sys.path): the same as the launcher script."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
