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
import stat
from urllib.parse import quote, unquote

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

from ansible_collections.apinizer.apiops.plugins.inventory.apinizer import make_unsafe
from ansible_collections.apinizer.apiops.plugins.module_utils._client import ApinizerError
from ansible_collections.apinizer.apiops.plugins.module_utils._envelope import result_items, result_list
from ansible_collections.apinizer.apiops.plugins.module_utils._inventory import chain_text, group_slug, proxy_facts

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


class Api:
    """Serves recorded answers with `responses` and keeps the paths asked, in order."""

    def __init__(self, mock, answers, token=TOKEN):
        self.answers = answers
        self.token = token
        self.paths = []
        mock.add_callback(responses.GET, re.compile(r'https?://apinizer\.test/.*'), callback=self._answer)

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
def warnings(monkeypatch):
    """The warnings the plugin gives, in order."""
    from ansible.utils.display import Display
    shown = []
    monkeypatch.setattr(Display, 'warning', lambda self, msg, *args, **kwargs: shown.append(msg))
    return shown


def answering(path, status, body, answers=None):
    """A copy of the recorded answers (default SEED) in which ``path`` answers ``status`` with ``body``."""
    answers = copy.deepcopy(SEED if answers is None else answers)
    answers[path] = dict(status=status, body=body)
    return answers


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as requests_mock:
        yield requests_mock


def parse(tmp_path, mock, answers=None, use_cache=False, **config):
    """(inventory, api, plugin) after parsing a config file with the given options."""
    options = dict(plugin='apinizer.apiops.apinizer', url=BASE_URL, token=TOKEN, projects=['Demo', 'My Project/Team'])
    options.update(config)
    options = {key: value for key, value in options.items() if value is not None}
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
    return {key: value for key, value in inventory.get_host(host).get_vars().items() if key not in magic}


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

def test_a_proxy_deleted_between_the_list_and_its_read_is_left_out_with_a_warning(tmp_path, mock, warnings):
    answers = answering('/apiops/projects/Demo/apiProxies/live-feed/', 400,
                        {'status': 'FAILURE', 'resultMessage': 'ApiProxy (name: live-feed) was not found!'})
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


# ---- failing loudly: every project, unless on_project_error=skip ----------------------------

NOPE_LIST = '/apiops/projects/Nope/apiProxies/'
UNKNOWN_PROJECT = {'status': 'FAILURE', 'resultMessage': 'Project (Nope) is not found or user does not have privilege to access it!'}

