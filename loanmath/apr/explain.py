"""Explain a rate: is a figure from a spreadsheet or another system a root, which one, and why.

:func:`explain_rate` takes cash flows and a figure (``"8.66%"``, ``"0.373362535"``) and says
whether a true root lies within the figure's own precision, its NPV residual, every root above
−100 %, which root the figure is (or the nearest one and how far), and what a spreadsheet's
IRR or XIRR would return from its default guess, with the iteration trace.
:func:`explain_regz` lays out the Regulation Z Appendix J computation so an examiner can follow
the APR by hand: the unit-period, the unit-periods in a year, each payment's ``t`` and ``f``,
the equation, and whether a disclosed APR is accurate.

References
----------
Microsoft support, "IRR function" (https://support.microsoft.com/office/irr-function-
64925eaa-9988-495b-b290-3ad0c163c1bc): guess 10 % when omitted, iterates "until the result is
accurate within 0.00001 percent", #NUM! after 20 tries. "XIRR function" (https://support.
microsoft.com/office/xirr-function-de1242ec-6477-445b-b11b-a303ad9adc9d): guess 10 %, "within
0.000001 percent", #NUM! after 100 tries, days / 365 from the first date.
LibreOffice core ``sc/source/core/tool/interpr2.cxx`` ``ScInterpreter::ScIRR``: Newton's
``x − f(x)/f'(x)`` from the guess, stops when ``|Δx| ≤ 1e-7``, at most 20 iterations — the same
figures; its XIRR (``scaddins/source/analysis/analysis.cxx``) differs: 1e-10 and 50 iterations.
12 CFR Part 1026 Appendix J (b), (c)(5); 12 CFR 1026.22(a)(2)-(3).
"""

from __future__ import annotations

import datetime as _dt
import decimal
import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal

import attrs

from loanmath._checks import check_date, check_int
from loanmath._decimal import context_free, library_context
from loanmath.apr._confirm import confirm, periodic_npv, timed_npv, to_decimals, to_floats
from loanmath.apr._explained import SHOWN as _SHOWN
from loanmath.apr._explained import figure_of as _figure
from loanmath.apr._explained import percent as _percent
from loanmath.apr._explained import shown as _shown
from loanmath.apr._regz_explain import RegZExplanation, RegZFlow, explain_regz
from loanmath.apr._solver import (
    _SCAN_POINTS,
    _X_MAX,
    _X_MIN,
    _horner,
    _scan,
    newton_bisect,
    sign_changes,
    solve_periodic,
    solve_timed,
)
from loanmath.daycount import get_convention, year_fraction_exact
from loanmath.errors import InvalidInputError, NoSolutionError

__all__ = [
    "RateExplanation",
    "RegZExplanation",
    "RegZFlow",
    "SpreadsheetRun",
    "explain_rate",
    "explain_regz",
]

#: What a spreadsheet shows when its iteration fails.
NUM_ERROR: Final = "#NUM!"
#: (function, tolerance on the rate step, most iterations) from Microsoft's pages.
_SPREADSHEET = {"IRR": (1e-7, 20), "XIRR": (1e-8, 100)}
_WIDE = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_EVEN)


@attrs.frozen
class SpreadsheetRun:
    """What a spreadsheet's IRR or XIRR returns from its guess, with the Newton trace.

    Notes
    -----
    Newton's ``r − f(r)/f'(r)`` in float64 from `guess` on the spreadsheet's own sums (IRR
    ``Σ vₖ/(1+r)ᵏ``; XIRR ``Σ vᵢ/(1+r)^((dᵢ − d₁)/365)``, d₁ the first date given), done when a
    step is under `tolerance` (IRR 1e-7, "0.00001 percent"; XIRR 1e-8, "0.000001 percent"), else
    ``"#NUM!"`` with its `reason`: `max_iterations` (20; 100) used up, a vanishing slope, or an
    iterate at or below −100 %. `trace` holds every iterate. Source: Microsoft support pages
    "IRR function" and "XIRR function"; LibreOffice ``ScIRR`` uses the same IRR figures.

    Examples
    --------
    >>> run = explain_rate(["-100", "60", "60"], "0.1307").spreadsheet
    >>> run.function, run.result, run.iterations, run.trace[0]
    ('IRR', Decimal('0.13066238629180746'), 4, Decimal('0.1295698924731182'))
    """

    function: str
    guess: Decimal
    result: Decimal | Literal["#NUM!"]
    iterations: int
    trace: tuple[Decimal, ...]
    tolerance: Decimal
    max_iterations: int
    reason: str = ""


