"""Every error loanmath raises, in one hierarchy.

All errors derive from :class:`LoanMathError`. Each leaf also derives from the builtin it
refines (``ValueError`` or ``TypeError``), so ``except ValueError`` keeps working for callers
that do not know loanmath. Errors about an input carry the data a caller needs to react
without parsing the message: ``.field`` (the argument's name), ``.value`` (what was given),
``.limit`` (what is allowed) and ``.fix`` (what would make it valid).

Examples
--------
>>> from loanmath import Money
>>> from loanmath.errors import FloatMoneyError
>>> try:
...     Money(1.1, "CNY")
... except FloatMoneyError as exc:
...     print(exc.field, isinstance(exc, TypeError))
amount True
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

__all__ = [
    "CellError",
    "CurrencyMismatchError",
    "DateOrderError",
    "DateTypeError",
    "FloatMoneyError",
    "InexactError",
    "InputTypeError",
    "InvalidInputError",
    "LedgerImbalance",
    "LedgerTamperError",
    "LoanMathError",
    "MissingDependencyError",
    "NoSolutionError",
    "NonFiniteError",
    "RateCapExceeded",
    "TapeError",
    "UnknownNameError",
]


class LoanMathError(Exception):
    """Base class of every error loanmath raises.

    Notes
    -----
    Never raised itself: every refusal is one of its subclasses, each of which also derives
    from the builtin it refines (``ValueError``, ``TypeError``, ``ImportError``). A refused
    operation leaves every object as it was (docs/limits.md, "Limits, refusals and the error
    promise"; ARCHITECTURE rule 10).
    """


#: The longest value an error message shows before cutting it short.
SHOWN = 200


def shown(value: object) -> str:
    """`value`'s repr for a message: cut to :data:`SHOWN` characters, never raising (a
    10**5000 int has no repr under Python's digit limit; an object's own repr may fail).

    Examples
    --------
    >>> shown(10**5000)
    '<int of about 5001 digits>'
    >>> len(shown("x" * 1000))
    200
    """
    try:
        text = repr(value)
    except ValueError:
        if isinstance(value, int):
            digits = value.bit_length() * 30103 // 100000 + 1  # log10(2) ≈ 0.30103
            return f"<int of about {digits} digits>"
        return f"<{type(value).__name__}>"
    except Exception:
        return f"<{type(value).__name__}>"
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _message(field: str, value: object, limit: str, fix: str) -> str:
    text = f"{field}={shown(value)}: {limit}"
    return f"{text}; {fix}" if fix else text


class _FieldError(LoanMathError):
    """An error about one input: carries ``.field``, ``.value``, ``.limit`` and ``.fix``."""

    def __init__(self, field: str, value: object, limit: str, fix: str = "") -> None:
        self.field = field
        self.value = value
        self.limit = limit
        self.fix = fix
        super().__init__(_message(field, value, limit, fix))

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.field, self.value, self.limit, self.fix))


class InvalidInputError(_FieldError, ValueError):
    """An argument has the right type but a value outside what is allowed.

    Parameters
    ----------
    field : str
        Name of the argument (or attribute) that is wrong.
    value : object
        The value that was given.
    limit : str
        What is allowed, in words (``"must be >= 0"``).
    fix : str, optional
        What the caller can do about it.

    Notes
    -----
    Raised by the boundary checks (``D``, ``check_int``, the attrs converters, ...) for a value
    outside its limit, and by the last guard (``context_free``, ``guard_init``) for an internal
    signal no check anticipated. Carries ``.field``, ``.value``, ``.limit``, ``.fix``; also a
    ``ValueError``. The limits are tabled in docs/limits.md.
    """


class InputTypeError(_FieldError, TypeError):
    """An argument has a type loanmath does not accept (nothing is silently coerced).

    Notes
    -----
    Raised where a value enters (``bool``, ``Fraction`` or any other type where a number, a
    string or an object of a given class is required). Carries ``.field``, ``.value``,
    ``.limit``, ``.fix``; also a ``TypeError`` (docs/money-rounding-daycounts.md; docs/limits.md).
    """


class FloatMoneyError(InputTypeError):
    """A ``float`` was given where money or an exact rate is required.

    A binary float cannot hold most decimal amounts (``0.1`` is
    ``0.1000000000000000055511151231257827...``), so loanmath refuses it instead of guessing.

    Notes
    -----
    Raised by ``D`` for a ``float`` or numpy floating scalar. Carries ``.field`` and ``.value``;
    ``.fix`` suggests ``Decimal(str(value))``. An :class:`InputTypeError`, hence a ``TypeError``
    (ARCHITECTURE rule 1: money never passes through a float; docs/money-rounding-daycounts.md).
    """

    def __init__(self, field: str, value: object) -> None:
        super().__init__(
            field,
            value,
            "a float cannot hold money exactly",
            f"pass a str or Decimal instead, e.g. {field}=Decimal({str(value)!r})",
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.field, self.value))


class NonFiniteError(InvalidInputError):
    """A NaN or an infinity was given where a finite number is required.

    Notes
    -----
    Raised by ``D`` when the parsed ``Decimal`` is not finite (``NaN``, ``sNaN``, ``Infinity``).
    Carries ``.field``, ``.value``, ``.limit``, ``.fix``; an :class:`InvalidInputError`, hence a
    ``ValueError`` (docs/money-rounding-daycounts.md; docs/limits.md, "any number").
    """


class DateTypeError(InputTypeError):
    """Something other than a ``datetime.date`` was given where a date is required.

    Notes
    -----
    Raised by ``check_date`` for a string, a datetime with a time of day, a NaT, a
    ``datetime64`` coarser than a day or outside the years 1 to 9999 (a midnight datetime is
    accepted as its date). Carries ``.field``, ``.value``, ``.limit``, ``.fix``; a ``TypeError``
    (docs/money-rounding-daycounts.md; docs/schedules.md).
    """


class DateOrderError(InvalidInputError):
    """Two dates are in the wrong order (an end before its start).

    Notes
    -----
    Raised by ``check_order`` when ``end < start`` (equal dates are accepted). ``.field`` and
    ``.value`` are the end date's, ``.limit`` names the start; a ``ValueError``
    (docs/money-rounding-daycounts.md, day counts).
    """


class UnknownNameError(InvalidInputError):
    """A name (currency, day-count convention, frequency, mode ...) that loanmath does not know.

    ``.choices`` lists the valid names; ``.suggestions`` the close ones, best first.

    Notes
    -----
    Raised where a name is looked up (currencies, day counts, rounding modes, methods,
    accounts, locales, forms ...). The suggestions come from ``difflib.get_close_matches``
    where the caller computed them; the message lists up to 20 choices. Also carries
    ``.field``, ``.value``, ``.limit``, ``.fix``; a ``ValueError`` (docs/limits.md).
    """

    def __init__(
        self,
        field: str,
        value: object,
        choices: Sequence[str],
        suggestions: Sequence[str] = (),
    ) -> None:
        self.choices = tuple(choices)
        self.suggestions = tuple(suggestions)
        if self.suggestions:
            fix = "did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?"
        else:
            fix = ""
        if not self.choices:
            limit = "is not known (there is nothing to choose from yet)"
        elif len(self.choices) <= 20:
            limit = "must be one of " + ", ".join(repr(c) for c in self.choices)
        else:
            limit = f"is not one of the {len(self.choices)} known names"
        super().__init__(field, value, limit, fix)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.field, self.value, self.choices, self.suggestions))


class CurrencyMismatchError(LoanMathError, ValueError):
    """Two amounts in different currencies were combined.

    Notes
    -----
    Raised by ``Money`` ``+``, ``-`` and the comparisons when the ISO 4217 codes differ;
    loanmath never converts. Carries ``.operation`` and ``.currencies`` (left, right); a
    ``ValueError`` (docs/money-rounding-daycounts.md, "Money"; STYLE 3).
    """

    def __init__(self, operation: str, left: str, right: str) -> None:
        self.operation = operation
        self.currencies = (left, right)
        super().__init__(
            f"cannot {operation} {left} and {right}: amounts must share one currency; "
            "convert one of them first"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.operation, *self.currencies))


class InexactError(InvalidInputError):
    """An operation would have to round, and no rounding policy was given for it.

    Notes
    -----
    Raised by ``Money / n`` when the quotient has no exact decimal value (the ``Inexact``
    signal of the exact context); ``.field`` is ``"divisor"``, ``.fix`` points to
    ``allocate`` or a ``Rounding``. A ``ValueError`` (docs/money-rounding-daycounts.md; STYLE 4).
    """


class NoSolutionError(LoanMathError, ValueError):
    """A solver could not find a root; the message says what it tried.

    loanmath never returns NaN, ``None`` or a solver's last guess instead of raising this.

    Notes
    -----
    Raised by the rate solvers (APR, XIRR, ``tvm.rate``, the batch kernels, ``max_rate``) when
    no root exists in the searched range, when several roots exist, or when a root fails its
    confirmation. Carries only the message; a ``ValueError`` (docs/rates.md; STYLE 8).
    """


class RateCapExceeded(LoanMathError, ValueError):
    """A contract's measured rate exceeds a legal or policy cap.

    Parameters
    ----------
    rule : str
        Name of the cap (``"CN_COMPREHENSIVE_36"``).
    limit : Decimal
        The cap, as an annual rate fraction.
    measured : Decimal
        The rate the cap's own method measured, as an annual rate fraction.
    fix : str, optional
        What would make the contract comply.

    Notes
    -----
    Raised by a cap's ``check`` when ``measured > limit`` (equality complies), for the
    contract rate, the overdue rate, or the UK HCSTC total cost and default fee caps. Carries
    ``.rule``, ``.limit``, ``.measured``, ``.fix``; a ``ValueError`` (docs/caps-and-quote.md).
    """

    def __init__(self, rule: str, limit: Decimal, measured: Decimal, fix: str = "") -> None:
        self.rule = rule
        self.limit = limit
        self.measured = measured
        self.fix = fix
        text = f"{rule}: measured rate {measured} exceeds the limit {limit}"
        super().__init__(f"{text}; {fix}" if fix else text)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.rule, self.limit, self.measured, self.fix))


class LedgerImbalance(LoanMathError, ValueError):
    """A transaction's postings do not net to exactly zero in some currency.

    Notes
    -----
    Raised by ``Transaction`` when, for some currency, the sum of its postings is not exactly
    zero (double entry: debits equal credits), and by servicing's poster as a defect guard.
    Carries only the message, naming the residual per currency; a ``ValueError``
    (docs/ledger.md, "Postings and transactions").
    """


class LedgerTamperError(LoanMathError, ValueError):
    """The journal's hash chain does not match its entries (altered, inserted, removed or
    reordered), or an export is not one the ledger wrote.

    Notes
    -----
    Raised by ``Journal.verify`` when ``chain_hash(previous, canonical)`` differs from a link
    or the link count differs, by ``Journal.trial_balance`` when a currency does not net to
    zero, and by the JSON Lines import naming the offending line. Carries only the message;
    a ``ValueError`` (docs/ledger.md, "The journal" and "Exports").
    """


class MissingDependencyError(LoanMathError, ImportError):
    """An optional library a function needs is not installed (the data interop needs pandas
    or pyarrow: ``pip install 'loanmath[data]'``).

    Also an ``ImportError``, so ``except ImportError`` keeps working. ``.module`` is the
    missing library, ``.feature`` what needed it, ``.fix`` the command that installs it.

    Notes
    -----
    Raised by the optional-import helper when ``importlib.import_module`` fails with an
    ``ImportError``; that error is chained as ``__cause__`` and ``.name`` is the module
    (docs/schedules.md, data interop; docs/disclosure.md for the HTML extra).

    Examples
    --------
    >>> str(MissingDependencyError("pandas", "Schedule.to_frame()"))
    "Schedule.to_frame() needs pandas, which cannot be imported; pip install 'loanmath[data]'"
    """

    def __init__(
        self, module: str, feature: str, fix: str = "pip install 'loanmath[data]'"
    ) -> None:
        self.module = module
        self.feature = feature
        self.fix = fix
        super().__init__(f"{feature} needs {module}, which cannot be imported; {fix}", name=module)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.module, self.feature, self.fix))


class CellError(InvalidInputError):
    """A tape cell that cannot be used: its field, its value and why.

    Notes
    -----
    Raised while a tape row is read: a number not plain (exponent, separators), money with
    more decimals than the currency's minor unit (a float's trace), a bad date, an unknown
    currency, cap or event type, a missing amount. Carries ``.field``, ``.value``, ``.limit``,
    ``.fix``; the row goes to the ``errors`` report and its loan is not recomputed (exit 1);
    an :class:`~loanmath.errors.InvalidInputError`, a ``ValueError`` (docs/audit.md, "The
    tape").
    """


class TapeError(InvalidInputError):
    """A tape that cannot be read at all (missing, unknown format, a float money column).

    Notes
    -----
    Raised for the whole table, before any row is used: a file missing, unreadable, not
    UTF-8, without a header or not CSV / JSON Lines / Parquet, an object that is no table,
    or a float column of money or rates. ``.field`` names the table, ``.value`` the path or
    column; an :class:`~loanmath.errors.InvalidInputError` (a ``ValueError``); the command
    line exits 2 (docs/audit.md, "The tape").
    """