# What can go wrong with the second of two projects (the first, Demo, reads fine).
PROJECT_FAULTS = {
    'refused token': ('/apiops/projects/Nope/apiProxies/', 401, {'status': 'FAILURE', 'resultMessage': 'Token is not valid!'},
                      "Cannot list the API proxies of project 'Nope': Apinizer API GET /apiops/projects/Nope/apiProxies/ "
                      "failed (HTTP 401): Token is not valid! (check the token: option token or APINIZER_TOKEN)"),
    'forbidden': ('/apiops/projects/Nope/apiProxies/', 403, {'error': 'access_denied', 'error_description': 'Access is denied'},
                  "Cannot list the API proxies of project 'Nope': Apinizer API GET /apiops/projects/Nope/apiProxies/ "
                  "failed (HTTP 403): Access is denied"),
    'unknown project (newer)': ('/apiops/projects/Nope/apiProxies/', 400, UNKNOWN_PROJECT,
                                "failed (HTTP 400): Project (Nope) is not found or user does not have privilege"),
    'unknown project (seed)': ('/apiops/projects/Nope/apiProxies/', 404, {'error': 'not_found', 'error_description': "Project 'Nope' not found"},
                               "failed (HTTP 404): Project 'Nope' not found"),
    'server error in the list': ('/apiops/projects/Nope/apiProxies/', 500, {'error': 'server_error', 'error_description': 'boom'},
                                 "Cannot list the API proxies of project 'Nope': Apinizer API GET /apiops/projects/Nope/apiProxies/ "
                                 "failed (HTTP 500): boom"),
    'a list answer without a list': ('/apiops/projects/Nope/apiProxies/', 200, {'status': 'SUCCESS'},
                                     "Cannot list the API proxies of project 'Nope': Apinizer API GET "
                                     "/apiops/projects/Nope/apiProxies/ answered, but the body holds no list of results"),
    'server error in the environments': ('/apiops/projects/Nope/environments/', 500, {'error': 'server_error', 'error_description': 'boom'},
                                         "Cannot read the environments of project 'Nope': Apinizer API GET "
                                         "/apiops/projects/Nope/environments/ failed (HTTP 500): boom"),
    'server error in a proxy read': ('/apiops/projects/Nope/apiProxies/orders-api/', 500, {'error': 'server_error', 'error_description': 'boom'},
                                     "Cannot read API proxy 'orders-api' of project 'Nope': Apinizer API GET "
                                     "/apiops/projects/Nope/apiProxies/orders-api/ failed (HTTP 500): boom"),
    'a proxy read of an unusable shape': ('/apiops/projects/Nope/apiProxies/orders-api/', 200,
                                          {'status': 'SUCCESS', 'resultList': [{'name': 'orders-api',
                                                                                'deploymentList': [{'environmentName': ['x']}]}]},
                                          "Cannot read API proxy 'orders-api' of project 'Nope': Apinizer answered with a body "
                                          "of a shape the plugin cannot use (TypeError: "),
}


def with_project_nope(path, status, body):
    """SEED plus a project Nope that is a copy of Demo, with ``path`` answering ``status`` and ``body``."""
    answers = copy.deepcopy(SEED)
    for key, value in SEED.items():
        if key.startswith('/apiops/projects/Demo/'):
            answers[key.replace('/Demo/', '/Nope/', 1)] = copy.deepcopy(value)
    if status == 400 and path == NOPE_LIST:  # an unknown project is unknown everywhere
        answers = {key: value for key, value in answers.items() if not key.startswith('/apiops/projects/Nope/')}
    answers[path] = dict(status=status, body=body)
    return answers


def test_the_copy_of_demo_as_project_nope_reads_like_demo(tmp_path, mock):
    answers = with_project_nope('/apiops/projects/Nope/apiProxies/orders-api/', 200,
                                SEED['/apiops/projects/Demo/apiProxies/orders-api/']['body'])
    inventory, dummy, dummy2 = parse(tmp_path, mock, answers=answers, projects=['Demo', 'Nope'])
    assert len(inventory.hosts) == 14


@pytest.mark.parametrize('fault', sorted(PROJECT_FAULTS))
def test_a_project_that_cannot_be_read_fails_the_inventory_whichever_it_is(tmp_path, mock, fault):
    path, status, body, message = PROJECT_FAULTS[fault]
    for projects in (['Demo', 'Nope'], ['Nope', 'Demo']):
        with pytest.raises(AnsibleParserError) as caught:
            parse(tmp_path, mock, answers=with_project_nope(path, status, body), projects=projects)
        assert message in str(caught.value)
        # raised from nothing: a cause or context would show its own text, unscrubbed
        assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_failed_project_adds_no_host_of_the_others(tmp_path, mock):
    path, status, body, dummy = PROJECT_FAULTS['forbidden']
    options = dict(plugin='apinizer.apiops.apinizer', url=BASE_URL, token=TOKEN, projects=['Demo', 'Nope'])
    config = tmp_path / 'test.apinizer.yml'
    config.write_text(yaml.safe_dump(options))
    Api(mock, with_project_nope(path, status, body))
    inventory = InventoryData()
    with pytest.raises(AnsibleParserError):
        inventory_loader.get('apinizer.apiops.apinizer').parse(inventory, DataLoader(), str(config), cache=False)
    assert not inventory.hosts


