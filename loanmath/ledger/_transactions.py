"""Postings and transactions: immutable, balanced at construction, with a canonical form.

Both are tuple-based (immutable like every loanmath value, and cheap: a ledger holds millions).
A :class:`Transaction` that does not net to exactly zero in every currency cannot be
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
import decimal
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from operator import itemgetter
from typing import Any, Final

from loanmath._canonical import canonical_json
from loanmath._checks import check_date
from loanmath._decimal import EXACT, D
from loanmath.errors import InputTypeError, InvalidInputError, LedgerImbalance
from loanmath.ledger._accounts import check_text
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

_KNOWN_CURRENCIES: set[str] = set()
#: beancount's key syntax: a lower-case letter, then at least one more character
_META_KEY = re.compile(r"\A[a-z][a-zA-Z0-9_-]+\Z")
#: the only amount and date forms an import accepts: what the export writes
_AMOUNT_TEXT = re.compile(r"\A(?!-0(?:\.0+)?\Z)-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?\Z")
_DATE_TEXT = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_LIMIT = (
    f"must be at most {MAX_AMOUNT} in absolute value, with at most {MAX_PLACES} decimal "
    "places (the ledger's limit: balances stay exact and beancount reads every export)"
)
_DECIMAL_ERRORS = (decimal.Inexact, decimal.InvalidOperation, decimal.Overflow)


_CENT = Decimal("0.01")


def amount_ok(amount: object) -> bool:
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
        return amount.as_tuple().exponent >= -MAX_PLACES  # type: ignore[operator]
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
        return amount  # type: ignore[return-value]
    fix = "round it to 6 decimal places with a Rounding policy, or split it into several postings"
    raise InvalidInputError("amount", amount, f"{where}{_LIMIT}" if where else _LIMIT, fix)


class Posting(tuple):  # type: ignore[type-arg]
    """One leg of a transaction: ``(account, amount, currency)``. Debits are positive.

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
        if not account.isascii():
            check_text(account, "account")
        if type(currency) is not str or currency not in _KNOWN_CURRENCIES:
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


def _bad_account(account: object) -> InvalidInputError:
    return InvalidInputError("account", account, "must be an account name")


def _check_id(id: object) -> None:
    if type(id) is not str or not id:
        raise InvalidInputError("id", id, "must be a non-empty string")
    if not id.isascii():
        check_text(id, "id")


def _check_leg_count(id: str, count: int) -> None:
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


def _narration(narration: object) -> str:
    text = narration if type(narration) is str else str(narration)
    return text if text.isascii() else check_text(text, "narration")


def _links(links: Iterable[str]) -> tuple[str, ...]:
    result = tuple(links)
    for link in result:
        if type(link) is not str or not link:
            raise InvalidInputError("links", link, "must be transaction ids (non-empty strings)")
        if not link.isascii():
            check_text(link, "links")
    return result


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


def _rebuild(fields: tuple[Any, ...]) -> Transaction:
    return tuple.__new__(Transaction, fields)


def _residuals(postings: tuple[Posting, ...]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    try:
        for _, amount, currency in postings:
            previous = totals.get(currency)
            totals[currency] = amount if previous is None else EXACT.add(previous, amount)
    except _DECIMAL_ERRORS:
        raise _beyond(postings) from None
    return {c: v for c, v in totals.items() if v}


def _beyond(postings: Iterable[tuple[Any, Decimal, Any]]) -> InvalidInputError:
    """The error for amounts whose sum cannot be exact (far beyond :data:`MAX_AMOUNT`)."""
    widest = max((amount for _, amount, _ in postings), key=lambda m: abs(m.adjusted()))
    return InvalidInputError(
        "amount", widest, _LIMIT, "amounts this wide cannot be summed exactly; round them"
    )


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
        if type(narration) is not str or not narration.isascii():
            narration = _narration(narration)
        return tuple.__new__(
            cls, (id, date, legs, narration, pairs, _links(links) if links else ())
        )

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
        new = tuple.__new__
        postings = []
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
                    raise _bad_account(account)
                if not account.isascii():
                    check_text(account, "account")
                postings.append(new(Posting, (account, amount, currency)))
                total = add(total, amount)
        except _DECIMAL_ERRORS:
            raise _beyond(postings) from None
        _check_id(id)
        _check_leg_count(id, len(postings))
        if total:
            cls._imbalance(id, {currency: total})
        if type(date) is not _dt.date:
            date = check_date(date, "date")
        return new(cls, (id, date, tuple(postings), _narration(narration), (), ()))

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
        return canonical_json(self.as_dict())

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
        legs = [Posting(a, m.copy_negate(), c) for a, m, c in self.postings]
        return Transaction(
            id,
            date,
            legs,
            narration or f"reversal of {self.id}",
            meta={"reverses": self.id},
            links=(self.id,),
        )
