# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bad input to the API proxy modules: a clear error before any request (docs/reliability.md, "Bad input").

Every case runs the module against a mock that knows no URL, and asserts that the task failed
with the expected words and that not one HTTP request was sent.
"""

from __future__ import annotations

import pytest

from ansible_collections.apinizer.apiops.plugins.modules import (
    apinizer_maintenance_mode,
    apinizer_proxy_connection,
    apinizer_proxy_deploy,
    apinizer_proxy_info,
    apinizer_proxy_metadata,
    apinizer_proxy_websocket,
)

PROXY = dict(project='Demo', api_proxy='orders-api')

CASES = [
    # connection options
    ('url without scheme', apinizer_maintenance_mode, dict(PROXY, url='apinizer.example.com', enabled=True),
     'must be an http:// or https:// URL'),
    ('timeout zero', apinizer_maintenance_mode, dict(PROXY, timeout=0, enabled=True),
     'Option timeout (or APINIZER_TIMEOUT) must be a positive number of seconds'),
    ('timeout negative', apinizer_proxy_connection, dict(PROXY, timeout=-3, read_timeout=5),
     'Option timeout (or APINIZER_TIMEOUT) must be a positive number of seconds'),
    ('timeout not a number', apinizer_proxy_metadata, dict(PROXY, timeout='soon', description='x'), 'timeout'),
    ('validate_certs not a boolean', apinizer_maintenance_mode, dict(PROXY, validate_certs='perhaps', enabled=True),
     'validate_certs'),
    ('url missing', apinizer_maintenance_mode, dict(PROXY, url=None, enabled=True), 'APINIZER_URL'),
    ('token missing', apinizer_maintenance_mode, dict(PROXY, token=None, enabled=True), 'APINIZER_TOKEN'),
    ('unknown option', apinizer_maintenance_mode, dict(PROXY, enable=True), 'Unsupported parameters'),
    # identity
    ('project empty', apinizer_maintenance_mode, dict(PROXY, project='', enabled=True), 'project must not be empty'),
    ('project blank', apinizer_proxy_connection, dict(PROXY, project='  ', read_timeout=5), 'project must not be empty'),
    ('api_proxy empty', apinizer_proxy_websocket, dict(PROXY, api_proxy='', auto_reconnect=True),
     'api_proxy must not be empty'),
    ('project missing', apinizer_proxy_metadata, dict(api_proxy='orders-api', description='x'),
     'Set the option project or the environment variable APINIZER_PROJECT'),
    ('api_proxy missing', apinizer_proxy_metadata, dict(project='Demo', description='x'), 'api_proxy'),
    # deploy options
    ('deploy without environments', apinizer_maintenance_mode, dict(PROXY, enabled=True, deploy=True),
     'deploy_environments'),
    ('deploy to no environment', apinizer_proxy_connection, dict(PROXY, read_timeout=5, deploy=True, deploy_environments=[]),
     'deploy_environments must name at least one environment'),
    ('deploy to an empty environment name', apinizer_maintenance_mode,
     dict(PROXY, enabled=True, deploy=True, deploy_environments=['production', ' ']),
     'deploy_environments must not contain an empty name'),
    ('deploy not a boolean', apinizer_proxy_metadata, dict(PROXY, description='x', deploy='sometimes'), 'deploy'),
    # maintenance mode
    ('status code below 100', apinizer_maintenance_mode, dict(PROXY, http_status_code=99), 'from 100 to 599'),
    ('status code above 599', apinizer_maintenance_mode, dict(PROXY, http_status_code=600), 'from 100 to 599'),
    ('status code not a number', apinizer_maintenance_mode, dict(PROXY, http_status_code='busy'), 'http_status_code'),
    ('enabled not a boolean', apinizer_maintenance_mode, dict(PROXY, enabled='maybe'), 'enabled'),
    # metadata
    ('new name empty', apinizer_proxy_metadata, dict(PROXY, new_name=''), 'new_name must not be empty'),
    ('sharing type outside the choices', apinizer_proxy_metadata, dict(PROXY, sharing_type='PUBLIC'), 'sharing_type'),
    ('request body behaviour outside the choices', apinizer_proxy_metadata,
     dict(PROXY, request_body_read_behavior='SOMETIMES'), 'request_body_read_behavior'),
    ('response body behaviour outside the choices', apinizer_proxy_metadata,
     dict(PROXY, response_body_read_behavior='read'), 'response_body_read_behavior'),
    ('direction outside the choices', apinizer_proxy_metadata, dict(PROXY, direction='BOTH_WAYS'), 'direction'),
    ('empty category name', apinizer_proxy_metadata, dict(PROXY, categories=['Payments', '']),
     'must not contain an empty name'),
    ('port type flag not a boolean', apinizer_proxy_metadata, dict(PROXY, fix_soap_api_port_type='yes please'),
     'fix_soap_api_port_type'),
    # backend connection settings
    ('negative connect timeout', apinizer_proxy_connection, dict(PROXY, connect_timeout=-1),
     'connect_timeout must be 0 or more, got -1'),
    ('negative read timeout', apinizer_proxy_connection, dict(PROXY, read_timeout=-5), 'read_timeout must be 0 or more'),
    ('negative connection request timeout', apinizer_proxy_connection, dict(PROXY, connection_request_timeout=-1),
     'connection_request_timeout must be 0 or more'),
    ('negative max redirects', apinizer_proxy_connection, dict(PROXY, max_redirects=-2), 'max_redirects must be 0 or more'),
    ('negative retry count', apinizer_proxy_connection, dict(PROXY, retry_count=-1), 'retry_count must be 0 or more'),
    ('negative failover retry count', apinizer_proxy_connection, dict(PROXY, failover_retry_count=-1),
     'failover_retry_count must be 0 or more'),
    ('pool of its own with no size', apinizer_proxy_connection, dict(PROXY, connection_pool_management_type='CUSTOM'),
     'custom_connection_pool_size'),
    ('pool of its own with zero connections', apinizer_proxy_connection,
     dict(PROXY, connection_pool_management_type='CUSTOM', custom_connection_pool_size=0),
     'custom_connection_pool_size must be 1 or more, got 0'),
    ('negative pool size', apinizer_proxy_connection, dict(PROXY, custom_connection_pool_size=-4),
     'custom_connection_pool_size must be 1 or more'),
    ('pool type outside the choices', apinizer_proxy_connection, dict(PROXY, connection_pool_management_type='SHARED'),
     'connection_pool_management_type'),
    ('negative validate-after-inactivity', apinizer_proxy_connection, dict(PROXY, validate_after_inactivity=-1),
     'validate_after_inactivity must be 0 or more'),
    ('negative idle connection timeout', apinizer_proxy_connection, dict(PROXY, idle_connection_timeout=-30),
     'idle_connection_timeout must be 0 or more'),
    ('query encoding outside the choices', apinizer_proxy_connection, dict(PROXY, query_encoding_mode='RFC1738'),
     'query_encoding_mode'),
    ('empty hop-by-hop header name', apinizer_proxy_connection, dict(PROXY, hop_by_hop_headers=['Connection', '']),
     'hop_by_hop_headers must not contain an empty name'),
    ('several problems at once', apinizer_proxy_connection, dict(PROXY, connect_timeout=-1, read_timeout=-1),
     'connect_timeout must be 0 or more, got -1. read_timeout must be 0 or more, got -1.'),
    # websocket settings
    ('negative connection lost timeout', apinizer_proxy_websocket, dict(PROXY, connection_lost_timeout=-1),
     'connection_lost_timeout must be 0 or more'),
    ('negative websocket connect timeout', apinizer_proxy_websocket, dict(PROXY, connect_timeout=-1),
     'connect_timeout must be 0 or more'),
    ('negative max retries', apinizer_proxy_websocket, dict(PROXY, max_retries=-1), 'max_retries must be 0 or more'),
    ('negative retry delay', apinizer_proxy_websocket, dict(PROXY, retry_delay=-100), 'retry_delay must be 0 or more'),
    ('negative reconnect retries', apinizer_proxy_websocket, dict(PROXY, auto_reconnect_max_retries=-1),
     'auto_reconnect_max_retries must be 0 or more'),
    ('negative reconnect delay', apinizer_proxy_websocket, dict(PROXY, auto_reconnect_retry_delay=-1),
     'auto_reconnect_retry_delay must be 0 or more'),
    ('request format outside the choices', apinizer_proxy_websocket, dict(PROXY, request_format='nested', max_retries=1),
     'request_format'),
    # deploy module
    ('deploy to no environment (deploy module)', apinizer_proxy_deploy, dict(PROXY, environments=[]),
     'environments must name at least one environment'),
    ('deploy to an empty environment name (deploy module)', apinizer_proxy_deploy, dict(PROXY, environments=['']),
     'environments must not contain an empty name'),
    ('deploy state outside the choices', apinizer_proxy_deploy, dict(PROXY, environments=['production'], state='live'),
     'state'),
    ('force with an undeploy', apinizer_proxy_deploy,
     dict(PROXY, environments=['production'], state='undeployed', force=True), 'force applies only to state=deployed'),
    ('deploy without environments (deploy module)', apinizer_proxy_deploy, dict(PROXY), 'environments'),
    # info module
    ('proxy type outside the choices', apinizer_proxy_info, dict(project='Demo', type='GRAPHQL'), 'type'),
    # values argument validation would convert silently (issue 18): a bool is never an int, a mapping never a string
    ('max retries a boolean', apinizer_proxy_websocket, dict(PROXY, max_retries=True),
     'max_retries must be an integer, got a boolean (true)'),
    ('timeout a boolean', apinizer_maintenance_mode, dict(PROXY, timeout=True, enabled=True),
     'timeout must be an integer, got a boolean (true)'),
    ('status code a boolean', apinizer_maintenance_mode, dict(PROXY, http_status_code=False),
     'http_status_code must be an integer, got a boolean (false)'),
    ('content type a mapping', apinizer_maintenance_mode, dict(PROXY, content_type={'type': 'json'}),
     'content_type must be a string, got a mapping'),
    ('description a list', apinizer_proxy_metadata, dict(PROXY, description=['one', 'two']),
     'description must be a string, got a list'),
    ('category a mapping', apinizer_proxy_metadata, dict(PROXY, categories=['Payments', {'name': 'x'}]),
     'categories[1] must be a string, got a mapping'),
    ('project a mapping', apinizer_proxy_metadata, dict(PROXY, project={'name': 'Demo'}, description='x'),
     'project must be a string, got a mapping'),
    ('environment a mapping (deploy module)', apinizer_proxy_deploy, dict(PROXY, environments=[{'name': 'prod'}]),
     'environments[0] must be a string, got a mapping'),
    # connection options that would mislead the client
    ('ca_path that does not exist', apinizer_maintenance_mode,
     dict(PROXY, ca_path='/nonexistent/apinizer-ca.pem', enabled=True),
     'Option ca_path (or APINIZER_CA_PATH) names /nonexistent/apinizer-ca.pem, which is not a readable file'),
    ('url with a space', apinizer_maintenance_mode, dict(PROXY, url='https://apinizer .example.com', enabled=True),
     'must not contain spaces or control characters'),
    ('url with user info', apinizer_maintenance_mode,
     dict(PROXY, url='https://admin:url-Pa55@apinizer.example.com', enabled=True),
     'must not carry a user name or password (https://***@apinizer.example.com)'),
    ('url with a query', apinizer_proxy_info, dict(project='Demo', url='https://apinizer.example.com/?tenant=1'),
     'must not have a query or fragment'),
    ('token with a line break inside', apinizer_maintenance_mode, dict(PROXY, token='abc\ndef', enabled=True),
     'holds a character that cannot be sent in an HTTP header'),
    ('total timeout zero', apinizer_proxy_deploy, dict(PROXY, environments=['production'], total_timeout=0),
     'Option total_timeout (or APINIZER_TOTAL_TIMEOUT) must be a positive number of seconds'),
    ('retries negative', apinizer_proxy_info, dict(project='Demo', retries=-1),
     'Option retries (or APINIZER_RETRIES) must be 0 or more, got -1'),
    # names that URL normalisation would turn into another path
    ('api_proxy dot', apinizer_maintenance_mode, dict(PROXY, api_proxy='.', enabled=True), "api_proxy must not be '.'"),
    ('api_proxy dot dot (info)', apinizer_proxy_info, dict(project='Demo', api_proxy='..'), "api_proxy must not be '..'"),
    ('project dot dot', apinizer_proxy_deploy, dict(PROXY, project='..', environments=['production']),
     "project must not be '..'"),
    ('environment dot dot (deploy module)', apinizer_proxy_deploy, dict(PROXY, environments=['production', '..']),
     "environments must not be '..'"),
    ('deploy environment dot', apinizer_proxy_connection,
     dict(PROXY, read_timeout=5, deploy=True, deploy_environments=['.']), "deploy_environments must not be '.'"),
    ('new name dot dot', apinizer_proxy_metadata, dict(PROXY, new_name='..'), "new_name must not be '..'"),
    # one message for a missing project, whichever module
    ('project missing (info)', apinizer_proxy_info, dict(), 'Set the option project or the environment variable '
                                                            'APINIZER_PROJECT to the Apinizer project that holds'),
    ('project missing (deploy module)', apinizer_proxy_deploy, dict(api_proxy='orders-api', environments=['prod']),
     'Set the option project or the environment variable APINIZER_PROJECT to the Apinizer project that holds'),
    ('project missing (settings module)', apinizer_maintenance_mode, dict(api_proxy='orders-api', enabled=True),
     'Set the option project or the environment variable APINIZER_PROJECT to the Apinizer project that holds'),
]


@pytest.mark.parametrize('module, args, words', [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_bad_input_fails_before_any_request(mocked_api, run_module, monkeypatch, module, args, words):
    for variable in ('APINIZER_URL', 'APINIZER_TOKEN', 'APINIZER_PROJECT'):
        monkeypatch.delenv(variable, raising=False)
    result, failed = run_module(module, args)
    assert failed, result
    assert words in result['msg']
    assert len(mocked_api.calls) == 0
    assert result.get('changed') is not True
    assert 'url-Pa55' not in str(result) and 'abc\ndef' not in str(result)


def test_every_case_is_distinct():
    assert len({case[0] for case in CASES}) == len(CASES) >= 80