@pytest.mark.parametrize('fault', sorted(PROJECT_FAULTS))
def test_on_project_error_skip_leaves_the_project_out_with_a_warning(tmp_path, mock, warnings, fault):
    path, status, body, message = PROJECT_FAULTS[fault]
    inventory, dummy, dummy2 = parse(tmp_path, mock, answers=with_project_nope(path, status, body), projects=['Demo', 'Nope'],
                                     on_project_error='skip')
    assert sorted(inventory.hosts) == sorted('Demo/' + name for name in DEMO)
    assert len(warnings) == 1
    assert warnings[0].startswith("Project 'Nope' is left out of the inventory (on_project_error=skip): ")
    assert message in warnings[0]


def test_on_project_error_skip_fails_when_no_project_can_be_read(tmp_path, mock, warnings):
    answers = {'/apiops/projects/Demo/apiProxies/': dict(status=401, body={'status': 'FAILURE', 'resultMessage': 'Token is not valid!'}),
               NOPE_LIST: dict(status=401, body={'status': 'FAILURE', 'resultMessage': 'Token is not valid!'})}
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, mock, answers=answers, projects=['Demo', 'Nope'], on_project_error='skip')
    assert str(caught.value).startswith('No project could be read (on_project_error=skip leaves out only some): '
                                        "Cannot list the API proxies of project 'Demo': ")
    assert "Cannot list the API proxies of project 'Nope': " in str(caught.value)
    assert warnings == []


def test_an_empty_project_is_an_empty_list_answer(tmp_path, mock):
    answers = answering('/apiops/projects/Demo/apiProxies/', 200, {'status': 'SUCCESS', 'resultList': [], 'resultCount': 0})
    inventory, dummy, dummy2 = parse(tmp_path, mock, answers=answers, projects=['Demo'])
    assert not inventory.hosts
    answers = answering('/apiops/projects/Demo/apiProxies/', 200, {'status': 'SUCCESS', 'resultList': None, 'resultCount': 0})
    inventory, dummy, dummy2 = parse(tmp_path, mock, answers=answers, projects=['Demo'])
    assert not inventory.hosts


@pytest.mark.parametrize('body', [{}, {'success': True}, {'resultList': 'x'}, {'resultList': {'name': 'a'}},
                                  {'resultList': None, 'resultCount': 3}, {'resultList': None, 'resultCount': False}])
def test_a_list_answer_without_a_list_fails_instead_of_reading_as_empty(tmp_path, mock, body):
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, mock, answers=answering('/apiops/projects/Demo/apiProxies/', 200, body), projects=['Demo'])
    assert 'answered, but the body holds no list of results' in str(caught.value)


@pytest.mark.parametrize('body, items', [
    ({'status': 'SUCCESS', 'resultList': [{'name': 'a'}, 'junk'], 'resultCount': 2}, [{'name': 'a'}]),
    ({'success': True, 'resultList': []}, []),
    ({'status': 'SUCCESS', 'resultList': None, 'resultCount': 0}, []),
    ([{'name': 'b'}, 3], [{'name': 'b'}]),
])
def test_both_readings_of_a_list_answer_agree_on_one_that_holds_a_list(body, items):
    assert result_list(body, '/apiops/projects/Demo/apiProxies/') == items
    assert result_items(body) == items


@pytest.mark.parametrize('body', [{}, {'success': True}, {'resultList': 'x'}, {'resultList': None, 'resultCount': 3},
                                  {'resultList': None, 'resultCount': False}, 'not a list', None])
def test_the_strict_reading_refuses_an_answer_the_lenient_one_reads_as_empty(body):
    assert result_items(body) == []
    with pytest.raises(ApinizerError) as caught:
        result_list(body, '/apiops/projects/Demo/apiProxies/')
    assert str(caught.value).startswith('Apinizer API GET /apiops/projects/Demo/apiProxies/ answered, but the body '
                                        'holds no list of results: ')


