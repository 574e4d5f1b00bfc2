"""The amortisation engine shared by every method.

A method only says what each row aims at — a level payment, a principal part, or a charge on
the original principal — through a :class:`Rule`; the engine does the rest the same way for
all methods: grace periods, exact interest on the balance, periodic fees, the final row that
clears the balance (the rounding residual's home), and the schedule's totals.

All amounts are integers of the rounding quantum. Interest for period ``k`` on a balance of
``B`` units is ``B · num_k / den_k`` (the exact rational of balance × annual rate × year
fraction) rounded once by the loan's rounding mode, in integer arithmetic.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from decimal import Decimal
from difflib import get_close_matches
from itertools import repeat
from operator import sub
from typing import ClassVar

import attrs

from loanmath._decimal import EXACT, div_round
from loanmath.errors import InvalidInputError, UnknownNameError
from loanmath.schedules._model import Schedule
from loanmath.schedules._plan import Plan

__all__ = [
    "METHODS",
    "Method",
    "Rule",
    "amortize",
    "get_method",
    "method_of",
    "register_method",
    "round_units",
]


def round_units(numerator: int, denominator: int, mode: str) -> int:
    """``numerator / denominator`` (both >= 0, denominator > 0) rounded to an integer by
    `mode` — the hot-loop form of :func:`loanmath._decimal.div_round`.

    Examples
    --------
    >>> round_units(5, 2, "half_up"), round_units(5, 2, "half_even"), round_units(5, 2, "up")
    (3, 2, 3)
    """
    if mode == "half_up":
        return (2 * numerator + denominator) // (2 * denominator)
    if mode == "down":
        return numerator // denominator
    if mode == "up":
        return -(-numerator // denominator)
    return div_round(numerator, denominator, mode)


@attrs.frozen
class Rule:
    """What a method asks of the rows ``first .. n-1`` (the last row always clears).

    kind
        ``"payment"``: ``targets[j]`` is row j's principal + interest; ``"principal"``:
        ``targets[j]`` is row j's principal part.
    targets
        One integer per amortising row (the last one is ignored: that row clears the balance).
    charges
        Optional per-row charge that replaces interest on the balance (flat / add-on loans).
    charges_are_fees
        Put the charges in the fees column instead of interest (a "monthly fee" loan).
    regular_first
        For an odd first period under ``payment_basis="regular"``: the first row's principal
        is the payment less the *regular* period's interest, so the odd days' interest is
        added to the first instalment.
    regular
        The level payment or principal part the rule aims at (for the residual).

    Notes
    -----
    Rows ``first … n−2``: ``"payment"`` gives principal = ``targets[j]`` less the row's interest
    (or flat charge; the regular period's interest on an odd first row with `regular_first`);
    ``"principal"`` gives principal = ``targets[j]``; both clamped to ``[0, balance]``. Row
    ``n−1`` takes the whole balance; the residual is its principal + interest − `regular`
    (payment) or its principal − `regular` (principal). docs/schedules.md, "Methods".

    Examples
    --------
    >>> Rule(kind="payment", targets=[106619] * 12, regular=106619).kind
    'payment'
    """

    kind: str
    targets: Sequence[int]
    charges: Sequence[int] | None = None
    charges_are_fees: bool = False
    regular_first: bool = False
    regular: int | None = None
    #: The terms field the payment targets come from when the caller gave them
    #: (``"custom_payments"``, ``"step_amount"``): a target below its row's interest is then
    #: refused, not silently raised to the interest (no negative amortisation).
    given: str | None = None


class Method(ABC):
    """An amortisation method: a strategy that turns a plan into a :class:`Rule`.

    A new method is a subclass registered with :func:`register_method`; nothing else in
    loanmath changes. A method with parameters is a frozen attrs class whose fields are its
    parameters (:class:`~loanmath.schedules.step.Step`, ``Custom``, ``Flat``): the registered
    instance holds the defaults and a contract carries its own value,
    ``LoanTerms(method=Step(every=3, rate="0.05"))``; ``validate(terms)`` checks the value
    against the contract and ``rule`` reads the parameters from ``self``.

    Notes
    -----
    The engine (:func:`amortize`) runs ``prepare(plan)``, the grace rows (interest paid, or
    capitalised as a negative principal part), then ``rule(plan, first, balance)`` for the rest,
    with interest ``round(B × annual_rate × f_k)`` and periodic fees on every row and the last row
    clearing the balance. ``validate`` runs during ``LoanTerms`` construction. docs/schedules.md,
    "Methods" (a strategy that returns a :class:`Rule`).

    Examples
    --------
    >>> class InterestThenHalves(Method):
    ...     name = "doc_example_method"
    ...     def rule(self, plan, first, balance):
    ...         return Rule(kind="principal", targets=[0] * (plan.term - first))
    >>> register_method(InterestThenHalves()).name
    'doc_example_method'
    """

    name: ClassVar[str] = ""

    def validate(self, terms: object) -> None:  # noqa: B027 - optional hook
        """Check this method's parameters against the contract `terms` (counts, currencies);
        raise ``InvalidInputError`` naming the field."""

    def __eq__(self, other: object) -> bool:
        """Methods without parameters are equal by class (a pickled copy equals the
        registered instance); attrs subclasses compare their parameters too."""
        return type(other) is type(self) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash(type(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def in_currency(self, currency: str) -> Method:
        """This method with every amount among its parameters in `currency` as a plain
        Decimal (a Money in another currency refused, naming the field); itself when it has
        no amounts."""
        return self

    def prepare(self, plan: Plan) -> Plan:
        """Adjust the plan before amortising (bullet collapses it to one period)."""
        return plan

    @abstractmethod
    def rule(self, plan: Plan, first: int, balance: int) -> Rule:
        """The rule for rows ``first .. n-1``, starting from `balance` units."""


METHODS: dict[str, Method] = {}


def register_method(method: Method) -> Method:
    """Make `method` available by its name to ``LoanTerms(method=...)``.

    Notes
    -----
    ``METHODS[method.name] = method``: a later registration of the same name replaces the earlier
    one, process-wide. A new method is a new module that calls it on import (docs/schedules.md,
    "Methods"; ``tests/test_schedules.py::test_a_new_method_is_a_new_module``).

    Examples
    --------
    >>> "annuity" in METHODS and "equal_principal" in METHODS
    True
    """
    METHODS[method.name] = method
    return method


def get_method(name: object) -> Method:
    """The registered method called `name`, or an error listing the known ones.

    Notes
    -----
    A lookup in the process-wide registry :data:`METHODS`: the seven built-in methods, registered
    on importing :mod:`loanmath.schedules`, and those :func:`register_method` added. An unknown
    or non-str name raises ``UnknownNameError`` with the known names and up to two close matches
    (docs/schedules.md, "Methods").

    Examples
    --------
    >>> get_method("annuity").name
    'annuity'
    """
    if isinstance(name, str) and name in METHODS:
        return METHODS[name]
    raise UnknownNameError(
        "method", name, sorted(METHODS), get_close_matches(str(name), list(METHODS), n=2)
    )


def method_of(plan: Plan) -> Method:
    """The method amortising `plan`: the contract's ``method_params`` (the method with its
    parameters, ``Step(every=3, rate=...)``), or the registered method of that name.

    Notes
    -----
    A parameterised method is a value the contract carries, so two contracts can use one
    method with different parameters; a method without parameters is the registered one.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> from loanmath.schedules._plan import make_plan
    >>> terms = LoanTerms(Money("100", "USD"), "0", 2, start_date=dt.date(2024, 1, 1))
    >>> method_of(make_plan(terms)).name
    'annuity'
    """
    chosen = getattr(plan.terms, "method_params", None)
    if isinstance(chosen, Method) and chosen.name == plan.method:
        return chosen
    return get_method(plan.method)


def _fees(plan: Plan, balance: int) -> int:
    total = 0
    for kind, a, b in plan.periodic_fees:
        if kind == "fixed":
            total += a
        elif kind == "original":
            total += round_units(plan.original_units * a, b, plan.mode)
        else:
            total += round_units(balance * a, b, plan.mode)
    return total


def amortize(plan: Plan, rule: Rule | None = None) -> Schedule:
    """Build the schedule of `plan`: grace rows first, then the method's rule (or `rule`)."""
    method = method_of(plan)
    if rule is None:
        plan = method.prepare(plan)
    mode = plan.mode
    balance = plan.principal_units
    principal_col: list[int] = []
    interest_col: list[int] = []
    fee_col: list[int] = []
    balance_col: list[int] = []
    capitalised = 0
    for k in range(plan.grace_periods):
        num, den = plan.period_rate(k)
        interest = round_units(balance * num, den, mode)
        principal = -interest if plan.grace == "capitalise" else 0
        capitalised += interest if plan.grace == "capitalise" else 0
        fee_col.append(_fees(plan, balance))
        balance -= principal
        principal_col.append(principal)
        interest_col.append(interest)
        balance_col.append(balance)
    first = plan.grace_periods
    if rule is None:
        rule = method.rule(plan, first, balance)
    columns = (principal_col, interest_col, fee_col, balance_col)
    _run_rule(plan, rule, first, balance, columns)
    if rule.given is not None:
        _check_targets(plan, rule, first, columns)
    return _schedule(plan, rule, capitalised, columns)


