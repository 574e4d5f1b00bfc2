"""What a cap measures: the contract's rate by each law's method."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from loanmath._decimal import CONTEXT
from loanmath.apr import nominal_irr, regz_apr

__all__ = ["MEASURES", "all_in_irr", "contract_rate", "mapr", "overdue_rate", "percent"]


def percent(value: Decimal) -> str:
    """A rate fraction as a percent with four decimals, for messages (library context)."""
    with decimal.localcontext(CONTEXT):
        return f"{(value * 100).quantize(Decimal('0.0001'))} %"


def all_in_irr(terms: Any) -> Decimal:
    """Periodic IRR × periods a year of all cash flows: interest and every fee (China's
    IRR-annualised 综合年化, PBoC 〔2021〕第3号 compound method).

    Notes
    -----
    ``m · r`` where ``r`` solves ``Σ aₖ (1+r)^−k = 0`` over ``Schedule.period_amounts()``:
    each flow on the contract's period grid (a bullet loan's one repayment at period N, not
    at period 1), ``m`` the periods a year (整治办函〔2017〕141号; PBoC 〔2021〕第3号 annex).

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> bullet = LoanTerms(Money("10000", "CNY"), "0.12", 12, method="bullet",
    ...                    start_date=dt.date(2024, 1, 15))
    >>> round(all_in_irr(bullet), 6)   # 12 x (1.12^(1/12) - 1), not 144 %
    Decimal('0.113866')
    """
    schedule = terms.schedule
    return nominal_irr(schedule.period_amounts(), schedule.periods_per_year)


def contract_rate(terms: Any) -> Decimal:
    """The nominal annual contract rate as written.

    Notes
    -----
    ``terms.annual_rate``, no fee included: the measure of usury laws that cap the stated rate.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> contract_rate(LoanTerms(Money("100", "USD"), "0.16", 3, start_date=dt.date(2024, 1, 1)))
    Decimal('0.16')
    """
    return Decimal(terms.annual_rate)


def mapr(terms: Any) -> Decimal:
    """Regulation Z actuarial APR of the net advance against every payment (all charges in).

    Notes
    -----
    The Military Annual Percentage Rate of 32 CFR 232.4(c): the 12 CFR 1026 Appendix J
    actuarial APR with every charge counted, here the advance net of upfront fees against
    every scheduled payment (:func:`loanmath.apr.regz_apr`).

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> mapr(LoanTerms(Money("1200", "USD"), "0.30", 12, start_date=dt.date(2024, 1, 15)))
    Decimal('0.29999655830663469916')
    """
    flows = terms.schedule.cash_flows()
    advances = [(f.date, f.amount.copy_negate()) for f in flows if f.amount < 0]
    payments = [(f.date, f.amount) for f in flows if f.amount > 0]
    return regz_apr(advances, payments)


def overdue_rate(terms: Any) -> Decimal | None:
    """The agreed annual rate on overdue amounts (``terms.overdue``), or None when the
    contract agrees none (the contract rate continues, 法释〔2020〕17号 Art. 28).

    Notes
    -----
    ``overdue.annual_rate(annual_rate)``: the contract rate times the agreed multiple, plus
    the agreed margin (:class:`loanmath.OverdueTerms`).

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> overdue_rate(LoanTerms(Money("100", "CNY"), "0.10", 3, start_date=dt.date(2024, 1, 1),
    ...                        penalty_multiple="1.5"))
    Decimal('0.150')
    """
    overdue = terms.overdue
    if not overdue.agreed:
        return None
    rate: Decimal = overdue.annual_rate(Decimal(terms.annual_rate))
    return rate


#: Measures a user-defined cap can use, by name.
MEASURES: dict[str, Callable[[Any], Decimal]] = {
    "all_in_irr": all_in_irr,
    "contract_rate": contract_rate,
    "mapr": mapr,
}
