# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:

    # How every module that deploys verifies its deploys (argument spec: module_utils/_verify.py).
    DOCUMENTATION = r"""
options:
  verify:
    description:
      - How a deploy (or undeploy) the task made is verified. C(deployed) in Apinizer's deploy state is the
        Manager's record only; the route may be missing on some gateway pods, or a pod may still serve an old
        snapshot.
      - V(route) polls C(GET .../environments/{environment}/route-health/) until every gateway pod that answers
        serves the route (after an undeploy, none does), the Manager and the pods agree (not C(inconsistent)), as
        many pods answered as O(verify_pods) says, and the pods serve the proxy's relative path and the methods
        of its endpoints (where the proxy read reports them); or until O(verify_timeout) runs out, which fails
        the task naming each pod that disagrees and what it serves.
      - V(manager) reads the deploy state once and requires it deployed and current (after an undeploy, not
        deployed).
      - V(none) trusts Apinizer's answer to the deploy.
      - Check mode never verifies (it deploys nothing).
    type: str
    choices: [route, manager, none]
    default: route
  verify_timeout:
    description:
      - Seconds to wait, per environment, for the gateway pods to serve the deploy (V(0) looks once). It also counts
        against O(total_timeout).
    type: int
    default: 120
  verify_interval:
    description:
      - Seconds between two route-health reads while the pods do not agree yet.
    type: float
    default: 2
  verify_pods:
    description:
      - The number of gateway pods that must answer the route-health probe, for every environment (a number) or
        per environment (a mapping of environment names to numbers). A pod that does not answer is not counted by
        Apinizer, so without this option a deploy that reached the pods that answered is verified.
    type: raw
  verify_without_pods:
    description:
      - What to do when no gateway pod answers the probe at all and O(verify_pods) is not set (an installation
        without the pods' management API configured, or every pod down).
      - V(manager) verifies against the Manager's record instead, with a warning; V(fail) fails the task.
    type: str
    choices: [manager, fail]
    default: manager
"""
