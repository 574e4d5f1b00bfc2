"""The hash chain: its seed and its link function, below the journal and its exports.

A journal's first link is ``chain_hash(GENESIS, chart.canonical())`` and each entry's link is
``chain_hash(previous link, canonical JSON of the entry)``.
"""

from __future__ import annotations

import hashlib

from loanmath.errors import InputTypeError
from loanmath.ledger._accounts import check_text

__all__ = ["GENESIS", "chain_hash"]

#: The seed of every chain: a journal's first link is ``chain_hash(GENESIS, chart.canonical())``.
GENESIS = hashlib.sha256(b"loanmath-journal-v1").hexdigest()


def chain_hash(previous: str, canonical: str) -> str:
    """The next link: ``sha256(previous + canonical)`` as hex.

    Raises
    ------
    InvalidInputError
        If the text cannot be encoded as UTF-8 (a lone surrogate).
    InputTypeError
        If either is not a ``str``.

    Notes
    -----
    ``link_k = SHA-256(UTF-8(link_{k-1} + canonical_k))`` as 64 lower-case hex digits (SHA-256
    of FIPS 180-4, via ``hashlib``), seeded by ``link_0 = chain_hash(GENESIS, chart)``; so any
    altered, inserted, removed or reordered entry changes every later link (docs/ledger.md,
    "The journal").

    Examples
    --------
    >>> chain_hash(GENESIS, "{}")[:16]
    '8aa5a6ef37eefd35'
    """
    if type(previous) is not str or type(canonical) is not str:
        raise InputTypeError("canonical", (previous, canonical), "chain_hash takes two strings")
    try:
        return hashlib.sha256((previous + canonical).encode("utf-8")).hexdigest()
    except UnicodeEncodeError:
        check_text(previous, "previous")
        check_text(canonical, "canonical")
        raise  # unreachable: one of the two holds a lone surrogate
