"""Columns of offers, checked once and turned into integer arrays (batch pricing).

A column is named as the ``LoanTerms`` keyword it stands for and holds one value per offer (a
scalar is repeated for every offer). Amounts and rates are exact: Decimals, strings or ints
(an int is whole units: ``12000`` is 12,000 yuan), never floats. Each offer becomes integers:
its principal and fees in units of its currency's minor unit, its annual rate in counts of
10⁻⁷. A value a ``LoanTerms`` would refuse makes its row *invalid* (named, with the reason),
so the caller chooses to mask such rows or to raise.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from loanmath._checks import check_date
from loanmath._decimal import MAX_AMOUNT, D, div_round
from loanmath.dates import FREQUENCIES, nth_date
from loanmath.errors import InputTypeError, InvalidInputError, LoanMathError, UnknownNameError
from loanmath.money import check_currency, minor_unit

__all__ = ["COLUMNS", "METHODS", "RATE_SCALE", "Offers", "offers_from_columns"]

IntArray = npt.NDArray[np.int64]

#: The columns batch pricing understands, named as LoanTerms' keywords.
COLUMNS = (
    "principal",
    "currency",
    "annual_rate",
    "term",
    "method",
    "frequency",
    "upfront_fee",
    "financed_fee",
    "start_date",
)
#: Methods the batch engine computes (the same integers as the scalar schedule).
METHODS = ("annuity", "equal_principal", "interest_only", "bullet")
#: Rates are held as integer counts of 10⁻⁷ (0.1234567 is 1,234,567).
RATE_PLACES = 7
RATE_SCALE = 10**RATE_PLACES
MAX_TERM = 480
MAX_RATE_COUNTS = 100 * RATE_SCALE  # LoanTerms.MAX_RATE, 10,000 % a year
_REQUIRED = ("principal", "currency", "annual_rate", "term", "start_date")


@attrs.frozen(eq=False)
class Offers:
    """Offers as integer columns (one row per offer); ``problems`` names each invalid row.

    Attributes
    ----------
    principal, upfront, financed : ndarray of int64
        Amounts in units of each row's currency minor unit.
    rate : ndarray of int64
        Annual rates in counts of 10⁻⁷.
    term : ndarray of int64
    places : ndarray of int64
        Decimal places of each row's currency (2 for CNY, 0 for JPY).
    method, frequency, currency : ndarray of str
    start : ndarray of object (datetime.date)
    problems : dict
        Row → (column, value, reason) for every row a LoanTerms would refuse.
    """

    principal: IntArray
    upfront: IntArray
    financed: IntArray
    rate: IntArray
    term: IntArray
    places: IntArray
    method: npt.NDArray[Any]
    frequency: npt.NDArray[Any]
    currency: npt.NDArray[Any]
    start: npt.NDArray[Any]
    problems: dict[int, tuple[str, object, str]]

    @property
    def size(self) -> int:
        """The number of offers."""
        return int(self.principal.shape[0])

    def valid(self) -> npt.NDArray[np.bool_]:
        """A boolean mask of the rows a LoanTerms would accept (caps aside)."""
        mask = np.ones(self.size, dtype=bool)
        if self.problems:
            mask[np.fromiter(self.problems, dtype=np.int64)] = False
        return mask

    def with_rate(self, rate: IntArray, rows: IntArray) -> Offers:
        """The offers `rows` with their annual rates replaced (counts of 10⁻⁷)."""
        return _take(self, rows, rate=rate)

    def with_fee(self, which: str, units: IntArray, rows: IntArray) -> Offers:
        """The offers `rows` with their upfront or financed fee replaced (units)."""
        return _take(self, rows, **{which: units})

    def ppy(self) -> IntArray:
        """Periods a year of each row's frequency."""
        return np.array([FREQUENCIES[f][2] for f in self.frequency], dtype=np.int64)


