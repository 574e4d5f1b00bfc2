"""Postings and transactions: immutable, balanced at construction, with a canonical form.

Both are frozen slotted value classes: immutable like every loanmath value (assigning an
attribute raises ``attrs.exceptions.FrozenInstanceError``), equal only to their own kind, and
cheap, because a ledger holds millions: each is built by plain stores into the slots of a
private mutable twin (``_PostingFields``, ``_TransactionFields``), whose class is then set
to the frozen one — one class assignment instead of a checked ``object.__setattr__`` per
field. A :class:`Transaction` that does not net to exactly zero in every currency cannot be
constructed: :class:`~loanmath.errors.LedgerImbalance` names the residual. There is no
tolerance — loanmath computes its own postings, so a rounding difference is a posting of its own.

Text that no file can store (a lone surrogate) is refused at construction, naming the field;
so are metadata keys beancount cannot read or that the export writes itself
(:data:`RESERVED_META_KEYS`). The amounts a journal accepts are bounded (:data:`MAX_AMOUNT`,
:data:`MAX_PLACES`; checked by :func:`check_amount` when a transaction is posted) so that
every balance stays exact and every export is valid beancount.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, NoReturn, final

from attrs.exceptions import FrozenInstanceError

from loanmath._canonical import canonical_json
from loanmath._checks import check_date
from loanmath._decimal import EXACT, D
from loanmath.errors import InputTypeError, InvalidInputError, LedgerImbalance
from loanmath.ledger._accounts import check_text
from loanmath.ledger._fields import (
    DECIMAL_ERRORS,
    LIMIT,
    MAX_AMOUNT,
    MAX_PLACES,
    MAX_POSTINGS,
    RESERVED_META_KEYS,
    bad_account,
    check_amount,
    check_id,
    check_leg_count,
    link_ids,
    meta_pairs,
    narration_text,
)
from loanmath.money import check_currency

__all__ = [
    "MAX_AMOUNT",
    "MAX_PLACES",
    "MAX_POSTINGS",
    "RESERVED_META_KEYS",
    "Posting",
    "Transaction",
    "check_amount",
]

_KNOWN_CURRENCIES: set[str] = set()
#: the only amount and date forms an import accepts: what the export writes
_AMOUNT_TEXT = re.compile(r"\A(?!-0(?:\.0+)?\Z)-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?\Z")
_DATE_TEXT = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


_new = object.__new__


class _PostingFields:
    """The slots of a :class:`Posting`, writable: a Posting is built as one of these, then
    its class is set to the frozen :class:`Posting` (same layout)."""

    __slots__ = ("account", "amount", "currency")
    account: str
    amount: Decimal
    currency: str


def _frozen(self: object, name: str, value: object = None) -> NoReturn:
    raise FrozenInstanceError


@final
class Posting(_PostingFields):
    """One leg of a transaction: ``account``, ``amount``, ``currency``. Debits are positive.

    A frozen value: equal (and hashing alike) only to a Posting with the same three fields.

    Notes
    -----
    The amount passes through ``D`` (floats and NaN refused, ``-0`` becomes ``0``); the
    currency must be an ISO 4217 code babel knows (``check_currency``); the account is only
    checked to be text here, and against the chart when posted (docs/ledger.md, "Postings
    and transactions").

    Examples
    --------
    >>> Posting("Assets:Bank:Custody", "100.00", "CNY")
    Posting('Assets:Bank:Custody', '100.00', 'CNY')
    >>> Posting("Assets:Bank:Custody", "100.00", "CNY").amount
    Decimal('100.00')
    >>> Posting("Assets:Bank:Custody", 100.0, "CNY")
    Traceback (most recent call last):
    ...
    loanmath.errors.FloatMoneyError: amount=100.0: a float cannot hold money exactly; ...
    """

    __slots__ = ()
    __match_args__ = ("account", "amount", "currency")

    def __new__(cls, account: str, amount: Decimal | int | str, currency: str) -> Posting:
        if (
            type(amount) is not Decimal
            or not amount.is_finite()
            or (amount.is_signed() and amount.is_zero())
        ):
            amount = D(amount, "amount")  # refuses floats and NaN; -0 becomes 0
        if type(account) is not str or not account:
            raise bad_account(account)
        if not account.isascii():
            check_text(account, "account")
        if type(currency) is not str or currency not in _KNOWN_CURRENCIES:
            _KNOWN_CURRENCIES.add(check_currency(currency))
        fields = _new(_PostingFields)
        fields.account = account
        fields.amount = amount
        fields.currency = currency
        fields.__class__ = Posting
        made: Any = fields
        posting: Posting = made
        return posting

    __setattr__ = _frozen
    __delattr__ = _frozen

    def __eq__(self, other: object) -> bool:
        if type(other) is not Posting:
            return NotImplemented
        return (
            self.amount == other.amount
            and self.account == other.account
            and self.currency == other.currency
        )

    def __hash__(self) -> int:
        return hash((self.account, self.amount, self.currency))

    def __repr__(self) -> str:
        return f"Posting({self.account!r}, {format(self.amount, 'f')!r}, {self.currency!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Posting, (self.account, self.amount, self.currency))


_FIELDS = frozenset({"date", "id", "links", "meta", "narration", "postings"})


def _strict(value: object, form: re.Pattern[str], field: str, example: str) -> str:
    if type(value) is not str or not form.match(value):
        raise InvalidInputError(
            field,
            value,
            "is not written as the export writes it",
            f"write it like {example!r} (ASCII digits only)",
        )
    return value


def _list(value: object, field: str, size: int | None = None) -> list[Any]:
    if type(value) is not list or (size is not None and len(value) != size):
        shape = "a list" if size is None else f"a list of {size}"
        raise InputTypeError(field, value, f"must be {shape}, as the export writes it")
    return value


def _residuals(postings: tuple[Posting, ...]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    try:
        for leg in postings:
            currency, amount = leg.currency, leg.amount
            previous = totals.get(currency)
            totals[currency] = amount if previous is None else EXACT.add(previous, amount)
    except DECIMAL_ERRORS:
        raise _beyond(postings) from None
    return {c: v for c, v in totals.items() if v}


def _beyond(postings: Iterable[_PostingFields]) -> InvalidInputError:
    """The error for amounts whose sum cannot be exact (far beyond :data:`MAX_AMOUNT`)."""
    widest = max((leg.amount for leg in postings), key=lambda m: abs(m.adjusted()))
    return InvalidInputError(
        "amount", widest, LIMIT, "amounts this wide cannot be summed exactly; round them"
    )


class _TransactionFields:
    """The slots of a :class:`Transaction`, writable (see :class:`_PostingFields`)."""

    __slots__ = ("date", "id", "links", "meta", "narration", "postings")
    id: str
    date: _dt.date
    postings: tuple[Posting, ...]
    narration: str
    meta: tuple[tuple[str, str], ...]
    links: tuple[str, ...]


@final
class Transaction(_TransactionFields):
    """A dated, balanced set of postings with an id, a narration, metadata and links.

    A frozen value with the attributes ``id``, ``date``, ``postings`` (a tuple of
    :class:`Posting`), ``narration``, ``meta`` (sorted ``(key, value)`` pairs) and ``links``;
    equal (and hashing alike) only to a Transaction with the same six.

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

    Notes
    -----
    Double entry: for every currency ``Σ amount = 0`` exactly, with no tolerance (a rounding
    difference is a posting of its own); 2 to :data:`MAX_POSTINGS` postings; metadata keys in
    beancount's syntax and not in :data:`RESERVED_META_KEYS`; no lone surrogates in any text
    (docs/ledger.md, "Postings and transactions").

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
    __match_args__ = ("id", "date", "postings", "narration", "meta", "links")

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
        check_id(id)
        legs = postings if type(postings) is tuple else tuple(postings)
        check_leg_count(id, len(legs))
        for leg in legs:
            if type(leg) is not Posting:
                raise InputTypeError("postings", leg, "must be Posting objects")
        if len(legs) == 2 and legs[0].currency == legs[1].currency:
            if legs[0].amount != legs[1].amount.copy_negate():
                cls._imbalance(id, _residuals(legs))
        else:
            residual = _residuals(legs)
            if residual:
                cls._imbalance(id, residual)
        pairs = meta_pairs(meta) if meta else ()
        if type(date) is not _dt.date:
            date = check_date(date, "date")
        if type(narration) is not str or not narration.isascii():
            narration = narration_text(narration)
        fields = _new(_TransactionFields)
        fields.id = id
        fields.date = date
        fields.postings = legs
        fields.narration = narration
        fields.meta = pairs
        fields.links = link_ids(links) if links else ()
        fields.__class__ = Transaction
        made: Any = fields
        transaction: Transaction = made
        return transaction

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
        if type(currency) is not str or currency not in _KNOWN_CURRENCIES:
            _KNOWN_CURRENCIES.add(check_currency(currency))
        postings: list[_PostingFields] = []
        total = Decimal(0)
        add = EXACT.add
        try:
            for account, given in legs:
                amount = (
                    given if type(given) is Decimal and given.is_finite() else D(given, "amount")
                )
                if not amount:
                    continue
                if type(account) is not str or not account:
                    raise bad_account(account)
                if not account.isascii():
                    check_text(account, "account")
                leg = _new(_PostingFields)  # as Posting.__new__ builds it, inline: the hot path
                leg.account = account
                leg.amount = amount
                leg.currency = currency
                leg.__class__ = Posting
                postings.append(leg)
                total = add(total, amount)
        except DECIMAL_ERRORS:
            raise _beyond(postings) from None
        check_id(id)
        check_leg_count(id, len(postings))
        if total:
            cls._imbalance(id, {currency: total})
        if type(date) is not _dt.date:
            date = check_date(date, "date")
        return _rebuild((id, date, tuple(postings), narration_text(narration), (), ()))

    __setattr__ = _frozen
    __delattr__ = _frozen

    def _fields(self) -> tuple[Any, ...]:
        return (self.id, self.date, self.postings, self.narration, self.meta, self.links)

    def __eq__(self, other: object) -> bool:
        if type(other) is not Transaction:
            return NotImplemented
        return self.id == other.id and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self._fields(),))

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
        return canonical_json(self.as_dict())

    def as_dict(self) -> dict[str, object]:
        """The transaction as plain data (amounts as strings)."""
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "narration": self.narration,
            "postings": [[p.account, format(p.amount, "f"), p.currency] for p in self.postings],
            "meta": [list(pair) for pair in self.meta],
            "links": list(self.links),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Transaction:
        """Rebuild from :meth:`as_dict` data, checked again and read strictly: amounts and
        dates only in the form :meth:`as_dict` writes (``-1234.50``: ASCII digits, an
        optional leading ``-``, an optional ``.digits``; ``2024-01-31``), so different data
        never rebuilds the same transaction.

        Raises
        ------
        InvalidInputError, InputTypeError
            Naming the field that is not as :meth:`as_dict` writes it.

        Examples
        --------
        >>> import datetime as dt
        >>> t = Transaction("T1", dt.date(2024, 1, 2), [Posting("Assets:A", "1.50", "CNY"),
        ...                 Posting("Assets:B", "-1.50", "CNY")])
        >>> Transaction.from_dict(t.as_dict()) == t
        True
        >>> data = t.as_dict() | {"postings": [["Assets:A", "+1.50", "CNY"],
        ...                                    ["Assets:B", "-1.50", "CNY"]]}
        >>> Transaction.from_dict(data)
        Traceback (most recent call last):
        ...
        loanmath.errors.InvalidInputError: amount='+1.50': is not written as the export ...
        """
        if not isinstance(data, Mapping) or set(data) != _FIELDS:
            keys = sorted(map(str, data)) if isinstance(data, Mapping) else type(data).__name__
            raise InvalidInputError("data", keys, f"must have exactly the keys {sorted(_FIELDS)}")
        date = _strict(data["date"], _DATE_TEXT, "date", "2024-01-31")
        try:
            day = _dt.date.fromisoformat(date)
        except ValueError:
            raise InvalidInputError("date", date, "is not a calendar date") from None
        postings = []
        for leg in _list(data["postings"], "postings"):
            account, amount, currency = _list(leg, "postings", 3)
            text = _strict(amount, _AMOUNT_TEXT, "amount", "-1234.50")
            postings.append(Posting(account, D(text, "amount"), currency))
        narration = data["narration"]
        if type(narration) is not str:
            raise InputTypeError("narration", narration, "must be a string")
        return cls(
            data["id"],
            day,
            postings,
            narration,
            meta=[tuple(_list(pair, "meta", 2)) for pair in _list(data["meta"], "meta")],
            links=_list(data["links"], "links"),
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
        legs = [Posting(p.account, p.amount.copy_negate(), p.currency) for p in self.postings]
        return Transaction(
            id,
            date,
            legs,
            narration or f"reversal of {self.id}",
            meta={"reverses": self.id},
            links=(self.id,),
        )


def _rebuild(fields: tuple[Any, ...]) -> Transaction:
    """A Transaction of checked fields ``(id, date, postings, narration, meta, links)``,
    without the checks (from_legs, and unpickling)."""
    made = _new(_TransactionFields)
    made.id, made.date, made.postings, made.narration, made.meta, made.links = fields
    made.__class__ = Transaction
    unchecked: Any = made
    transaction: Transaction = unchecked
    return transaction
