# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""The envelopes Apinizer wraps its answers in, read one way everywhere.

Reads answer {"success": true, "resultList": [...]} (seed pages), {"status": "SUCCESS",
"resultList": [...], "resultCount": n} (newer pages), or, on a few older pages, a bare object or
a bare list. first_result() is the object of a read of one thing; result_items() the objects of
a list.
"""

from __future__ import annotations


def first_result(body):
    """The object of a read: resultList[0] of either envelope, or a bare object; None when there is none."""
    if isinstance(body, dict) and 'resultList' in body:
        items = body.get('resultList') or []
        return items[0] if isinstance(items, list) and items else None
    return body or None


def result_items(body):
    """The objects of a list answer, whichever envelope it uses (anything that is not an object is left out)."""
    if isinstance(body, dict):
        items = body.get('resultList')
    else:
        items = body
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []
