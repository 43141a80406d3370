# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""emulator_request: one call to the emulator's admin endpoints (/_emulator/...), made on the controller.

The integration targets read the emulator's request log and state, reset it and arm faults
hundreds of times per run. ansible.builtin.uri would start a module process for each call
(about half of the targets' CPU time); this action plugin takes uri's arguments that the
targets use (url, method, body, body_format, status_code, validate_certs) and answers as uri
does (status, content, json), from the worker process itself. emulator.sh puts it on
ANSIBLE_ACTION_PLUGINS. It is a test helper, not part of the collection.
"""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
from collections.abc import Mapping

from ansible.plugins.action import ActionBase

TIMEOUT_SECONDS = 60


def _plain(value):
    """json.dumps for templated values (ansible-core 2.19+ tags them; older cores mark them unsafe)."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (list, tuple, set)):
        return list(value)
    return str(value)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(('url', 'method', 'body', 'body_format', 'status_code', 'return_content',
                             'validate_certs'))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self._task.args
        url = str(args['url'])
        method = str(args.get('method', 'GET')).upper()
        expected = args.get('status_code', [200])
        expected = [int(code) for code in (expected if isinstance(expected, (list, tuple)) else [expected])]
        data, headers = None, {}
        body = args.get('body')
        if body is not None:
            if args.get('body_format') == 'json' and not isinstance(body, str):
                body = json.dumps(body, default=_plain)
            data = str(body).encode('utf-8')
            headers['Content-Type'] = 'application/json' if args.get('body_format') == 'json' else 'text/plain'
        context = None
        if url.startswith('https:') and not args.get('validate_certs', True):
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS, context=context) as response:
                status, content = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, content = exc.code, exc.read()
        except (urllib.error.URLError, OSError) as exc:
            result.update(failed=True, msg='%s %s failed: %s' % (method, url, exc), status=-1, url=url)
            return result
        text = content.decode('utf-8', errors='replace')
        result.update(changed=False, status=status, url=url, content=text)
        try:
            result['json'] = json.loads(text) if text else None
        except ValueError:
            pass
        if status not in expected:
            result.update(failed=True, msg='Status code was %s and not %s: %s %s' % (status, expected, method, url))
        return result
