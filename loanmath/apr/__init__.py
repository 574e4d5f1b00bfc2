"""Annualised rates: IRR, nominal and effective IRR, XIRR, Reg Z APR, EU APRC, batch.

Every rate is found by one robust solver (float64, safeguarded Newton inside a bracket it
finds itself) and confirmed in Decimal: the NPV at the returned rate is zero within the stated
tolerance, or :class:`~loanmath.errors.NoSolutionError` is raised — never NaN, ``None`` or a
last guess. ``apr/`` knows nothing of schedules: it takes cash flows
(``Schedule.cash_flows()`` feeds every method).
"""

from __future__ import annotations

from loanmath.apr.eu import aprc_percent, eu_aprc, eu_years
from loanmath.apr.explain import (
    RateExplanation,
    RegZExplanation,
    RegZFlow,
    SpreadsheetRun,
    explain_rate,
    explain_regz,
)
from loanmath.apr.irr import effective_irr, irr, nominal_irr, xirr
from loanmath.apr.regz import UNIT_PERIODS, regz_accurate, regz_apr, regz_periods
from loanmath.apr.uk import UK_PERIODS, uk_apr, uk_apr_of, uk_apr_percent, uk_years
from loanmath.errors import NoSolutionError

__all__ = [
    "UK_PERIODS",
    "UNIT_PERIODS",
    "NoSolutionError",
    "RateExplanation",
    "RegZExplanation",
    "RegZFlow",
    "SpreadsheetRun",
    "aprc_percent",
    "effective_irr",
    "eu_aprc",
    "eu_years",
    "explain_rate",
    "explain_regz",
    "irr",
    "nominal_irr",
    "regz_accurate",
    "regz_apr",
    "regz_periods",
    "uk_apr",
    "uk_apr_of",
    "uk_apr_percent",
    "uk_years",
    "xirr",
]
