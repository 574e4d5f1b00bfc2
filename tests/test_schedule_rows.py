"""The fast row path of Schedule.installments against a row-by-row reference conversion.

``Schedule.installments`` builds its Decimal columns with one C-level call per value, shares
the Decimal of a value that repeats (a level payment, a fixed fee, no fee), derives a fee-free
row's principal as payment − interest, and packs the rows with ``tuple.__new__`` (issue 13).
The oracle here is the straightforward conversion of each row's integer units,
``EXACT.multiply(Decimal(units), quantum)``, packed by ``Installment(...)``: every row must be
the same type with the same values in the same representation (sign, digits, exponent — so
``repr`` is identical), for the quanta of JPY (0 places), CNY (2), KWD (3), CLF (4) and for
quanta that are not powers of ten, with negative (capitalised), zero and large units.
"""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import loan_terms

from loanmath import Fee, LoanTerms, Money
from loanmath._decimal import EXACT
from loanmath.errors import InvalidInputError
from loanmath.money import minor_unit_quantum
from loanmath.schedules._model import Installment, Schedule, _decimal_column

#: Currency minor units (JPY 0, CNY 2, KWD 3, CLF 4 places) and rounding quanta that are not
#: powers of ten (cash rounding 0.05, whole fives, a quantum written with a trailing zero,
#: hundreds written with a positive exponent).
QUANTA = [
    *(minor_unit_quantum(c) for c in ("JPY", "CNY", "KWD", "CLF")),
    Decimal("0.05"),
    Decimal("5"),
    Decimal("0.010"),
    Decimal("1E+2"),
]

units_values = st.one_of(
    st.sampled_from([0, 1, -1]),
    st.integers(-(10**6), 10**6),
    st.integers(-(10**19), 10**19),  # balances of the largest loans, in CLF units
)


def reference(units: int, quantum: Decimal) -> Decimal:
    """The plain conversion the rows must match."""
    return EXACT.multiply(Decimal(units), quantum)


def shape(values: object) -> list[tuple[type, object]]:
    """Each value's type and representation (sign, digits, exponent for a Decimal)."""
    out: list[tuple[type, object]] = []
    for value in values:  # type: ignore[attr-defined]
        out.append((type(value), value.as_tuple() if isinstance(value, Decimal) else value))
    return out


@st.composite
def columns(draw: st.DrawFn) -> list[int]:
    """Distinct-looking values, or a few values repeated (to reach the shared-value path)."""
    if draw(st.booleans()):
        return draw(st.lists(units_values, max_size=60))
    pool = draw(st.lists(units_values, min_size=1, max_size=3))
    return draw(st.lists(st.sampled_from(pool), max_size=60))


@settings(max_examples=400)
@given(columns(), st.sampled_from(QUANTA), st.booleans())
def test_decimal_column_equals_reference(units: list[int], quantum: Decimal, repeats: bool) -> None:
    column = _decimal_column(units, quantum, repeats=repeats)
    expected = [reference(u, quantum) for u in units]
    assert shape(column) == shape(expected)
    assert [repr(c) for c in column] == [repr(e) for e in expected]


def reference_rows(schedule: Schedule) -> list[Installment]:
    q = schedule.quantum
    rows = zip(
        schedule.dates,
        schedule.principal_units,
        schedule.interest_units,
        schedule.fee_units,
        schedule.balance_units,
        strict=True,
    )
    return [
        Installment(
            k + 1,
            due,
            reference(p, q),
            reference(i, q),
            reference(f, q),
            reference(p + i + f, q),
            reference(b, q),
        )
        for k, (due, p, i, f, b) in enumerate(rows)
    ]


def assert_rows_match(schedule: Schedule) -> None:
    rows = schedule.installments
    expected = reference_rows(schedule)
    assert type(rows) is tuple
    assert all(type(row) is Installment for row in rows)
    assert [shape(row) for row in rows] == [shape(row) for row in expected]
    assert [repr(row) for row in rows] == [repr(row) for row in expected]
    assert [row._asdict() for row in rows] == [row._asdict() for row in expected]


def _base_schedule(term: int) -> Schedule:
    terms = LoanTerms(Money("100000", "JPY"), "0.05", term, start_date=dt.date(2024, 1, 31))
    return terms.schedule