@pytest.mark.parametrize('listed, message', [
    ({'name': '..'}, "Apinizer lists an API proxy of project 'Demo' that cannot be read by its name: An API proxy name must not be '..'"),
    ({'name': '.'}, "An API proxy name must not be '.'"),
])
def test_a_listed_proxy_named_dot_or_dot_dot_fails_the_project(tmp_path, mock, listed, message):
    body = copy.deepcopy(SEED['/apiops/projects/Demo/apiProxies/']['body'])
    body['resultList'].append(listed)
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, mock, answers=answering('/apiops/projects/Demo/apiProxies/', 200, body), projects=['Demo'])
    assert message in str(caught.value)


def test_a_listed_environment_named_dot_dot_fails_the_project(tmp_path, mock):
    body = copy.deepcopy(SEED['/apiops/projects/Demo/environments/']['body'])
    body['resultList'].append({'name': '..'})
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, mock, answers=answering('/apiops/projects/Demo/environments/', 200, body), projects=['Demo'])
    assert "Apinizer lists an environment of project 'Demo' that cannot be asked for by its name" in str(caught.value)


# ---- names refused before any request ----------------------------------------------------------

@pytest.mark.parametrize('option, value', [
    ('projects', ['Demo', '..']), ('projects', ['.']), ('environments', ['production', '..']), ('environments', ['.']),
])
def test_dot_and_dot_dot_are_refused_before_any_request(tmp_path, mock, option, value):
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, mock, **{option: value})
    assert str(caught.value).startswith('An entry of option %s must not be %r: URL normalisation' % (option, value[-1]))
    assert str(caught.value).endswith('Nothing was sent.')
    assert not mock.calls


@pytest.mark.parametrize('option', ['projects', 'environments'])
def test_an_empty_name_is_refused_before_any_request(tmp_path, mock, option):
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, mock, **{option: ['Demo', ' ']})
    assert str(caught.value) == 'Option %s has an empty entry. Nothing was sent.' % option
    assert not mock.calls


# ---- secrets: one scrubber for every message and warning ---------------------------------------

def test_a_401_that_echoes_the_token_never_shows_it(tmp_path, mock):
    body = {'error': 'invalid_token', 'error_description': 'Token %s is not valid (%s)' % (TOKEN, json.dumps({'t': TOKEN}))}
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, mock, answers=answering('/apiops/projects/Demo/apiProxies/', 401, body), projects=['Demo'])
    assert 'failed (HTTP 401): Token ******** is not valid' in str(caught.value)
    assert TOKEN not in chain_text(caught.value)


def test_a_skip_warning_that_would_show_the_token_masks_it(tmp_path, mock, warnings):
    answers = with_project_nope(NOPE_LIST, 403, {'error': 'access_denied', 'error_description': 'No access for ' + TOKEN})
    parse(tmp_path, mock, answers=answers, projects=['Demo', 'Nope'], on_project_error='skip')
    assert len(warnings) == 1 and 'No access for ********' in warnings[0] and TOKEN not in warnings[0]


def test_a_token_a_server_puts_into_a_proxy_reaches_no_host_var_and_no_cache(tmp_path, mock):
    answers = copy.deepcopy(SEED)
    answers['/apiops/projects/Demo/apiProxies/orders-api/']['body']['resultList'][0]['description'] = 'leaked ' + TOKEN
    answers['/apiops/projects/Demo/apiProxies/']['body']['resultList'][0]['relativePath'] = '/' + TOKEN
    inventory, dummy, dummy2 = parse(tmp_path, mock, answers=answers, projects=['Demo'], use_cache=True, **cached(tmp_path))
    assert hostvars(inventory, 'Demo/orders-api')['apinizer_description'] == 'leaked ********'
    for host in inventory.hosts:
        assert TOKEN not in json.dumps(hostvars(inventory, host), default=str)
    assert_no_token_in(tmp_path / 'cache')


