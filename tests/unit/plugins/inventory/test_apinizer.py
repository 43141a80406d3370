# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The inventory plugin apinizer.apiops.apinizer against answers recorded from the emulator.

fixtures/emulator_seed.json: the default seed in the seed API style (the proxy read reports every
setting); fixtures/emulator_documented.json: --api-style newer --proxy-detail documented (the proxy
read reports only the fields Apinizer documents). Both were recorded after a maintenance-mode PATCH
of Demo/payments-api without deploy, so that proxy needs a redeploy in production and test.
fixtures/record.py records them again.
"""

from __future__ import annotations

import copy
import json
import os
import re
from urllib.parse import unquote

import pytest
import responses
import yaml

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import init_plugin_loader, inventory_loader
from ansible.template import Templar
from ansible.utils.unsafe_proxy import wrap_var
from ansible.utils.collection_loader import AnsibleCollectionConfig

# The plugin loader must know the collection before the plugin is imported (ansible-test units
# has configured it already; a plain pytest run has not).
if AnsibleCollectionConfig.collection_finder is None:
    init_plugin_loader()

from ansible_collections.apinizer.apiops.plugins.inventory.apinizer import group_slug, make_unsafe, proxy_facts

BASE_URL = 'https://apinizer.test'
TOKEN = 'unit-test-token-9f2c'
FIXTURES = os.path.join(os.path.dirname(__file__), 'fixtures')
DEMO = ['customer api', 'legacy-soap', 'live-feed', 'orders-api', 'partner-api', 'payments-api', 'pricing-grpc']
ALL_HOSTS = ['Demo/' + name for name in DEMO] + ['My Project/Team/inventory/v2']


def recorded(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return json.load(handle)


SEED = recorded('emulator_seed.json')
DOCUMENTED = recorded('emulator_documented.json')


class Api(object):
    """Serves recorded answers with `responses` and keeps the paths asked, in order."""

    def __init__(self, mock, answers, token=TOKEN):
        self.answers = answers
        self.token = token
        self.paths = []
        mock.add_callback(responses.GET, re.compile(r'https://apinizer\.test/.*'), callback=self._answer)

    def _answer(self, request):
        assert request.headers['Authorization'] == 'Bearer ' + self.token
        path = request.path_url
        self.paths.append(path)
        answer = self.answers.get(path)
        if answer is None:
            return 404, {}, json.dumps({'error': 'not_found', 'error_description': 'No endpoint GET %s' % unquote(path)})
        return answer['status'], {'Content-Type': 'application/json'}, json.dumps(answer['body'])

    def proxy_reads(self):
        return [p for p in self.paths if p.count('/') == 6 and '/apiProxies/' in p]

    def status_reads(self):
        return [p for p in self.paths if p.endswith('/deploy-status/')]


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as requests_mock:
        yield requests_mock


def parse(tmp_path, mock, answers=None, use_cache=False, **config):
    """(inventory, api, plugin) after parsing a config file with the given options."""
    options = dict(plugin='apinizer.apiops.apinizer', url=BASE_URL, token=TOKEN, projects=['Demo', 'My Project/Team'])
    options.update(config)
    options = dict((key, value) for key, value in options.items() if value is not None)
    path = tmp_path / 'test.apinizer.yml'
    path.write_text(yaml.safe_dump(options))
    api = Api(mock, SEED if answers is None else answers, token=options.get('token', TOKEN))
    inventory = InventoryData()
    plugin = inventory_loader.get('apinizer.apiops.apinizer')
    plugin.parse(inventory, DataLoader(), str(path), cache=use_cache)
    if config.get('cache'):
        plugin.update_cache_if_changed()
    return inventory, api, plugin


def members(inventory, group):
    return sorted(host.name for host in inventory.groups[group].get_hosts())


def hostvars(inventory, host):
    """The variables the plugin set (without Ansible's magic variables)."""
    magic = ('inventory_hostname', 'inventory_hostname_short', 'group_names', 'inventory_dir', 'inventory_file')
    return dict((key, value) for key, value in inventory.get_host(host).get_vars().items() if key not in magic)


# ---- the file --------------------------------------------------------------------------------

@pytest.mark.parametrize('name, valid', [
    ('demo.apinizer.yml', True), ('demo.apinizer.yaml', True), ('apinizer.yml', True),
    ('demo.yml', False), ('demo.apinizer.json', False), ('apinizer.yml.bak', False),
])
def test_verify_file_accepts_only_files_ending_in_apinizer_yml_or_yaml(tmp_path, name, valid):
    path = tmp_path / name
    path.write_text('plugin: apinizer.apiops.apinizer\n')
    assert inventory_loader.get('apinizer.apiops.apinizer').verify_file(str(path)) is valid


def test_verify_file_refuses_a_missing_file(tmp_path):
    assert not inventory_loader.get('apinizer.apiops.apinizer').verify_file(str(tmp_path / 'gone.apinizer.yml'))


# ---- hosts, host vars and default groups -----------------------------------------------------

def test_every_proxy_of_the_listed_projects_is_a_host_named_project_slash_proxy(tmp_path, mock):
    inventory, api, dummy = parse(tmp_path, mock)
    assert sorted(inventory.hosts) == sorted(ALL_HOSTS)
    # One list, one environments read per project and one read per proxy: the proxy read's
    # deploymentList reports every environment, so no deploy-status request.
    assert len(api.paths) == 2 + 7 + 2 + 1
    assert api.status_reads() == []
    assert api.paths[:2] == ['/apiops/projects/Demo/apiProxies/', '/apiops/projects/Demo/environments/']
    assert '/apiops/projects/My%20Project%2FTeam/apiProxies/inventory%2Fv2/' in api.paths


def test_host_vars_report_what_the_list_and_the_proxy_read_say(tmp_path, mock):
    inventory, dummy, dummy2 = parse(tmp_path, mock)
    assert hostvars(inventory, 'Demo/payments-api') == {
        'apinizer_project': 'Demo',
        'apinizer_name': 'payments-api',
        'apinizer_type': 'REST',
        'apinizer_description': 'Payments API',
        'apinizer_relative_path': '/payments-api',
        'apinizer_soap_to_rest': False,
        'apinizer_categories': ['E-commerce', 'PCI'],
        'apinizer_sharing_type': 'INTERNAL',
        'apinizer_relative_paths': ['/payments-api'],
        'apinizer_client_hosts': [],
        'apinizer_backend_addresses': ['https://backend.example.com/payments-api'],
        'apinizer_endpoints': [],
        'apinizer_maintenance_mode': True,
        'apinizer_deployments': {
            'production': {'deployed': True, 'redeploy_required': True},
            'test': {'deployed': True, 'redeploy_required': True},
            'staging': {'deployed': False, 'redeploy_required': False},
        },
        'apinizer_deployed_environments': ['production', 'test'],
        'apinizer_redeploy_required_environments': ['production', 'test'],
    }
    assert hostvars(inventory, 'Demo/orders-api')['apinizer_maintenance_mode'] is False
    assert hostvars(inventory, 'My Project/Team/inventory/v2')['apinizer_deployments'] == {
        'production': {'deployed': True, 'redeploy_required': False}}


def test_default_groups_per_project_type_category_and_environment(tmp_path, mock):
    inventory, dummy, dummy2 = parse(tmp_path, mock)
    assert members(inventory, 'project_demo') == sorted('Demo/' + name for name in DEMO)
    assert members(inventory, 'project_my_project_team') == ['My Project/Team/inventory/v2']
    assert members(inventory, 'type_rest') == ['Demo/customer api', 'Demo/orders-api', 'Demo/partner-api',
                                               'Demo/payments-api', 'My Project/Team/inventory/v2']
    assert members(inventory, 'type_websocket') == ['Demo/live-feed']
    assert members(inventory, 'type_soap') == ['Demo/legacy-soap']
    assert members(inventory, 'type_grpc') == ['Demo/pricing-grpc']
    assert members(inventory, 'category_e_commerce') == ['Demo/orders-api', 'Demo/payments-api']
    assert members(inventory, 'category_pci') == ['Demo/payments-api']
    assert members(inventory, 'category_crm') == ['Demo/customer api']
    assert members(inventory, 'category_market_data') == ['Demo/live-feed']
    assert members(inventory, 'deployed_production') == ['Demo/live-feed', 'Demo/orders-api', 'Demo/payments-api',
                                                         'My Project/Team/inventory/v2']
    assert members(inventory, 'deployed_test') == ['Demo/payments-api']
    assert members(inventory, 'redeploy_required_production') == ['Demo/payments-api']
    assert members(inventory, 'redeploy_required_test') == ['Demo/payments-api']
    assert 'deployed_staging' not in inventory.groups


def test_default_groups_are_created_kind_by_kind_in_name_order(tmp_path, mock):
    inventory, dummy, dummy2 = parse(tmp_path, mock)
    assert [name for name in inventory.groups if name not in ('all', 'ungrouped')] == [
        'project_demo', 'project_my_project_team', 'type_grpc', 'type_rest', 'type_soap', 'type_websocket',
        'category_crm', 'category_e_commerce', 'category_market_data', 'category_pci',
        'deployed_production', 'deployed_test', 'redeploy_required_production', 'redeploy_required_test']


def test_the_documented_answers_give_the_same_hosts_and_groups_without_unreported_vars(tmp_path, mock):
    inventory, api, dummy = parse(tmp_path, mock, answers=DOCUMENTED)
    assert sorted(inventory.hosts) == sorted(ALL_HOSTS)
    assert api.status_reads() == []
    payments = hostvars(inventory, 'Demo/payments-api')
    assert payments['apinizer_type'] == 'REST'  # from apiType
    assert payments['apinizer_categories'] == ['E-commerce', 'PCI']
    assert 'apinizer_maintenance_mode' not in payments  # the documented read does not report it
    assert members(inventory, 'redeploy_required_production') == ['Demo/payments-api']
    assert members(inventory, 'category_market_data') == ['Demo/live-feed']


def test_an_environment_the_proxy_read_does_not_list_is_read_from_deploy_status(tmp_path, mock):
    answers = copy.deepcopy(SEED)
    orders = answers['/apiops/projects/Demo/apiProxies/orders-api/']['body']['resultList'][0]
    orders['deploymentList'] = [d for d in orders['deploymentList'] if d['environmentName'] != 'staging']
    inventory, api, dummy = parse(tmp_path, mock, answers=answers)
    assert api.status_reads() == ['/apiops/projects/Demo/apiProxies/orders-api/environments/staging/deploy-status/']
    assert hostvars(inventory, 'Demo/orders-api')['apinizer_deployments']['staging'] == {
        'deployed': False, 'redeploy_required': False}


def test_without_detail_the_deploy_state_comes_from_deploy_status_and_there_are_no_categories(tmp_path, mock):
    inventory, api, dummy = parse(tmp_path, mock, detail=False)
    assert api.proxy_reads() == []
    assert len(api.status_reads()) == 7 * 3 + 1
    assert sorted(inventory.hosts) == sorted(ALL_HOSTS)
    payments = hostvars(inventory, 'Demo/payments-api')
    assert payments['apinizer_categories'] == []
    assert payments['apinizer_redeploy_required_environments'] == ['production', 'test']
    assert 'apinizer_sharing_type' not in payments
    assert not [name for name in inventory.groups if name.startswith('category_')]
    assert members(inventory, 'deployed_test') == ['Demo/payments-api']


def test_environments_option_limits_the_deploy_state_and_skips_the_environments_read(tmp_path, mock):
    inventory, api, dummy = parse(tmp_path, mock, projects=['Demo'], environments=['production'])
    assert not [p for p in api.paths if p.endswith('/environments/')]
    assert hostvars(inventory, 'Demo/payments-api')['apinizer_deployments'] == {
        'production': {'deployed': True, 'redeploy_required': True}}
    assert 'deployed_test' not in inventory.groups


def test_an_unknown_environment_fails_with_apinizers_message(tmp_path, mock):
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, mock, projects=['Demo'], environments=['qa'], workers=1)
    assert "Cannot read the deploy state of API proxy 'customer api' in environment 'qa' of project 'Demo'" in str(caught.value)


