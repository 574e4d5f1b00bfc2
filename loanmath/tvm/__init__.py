"""Spreadsheet-compatible time-value-of-money functions, in Decimal.

Same names, arguments, sign conventions and meaning as the spreadsheet functions (Excel,
LibreOffice Calc, Google Sheets): money paid out is negative, money received positive;
``when`` is ``"end"``/``0`` (payments at the end of each period, the default) or
``"begin"``/``1``. Where a spreadsheet returns an error value (``#NUM!``, ``#VALUE!``,
``#DIV/0!``) these functions raise the library's error with the reason.

Rates may be given as ``float`` (converted with ``str()``, so ``0.08/12`` means the decimal
``0.006666666666666667``); money amounts may not. Results are ``Decimal`` computed in the
library's 50-digit context and rounded to 28 significant digits — far inside the 1e-12
relative accuracy auditors reconcile to.

Where spreadsheets are wrong: Excel's RATE and IRR stop after 20 Newton iterations and return
``#NUM!`` for solvable problems (high-rate payday flows, long terms with a poor guess); these
functions bracket the root and always find it when it exists (``tests/test_tvm.py`` pins such
a case).
"""

from __future__ import annotations

from loanmath.tvm.annuity import cumipmt, cumprinc, fv, ipmt, nper, pmt, ppmt, pv, rate
from loanmath.tvm.flows import effect, irr, nominal, npv, xirr, xnpv

__all__ = [
    "cumipmt",
    "cumprinc",
    "effect",
    "fv",
    "ipmt",
    "irr",
    "nominal",
    "nper",
    "npv",
    "pmt",
    "ppmt",
    "pv",
    "rate",
    "xirr",
    "xnpv",
]