def test_an_error_of_ansible_that_would_show_the_token_is_scrubbed(tmp_path, mock):
    with pytest.raises(AnsibleError) as caught:
        parse(tmp_path, mock, projects=['Demo'], strict=True, compose={'x': "{}['%s']" % TOKEN})
    assert 'Could not set x for host Demo/customer api' in str(caught.value)
    assert "has no attribute '********'" in str(caught.value)
    assert TOKEN not in chain_text(caught.value)


def test_url_user_info_is_refused_and_never_shown(tmp_path, mock):
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, mock, url='https://ops:hunter2-pass@apinizer.test')
    assert 'must not carry a user name or password' in str(caught.value)
    assert 'hunter2-pass' not in chain_text(caught.value)
    assert not mock.calls


# ---- connection options: total_timeout, retries, warn_on_http ----------------------------------

def test_a_plain_http_url_warns_once_per_parse(tmp_path, mock, warnings, monkeypatch):
    monkeypatch.delenv('APINIZER_WARN_ON_HTTP', raising=False)
    parse(tmp_path, mock, url='http://apinizer.test', workers=4)
    assert len(warnings) == 1
    assert warnings[0].startswith('Option url (or APINIZER_URL) uses http://, so the token')
    parse(tmp_path, mock, url='http://apinizer.test', workers=4)
    assert len(warnings) == 2  # the next parse warns again


@pytest.mark.parametrize('how', ['option', 'env'])
def test_warn_on_http_false_silences_the_warning(tmp_path, mock, warnings, monkeypatch, how):
    monkeypatch.delenv('APINIZER_WARN_ON_HTTP', raising=False)
    if how == 'env':
        monkeypatch.setenv('APINIZER_WARN_ON_HTTP', 'false')
        parse(tmp_path, mock, url='http://apinizer.test')
    else:
        parse(tmp_path, mock, url='http://apinizer.test', warn_on_http=False)
    assert warnings == []


def test_retries_bound_the_resent_reads(tmp_path, mock, monkeypatch):
    answers = answering('/apiops/projects/Demo/apiProxies/', 503, {'error': 'unavailable', 'error_description': 'busy'})
    with pytest.raises(AnsibleParserError) as caught:
        dummy, api, dummy2 = parse(tmp_path, mock, answers=answers, projects=['Demo'], retries=0)
    assert 'failed (HTTP 503): busy' in str(caught.value)
    assert len(mock.calls) == 1
    mock.calls.reset()
    monkeypatch.setenv('APINIZER_RETRIES', '1')
    monkeypatch.setattr('ansible_collections.apinizer.apiops.plugins.module_utils._client.BACKOFF_SECONDS', 0.01)
    with pytest.raises(AnsibleParserError):
        parse(tmp_path, mock, answers=answers, projects=['Demo'])
    assert len(mock.calls) == 2


def test_every_worker_shares_one_total_timeout(tmp_path, mock, monkeypatch):
    from ansible_collections.apinizer.apiops.plugins.module_utils._client import ApinizerClient
    made = []
    original = ApinizerClient.from_params.__func__

    def recording(cls, *args, **kwargs):
        client = original(cls, *args, **kwargs)
        made.append(client)
        return client
    monkeypatch.setattr(ApinizerClient, 'from_params', classmethod(recording))
    monkeypatch.setenv('APINIZER_TOTAL_TIMEOUT', '120')
    parse(tmp_path, mock, workers=4)
    assert len(made) > 1
    assert len({client.deadline for client in made}) == 1
    assert all(client.total_timeout == 120 for client in made)


