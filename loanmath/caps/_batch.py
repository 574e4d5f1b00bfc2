"""Pricing whole columns of offers against a cap: the verdict, the highest rate, the highest fee.

Every row gives what the scalar path gives for the same offer: ``batch_check`` is whether
``LoanTerms(..., caps=(cap,))`` would be accepted, ``batch_max_rate`` and ``batch_max_fee`` equal
:func:`loanmath.caps.max_rate` and :func:`loanmath.caps.max_fee` on that offer's terms. The
tests hold them to it on random offers concentrated at the cap boundaries.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from loanmath._checks import check_name
from loanmath._decimal import D, context_free
from loanmath.apr import regz_apr
from loanmath.caps._base import Cap
from loanmath.caps._engine import complies, estimate_rate, flows, present_values
from loanmath.caps._offers import (
    MAX_RATE_COUNTS,
    RATE_SCALE,
    Offers,
    invalid_rows_error,
    offers_from_columns,
)
from loanmath.dates import nth_date
from loanmath.errors import InputTypeError, InvalidInputError, NoSolutionError

__all__ = ["batch_cash_flows", "batch_check", "batch_max_fee", "batch_max_rate"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
_ERRORS = ("raise", "mask")
_FEES = ("upfront", "financed")


def _columns(frame: object, columns: dict[str, object]) -> dict[str, object]:
    if frame is None:
        return columns
    if not hasattr(frame, "columns") or not hasattr(frame, "__getitem__"):
        raise InputTypeError("frame", frame, "must be a pandas DataFrame (or pass columns)")
    merged: dict[str, object] = {str(name): np.asarray(frame[name]) for name in frame.columns}
    merged.update(columns)
    return merged


def _measure(cap: object) -> str:
    if not isinstance(cap, Cap):
        raise InputTypeError("cap", cap, "must be a loanmath.caps.Cap")
    if cap.batch_measure not in ("all_in_irr", "mapr", "contract_rate"):
        raise InvalidInputError(
            "cap",
            cap.name,
            "has no batch measure (batch pricing measures all_in_irr, mapr and contract_rate)",
            "check these offers one by one with LoanTerms(..., caps=(cap,))",
        )
    return cap.batch_measure


def _verdicts(cap: Cap, measure: str, offers: Offers) -> BoolArray:
    """Whether each (valid) offer complies with `cap`."""
    if measure == "contract_rate":
        p, q = cap.limit.as_integer_ratio()
        return offers.rate.astype(object) * q <= p * RATE_SCALE  # type: ignore[no-any-return]
    pay, advance = flows(offers)
    verdict = complies(pay, advance, offers.ppy(), cap.limit)
    if measure == "mapr":  # Appendix J counts these off the period grid: measure them by it
        dated = (
            (offers.method == "bullet") | (offers.term < 2) | (offers.frequency == "semimonthly")
        )
        for i in np.flatnonzero(dated).tolist():
            verdict[i] = regz_apr(*_dated(offers, i, pay[i], int(advance[i]))) <= cap.limit
    return verdict


def _dated(
    offers: Offers, i: int, pay: IntArray, advance: int
) -> tuple[list[tuple[_dt.date, Decimal]], list[tuple[_dt.date, Decimal]]]:
    """Offer `i`'s advance and payments on their due dates, as Regulation Z takes them."""
    start, places = offers.start[i], -int(offers.places[i])
    frequency = str(offers.frequency[i])
    payments = [
        (nth_date(start, k + 1, frequency), Decimal(int(amount)).scaleb(places))
        for k, amount in enumerate(pay.tolist())
        if amount
    ]
    return [(start, Decimal(advance).scaleb(places))], payments


def _prepare(
    cap: object, frame: object, columns: dict[str, object], errors: str
) -> tuple[str, Offers, IntArray]:
    check_name(errors, "errors", _ERRORS)
    measure = _measure(cap)
    offers = offers_from_columns(_columns(frame, columns))
    invalid = np.flatnonzero(~offers.valid())
    if invalid.size and errors == "raise":
        raise invalid_rows_error(offers, invalid)
    return measure, offers, np.flatnonzero(offers.valid())


def _finish(values: npt.NDArray[Any], good: BoolArray, errors: str) -> npt.NDArray[Any]:
    if errors == "mask":
        return np.ma.masked_array(values, mask=~good)
    return values


