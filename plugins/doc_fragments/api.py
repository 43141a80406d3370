# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:

    # How every module reaches the Apinizer Management API.
    DOCUMENTATION = r"""
options:
  url:
    description:
      - Base URL of the Apinizer management application, for example V(https://apinizer.example.com).
      - The modules append C(/apiops/...) themselves; a trailing C(/apiops) is accepted and ignored.
      - A user name or password in the URL, a query, a fragment, spaces and control characters are refused
        before any request. Redirects are never followed; a 3xx answer fails the task, naming the
        C(Location), so the token and request bodies reach only this URL.
      - If not set, the value of the E(APINIZER_URL) environment variable is used. One of the two is required.
    type: str
  token:
    description:
      - Personal API Access Token (Apinizer UI, My Profile, Personal API Access Tokens).
      - 'Sent as C(Authorization: Bearer <token>); never logged or returned. Surrounding whitespace (a
        trailing newline from a file or a vaulted value) is removed; a space or control character
        inside it is refused before any request.'
      - A C(~/.netrc) entry for the host never replaces it.
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
      - Seconds each HTTP request may take, from connecting to the last byte of the answer, however
        slowly the server sends it. A positive number; anything else is refused before any request.
      - Retries are decided per request. A read, or a settings write that neither deploys nor
        renames, is sent again (up to O(retries) more times, with backoff) after a timeout, a
        dropped connection or HTTP 502, 503 or 504. Any request is sent again after HTTP 429
        (honouring C(Retry-After)) or when it provably never reached the server (connection
        refused, name resolution failed).
      - A request that deploys, renames, creates, deletes or replaces a whole connection is never
        sent twice once it may have reached the server. When its answer is lost, or is not one
        Apinizer gives for success (a redirect, an empty or non-JSON body, a body that says it
        failed), the module reads the state back and reports whether it took effect.
      - If not set, the value of the E(APINIZER_TIMEOUT) environment variable is used.
    type: int
    default: 30
  total_timeout:
    description:
      - Seconds the whole task may spend waiting on Apinizer, over all its requests, retries,
        read-backs and waits between them. When it runs out the task fails, saying how many
        attempts were made and how long they took.
      - If not set, the value of the E(APINIZER_TOTAL_TIMEOUT) environment variable is used.
    type: int
    default: 300
  retries:
    description:
      - How many times a request may be sent again (see O(timeout) for which requests may). V(0)
        sends every request once.
      - If not set, the value of the E(APINIZER_RETRIES) environment variable is used.
    type: int
    default: 3
  warn_on_http:
    description:
      - Warn, once per task, when O(url) uses C(http://), since the token and every secret the task sends
        then cross the network unencrypted. Set to V(false) only for a lab (the bundled emulator,
        for example).
      - If not set, the value of the E(APINIZER_WARN_ON_HTTP) environment variable is used.
    type: bool
    default: true
requirements:
  - requests
notes:
  - 'The modules talk to the API from the machine they run on; run them on the controller
    (C(delegate_to: localhost) or a play on C(localhost)).'
  - Use C(module_defaults) with the action group C(group/apinizer.apiops.apinizer) to set the
    connection options once per play. Put there only the options every module of the group takes
    (O(url), O(token), O(validate_certs), O(ca_path), O(timeout), O(total_timeout), O(retries),
    O(warn_on_http) and C(project)), because Ansible passes
    each key to every module of the group, and a module fails on an option it does not take.
"""
