# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Direct execution (plugin_utils/_direct.py): which path a task takes, and what the direct path returns."""

from __future__ import annotations

import json
import os
import sys
from unittest.mock import MagicMock

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils import _client
from ansible_collections.apinizer.apiops.plugins.module_utils._modules import ENTRIES
from ansible_collections.apinizer.apiops.plugins.plugin_utils import _direct
from ansible_collections.apinizer.apiops.tests.unit.conftest import BASE_URL, TOKEN

PROXY_URL = BASE_URL + '/apiops/projects/Demo/apiProxies/orders-api/'


def action(args=None, transport='local', async_val=0, become=False, check_mode=False, diff=False, environment=None,
           name='apinizer.apiops.apinizer_maintenance_mode', delegate_to=None):
    task = MagicMock()
    task.action = name
    task.args = args or {}
    task.async_val = async_val
    task.check_mode = check_mode
    task.diff = diff
    task.environment = environment
    task.delegate_to = delegate_to
    connection = MagicMock()
    connection.transport = transport
    play_context = MagicMock()
    play_context.become = become
    templar = MagicMock()
    templar.template.side_effect = lambda value: value
    return _direct.DirectAction(task, connection, play_context, MagicMock(), templar, MagicMock())


# Which path ------------------------------------------------------------------------------------

@pytest.mark.parametrize('settings, task_vars, reason', [
    ({}, {}, None),
    ({}, {'ansible_python_interpreter': sys.executable}, None),
    ({}, {'ansible_python_interpreter': 'auto_silent'}, None),
    ({'transport': 'ansible.builtin.local'}, {}, None),
    ({'transport': 'ssh'}, {}, 'connection ssh: not on the controller'),
    ({'async_val': 30}, {}, 'async'),
    ({'become': True}, {}, 'become'),
    ({}, {'ansible_python_interpreter': '/opt/other/bin/python3'},
     'ansible_python_interpreter is /opt/other/bin/python3, not the controller Python'),
    ({}, {'apinizer_direct_execution': False}, 'direct execution is turned off'),
    ({}, {'apinizer_direct_execution': 'no'}, 'direct execution is turned off'),
])
def test_which_path_a_task_takes(settings, task_vars, reason):
    found = action(**settings).module_path_reason(task_vars, 'apinizer_maintenance_mode')
    if reason is None:
        assert found is None
    else:
        assert found.startswith(reason)


def test_the_environment_variable_turns_it_off(monkeypatch):
    monkeypatch.setenv('APINIZER_DIRECT_EXECUTION', 'false')
    assert action().module_path_reason({}, 'apinizer_maintenance_mode').startswith('direct execution is turned off')
    # The variable wins over the environment variable.
    assert action().module_path_reason({'apinizer_direct_execution': True}, 'apinizer_maintenance_mode') is None


def test_the_interpreter_of_the_delegated_host_decides():
    task_vars = {'ansible_python_interpreter': sys.executable,
                 'ansible_delegated_vars': {'localhost': {'ansible_python_interpreter': '/opt/other/bin/python3'}}}
    reason = action(delegate_to='localhost').module_path_reason(task_vars, 'apinizer_maintenance_mode')
    assert reason.startswith('ansible_python_interpreter is /opt/other/bin/python3')


def test_without_requests_the_module_path_runs_with_a_warning(monkeypatch):
    shown = []
    monkeypatch.setattr(_client, 'requests', None)
    monkeypatch.setattr(_direct.display, 'warning', shown.append)
    assert action().module_path_reason({}, 'apinizer_maintenance_mode') == \
        'the controller Python cannot import requests'
    assert len(shown) == 1 and 'cannot import requests' in shown[0] and sys.executable in shown[0]


def test_every_module_has_an_entry_and_an_action_plugin():
    modules_dir = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'plugins', 'modules')
    names = sorted(name[:-3] for name in os.listdir(modules_dir) if name.endswith('.py'))
    assert sorted(ENTRIES) == names
    action_dir = os.path.join(modules_dir, '..', 'action')
    assert sorted(name[:-3] for name in os.listdir(action_dir) if name.endswith('.py')) == names


# The direct path -----------------------------------------------------------------------------

def test_no_log_values_are_collected_from_nested_options():
    spec = dict(token=dict(type='str', no_log=True), email=dict(type='dict', options=dict(
        password=dict(type='str', no_log=True), host=dict(type='str'))),
        headers=dict(type='list', elements='dict', options=dict(value=dict(type='str', no_log=True))))
    params = dict(token='t0ken-value', email=dict(password='pw-value', host='h'),
                  headers=[dict(value='h1-value'), dict(value=None)])
    assert _direct.no_log_values(spec, params) == {'t0ken-value', 'pw-value', 'h1-value'}


def test_the_task_environment_is_applied_for_the_run_and_restored(monkeypatch):
    monkeypatch.setenv('APINIZER_PROJECT', 'Before')
    monkeypatch.delenv('APINIZER_EXTRA', raising=False)
    with _direct.environment_applied({'APINIZER_PROJECT': 'Demo', 'APINIZER_EXTRA': '1'}):
        assert os.environ['APINIZER_PROJECT'] == 'Demo' and os.environ['APINIZER_EXTRA'] == '1'
    assert os.environ['APINIZER_PROJECT'] == 'Before' and 'APINIZER_EXTRA' not in os.environ


