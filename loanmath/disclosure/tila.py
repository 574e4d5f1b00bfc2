"""The US Truth in Lending disclosure of a closed-end loan: the federal box of 12 CFR 1026.18,
laid out as model form H-2 (Appendix H to Part 1026).

:func:`tila_disclosure` reads everything from one ``LoanTerms``:

- **Amount financed** (1026.18(b)): the credit provided to the borrower — the principal less
  prepaid finance charges (upfront fees withheld at funding); financed fees are not credit.
- **Finance charge** (1026.4, 1026.18(d)): the cost of credit in dollars — interest and every
  fee the loan charges (upfront, financed and periodic).
- **Total of payments** (1026.18(h)): the sum of the scheduled payments; it equals the amount
  financed plus the finance charge, to the cent.
- **Annual percentage rate** (1026.18(e), 1026.22, Appendix J): the actuarial APR of the
  amount financed against the payments, disclosed to two decimals (half up) and checked
  accurate within 1/8 of a percentage point of the exact value (1026.22(a)(2)).
- **Payment schedule** (1026.18(g)): number, amount and timing, equal consecutive payments
  grouped as the model form does.
- **Late payment** (1026.18(l)) and **prepayment** (1026.18(k)) statements, from the
  contract's overdue terms and the servicing rules.
- **Itemization of the amount financed** (1026.18(c)), when asked for.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

import attrs

from loanmath._checks import check_bool
from loanmath._decimal import CONTEXT, context_free
from loanmath.apr import regz_accurate, regz_apr
from loanmath.disclosure._facts import (
    OverdueFacts,
    PaymentGroup,
    fields_of,
    group_payments,
    overdue_facts,
)
from loanmath.errors import InvalidInputError

__all__ = ["TilaDisclosure", "tila_disclosure"]

#: The APR is disclosed to two decimal places of a percent (a fraction to four).
APR_QUANTUM = Decimal("0.0001")


@attrs.frozen
class TilaDisclosure:
    """The Truth in Lending box for one loan, as exact values.

    Attributes
    ----------
    annual_percentage_rate : Decimal
        The APR as disclosed (a fraction, four places: ``0.1268`` is 12.68 %).
    apr_exact : Decimal
        The Appendix J APR before rounding.
    finance_charge, amount_financed, total_of_payments : Decimal
    payment_schedule : tuple of PaymentGroup
    late_payment : OverdueFacts
        The contract's overdue terms; a late charge exists when ``late_payment.late_fee`` is
        set or an overdue rate is agreed.
    prepayment_penalty : bool
        Always False: loanmath contracts carry no prepayment charge.
    finance_charge_refund : str or None
        ``"may"`` for precomputed (flat) finance charges, whose unearned part is not collected
        on early payoff; None for simple-interest loans (1026.18(k)(2) does not apply).
    itemization : dict or None
        ``amount_given_directly`` and ``prepaid_finance_charge`` when asked for.

    Notes
    -----
    ``amount_financed = principal − prepaid finance charges`` (1026.18(b));
    ``finance_charge`` = interest + every fee (1026.4, 1026.18(d)); ``total_of_payments =
    amount_financed + finance_charge`` (1026.18(h)); the APR by Appendix J, rounded half up
    to 0.01 point, within 1/8 point of ``apr_exact`` (1026.22(a)(2)); laid out as model form
    H-2 (12 CFR 1026.18; docs/disclosure.md, "tila").

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import Fee, LoanTerms, Money
    >>> box = tila_disclosure(LoanTerms(Money("1000", "USD"), "0.10", 12,
    ...                                 start_date=dt.date(2024, 1, 15),
    ...                                 fees=(Fee("fee", "upfront", amount="25"),)))
    >>> box.amount_financed, box.prepayment_penalty
    (Decimal('975.00'), False)
    """

    currency: str
    annual_percentage_rate: Decimal
    apr_exact: Decimal
    finance_charge: Decimal
    amount_financed: Decimal
    total_of_payments: Decimal
    payment_schedule: tuple[PaymentGroup, ...]
    frequency: str
    late_payment: OverdueFacts
    prepayment_penalty: bool
    finance_charge_refund: str | None
    itemization: dict[str, Decimal] | None
    terms: Any = attrs.field(repr=False, eq=False)

    def as_dict(self) -> dict[str, object]:
        """The JSON fields: ``annual_percentage_rate``, ``finance_charge``,
        ``amount_financed``, ``total_of_payments``, ``payment_schedule`` and the rest; amounts
        and rates as strings.

        Examples
        --------
        >>> import datetime as dt
        >>> from loanmath import LoanTerms, Money
        >>> box = tila_disclosure(LoanTerms(Money("5000", "USD"), "0.12", 36,
        ...                                 start_date=dt.date(2024, 1, 15)))
        >>> box.as_dict()["payment_schedule"][0]
        {'count': 35, 'amount': '166.07', 'first_due': '2024-02-15', 'last_due': '2026-12-15'}
        """
        return {"form": "tila", **fields_of(self)}


def _refund(terms: Any) -> str | None:
    return "may" if terms.method == "flat" else None


@context_free
def tila_disclosure(terms: Any, *, itemize: bool = False) -> TilaDisclosure:
    """The Truth in Lending disclosure of `terms` (a ``LoanTerms`` in US dollars).

    Parameters
    ----------
    terms : LoanTerms
        A constructed (so lawful) contract in ``USD``.
    itemize : bool, default False
        Include the itemization of the amount financed (1026.18(c)).

    Returns
    -------
    TilaDisclosure

    Raises
    ------
    InvalidInputError
        The loan is not in US dollars (the box is a US federal form).

    Notes
    -----
    Amount financed = principal − prepaid finance charges; finance charge = interest + all
    fees; total of payments = Σ payments = amount financed + finance charge. The APR solves
    Appendix J's equation for the amount financed advanced on the start date against the
    scheduled payments, and is shown rounded half up to 0.01 percentage point, which is always
    within the 1/8-point tolerance of 1026.22(a)(2).

    References
    ----------
    12 CFR 1026.4, 1026.18(b)-(l), 1026.22(a); Appendix J; model form H-2 (Appendix H).

    Examples
    --------
    Appendix J (c)(1)'s loan: $5,000 repaid in 36 monthly payments at 12 %.

    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> box = tila_disclosure(LoanTerms(Money("5000", "USD"), "0.12", 36,
    ...                                 start_date=dt.date(2024, 1, 15)))
    >>> box.annual_percentage_rate, box.amount_financed, box.finance_charge
    (Decimal('0.1200'), Decimal('5000.00'), Decimal('978.60'))
    >>> box.total_of_payments
    Decimal('5978.60')
    """
    itemize = check_bool(itemize, "itemize")
    schedule = terms.schedule
    if schedule.currency != "USD":
        raise InvalidInputError(
            "form",
            "tila",
            f"is the US federal form; the loan is in {schedule.currency}",
            "use --form quote, cn or secci, or a loan in USD",
        )
    flows = schedule.cash_flows()
    # a 0.00 instalment adds nothing to Appendix J's equation
    payments = [(f.date, f.amount) for f in flows[1:] if f.amount]
    exact = regz_apr([(flows[0].date, schedule.disbursed)], payments)
    disclosed = exact.quantize(APR_QUANTUM, rounding=decimal.ROUND_HALF_UP, context=CONTEXT)
    if not regz_accurate(disclosed, exact):  # pragma: no cover - 0.005 points < 1/8 point
        raise InvalidInputError("annual_percentage_rate", disclosed, "is not accurate")
    itemization = None
    if itemize:
        itemization = {
            "amount_given_directly": schedule.disbursed,
            "prepaid_finance_charge": schedule.upfront_fees,
        }
    return TilaDisclosure(
        currency=schedule.currency,
        annual_percentage_rate=disclosed,
        apr_exact=exact,
        finance_charge=schedule.total_cost,
        amount_financed=schedule.disbursed,
        total_of_payments=schedule.total_payment,
        payment_schedule=group_payments(schedule),
        frequency=terms.frequency,
        late_payment=overdue_facts(terms),
        prepayment_penalty=False,
        finance_charge_refund=_refund(terms),
        itemization=itemization,
        terms=terms,
    )
