# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""What the inventory plugin apinizer.apiops.apinizer makes of Apinizer's answers, apart from the plugin glue.

Host variables and default group names of a proxy, and the inventory cache file's mode. The
items of a list answer are read strictly, by _envelope.result_list.
"""

from __future__ import annotations

import os
import re
import stat
from contextlib import contextmanager

from ansible.module_utils.common.text.converters import to_native

from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_state import proxy_type

# The prefixes of the default groups, in the order --graph lists them.
GROUP_KINDS = ('project_', 'type_', 'category_', 'deployed_', 'redeploy_required_', 'route_inconsistent_', 'orphan_')
# What reading a server's answer of an unexpected shape raises: a hostile or broken server must
# fail the project with a message, never with a traceback.
UNUSABLE_ANSWER = (AttributeError, IndexError, KeyError, TypeError, ValueError)
PRIVATE_FILE_MODE = 0o600


@contextmanager
def private_umask():
    """Files and directories created inside are their owner's alone."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def chain_text(exc):
    """The messages of an exception and of those it was raised from or while handling, as a traceback shows them."""
    texts, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        texts.append(to_native(exc))
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__) or getattr(exc, 'orig_exc', None)
    return '\n'.join(texts)


def make_cache_file_private(path):
    """Give ``path`` mode 0600 if it exists; a message when that failed, else None.

    ansible-core's file cache plugins (jsonfile, and the others built on BaseFileCacheModule)
    chmod every file they write to 0644, whatever the umask; an existing file written before may
    be world-readable too.
    """
    try:
        if stat.S_IMODE(os.stat(path).st_mode) != PRIVATE_FILE_MODE:
            os.chmod(path, PRIVATE_FILE_MODE)
    except FileNotFoundError:
        pass
    except OSError as exc:
        return 'The inventory cache file %s could not be made readable by its owner only: %s' % (path, exc)
    return None


def group_slug(name):
    """Lower case; every run of characters other than [a-z0-9_] becomes one '_'."""
    return re.sub(r'[^a-z0-9_]+', '_', to_native(name).lower()).strip('_')


def default_group_names(facts):
    """project_<p>, type_<t>, category_<c>..., deployed_<env>..., redeploy_required_<env>... of one proxy."""
    names = ['project_' + group_slug(facts['project'])]
    if facts.get('type'):
        names.append('type_' + group_slug(facts['type']))
    names.extend('category_' + group_slug(category) for category in facts['categories'])
    names.extend('deployed_' + group_slug(env) for env in facts['deployed_environments'])
    names.extend('redeploy_required_' + group_slug(env) for env in facts['redeploy_required_environments'])
    names.extend('route_inconsistent_' + group_slug(env) for env in facts.get('route_inconsistent_environments', ()))
    names.extend('orphan_' + group_slug(env) for env in facts.get('orphan_environments', ()))
    return [name for name in names if not name.endswith('_')]


def _text_list(value):
    return [to_native(item) for item in value] if isinstance(value, list) else []


def proxy_facts(project, listed, detail):
    """The host variables of one proxy (without prefix) from its list entry and GET answer."""
    detail = detail or {}
    client_route = detail.get('clientRoute') if isinstance(detail.get('clientRoute'), dict) else {}
    relative_paths = _text_list(client_route.get('relativePathList'))
    relative_path = listed.get('relativePath') or (relative_paths[0] if relative_paths else None)
    description = detail.get('description') if 'description' in detail else listed.get('description')
    facts = dict(
        project=project,
        name=listed['name'],
        type=proxy_type(detail) or proxy_type(listed),
        description=description,
        relative_path=relative_path,
        soap_to_rest=listed.get('soapToRest'),
        categories=_text_list(detail.get('categoryList', listed.get('categoryList'))),
    )
    if detail.get('sharingType') is not None:
        facts['sharing_type'] = detail['sharingType']
    if 'relativePathList' in client_route:
        facts['relative_paths'] = relative_paths
    if 'hostList' in client_route:
        facts['client_hosts'] = _text_list(client_route.get('hostList'))
    routing = detail.get('routing') if isinstance(detail.get('routing'), dict) else {}
    if isinstance(routing.get('routingAddressList'), list):
        facts['backend_addresses'] = [item.get('address') for item in routing['routingAddressList']
                                      if isinstance(item, dict) and item.get('address')]
    if isinstance(detail.get('endpointList'), list):
        facts['endpoints'] = [dict(method=item.get('httpMethod'), path=item.get('endpoint'), active=item.get('active'))
                              for item in detail['endpointList'] if isinstance(item, dict)]
    maintenance = detail.get('maintenanceModeSetting')
    if isinstance(maintenance, dict) and 'enabled' in maintenance:
        facts['maintenance_mode'] = bool(maintenance['enabled'])
    return facts
