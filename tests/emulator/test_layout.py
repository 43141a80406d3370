# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator's files are the ones the integration targets are given (setup_emulator's aliases)."""

from __future__ import annotations

import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ALIASES = os.path.join(ROOT, 'tests', 'integration', 'targets', 'setup_emulator', 'aliases')


def emulator_files():
    package = os.path.join(HERE, 'apinizer_emulator')
    files = ['apinizer_emulator.py', 'connection_types.json', 'seed.json']
    files += ['apinizer_emulator/%s' % name for name in os.listdir(package) if name.endswith('.py')]
    return sorted('tests/emulator/%s' % name for name in files)


def test_setup_emulator_needs_every_file_of_the_emulator():
    with open(ALIASES, encoding='utf-8') as handle:
        needed = sorted(line.strip()[len('needs/file/'):] for line in handle if line.startswith('needs/file/tests/emulator/'))
    assert needed == emulator_files()
