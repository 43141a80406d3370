#!/usr/bin/python
# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: apinizer_connection_info
short_description: Read Apinizer project connections in the shape apinizer_connection takes
version_added: 1.0.0
author: apinizer.apiops contributors (@apinizer)
description:
  - Reads one connection of an Apinizer project, or every connection of the project (optionally of one
    type), and returns each in exactly the option shape M(apinizer.apiops.apinizer_connection) takes
    (O(apinizer.apiops.apinizer_connection#module:name), the common options and one type dict), so an
    entry fed back to that module changes nothing.
  - Never returns a secret value. Secret options (passwords, passphrases, keystore and certificate file
    contents), webhook header values and Kafka property values whose name contains C(password),
    C(secret), C(jaas), C(credential) or C(token) are left out of the entries; RV(secrets_set) says which of
    them hold a value. Feeding an entry back keeps the stored secrets.
  - One connection is read with C(GET /apiops/projects/{project}/connections/{name}/). Apinizer lists
    connections one type at a time (C(GET .../connections/?type=...)), so a listing of every type sends
    one list request per type (14), and with O(report_secrets=true) one read per connection found.
  - Never writes.
extends_documentation_fragment:
  - apinizer.apiops.api
  - apinizer.apiops.project
  - apinizer.apiops.attributes
  - apinizer.apiops.attributes.actiongroup_apinizer
attributes:
  check_mode:
    support: full
    details: This module never changes anything; it runs the same in check mode.
  diff_mode:
    support: none
  idempotent:
    support: full
options:
  name:
    description:
      - Name of one connection to read. Without it, every connection of the project (of O(type), if set)
        is returned.
      - A connection that does not exist is not an error; RV(connections) is then empty.
    type: str
    aliases: [connection_name]
  type:
    description:
      - Only connections of this type, named as the type dicts of M(apinizer.apiops.apinizer_connection)
        (V(linux_script) is Apinizer's C(linux-script), V(active_mq) its C(activeMq), V(rabbit_mq) its
        C(rabbitMq)).
      - With O(name), a connection of another type is not returned.
    type: str
    choices: [active_mq, database, elasticsearch, email, ftp, graylog, kafka, ldap, linux_script, logback,
              rabbit_mq, snmp, syslog, webhook]
  report_secrets:
    description:
      - Fill RV(secrets_set), which tells which secret fields of each connection hold a value.
      - Apinizer's list answer leaves secrets out, so in a listing this reads each connection once more.
        V(false) saves one request per connection; RV(secrets_set) then stays empty for a listing, and the
        entries come from the list answer.
    type: bool
    default: true
notes:
  - A Kafka property counts as a secret by its name only. A property a task marked as a secret (the
    C(secret) flag of M(apinizer.apiops.apinizer_connection)) but whose name does not say so is returned in
    clear, because Apinizer does not store that flag.
seealso:
  - module: apinizer.apiops.apinizer_connection
    description: Create, update, rename and delete connections; takes these entries as they are.
"""

EXAMPLES = r"""
---
- name: Every connection of project Demo
  apinizer.apiops.apinizer_connection_info:
    url: https://apinizer.example.com
    token: "{{ apinizer_token }}"
    project: Demo
  register: demo_connections
  delegate_to: localhost

- name: The Kafka connections only, without reading each one again
  apinizer.apiops.apinizer_connection_info:
    project: Demo
    type: kafka
    report_secrets: false
  delegate_to: localhost

- name: One connection
  apinizer.apiops.apinizer_connection_info:
    project: Demo
    name: smtp-alerts
  register: smtp
  delegate_to: localhost

- name: Feed it back with one change (the stored password is kept)
  apinizer.apiops.apinizer_connection:
  args: "{{ smtp.connections[0] | combine({'email': {'port': 2525}}, recursive=true) }}"
  delegate_to: localhost
"""

RETURN = r"""
project:
  description: The project read.
  returned: always
  type: str
  sample: Demo
connections:
  description:
    - The connections found, sorted by name, each in the option shape of
      M(apinizer.apiops.apinizer_connection) (O(apinizer.apiops.apinizer_connection#module:project),
      O(apinizer.apiops.apinizer_connection#module:name), O(apinizer.apiops.apinizer_connection#module:description),
      O(apinizer.apiops.apinizer_connection#module:enabled),
      O(apinizer.apiops.apinizer_connection#module:deploy_to_worker) and the one type dict), without any secret
      value. Fields Apinizer reports as C(null) are left out.
  returned: always
  type: list
  elements: dict
  sample: [{"project": "Demo", "name": "smtp-alerts", "description": "Alert mails", "enabled": true,
            "deploy_to_worker": true, "email": {"host": "smtp.example.com", "port": 587, "auth": true,
                                                "username": "alerts@example.com", "sender": "alerts@example.com"}}]
secrets_set:
  description:
    - Per connection name, the secret options that hold a value, as C(<type>.<option>), and for webhook
      headers and Kafka properties C(<type>.<option>[<name>]). Never the values.
    - Filled for every connection read one by one (with O(name), or a listing with O(report_secrets=true)).
  returned: always
  type: dict
  sample: {"smtp-alerts": ["email.password"], "ops-webhook": ["webhook.headers[Authorization]"]}
api_error:
  description: The failed API call, when the task failed on one.
  returned: on failure of an API call
  type: dict
  sample: {"method": "GET", "path": "/apiops/projects/Dmeo/connections/", "status": 404,
           "message": "Project 'Dmeo' not found"}
"""

from ansible_collections.apinizer.apiops.plugins.module_utils._connection import CONNECTION_INFO
from ansible_collections.apinizer.apiops.plugins.module_utils._engine import run_module


def main():
    run_module(CONNECTION_INFO)


if __name__ == '__main__':  # pragma: no cover
    main()