def _check_targets(
    plan: Plan, rule: Rule, first: int, columns: tuple[list[int], list[int], list[int], list[int]]
) -> None:
    """Refuse a caller's payment that would not cover its row's interest and fees: the row
    could only pay more than the caller planned (loanmath does not capitalise unpaid interest)."""
    principal_col, interest_col, fee_col, _ = columns
    given = str(rule.given)
    rows = plan.term - first
    offset = len(principal_col) - rows
    for j, target in enumerate(rule.targets[: rows - 1]):
        k = offset + j
        owed = interest_col[k] + fee_col[k]
        if principal_col[k] == 0 and owed > target:
            raise InvalidInputError(
                f"{given}[{j}]" if given == "custom_payments" else given,
                EXACT.multiply(Decimal(target), plan.quantum),
                f"is below row {k + 1}'s interest and fees "
                f"{EXACT.multiply(Decimal(owed), plan.quantum)}",
                "raise the payment: loanmath does not capitalise unpaid interest",
            )


def _run_rule(
    plan: Plan,
    rule: Rule,
    first: int,
    balance: int,
    columns: tuple[list[int], list[int], list[int], list[int]],
) -> None:
    principal_col, interest_col, fee_col, balance_col = columns
    n, mode = plan.term, plan.mode
    level = rule.kind == "payment"
    has_fees = bool(plan.periodic_fees)
    if rule.charges is None and not has_fees and not rule.regular_first:
        _plain_rows(plan, rule, first, balance, columns)
        return
    regular_num, regular_den = plan.regular_rate()
    for k in range(first, n):
        j = k - first
        if rule.charges is None:
            num, den = plan.period_rate(k)
            interest = round_units(balance * num, den, mode)
            charge_fee = 0
        elif rule.charges_are_fees:
            interest, charge_fee = 0, rule.charges[j]
        else:
            interest, charge_fee = rule.charges[j], 0
        fee_col.append((_fees(plan, balance) if has_fees else 0) + charge_fee)
        if k == n - 1:
            principal = balance
        elif level:
            base = interest + charge_fee
            if j == 0 and rule.regular_first:
                base = round_units(balance * regular_num, regular_den, mode)
            principal = min(max(rule.targets[j] - base, 0), balance)
        else:
            principal = min(max(rule.targets[j], 0), balance)
        balance -= principal
        principal_col.append(principal)
        interest_col.append(interest)
        balance_col.append(balance)


