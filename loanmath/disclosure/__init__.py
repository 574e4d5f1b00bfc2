"""Disclosure: the exact terms of a loan rendered for a borrower, with babel.

Formatting happens only here, at the edge; a formatted string is never parsed back into
arithmetic.
"""

from __future__ import annotations

from loanmath.disclosure.quote import (
    RATE_METHODS,
    Quote,
    build_quote,
    format_money,
    format_rate,
    quote_json,
    quote_text,
)

__all__ = [
    "RATE_METHODS",
    "Quote",
    "build_quote",
    "format_money",
    "format_rate",
    "quote_json",
    "quote_text",
]
