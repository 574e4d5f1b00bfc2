"""``build_schedule``: contract terms in, exact schedule out."""

from __future__ import annotations

from loanmath._decimal import context_free
from loanmath.schedules._engine import amortize
from loanmath.schedules._model import Schedule
from loanmath.schedules._plan import ScheduleTerms, make_plan

__all__ = ["build_schedule"]


@context_free
def build_schedule(terms: ScheduleTerms) -> Schedule:
    """The amortisation schedule of `terms`, exact to the rounding quantum.

    Parameters
    ----------
    terms : LoanTerms
        The contract (anything with the attributes of :class:`ScheduleTerms`).

    Returns
    -------
    Schedule
        Rows with ``payment == principal + interest + fees``; principal parts summing exactly
        to the amortised principal; every amount a multiple of the rounding quantum; the
        last instalment clearing the balance to exactly zero.

    Raises
    ------
    InvalidInputError
        When the terms cannot be amortised as asked (a custom plan that does not sum, an
        equal-principal part that leaves a negative last part, a step too large ...).

    Notes
    -----
    Interest of period ``k`` on balance ``B``: ``round(B × annual_rate × f_k)`` where ``f_k`` is
    ``1/m`` for periodic interest (``m`` periods a year; pro rata to the days of an odd first
    period), or the day-count year fraction of the period. The product is formed exactly (in
    integers of the quantum) and rounded once by the loan's ``Rounding``. Level payments are
    the exact annuity rounded once by the payment rounding policy (see
    :mod:`loanmath.schedules.annuity`). The rounding residual always goes to the last
    instalment and is reported as ``Schedule.residual``.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money, build_schedule
    >>> terms = LoanTerms(Money("12000.00", "CNY"), "0.12", 12, method="equal_principal",
    ...                   start_date=dt.date(2024, 1, 15))
    >>> s = build_schedule(terms)
    >>> str(s.installments[0].payment), str(s.installments[-1].payment), str(s.total_interest)
    ('1120.00', '1010.00', '780.00')
    """
    return amortize(make_plan(terms))
