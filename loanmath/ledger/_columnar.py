"""The journal in columns: int64 units by account index, for portfolio-scale balances.

Each posting becomes ``(account index, currency index, units)`` where units are integers of
the finest decimal place that currency uses in the journal. Balances are sums per
(account, currency) computed with ``numpy.bincount`` on two exact halves of each amount, so
they equal the object path's Decimal balances (property-tested).
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import numpy as np
import numpy.typing as npt

from loanmath._decimal import EXACT
from loanmath.errors import InvalidInputError
from loanmath.ledger._journal import Journal

__all__ = ["ColumnarPostings", "columnar"]

_HALF = 26
_LIMIT = 1 << 52  # |units| per posting, so each half sums exactly in float64


@attrs.frozen(eq=False)
class ColumnarPostings:
    """Postings as arrays: ``account`` and ``currency`` indices, ``units`` (int64), and the
    names and decimal exponents they index.

    Notes
    -----
    ``units = amount × 10**e`` with ``e`` the most decimal places the currency has in the
    journal, so ``units`` is an exact integer below 2**52. Each is split into
    ``low = units mod 2**26`` and ``high = units >> 26``; ``numpy.bincount`` sums each half in
    float64 (exact while the sums stay below 2**53), and ``balance = (Σhigh << 26) + Σlow``,
    times ``10**-e``, equals the Decimal balance (docs/ledger.md, "Exports").

    Examples
    --------
    >>> columnar(Journal()).units.size
    0
    """

    accounts: tuple[str, ...]
    currencies: tuple[str, ...]
    exponents: tuple[int, ...]
    account: npt.NDArray[np.int64]
    currency: npt.NDArray[np.int64]
    units: npt.NDArray[np.int64]
    #: account × currencies + currency, and the keys that occur (precomputed once)
    key: npt.NDArray[np.int64] = attrs.field(init=False)
    used: tuple[int, ...] = attrs.field(init=False)
    #: the two exact float64 halves of each amount that bincount sums
    low: npt.NDArray[np.float64] = attrs.field(init=False)
    high: npt.NDArray[np.float64] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        key = self.account * len(self.currencies) + self.currency
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "used", tuple(int(k) for k in np.unique(key)))
        object.__setattr__(self, "low", (self.units & ((1 << _HALF) - 1)).astype(np.float64))
        object.__setattr__(self, "high", (self.units >> _HALF).astype(np.float64))

    def balances(self) -> dict[tuple[str, str], Decimal]:
        """Every (account, currency) balance, exact.

        Examples
        --------
        >>> import datetime as dt
        >>> from loanmath.ledger import Posting, Transaction, lending_chart
        >>> j = Journal(lending_chart(dt.date(2024, 1, 1)))
        >>> _ = j.post(Transaction("T", dt.date(2024, 1, 2), [
        ...     Posting("Assets:Loans:Principal", "10.50", "CNY"),
        ...     Posting("Assets:Bank:Custody", "-10.50", "CNY")]))
        >>> columnar(j).balances()[("Assets:Loans:Principal", "CNY")]
        Decimal('10.50')
        """
        size = len(self.accounts) * len(self.currencies)
        low_sum = np.bincount(self.key, weights=self.low, minlength=size).astype(np.int64)
        high_sum = np.bincount(self.key, weights=self.high, minlength=size).astype(np.int64)
        totals = (high_sum << _HALF) + low_sum
        width = len(self.currencies)
        result = {}
        for index in self.used:
            account, currency = divmod(int(index), width)
            result[(self.accounts[account], self.currencies[currency])] = EXACT.multiply(
                Decimal(int(totals[index])), Decimal(1).scaleb(-self.exponents[currency])
            )
        return result


def columnar(journal: Journal) -> ColumnarPostings:
    """The journal's postings as :class:`ColumnarPostings`.

    Raises
    ------
    InvalidInputError
        If a posting exceeds 2**52 units of its currency's finest place.

    Notes
    -----
    Accounts and currencies are indexed in order of first appearance; a currency's exponent
    is the most decimal places any of its postings has as written. The 2**52 bound keeps
    each posting exact in the two float64 halves :meth:`ColumnarPostings.balances` sums
    (docs/ledger.md, "Limits").

    Examples
    --------
    >>> columnar(Journal()).accounts
    ()
    """
    account_index: dict[str, int] = {}
    currency_index: dict[str, int] = {}
    exponents: dict[str, int] = {}
    rows = []
    for transaction in journal:
        for leg in transaction.postings:
            amount, currency = leg.amount, leg.currency
            a = account_index.setdefault(leg.account, len(account_index))
            c = currency_index.setdefault(currency, len(currency_index))
            exponent = -int(amount.as_tuple().exponent)
            if exponent > exponents.get(currency, 0):
                exponents[currency] = exponent
            rows.append((a, c, amount))
    exponent_list = [exponents.get(c, 0) for c in currency_index]
    units = []
    for _, c, amount in rows:
        value = int(amount.scaleb(exponent_list[c], EXACT)) if exponent_list[c] else int(amount)
        if not -_LIMIT < value < _LIMIT:
            raise InvalidInputError("amount", amount, "is too large for the columnar form")
        units.append(value)
    return ColumnarPostings(
        accounts=tuple(account_index),
        currencies=tuple(currency_index),
        exponents=tuple(exponent_list),
        account=np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)),
        currency=np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows)),
        units=np.asarray(units, dtype=np.int64),
    )