def _take(offers: Offers, rows: IntArray, **replace: IntArray) -> Offers:
    values = {
        f.name: getattr(offers, f.name)[rows] for f in attrs.fields(Offers) if f.name != "problems"
    }
    values.update(replace)
    return Offers(**values, problems={})


def _is_scalar(value: object) -> bool:
    return isinstance(value, str | bytes | Decimal | int | _dt.date) or bool(np.isscalar(value))


def _column(columns: Mapping[str, object], name: str, size: int, default: object) -> Any:
    """One column: a scalar as given, or a 1-d ndarray of `size` values."""
    value = columns.get(name, default)
    if _is_scalar(value):
        return value
    array = np.asarray(value)
    if array.ndim != 1 or len(array) != size:
        raise InvalidInputError(
            name, getattr(array, "shape", value), f"must be a scalar or hold {size} values"
        )
    return array


def _list(column: Any, size: int) -> list[Any]:
    return [column] * size if _is_scalar(column) else list(column.tolist())


def _size(columns: Mapping[str, object]) -> int:
    sizes = {
        name: len(value)
        for name, value in columns.items()
        if not isinstance(value, str | bytes | Decimal | int | _dt.date)
        and not np.isscalar(value)
        and hasattr(value, "__len__")
    }
    if not sizes:
        return 1
    if len(set(sizes.values())) > 1:
        raise InvalidInputError(
            "columns", sizes, "must all hold one value per offer", "give columns of one length"
        )
    return next(iter(sizes.values()))


def _check_names(columns: Mapping[str, object]) -> None:
    for name in columns:
        if name not in COLUMNS:
            raise InvalidInputError(
                "columns",
                name,
                "is not a column batch pricing knows (" + ", ".join(COLUMNS) + ")",
                "price offers with other terms one by one: LoanTerms and loanmath.caps.max_rate",
            )
    missing = [name for name in _REQUIRED if name not in columns]
    if missing:
        raise InvalidInputError("columns", missing, "are required", f"add {', '.join(missing)}")


def _scaled(value: object, places: int, field: str) -> int | str:
    """``value × 10^places`` as an int, or the reason it is not one."""
    amount = D(value.item() if isinstance(value, np.generic) else value, field)
    scaled = amount.scaleb(places)
    if scaled != scaled.to_integral_value():
        return f"has more than {places} decimal places"
    return int(scaled)


def _unique(array: npt.NDArray[Any]) -> tuple[list[Any], npt.NDArray[np.intp]]:
    """The distinct values of `array` and where each row's value sits among them."""
    try:
        values, inverse = np.unique(array, return_inverse=True)
        return list(values.tolist()), inverse.reshape(-1)
    except TypeError:  # values of several types do not sort: index them by hand
        seen: dict[tuple[type, object], int] = {}
        index = np.fromiter(
            (seen.setdefault((type(v), v), len(seen)) for v in array.tolist()),
            dtype=np.intp,
            count=len(array),
        )
        return [v for _, v in seen], index


def _amounts(
    column: Any,
    places: npt.NDArray[np.int64],
    name: str,
    problems: dict[int, tuple[str, object, str]],
) -> IntArray:
    """Amounts in units of 10^-places, each distinct (value, places) converted once."""
    size = len(places)
    if isinstance(column, np.ndarray) and column.dtype.kind == "f" and size:
        D(column[0].item(), f"{name}[0]")  # raises FloatMoneyError naming the row
    values, inverse = (
        ([column], np.zeros(size, dtype=np.intp)) if _is_scalar(column) else _unique(column)
    )
    out = np.zeros(size, dtype=np.int64)
    limit = int(MAX_AMOUNT)
    for p in sorted(set(places.tolist())):
        rows = np.flatnonzero(places == p)
        units = np.zeros(len(values), dtype=np.int64)
        bad = np.zeros(len(values), dtype=bool)
        reasons: dict[int, str] = {}
        for j in sorted(set(inverse[rows].tolist())):
            try:
                scaled = _scaled(values[j], p, name)
            except LoanMathError:  # again, naming the first row that holds the value
                scaled = _scaled(values[j], p, f"{name}[{_first(rows, inverse, j)}]")
            if isinstance(scaled, str):
                reasons[j] = scaled
            elif not 0 <= scaled <= limit * 10**p:
                reasons[j] = f"must be >= 0 and <= {MAX_AMOUNT}"
            else:
                units[j] = scaled
                continue
            bad[j] = True
        out[rows] = units[inverse[rows]]
        for i in rows[bad[inverse[rows]]][:1000].tolist():
            j = int(inverse[i])
            problems.setdefault(i, (name, values[j], reasons[j]))
    return out


