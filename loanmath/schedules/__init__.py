"""Amortisation schedules: one module per method, one :class:`Schedule` type.

``build_schedule(terms)`` turns a contract (``loanmath.LoanTerms``) into exact rows. Methods
are strategies in a registry: ``annuity``, ``equal_principal``, ``interest_only``, ``bullet``,
``flat``, ``custom``, ``step``; a new method is a new module that calls
:func:`register_method`.
"""

from __future__ import annotations

from loanmath.schedules import (  # noqa: F401 - importing registers each method
    annuity,
    bullet,
    custom,
    equal_principal,
    flat,
    interest_only,
    step,
)
from loanmath.schedules._build import build_schedule
from loanmath.schedules._engine import METHODS, Method, Rule, get_method, register_method
from loanmath.schedules._model import CashFlow, Fee, Installment, Schedule
from loanmath.schedules._plan import ScheduleTerms
from loanmath.schedules._reamortize import reamortize

__all__ = [
    "METHODS",
    "CashFlow",
    "Fee",
    "Installment",
    "Method",
    "Rule",
    "Schedule",
    "ScheduleTerms",
    "build_schedule",
    "get_method",
    "reamortize",
    "register_method",
]
