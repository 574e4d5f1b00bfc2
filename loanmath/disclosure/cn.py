"""China's annualised-rate disclosure (年化利率), as PBoC announcement 〔2021〕第3号 requires.

The announcement (中国人民银行公告〔2021〕第3号) requires every lender to show the annualised
rate of all borrowing costs — interest and every fee directly related to the loan — over the
principal actually outstanding, more prominently than any daily or monthly rate, and allows
the IRR (compound) method. :func:`cn_disclosure` computes it as the IRR of the contract's cash
flows (the amount actually received out, each instalment in) times the periods a year —
``IRR × 12`` for a monthly loan, ``IRR × 4`` for a quarterly one — and gathers the other terms
a borrower must see: 借款本金, 实际到账金额, 还款方式, 期数, 每期还款额, 利息及费用合计, the
overdue terms (罚息 and the late fee, the contract's own ``overdue`` value that servicing
charges) and the cap checks (36 %, 4 × LPR).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from loanmath._decimal import CONTEXT, context_free
from loanmath.apr import nominal_irr
from loanmath.disclosure._facts import CapCheck, OverdueFacts, cap_checks, fields_of, overdue_facts
from loanmath.errors import InvalidInputError

__all__ = ["CnDisclosure", "Instalment", "cn_disclosure"]


@attrs.frozen
class Instalment:
    """One row of the repayment plan (还款计划).

    Notes
    -----
    The schedule's row as it stands: ``payment = principal + interest + fees`` (每期还款额;
    principal includes financed fees) and ``balance`` the principal outstanding after it
    (docs/disclosure.md, "cn": the 还款计划 rows).
    """

    number: int
    due_date: Any
    principal: Decimal
    interest: Decimal
    fees: Decimal
    payment: Decimal
    balance: Decimal


@attrs.frozen
class CnDisclosure:
    """The annualised-rate disclosure of one loan, as exact values.

    Attributes
    ----------
    annualised_rate : Decimal
        年化利率: IRR × ``periods_per_year`` of the contract's cash flows (exact).
    periods_per_year : int
        12 for monthly instalments; the rate's label names it (IRR×12, IRR×4 …).
    contract_rate : Decimal
        The nominal annual rate of the contract (the flat rate a year for 等本等息).
    daily_rate : Decimal
        The contract rate over 360 days (日利率), shown less prominently than the annualised
        rate.
    principal, amount_received, total_interest_and_fees : Decimal
    repayment_method : str
        The schedule method (``annuity`` = 等额本息 …).
    term : int
    instalments : tuple of Instalment
    overdue_terms : OverdueFacts
    prepayment_charge : bool
        Always False: early repayment costs only the interest accrued to the day.
    caps : tuple of CapCheck

    Notes
    -----
    ``annualised_rate = IRR × k`` of the cash flows (−amount received, each instalment), k
    periods a year (PBoC announcement 〔2021〕第3号, IRR method); ``daily_rate = contract
    rate / 360``, shown less prominently; ``amount_received = principal − upfront fees``
    (实际到账金额); overdue terms as 法释〔2020〕17号 Art. 28 reads them (docs/disclosure.md, "cn").

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> form = cn_disclosure(LoanTerms(Money("1200", "CNY"), "0.12", 4, frequency="quarterly",
    ...                                start_date=dt.date(2024, 1, 15)))
    >>> form.periods_per_year, form.repayment_method, form.amount_received
    (4, 'annuity', Decimal('1200.00'))
    """

    currency: str
    annualised_rate: Decimal
    periods_per_year: int
    contract_rate: Decimal
    daily_rate: Decimal
    principal: Decimal
    amount_received: Decimal
    repayment_method: str
    frequency: str
    term: int
    instalments: tuple[Instalment, ...]
    total_interest_and_fees: Decimal
    overdue_terms: OverdueFacts
    prepayment_charge: bool
    caps: tuple[CapCheck, ...]
    terms: Any = attrs.field(repr=False, eq=False)

    def as_dict(self) -> dict[str, object]:
        """The JSON fields (``annualised_rate``, ``principal``, ``amount_received``,
        ``repayment_method``, ``term``, ``instalments``, ``total_interest_and_fees``,
        ``overdue_terms``, ``caps`` …), amounts and rates as strings.

        Examples
        --------
        >>> import datetime as dt
        >>> from loanmath import LoanTerms, Money
        >>> d = cn_disclosure(LoanTerms(Money("12000", "CNY"), "0.12", 12,
        ...                             start_date=dt.date(2024, 1, 15))).as_dict()
        >>> d["annualised_rate"][:6], d["amount_received"], d["instalments"][0]["payment"]
        ('0.1200', '12000.00', '1066.19')
        """
        return {"form": "cn", **fields_of(self)}


@context_free
def cn_disclosure(terms: Any) -> CnDisclosure:
    """The 年化利率 disclosure of `terms` (a ``LoanTerms`` in CNY).

    Raises
    ------
    InvalidInputError
        The loan is not in CNY.

    Notes
    -----
    ``annualised_rate = nominal_irr(schedule.period_amounts(), periods a year)``: the IRR ``r``
    per period solving ``−received + Σ payment_k (1 + r)^−k = 0`` with each payment at its
    period ``k`` (a bullet's one payment at the last period of its term), times the periods a
    year. Every fee the
    contract charges is in the cash flows: upfront fees reduce the amount received, financed
    and periodic fees raise the payments.

    References
    ----------
    中国人民银行公告〔2021〕第3号; 最高人民法院《关于审理民间借贷案件适用法律若干问题的规定》
    (法释〔2020〕17号) Arts. 25, 28, 29; 整治办函〔2017〕141号 (36 %).

    Examples
    --------
    A 等本等息 loan of ¥12,000 at a flat 0.5 % a month (6 % a year): its IRR-annualised rate
    is about twice the flat rate.

    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> d = cn_disclosure(LoanTerms(Money("12000", "CNY"), "0.06", 12, method="flat",
    ...                             start_date=dt.date(2024, 1, 15)))
    >>> d.instalments[0].payment, round(d.annualised_rate, 4)
    (Decimal('1060.00'), Decimal('0.1090'))
    """
    schedule = terms.schedule
    if schedule.currency != "CNY":
        raise InvalidInputError(
            "form",
            "cn",
            f"is China's disclosure; the loan is in {schedule.currency}",
            "use --form quote, tila or secci, or a loan in CNY",
        )
    per_year = schedule.periods_per_year
    rate = nominal_irr(schedule.period_amounts(), per_year)
    return CnDisclosure(
        currency=schedule.currency,
        annualised_rate=rate,
        periods_per_year=per_year,
        contract_rate=terms.annual_rate,
        daily_rate=CONTEXT.divide(terms.annual_rate, Decimal(360)),
        principal=schedule.principal,
        amount_received=schedule.disbursed,
        repayment_method=schedule.method,
        frequency=terms.frequency,
        term=schedule.term,
        instalments=tuple(Instalment(*row) for row in schedule.installments),
        total_interest_and_fees=schedule.total_cost,
        overdue_terms=overdue_facts(terms),
        prepayment_charge=False,
        caps=cap_checks(terms),
        terms=terms,
    )
