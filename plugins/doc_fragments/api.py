# -*- coding: utf-8 -*-
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment(object):

    # How every module reaches the Apinizer Management API.
    DOCUMENTATION = r"""
options:
  url:
    description:
      - Base URL of the Apinizer management application, for example V(https://apinizer.example.com).
      - The modules append C(/apiops/...) themselves; a trailing C(/apiops) is accepted and ignored.
      - If not set, the value of the E(APINIZER_URL) environment variable is used. One of the two is required.
    type: str
  token:
    description:
      - Personal API Access Token (Apinizer UI, My Profile, Personal API Access Tokens).
      - 'Sent as C(Authorization: Bearer <token>); never logged or returned.'
      - If not set, the value of the E(APINIZER_TOKEN) environment variable is used. One of the two is required.
    type: str
  validate_certs:
    description:
      - If V(false), TLS certificates are not validated. Use this only on hosts you control that use
        self-signed certificates; prefer O(ca_path).
      - If not set, the value of the E(APINIZER_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file with the CA certificates that sign the Apinizer server certificate (a private CA).
      - If not set, the value of the E(APINIZER_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP request to connect and to answer.
      - A positive number; zero or less is refused before any request.
      - Retries are decided per request. A read, or a settings write that neither deploys nor
        renames, is sent up to three more times, with backoff, after a timeout, a dropped
        connection or HTTP 502, 503 or 504. Any request is sent again after HTTP 429 (honouring
        C(Retry-After)) or when it provably never reached the server (connection refused, name
        resolution failed).
      - A request that deploys, renames, creates or deletes is never sent twice once it may
        have reached the server. When its answer is lost, the module reads the state back and
        reports whether it took effect.
      - If not set, the value of the E(APINIZER_TIMEOUT) environment variable is used.
    type: int
    default: 30
requirements:
  - requests
notes:
  - 'The modules talk to the API from the machine they run on; run them on the controller
    (C(delegate_to: localhost) or a play on C(localhost)).'
  - Use C(module_defaults) with the action group C(group/apinizer.apiops.apinizer) to set the
    connection options once per play. Put there only the options every module of the group takes
    (O(url), O(token), O(validate_certs), O(ca_path), O(timeout) and C(project)), because Ansible passes
    each key to every module of the group, and a module fails on an option it does not take.
"""
