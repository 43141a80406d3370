# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:

    # The project option of every module (one argument spec: module_utils/_options.py).
    DOCUMENTATION = r"""
options:
  project:
    description:
      - Name of the Apinizer project (case-sensitive) that holds what the module manages or reads.
      - If not set, the value of the E(APINIZER_PROJECT) environment variable is used. One of the two is required;
        without either the task fails before any request, naming both.
    type: str
    aliases: [project_name]
"""

    # The API proxy a module manages (the four settings modules and apinizer_proxy_deploy).
    API_PROXY = r"""
options:
  api_proxy:
    description:
      - Name of the API proxy (case-sensitive). Names with spaces, slashes or non-ASCII
        characters are encoded for you; V(.) and V(..) are refused, since URL normalisation
        would turn them into another path.
    type: str
    required: true
    aliases: [api_proxy_name]
"""
