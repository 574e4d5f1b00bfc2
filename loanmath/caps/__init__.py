"""Rate caps: each measures a contract by its own law's method and refuses what breaks it.

A cap is an object with ``.name``, ``.limit`` (an annual rate fraction) and ``.check(terms)``,
which raises :class:`~loanmath.errors.RateCapExceeded` (``.rule``, ``.limit``, ``.measured``)
when the contract exceeds it. ``LoanTerms(caps=...)`` runs every check in
``__attrs_post_init__``, so a contract above a cap cannot be constructed. Caps read the
contract through its public attributes and ``terms.schedule.cash_flows()``; this package knows
nothing of how schedules are built.

Built in:

- :data:`CN_COMPREHENSIVE_36` — China's 36 % comprehensive-cost ceiling (整治办函〔2017〕141号):
  interest and every fee annualised by IRR (periodic IRR × periods a year), ≤ 36 %.
- :func:`cn_private_lending` — 4 × the one-year LPR in force when the contract is formed
  (法释〔2020〕17号 Art. 25; overdue charges within the same limit, Arts. 28–29).
- :data:`US_MLA_36` — Military Lending Act MAPR ≤ 36 % (32 CFR 232.4(b)): the Regulation Z
  actuarial APR with every charge included (232.4(c)).
- :data:`UK_HCSTC` — FCA CONC 5A high-cost short-term credit: charges ≤ 0.8 % a day of the
  credit outstanding (simple), default fees ≤ £15, all charges ≤ 100 % of the credit.
- :class:`AnnualRateCap` — a user-defined cap (a state usury limit, a lender's own policy) on
  a named measure.
"""

from __future__ import annotations

from loanmath.caps._base import CN_COMPREHENSIVE_36, UK_HCSTC, US_MLA_36, AnnualRateCap, Cap
from loanmath.caps._batch import batch_cash_flows, batch_check, batch_max_fee, batch_max_rate
from loanmath.caps._lpr import LPRStaleWarning, cn_private_lending, lpr_1y, lpr_table, register_lpr
from loanmath.caps._measures import MEASURES, all_in_irr, contract_rate, mapr, overdue_rate
from loanmath.caps._pricing import max_fee, max_rate
from loanmath.errors import RateCapExceeded

__all__ = [
    "CN_COMPREHENSIVE_36",
    "MEASURES",
    "UK_HCSTC",
    "US_MLA_36",
    "AnnualRateCap",
    "Cap",
    "LPRStaleWarning",
    "RateCapExceeded",
    "all_in_irr",
    "batch_cash_flows",
    "batch_check",
    "batch_max_fee",
    "batch_max_rate",
    "cn_private_lending",
    "contract_rate",
    "lpr_1y",
    "lpr_table",
    "mapr",
    "max_fee",
    "max_rate",
    "overdue_rate",
    "register_lpr",
]