# ---- options ---------------------------------------------------------------------------------

def test_hostname_template_and_prefix(tmp_path, mock):
    inventory, dummy, dummy2 = parse(tmp_path, mock, projects=['Demo'], hostname='{{ name | replace(" ", "-") }}.{{ type | lower }}',
                                     hostvar_prefix='api_')
    assert sorted(inventory.hosts) == ['customer-api.rest', 'legacy-soap.soap', 'live-feed.websocket', 'orders-api.rest',
                                       'partner-api.rest', 'payments-api.rest', 'pricing-grpc.grpc']
    assert hostvars(inventory, 'orders-api.rest')['api_name'] == 'orders-api'
    assert not [key for key in hostvars(inventory, 'orders-api.rest') if key.startswith('apinizer_')]


def test_a_hostname_template_that_names_two_proxies_alike_fails(tmp_path, mock):
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, mock, projects=['Demo'], hostname='{{ type }}')
    assert "Option hostname gives 'REST' for API proxy 'customer api' of project 'Demo' and for API proxy 'orders-api'" in str(caught.value)


def test_a_hostname_template_that_fails_names_the_proxy(tmp_path, mock):
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, mock, projects=['Demo'], hostname='{{ no_such_var }}')
    assert "Option hostname could not be evaluated for API proxy 'customer api' of project 'Demo'" in str(caught.value)


