# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.apinizer.apiops.plugins.module_utils._client import ApinizerError
from ansible_collections.apinizer.apiops.plugins.module_utils._deploy import (
    Deployments,
    deployment_results,
    raise_on_failed,
)


class StatusClient:
    """Answers deploy-status reads from a table {env: (deployed, redeployRequired)}."""

    def __init__(self, table):
        self.table, self.calls = table, []

    def get(self, path, params=None):
        self.calls.append(path)
        env = path.split('/')[-3]
        deployed, redeploy = self.table[env]
        return {'status': 'SUCCESS', 'resultList': [{'deployed': deployed, 'redeployRequired': redeploy}]}


def reported(*entries):
    return [{'environmentName': env, 'deployed': deployed, 'redeployRequired': redeploy}
            for env, deployed, redeploy in entries]


def test_redeploy_plan_after_a_change_targets_only_deployed_environments():
    deployments = Deployments(StatusClient({}), 'Demo', 'a', reported(('prod', True, False), ('test', False, False)))
    assert deployments.redeploy_plan(['prod', 'test', 'prod'], changed=True) == (['prod'], ['test'])


def test_redeploy_plan_without_a_change_targets_only_redeploy_required():
    deployments = Deployments(StatusClient({}), 'Demo', 'a', reported(('prod', True, True), ('test', True, False)))
    assert deployments.redeploy_plan(['prod', 'test'], changed=False) == (['prod'], [])


def test_an_environment_the_proxy_read_does_not_list_is_asked_with_deploy_status():
    client = StatusClient({'staging': (True, True)})
    deployments = Deployments(client, 'Demo', 'a', reported(('prod', True, False)))
    assert deployments.redeploy_plan(['prod', 'staging'], changed=False) == (['staging'], [])
    assert client.calls == ['/apiops/projects/Demo/apiProxies/a/environments/staging/deploy-status/']


def test_failed_deploys_fail_naming_each_environment_and_what_was_saved():
    with pytest.raises(ApinizerError) as caught:
        raise_on_failed([{'environment': 'prod', 'success': False, 'message': 'pods down'},
                         {'environment': 'test', 'success': True, 'message': ''},
                         {'environment': 'dev', 'success': None, 'message': 'left alone'}],
                        "API proxy 'a'", 'maintenance mode settings')
    assert caught.value.msg == ("Deploying API proxy 'a' failed for environment 'prod': pods down. The maintenance "
                                "mode settings themselves were saved. Re-run the task to retry the deploy.")
    raise_on_failed([{'environment': 'prod', 'success': True, 'message': ''}], 'x', None)


def test_deployment_result_shape_a():
    result = {'success': False, 'deploymentResults': [
        {'environmentName': 'production', 'success': True, 'message': 'Deployment successful'},
        {'environmentName': 'staging', 'success': False, 'message': 'Gateway pods unreachable'}]}
    assert deployment_results(result, ['production', 'staging']) == [
        {'environment': 'production', 'success': True, 'message': 'Deployment successful'},
        {'environment': 'staging', 'success': False, 'message': 'Gateway pods unreachable'}]


def test_deployment_result_shape_b_applies_to_every_environment():
    assert deployment_results({'success': True}, ['production', 'test']) == [
        {'environment': 'production', 'success': True, 'message': ''},
        {'environment': 'test', 'success': True, 'message': ''}]
    assert deployment_results({'success': False}, ['production'])[0]['success'] is False


def test_deployment_result_shape_c_with_and_without_detail_list():
    nested = {'success': True, 'responseTime': 1500, 'detailList': [
        {'envName': 'production', 'success': True, 'detail': 'Deployed successfully', 'responseTime': 450}]}
    assert deployment_results(nested, ['production']) == [
        {'environment': 'production', 'success': True, 'message': 'Deployed successfully'}]
    flat = {'envName': 'production', 'podName': '', 'success': False, 'detail': 'timeout', 'detailList': []}
    assert deployment_results(flat, ['production']) == [
        {'environment': 'production', 'success': False, 'message': 'timeout'}]


def test_missing_deployment_result_is_reported_not_invented():
    assert deployment_results(None, ['production']) == [
        {'environment': 'production', 'success': True, 'message': 'Deploy requested; Apinizer returned no result'}]
