# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The helpers ProxySettingsModule offers to its hooks."""

from __future__ import annotations

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils._client import ApinizerError
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy import (
    PROXY_MODULE_OPTIONS,
    ProxySettingsModule,
    proxy_module_options,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_state import ProxyState
from ansible_collections.apinizer.apiops.tests.unit.conftest import FakeAnsibleModule


@pytest.fixture
def engine():
    return ProxySettingsModule(FakeAnsibleModule(project='My Project/Team', api_proxy='inventory/v2'))


def with_proxy(engine, proxy):
    engine.proxy_state = ProxyState(None, 'My Project/Team', 'inventory/v2', None)
    engine.proxy_state.proxy = proxy
    return engine


def test_proxy_not_found_names_project_and_proxy(engine):
    assert engine.proxy_not_found().msg == (
        "API proxy 'inventory/v2' was not found in project 'My Project/Team'. Nothing was changed.")
    assert engine.proxy_not_found('More.').msg == (
        "API proxy 'inventory/v2' was not found in project 'My Project/Team'. More. Nothing was changed.")


@pytest.mark.parametrize('proxy', [
    {'type': 'WEBSOCKET'}, {'type': 'websocket'}, {'apiType': 'WEBSOCKET'}, {}, {'type': None}])
def test_require_proxy_type_passes_the_expected_or_an_unreported_type(engine, proxy):
    with_proxy(engine, proxy).require_proxy_type('WEBSOCKET', 'websocket settings')


@pytest.mark.parametrize('proxy, kind', [({'type': 'REST'}, 'REST'), ({'apiType': 'soap'}, 'SOAP'),
                                         ({'type': 'GRPC', 'apiType': 'REST'}, 'GRPC')])
def test_require_proxy_type_refuses_another_type(engine, proxy, kind):
    with pytest.raises(ApinizerError) as caught:
        with_proxy(engine, proxy).require_proxy_type('WEBSOCKET', 'websocket settings')
    assert caught.value.msg == (
        "API proxy 'inventory/v2' in project 'My Project/Team' is of type %s, but websocket settings can only be "
        "set on WEBSOCKET API proxies. Nothing was changed." % kind)


def test_module_options_keep_the_deploy_rule_and_add_a_module_rule():
    rule = ('connection_pool_management_type', 'CUSTOM', ('custom_connection_pool_size',))
    assert PROXY_MODULE_OPTIONS == {'supports_check_mode': True,
                                    'required_if': [('deploy', True, ('deploy_environments',))]}
    assert proxy_module_options(rule) == {'supports_check_mode': True,
                                          'required_if': [('deploy', True, ('deploy_environments',)), rule]}
