"""The checks of a transaction's fields (internal): amounts against the ledger's limits,
ids, account names, narrations, links and metadata; every refusal names the field."""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Final, TypeGuard

from loanmath.errors import InputTypeError, InvalidInputError
from loanmath.ledger._accounts import check_text

__all__ = [
    "DECIMAL_ERRORS",
    "LIMIT",
    "MAX_AMOUNT",
    "MAX_PLACES",
    "MAX_POSTINGS",
    "RESERVED_META_KEYS",
    "amount_ok",
    "bad_account",
    "check_amount",
    "check_id",
    "check_leg_count",
    "link_ids",
    "meta_pairs",
    "narration_text",
]

#: Decimal places a posted amount may have (ISO 4217 minor units go to 4).
MAX_PLACES: Final = 6
#: The largest absolute amount a journal accepts: 18 digits before the point, 6 after. With at
#: most :data:`MAX_POSTINGS` legs, every sum inside a transaction has at most 27 significant
#: digits, so beancount (28-digit arithmetic) reads each export exactly; journal balances stay
#: exact in the library's 50-digit context for up to 10**26 postings.
MAX_AMOUNT: Final = Decimal("999999999999999999.999999")
#: The most postings one transaction may have.
MAX_POSTINGS: Final = 1000
#: Metadata keys the beancount export writes itself (``id``, ``links``) or that beancount
#: sets on every entry (``filename``, ``lineno``): refused in a transaction's ``meta``.
RESERVED_META_KEYS: Final = frozenset({"filename", "id", "lineno", "links"})

#: beancount's key syntax: a lower-case letter, then at least one more character
_META_KEY = re.compile(r"\A[a-z][a-zA-Z0-9_-]+\Z")
LIMIT = (
    f"must be at most {MAX_AMOUNT} in absolute value, with at most {MAX_PLACES} decimal "
    "places (the ledger's limit: balances stay exact and beancount reads every export)"
)
DECIMAL_ERRORS = (decimal.Inexact, decimal.InvalidOperation, decimal.Overflow)


_CENT = Decimal("0.01")


def amount_ok(amount: object) -> TypeGuard[Decimal]:
    """Whether a journal accepts `amount` (see :func:`check_amount`), without raising."""
    if type(amount) is not Decimal:
        return False
    if amount.same_quantum(_CENT):  # the common case, and the cheapest test of the exponent
        return amount.adjusted() < 18
    if amount.is_finite() and (amount.adjusted() < 18 or not amount):
        text = str(amount)  # plain notation unless the exponent is > 0 or very small
        if "E" not in text:
            dot = text.find(".")
            return dot < 0 or len(text) - dot - 1 <= MAX_PLACES
        exponent = amount.as_tuple().exponent
        return isinstance(exponent, int) and exponent >= -MAX_PLACES
    return False


def check_amount(amount: object, where: str = "") -> Decimal:
    """Return `amount` if a journal accepts it: a finite Decimal within :data:`MAX_AMOUNT`
    with at most :data:`MAX_PLACES` decimal places (as written: ``1.5000000`` has seven).

    Raises
    ------
    InvalidInputError
        Naming the field (``amount``), the limit, the value and `where` it was posted.

    Notes
    -----
    Accepts ``|amount| <= MAX_AMOUNT`` (18 digits before the point) with at most
    ``MAX_PLACES`` = 6 places as written: every sum of up to ``MAX_POSTINGS`` legs then has at
    most 27 significant digits, within beancount's 28-digit arithmetic (docs/ledger.md,
    "Limits").

    Examples
    --------
    >>> check_amount(Decimal("999999999999999999.999999"))
    Decimal('999999999999999999.999999')
    >>> check_amount(Decimal("1e60"))
    Traceback (most recent call last):
    ...
    loanmath.errors.InvalidInputError: amount=Decimal('1E+60'): must be at most 99... in ...
    """
    if amount_ok(amount):
        return amount
    fix = "round it to 6 decimal places with a Rounding policy, or split it into several postings"
    raise InvalidInputError("amount", amount, f"{where}{LIMIT}" if where else LIMIT, fix)


def meta_pairs(meta: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for pair in meta.items() if isinstance(meta, Mapping) else meta:
        try:
            key, value = pair
        except (TypeError, ValueError):
            raise InputTypeError("meta", pair, "must be a mapping or (key, value) pairs") from None
        if type(key) is not str or type(value) is not str:
            raise InputTypeError("meta", (key, value), "keys and values must be strings")
        if not _META_KEY.match(key):
            raise InvalidInputError(
                "meta",
                key,
                "keys start with a lower-case letter and hold at least one more letter, "
                "digit, '-' or '_' (beancount's key syntax)",
                "rename the key, e.g. 'k' to 'key'",
            )
        if key in RESERVED_META_KEYS:
            raise InvalidInputError(
                "meta",
                key,
                f"is reserved: the beancount export writes {sorted(RESERVED_META_KEYS)} itself",
                f"rename the key, e.g. {key!r} to {'source-' + key!r}",
            )
        check_text(value, f"meta[{key!r}]")
        pairs.append((key, value))
    if len({key for key, _ in pairs}) != len(pairs):
        raise InvalidInputError("meta", pairs, "holds a key twice", "keep one value per key")
    return tuple(sorted(pairs))


def bad_account(account: object) -> InvalidInputError:
    return InvalidInputError("account", account, "must be an account name")


def check_id(id: object) -> None:
    if type(id) is not str or not id:
        raise InvalidInputError("id", id, "must be a non-empty string")
    if not id.isascii():
        check_text(id, "id")


def check_leg_count(id: str, count: int) -> None:
    if count < 2:
        raise InvalidInputError(
            "postings", count, f"transaction {id!r} needs at least two postings"
        )
    if count > MAX_POSTINGS:
        raise InvalidInputError(
            "postings",
            count,
            f"transaction {id!r} may have at most {MAX_POSTINGS} postings",
            "split it into several transactions",
        )


def narration_text(narration: object) -> str:
    text = narration if type(narration) is str else str(narration)
    return text if text.isascii() else check_text(text, "narration")


def link_ids(links: Iterable[str]) -> tuple[str, ...]:
    result = tuple(links)
    for link in result:
        if type(link) is not str or not link:
            raise InvalidInputError("links", link, "must be transaction ids (non-empty strings)")
        if not link.isascii():
            check_text(link, "links")
    return result