def _first(rows: npt.NDArray[np.intp], inverse: npt.NDArray[np.intp], j: int) -> int:
    """The first row holding distinct value `j` (named in an error about it)."""
    return int(rows[np.argmax(inverse[rows] == j)])


def _names(values: list[Any], name: str, choices: tuple[str, ...]) -> npt.NDArray[Any]:
    for value in set(values):
        if value not in choices:
            raise UnknownNameError(name, value, choices)
    return np.asarray(values, dtype=object)


def _dates(values: list[Any]) -> npt.NDArray[Any]:
    cache: dict[object, _dt.date] = {}
    out = []
    for i, given in enumerate(values):
        value = given.astype("datetime64[D]").item() if isinstance(given, np.datetime64) else given
        key = value if isinstance(value, _dt.date) else repr(value)
        if key not in cache:
            cache[key] = check_date(value, f"start_date[{i}]")
        out.append(cache[key])
    return np.asarray(out, dtype=object)


def _terms(values: list[Any], problems: dict[int, tuple[str, object, str]]) -> IntArray:
    out = np.zeros(len(values), dtype=np.int64)
    for i, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise InputTypeError(f"term[{i}]", value, "must be an int (instalments)")
        if not 1 <= value <= MAX_TERM:
            problems.setdefault(i, ("term", value, f"must be between 1 and {MAX_TERM}"))
        else:
            out[i] = value
    return out


def _check_rows(offers: Offers) -> None:
    """Each row as LoanTerms checks it: principal > 0, rate within range, fees below it."""
    problems = offers.problems
    rows = [
        (offers.principal <= 0, "principal", offers.principal, "must be > 0"),
        (
            offers.rate > MAX_RATE_COUNTS,
            "annual_rate",
            offers.rate,
            "must be between 0 and 100 (a fraction: 0.12 is 12 %)",
        ),
        (
            (offers.upfront >= offers.principal) & (offers.principal > 0),
            "upfront_fee",
            offers.upfront,
            "must be below the principal",
        ),
        (
            offers.financed > offers.principal,
            "financed_fee",
            offers.financed,
            "is larger than the principal",
        ),
    ]
    for bad, name, values, reason in rows:
        for i in np.flatnonzero(bad):
            problems.setdefault(int(i), (name, int(values[i]), reason))
    equal = (offers.method == "equal_principal") & (offers.term > 0)
    for i in np.flatnonzero(equal):
        whole = int(offers.principal[i] + offers.financed[i])
        n = int(offers.term[i])
        if div_round(whole, n, "half_up") * (n - 1) > whole:  # the default rounding
            problems.setdefault(
                int(i), ("term", n, "leaves a negative last principal part (equal_principal)")
            )
    _check_last_dates(offers)