@attrs.frozen
class RateExplanation:
    """Whether a figure is a root of the flows' NPV, which root, and what a spreadsheet says.

    Rates are fractions in the figure's unit: per period × `periods_per_year` for periodic
    flows, effective annual for dated flows. `precision` is half a unit in the figure's last
    shown decimal place; `residual` the NPV at the figure (exact for periodic flows, to 60
    digits for dated ones), `relative_residual` that over ``Σ|aₖ|``.

    Notes
    -----
    `is_root`: the NPV is zero at the figure or changes sign between ``figure ± precision``
    (exactly, with Fractions, for periodic flows; to 60 digits for dated ones). `roots`: every
    root above −100 % (the only one when the signs change once, by Descartes' rule of signs;
    otherwise each bracket of the solver's scan), confirmed in Decimal. `root_index` is the root
    within `precision` of the figure, if any; `distance` is ``figure − nearest_root``.
    docs/rates.md, "Explaining a rate".

    Examples
    --------
    >>> e = explain_rate(["-100", "110"], "10%")
    >>> e.is_root, e.roots, e.root_index
    (True, (Decimal('0.1'),), 0)
    """

    figure: Decimal
    periods_per_year: int
    dated: bool
    precision: Decimal
    residual: Decimal
    relative_residual: Decimal
    is_root: bool
    roots: tuple[Decimal, ...]
    root_index: int | None
    nearest_root: Decimal | None
    distance: Decimal | None
    spreadsheet: SpreadsheetRun

    def as_text(self) -> str:
        """A few plain sentences a user reads.

        Examples
        --------
        >>> print(explain_rate(["-100", "110"], "10%").as_text().splitlines()[0])
        The figure 0.10 (10 %) is a root: the NPV changes sign within ±0.005 of it.
        """
        with library_context():  # never the caller's decimal context
            return _rate_text(self)

    def __str__(self) -> str:
        return self.as_text()


def _half_ulp(value: Decimal) -> Decimal:
    exponent = int(value.as_tuple().exponent)  # finite: D() refuses NaN and infinities
    return Decimal((0, (5,), exponent - 1))


def _exact_npv(flows: Sequence[Decimal], rate: Fraction) -> Fraction:
    """``Σ aₖ (1+r)^−k`` as an exact Fraction (Horner in ``x = 1/(1+r)``)."""
    x = 1 / (1 + rate)
    total = Fraction(0)
    for a in reversed(flows):
        total = total * x + Fraction(a)
    return total


def _dated_npv(flows: Sequence[Decimal], times: Sequence[Fraction], rate: Decimal) -> Decimal:
    """``Σ aₖ (1+r)^−tₖ`` to 60 significant digits (irrational powers have no exact form)."""
    log_growth = _WIDE.ln(_WIDE.add(1, rate))
    total = Decimal(0)
    for a, t in zip(flows, times, strict=True):
        power = _WIDE.divide(Decimal(t.numerator), Decimal(t.denominator))
        total = _WIDE.add(total, _WIDE.multiply(a, _WIDE.exp(-power * log_growth)))
    return total


