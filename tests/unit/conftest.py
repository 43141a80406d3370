# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared fixtures: run a module's main() in-process with HTTP mocked by `responses`."""

from __future__ import annotations

import json

import pytest
import responses

from ansible.module_utils import basic
from ansible.module_utils.common.warnings import get_warning_messages
try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19 has no such helper: do what its test utilities did
    import contextlib

    from ansible.module_utils.common.text.converters import to_bytes

    @contextlib.contextmanager
    def patch_module_args(args=None):
        """Make AnsibleModule read `args` as its arguments (ansible-core 2.19's helper, for older cores)."""
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args or {}}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved

BASE_URL = 'https://apinizer.test'
TOKEN = 'unit-test-token-9f2c'


class ModuleExit(Exception):
    """Raised by the patched exit_json/fail_json so a test can read the module's result."""

    def __init__(self, result, failed):
        super(ModuleExit, self).__init__(result)
        self.result = result
        self.failed = failed


@pytest.fixture
def mocked_api():
    """A `responses` mock of the API; unexpected calls fail the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def no_sleep(monkeypatch):
    """Make retry backoff instant; the list records every wait."""
    waits = []
    from ansible_collections.apinizer.apiops.plugins.module_utils import _client
    monkeypatch.setattr(_client.time, 'sleep', waits.append)
    return waits


@pytest.fixture
def run_module(monkeypatch):
    """run_module(module, args, check_mode=False, diff=False) -> (result, failed)."""

    def _exit(self, **kwargs):
        kwargs.setdefault('changed', False)
        kwargs['warnings'] = list(get_warning_messages())
        raise ModuleExit(kwargs, failed=False)

    def _fail(self, msg, **kwargs):
        kwargs['msg'] = msg
        kwargs['warnings'] = list(get_warning_messages())
        raise ModuleExit(kwargs, failed=True)

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', _exit)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', _fail)

    def run(module, args, check_mode=False, diff=False):
        full = dict(url=BASE_URL, token=TOKEN)
        full.update(args)
        full['_ansible_check_mode'] = check_mode
        full['_ansible_diff'] = diff
        with patch_module_args(full):
            with pytest.raises(ModuleExit) as caught:
                module.main()
        result = caught.value.result
        assert TOKEN not in json.dumps(result, default=str)
        return result, caught.value.failed

    return run


def sent_json(call):
    """The JSON body of a recorded `responses` call."""
    return json.loads(call.request.body) if call.request.body else None
