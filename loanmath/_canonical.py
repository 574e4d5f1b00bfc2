"""Canonical JSON, once: the one byte form that every hash in the library is taken over (the
ledger's chain, each transaction and chart, and a loan's event history).

Keys sorted, no whitespace, text as UTF-8 (not ``\\u`` escapes): equal data always gives equal
bytes, so equal data always gives an equal hash.
"""

from __future__ import annotations

import json

__all__ = ["canonical_json"]


def canonical_json(data: object) -> str:
    """`data` (dicts, lists, strings, ints, bools, None) as canonical JSON text.

    Notes
    -----
    ``json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))``: the form
    of RFC 8785's key ordering for the plain data the library hashes (no floats are ever
    written: amounts are decimal strings).

    Examples
    --------
    >>> canonical_json({"b": [1, "¥"], "a": None})
    '{"a":null,"b":[1,"¥"]}'
    """
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
