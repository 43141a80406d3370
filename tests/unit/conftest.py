# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared fixtures: run a module's main() in-process with HTTP mocked by `responses`."""

from __future__ import annotations

import json
import re

import pytest
import responses
from responses import registries

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
        super().__init__(result)
        self.result = result
        self.failed = failed


class FakeAnsibleModule:
    """What the engine uses of AnsibleModule, for tests of an engine class without argument validation.

    exit_json and fail_json raise ModuleExit, as they do in ``run_module``.
    """

    def __init__(self, check_mode=False, diff=False, **params):
        self.params = dict(url=BASE_URL, token=TOKEN, validate_certs=True, ca_path=None, timeout=30)
        self.params.update(params)
        self.check_mode = check_mode
        self._diff = diff
        self.warnings = []
        self.no_log_values = set()
        self.argument_spec = {}

    def warn(self, text):
        self.warnings.append(text)

    def exit_json(self, **result):
        raise ModuleExit(result, failed=False)

    def fail_json(self, msg, **result):
        raise ModuleExit(dict(result, msg=msg), failed=True)


ROUTE_HEALTH = re.compile(r'/environments/[^/]+/route-health/$')
DEPLOY_PATH = re.compile(r'/apiProxies/[^/]+/environments/[^/]+/$')


def healthy_route(pods=2, active=None):
    """A route-health answer: ``active`` (default all) of ``pods`` gateway pods serve the route."""
    active = pods if active is None else active
    return {'status': 'SUCCESS', 'resultCount': 1, 'resultList': [{
        'routeActive': active == pods and pods > 0, 'servedPath': None, 'methods': [],
        'apinizerRootContext': '/apigateway', 'podsResponded': pods, 'podsActive': active,
        'deployedInManager': active > 0, 'inconsistent': False,
        'pods': [{'routeActive': index < active, 'servedPath': None, 'methods': [],
                  'workerPodIp': '10.0.0.%d' % (index + 1), 'apinizerRootContext': '/apigateway'}
                 for index in range(pods)]}]}


class GatewayPodsServeTheRoute(registries.FirstMatchRegistry):
    """The routes a test registers, and for a route-health read it does not register, pods that serve the route.

    Every deploy is verified on the gateway pods by default (verify: route): tests of other things
    meet Apinizer's healthy case without registering it; tests of verification register their own.
    """

    def __init__(self):
        super().__init__()
        self.undeployed = set()  # environment paths whose last deploy request was an undeploy

    def find(self, request):
        path = request.url.split('?')[0]
        if request.method in ('POST', 'DELETE') and DEPLOY_PATH.search(path):
            (self.undeployed.add if request.method == 'DELETE' else self.undeployed.discard)(path)
        found, reasons = super().find(request)
        if found is None and request.method == 'GET' and ROUTE_HEALTH.search(path):
            active = 0 if path[:-len('route-health/')] in self.undeployed else 2
            found = responses.Response('GET', request.url, json=healthy_route(2, active=active))
        return found, reasons