@st.composite
def unit_schedules(draw: st.DrawFn) -> Schedule:
    """A schedule whose columns are arbitrary integers: negative (capitalised) principal,
    zero rows, large balances, fees on every row, on some rows or on none; any quantum."""
    term = draw(st.integers(1, 40))
    base = _base_schedule(term)

    def column(values: st.SearchStrategy[int]) -> tuple[int, ...]:
        return tuple(draw(st.lists(values, min_size=term, max_size=term)))

    fee_kind = draw(st.sampled_from(["none", "level", "random"]))
    if fee_kind == "none":
        fees = (0,) * term
    elif fee_kind == "level":
        fees = (draw(st.integers(0, 10**4)),) * term
    else:
        fees = column(units_values)
    level = draw(st.integers(0, 10**7))
    interest = column(st.integers(0, 10**7))
    # a level payment (principal is what the payment leaves) or any principal parts
    level_rows = draw(st.booleans())
    principal = tuple(level - i for i in interest) if level_rows else column(units_values)
    return attrs.evolve(
        base,
        quantum=draw(st.sampled_from(QUANTA)),
        principal_units=principal,
        interest_units=interest,
        fee_units=fees,
        balance_units=column(units_values),
    )


@settings(max_examples=300)
@given(unit_schedules())
def test_rows_equal_reference_for_any_units(schedule: Schedule) -> None:
    assert_rows_match(schedule)


FEES = {
    "none": (),
    "fixed": (Fee("service", "periodic", amount="3"),),
    "outstanding": (Fee("service", "periodic", rate="0.0007", basis="outstanding"),),
}


@settings(max_examples=200)
@given(
    loan_terms(methods=("annuity", "equal_principal", "interest_only", "bullet", "flat")),
    st.sampled_from(sorted(FEES)),
    st.sampled_from([0, 0, 2]),
    st.sampled_from(["CLF", None]),
)
def test_rows_equal_reference_for_engine_schedules(
    kwargs: dict[str, object], fees: str, grace: int, currency: str | None
) -> None:
    """Real schedules: level and equal-principal rows, periodic fees, capitalised grace rows
    (negative principal, zero payment) and CLF's four places."""
    if currency is not None:
        principal = kwargs["principal"]
        assert isinstance(principal, Money)
        kwargs["principal"] = Money(principal.amount, currency)
    kwargs["fees"] = FEES[fees]
    if grace and kwargs["method"] in ("annuity", "equal_principal"):
        kwargs["term"] = max(int(kwargs["term"]), grace + 1)  # type: ignore[call-overload]
        kwargs["grace_periods"] = grace
        kwargs["grace"] = "capitalise"
    try:
        terms = LoanTerms(**kwargs)  # type: ignore[arg-type]
    except InvalidInputError as error:
        refusal = str(error)
    else:
        assert_rows_match(terms.schedule)
        return
    # only the documented refusals of tiny loans: parts rounded up overshoot, fee > principal
    assert "principal part" in refusal or "larger than the principal" in refusal


def test_fee_free_level_rows_keep_the_reference_digits() -> None:
    """The commonest loan (the issue 13 benchmark's shape) through the subtract path, and a
    capitalised grace row whose payment is zero and principal negative."""
    for currency in ("JPY", "CNY", "KWD", "CLF"):
        terms = LoanTerms(
            Money("1000000", currency),
            "0.049",
            360,
            start_date=dt.date(2024, 1, 15),
            grace_periods=3,
            grace="capitalise",
        )
        schedule = terms.schedule
        assert not any(schedule.fee_units)
        assert schedule.principal_units[0] < 0
        assert_rows_match(schedule)


def test_empty_columns_give_no_rows() -> None:
    assert _decimal_column([], Decimal("0.01")) == []
    assert _decimal_column([], Decimal("0.01"), repeats=True) == []


def test_rows_ignore_the_callers_context() -> None:
    """The products and differences run in the library's exact context: under a caller's
    context of one digit rounding to floor, a zero principal (interest-only rows:
    payment − interest = 0) would come out as -0 and large amounts would round."""
    hostile = decimal.Context(prec=1, rounding=decimal.ROUND_FLOOR, traps=[])
    for method in ("interest_only", "annuity"):
        terms = LoanTerms(
            Money("987654.32", "CNY"), "0.0735", 24, method=method, start_date=dt.date(2024, 1, 31)
        )
        with decimal.localcontext(hostile):
            schedule = terms.schedule
            rows = schedule.installments
            column = _decimal_column([0, 5, -7, 10**12], Decimal("0.05"))
        assert [repr(c) for c in column] == [
            repr(reference(u, Decimal("0.05"))) for u in (0, 5, -7, 10**12)
        ]
        assert [repr(row) for row in rows] == [repr(row) for row in reference_rows(schedule)]
        assert any(row.principal.is_zero() for row in rows) == (method == "interest_only")
