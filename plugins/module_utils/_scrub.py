# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""The one scrubber: every secret of a run, and every text shown to the user passed through it.

A run learns secrets as it goes: the token and the URL's user info from the options, a
connection's passwords from the task and from what Apinizer returns, Kafka properties marked
secret. Each is registered once (Secrets.add); every message, warning, diff and result is
scrubbed before it is shown, by modules and the inventory plugin alike. A secret can reach a
text in another shape than it was given: escaped in a JSON body, in a Python repr of bytes
(http.client's "Invalid header value b'Bearer ...'"), percent-encoded in a URL. Each of those
shapes is registered with it, and each is also handed to ``on_add`` (a module's
no_log_values), so Ansible masks it too, the invocation at -vvv included.
"""

from __future__ import annotations

import json
from urllib.parse import quote, quote_plus

MASK = '********'
# A shorter value is not treated as a secret here: replacing every "ops" or "12" in a result would
# garble names and numbers of everything shown (docs/decisions.md, "The scrubber").
MIN_SECRET_LENGTH = 4


def shapes(secret):
    """The forms in which ``secret`` can appear in a text: as is, JSON-escaped, repr-escaped, URL-encoded."""
    found = {secret}
    found.add(json.dumps(secret)[1:-1])
    found.add(repr(secret)[1:-1])
    found.add(repr(secret.encode('utf-8'))[2:-1])
    found.add(quote(secret, safe=''))
    found.add(quote_plus(secret, safe=''))
    stripped = secret.strip()
    if stripped:
        found.add(stripped)
    return {shape for shape in found if len(shape) >= MIN_SECRET_LENGTH}


class Secrets:
    """The secret values one run has seen; scrub() replaces each of them, in every shape, by MASK."""

    def __init__(self, on_add=None):
        self._values = set()
        self._on_add = on_add
        self._ordered = None

    def add(self, value):
        """Register a secret (a string; other values are ignored, numbers as their text)."""
        if isinstance(value, bool) or value is None:
            return
        if isinstance(value, (int, float)):
            value = str(value)
        if not isinstance(value, str) or len(value.strip()) < MIN_SECRET_LENGTH:
            return
        new = shapes(value) - self._values
        if not new:
            return
        self._values.update(new)
        self._ordered = None
        if self._on_add is not None:
            for shape in new:
                self._on_add(shape)

    def update(self, values):
        for value in values:
            self.add(value)

    def __contains__(self, value):
        return value in self._values

    def __bool__(self):
        return bool(self._values)

    def scrub(self, text):
        """``text`` with every registered secret replaced by MASK (longest first, so no part of one survives)."""
        if not isinstance(text, str) or not self._values:
            return text
        if self._ordered is None:
            self._ordered = sorted(self._values, key=len, reverse=True)
        for secret in self._ordered:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def scrub_data(self, data):
        """A copy of ``data`` (dicts, lists, strings; keys too) with every registered secret masked."""
        if not self._values:
            return data
        if isinstance(data, str):
            return self.scrub(data)
        if isinstance(data, dict):
            return {self.scrub_data(key): self.scrub_data(value) for key, value in data.items()}
        if isinstance(data, (list, tuple)):
            return type(data)(self.scrub_data(item) for item in data)
        return data
