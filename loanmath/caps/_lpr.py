"""China's private-lending cap: 4 × the one-year LPR in force when the contract is formed."""

from __future__ import annotations

import datetime as _dt
import warnings
from bisect import bisect_right
from decimal import Decimal
from typing import Any

from loanmath._checks import check_date
from loanmath._decimal import CONTEXT, D
from loanmath.caps._base import Cap
from loanmath.caps._measures import all_in_irr
from loanmath.caps._measures import percent as _percent
from loanmath.errors import InvalidInputError

__all__ = ["LPRStaleWarning", "cn_private_lending", "lpr_1y", "lpr_table", "register_lpr"]


class LPRStaleWarning(UserWarning):
    """A date lies past the last LPR value the library knows; the warning names the value used.

    Notes
    -----
    Issued by :func:`lpr_1y` (so also by :func:`cn_private_lending`) for a date after the date
    the table is known to hold through: the last value in force is used, and the message names it
    and its effective date. :func:`register_lpr` of a newer value silences it
    (docs/caps-and-quote.md, "The LPR table").
    """


# --- China: 4 × one-year LPR --------------------------------------------------------------

#: One-year LPR, effective from the publication date until the next change (REGULATION.md).
_LPR: list[tuple[_dt.date, Decimal]] = [
    (_dt.date(2019, 8, 20), Decimal("0.0425")),
    (_dt.date(2019, 9, 20), Decimal("0.0420")),
    (_dt.date(2019, 11, 20), Decimal("0.0415")),
    (_dt.date(2020, 2, 20), Decimal("0.0405")),
    (_dt.date(2020, 4, 20), Decimal("0.0385")),
    (_dt.date(2021, 12, 20), Decimal("0.0380")),
    (_dt.date(2022, 1, 20), Decimal("0.0370")),
    (_dt.date(2022, 8, 22), Decimal("0.0365")),
    (_dt.date(2023, 6, 20), Decimal("0.0355")),
    (_dt.date(2023, 8, 21), Decimal("0.0345")),
    (_dt.date(2024, 7, 22), Decimal("0.0335")),
    (_dt.date(2024, 10, 21), Decimal("0.0310")),
    (_dt.date(2025, 5, 20), Decimal("0.0300")),
]
#: The LPR is published monthly; values are known to hold until this date.
_known_through: list[_dt.date] = [_dt.date(2025, 6, 19)]


def lpr_table() -> tuple[tuple[_dt.date, Decimal], ...]:
    """The one-year LPR changes known to the library (built in and registered).

    Notes
    -----
    ``(effective_from, rate)`` pairs in date order, each rate in force from its publication date
    until the next change: built in from 2019-08-20 (4.25 %) to 2025-05-20 (3.00 %), plus the
    values :func:`register_lpr` added in this process. 法释〔2020〕17号 Art. 25 caps private
    lending at 4 × this rate (docs/caps-and-quote.md, "The LPR table").

    Examples
    --------
    >>> lpr_table()[0]
    (datetime.date(2019, 8, 20), Decimal('0.0425'))
    """
    return tuple(_LPR)


#: The last month whose following publication date (the 20th of the month after next) exists.
_LAST_MONTHLY = _dt.date(9999, 10, 1)
#: The day of the month the National Interbank Funding Center publishes the LPR (PBoC
#: announcement 〔2019〕第15号: the 20th, the next working day when it is not one).
_PUBLISHED_ON = 20