def test_a_total_timeout_that_ran_out_fails_the_inventory_naming_the_option(tmp_path, mock, monkeypatch):
    from ansible_collections.apinizer.apiops.plugins.module_utils import _client
    clock = [1000.0]
    monkeypatch.setattr(_client.time, 'monotonic', lambda: clock[0])
    original = Api._answer

    def slow(self, request):
        clock[0] += 40  # every answer takes 40 s of the 60
        return original(self, request)
    monkeypatch.setattr(Api, '_answer', slow)
    with pytest.raises(AnsibleParserError) as caught:
        parse(tmp_path, mock, projects=['Demo'], total_timeout=60, workers=1)
    assert 'the task ran out of time (option total_timeout or APINIZER_TOTAL_TIMEOUT: 60 seconds' in str(caught.value)


@pytest.mark.parametrize('options, message', [
    (dict(total_timeout=0), 'Option total_timeout (or APINIZER_TOTAL_TIMEOUT) must be a positive number of seconds, got 0.'),
    (dict(retries=-1), 'Option retries (or APINIZER_RETRIES) must be 0 or more, got -1.'),
    (dict(timeout=0), 'Option timeout (or APINIZER_TIMEOUT) must be a positive number of seconds, got 0.'),
    (dict(token='two words'), 'Option token (or APINIZER_TOKEN) holds a character that cannot be sent in an HTTP header'),
    (dict(on_project_error='ignore'), 'on_project_error'),
])
def test_connection_options_the_client_refuses_fail_before_any_request(tmp_path, mock, options, message):
    with pytest.raises(AnsibleError) as caught:
        parse(tmp_path, mock, **options)
    assert message in str(caught.value)
    assert not mock.calls


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


def assert_no_token_in(directory):
    for name in os.listdir(str(directory)):
        assert TOKEN not in name
        with open(str(directory / name)) as handle:
            assert TOKEN not in handle.read()


