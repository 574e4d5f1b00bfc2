"""Postings and transactions: immutable, balanced at construction, with a canonical form.

Both are tuple-based (immutable like every loanmath value, and cheap: a ledger holds millions).
A :class:`Transaction` that does not net to exactly zero in every currency cannot be
constructed: :class:`~loanmath.errors.LedgerImbalance` names the residual. There is no
tolerance — loanmath computes its own postings, so a rounding difference is a posting of its own.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from operator import itemgetter
from typing import Any

from loanmath._checks import check_date
from loanmath._decimal import EXACT, D
from loanmath.errors import InputTypeError, InvalidInputError, LedgerImbalance
from loanmath.money import check_currency

__all__ = ["Posting", "Transaction"]

_KNOWN_CURRENCIES: set[str] = set()
_META_KEY = re.compile(r"^[a-z][a-zA-Z0-9_-]*$")


class Posting(tuple):  # type: ignore[type-arg]
    """One leg of a transaction: ``(account, amount, currency)``. Debits are positive.

    Examples
    --------
    >>> Posting("Assets:Bank:Custody", "100.00", "CNY")
    Posting('Assets:Bank:Custody', '100.00', 'CNY')
    >>> Posting("Assets:Bank:Custody", 100.0, "CNY")
    Traceback (most recent call last):
    ...
    loanmath.errors.FloatMoneyError: amount=100.0: a float cannot hold money exactly; ...
    """

    __slots__ = ()

    def __new__(cls, account: str, amount: Decimal | int | str, currency: str) -> Posting:
        if (
            type(amount) is not Decimal
            or not amount.is_finite()
            or (amount.is_signed() and amount.is_zero())
        ):
            amount = D(amount, "amount")  # refuses floats and NaN; -0 becomes 0
        if type(account) is not str or not account:
            raise _bad_account(account)
        if currency not in _KNOWN_CURRENCIES:
            _KNOWN_CURRENCIES.add(check_currency(currency))
        return tuple.__new__(cls, (account, amount, currency))

    account: str = property(itemgetter(0))  # type: ignore[assignment]
    amount: Decimal = property(itemgetter(1))  # type: ignore[assignment]
    currency: str = property(itemgetter(2))  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Posting({self[0]!r}, {format(self[1], 'f')!r}, {self[2]!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Posting, tuple(self))


def _meta(meta: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    pairs = tuple(sorted(meta.items() if isinstance(meta, Mapping) else meta))
    for key, value in pairs:
        if type(key) is not str or type(value) is not str:
            raise InputTypeError("meta", (key, value), "keys and values must be strings")
        if not _META_KEY.match(key):
            raise InvalidInputError(
                "meta",
                key,
                "keys start with a lower-case letter and "
                "hold letters, digits, '-' and '_' (as beancount's)",
            )
    return pairs


def _bad_account(account: object) -> InvalidInputError:
    return InvalidInputError("account", account, "must be an account name")


def _check_id(id: object) -> None:
    if type(id) is not str or not id:
        raise InvalidInputError("id", id, "must be a non-empty string")


def _check_leg_count(id: str, count: int) -> None:
    if count < 2:
        raise InvalidInputError(
            "postings", count, f"transaction {id!r} needs at least two postings"
        )


def _rebuild(fields: tuple[Any, ...]) -> Transaction:
    return tuple.__new__(Transaction, fields)


def _residuals(postings: tuple[Posting, ...]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for _, amount, currency in postings:
        previous = totals.get(currency)
        totals[currency] = amount if previous is None else EXACT.add(previous, amount)
    return {c: v for c, v in totals.items() if v}


class Transaction(tuple):  # type: ignore[type-arg]
    """A dated, balanced set of postings with an id, a narration, metadata and links.

    Parameters
    ----------
    id : str
        Unique within a journal; posting the same id again is a no-op when identical.
    date : datetime.date
    postings : iterable of Posting
        At least two; they must net to exactly zero per currency.
    narration : str, optional
    meta : mapping of str → str, optional
    links : iterable of str, optional
        Ids of related transactions (a reversal links to what it reverses).

    Raises
    ------
    LedgerImbalance
        If the postings do not net to zero in some currency (the message names the residual).
    InvalidInputError, InputTypeError, DateTypeError

    Examples
    --------
    >>> import datetime as dt
    >>> t = Transaction("T1", dt.date(2024, 1, 15), [
    ...     Posting("Assets:Loans:Principal", "12000.00", "CNY"),
    ...     Posting("Assets:Bank:Custody", "-12000.00", "CNY")], narration="disbursement")
    >>> t.id, len(t.postings)
    ('T1', 2)
    >>> Transaction("T2", dt.date(2024, 1, 15), [
    ...     Posting("Assets:Loans:Principal", "12000.00", "CNY"),
    ...     Posting("Assets:Bank:Custody", "-11999.99", "CNY")])
    Traceback (most recent call last):
    ...
    loanmath.errors.LedgerImbalance: transaction 'T2' does not balance: CNY 0.01 left over; ...
    """

    __slots__ = ()

    def __new__(
        cls,
        id: str,
        date: _dt.date,
        postings: Iterable[Posting],
        narration: str = "",
        *,
        meta: Mapping[str, str] | Iterable[tuple[str, str]] = (),
        links: Iterable[str] = (),
    ) -> Transaction:
        _check_id(id)
        legs = postings if type(postings) is tuple else tuple(postings)
        _check_leg_count(id, len(legs))
        for leg in legs:
            if type(leg) is not Posting:
                raise InputTypeError("postings", leg, "must be Posting objects")
        if len(legs) == 2 and legs[0][2] == legs[1][2]:
            if legs[0][1] != legs[1][1].copy_negate():
                cls._imbalance(id, _residuals(legs))
        else:
            residual = _residuals(legs)
            if residual:
                cls._imbalance(id, residual)
        pairs = _meta(meta) if meta else ()
        if type(date) is not _dt.date:
            date = check_date(date, "date")
        if type(narration) is not str:
            narration = str(narration)
        return tuple.__new__(cls, (id, date, legs, narration, pairs, tuple(links)))

    @classmethod
    def from_legs(
        cls,
        id: str,
        date: _dt.date,
        legs: Iterable[tuple[str, Decimal]],
        currency: str,
        narration: str = "",
    ) -> Transaction:
        """A one-currency transaction from ``(account, amount)`` legs; zero legs are dropped.

        The fast path for engines that post many transactions (servicing replay): the same
        checks as the constructor — Decimal amounts, account names, a known currency, at least
        two legs, an exact zero sum — without building each `Posting` through its own checks.

        Examples
        --------
        >>> import datetime as dt
        >>> t = Transaction.from_legs("T1", dt.date(2024, 2, 15), [
        ...     ("Assets:Bank:Custody", Decimal("408.03")),
        ...     ("Assets:Loans:Principal", Decimal("-396.03")),
        ...     ("Income:Interest", Decimal("-12.00")),
        ...     ("Income:Fees", Decimal("0"))], "CNY", "repayment")
        >>> [p.account for p in t.postings]
        ['Assets:Bank:Custody', 'Assets:Loans:Principal', 'Income:Interest']
        """
        if currency not in _KNOWN_CURRENCIES:
            _KNOWN_CURRENCIES.add(check_currency(currency))
        new = tuple.__new__
        postings = []
        total = Decimal(0)
        for account, given in legs:
            amount = given if type(given) is Decimal and given.is_finite() else D(given, "amount")
            if not amount:
                continue
            if type(account) is not str or not account:
                raise _bad_account(account)
            postings.append(new(Posting, (account, amount, currency)))
            total = EXACT.add(total, amount)
        _check_id(id)
        _check_leg_count(id, len(postings))
        if total:
            cls._imbalance(id, {currency: total})
        if type(date) is not _dt.date:
            date = check_date(date, "date")
        return new(cls, (id, date, tuple(postings), str(narration), (), ()))

    id: str = property(itemgetter(0))  # type: ignore[assignment]
    date: _dt.date = property(itemgetter(1))  # type: ignore[assignment]
    postings: tuple[Posting, ...] = property(itemgetter(2))  # type: ignore[assignment]
    narration: str = property(itemgetter(3))  # type: ignore[assignment]
    meta: tuple[tuple[str, str], ...] = property(itemgetter(4))  # type: ignore[assignment]
    links: tuple[str, ...] = property(itemgetter(5))  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (tuple(self),))

    @staticmethod
    def _imbalance(id: str, residual: dict[str, Decimal]) -> None:
        left = ", ".join(f"{c} {format(v, 'f')}" for c, v in sorted(residual.items()))
        raise LedgerImbalance(
            f"transaction {id!r} does not balance: {left} left over; add the rounding "
            "difference as a posting of its own"
        )

    def __repr__(self) -> str:
        return f"Transaction({self.id!r}, {self.date!r}, {list(self.postings)!r})"

    def canonical(self) -> str:
        """The canonical JSON of this transaction: sorted keys, amounts as exact strings.

        The hash chain and the JSON Lines export are built from it; it round-trips exactly.

        Examples
        --------
        >>> import datetime as dt
        >>> Transaction("T1", dt.date(2024, 1, 2), [Posting("Assets:A", "1.50", "CNY"),
        ...             Posting("Assets:B", "-1.50", "CNY")]).canonical()[:52]
        '{"date":"2024-01-02","id":"T1","links":[],"meta":[],'
        """
        return json.dumps(self.as_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def as_dict(self) -> dict[str, object]:
        """The transaction as plain data (amounts as strings)."""
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "narration": self.narration,
            "postings": [[a, format(m, "f"), c] for a, m, c in self.postings],
            "meta": [list(pair) for pair in self.meta],
            "links": list(self.links),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Transaction:
        """Rebuild from :meth:`as_dict` data (checked again)."""
        return cls(
            data["id"],
            _dt.date.fromisoformat(data["date"]),
            [Posting(a, D(m, "amount"), c) for a, m, c in data["postings"]],
            data["narration"],
            meta=[tuple(pair) for pair in data["meta"]],
            links=data["links"],
        )

    def reversed(self, id: str, date: _dt.date, narration: str = "") -> Transaction:
        """A transaction that undoes this one: every posting negated, linked to it.

        Examples
        --------
        >>> import datetime as dt
        >>> t = Transaction("T1", dt.date(2024, 1, 2), [Posting("Assets:A", "1.50", "CNY"),
        ...                 Posting("Assets:B", "-1.50", "CNY")])
        >>> t.reversed("R1", dt.date(2024, 1, 3)).postings[0]
        Posting('Assets:A', '-1.50', 'CNY')
        """
        legs = [Posting(a, m.copy_negate(), c) for a, m, c in self.postings]
        return Transaction(
            id,
            date,
            legs,
            narration or f"reversal of {self.id}",
            meta={"reverses": self.id},
            links=(self.id,),
        )