def register_lpr(
    effective_from: _dt.date, rate: Decimal | str, *, known_through: _dt.date | None = None
) -> None:
    """Add a published one-year LPR at run time (a newer value than the built-in table).

    Parameters
    ----------
    effective_from : datetime.date
        The publication date from which it applies.
    rate : Decimal or str
        As a fraction (``"0.0300"`` is 3.00 %).
    known_through : datetime.date, optional
        The date up to which the table is now known to be complete (default: the day before
        the next monthly publication after `effective_from`).

    Notes
    -----
    Replaces an entry of the same `effective_from`, keeps the table in date order, and moves the
    known-through date to `known_through` if later. Without it, the day before the next
    publication on the 20th (2025-05-20 → 2025-06-19; 2025-05-10 → 2025-05-19). Every input is
    checked before the process-wide table changes (docs/caps-and-quote.md, "The LPR table").

    Examples
    --------
    >>> import datetime as dt
    >>> register_lpr(dt.date(2025, 5, 20), "0.0300", known_through=dt.date(2025, 6, 19))
    >>> lpr_1y(dt.date(2025, 6, 1))
    Decimal('0.0300')
    """
    day = check_date(effective_from, "effective_from")
    value = D(rate, "rate")
    if not 0 < value < 1:
        raise InvalidInputError("rate", value, "must be a fraction between 0 and 1")
    if known_through is None:
        if day >= _LAST_MONTHLY:
            raise InvalidInputError(
                "effective_from",
                day,
                f"must be before {_LAST_MONTHLY} without known_through",
                "give known_through",
            )
        # the LPR is published on the 20th: the next publication is this month's 20th or,
        # from the 20th on, next month's; the table is known up to the day before it
        if day.day < _PUBLISHED_ON:
            through = day.replace(day=_PUBLISHED_ON - 1)
        else:
            through = (day.replace(day=1) + _dt.timedelta(days=32)).replace(day=_PUBLISHED_ON - 1)
    else:
        through = check_date(known_through, "known_through")
        if through < day:
            raise InvalidInputError(
                "known_through", through, f"must be on or after effective_from ({day})"
            )
    # every check is done: only now does the process-wide table change
    _LPR[:] = sorted([*(e for e in _LPR if e[0] != day), (day, value)])
    _known_through[0] = max(_known_through[0], through)


def lpr_1y(on_date: _dt.date) -> Decimal:
    """The one-year LPR in force on `on_date`.

    Raises
    ------
    InvalidInputError
        Before 2019-08-20 (the reformed LPR's first publication).

    Warns
    -----
    LPRStaleWarning
        For a date past the last value the library knows, naming the value it used.

    Notes
    -----
    The last table entry with ``effective_from <= on_date`` (a rate applies from its publication
    date until the next change); before 2019-08-20, the reformed LPR's first publication, the
    2015 private-lending rule applied instead, so the date is refused. docs/caps-and-quote.md,
    "The LPR table"; used for 法释〔2020〕17号 Art. 25's 4 × LPR.

    Examples
    --------
    >>> import datetime as dt
    >>> lpr_1y(dt.date(2024, 10, 20)), lpr_1y(dt.date(2024, 10, 21))
    (Decimal('0.0335'), Decimal('0.0310'))
    """
    day = check_date(on_date, "on_date")
    if day < _LPR[0][0]:
        raise InvalidInputError(
            "on_date",
            day,
            f"is before the first one-year LPR ({_LPR[0][0]})",
            "the 2015 private-lending rule (24 % / 36 %) applied then",
        )
    index = bisect_right([e[0] for e in _LPR], day) - 1
    value = _LPR[index][1]
    if day > _known_through[0]:
        warnings.warn(
            f"LPR for {day} is past the last known value; used {value} (in force from "
            f"{_LPR[index][0]}). Register newer values with loanmath.caps.register_lpr().",
            LPRStaleWarning,
            stacklevel=2,
        )
    return value


class _PrivateLending(Cap):
    covers_overdue = True
    batch_measure = "all_in_irr"

    def __init__(self, contract_date: _dt.date) -> None:
        self.contract_date = check_date(contract_date, "contract_date")
        self.lpr = lpr_1y(self.contract_date)
        self.limit = CONTEXT.multiply(self.lpr, Decimal(4))
        self.name = f"CN_PRIVATE_LENDING_4LPR({self.contract_date}: 4 x {_percent(self.lpr)})"

    def measure(self, terms: Any) -> Decimal:
        return all_in_irr(terms)


def cn_private_lending(contract_date: _dt.date) -> Cap:
    """China's private-lending cap: 4 × the one-year LPR in force on `contract_date`.

    Measures interest and fees together, annualised by IRR, and the overdue rate (Arts. 25,
    28-29 of 法释〔2020〕17号).

    Notes
    -----
    ``limit = 4 × lpr_1y(contract_date)``, the one-year LPR in force when the contract is formed
    (法释〔2020〕17号 Art. 25). Measured as interest and every fee by periodic IRR × periods a
    year (``all_in_irr``), and the agreed overdue rate must stay within the same limit
    (Arts. 28–29). A date before 2019-08-20 raises; one past the known table warns
    :class:`LPRStaleWarning`. docs/caps-and-quote.md.

    Examples
    --------
    >>> import datetime as dt
    >>> cn_private_lending(dt.date(2024, 8, 1)).limit
    Decimal('0.1340')
    """
    return _PrivateLending(contract_date)