def test_task_environment_merges_its_mappings_in_order():
    plugin = action(environment=[{'A': 1, 'B': 'x'}, None, {'B': 'y'}])
    assert plugin.task_environment() == {'A': '1', 'B': 'y'}


def proxy(enabled):
    return {'success': True, 'resultList': [{'name': 'orders-api', 'type': 'REST', 'deploymentList': [],
                                             'maintenanceModeSetting': {'enabled': enabled}}]}


def test_a_change_runs_the_engine_with_the_task_environment(mocked_api, monkeypatch):
    monkeypatch.delenv('APINIZER_PROJECT', raising=False)
    mocked_api.get(PROXY_URL, json=proxy(False))
    mocked_api.patch(PROXY_URL + 'settings/maintenance-mode/', json={'success': True})
    plugin = action(dict(url=BASE_URL, token=TOKEN, api_proxy='orders-api', enabled=True), diff=True,
                    environment=[{'APINIZER_PROJECT': 'Demo'}])
    result = plugin.run_direct(ENTRIES['apinizer_maintenance_mode'], {'ansible_inject_invocation': True})
    assert result['changed'] is True and 'failed' not in result
    assert result['project'] == 'Demo'
    assert result['diff'] == {'before': {'enabled': False}, 'after': {'enabled': True}}
    assert result['invocation']['module_args']['token'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert TOKEN not in json.dumps(result)


def test_check_mode_sends_no_write(mocked_api):
    mocked_api.get(PROXY_URL, json=proxy(False))
    plugin = action(dict(url=BASE_URL, token=TOKEN, project='Demo', api_proxy='orders-api', enabled=True),
                    check_mode=True)
    result = plugin.run_direct(ENTRIES['apinizer_maintenance_mode'], {})
    assert result['changed'] is True
    assert [call.request.method for call in mocked_api.calls] == ['GET']


def test_an_unknown_option_fails_as_argument_validation_does(mocked_api):
    plugin = action(dict(url=BASE_URL, token=TOKEN, project='Demo', api_proxy='orders-api', enable=True))
    result = plugin.run_direct(ENTRIES['apinizer_maintenance_mode'], {})
    assert result['failed'] is True
    assert result['msg'].startswith('Unsupported parameters for (apinizer.apiops.apinizer_maintenance_mode) module: '
                                    'enable. Supported parameters include:')
    assert len(mocked_api.calls) == 0


def test_the_arguments_as_written_are_checked(mocked_api):
    plugin = action(dict(url=BASE_URL, token=TOKEN, project='Demo', api_proxy='orders-api', http_status_code=True))
    result = plugin.run_direct(ENTRIES['apinizer_maintenance_mode'], {})
    assert result['failed'] is True and 'http_status_code must be an integer, got a boolean (true)' in result['msg']
    assert len(mocked_api.calls) == 0


def test_secrets_found_at_run_time_are_removed_from_the_result(mocked_api):
    password = 'Smtp-Secret-771'
    url = BASE_URL + '/apiops/projects/Demo/connections/smtp/'
    mocked_api.get(url, status=400, json={'status': 'FAILURE', 'resultMessage': 'Connection (name: smtp) was not found!'})
    mocked_api.post(url, status=400, json={'status': 'FAILURE', 'resultMessage': 'bad password %s' % password})
    plugin = action(dict(url=BASE_URL, token=TOKEN, project='Demo', name='smtp',
                         email=dict(host='h', auth=True, username='u', password=password)),
                    name='apinizer.apiops.apinizer_connection')
    result = plugin.run_direct(ENTRIES['apinizer_connection'], {})
    assert result['failed'] is True
    assert password not in json.dumps(result) and TOKEN not in json.dumps(result)


def test_top_level_booleans_survive_a_no_log_value_they_contain(mocked_api):
    # 'e' is in str(True) and str(False): AnsibleModule keeps top-level booleans, and so does direct execution
    url = BASE_URL + '/apiops/projects/Demo/connections/smtp/'
    mocked_api.get(url, status=400, json={'status': 'FAILURE', 'resultMessage': 'Connection (name: smtp) was not found!'})
    plugin = action(dict(url=BASE_URL, token=TOKEN, project='Demo', name='smtp',
                         email=dict(host='smtp.example.com', auth=False, password='e')),
                    name='apinizer.apiops.apinizer_connection', check_mode=True)
    result = plugin.run_direct(ENTRIES['apinizer_connection'], {})
    assert result['changed'] is True
    assert 'smtp.example.com' not in json.dumps(result)


def test_warnings_are_returned_as_a_module_returns_them(mocked_api):
    mocked_api.get(PROXY_URL, json=proxy(False))
    mocked_api.get(PROXY_URL + 'environments/production/deploy-status/',
                   json={'success': True, 'resultList': [{'deployed': False, 'redeployRequired': False}]})
    mocked_api.patch(PROXY_URL + 'settings/maintenance-mode/', json={'success': True})
    plugin = action(dict(url=BASE_URL, token=TOKEN, project='Demo', api_proxy='orders-api', enabled=True, deploy=True,
                         deploy_environments=['production']))
    result = plugin.run_direct(ENTRIES['apinizer_maintenance_mode'], {})
    assert result['changed'] is True
    assert len(result['warnings']) == 1 and 'is not deployed in environment' in result['warnings'][0]