def test_compose_groups_and_keyed_groups_see_the_host_vars(tmp_path, mock):
    inventory, dummy, dummy2 = parse(
        tmp_path, mock, projects=['Demo'], default_groups=False,
        compose={'ansible_connection': "'local'", 'needs_redeploy': 'apinizer_redeploy_required_environments | length > 0'},
        groups={'in_maintenance': 'apinizer_maintenance_mode', 'websockets': "apinizer_type == 'WEBSOCKET'"},
        keyed_groups=[{'key': 'apinizer_sharing_type', 'prefix': 'sharing'}, {'key': 'apinizer_categories', 'prefix': 'cat'}])
    assert not [name for name in inventory.groups if name.startswith(('project_', 'type_', 'category_', 'deployed_'))]
    assert hostvars(inventory, 'Demo/orders-api')['ansible_connection'] == 'local'
    assert hostvars(inventory, 'Demo/payments-api')['needs_redeploy'] is True
    assert members(inventory, 'in_maintenance') == ['Demo/payments-api']
    assert members(inventory, 'websockets') == ['Demo/live-feed']
    assert members(inventory, 'sharing_INTERNAL') == ['Demo/payments-api']
    assert members(inventory, 'cat_E_commerce') == ['Demo/orders-api', 'Demo/payments-api']


