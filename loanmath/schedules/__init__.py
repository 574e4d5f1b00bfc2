"""Amortisation schedules: one module per method, one :class:`Schedule` type.

``build_schedule(terms)`` turns a contract (``loanmath.LoanTerms``) into exact rows. Methods
are strategies in a registry: ``annuity``, ``equal_principal``, ``interest_only``, ``bullet``,
``flat``, ``custom``, ``step``; a new method is a new module that calls
:func:`register_method`. A method with parameters is a value the contract carries:
``LoanTerms(method=Step(every=3, rate="0.05"))``, ``Custom(payments=[...])``,
``Flat(charge="fee")`` (the keywords ``step_rate=`` … still work and fold into it).
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
from loanmath.schedules.custom import Custom
from loanmath.schedules.flat import Flat
from loanmath.schedules.step import Step

__all__ = [
    "METHODS",
    "CashFlow",
    "Custom",
    "Fee",
    "Flat",
    "Installment",
    "Method",
    "Rule",
    "Schedule",
    "ScheduleTerms",
    "Step",
    "build_schedule",
    "get_method",
    "reamortize",
    "register_method",
]
