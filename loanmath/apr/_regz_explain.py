"""Explain a Regulation Z APR so an examiner can follow it by hand (12 CFR 1026 Appendix J).

:func:`explain_regz` lays out the computation: the unit-period, the unit-periods in a year,
each advance's and payment's ``t`` and ``f``, the equation, and whether a disclosed APR is
accurate under 1026.22(a)(2)-(3). Split from :mod:`loanmath.apr.explain`, which re-exports it.

References
----------
12 CFR Part 1026 Appendix J (b), (c)(5); 12 CFR 1026.22(a)(2)-(3).
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import attrs

from loanmath._checks import check_bool
from loanmath._decimal import context_free, library_context
from loanmath.apr._explained import SHOWN as _SHOWN
from loanmath.apr._explained import figure_of as _figure
from loanmath.apr._explained import percent as _percent
from loanmath.apr._explained import shown as _shown
from loanmath.apr.regz import _flows, regz_accurate, regz_apr, regz_periods

__all__ = ["RegZExplanation", "RegZFlow", "explain_regz"]


@attrs.frozen
class RegZFlow:
    """One advance or payment as Appendix J counts it: ``t`` whole unit-periods and ``f`` of
    one from the start of the term.

    Notes
    -----
    The flow stands ``t + f`` unit-periods from the start of the term: ``t`` whole unit-periods
    counted back from its date, ``f`` the fraction left (days/30 a month, /15 a semimonth, over
    the unit's days for days and weeks), which earns simple interest, ``1 + f·i``. For an
    advance they are the equation's ``q`` and ``e``. 12 CFR 1026 Appendix J (b)(5)-(b)(6).

    Examples
    --------
    >>> RegZFlow(_dt.date(1978, 4, 1), Decimal("200"), 1, Fraction(19, 30)).f
    Fraction(19, 30)
    """

    date: _dt.date
    amount: Decimal
    t: int
    f: Fraction


@attrs.frozen
class RegZExplanation:
    """The Appendix J computation laid out for an examiner.

    Notes
    -----
    `equation` is ``Σ Aₖ / ((1 + eₖ·i)(1 + i)^qₖ) = Σ Pⱼ / ((1 + fⱼ·i)(1 + i)^tⱼ)`` and `apr` is
    ``i × unit_periods_per_year`` (Appendix J (b)(1), (b)(8)). `residual` is payments minus
    advances in it at ``i = figure / unit_periods_per_year``, computed exactly; `accurate` is
    :func:`~loanmath.apr.regz_accurate` of `figure` against `apr`: ⅛ point, ¼ when `irregular`
    (12 CFR 1026.22(a)(2)-(3)). Inferred, `irregular` means several advances, middle payments
    of different amounts, or payments not one unit-period apart.

    Examples
    --------
    >>> d = _dt.date
    >>> e = explain_regz([(d(1978, 1, 3), "1000")], [(d(1978, 9, 15), "1080")], apr="11.45%")
    >>> e.unit_period, e.unit_periods_per_year, e.payments[0].t, e.payments[0].f, e.accurate
    ('255 days (the term)', Fraction(73, 51), 1, Fraction(0, 1), True)
    """

    unit_period: str
    unit_periods_per_year: Fraction
    advances: tuple[RegZFlow, ...]
    payments: tuple[RegZFlow, ...]
    equation: str
    apr: Decimal
    figure: Decimal | None
    residual: Decimal | None
    irregular: bool
    accurate: bool | None

    def as_text(self) -> str:
        """The computation as lines an examiner can follow.

        Examples
        --------
        >>> d = _dt.date
        >>> e = explain_regz([(d(1978, 1, 3), "1000")], [(d(1978, 9, 15), "1080")])
        >>> print(e.as_text().splitlines()[0])
        Unit-period: 255 days (the term); unit-periods per year: 73/51 (1.4313725490).
        """
        with library_context():  # never the caller's decimal context
            return _regz_text(self)

    def __str__(self) -> str:
        return self.as_text()


@context_free
def explain_regz(
    advances: Sequence[tuple[_dt.date, Decimal | int | str]],
    payments: Sequence[tuple[_dt.date, Decimal | int | str]],
    *,
    apr: Decimal | int | str | None = None,
    irregular: bool | None = None,
) -> RegZExplanation:
    """The Regulation Z Appendix J APR computation, step by step, and a disclosed APR checked.

    Parameters
    ----------
    advances, payments : sequence of (date, amount)
        As for :func:`loanmath.apr.regz_apr` (positive amounts).
    apr : Decimal, int or str, optional
        A disclosed APR to check, as a fraction or a percent string (``"11.82%"``).
    irregular : bool, optional
        Whether the transaction is irregular under 1026.22(a)(3) (¼-point tolerance);
        ``None`` infers it: several advances, or payment periods or amounts that differ other
        than an irregular first period or an irregular first or final payment.

    Returns
    -------
    RegZExplanation

    Raises
    ------
    InvalidInputError, InputTypeError, DateTypeError, NoSolutionError
        As :func:`loanmath.apr.regz_apr`; an `apr` at or below −100 %, a non-bool `irregular`.

    Notes
    -----
    ``Σ Aₖ / ((1 + eₖ·i)(1 + i)^qₖ) = Σ Pⱼ / ((1 + fⱼ·i)(1 + i)^tⱼ)``, APR = ``i`` × unit-periods
    per year. The residual at a disclosed APR is payments minus advances in that equation,
    computed exactly with Fractions. Accurate: within ⅛ of a percentage point of the exact
    APR (¼ when irregular).

    References
    ----------
    12 CFR Part 1026 Appendix J (b)(1)-(b)(6), (c)(5); 12 CFR 1026.22(a)(2)-(3).

    Examples
    --------
    >>> d = _dt.date
    >>> e = explain_regz([(d(1978, 1, 1), "1000")], [(d(1979, 7, 1), "1135.19")])
    >>> e.unit_period, e.payments[0].t, e.payments[0].f, round(e.apr * 100, 2)
    ('year', 1, Fraction(1, 2), Decimal('8.76'))
    """
    if irregular is not None:
        irregular = check_bool(irregular, "irregular")
    figure = _figure(apr, "apr") if apr is not None else None
    unit, per_year, adv_terms, pay_terms = regz_periods(advances, payments)
    adv, pay = _flows(advances, "advances"), _flows(payments, "payments")
    exact = regz_apr(advances, payments)
    adv_rows = tuple(RegZFlow(d, a, t, f) for (d, a), (t, f) in zip(adv, adv_terms, strict=True))
    pay_rows = tuple(RegZFlow(d, a, t, f) for (d, a), (t, f) in zip(pay, pay_terms, strict=True))
    if irregular is None:
        irregular = _irregular(adv_rows, pay_rows)
    residual = accurate = None
    if figure is not None:
        residual = _shown(_regz_residual(adv_rows, pay_rows, Fraction(figure) / per_year))
        accurate = regz_accurate(figure, exact, irregular=irregular)
    return RegZExplanation(
        unit_period=_unit_name(unit, adv_rows, pay_rows),
        unit_periods_per_year=per_year,
        advances=adv_rows,
        payments=pay_rows,
        equation="Σ Aₖ / ((1 + eₖ·i)(1 + i)^qₖ) = Σ Pⱼ / ((1 + fⱼ·i)(1 + i)^tⱼ)",
        apr=exact,
        figure=figure,
        residual=residual,
        irregular=irregular,
        accurate=accurate,
    )


def _regz_residual(adv: tuple[RegZFlow, ...], pay: tuple[RegZFlow, ...], i: Fraction) -> Fraction:
    def value(flow: RegZFlow) -> Fraction:
        return Fraction(flow.amount) / ((1 + flow.f * i) * (1 + i) ** flow.t)

    return sum(map(value, pay), Fraction(0)) - sum(map(value, adv), Fraction(0))


def _irregular(adv: tuple[RegZFlow, ...], pay: tuple[RegZFlow, ...]) -> bool:
    """1026.22(a)(3): several advances, or irregular payment periods or amounts other than an
    irregular first period or an irregular first or final payment."""
    if len(adv) > 1:
        return True
    middle = {p.amount for p in pay[1:-1]}
    if len(middle) > 1:
        return True
    positions = [p.t + p.f for p in pay]
    return any(b - a != 1 for a, b in itertools.pairwise(positions))


def _unit_name(unit: tuple[str, int], adv: tuple[RegZFlow, ...], pay: tuple[RegZFlow, ...]) -> str:
    kind, size = unit
    if kind == "term":
        return f"{(pay[-1].date - adv[0].date).days} days (the term)"
    names = {("day", 1): "day", ("week", 1): "week", ("semimonth", 1): "semimonth"}
    names |= {("month", 1): "month", ("month", 3): "quarter", ("year", 12): "year"}
    if unit in names:
        return names[unit]
    return f"{size} {kind}s"


def _regz_text(e: RegZExplanation) -> str:
    per_year = e.unit_periods_per_year
    shown = _SHOWN.divide(Decimal(per_year.numerator), Decimal(per_year.denominator))
    lines = [
        f"Unit-period: {e.unit_period}; unit-periods per year: {per_year} "
        f"({shown.quantize(Decimal('1E-10'))}).",
        f"Equation (Appendix J (b)(8)): {e.equation}.",
    ]
    lines += [f"Advance {a.date}: {a.amount}, q = {a.t}, e = {a.f}" for a in e.advances]
    lines += [f"Payment {p.date}: {p.amount}, t = {p.t}, f = {p.f}" for p in e.payments]
    lines.append(f"APR = i x {per_year} = {e.apr} ({_percent(e.apr)}).")
    if e.figure is not None:
        tolerance = "1/4" if e.irregular else "1/8"
        verdict = "accurate" if e.accurate else "not accurate"
        lines.append(
            f"Disclosed {_percent(e.figure)}: residual {e.residual}; {verdict} within "
            f"{tolerance} of a percentage point (12 CFR 1026.22(a))."
        )
    return "\n".join(lines)