def test_strict_makes_a_failing_compose_expression_an_error(tmp_path, mock):
    inventory, dummy, dummy2 = parse(tmp_path, mock, projects=['Demo'], compose={'x': 'no_such_var.attr'})
    assert 'x' not in hostvars(inventory, 'Demo/orders-api')
    with pytest.raises(AnsibleError) as caught:
        parse(tmp_path, mock, projects=['Demo'], compose={'x': 'no_such_var.attr'}, strict=True)
    assert 'Could not set x for host Demo/customer api' in str(caught.value)


def test_one_worker_reads_the_proxies_one_after_another_in_list_order(tmp_path, mock):
    dummy, api, dummy2 = parse(tmp_path, mock, projects=['Demo'], workers=1)
    assert [unquote(p).split('/')[-2] for p in api.proxy_reads()] == DEMO


# ---- what Apinizer answers -------------------------------------------------------------------

def test_a_proxy_deleted_between_the_list_and_its_read_is_left_out_with_a_warning(tmp_path, mock, monkeypatch):
    answers = copy.deepcopy(SEED)
    answers['/apiops/projects/Demo/apiProxies/live-feed/'] = dict(
        status=400, body={'status': 'FAILURE', 'resultMessage': 'ApiProxy (name: live-feed) was not found!'})
    warnings = []
    from ansible.utils.display import Display
    monkeypatch.setattr(Display, 'warning', lambda self, msg, *args, **kwargs: warnings.append(msg))
    inventory, dummy, dummy2 = parse(tmp_path, mock, answers=answers, projects=['Demo'])
    assert 'Demo/live-feed' not in inventory.hosts
    assert len(inventory.hosts) == 6
    assert warnings == ["API proxy 'live-feed' of project 'Demo' was deleted while the inventory was read; it is left out."]


