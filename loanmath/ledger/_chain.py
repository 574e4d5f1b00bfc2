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

    Examples
    --------
    >>> chain_hash(GENESIS, "{}")[:16]
    '8aa5a6ef37eefd35'

    Raises
    ------
    InvalidInputError
        If the text cannot be encoded as UTF-8 (a lone surrogate).
    InputTypeError
        If either is not a ``str``.
    """
    if type(previous) is not str or type(canonical) is not str:
        raise InputTypeError("canonical", (previous, canonical), "chain_hash takes two strings")
    try:
        return hashlib.sha256((previous + canonical).encode("utf-8")).hexdigest()
    except UnicodeEncodeError:
        check_text(previous, "previous")
        check_text(canonical, "canonical")
        raise  # unreachable: one of the two holds a lone surrogate