@context_free
def explain_rate(
    amounts: Sequence[Decimal | int | str],
    figure: Decimal | int | str,
    *,
    dates: Sequence[_dt.date] | None = None,
    day_count: str = "ACT/365F",
    periods_per_year: int = 1,
    guess: Decimal | int | str | None = None,
) -> RateExplanation:
    """Explain a rate: is `figure` a root of the flows' NPV, which one, and what would a
    spreadsheet's IRR (periodic flows) or XIRR (dated flows) return.

    Parameters
    ----------
    amounts : sequence of Decimal, int or str
        The flows (floats refused). Periodic — one per period, the first at time 0 — when
        `dates` is None (as :func:`loanmath.apr.irr`); dated otherwise (as
        :func:`loanmath.apr.xirr`).
    figure : Decimal, int or str
        The rate to explain, as a fraction (``"0.0866"``) or a percent string (``"8.66%"``).
        For periodic flows it is the periodic rate × `periods_per_year`; for dated flows the
        effective annual rate. Its last shown decimal sets its precision.
    dates : sequence of datetime.date, optional
        One per amount, for dated flows.
    day_count : str, default ``"ACT/365F"``
        Year fractions of dated flows (the spreadsheet simulation always uses days / 365).
    periods_per_year : int, default 1
        Periodic flows only (1 with `dates`): the figure is ``rate per period × this``.
    guess : Decimal, int or str, optional
        The spreadsheet's guess (default 0.1, as the spreadsheets), a per-period rate for IRR.

    Returns
    -------
    RateExplanation

    Raises
    ------
    InvalidInputError, InputTypeError, FloatMoneyError, DateTypeError, UnknownNameError
        Naming the argument: empty or malformed flows, a figure or guess at or below −100 %,
        dates not one per amount, `periods_per_year` below 1 (or not 1 with dates).

    Notes
    -----
    ``is_root``: the NPV changes sign (or is zero) between ``figure ± precision``, computed
    exactly with Fractions for periodic flows. Roots: flows whose signs change once have one
    root (Descartes' rule of signs); otherwise every bracket of the library solver's scan
    (per-period rates −99.9999 % … 10⁸ %) is solved and confirmed in Decimal. The spreadsheet
    is simulated in float64 as documented: Newton's ``r − f(r)/f'(r)`` from the guess, done
    when a step is under 0.00001 % (IRR, 20 tries) or 0.000001 % (XIRR, 100 tries), else
    #NUM!; LibreOffice's IRR uses the same figures.

    References
    ----------
    Microsoft support pages "IRR function" and "XIRR function"; LibreOffice
    ``sc/source/core/tool/interpr2.cxx`` (ScIRR). See the module documentation.

    Examples
    --------
    >>> e = explain_rate(["-70000", "12000", "15000", "18000", "21000", "26000"], "8.66%")
    >>> e.is_root, e.roots, e.spreadsheet.result
    (True, (Decimal('0.086630948036531614293'),), Decimal('0.08663094803653162'))
    """
    flows = to_decimals(amounts)
    rate = _figure(figure, "figure")
    per_year = check_int(periods_per_year, "periods_per_year", minimum=1)
    rule = get_convention(day_count, "day_count")
    start = _figure(guess, "guess") if guess is not None else Decimal("0.1")
    if not flows:
        raise InvalidInputError("amounts", amounts, "must not be empty")
    if dates is None:
        return _explain_periodic(flows, rate, per_year, start)
    if per_year != 1:
        raise InvalidInputError(
            "periods_per_year", per_year, "must be 1 with dates (a dated rate is annual)"
        )
    given: object = dates
    if isinstance(given, (str, bytes)) or not isinstance(given, Sequence):
        raise InvalidInputError("dates", dates, "must be a sequence of dates")
    if len(dates) != len(flows):
        raise InvalidInputError(
            "dates", len(dates), f"must have one date per amount ({len(flows)})"
        )
    checked = [check_date(d, f"dates[{i}]") for i, d in enumerate(dates)]
    first = min(checked)
    times = [year_fraction_exact(first, d, rule) for d in checked]
    return _explain_dated(flows, checked, times, rate, start)


def _explain_periodic(
    flows: list[Decimal], rate: Decimal, per_year: int, guess: Decimal
) -> RateExplanation:
    half = _half_ulp(rate)
    periodic = Fraction(rate) / per_year

    def sign(r: Fraction) -> int:
        value = _exact_npv(flows, r)
        return (value > 0) - (value < 0)

    residual = _exact_npv(flows, periodic)
    low = max(Fraction(rate - half) / per_year, (periodic - 1) / 2)  # stays above −100 %
    high = Fraction(rate + half) / per_year
    is_root = residual == 0 or sign(low) * sign(high) <= 0
    roots = tuple(_shown(r * per_year) for r in _searched(lambda: _periodic_roots(flows)))
    run = _spreadsheet("IRR", guess, _periodic_float(to_floats(flows)), _SPREADSHEET["IRR"])
    return _assemble(
        flows=flows,
        rate=rate,
        per_year=per_year,
        dated=False,
        half=half,
        residual=_shown(residual),
        is_root=is_root,
        roots=roots,
        run=run,
    )


def _explain_dated(
    flows: list[Decimal],
    dates: list[_dt.date],
    times: list[Fraction],
    rate: Decimal,
    guess: Decimal,
) -> RateExplanation:
    half = _half_ulp(rate)
    residual = _dated_npv(flows, times, rate)

    def sign(r: Decimal) -> int:
        value = _dated_npv(flows, times, r)
        return (value > 0) - (value < 0)

    low = max(rate - half, (rate - 1) / 2)
    is_root = residual == 0 or sign(low) * sign(rate + half) <= 0
    roots = tuple(_shown(r) for r in _searched(lambda: _dated_roots(flows, times)))
    days = [float((d - dates[0]).days) / 365.0 for d in dates]  # the spreadsheet's own times
    run = _spreadsheet("XIRR", guess, _dated_float(to_floats(flows), days), _SPREADSHEET["XIRR"])
    return _assemble(
        flows=flows,
        rate=rate,
        per_year=1,
        dated=True,
        half=half,
        residual=_shown(residual),
        is_root=is_root,
        roots=roots,
        run=run,
    )