def _rate_terms(num: int, den: int, mode: str) -> tuple[int, int, int]:
    """``(2·num, offset, 2·den)`` so that ``(B·2num + offset) // 2den`` rounds ``B·num/den``
    half up (offset ``den``), down (``0``) or up (``2·den − 2``); half even starts from the
    half-up value (see :func:`_plain_rows`)."""
    offset = 0 if mode == "down" else 2 * den - 2 if mode == "up" else den
    return 2 * num, offset, 2 * den


def _level_constant_rate(
    balance: int,
    target: int,
    terms: tuple[int, int, int],
    rows: int,
    columns: tuple[list[int], list[int], list[int]],
) -> int:
    """Rows 1 … n−1 of a level payment at one periodic rate (the commonest loan): the same
    arithmetic as the general loop with the loop-invariant values hoisted. Appends to the
    principal, interest and balance columns; returns the balance left for the last row.

    The rows are first run without the clamps ``0 <= principal <= balance``: each balance is
    the one before less ``target − interest`` on it, one expression per row, and the
    principal parts are the differences of the balances. When no principal part is negative
    and the balance ends >= 0, the balances fell monotonically and stayed >= 0: no clamp
    would have acted, and the rows are those of the clamped loop. Otherwise (a payment below
    a row's interest, a payment that overshoots), the clamped loop runs from the start.
    """
    twice_num, offset, twice_den = terms
    principal_col, interest_col, balance_col = columns
    start = balance
    balances = [
        balance := balance - target + (balance * twice_num + offset) // twice_den
        for _ in range(rows - 1)
    ]
    principals = list(map(sub, [start, *balances], balances))
    if balance >= 0 and (not principals or min(principals) >= 0):
        principal_col += principals
        interest_col += map(sub, repeat(target), principals)  # interest = target − principal
        balance_col += balances
        return balance
    balance = start
    for _ in range(rows - 1):
        interest = (balance * twice_num + offset) // twice_den
        principal = target - interest
        if principal < 0:
            principal = 0
        elif principal > balance:
            principal = balance
        balance -= principal
        principal_col.append(principal)
        interest_col.append(interest)
        balance_col.append(balance)
    return balance