@pytest.fixture
def mocked_api():
    """A `responses` mock of the API; unexpected calls fail the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=False, registry=GatewayPodsServeTheRoute) as mock:
        yield mock


@pytest.fixture
def no_sleep(monkeypatch):
    """Make retry backoff instant; the list records every wait."""
    waits = []
    from ansible_collections.apinizer.apiops.plugins.module_utils import _client
    monkeypatch.setattr(_client.time, 'sleep', waits.append)
    return waits


@pytest.fixture
def run_module(monkeypatch, clear_warnings):  # pylint: disable=unused-argument,redefined-outer-name
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


# --- Helpers of the API proxy settings module tests --------------------------------------------
# (Appended: the export package, the documented GET answer, deploy answers.)

# What Apinizer answers (400, older docs 403) to an export by a token without API_MANAGEMENT + EXPORT_IMPORT.
EXPORT_REFUSED = 'User does not have required permission for this operation!'

# The only fields Apinizer's docs list in the GET API proxy answer.
DOCUMENTED_PROXY_FIELDS = ('name', 'description', 'apiType', 'categoryList', 'sharingType', 'clientRoute', 'routing',
                           'endpointList', 'deploymentList')


def deployment_list(*entries):
    """deploymentList entries from (environment, deployed, redeploy_required) tuples."""
    return [{'environmentName': env, 'deployed': deployed, 'redeployRequired': redeploy}
            for env, deployed, redeploy in entries]


def proxy_answer(definition):
    """A GET API proxy answer holding ``definition``."""
    return {'success': True, 'resultCount': 1, 'resultList': [definition]}


def documented_proxy(definition):
    """``definition`` (a full proxy view, `routing` or `routingInfo`) cut to the documented GET answer."""
    shown = {key: definition[key] for key in DOCUMENTED_PROXY_FIELDS if key in definition}
    routing = definition.get('routing', definition.get('routingInfo')) or {}
    shown['routing'] = {key: routing[key] for key in ('routingEnabled', 'routingAddressList') if key in routing}
    return proxy_answer(shown)


def export_package(definition, file_name=None):
    """An export package as Apinizer serves it: a ZIP holding {name}.json, the complete definition.

    A `routing` section is written under the name the export uses, `routingInfo`.
    """
    import io
    import re
    import zipfile

    full = {'routingInfo' if key == 'routing' else key: value for key, value in definition.items()}
    if file_name is None:
        file_name = re.sub(r'[^A-Za-z0-9._-]', '_', definition.get('name') or 'proxy') + '.json'
    data = io.BytesIO()
    with zipfile.ZipFile(data, 'w', zipfile.ZIP_DEFLATED) as package:
        package.writestr(file_name, json.dumps(full))
    return data.getvalue()


def mock_export(mock, proxy_url, definition):
    """Serve the export package of the proxy at ``proxy_url`` (ending in '/')."""
    mock.get(proxy_url + 'export/', body=export_package(definition), content_type='application/octet-stream',
             headers={'Content-Disposition': 'attachment; filename="export.zip"'})


def mock_export_refused(mock, proxy_url, status=400):
    """Refuse the export as Apinizer refuses a token without the EXPORT_IMPORT permission."""
    mock.get(proxy_url + 'export/', status=status, json={'status': 'FAILURE', 'resultMessage': EXPORT_REFUSED})


def deploy_answer(*environments, **kwargs):
    """A deploy answer (deploymentResult shape A) for ``environments``; ok=False makes them fail."""
    ok = kwargs.get('ok', True)
    message = kwargs.get('message') or ('Deployment successful' if ok else 'Gateway pods unreachable')
    return {'success': True, 'deploymentResult': {'success': ok, 'deploymentResults': [
        {'environmentName': env, 'success': ok, 'message': message} for env in environments]}}


def deploy_status(deployed=True, redeploy_required=False):
    """A GET .../environments/{env}/deploy-status/ answer."""
    return {'success': True, 'resultCount': 1,
            'resultList': [{'deployed': deployed, 'redeployRequired': redeploy_required}]}


def sent(mock):
    """(method, url) of every call the mock received, in order."""
    return [(call.request.method, call.request.url) for call in mock.calls]


def writes(mock):
    """The calls that were not GET: what the task wrote."""
    return [(method, url) for method, url in sent(mock) if method != 'GET']


@pytest.fixture
def clear_warnings(monkeypatch):
    """Module warnings of this test only, in the result as a module process would return them.

    ansible-core keeps them in a process-wide store, and once any controller code was imported in
    the test process (an inventory plugin test), module warnings go to the controller's display
    instead of the result unless is_controller is reset for the test.
    """
    from ansible.module_utils.common import warnings as module_warnings
    try:
        from ansible.module_utils import _internal
    except ImportError:  # ansible-core before 2.19
        _internal = None
    if getattr(_internal, 'is_controller', False):
        monkeypatch.setattr(_internal, 'is_controller', False)
    for name in ('_global_warnings', '_global_deprecations'):
        store = getattr(module_warnings, name, None)
        if store is not None:
            store.clear()