def _assemble(
    *,
    flows: list[Decimal],
    rate: Decimal,
    per_year: int,
    dated: bool,
    half: Decimal,
    residual: Decimal,
    is_root: bool,
    roots: tuple[Decimal, ...],
    run: SpreadsheetRun,
) -> RateExplanation:
    scale = sum((abs(a) for a in flows), Decimal(0))
    relative = _SHOWN.divide(residual, scale) if residual else Decimal(0)
    nearest = min(range(len(roots)), key=lambda k: abs(roots[k] - rate), default=None)
    index = nearest if nearest is not None and abs(roots[nearest] - rate) <= half else None
    return RateExplanation(
        figure=rate,
        periods_per_year=per_year,
        dated=dated,
        precision=half,
        residual=residual,
        relative_residual=relative,
        is_root=is_root,
        roots=roots,
        root_index=index,
        nearest_root=None if nearest is None else roots[nearest],
        distance=None if nearest is None else _SHOWN.subtract(rate, roots[nearest]),
        spreadsheet=run,
    )


def _searched(find: Callable[[], list[Fraction]]) -> list[Fraction]:
    """The roots found, or none when every rate the solver can represent leaves the NPV
    nonzero (a root beyond 10⁸ % a period, or an exponent past float range)."""
    try:
        return find()
    except (NoSolutionError, OverflowError):
        return []


def _periodic_roots(flows: list[Decimal]) -> list[Fraction]:
    """Every per-period root above −100 % the library's solver finds, confirmed in Decimal."""
    floats = to_floats(flows)
    if not any(a > 0 for a in floats) or not any(a < 0 for a in floats):
        return []
    evaluate = periodic_npv(flows)
    if sign_changes(floats) == 1:
        found = [solve_periodic(floats)]
    else:
        f = _horner(floats)
        points = [_X_MIN * (_X_MAX / _X_MIN) ** (i / _SCAN_POINTS) for i in range(_SCAN_POINTS + 1)]
        found = []
        for lo, hi in _scan(f, points):
            x = lo if lo == hi else newton_bisect(f, lo, hi, (lo + hi) / 2, tol=1e-15, maxiter=200)
            found.append(1.0 / x - 1.0)
    return _confirmed(sorted(found), evaluate, flows)


def _dated_roots(flows: list[Decimal], times: list[Fraction]) -> list[Fraction]:
    """Every effective annual root above −100 % of dated flows, confirmed in Decimal."""
    floats = to_floats(flows)
    if not any(a > 0 for a in floats) or not any(a < 0 for a in floats):
        return []
    order = sorted(range(len(times)), key=times.__getitem__)
    in_time = [floats[i] for i in order]
    years = [float(t) for t in times]
    if sign_changes(in_time) == 1:
        found = [solve_timed(floats, years)]
    else:
        span = max(max(years) - min(years), 1e-9)
        limit = 700.0 / span
        f = _exponential(floats, [y - min(years) for y in years])
        points = [-limit + 2 * limit * i / _SCAN_POINTS for i in range(_SCAN_POINTS + 1)]
        found = []
        for lo, hi in _scan(f, points):
            y = lo if lo == hi else newton_bisect(f, lo, hi, (lo + hi) / 2, tol=1e-15, maxiter=200)
            found.append(math.expm1(y))
    return _confirmed(sorted(found), timed_npv(flows, times), flows)


def _exponential(
    amounts: list[float], times: list[float]
) -> Callable[[float], tuple[float, float]]:
    def f(y: float) -> tuple[float, float]:
        value = slope = 0.0
        for a, t in zip(amounts, times, strict=True):
            term = a * math.exp(-y * t)
            value += term
            slope -= t * term
        return value, slope

    return f


def _confirmed(
    found: list[float],
    evaluate: Callable[[Decimal], tuple[Decimal, Decimal]],
    flows: list[Decimal],
) -> list[Fraction]:
    roots: list[Fraction] = []
    for root in found:
        try:
            roots.append(Fraction(confirm(root, evaluate, flows)))
        except (NoSolutionError, ArithmeticError):  # ill-conditioned: not shown as a root
            continue
    return roots