@context_free
def batch_check(
    cap: Cap, frame: object = None, /, *, errors: str = "raise", **columns: object
) -> npt.NDArray[np.bool_]:
    """Whether each offer's ``LoanTerms`` would be accepted under `cap`, to the cent.

    Parameters
    ----------
    cap : Cap
        A cap with a batch measure (:data:`CN_COMPREHENSIVE_36`, :data:`US_MLA_36`,
        :func:`cn_private_lending`, an :class:`AnnualRateCap` on a named measure).
    frame : pandas.DataFrame, optional
        Columns by name (keyword columns are added to it or override it).
    errors : {"raise", "mask"}
        An offer a ``LoanTerms`` would refuse for another reason (a zero principal, a fee
        above it …): raise naming the rows, or mask them.
    **columns
        Named as ``LoanTerms``' keywords, one value per offer or one for all: ``principal``
        (amounts in units of the currency: Decimal, str or int, never float), ``currency``,
        ``annual_rate``, ``term``, ``method`` (annuity, equal_principal, interest_only,
        bullet), ``frequency``, ``upfront_fee``, ``financed_fee``, ``start_date``.

    Returns
    -------
    ndarray of bool (a masked array with ``errors="mask"``)

    Raises
    ------
    InvalidInputError, InputTypeError, UnknownNameError, FloatMoneyError

    Notes
    -----
    Each offer's repayments are the scalar schedule's (rounded payment, residual in the last
    instalment, interest rounded half up per period); the verdict is exact: an IRR cap at
    ``L`` with ``m`` periods a year holds when the repayments discounted at ``L/m`` a period
    are worth no more than the advance — decided in float64 with an error bound, and in
    integers when the bound cannot decide (整治办函〔2017〕141号; 32 CFR 232.4(b)).

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath.caps import CN_COMPREHENSIVE_36
    >>> batch_check(CN_COMPREHENSIVE_36, principal=["12000", "12000"], currency="CNY",
    ...             annual_rate=["0.35", "0.37"], term=12, start_date=dt.date(2024, 1, 15))
    array([ True, False])
    """
    measure, offers, rows = _prepare(cap, frame, columns, errors)
    result = np.zeros(offers.size, dtype=bool)
    if rows.size:
        result[rows] = _verdicts(cap, measure, offers.with_rate(offers.rate[rows], rows))
    return _finish(result, offers.valid(), errors)


@context_free
def batch_cash_flows(
    frame: object = None, /, *, errors: str = "raise", **columns: object
) -> npt.NDArray[Any]:
    """Each offer's cash flows on its period grid, as batch pricing measures them.

    Row ``i`` is what ``LoanTerms(...).schedule.period_amounts()`` gives for offer ``i``: the
    advance (negative) at index 0, then what is repaid at the end of each period, padded with
    zeros to the longest term. For auditing a verdict to the cent.

    Parameters
    ----------
    frame, errors, **columns
        As for :func:`batch_check`.

    Returns
    -------
    ndarray of Decimal (object), shape (offers, 1 + longest term); a masked array with
    ``errors="mask"`` (invalid offers masked).

    Notes
    -----
    The scalar schedule's rules: the level payment rounded once and the residual in the last
    instalment, interest ``round(B · rate / m)`` half up each period, a bullet's simple
    interest ``round(B · rate · N / m)`` with its one payment at period N, upfront fees off
    the advance, financed fees on the balance.

    Examples
    --------
    >>> import datetime as dt
    >>> rows = batch_cash_flows(principal="1200", currency="CNY", annual_rate="0.12", term=3,
    ...                         method=["annuity", "bullet"], start_date=dt.date(2024, 1, 15))
    >>> [[str(x) for x in row] for row in rows]
    [['-1200.00', '408.03', '408.03', '408.02'], ['-1200.00', '0.00', '0.00', '1236.00']]
    """
    check_name(errors, "errors", _ERRORS)
    offers = offers_from_columns(_columns(frame, columns))
    good = offers.valid()
    invalid = np.flatnonzero(~good)
    if invalid.size and errors == "raise":
        raise invalid_rows_error(offers, invalid)
    rows = np.flatnonzero(good)
    width = int(offers.term.max()) if offers.size else 0
    units = np.zeros((offers.size, width + 1), dtype=np.int64)
    if rows.size:
        subset = offers.with_rate(offers.rate[rows], rows)
        pay, advance = flows(subset)
        units[rows, 0] = -advance
        units[rows, 1 : pay.shape[1] + 1] = pay
    values = np.empty(units.shape, dtype=object)
    for i in range(offers.size):
        places = -int(offers.places[i])
        values[i, :] = [Decimal(int(u)).scaleb(places) for u in units[i]]
    if errors == "mask":
        return np.ma.masked_array(values, mask=np.repeat(~good[:, None], width + 1, axis=1))
    return values


