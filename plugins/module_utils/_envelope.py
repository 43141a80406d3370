# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""The envelopes Apinizer wraps its answers in, read one way everywhere.

Reads answer {"success": true, "resultList": [...]} (seed pages), {"status": "SUCCESS",
"resultList": [...], "resultCount": n} (newer pages), or, on a few older pages, a bare object or
a bare list. first_result() is the object of a read of one thing. A list answer is read two
ways: result_items() leniently (an answer without a list holds no objects), result_list()
strictly (an answer without a list is an ApinizerError), for a reader that must not take an odd
answer for an empty list.
"""

from __future__ import annotations

import json

from ansible_collections.apinizer.apiops.plugins.module_utils._client import ApinizerError, api_error_message


def first_result(body):
    """The object of a read: resultList[0] of either envelope, or a bare object; None when there is none."""
    if isinstance(body, dict) and 'resultList' in body:
        items = body.get('resultList') or []
        return items[0] if isinstance(items, list) and items else None
    return body or None


def _listed(body):
    """What a list answer holds where its list belongs: resultList of either envelope, or the bare body."""
    return body.get('resultList') if isinstance(body, dict) else body


def _objects(items):
    return [item for item in items if isinstance(item, dict)]


def result_items(body):
    """The objects of a list answer, whichever envelope it uses (anything that is not an object is left out).

    Lenient: an answer that holds no list holds no objects.
    """
    items = _listed(body)
    return _objects(items) if isinstance(items, list) else []


def result_list(body, path):
    """The objects of a list answer (either envelope), or ApinizerError when the answer holds no list.

    Strict: a 2xx without a list is not an empty list (only "resultCount": 0 says so without
    one). Read as one, a server's odd answer would, for example, take a project's hosts out of
    the inventory without a word. ``path`` is the request's, for the message.
    """
    items = _listed(body)
    count = body.get('resultCount') if isinstance(body, dict) else None
    if items is None and isinstance(count, int) and not isinstance(count, bool) and count == 0:
        items = []
    if not isinstance(items, list):
        raise ApinizerError('Apinizer API GET %s answered, but the body holds no list of results: %s' % (
            path, api_error_message(json.dumps(body, default=str))))
    return _objects(items)
