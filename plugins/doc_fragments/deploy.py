# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment(object):

    # Project/proxy identity and the deploy step shared by the four API proxy settings modules.
    DOCUMENTATION = r"""
options:
  project:
    description:
      - Name of the Apinizer project that holds the API proxy (case-sensitive).
      - If not set, the value of the E(APINIZER_PROJECT) environment variable is used.
    type: str
    required: true
    aliases: [project_name]
  api_proxy:
    description:
      - Name of the API proxy (case-sensitive). Names with spaces, slashes or non-ASCII
        characters are encoded for you.
    type: str
    required: true
    aliases: [api_proxy_name]
  deploy:
    description:
      - Redeploy the API proxy, after the task changed its settings, to every environment in
        O(deploy_environments) where it is deployed now.
      - Also redeploys, without a settings change, to each listed environment where the proxy is
        deployed and reports C(redeployRequired), so a run after a failed deploy converges.
      - A listed environment where the proxy is not deployed is left alone and reported in
        RV(deployments) with C(skipped=true); deploying a proxy somewhere new is the job of
        M(apinizer.apiops.apinizer_proxy_deploy).
      - A failed deploy fails the task; the settings themselves stay saved.
    type: bool
    default: false
  deploy_environments:
    description:
      - Names of the environments to deploy to. Required when O(deploy=true).
      - An environment the project does not know fails the task before anything is written.
    type: list
    elements: str
"""
