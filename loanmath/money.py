"""Money, currencies, the rounding policy, and exact allocation.

``Money`` is a frozen ``(Decimal, currency)`` value. Amounts come in as ``Decimal``, ``int`` or
``str`` (a ``float`` raises ``TypeError``); ``+``, ``-`` and comparisons work within one
currency; ``*`` and ``/`` only by plain numbers. All arithmetic is exact: it runs in the
library's :data:`~loanmath._decimal.EXACT` context, so a result that would need rounding
raises instead of being rounded silently. Rounding happens only through a :class:`Rounding`
policy, which rounds the exact rational value once.

Currency codes and their minor units come from babel's copy of the CLDR/ISO 4217 data
(CNY 2 decimals, JPY 0, KWD 3).
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Sequence
from decimal import Decimal
from difflib import get_close_matches
from fractions import Fraction
from functools import cache
from typing import Final

import attrs
from babel.numbers import get_currency_name, get_currency_precision, list_currencies

from loanmath._checks import check_same_currency
from loanmath._decimal import (
    CONTEXT,
    EXACT,
    ROUNDING_MODES,
    D,
    check_mode,
    context_free,
    div_round,
    guard_init,
    to_fraction,
)
from loanmath.errors import (
    CurrencyMismatchError,
    InexactError,
    InputTypeError,
    InvalidInputError,
    UnknownNameError,
)

__all__ = [
    "Money",
    "Rounding",
    "allocate",
    "amount_in",
    "amount_or_money",
    "check_currency",
    "minor_unit",
    "minor_unit_quantum",
]

_CURRENCIES: Final = frozenset(list_currencies())

#: Names people write for a currency that are not its ISO 4217 code.
_ALIASES: Final = {"RMB": "CNY", "YUAN": "CNY", "NTD": "TWD", "YEN": "JPY", "STG": "GBP"}


def _suggest_currency(code: object) -> list[str]:
    text = str(code).strip()
    upper = text.upper()
    found: list[str] = []
    if upper in _CURRENCIES:
        found.append(upper)
    if upper in _ALIASES:
        found.append(_ALIASES[upper])
    found.extend(get_close_matches(upper, sorted(_CURRENCIES), n=3, cutoff=0.6))
    if len(text) > 3:
        lowered = text.lower()
        found.extend(
            c for c in sorted(_CURRENCIES) if lowered in get_currency_name(c, locale="en").lower()
        )
    return list(dict.fromkeys(found))[:4]


@context_free
def check_currency(code: object, field: str = "currency") -> str:
    """Return `code` if it is an ISO 4217 currency code babel knows, else raise.

    Codes are upper-case three-letter strings; nothing is coerced (``"cny"`` is refused with a
    suggestion of ``"CNY"``).

    Raises
    ------
    UnknownNameError
        With ``.suggestions`` listing close codes (``"RMB"`` suggests ``"CNY"``).

    Notes
    -----
    Valid: a ``str`` among babel's ``list_currencies()`` (CLDR's currency data: the ISO 4217
    codes, and also withdrawn ones such as ``"DEM"`` and CLDR's ``"CNH"``). No case folding or
    alias mapping; aliases (``RMB`` → ``CNY``), close matches and English names only feed the
    suggestions. docs/money-rounding-daycounts.md, "Money".

    Examples
    --------
    >>> check_currency("KWD")
    'KWD'
    >>> check_currency("RMB")
    Traceback (most recent call last):
    ...
    loanmath.errors.UnknownNameError: currency='RMB': is not one of the ... did you mean 'CNY' ...?
    """
    if isinstance(code, str) and code in _CURRENCIES:
        return code
    raise UnknownNameError(field, code, sorted(_CURRENCIES), _suggest_currency(code))


@context_free
@cache
def minor_unit(currency: str) -> int:
    """Number of decimal places of `currency`'s minor unit (CNY 2, JPY 0, KWD 3).

    Notes
    -----
    ``babel.numbers.get_currency_precision(code)``: CLDR's ``digits`` for the currency (ISO 4217
    via babel/CLDR), cached per code. It is the ISO 4217 minor unit for most codes but not all:
    CLDR gives 0 for IDR, HUF, COP and IQD, whose ISO 4217 minor units are 2, 2, 2 and 3.

    Examples
    --------
    >>> minor_unit("CNY"), minor_unit("JPY"), minor_unit("KWD")
    (2, 0, 3)
    """
    return int(get_currency_precision(check_currency(currency)))


@context_free
@cache
def minor_unit_quantum(currency: str) -> Decimal:
    """The smallest unit of `currency` as a Decimal (``Decimal('0.01')`` for CNY).

    Notes
    -----
    ``10^−minor_unit(currency)`` as the Decimal with that exponent (``Decimal('0.01')``,
    ``Decimal('1')``): the quantum :class:`Rounding` uses when its `quantum` is None. Digits
    from babel/CLDR as :func:`minor_unit` (ISO 4217 for most codes).

    Examples
    --------
    >>> minor_unit_quantum("JPY"), minor_unit_quantum("KWD")
    (Decimal('1'), Decimal('0.001'))
    """
    return Decimal((0, (1,), -minor_unit(currency)))


#: ``minor_unit_quantum`` of the codes seen, for :meth:`Rounding.quantum_for` (asked several
#: times per contract; a dict lookup instead of the guarded, cached call).
_MINOR_QUANTA: dict[str, Decimal] = {}


def _to_amount(value: Decimal | int | str) -> Decimal:
    return D(value, "amount")


def _to_quantum(value: Decimal | int | str | None) -> Decimal | None:
    return None if value is None else D(value, "quantum")


def _plain_number(value: object, field: str) -> Decimal:
    if isinstance(value, Money):
        raise InputTypeError(field, value, "must be a plain number, not Money")
    return D(value, field)


@guard_init
@attrs.frozen(eq=True, order=False, repr=False)
class Money:
    """An exact amount of one currency.

    Parameters
    ----------
    amount : Decimal, int or str
        The amount; never rounded on the way in. A ``float`` raises ``TypeError``.
    currency : str
        ISO 4217 code, upper case (``"CNY"``).

    Notes
    -----
    ``+`` and ``-`` need the same currency (else :class:`~loanmath.errors.CurrencyMismatchError`);
    ``*`` takes a plain number; ``/`` takes a plain number and must be exact (use
    :meth:`allocate` or a :class:`Rounding` policy to split an amount that does not divide).
    Arithmetic runs in the library's exact context, so it never depends on the caller's
    decimal context and never rounds silently.

    Examples
    --------
    >>> price = Money("12.50", "CNY")
    >>> price + Money("0.75", "CNY")
    Money('13.25', 'CNY')
    >>> price * 3
    Money('37.50', 'CNY')
    >>> Money(1.1, "CNY")
    Traceback (most recent call last):
    ...
    loanmath.errors.FloatMoneyError: amount=1.1: a float cannot hold money exactly; ...
    """

    amount: Decimal = attrs.field(converter=_to_amount)
    currency: str

    def __attrs_post_init__(self) -> None:
        if type(self.currency) is not str or self.currency not in _CURRENCIES:
            check_currency(self.currency)  # raises, naming the field and close codes

    @classmethod
    def _trusted(cls, amount: Decimal, currency: str) -> Money:
        """Build from a finite Decimal and an already validated currency, skipping the checks.

        Only for results of arithmetic on valid Money (EXACT operations on finite operands are
        finite); never for outside input.
        """
        money = object.__new__(cls)
        _SET_AMOUNT(money, amount)
        _SET_CURRENCY(money, currency)
        return money

    @classmethod
    @context_free
    def zero(cls, currency: str) -> Money:
        """Zero in `currency`, at its minor unit (``0.00`` for CNY).

        Examples
        --------
        >>> Money.zero("KWD")
        Money('0.000', 'KWD')
        """
        return cls(Decimal((0, (0,), -minor_unit(currency))), currency)

    def __repr__(self) -> str:
        return f"Money({format(self.amount, 'f')!r}, {self.currency!r})"

    def __str__(self) -> str:
        # format 'f' is exact and ignores the caller's context (str() reads its `capitals`)
        return f"{format(self.amount, 'f')} {self.currency}"

    def _same(self, other: object, operation: str) -> Money:
        if not isinstance(other, Money):
            raise InputTypeError(
                "other", other, f"can only {operation} Money and Money", "wrap it in Money(...)"
            )
        if other.currency != self.currency:
            raise CurrencyMismatchError(operation, self.currency, other.currency)
        return other

    def __add__(self, other: Money) -> Money:
        return Money._trusted(
            EXACT.add(self.amount, self._same(other, "add").amount), self.currency
        )

    def __sub__(self, other: Money) -> Money:
        return Money._trusted(
            EXACT.subtract(self.amount, self._same(other, "subtract").amount), self.currency
        )

    def __mul__(self, factor: Decimal | int | str) -> Money:
        product = EXACT.multiply(self.amount, _plain_number(factor, "factor"))
        return Money._trusted(product, self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: Decimal | int | str) -> Money:
        value = _plain_number(divisor, "divisor")
        if value.is_zero():
            raise InvalidInputError("divisor", divisor, "must not be zero")
        try:
            return Money(EXACT.divide(self.amount, value), self.currency)
        except decimal.Inexact:
            raise InexactError(
                "divisor",
                divisor,
                f"{self} / {divisor} has no exact decimal value",
                "use Money.allocate() to split it, or Rounding.round_money(...) on a Fraction",
            ) from None

    def __neg__(self) -> Money:
        return Money._trusted(EXACT.minus(self.amount), self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money._trusted(self.amount.copy_abs(), self.currency)

    def __bool__(self) -> bool:
        return not self.amount.is_zero()

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other, "compare").amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other, "compare").amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other, "compare").amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other, "compare").amount

    @context_free
    def round(self, rounding: Rounding | None = None) -> Money:
        """This amount rounded by `rounding` (default: half up to the minor unit).

        Examples
        --------
        >>> Money("2.675", "CNY").round()
        Money('2.68', 'CNY')
        >>> Money("2.675", "CNY").round(Rounding("half_even"))
        Money('2.68', 'CNY')
        >>> Money("2.665", "CNY").round(Rounding("half_even"))
        Money('2.66', 'CNY')
        """
        policy = rounding if rounding is not None else Rounding()
        return Money(policy.round(self.amount, self.currency), self.currency)

    @context_free
    def allocate(
        self, weights: Sequence[Decimal | int | str | Fraction], *, quantum: Decimal | None = None
    ) -> tuple[Money, ...]:
        """Split this amount by `weights` into parts that sum to it exactly.

        See :func:`allocate`.

        Examples
        --------
        >>> Money("100.00", "CNY").allocate([1, 1, 1])
        (Money('33.34', 'CNY'), Money('33.33', 'CNY'), Money('33.33', 'CNY'))
        """
        step = minor_unit_quantum(self.currency) if quantum is None else quantum
        return tuple(Money(part, self.currency) for part in allocate(self.amount, weights, step))


# the slot setters of the frozen class, for Money._trusted (twice as fast as object.__setattr__)
_SET_AMOUNT: Final = Money.__dict__["amount"].__set__
_SET_CURRENCY: Final = Money.__dict__["currency"].__set__


@guard_init
@attrs.frozen
class Rounding:
    """A named rounding policy: a mode and a quantum.

    Parameters
    ----------
    mode : str, default ``"half_up"``
        ``"half_up"`` (ties away from zero, the commercial rule), ``"half_even"`` (banker's),
        ``"down"`` (towards zero) or ``"up"`` (away from zero).
    quantum : Decimal, int or str, optional
        The step results are multiples of: ``None`` means the currency's minor unit (CNY 0.01,
        JPY 1, KWD 0.001); ``Decimal("1")`` rounds to whole units; ``Decimal("0.05")`` to
        five-cent steps (Swiss cash rounding).

    Notes
    -----
    Rounding is always of the *exact* value: a ``Fraction`` (``balance * rate * days / 365``)
    or a ``Decimal`` is divided by the quantum in integer arithmetic and rounded once, so the
    result never depends on an intermediate precision or on the caller's decimal context.
    For a value ``x``, quantum ``q`` and rounding function ``R`` of the mode, the result is
    ``R(x / q) * q``.

    Examples
    --------
    >>> Rounding().round(Decimal("2.675"), "CNY")
    Decimal('2.68')
    >>> Rounding("down", quantum=Decimal("1")).round(Decimal("1999.99"), "CNY")
    Decimal('1999')
    >>> Rounding(quantum=Decimal("0.05")).round(Decimal("10.024"), "CHF")
    Decimal('10.00')
    >>> from fractions import Fraction
    >>> Rounding().round(Fraction(10000 * 12, 100 * 365), "JPY")
    Decimal('3')
    """

    mode: str = "half_up"
    quantum: Decimal | None = attrs.field(default=None, converter=_to_quantum)
    #: Whether the explicit quantum is a power of ten (then Decimal.quantize is exact).
    _power_of_ten: bool = attrs.field(init=False, default=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        check_mode(self.mode)
        if self.quantum is not None:
            if self.quantum <= 0:
                raise InvalidInputError(
                    "quantum", self.quantum, "must be > 0", "use None for the currency's minor unit"
                )
            object.__setattr__(self, "_power_of_ten", self.quantum.as_tuple().digits == (1,))

    @property
    def decimal_rounding(self) -> str:
        """The ``decimal`` module's constant for this mode (``decimal.ROUND_HALF_UP`` ...)."""
        return ROUNDING_MODES[self.mode]

    def quantum_for(self, currency: str | None) -> Decimal:
        """The quantum this policy rounds to in `currency`.

        Examples
        --------
        >>> Rounding().quantum_for("KWD")
        Decimal('0.001')
        """
        if self.quantum is not None:
            return self.quantum
        if type(currency) is str:
            known = _MINOR_QUANTA.get(currency)
            if known is not None:  # a code seen before (and so a valid one)
                return known
        if currency is None:
            raise InvalidInputError(
                "currency",
                None,
                "is needed when the Rounding has no quantum",
                "pass the currency, or Rounding(quantum=...)",
            )
        quantum = minor_unit_quantum(currency)
        if type(currency) is str:
            _MINOR_QUANTA[currency] = quantum
        return quantum

    @context_free
    def round(self, value: Decimal | int | Fraction, currency: str | None = None) -> Decimal:
        """Round the exact `value` once to a multiple of the quantum.

        Parameters
        ----------
        value : Decimal, int or Fraction
            The exact value. A ``float`` raises ``TypeError``.
        currency : str, optional
            Needed when the policy has no explicit quantum.

        Returns
        -------
        Decimal
            A multiple of the quantum, with the quantum's exponent.
        """
        if self.quantum is None:
            quantum, power_of_ten = self.quantum_for(currency), True
        else:
            quantum, power_of_ten = self.quantum, self._power_of_ten
        if type(value) is Decimal and power_of_ten and value.is_finite():
            # quantize rounds the exact Decimal once; the library context only bounds digits
            result = value.quantize(quantum, rounding=ROUNDING_MODES[self.mode], context=CONTEXT)
            return result.copy_abs() if result.is_zero() else result
        exact = value if isinstance(value, Fraction) else to_fraction(D(value, "value"))
        step = to_fraction(quantum)
        units = div_round(
            exact.numerator * step.denominator, exact.denominator * step.numerator, self.mode
        )
        return EXACT.multiply(Decimal(units), quantum)

    @context_free
    def round_money(self, value: Decimal | int | Fraction, currency: str) -> Money:
        """Round `value` like :meth:`round` and return it as ``Money`` in `currency`.

        Examples
        --------
        >>> from fractions import Fraction
        >>> Rounding("half_even").round_money(Fraction(1, 8), "CNY")
        Money('0.12', 'CNY')
        """
        return Money(self.round(value, currency), currency)