def test_an_unknown_project_fails_naming_it(tmp_path, mock):
    answers = dict(SEED)
    answers['/apiops/projects/Nope/apiProxies/'] = dict(status=400, body={
        'status': 'FAILURE', 'resultMessage': 'Project (Nope) is not found or user does not have privilege to access it!'})
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, mock, answers=answers, projects=['Nope'])
    assert str(caught.value) == ("Cannot list the API proxies of project 'Nope': Apinizer API GET /apiops/projects/Nope/apiProxies/ "
                                 "failed (HTTP 400): Project (Nope) is not found or user does not have privilege to access it!")


def test_a_refused_token_fails_without_showing_it(tmp_path, mock):
    answers = {'/apiops/projects/Demo/apiProxies/': dict(status=401, body={'status': 'FAILURE', 'resultMessage': 'Token is not valid!'})}
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, mock, answers=answers, projects=['Demo'])
    assert 'Token is not valid! (check the token: option token or APINIZER_TOKEN)' in str(caught.value)
    assert TOKEN not in str(caught.value)


def test_url_and_token_come_from_the_environment(tmp_path, mock, monkeypatch):
    monkeypatch.setenv('APINIZER_URL', BASE_URL + '/apiops')
    monkeypatch.setenv('APINIZER_TOKEN', TOKEN)
    inventory, dummy, dummy2 = parse(tmp_path, mock, url=None, token=None, projects=['Demo'])
    assert len(inventory.hosts) == 7


def test_a_missing_token_names_the_option_and_the_variable(tmp_path, mock, monkeypatch):
    monkeypatch.delenv('APINIZER_TOKEN', raising=False)
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, mock, token=None)
    assert str(caught.value) == 'Set the option: option token or environment variable APINIZER_TOKEN.'


@pytest.mark.parametrize('options, message', [
    (dict(projects=[]), 'Option projects must list at least one Apinizer project'),
    (dict(workers=0), 'Option workers must be 1 or more, got 0.'),
])
def test_invalid_options_fail_before_any_request(tmp_path, mock, options, message):
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, mock, **options)
    assert message in str(caught.value)
    assert not mock.calls


def test_values_from_apinizer_are_never_evaluated_as_templates(tmp_path, mock):
    answers = copy.deepcopy(SEED)
    answers['/apiops/projects/Demo/apiProxies/orders-api/']['body']['resultList'][0]['description'] = '{{ 7 * 6 }}'
    inventory, dummy, dummy2 = parse(tmp_path, mock, answers=answers, projects=['Demo'])
    description = hostvars(inventory, 'Demo/orders-api')['apinizer_description']
    templar = Templar(loader=DataLoader(), variables={'d': description})
    assert templar.template(description) == '{{ 7 * 6 }}'


