# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

import io
import json
import zipfile

from ansible_collections.apinizer.apiops.plugins.module_utils._client import ApinizerApiError
from ansible_collections.apinizer.apiops.plugins.module_utils._envelope import first_result, result_items
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_state import (
    ProxyState,
    definition_from_package,
    find_fields,
    proxy_type,
)


def read_section(proxy, section, fields):
    current = find_fields(proxy, section, fields)
    return current, [field for field in fields if field not in current]


def test_first_result_accepts_both_envelopes_and_a_bare_object():
    assert first_result({'success': True, 'resultList': [{'name': 'a'}], 'resultCount': 1}) == {'name': 'a'}
    assert first_result({'status': 'SUCCESS', 'resultList': [], 'resultCount': 0}) is None
    assert first_result({'name': 'a'}) == {'name': 'a'}
    assert first_result({}) is None


def test_proxy_type_from_type_or_api_type():
    assert proxy_type({'type': 'WEBSOCKET'}) == 'WEBSOCKET'
    assert proxy_type({'apiType': 'rest'}) == 'REST'
    assert proxy_type({}) is None


@pytest.mark.parametrize('proxy', [
    {'routing': {'websocketSettings': {'autoReconnect': True}}},
    {'routingInfo': {'websocketSettings': {'autoReconnect': True}}},
    {'websocketSettings': {'autoReconnect': True}},
])
def test_websocket_settings_are_found_in_every_documented_place(proxy):
    assert read_section(proxy, 'websocket', ['autoReconnect', 'maxRetries']) == \
        ({'autoReconnect': True}, ['maxRetries'])


def test_connection_settings_read_flat_from_routing_first():
    proxy = {'routing': {'connectTimeout': 30, 'routingEnabled': True},
             'connectionSettings': {'connectTimeout': 5, 'readTimeout': 60}}
    assert read_section(proxy, 'connection', ['connectTimeout', 'readTimeout']) == \
        ({'connectTimeout': 30, 'readTimeout': 60}, [])


def test_metadata_top_level_and_a_reported_null_is_known():
    current, unknown = read_section({'description': None, 'name': 'a'}, 'metadata', ['description', 'categoryList'])
    assert current == {'description': None} and unknown == ['categoryList']


def test_nothing_reported_means_every_field_unknown():
    assert read_section({'name': 'a'}, 'maintenance', ['enabled']) == ({}, ['enabled'])


def package(files):
    # A fixed timestamp: the same bytes in every pytest-xdist worker, which collect separately.
    data = io.BytesIO()
    with zipfile.ZipFile(data, 'w') as archive:
        for name, content in files.items():
            entry = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            archive.writestr(entry, content if isinstance(content, str) else json.dumps(content))
    return data.getvalue()


def test_export_definition_is_the_json_named_after_the_proxy():
    data = package({'policies.json': {'name': 'other'}, 'inventory_v2.json': {'name': 'inventory/v2', 'x': 1}})
    assert definition_from_package(data, 'inventory/v2') == {'name': 'inventory/v2', 'x': 1}


def test_export_definition_accepts_an_envelope_and_refuses_another_proxy():
    assert definition_from_package(package({'a.json': {'resultList': [{'name': 'a'}]}}), 'a') == {'name': 'a'}
    assert definition_from_package(package({'b.json': {'name': 'b'}}), 'a') is None


@pytest.mark.parametrize('data', [b'not a zip', package({'a.json': 'not json'}), package({'readme.txt': 'x'})],
                         ids=['not a zip', 'json file that is not json', 'no json file'])
def test_unreadable_export_package_is_none(data):
    assert definition_from_package(data, 'a') is None


class FakeClient:
    """Answers GET proxy with ``proxy`` and the export with ``export`` (bytes or an exception)."""

    def __init__(self, proxy, export):
        self.proxy, self.export, self.calls = proxy, export, []

    def get(self, path, params=None):
        self.calls.append(path)
        return {'success': True, 'resultList': [self.proxy]}

    def request(self, method, path, binary=False, **kwargs):
        self.calls.append(path)
        if isinstance(self.export, Exception):
            raise self.export
        return self.export


def documented_proxy():
    return {'name': 'a', 'apiType': 'REST', 'routing': {'routingEnabled': True, 'routingAddressList': []}}


def test_state_reads_the_export_once_for_what_get_does_not_report():
    export = package({'a.json': {'name': 'a', 'routingInfo': {'connectTimeout': 30},
                                 'maintenanceModeSetting': {'enabled': True}}})
    client, warnings = FakeClient(documented_proxy(), export), []
    state = ProxyState(client, 'Demo', 'a', warnings.append)
    state.read()
    assert state.read_fields('connection', ['routingEnabled', 'connectTimeout', 'readTimeout']) == (
        {'routingEnabled': True, 'connectTimeout': 30}, ['readTimeout'])
    assert state.read_fields('maintenance', ['enabled']) == ({'enabled': True}, [])
    assert client.calls == ['/apiops/projects/Demo/apiProxies/a/', '/apiops/projects/Demo/apiProxies/a/export/']
    assert warnings == []


def test_state_does_not_export_when_get_reports_everything():
    client = FakeClient(dict(documented_proxy(), maintenanceModeSetting={'enabled': False}), None)
    state = ProxyState(client, 'Demo', 'a', [].append)
    state.read()
    assert state.read_fields('maintenance', ['enabled']) == ({'enabled': False}, [])
    assert len(client.calls) == 1


def test_export_refused_for_permission_warns_naming_export_import_and_leaves_fields_unknown():
    refusal = ApinizerApiError('GET', '/apiops/projects/Demo/apiProxies/a/export/', 400,
                               'User does not have required permission for this operation!')
    warnings = []
    state = ProxyState(FakeClient(documented_proxy(), refusal), 'Demo', 'a', warnings.append)
    state.read()
    assert state.read_fields('maintenance', ['enabled']) == ({}, ['enabled'])
    assert len(warnings) == 1 and 'EXPORT_IMPORT' in warnings[0]


def test_export_failing_otherwise_is_a_failure():
    error = ApinizerApiError('GET', '/apiops/projects/Demo/apiProxies/a/export/', 500, 'An unexpected error occurred')
    state = ProxyState(FakeClient(documented_proxy(), error), 'Demo', 'a', [].append)
    state.read()
    with pytest.raises(ApinizerApiError):
        state.read_fields('maintenance', ['enabled'])


def test_result_items_accept_both_envelopes_and_a_bare_list():
    assert result_items({'status': 'SUCCESS', 'resultList': [{'name': 'a'}, 'junk'], 'resultCount': 2}) == [{'name': 'a'}]
    assert result_items({'success': True, 'resultList': None}) == []
    assert result_items([{'name': 'b'}]) == [{'name': 'b'}]
    assert result_items('not a list') == []