@context_free
def allocate(
    total: Decimal | int | str,
    weights: Sequence[Decimal | int | str | Fraction],
    quantum: Decimal | int | str,
) -> tuple[Decimal, ...]:
    """Split `total` into parts proportional to `weights` that sum to `total` exactly.

    Parameters
    ----------
    total : Decimal, int or str
        The amount to split; must be a multiple of `quantum`.
    weights : sequence of Decimal, int, str or Fraction
        Non-negative weights, not all zero. Floats are refused.
    quantum : Decimal, int or str
        Every part is a multiple of it (the currency's minor unit, usually).

    Returns
    -------
    tuple of Decimal
        One part per weight, in order; ``sum(parts) == total`` exactly.

    Raises
    ------
    InvalidInputError
        If `weights` is empty, has a negative weight or sums to zero, or if `total` is not a
        multiple of `quantum`.

    Notes
    -----
    Largest-remainder (Hamilton) method. With ``n = total / quantum`` units and weight sum
    ``W``, part ``i`` first gets ``floor(n * w_i / W)`` units; the units left over (fewer
    than the number of parts) go one each to the parts with the largest remainders
    ``n * w_i mod W``, ties to the earlier part. A negative total is split as its absolute
    value and negated, so the method is symmetric about zero. Every part is within one unit of
    its exact share.

    Examples
    --------
    >>> allocate(Decimal("100.00"), [1, 1, 1], Decimal("0.01"))
    (Decimal('33.34'), Decimal('33.33'), Decimal('33.33'))
    >>> allocate(Decimal("10"), [Decimal("0.5"), Decimal("0.3"), Decimal("0.2")], 1)
    (Decimal('5'), Decimal('3'), Decimal('2'))
    """
    amount = D(total, "total")
    step = D(quantum, "quantum")
    if step <= 0:
        raise InvalidInputError("quantum", quantum, "must be > 0")
    integer_weights = _integer_weights(weights)
    amount_n, amount_d = amount.as_integer_ratio()
    step_n, step_d = step.as_integer_ratio()
    signed_units, rest = divmod(amount_n * step_d, amount_d * step_n)
    if rest:
        raise InvalidInputError(
            "total", total, f"is not a multiple of the quantum {step}", "round it first"
        )
    units = abs(signed_units)
    weight_sum = sum(integer_weights)
    shares = [divmod(units * w, weight_sum) for w in integer_weights]
    parts = [whole for whole, _ in shares]
    leftover = units - sum(parts)
    if leftover:
        by_remainder = sorted(range(len(parts)), key=lambda i: (-shares[i][1], i))
        for i in by_remainder[:leftover]:
            parts[i] += 1
    sign = -1 if signed_units < 0 else 1
    return tuple(EXACT.multiply(Decimal(sign * p), step) for p in parts)


