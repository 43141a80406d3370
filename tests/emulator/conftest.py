# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures of the emulator tests: one emulator process per test module and style, reset before each test.

Run: python -m pytest -q tests/emulator
"""

from __future__ import annotations

import pytest

from emulator_helpers import Client, Emulator


@pytest.fixture(scope='module')
def seed_server():
    server = Emulator()
    assert server.url.startswith('http://127.0.0.1:'), server.stderr_text()
    yield server
    assert server.stop() == 0


@pytest.fixture(scope='module')
def newer_server():
    server = Emulator('--api-style', 'newer')
    assert server.url.startswith('http://127.0.0.1:'), server.stderr_text()
    yield server
    assert server.stop() == 0


@pytest.fixture(scope='module')
def documented_server():
    server = Emulator('--proxy-detail', 'documented')
    assert server.url.startswith('http://127.0.0.1:'), server.stderr_text()
    yield server
    assert server.stop() == 0


@pytest.fixture
def client(seed_server):
    client = Client(seed_server.url)
    client.admin('POST', '/_emulator/reset')
    return client


@pytest.fixture
def newer(newer_server):
    client = Client(newer_server.url)
    client.admin('POST', '/_emulator/reset')
    return client


@pytest.fixture
def documented(documented_server):
    client = Client(documented_server.url)
    client.admin('POST', '/_emulator/reset')
    return client
