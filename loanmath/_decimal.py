"""The one way loanmath makes a number, and the one decimal context it computes in.

Everything numeric in the library enters through :func:`D`: it accepts ``Decimal``, ``int``
(numpy integers too) and ``str``, refuses ``float`` (numpy floats too: a binary float cannot
hold most decimal amounts), refuses ``bool``, NaN and infinities, and never rounds. Every
computation runs in :data:`CONTEXT`, the library's own decimal context, never in the
caller's: a caller who sets ``decimal.getcontext().prec = 3`` changes nothing.

Rounding to a quantum is done on exact integers (:func:`div_round`), so that "exact" means the
exact rational value rounded once, whatever the quantum (``0.01``, ``1``, ``0.05``).
"""

from __future__ import annotations

import decimal
import functools
import numbers
import operator
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from difflib import get_close_matches
from fractions import Fraction
from typing import Final, ParamSpec, TypeAlias, TypeVar

from loanmath._checks import is_bool, is_float
from loanmath.errors import (
    FloatMoneyError,
    InputTypeError,
    InvalidInputError,
    LoanMathError,
    NonFiniteError,
    UnknownNameError,
)

__all__ = [
    "CONTEXT",
    "EXACT",
    "MAX_AMOUNT",
    "ONE",
    "PRECISION",
    "ROUNDING_MODES",
    "ZERO",
    "D",
    "DecimalLike",
    "check_mode",
    "context_free",
    "div_round",
    "guard_init",
    "is_multiple",
    "is_plain",
    "library_context",
    "optional_decimal",
    "to_fraction",
    "to_units",
]

#: Inputs that :func:`D` accepts.
DecimalLike: TypeAlias = Decimal | int | str

#: Significant digits of the library context. Money up to 10**15 with four decimals, times a
#: rate of 12 significant digits, times a day count, is under 40 digits: every product and sum
#: the library forms on money is exact in this context, and :data:`EXACT` proves it.
PRECISION: Final = 50

#: The largest amount of money the library takes anywhere (a principal, a fee, an event, an
#: outstanding balance): sums of such amounts stay exact in :data:`CONTEXT`.
MAX_AMOUNT: Final = Decimal(10**15)

#: The widest numbers :func:`D` takes: every amount, rate and count the library works with is
#: far inside (amounts at most 10**15, rates far above 1E-30); anything beyond is an input
#: error, not a number to spend minutes on (a 1E-999999999 principal, a 10**100000 rate).
MAX_EXPONENT: Final = 100
MAX_DIGITS: Final = 100
#: Integers strictly inside ±_INT_BOUND have at most MAX_DIGITS digits (so they are within the
#: magnitude limit too): D returns them at once, larger ones go through the limit checks.
_INT_BOUND: Final = 10**MAX_DIGITS

_TRAPS = [decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow]

#: The library's decimal context: 50 digits, half-even, traps on invalid operations,
#: division by zero and overflow. Used for every computation, whatever the caller's context.
CONTEXT: Final = decimal.Context(
    prec=PRECISION,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    capitals=1,
    clamp=0,
    flags=[],
    traps=_TRAPS,
)

#: Like :data:`CONTEXT`, but any operation that would round raises ``decimal.Inexact``:
#: money arithmetic (``+``, ``-``, ``*``) runs here, so it is exact or it fails loudly.
EXACT: Final = decimal.Context(
    prec=PRECISION,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    capitals=1,
    clamp=0,
    flags=[],
    traps=[*_TRAPS, decimal.Inexact],
)

ZERO: Final = Decimal(0)
ONE: Final = Decimal(1)

#: Rounding modes by their loanmath name, with the ``decimal`` constant of the same meaning.
#: All four are symmetric about zero: ``half_up`` rounds ties away from zero, ``half_even`` to
#: the even neighbour, ``down`` towards zero (truncates), ``up`` away from zero.
ROUNDING_MODES: Final[dict[str, str]] = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "down": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,
}


_P = ParamSpec("_P")
_R = TypeVar("_R")