def mode(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


def test_the_cache_file_is_its_owners_alone_and_so_is_a_directory_the_plugin_creates(tmp_path, mock):
    umask = os.umask(0o022)
    try:
        parse(tmp_path, mock, use_cache=True, **cached(tmp_path))
        assert os.umask(0o022) == 0o022  # the process umask is as it was
    finally:
        os.umask(umask)
    files = os.listdir(str(tmp_path / 'cache'))
    assert len(files) == 1
    assert mode(tmp_path / 'cache') == 0o700
    assert mode(tmp_path / 'cache' / files[0]) == 0o600
    assert_no_token_in(tmp_path / 'cache')


def test_a_world_readable_cache_file_is_tightened_when_it_is_read(tmp_path, mock):
    (tmp_path / 'cache').mkdir()
    os.chmod(str(tmp_path / 'cache'), 0o755)
    parse(tmp_path, mock, use_cache=True, **cached(tmp_path))
    path = tmp_path / 'cache' / os.listdir(str(tmp_path / 'cache'))[0]
    assert mode(tmp_path / 'cache') == 0o755  # a directory the user made is left as it is
    os.chmod(str(path), 0o644)  # as ansible-core's jsonfile writes it, and as earlier releases left it
    mock.calls.reset()
    dummy, api, dummy2 = parse(tmp_path, mock, use_cache=True, **cached(tmp_path))
    assert api.paths == []  # served from the cache, nothing written
    assert mode(path) == 0o600


def test_set_cache_plugin_writes_owner_only_too(tmp_path, mock):
    dummy, dummy2, plugin = parse(tmp_path, mock, use_cache=True, **cached(tmp_path))
    path = tmp_path / 'cache' / os.listdir(str(tmp_path / 'cache'))[0]
    os.chmod(str(path), 0o644)
    plugin.set_cache_plugin()
    assert mode(path) == 0o600


def test_without_cache_updating_the_cache_does_nothing(tmp_path, mock):
    dummy, dummy2, plugin = parse(tmp_path, mock)
    plugin.update_cache_if_changed()


def test_a_partial_read_under_skip_is_not_cached(tmp_path, mock, warnings):
    answers = with_project_nope(NOPE_LIST, 403, {'error': 'access_denied', 'error_description': 'Access is denied'})
    inventory, dummy, dummy2 = parse(tmp_path, mock, answers=answers, projects=['Demo', 'Nope'], on_project_error='skip',
                                     use_cache=True, **cached(tmp_path))
    assert len(inventory.hosts) == 7
    assert os.listdir(str(tmp_path / 'cache')) == []
    assert warnings[0].startswith("Project 'Nope' is left out of the inventory (on_project_error=skip); the inventory cache "
                                  "is not updated: ")


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


@pytest.mark.parametrize('listed, detail, kind', [
    ({'name': 'a', 'type': 'rest'}, {'type': 'soap', 'apiType': 'grpc'}, 'SOAP'),
    ({'name': 'a', 'type': 'rest'}, {'apiType': 'grpc'}, 'GRPC'),
    ({'name': 'a', 'apiType': 'websocket'}, {'description': 'no type'}, 'WEBSOCKET'),
    ({'name': 'a', 'type': '', 'apiType': 'rest'}, {'type': ''}, 'REST'),
    ({'name': 'a'}, {}, None),
])
def test_proxy_facts_take_the_type_from_the_read_then_from_the_list_entry(listed, detail, kind):
    assert proxy_facts('Demo', listed, detail)['type'] == kind


# ---- route health --------------------------------------------------------------------------

def route_health(active, responded=2, inconsistent=False):
    return dict(status=200, body={'status': 'SUCCESS', 'resultCount': 1, 'resultList': [{
        'routeActive': active == responded and responded > 0, 'podsResponded': responded, 'podsActive': active,
        'inconsistent': inconsistent, 'pods': [{'routeActive': index < active, 'workerPodIp': '10.0.0.%d' % index}
                                               for index in range(responded)]}]})


def test_route_health_groups_inconsistent_routes_and_orphans(tmp_path, mock):
    answers = copy.deepcopy(SEED)
    base = '/apiops/projects/Demo/apiProxies/%s/environments/%s/route-health/'
    for path in [p for p in answers if p.endswith('/deploy-status/')] + [
            '/apiops/projects/Demo/apiProxies/%s/environments/%s/deploy-status/' % (quote(name), env)
            for name in DEMO for env in ('production', 'test', 'staging')]:
        answers.setdefault(path.replace('/deploy-status/', '/route-health/'), route_health(0))
    # orders-api is deployed in production, but one of its two pods lacks the route
    answers[base % ('orders-api', 'production')] = route_health(1, inconsistent=True)
    # the other deploys (production: live-feed, payments-api; test: payments-api) are served by both pods
    for name, env in (('live-feed', 'production'), ('payments-api', 'production'), ('payments-api', 'test')):
        answers[base % (name, env)] = route_health(2)
    # customer api is not deployed in test, but a pod still serves it
    answers[base % ('customer%20api', 'test')] = route_health(1)
    inventory, api, dummy = parse(tmp_path, mock, answers=answers, projects=['Demo'], route_health=True)
    assert members(inventory, 'route_inconsistent_production') == ['Demo/orders-api']
    assert members(inventory, 'orphan_test') == ['Demo/customer api']
    assert 'orphan_production' not in inventory.groups
    assert hostvars(inventory, 'Demo/payments-api')['apinizer_route_health']['production']['problems'] == []
    assert hostvars(inventory, 'Demo/orders-api')['apinizer_route_health']['production']['pods_active'] == 1
    assert len([path for path in api.paths if path.endswith('/route-health/')]) == len(DEMO) * 3


def test_without_route_health_nothing_is_probed(tmp_path, mock):
    inventory, api, dummy = parse(tmp_path, mock, projects=['Demo'])
    assert not [path for path in api.paths if path.endswith('/route-health/')]
    assert not [name for name in inventory.groups if name.startswith(('orphan_', 'route_inconsistent_'))]