def _level_targets(targets: Sequence[int]) -> bool:
    """Whether every target but the last (the row that clears) is the same."""
    first = targets[0]
    return targets.count(first) == len(targets) - (targets[-1] != first)


def _plain_rows(
    plan: Plan,
    rule: Rule,
    first: int,
    balance: int,
    columns: tuple[list[int], list[int], list[int], list[int]],
) -> None:
    """The hot loop for rows with interest on the balance and no fees (most loans).

    Interest is ``round(B · num / den)`` in one integer step (:func:`_rate_terms`); half even
    steps back from the half-up value on an exact tie with an odd quotient. Same values as
    :func:`round_units`, without a call per row.
    """
    principal_col, interest_col, fee_col, balance_col = columns
    mode = plan.mode
    even = mode == "half_even"
    fractions = plan.fractions[first:]
    rows = len(fractions)
    amortising = (principal_col, interest_col, balance_col)
    if (
        not even
        and rule.kind == "payment"
        and fractions.count(fractions[0]) == rows  # periodic interest: one fraction for all
        and _level_targets(rule.targets)
    ):
        (an, ad), (fn, fd) = plan.rate, fractions[0]
        last = _rate_terms(an * fn, ad * fd, mode)
        balance = _level_constant_rate(balance, rule.targets[0], last, rows, amortising)
    else:
        balance, last = _general_rows(plan, rule, balance, fractions, amortising)
    twice_num, offset, twice_den = last
    interest, rest = divmod(balance * twice_num + offset, twice_den)
    if even and not rest and interest & 1 and twice_num:
        interest -= 1
    principal_col.append(balance)  # the last row clears the balance
    interest_col.append(interest)
    balance_col.append(0)
    fee_col.extend([0] * rows)


def _general_rows(
    plan: Plan,
    rule: Rule,
    balance: int,
    fractions: Sequence[tuple[int, int]],
    columns: tuple[list[int], list[int], list[int]],
) -> tuple[int, tuple[int, int, int]]:
    """Rows 1 … n−1 of :func:`_plain_rows` when the rate or the target changes by row, or
    rounding is half even. Returns the balance left and the last row's rate terms."""
    mode = plan.mode
    even = mode == "half_even"
    level = rule.kind == "payment"
    (an, ad), memo = plan.rate, {}
    for fn, fd in set(fractions):  # periodic interest: one distinct fraction for all rows
        memo[fn, fd] = _rate_terms(an * fn, ad * fd, mode)
    prepared = [memo[f] for f in fractions]
    add_principal, add_interest, add_balance = (column.append for column in columns)
    for (twice_num, offset, twice_den), target in zip(
        prepared[:-1], rule.targets[:-1], strict=True
    ):
        if even:
            interest, rest = divmod(balance * twice_num + offset, twice_den)
            if not rest and interest & 1 and twice_num:
                interest -= 1
        else:
            interest = (balance * twice_num + offset) // twice_den
        principal = target - interest if level else target
        if principal < 0:
            principal = 0
        elif principal > balance:
            principal = balance
        balance -= principal
        add_principal(principal)
        add_interest(interest)
        add_balance(balance)
    return balance, prepared[-1]


_ZERO = Decimal(0)


def _schedule(plan: Plan, rule: Rule, capitalised: int, columns: tuple[list[int], ...]) -> Schedule:
    principal_col, interest_col, fee_col, balance_col = columns
    q = plan.quantum
    multiply = EXACT.multiply
    zero = multiply(_ZERO, q)  # most of the totals below are zero: made once

    def amount(units: int) -> Decimal:
        return multiply(Decimal(units), q) if units else zero

    residual = 0
    regular_payment = None
    if rule.regular is not None:
        if rule.kind == "payment":
            regular_payment = amount(rule.regular)
            residual = principal_col[-1] + interest_col[-1] - rule.regular
        else:
            residual = principal_col[-1] - rule.regular
    principal, upfront = amount(plan.original_units), plan.upfront_units
    return Schedule(
        method=plan.method,
        currency=plan.currency,
        quantum=q,
        start_date=plan.start,
        dates=plan.dates,
        principal_units=tuple(principal_col),
        interest_units=tuple(interest_col),
        fee_units=tuple(fee_col),
        balance_units=tuple(balance_col),
        principal=principal,
        disbursed=amount(plan.original_units - upfront) if upfront else principal,
        financed_fees=amount(plan.financed_units),
        upfront_fees=amount(upfront),
        regular_payment=regular_payment,
        residual=amount(residual),
        capitalised_interest=amount(capitalised),
        plan=plan,
    )
