# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:

    # The deploy step shared by the four API proxy settings modules.
    DOCUMENTATION = r"""
options:
  deploy:
    description:
      - Redeploy the API proxy, after the task changed its settings, to every environment in
        O(deploy_environments) where it is deployed now.
      - Also redeploys, without a settings change, to each listed environment where the proxy is
        deployed and reports C(redeployRequired), so a run after a failed deploy converges.
      - A listed environment where the proxy is not deployed is left alone, reported in
        RV(deployments) with C(skipped=true) and named in a warning (or the task fails, with
        O(deploy_fail_on_skipped=true)); deploying a proxy somewhere new is the job of
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
  deploy_fail_on_skipped:
    description:
      - With O(deploy=true), fail the task, before anything is written, when a listed environment is one
        where the API proxy is not deployed (instead of leaving it alone with a warning).
    type: bool
    default: false
"""
