# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:

    # What every module supports; the meanings follow ansible-core's attribute conventions.
    DOCUMENTATION = r"""
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
    support: full
  idempotent:
    description:
      - When run twice in a row outside check mode, with the same arguments, the second invocation
        indicates no change.
      - This assumes that the system controlled or queried by the module has not changed in a relevant way.
    support: full
"""

    # Membership of the module_defaults action group declared in meta/runtime.yml.
    ACTIONGROUP_APINIZER = r"""
attributes:
  action_group:
    description: Use C(group/apinizer.apiops.apinizer) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - apinizer.apiops.apinizer
"""