def _search(
    passes: Callable[[IntArray, IntArray], BoolArray], start: IntArray, top: IntArray
) -> tuple[IntArray, BoolArray]:
    """The largest ``k`` in ``[0, top]`` with ``passes`` for every row (monotone), from a
    start near it: probe outward by growing steps until bracketed, then bisect. Rows that fail
    even at 0 are reported in the second array."""
    size = len(start)
    everything = np.arange(size)
    lo = np.full(size, -1, dtype=np.int64)  # largest k known to pass (−1: none yet)
    hi = top + 1  # smallest k known to fail
    k = np.clip(start, 0, top)
    ok = passes(everything, k)
    lo[ok], hi[~ok] = k[ok], k[~ok]
    step = np.ones(size, dtype=np.int64)
    while True:  # probe up from passes, down from failures, until every row is bracketed
        up = (lo >= 0) & (hi == top + 1) & (lo < top)
        down = (lo < 0) & (hi > 0)
        active = np.flatnonzero(up | down)
        if not active.size:
            break
        candidate = np.where(up, np.minimum(lo + step, top), np.maximum(hi - step, 0))[active]
        ok = passes(active, candidate)
        lo[active[ok]] = candidate[ok]
        hi[active[~ok]] = candidate[~ok]
        step[active] *= 2  # estimates are mostly within a step or two
    while True:
        active = np.flatnonzero((lo >= 0) & (hi - lo > 1))
        if not active.size:
            break
        middle = (lo[active] + hi[active]) // 2
        ok = passes(active, middle)
        lo[active[ok]] = middle[ok]
        hi[active[~ok]] = middle[~ok]
    return lo, lo < 0


def _unreachable(cap: Cap, rows: IntArray, what: str) -> NoSolutionError:
    shown = ", ".join(str(int(r)) for r in rows[:20])
    more = f" and {rows.size - 20} more" if rows.size > 20 else ""
    return NoSolutionError(
        f"{rows.size} offer(s) break {cap.name} (limit {cap.limit}) even at {what} (rows "
        f"{shown}{more}); lower their fees or pass errors='mask' to price the others"
    )


def _step_counts(step: object) -> int:
    unit = D(step, "step")
    counts = unit.scaleb(7)
    if not 0 < unit <= 1 or counts != counts.to_integral_value():
        raise InvalidInputError(
            "step", unit, "must be > 0, at most 1 and a multiple of 0.0000001 (1e-7)"
        )
    return int(counts)