def context_free(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorate a public function so it always runs in the library context.

    Whatever precision, rounding or traps the caller's context has, the function computes in
    :data:`CONTEXT`; the caller's context is restored afterwards.

    Examples
    --------
    >>> @context_free
    ... def third(x: Decimal) -> Decimal:
    ...     return x / 3
    >>> with decimal.localcontext(decimal.Context(prec=3)):
    ...     third(Decimal(1)) == Decimal(1) / 3
    False
    >>> len(str(third(Decimal(1))))
    52
    """

    return _guarded(function, function.__name__)


#: How deep this thread is inside guarded calls: only the outermost one sets the context and
#: translates signals (an inner call is already inside both), so the guard costs one
#: attribute read per nested call.
_DEPTH = threading.local()


def _guarded(function: Callable[_P, _R], name: str) -> Callable[_P, _R]:
    @functools.wraps(function)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if getattr(_DEPTH, "n", 0):
            return function(*args, **kwargs)
        _DEPTH.n = 1
        try:
            with decimal.localcontext(CONTEXT):
                return function(*args, **kwargs)
        except LoanMathError:
            raise
        except _SIGNALS as error:
            raise translated(name, error) from error
        finally:
            _DEPTH.n = 0

    return run


_C = TypeVar("_C", bound=type)


def guard_init(cls: _C) -> _C:
    """Class decorator: the constructor runs in the library context and turns an internal
    signal into the library's error, as :func:`context_free` does for functions.

    Examples
    --------
    >>> @guard_init
    ... class Box:
    ...     def __init__(self, x: object) -> None:
    ...         self.x = Decimal(1) / x  # type: ignore[operator]
    >>> Box(0)
    Traceback (most recent call last):
    ...
    loanmath.errors.InvalidInputError: Box() arguments=...cannot be computed exactly...
    """
    cls.__init__ = _guarded(cls.__init__, cls.__name__)  # type: ignore[misc]
    return cls


#: Internal signals a public function must never let out: the arithmetic ones (decimal's
#: signals, float overflow, division by zero, recursion) and the ones a wrong type causes.
_SIGNALS = (
    ArithmeticError,
    RecursionError,
    TypeError,
    AttributeError,
    ValueError,
    KeyError,
    IndexError,
)


def translated(where: str, error: BaseException) -> LoanMathError:
    """The library's error for an internal `error` raised in the public function `where`:
    the boundary's last guard (every argument a function checks is named by its own check;
    this one names the function, the signal, and what to check).

    Examples
    --------
    >>> translated("pmt", decimal.Overflow()).limit
    'cannot be computed exactly (Overflow)'
    """
    kind = type(error).__name__
    detail = f"{kind}: {error}" if str(error) else kind
    if isinstance(error, (TypeError, AttributeError)):
        return InputTypeError(
            f"{where}() arguments",
            detail[:200],
            "have a type the function cannot use",
            "pass Decimal, int or str numbers, dates, and the library's own objects",
        )
    if isinstance(error, (ArithmeticError, RecursionError)):
        return InvalidInputError(
            f"{where}() arguments",
            detail[:200],
            f"cannot be computed exactly ({kind})",
            "use amounts up to 10**15, rates as fractions and terms within the documented limits",
        )
    return InvalidInputError(
        f"{where}() arguments", detail[:200], "are not usable", "check each argument's value"
    )


@contextmanager
def library_context() -> Iterator[decimal.Context]:
    """Run a block in a copy of the library context, leaving the caller's context untouched.

    Notes
    -----
    ``decimal.localcontext(CONTEXT)``: a copy of :data:`CONTEXT` (50 significant digits,
    half-even, trapping InvalidOperation, DivisionByZero and Overflow) for the block, the
    caller's context restored on exit. docs/money-rounding-daycounts.md, "Numbers: one way in".

    Examples
    --------
    >>> import decimal
    >>> with library_context():
    ...     print(Decimal(1) / Decimal(3))
    0.33333333333333333333333333333333333333333333333333
    """
    with decimal.localcontext(CONTEXT) as ctx:
        yield ctx


def D(value: object, field: str = "value") -> Decimal:  # noqa: N802 - the conventional name
    """Make a finite ``Decimal`` from ``Decimal``, ``int`` or ``str``, exactly.

    Parameters
    ----------
    value : Decimal, int or str
        The number. Strings use the ``decimal`` syntax (``"12.50"``, ``"-3"``, ``"1E+3"``).
        An int may be a numpy integer (``numpy.int64`` ...).
    field : str, optional
        The argument's name, used in error messages.

    Returns
    -------
    Decimal
        The same value, never rounded. A negative zero becomes zero.

    Raises
    ------
    FloatMoneyError
        If `value` is a ``float`` or a numpy float (also a ``TypeError``).
    InputTypeError
        If `value` is a ``bool`` (or ``numpy.bool_``), a ``Fraction`` or any other type.
    NonFiniteError
        If `value` is NaN or infinite.
    InvalidInputError
        If a string is not a decimal number.

    Notes
    -----
    Exact, never rounded: a ``Decimal`` is kept, an int (numpy integers through
    ``operator.index``) and a str become ``Decimal(value)``. Non-zero Decimal and str values
    must lie within magnitudes ``1E±100`` and 100 significant digits (ints are not limited); a
    zero keeps its exponent only within −100 … 0, and −0 becomes 0. Floats are refused (a
    binary float cannot hold most decimals): docs/money-rounding-daycounts.md, "Numbers".

    Examples
    --------
    >>> D("12.50")
    Decimal('12.50')
    >>> D(7)
    Decimal('7')
    >>> import numpy as np
    >>> D(np.int64(1200))
    Decimal('1200')
    >>> D(0.1, "principal")
    Traceback (most recent call last):
    ...
    loanmath.errors.FloatMoneyError: principal=0.1: a float cannot hold money exactly; ...
    """
    if type(value) is Decimal:
        result = value
    elif type(value) is int:
        if -_INT_BOUND < value < _INT_BOUND:  # at most MAX_DIGITS digits: within every limit
            return Decimal(value)
        result = Decimal(value)
    elif isinstance(value, str):
        result = _parse(value, field)
    elif is_float(value):  # float, numpy.float64, numpy.float32 ...
        raise FloatMoneyError(field, value)
    elif is_bool(value):  # bool, numpy.bool_
        raise InputTypeError(field, value, "a bool is not a number", "pass an int or a Decimal")
    elif isinstance(value, numbers.Integral):  # int subclasses, numpy.int64 ...
        result = Decimal(operator.index(value))
    elif isinstance(value, Decimal):
        result = Decimal(value)
    elif isinstance(value, Fraction):
        raise InputTypeError(
            field,
            value,
            "a Fraction may have no finite decimal form",
            "round it with a Rounding policy, or pass a Decimal",
        )
    else:
        raise InputTypeError(
            field, value, f"expected Decimal, int or str, got {type(value).__name__}"
        )
    return _within_limits(result, value, field)


def optional_decimal(value: object, field: str) -> Decimal | None:
    """None, or :func:`D` of `value` named `field`: the one converter of an optional number
    (attrs fields bind it to their name in a one-line function, as attrs' mypy plugin types
    only named converters).

    Notes
    -----
    ``None if value is None else D(value, field)``.

    Examples
    --------
    >>> optional_decimal("1.5", "multiple"), optional_decimal(None, "multiple")
    (Decimal('1.5'), None)
    """
    return None if value is None else D(value, field)


def _within_limits(result: Decimal, value: object, field: str) -> Decimal:
    """`result` (converted from `value`) if finite and within the limits; a zero as plain 0."""
    if not result.is_finite():
        raise NonFiniteError(field, value, "must be a finite number", "pass a finite amount")
    if result.is_zero():
        # a zero's exponent carries no value: 0E-1000000 would only slow every step after
        exponent = int(result.as_tuple().exponent)  # finite: always an int
        return result.copy_abs() if -MAX_EXPONENT <= exponent <= 0 else ZERO
    if abs(result.adjusted()) > MAX_EXPONENT or len(result.as_tuple().digits) > MAX_DIGITS:
        raise InvalidInputError(
            field,
            value,
            f"is beyond the numbers loanmath takes (magnitudes 1E-{MAX_EXPONENT} to "
            f"1E+{MAX_EXPONENT}, at most {MAX_DIGITS} significant digits)",
            "amounts are at most 10**15 and rates are fractions such as 0.12",
        )
    return result


def is_plain(value: object) -> bool:
    """Whether :func:`D` returns `value` itself: a non-zero, finite ``Decimal`` (the type
    exactly) within the magnitude and digit limits. A fast test for loops over many amounts;
    anything else goes through :func:`D` for its conversion or its error.

    Examples
    --------
    >>> is_plain(Decimal("133.79")), is_plain(Decimal("NaN")), is_plain("133.79")
    (True, False, False)
    """
    if type(value) is not Decimal or not value.is_finite() or value.is_zero():
        return False
    adjusted = value.adjusted()
    if not -MAX_EXPONENT <= adjusted <= MAX_EXPONENT:
        return False
    # its text holds every digit, so a short text is few digits (and far cheaper than as_tuple)
    return len(str(value)) <= MAX_DIGITS or len(value.as_tuple().digits) <= MAX_DIGITS


def _parse(text: str, field: str) -> Decimal:
    try:
        return Decimal(text)
    except decimal.InvalidOperation:
        fix = "rates are fractions: write '0.12' for 12 %" if "%" in text else ""
        raise InvalidInputError(
            field, text, "is not a decimal number (e.g. '1234.56')", fix
        ) from None


def to_fraction(value: Decimal | int | Fraction) -> Fraction:
    """The exact rational value of a finite number.

    Examples
    --------
    >>> to_fraction(Decimal("0.05"))
    Fraction(1, 20)
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    numerator, denominator = value.as_integer_ratio()
    return Fraction(numerator, denominator)