def _check_last_dates(offers: Offers) -> None:
    """Rows whose last due date falls outside the calendar (a start in 9999), refused as
    ``LoanTerms`` refuses them: each (start, frequency) is tried at its longest term, and its
    terms one by one only when that fails."""
    groups: dict[tuple[_dt.date, str], list[int]] = {}
    for i, key in enumerate(zip(offers.start.tolist(), offers.frequency.tolist(), strict=True)):
        if offers.term[i] > 0:
            groups.setdefault(key, []).append(i)
    for (start, frequency), rows in groups.items():
        terms = sorted({int(offers.term[i]) for i in rows})
        if _reason(start, terms[-1], frequency) is None:
            continue
        for n in terms:
            reason = _reason(start, n, frequency)
            if reason is not None:
                for i in rows:
                    if offers.term[i] == n:
                        offers.problems.setdefault(i, ("start_date", start, reason))


def _reason(start: _dt.date, term: int, frequency: str) -> str | None:
    """Why the `term`-th due date from `start` does not exist, or None."""
    try:
        nth_date(start, term, frequency)
    except LoanMathError as error:
        return str(getattr(error, "limit", error))
    return None


def _codes(column: Any, size: int) -> tuple[list[str], npt.NDArray[np.intp]]:
    values, where = (
        ([column], np.zeros(size, dtype=np.intp)) if _is_scalar(column) else _unique(column)
    )
    return [check_currency(c, "currency") for c in values], where


def offers_from_columns(columns: Mapping[str, object]) -> Offers:
    """Check `columns` and turn them into :class:`Offers`.

    Raises
    ------
    UnknownNameError, InvalidInputError, InputTypeError, FloatMoneyError
        For a column that is unknown, missing, of the wrong length or type, or a name
        (method, frequency, currency) that is not known. Out-of-range *values* mark their row
        invalid instead (``Offers.problems``).

    Examples
    --------
    >>> import datetime as dt
    >>> o = offers_from_columns({"principal": ["12000", "500.5"], "currency": "CNY",
    ...     "annual_rate": ["0.12", "0.3"], "term": [12, 6], "start_date": dt.date(2024, 1, 15)})
    >>> o.principal.tolist(), o.rate.tolist()
    ([1200000, 50050], [1200000, 3000000])
    """
    _check_names(columns)
    size = _size(columns)
    problems: dict[int, tuple[str, object, str]] = {}
    codes, where = _codes(_column(columns, "currency", size, None), size)
    currency = np.asarray(codes, dtype=object)[where]
    places = np.asarray([minor_unit(c) for c in codes], dtype=np.int64)[where]
    rate_places = np.full(size, RATE_PLACES, dtype=np.int64)
    offers = Offers(
        principal=_amounts(
            _column(columns, "principal", size, None), places, "principal", problems
        ),
        upfront=_amounts(_column(columns, "upfront_fee", size, 0), places, "upfront_fee", problems),
        financed=_amounts(
            _column(columns, "financed_fee", size, 0), places, "financed_fee", problems
        ),
        rate=_amounts(
            _column(columns, "annual_rate", size, None), rate_places, "annual_rate", problems
        ),
        term=_terms(_list(_column(columns, "term", size, None), size), problems),
        places=places,
        method=_names(_list(_column(columns, "method", size, "annuity"), size), "method", METHODS),
        frequency=_names(
            _list(_column(columns, "frequency", size, "monthly"), size),
            "frequency",
            tuple(FREQUENCIES),
        ),
        currency=currency,
        start=_dates(_list(_column(columns, "start_date", size, None), size)),
        problems=problems,
    )
    _check_rows(offers)
    return offers


def invalid_rows_error(offers: Offers, rows: npt.NDArray[np.int64]) -> LoanMathError:
    """One error naming the first invalid row and how many there are."""
    first = int(rows[0])
    column, value, reason = offers.problems[first]
    shown = ", ".join(str(int(r)) for r in rows[:20])
    more = f" and {rows.size - 20} more" if rows.size > 20 else ""
    return InvalidInputError(
        f"{column}[{first}]",
        value,
        reason,
        f"{rows.size} offer(s) a LoanTerms would refuse (rows {shown}{more}); fix them or "
        "pass errors='mask'",
    )