@context_free
def batch_max_rate(
    cap: Cap,
    frame: object = None,
    /,
    *,
    step: Decimal | str = "0.000001",
    errors: str = "raise",
    **columns: object,
) -> npt.NDArray[Any]:
    """The highest annual rate (a multiple of `step`) at which each offer complies with `cap`.

    Every row equals :func:`loanmath.caps.max_rate` on that offer's ``LoanTerms``: the rate
    complies, one `step` more breaks the cap (or the rate is 100, ``LoanTerms``' highest). The
    offers' own ``annual_rate`` column, if given, is ignored. With the fee columns this is the
    joint solve's first half: the highest rate *for the given fee*.

    Parameters
    ----------
    cap, frame, errors, **columns
        As for :func:`batch_check`.
    step : Decimal or str, default ``"0.000001"``
        The rate grid (a multiple of 1e-7, at most 1).

    Returns
    -------
    ndarray of Decimal (object), or a masked array with ``errors="mask"``

    Raises
    ------
    NoSolutionError
        Naming the rows that break the cap even at a zero rate (their fees alone are too
        high), unless ``errors="mask"``.

    Notes
    -----
    A float estimate per row (the unrounded flows worth the advance at the cap's periodic
    rate), then a search on the integer grid ``k · step`` with the exact verdict of
    :func:`batch_check` at every probe; the verdict is monotone in the rate.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath.caps import CN_COMPREHENSIVE_36
    >>> batch_max_rate(CN_COMPREHENSIVE_36, principal="12000", currency="CNY", term=12,
    ...                upfront_fee=["0", "200"], start_date=dt.date(2024, 1, 15))
    array([Decimal('0.359999'), Decimal('0.326348')], dtype=object)
    """
    columns = {**columns, "annual_rate": columns.get("annual_rate", 0)}
    counts = _step_counts(step)
    measure, offers, rows = _prepare(cap, frame, columns, errors)
    top = MAX_RATE_COUNTS // counts
    found = np.zeros(offers.size, dtype=np.int64)
    good = offers.valid()
    if rows.size:
        subset = offers.with_rate(offers.rate[rows], rows)
        if measure == "contract_rate":
            p, q = cap.limit.as_integer_ratio()
            k, stuck = np.full(rows.size, min(p * RATE_SCALE // (q * counts), top)), None
        else:
            guess = np.floor(estimate_rate(subset, cap.limit) * RATE_SCALE / counts)

            def passes(which: IntArray, k: IntArray) -> BoolArray:
                return _verdicts(cap, measure, subset.with_rate(k * counts, which))

            k, stuck = _search(passes, guess.astype(np.int64), np.full(rows.size, top))
        if stuck is not None and stuck.any():
            if errors == "raise":
                raise _unreachable(cap, rows[stuck], "a zero rate")
            good[rows[stuck]] = False
        found[rows] = k
    step_value = D(step, "step")
    values = np.empty(offers.size, dtype=object)
    values[:] = [step_value * int(k) for k in found]  # exact: k · step
    return _finish(values, good, errors)


@context_free
def batch_max_fee(
    cap: Cap,
    frame: object = None,
    /,
    *,
    fee: str = "upfront",
    errors: str = "raise",
    **columns: object,
) -> npt.NDArray[Any]:
    """The highest upfront (or financed) fee at which each offer complies with `cap`.

    Every row equals :func:`loanmath.caps.max_fee` on that offer's ``LoanTerms``: a multiple
    of the currency's minor unit, one unit more breaks the cap. The priced fee's own column,
    if given, is ignored; the other fee stays as given. This is the joint solve's second
    half: the highest fee *for the given rate*.

    Parameters
    ----------
    cap, frame, errors, **columns
        As for :func:`batch_check`.
    fee : {"upfront", "financed"}
        Which fee to price.

    Returns
    -------
    ndarray of Decimal (object), or a masked array with ``errors="mask"``

    Raises
    ------
    NoSolutionError
        Naming the rows that break the cap even without the fee (their rate alone is too
        high), unless ``errors="mask"``.

    Notes
    -----
    An upfront fee ``F`` leaves the repayments as they are and lowers the advance, so the
    estimate is ``P − PV_c(repayments)``; a financed fee raises the balance, estimated in
    proportion. The integer search with exact verdicts settles each row (monotone in ``F``).

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath.caps import CN_COMPREHENSIVE_36
    >>> batch_max_fee(CN_COMPREHENSIVE_36, principal="12000", currency="CNY", term=12,
    ...               annual_rate=["0.24", "0.30"], start_date=dt.date(2024, 1, 15))
    array([Decimal('705.02'), Decimal('355.35')], dtype=object)
    """
    check_name(fee, "fee", _FEES)
    which = "upfront" if fee == "upfront" else "financed"
    columns = {**columns, f"{fee}_fee": 0}
    measure, offers, rows = _prepare(cap, frame, columns, errors)
    found = np.zeros(offers.size, dtype=np.int64)
    good = offers.valid()
    if rows.size:
        subset = offers.with_rate(offers.rate[rows], rows)
        top = subset.principal - (1 if which == "upfront" else 0)

        def passes(chosen: IntArray, k: IntArray) -> BoolArray:
            return _verdicts(cap, measure, subset.with_fee(which, k, chosen))

        k, stuck = _search(passes, _fee_guess(cap, measure, subset, which), top)
        if stuck.any():
            if errors == "raise":
                raise _unreachable(cap, rows[stuck], "a zero fee")
            good[rows[stuck]] = False
        found[rows] = k
    values = np.empty(offers.size, dtype=object)
    values[:] = [Decimal(int(k)).scaleb(-int(p)) for k, p in zip(found, offers.places, strict=True)]
    return _finish(values, good, errors)


def _fee_guess(cap: Cap, measure: str, offers: Offers, which: str) -> IntArray:
    """Where the fee search starts: the fee that makes the flows worth the advance at the cap."""
    if measure == "contract_rate":
        return offers.principal - 1  # the fee does not move the contract rate
    pay, advance = flows(offers)
    present = present_values(pay, offers.ppy(), cap.limit)
    principal = offers.principal.astype(np.float64)
    if which == "upfront":
        guess = principal - present
    else:
        balance = (offers.principal + offers.financed).astype(np.float64)
        guess = advance * balance / np.maximum(present, 1.0) - principal
    return np.floor(np.nan_to_num(guess)).astype(np.int64)