def test_only_strings_with_braces_are_marked_unsafe():
    value = make_unsafe({'a': 'plain', 'b': ['{{ x }}', 'y'], '{k}': {'c': 1, 'd': '%} {'}})
    assert value == {'a': 'plain', 'b': ['{{ x }}', 'y'], '{k}': {'c': 1, 'd': '%} {'}}
    unsafe = type(wrap_var('{{ x }}'))
    if unsafe is not str:  # before ansible-core 2.19 unsafe is a type of its own (since then, a missing trust tag)
        assert isinstance(value['b'][0], unsafe) and isinstance(value['{k}']['d'], unsafe)
        assert not isinstance(value['a'], unsafe) and not isinstance(value['b'][1], unsafe)


def test_the_token_is_in_no_host_var(tmp_path, mock):
    inventory, dummy, dummy2 = parse(tmp_path, mock)
    for host in inventory.hosts:
        assert TOKEN not in json.dumps(hostvars(inventory, host), default=str)


# ---- cache -----------------------------------------------------------------------------------

def cached(tmp_path, **config):
    return dict(cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=str(tmp_path / 'cache'), **config)


def test_a_cached_inventory_is_served_without_requests_and_refreshed_when_asked(tmp_path, mock):
    first, api, plugin = parse(tmp_path, mock, use_cache=True, **cached(tmp_path))
    assert api.paths
    files = os.listdir(str(tmp_path / 'cache'))
    assert len(files) == 1 and TOKEN not in files[0]
    with open(str(tmp_path / 'cache' / files[0])) as handle:
        assert TOKEN not in handle.read()

    mock.calls.reset()
    second, api, dummy = parse(tmp_path, mock, use_cache=True, **cached(tmp_path))
    assert api.paths == []
    assert sorted(second.hosts) == sorted(first.hosts)
    assert hostvars(second, 'Demo/payments-api') == hostvars(first, 'Demo/payments-api')
    assert members(second, 'redeploy_required_production') == ['Demo/payments-api']

    # --flush-cache (cache=False) reads Apinizer again; other hostname or groups need no new read
    dummy, api, dummy2 = parse(tmp_path, mock, use_cache=False, **cached(tmp_path))
    assert api.paths
    renamed, api, dummy2 = parse(tmp_path, mock, use_cache=True, hostname='{{ name }}@{{ project }}', **cached(tmp_path))
    assert api.paths == []
    assert 'orders-api@Demo' in renamed.hosts


def test_the_cache_key_follows_path_url_projects_environments_and_detail_but_not_the_token(tmp_path, mock):
    dummy, dummy2, plugin = parse(tmp_path, mock, projects=['Demo'])
    path = str(tmp_path / 'test.apinizer.yml')
    key = plugin.get_cache_key(path)
    assert key.startswith('apinizer.apiops.apinizer_') and TOKEN not in key
    assert plugin.get_cache_key(path + '.other') != key

    def key_with(**config):
        dummy, dummy2, other = parse(tmp_path, mock, **dict(dict(projects=['Demo']), **config))
        return other.get_cache_key(path)

    assert key_with(token='another-token') == key
    assert key_with(hostname='{{ name }}') == key
    assert key_with(projects=['Demo', 'My Project/Team']) != key
    assert key_with(environments=['production']) != key
    assert key_with(detail=False) != key


# ---- helpers ---------------------------------------------------------------------------------

@pytest.mark.parametrize('name, slug', [
    ('Demo', 'demo'), ('My Project/Team', 'my_project_team'), ('E-commerce', 'e_commerce'),
    ('Market data', 'market_data'), ('snake_case', 'snake_case'), ('--', ''), ('Ödeme API', 'deme_api'),
])
def test_group_slug(name, slug):
    assert group_slug(name) == slug


def test_proxy_facts_from_the_list_entry_alone():
    facts = proxy_facts('Demo', {'name': 'a', 'type': 'rest', 'description': 'A', 'relativePath': '/a', 'soapToRest': False}, None)
    assert facts == dict(project='Demo', name='a', type='REST', description='A', relative_path='/a', soap_to_rest=False,
                         categories=[])
