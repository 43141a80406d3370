# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Runs the module apinizer_proxy_rollback inside Ansible's worker on the controller (plugins/plugin_utils/_direct.py)."""

from __future__ import annotations

from ansible_collections.apinizer.apiops.plugins.plugin_utils._direct import DirectAction


class ActionModule(DirectAction):
    """Direct execution of apinizer_proxy_rollback where the task runs on the controller; the module path elsewhere."""