def check_mode(mode: str) -> str:
    """Validate a rounding-mode name and return it.

    Examples
    --------
    >>> check_mode("half_even")
    'half_even'
    """
    if mode not in ROUNDING_MODES:
        raise UnknownNameError(
            "mode", mode, tuple(ROUNDING_MODES), get_close_matches(str(mode), ROUNDING_MODES)
        )
    return mode


def is_multiple(amount: Decimal, quantum: Decimal) -> bool:
    """Whether `amount` is a whole number of `quantum`s, in exact integer arithmetic (no
    decimal context, whatever the magnitudes).

    Examples
    --------
    >>> cent = Decimal("0.01")
    >>> is_multiple(Decimal("12.30"), cent), is_multiple(Decimal("0.001"), cent)
    (True, False)
    """
    n, d = amount.as_integer_ratio()
    qn, qd = quantum.as_integer_ratio()
    return (n * qd) % (d * qn) == 0


def to_units(amount: Decimal, quantum: Decimal, field: str) -> int:
    """`amount` as a whole number of `quantum`s; raise if it is not a multiple.

    Examples
    --------
    >>> to_units(Decimal("12.30"), Decimal("0.01"), "principal")
    1230
    """
    n, d = amount.as_integer_ratio()
    qn, qd = quantum.as_integer_ratio()
    units, rest = divmod(n * qd, d * qn)
    if rest:
        raise InvalidInputError(
            field,
            amount,
            f"is not a multiple of the rounding quantum {quantum}",
            "round it, or use a finer Rounding quantum",
        )
    return units


def div_round(numerator: int, denominator: int, mode: str) -> int:
    """Round the exact rational ``numerator / denominator`` to an integer by `mode`.

    Integer arithmetic only, so the result is exact and independent of any decimal context.

    Parameters
    ----------
    numerator, denominator : int
        The rational number; `denominator` must not be zero.
    mode : str
        ``"half_up"``, ``"half_even"``, ``"down"`` or ``"up"`` (all symmetric about zero).

    Returns
    -------
    int

    Examples
    --------
    >>> div_round(5, 2, "half_up"), div_round(5, 2, "half_even"), div_round(-5, 2, "half_up")
    (3, 2, -3)
    >>> div_round(7, 3, "up"), div_round(-7, 3, "down")
    (3, -2)
    """
    if mode not in ROUNDING_MODES:
        check_mode(mode)
    if denominator == 0:
        raise InvalidInputError("denominator", 0, "must not be zero")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    quotient, remainder = divmod(abs(numerator), denominator)
    if remainder and mode != "down":
        twice = 2 * remainder
        if (
            mode == "up"
            or twice > denominator
            or (twice == denominator and (mode == "half_up" or quotient % 2 == 1))
        ):
            quotient += 1
    return -quotient if numerator < 0 else quotient
