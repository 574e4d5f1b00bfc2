"""The Standard European Consumer Credit Information (SECCI) of a fixed-rate instalment loan.

The form of Annex II to Directive 2008/48/EC (Annex I to its successor, Directive (EU)
2023/2225, keeps the same sections): 1. the creditor; 2. the main features of the credit —
total amount of credit, duration, instalments, total amount payable; 3. the costs — borrowing
rate, APRC with a representative example, related costs, costs in case of late payment;
4. other important legal aspects — withdrawal and early repayment. :func:`secci_disclosure`
reads every figure from one ``LoanTerms``; the UK's pre-contract form (Consumer Credit
(Disclosure of Information) Regulations 2010, from the same directive) is the same form in GBP.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from loanmath._decimal import CONTEXT, context_free
from loanmath.apr import eu_aprc
from loanmath.disclosure._facts import (
    EU_CURRENCIES,
    OverdueFacts,
    PaymentGroup,
    aprc_period,
    fields_of,
    group_payments,
    overdue_facts,
)
from loanmath.errors import InvalidInputError

__all__ = ["CURRENCIES", "Secci", "secci_disclosure"]

#: The currencies of EU member states and the UK, where the form applies.
CURRENCIES = EU_CURRENCIES

#: The APRC is shown to two decimals (the directive asks at least one; PAngV § 16(7) two).
APRC_QUANTUM = Decimal("0.0001")


#: How EU time counts the periods of each frequency (Annex I Part II (j), SWD(2012)128 4.1.1).
@attrs.frozen
class Fee:
    """A cost of the credit other than interest: its name, when it is paid, and the amount."""

    name: str
    timing: str
    amount: Decimal


@attrs.frozen
class Secci:
    """The SECCI of one loan, as exact values.

    Attributes
    ----------
    creditor : str or None
        Section 1: name and address of the creditor, as given.
    total_amount_of_credit : Decimal
        The sums made available (the principal less fees withheld at funding).
    duration_months : int
        Whole months from the start to the last due date (days beyond them in
        ``duration_days``).
    instalments : tuple of PaymentGroup
    total_amount_payable : Decimal
        Total amount of credit + total cost of credit.
    borrowing_rate : Decimal
        The fixed nominal annual rate of the contract.
    aprc : Decimal
        The APRC (Annex I equation), rounded half up to 0.01 percentage point.
    aprc_exact : Decimal
    costs : tuple of Fee
    late_payment : OverdueFacts
    withdrawal_days : int
        14 calendar days (Article 14).
    early_repayment_compensation : bool
        Always False: the creditor claims no compensation (Article 16).

    Notes
    -----
    ``aprc`` solves Directive 2008/48/EC Annex I's equation, time in whole months (weeks for
    weekly and biweekly loans) then days / 365, rounded half up to 0.01 point;
    ``total_amount_of_credit = principal − upfront fees`` (Art. 3(l)); ``total_amount_payable
    = Σ instalments`` (Art. 3(h)). Section layout of Annex II (docs/disclosure.md, "secci").

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> s = secci_disclosure(LoanTerms(Money("1000", "EUR"), "0.05", 12,
    ...                                start_date=dt.date(2024, 1, 15)), creditor="Bank AG")
    >>> s.creditor, s.duration_months, s.withdrawal_days
    ('Bank AG', 12, 14)
    """

    currency: str
    creditor: str | None
    total_amount_of_credit: Decimal
    start_date: Any
    duration_months: int
    duration_days: int
    frequency: str
    instalments: tuple[PaymentGroup, ...]
    total_amount_payable: Decimal
    total_cost_of_credit: Decimal
    borrowing_rate: Decimal
    aprc: Decimal
    aprc_exact: Decimal
    costs: tuple[Fee, ...]
    late_payment: OverdueFacts
    withdrawal_days: int
    early_repayment_compensation: bool
    terms: Any = attrs.field(repr=False, eq=False)

    def as_dict(self) -> dict[str, object]:
        """The JSON fields, amounts and rates as strings.

        Examples
        --------
        >>> import datetime as dt
        >>> from loanmath import LoanTerms, Money
        >>> d = secci_disclosure(LoanTerms(Money("10000", "EUR"), "0.05", 24,
        ...                                start_date=dt.date(2024, 1, 15))).as_dict()
        >>> d["total_amount_of_credit"], d["duration_months"], d["aprc"]
        ('10000.00', 24, '0.0512')
        """
        return {"form": "secci", **fields_of(self)}


def _costs(terms: Any) -> tuple[Fee, ...]:
    """The fees by when they are paid: one line per timing, naming the fees it holds."""
    schedule = terms.schedule
    totals = {
        "upfront": schedule.upfront_fees,
        "financed": schedule.financed_fees,
        "periodic": schedule.total_fees,
    }
    costs = []
    for timing, amount in totals.items():
        names = [fee.name for fee in terms.fees if fee.timing == timing]
        if names:
            costs.append(Fee(", ".join(names), timing, amount))
    return tuple(costs)


def _duration(start: Any, end: Any) -> tuple[int, int]:
    span = relativedelta(end, start)
    months = span.years * 12 + span.months
    return months, (end - (start + relativedelta(months=months))).days


@context_free
def secci_disclosure(terms: Any, *, creditor: str | None = None) -> Secci:
    """The SECCI of `terms` (a ``LoanTerms`` in an EU currency or GBP).

    Parameters
    ----------
    terms : LoanTerms
    creditor : str, optional
        Name and address of the creditor for section 1.

    Raises
    ------
    InvalidInputError
        The loan is in a currency outside the EU and the UK.

    Notes
    -----
    APRC: the effective annual ``X`` solving Annex I's equation
    ``Σ C_k (1+X)^−t_k = Σ D_l (1+X)^−s_l`` with time counted in whole months (weeks for weekly
    loans) and days over 365 (:func:`loanmath.apr.eu_aprc`), shown to two decimals, rounded
    half up (Annex I Part I (d) asks at least one). Total amount payable = total amount of
    credit + total cost of credit (Article 3(h)), which is the sum of the instalments.

    References
    ----------
    Directive 2008/48/EC Articles 3, 5, 10, 14, 16, Annex I and Annex II; Directive (EU)
    2023/2225 Annex I and Annex III; Commission guidelines SWD(2012)128.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> s = secci_disclosure(LoanTerms(Money("10000", "EUR"), "0.05", 24,
    ...                                start_date=dt.date(2024, 1, 15)))
    >>> s.instalments[0].count, s.instalments[0].amount, s.total_amount_payable
    (23, Decimal('438.71'), Decimal('10529.15'))
    """
    if creditor is not None and not isinstance(creditor, str):
        raise InvalidInputError("creditor", creditor, "must be a string or None")
    schedule = terms.schedule
    if schedule.currency not in CURRENCIES:
        raise InvalidInputError(
            "form",
            "secci",
            f"is the EU (and UK) form; the loan is in {schedule.currency}, not one of "
            + ", ".join(CURRENCIES),
            "use --form quote, tila or cn",
        )
    flows = schedule.cash_flows()
    exact = eu_aprc(
        [f.amount for f in flows],
        [f.date for f in flows],
        period=aprc_period(terms.frequency),
    )
    months, days = _duration(schedule.start_date, schedule.dates[-1])
    return Secci(
        currency=schedule.currency,
        creditor=creditor,
        total_amount_of_credit=schedule.disbursed,
        start_date=schedule.start_date,
        duration_months=months,
        duration_days=days,
        frequency=terms.frequency,
        instalments=group_payments(schedule),
        total_amount_payable=schedule.total_payment,
        total_cost_of_credit=schedule.total_cost,
        borrowing_rate=terms.annual_rate,
        aprc=exact.quantize(APRC_QUANTUM, rounding=decimal.ROUND_HALF_UP, context=CONTEXT),
        aprc_exact=exact,
        costs=_costs(terms),
        late_payment=overdue_facts(terms),
        withdrawal_days=14,
        early_repayment_compensation=False,
        terms=terms,
    )