def _integer_weights(weights: Sequence[Decimal | int | str | Fraction]) -> list[int]:
    """The weights scaled by their common denominator to integers in the same proportion."""
    if len(weights) == 0:
        raise InvalidInputError("weights", weights, "must not be empty")
    ratios: list[tuple[int, int]] = []
    for i, w in enumerate(weights):
        if isinstance(w, Fraction):
            ratio = (w.numerator, w.denominator)
        elif type(w) is int:
            ratio = (w, 1)
        else:
            ratio = D(w, f"weights[{i}]").as_integer_ratio()
        if ratio[0] < 0:
            raise InvalidInputError(f"weights[{i}]", w, "must be >= 0")
        ratios.append(ratio)
    common = math.lcm(*(denominator for _, denominator in ratios))
    scaled = [numerator * (common // denominator) for numerator, denominator in ratios]
    if not any(scaled):
        raise InvalidInputError("weights", weights, "must not all be zero")
    return scaled


def amount_or_money(value: object, field: str) -> Decimal | Money | None:
    """None, a Money as it is (see :func:`amount_in`), or ``D(value, field)``.

    Notes
    -----
    The one converter of an optional amount that may carry its currency; never a float.

    Examples
    --------
    >>> amount_or_money("20", "late_fee"), amount_or_money(Money("20", "USD"), "late_fee")
    (Decimal('20'), Money('20', 'USD'))
    """
    return value if value is None or isinstance(value, Money) else D(value, field)


def amount_in(value: Decimal | Money, currency: str, field: str) -> Decimal:
    """The amount of `value`, a Money checked by ``_checks.check_same_currency`` first.

    Notes
    -----
    Used where a contract's Money-valued terms become plain Decimals.

    Examples
    --------
    >>> amount_in(Money("20", "USD"), "USD", "step_amount"), amount_in(Decimal(5), "USD", "x")
    (Decimal('20'), Decimal('5'))
    """
    if isinstance(value, Money):
        check_same_currency(value.currency, currency, field)
        return value.amount
    return value