def _periodic_float(amounts: list[float]) -> Callable[[float], tuple[float, float]]:
    """The spreadsheet's own sums: ``Σ vₖ/(1+r)^k`` and ``Σ −k·vₖ/(1+r)^(k+1)`` (ScIRR)."""

    def f(r: float) -> tuple[float, float]:
        value = slope = 0.0
        for k, v in enumerate(amounts):
            value += v / (1.0 + r) ** k
            slope += -k * v / (1.0 + r) ** (k + 1)
        return value, slope

    return f


def _dated_float(
    amounts: list[float], years: list[float]
) -> Callable[[float], tuple[float, float]]:
    """``Σ vᵢ/(1+r)^eᵢ`` and its derivative with ``eᵢ = (dᵢ − d₁)/365`` (XIRR)."""

    def f(r: float) -> tuple[float, float]:
        value = slope = 0.0
        for v, e in zip(amounts, years, strict=True):
            value += v / (1.0 + r) ** e
            slope += -e * v / (1.0 + r) ** (e + 1.0)
        return value, slope

    return f


def _spreadsheet(
    function: str,
    guess: Decimal,
    f: Callable[[float], tuple[float, float]],
    limits: tuple[float, int],
) -> SpreadsheetRun:
    """Newton's method as the spreadsheets document it, in float64, with its trace."""
    tolerance, most = limits
    rate, trace, reason = float(guess), [], ""
    for _step in range(most):
        try:
            value, slope = f(rate)
            step = value / slope
        except (ZeroDivisionError, OverflowError):
            reason = "the slope of the NPV vanished or overflowed"
            break
        new = rate - step
        if not math.isfinite(new) or new <= -1.0:
            reason = f"an iterate left the rates above -100 % ({new!r})"
            break
        trace.append(new)
        if abs(new - rate) < tolerance:
            return _run(
                function=function,
                guess=guess,
                result=Decimal(repr(new)),
                trace=trace,
                limits=limits,
                reason="",
            )
        rate = new
    else:
        reason = f"no convergence in {most} iterations"
    return _run(
        function=function, guess=guess, result=NUM_ERROR, trace=trace, limits=limits, reason=reason
    )


def _run(
    *,
    function: str,
    guess: Decimal,
    result: Decimal | Literal["#NUM!"],
    trace: list[float],
    limits: tuple[float, int],
    reason: str,
) -> SpreadsheetRun:
    return SpreadsheetRun(
        function=function,
        guess=guess,
        result=result,
        iterations=len(trace),
        trace=tuple(Decimal(repr(x)) for x in trace),
        tolerance=Decimal(repr(limits[0])),
        max_iterations=limits[1],
        reason=reason,
    )


def _rate_text(e: RateExplanation) -> str:
    unit = (
        "effective annual"
        if e.dated
        else ("per period" if e.periods_per_year == 1 else f"per period x {e.periods_per_year}")
    )
    head = f"The figure {e.figure} ({_percent(e.figure)})"
    if e.is_root:
        lines = [f"{head} is a root: the NPV changes sign within ±{e.precision} of it."]
    else:
        lines = [f"{head} is not a root at its own precision (±{e.precision})."]
    lines.append(
        f"NPV at the figure: {e.residual} ({e.relative_residual:.3E} of the flows' total)."
    )
    if not e.roots:
        lines.append("No rate above -100 % (up to 1E+8 % a period) makes the NPV zero.")
    else:
        listed = ", ".join(f"{r} ({_percent(r)})" for r in e.roots)
        lines.append(f"Roots ({unit}): {listed}.")
        if e.root_index is not None:
            lines.append(f"The figure is root {e.root_index + 1} of {len(e.roots)}.")
        else:
            lines.append(f"The nearest root is {e.nearest_root}, {e.distance} from the figure.")
            tolerance = e.spreadsheet.tolerance
            if e.distance is not None and abs(e.distance) <= tolerance:
                lines.append(
                    f"That is within {e.spreadsheet.function}'s documented accuracy ({tolerance}): "
                    "a spreadsheet that stopped iterating there would show this figure."
                )
    run = e.spreadsheet
    if run.result == NUM_ERROR:
        said = f"{NUM_ERROR} ({run.reason})"
    else:
        said = f"{run.result} after {run.iterations} iteration(s)"
    lines.append(f"A spreadsheet's {run.function} from the guess {run.guess} returns {said}.")
    return "\n".join(lines)
