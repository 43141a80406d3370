# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""Every module of the collection by name: the entries the action plugins run in the worker.

A module file imports only its own entry (so its AnsiballZ payload holds only what it needs);
this table is for the controller side, which runs any of them.
"""

from __future__ import annotations

from ansible_collections.apinizer.apiops.plugins.module_utils._connection import CONNECTION, CONNECTION_INFO
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_deploy import PROXY_DEPLOY
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_info import PROXY_INFO
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_modules import (
    MAINTENANCE_MODE,
    METADATA,
    PROXY_CONNECTION,
    WEBSOCKET,
)
from ansible_collections.apinizer.apiops.plugins.module_utils._proxy_rollback import PROXY_ROLLBACK

ENTRIES = {entry.name: entry for entry in (
    CONNECTION, CONNECTION_INFO, MAINTENANCE_MODE, METADATA, PROXY_CONNECTION, PROXY_DEPLOY, PROXY_INFO, PROXY_ROLLBACK,
    WEBSOCKET)}
