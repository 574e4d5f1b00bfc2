"""Interop that users expect: numpy integers and midnight timestamps in, tables out, exactly.

- every public int parameter takes a numpy integer (stored as a plain ``int``) and refuses a
  bool or a float, numpy's included, naming the field;
- every date parameter takes a midnight ``datetime`` / ``pandas.Timestamp`` / ``datetime64``
  day (stored as a ``datetime.date``) and refuses a time of day with the conversion in the
  message;
- ``Schedule.to_frame()`` / ``.to_arrow()``, ``LoanState.as_dict()``,
  ``PortfolioAgeing.to_frame()`` and ``roll_rate_frame()`` hold exactly the library's values;
- ``import loanmath`` needs neither pandas nor pyarrow.
"""

from __future__ import annotations

import datetime as dt
import decimal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from strategies import loan_terms

from loanmath import D, Fee, LoanTerms, Money, OverdueTerms, Rounding
from loanmath.ageing import (
    CN_M,
    Bucket,
    Due,
    LoanAgeing,
    days_past_due,
    portfolio_ageing,
    reminder_dates,
    roll_rate_frame,
    roll_rates,
)
from loanmath.apr import nominal_irr
from loanmath.apr.eu import aprc_percent
from loanmath.dates import nth_date, payment_dates
from loanmath.daycount import day_count, year_fraction
from loanmath.errors import (
    DateTypeError,
    FloatMoneyError,
    InputTypeError,
    MissingDependencyError,
)
from loanmath.penalty import PenaltyPolicy
from loanmath.servicing import Disbursement, Loan, LoanState, ServicingPolicy

START = dt.date(2024, 1, 15)
CNY = Money("1200.00", "CNY")

# --- numpy integers wherever an int is asked -------------------------------------------------

NUMPY_INTS = [np.int64, np.int32, np.int16, np.uint16]
NOT_INTS = [True, np.bool_(True), np.float64(3.0), np.float32(3.0), 3.0]


def _terms(**kw: Any) -> LoanTerms:
    return LoanTerms(CNY, "0.12", kw.pop("term", 6), start_date=START, **kw)


#: (field, a call that passes `value` as that field, and returns what was stored)
INT_PLACES: list[tuple[str, Callable[[Any], Any]]] = [
    ("term", lambda v: _terms(term=v).term),
    ("grace_periods", lambda v: _terms(grace_periods=v).grace_periods),
    (
        "step_every",
        lambda v: _terms(method="step", step_rate="0.01", step_every=v).step_every,
    ),
    ("grace_days", lambda v: OverdueTerms(grace_days=v).grace_days),
    ("grace_days", lambda v: _terms(overdue=OverdueTerms(grace_days=v)).overdue.grace_days),
    ("grace_days", lambda v: PenaltyPolicy(grace_days=v).grace_days),
    ("stop_at_dpd", lambda v: PenaltyPolicy(stop_at_dpd=v).stop_at_dpd),
    ("tolerance_days", lambda v: ServicingPolicy(tolerance_days=v).tolerance_days),
    ("k", lambda v: nth_date(START, v, "monthly")),
    ("count", lambda v: len(payment_dates(START, v))),
    ("tolerance_days", lambda v: days_past_due([], START, tolerance_days=v)),
    ("days_before[]", lambda v: reminder_dates([START], [v])),
    ("dpd", CN_M.bucket),
    ("low", lambda v: Bucket("x", v, None).low),
    ("periods_per_year", lambda v: nominal_irr(["-100", "60", "60"], v)),
    ("decimals", lambda v: aprc_percent(Decimal("0.126825"), v)),
]


@pytest.mark.parametrize(("field", "call"), INT_PLACES, ids=[p[0] for p in INT_PLACES])
@pytest.mark.parametrize("kind", NUMPY_INTS, ids=lambda k: k.__name__)
def test_a_numpy_integer_is_an_int(field: str, call: Callable[[Any], Any], kind: type) -> None:
    plain = call(3)
    given_numpy = call(kind(3))
    assert given_numpy == plain
    if isinstance(plain, int):  # a stored count is a plain int, not a numpy scalar
        assert type(given_numpy) is int


@pytest.mark.parametrize(("field", "call"), INT_PLACES, ids=[p[0] for p in INT_PLACES])
@pytest.mark.parametrize("bad", NOT_INTS, ids=repr)
def test_a_bool_or_a_float_is_not_an_int(field: str, call: Callable[[Any], Any], bad: Any) -> None:
    with pytest.raises(InputTypeError) as info:
        call(bad)
    assert info.value.field == field
    assert "must be an int" in str(info.value)


def test_numpy_int_inputs_give_the_same_schedule() -> None:
    plain = _terms(term=12, grace_periods=2).schedule
    numpy = _terms(term=np.int64(12), grace_periods=np.int32(2)).schedule
    assert numpy.installments == plain.installments


def test_numpy_integers_as_money_and_rates() -> None:
    assert D(np.int64(1200)) == Decimal(1200)
    assert type(D(np.int32(-5))) is Decimal
    assert Money(np.int64(1200), "JPY") == Money("1200", "JPY")
    terms = LoanTerms(Money(np.int64(1200), "CNY"), np.int64(0), np.int64(3), start_date=START)
    assert terms.schedule.total_interest == 0
    fee = Fee("service", "upfront", amount=np.int64(10))
    assert fee.amount == Decimal(10)


@pytest.mark.parametrize("bad", [np.float64("0.1"), np.float32("0.1"), np.float16("0.5"), 0.1])
def test_numpy_floats_as_money_stay_refused(bad: Any) -> None:
    with pytest.raises(FloatMoneyError) as info:
        D(bad, "principal")
    assert info.value.field == "principal"
    assert isinstance(info.value, TypeError)
    with pytest.raises(FloatMoneyError, match="amount"):
        Money(bad, "CNY")
    with pytest.raises(FloatMoneyError, match="annual_rate"):
        LoanTerms(CNY, bad, 3, start_date=START)


@pytest.mark.parametrize("bad", [True, np.bool_(False)], ids=repr)
def test_a_bool_is_not_money(bad: Any) -> None:
    with pytest.raises(InputTypeError, match="bool") as info:
        D(bad, "amount")
    assert info.value.field == "amount"


# --- dates: midnight timestamps are dates, a time of day is refused ---------------------------


def _midnights() -> list[Any]:
    import pandas as pd

    return [
        dt.datetime(2024, 1, 15),
        dt.datetime(2024, 1, 15, tzinfo=dt.timezone.utc),
        pd.Timestamp("2024-01-15"),
        pd.Timestamp("2024-01-15", tz="Asia/Shanghai"),
        pd.Timestamp("2024-01-15", tz="America/New_York"),
        np.datetime64("2024-01-15"),
        np.datetime64("2024-01-15T00:00:00.000000000"),
    ]


def _with_time() -> list[Any]:
    import pandas as pd

    return [
        dt.datetime(2024, 1, 15, 9, 30),
        dt.datetime(2024, 1, 15, 0, 0, 0, 1),
        pd.Timestamp("2024-01-15 09:30"),
        pd.Timestamp("2024-01-15 00:00:00.000000001"),  # a nanosecond is a time of day
        pd.Timestamp("2024-01-15 23:00", tz="UTC"),
    ]


#: (field, a call that passes `value` as that date, returning what it made of it)
DATE_PLACES: list[tuple[str, Callable[[Any], Any]]] = [
    ("start_date", lambda v: LoanTerms(CNY, "0.12", 3, start_date=v).start_date),
    (
        "first_due_date",
        lambda v: (
            LoanTerms(
                CNY, "0.12", 3, start_date=dt.date(2024, 1, 1), first_due_date=v
            ).first_due_date
        ),
    ),
    ("start", lambda v: payment_dates(v, 1)[0] - dt.timedelta(days=31)),
    (
        "end",
        lambda v: dt.date(2024, 1, 1) + dt.timedelta(day_count(dt.date(2024, 1, 1), v, "ACT/365F")),
    ),
    ("on", lambda v: portfolio_ageing([], v).on),
    ("date", lambda v: Disbursement("D", v).date),
]


@pytest.mark.parametrize(("field", "call"), DATE_PLACES, ids=[p[0] for p in DATE_PLACES])
def test_a_midnight_datetime_is_its_date(field: str, call: Callable[[Any], Any]) -> None:
    for value in _midnights():
        made = call(value)
        assert made == dt.date(2024, 1, 15), value
        assert type(made) is dt.date, value


@pytest.mark.parametrize(("field", "call"), DATE_PLACES, ids=[p[0] for p in DATE_PLACES])
def test_a_time_of_day_is_refused_with_the_conversion(
    field: str, call: Callable[[Any], Any]
) -> None:
    for value in _with_time():
        with pytest.raises(DateTypeError) as info:
            call(value)
        assert info.value.field == field
        assert "time of day" in str(info.value)
        assert "value.date()" in info.value.fix
        assert "normalize().date()" in info.value.fix
    with pytest.raises(DateTypeError, match=r"astype\('datetime64\[D\]'\)"):
        call(np.datetime64("2024-01-15T09:30"))


def test_missing_and_dayless_dates_are_refused() -> None:
    import pandas as pd

    for missing in (pd.NaT, np.datetime64("NaT"), np.datetime64("NaT", "ns")):
        with pytest.raises(DateTypeError, match="missing date"):
            LoanTerms(CNY, "0.12", 3, start_date=missing)
    with pytest.raises(DateTypeError, match=r"datetime64\[M\] names no day"):
        LoanTerms(CNY, "0.12", 3, start_date=np.datetime64("2024-01"))


def test_a_timestamp_start_gives_the_same_loan() -> None:
    import pandas as pd

    plain = LoanTerms(CNY, "0.12", 3, start_date=START)
    stamped = LoanTerms(CNY, "0.12", 3, start_date=pd.Timestamp(START))
    assert stamped == plain
    assert stamped.schedule.installments == plain.schedule.installments
    assert year_fraction(pd.Timestamp("2024-01-01"), pd.Timestamp("2024-07-01"), "ACT/360") == (
        year_fraction(dt.date(2024, 1, 1), dt.date(2024, 7, 1), "ACT/360")
    )


# --- schedules out: to_frame / to_arrow, exact ----------------------------------------------

SCHEDULES = [
    _terms(term=12),
    LoanTerms(Money("1000000", "JPY"), "0.049", 24, start_date=START, method="equal_principal"),
    LoanTerms(Money("2500.000", "KWD"), "0.0824", 5, start_date=START),
    _terms(term=6, fees=(Fee("service", "periodic", rate="0.005"),), grace_periods=2),
    _terms(term=4, rounding=Rounding("half_even", quantum=Decimal("0.0001"))),
]
AMOUNTS = ("principal", "interest", "fees", "payment", "balance")


@pytest.mark.parametrize("terms", SCHEDULES, ids=lambda t: f"{t.principal.currency}-{t.method}")
def test_to_frame_holds_every_amount_exactly(terms: LoanTerms) -> None:
    schedule = terms.schedule
    frame = schedule.to_frame()
    assert list(frame.columns) == ["number", "due_date", *AMOUNTS]
    assert len(frame) == len(schedule.installments)
    for name in AMOUNTS:
        assert frame[name].dtype == object
    for row, record in zip(schedule.installments, frame.to_dict("records"), strict=True):
        assert record["number"] == row.number
        assert type(record["due_date"]) is dt.date
        assert record["due_date"] == row.due_date
        for name in AMOUNTS:
            value = record[name]
            assert type(value) is Decimal
            assert value == getattr(row, name)
            assert str(value) == str(getattr(row, name))  # same digits, same exponent
    # independent of the rows: the principal column sums to what was lent
    assert sum(frame["principal"], Decimal(0)) == terms.principal.amount
    assert frame.attrs["currency"] == terms.principal.currency


@pytest.mark.parametrize("terms", SCHEDULES, ids=lambda t: f"{t.principal.currency}-{t.method}")
def test_to_arrow_holds_every_amount_exactly(terms: LoanTerms, tmp_path: Any) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schedule = terms.schedule
    expected_scale = {"CNY": 2, "JPY": 0, "KWD": 3}[terms.principal.currency]
    if terms.rounding.quantum is not None:
        expected_scale = 4
    table = schedule.to_arrow()
    assert table.schema.metadata[b"currency"] == terms.principal.currency.encode()
    assert table.schema.field("due_date").type == pa.date32()
    for name in AMOUNTS:
        assert table.schema.field(name).type == pa.decimal128(38, expected_scale)
    path = tmp_path / "schedule.parquet"
    pq.write_table(table, path)
    for version in (table, pq.read_table(path)):
        columns = version.to_pydict()
        assert columns["number"] == [r.number for r in schedule.installments]
        assert columns["due_date"] == [r.due_date for r in schedule.installments]
        for name in AMOUNTS:
            assert columns[name] == [getattr(r, name) for r in schedule.installments]
        assert sum(columns["principal"], Decimal(0)) == terms.principal.amount


@settings(max_examples=25, deadline=None)
@given(loan_terms(max_term=60))
def test_to_frame_round_trips_any_schedule(kwargs: dict[str, Any]) -> None:
    schedule = LoanTerms(**kwargs).schedule
    rows = [tuple(r) for r in schedule.to_frame().itertuples(index=False)]
    assert rows == [tuple(r) for r in schedule.installments]
    assert [tuple(r.values()) for r in schedule.to_arrow().to_pylist()] == rows


# --- servicing and ageing out ----------------------------------------------------------------


def test_loan_state_as_dict_holds_every_field() -> None:
    terms = LoanTerms(CNY, "0.12", 3, start_date=START, penalty_multiple="1.5")
    loan = Loan(terms, "L").add(Disbursement("D", START))
    state = loan.state(dt.date(2024, 3, 20))
    row = state.as_dict()
    names = [f.name for f in attrs.fields(LoanState)]
    assert list(row) == names
    for name in names:
        if name == "instalments":
            assert row[name] == [i._asdict() for i in state.instalments]
            assert all(type(line) is dict for line in row[name])
            assert list(row[name][0]) == [
                "number",
                "due_date",
                "due",
                "principal",
                "interest",
                "fees",
                "penalty",
            ]
        elif name == "overdue":
            assert row[name] == attrs.asdict(state.overdue)
            assert row[name]["annual_rate"] == Decimal("0.180")
        else:
            assert row[name] == getattr(state, name), name
    assert row["dpd"] == 34
    assert row["bucket"] == "M2"
    assert row["penalty_due"] == state.penalty_due > 0


def test_portfolio_ageing_to_frame() -> None:
    loans = [
        LoanAgeing("A", 0, Decimal("900.00")),
        LoanAgeing("B", 45, Decimal("100.00")),
        LoanAgeing("C", np.int64(200), Decimal("50.50")),
    ]
    report = portfolio_ageing(loans, np.datetime64("2024-05-01"))
    frame = report.to_frame()
    assert list(frame.index) == list(CN_M.labels)
    assert frame.index.name == "bucket"
    assert frame["count"].tolist() == [1, 0, 1, 0, 0, 0, 0, 1]
    assert frame["outstanding"].tolist() == [
        Decimal("900.00"),
        Decimal(0),
        Decimal("100.00"),
        *[Decimal(0)] * 4,
        Decimal("50.50"),
    ]
    assert frame.attrs["on"] == dt.date(2024, 5, 1)
    assert frame.attrs["par"] == report.par


def _roll_example() -> tuple[list[LoanAgeing], list[LoanAgeing]]:
    """Eight loans by hand. First date: M0 {A, B, C, D}, M1 {E, F, G}, M2 {H}.
    Second date: A, B, C stay M0, D goes to M1; E cures to M0, F stays M1, G goes to M2;
    H goes to M3. I is new on the second date and J is gone by then: both left out."""
    one = Decimal(1)
    before = [
        *(LoanAgeing(x, 0, one) for x in "ABCD"),
        LoanAgeing("E", 5, one),
        LoanAgeing("F", 20, one),
        LoanAgeing("G", 30, one),
        LoanAgeing("H", 45, one),
        LoanAgeing("J", 0, one),
    ]
    after = [
        *(LoanAgeing(x, 0, one) for x in "ABC"),
        LoanAgeing("D", 10, one),
        LoanAgeing("E", 0, one),
        LoanAgeing("F", 25, one),
        LoanAgeing("G", 55, one),
        LoanAgeing("H", 75, one),
        LoanAgeing("I", 0, one),
    ]
    return before, after


def test_roll_rate_frame_against_counts_by_hand() -> None:
    before, after = _roll_example()
    # counts by hand: M0 row 3 -> M0, 1 -> M1 (of 4); M1 row 1 -> M0, 1 -> M1, 1 -> M2 (of 3);
    # M2 row 1 -> M3 (of 1); every other row held no loans
    counts = roll_rates(before, after)
    assert {k: v for k, v in counts["M0"].items() if v} == {"M0": 3, "M1": 1}
    assert {k: v for k, v in counts["M1"].items() if v} == {"M0": 1, "M1": 1, "M2": 1}
    assert {k: v for k, v in counts["M2"].items() if v} == {"M3": 1}
    third = "0.33333333333333333333333333333333333333333333333333"  # 1/3 to 50 digits
    expected = {
        ("M0", "M0"): "0.75",
        ("M0", "M1"): "0.25",
        ("M1", "M0"): third,
        ("M1", "M1"): third,
        ("M1", "M2"): third,
        ("M2", "M3"): "1",
    }
    with decimal.localcontext(decimal.Context(prec=3, rounding=decimal.ROUND_DOWN)):
        rates = roll_rate_frame(before, after)  # the caller's context changes nothing
    assert list(rates.index) == list(rates.columns) == list(CN_M.labels)
    assert (rates.index.name, rates.columns.name) == ("from", "to")
    for origin in CN_M.labels:
        for to in CN_M.labels:
            value = rates.loc[origin, to]
            assert type(value) is Decimal
            assert value == Decimal(expected.get((origin, to), "0")), (origin, to)
    # rows that held loans sum to 1 (exactly, or within 50 digits for thirds); empty rows are 0
    with decimal.localcontext(decimal.Context(prec=100)):  # sums exact at 100 digits
        assert sum(rates.loc["M0"], Decimal(0)) == 1
        assert 0 < 1 - sum(rates.loc["M1"], Decimal(0)) < Decimal("1E-49")
    for empty in ("M3", "M4", "M5", "M6", "M7+"):
        assert rates.loc[empty].tolist() == [Decimal(0)] * 8


# --- pandas and pyarrow stay optional --------------------------------------------------------


def test_a_hidden_library_raises_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    schedule = _terms().schedule
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if pandas were not installed
    with pytest.raises(MissingDependencyError, match=r"pip install 'loanmath\[data\]'") as info:
        schedule.to_frame()
    assert (info.value.module, info.value.feature) == ("pandas", "Schedule.to_frame()")
    assert isinstance(info.value, ImportError)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match="pyarrow"):  # `except ImportError` keeps working
        schedule.to_arrow()


def test_loanmath_imports_and_explains_without_pandas_or_pyarrow() -> None:
    code = textwrap.dedent(
        """
        import sys
        sys.modules["pandas"] = None  # import pandas now raises ImportError
        sys.modules["pyarrow"] = None
        import datetime as dt
        from decimal import Decimal
        import loanmath, loanmath.ageing, loanmath.servicing, loanmath.ledger, loanmath.apr
        from loanmath import LoanTerms, Money, MissingDependencyError
        from loanmath.ageing import LoanAgeing, portfolio_ageing, roll_rate_frame

        assert "pandas" not in [m for m in sys.modules if sys.modules[m] is not None]
        schedule = LoanTerms(Money("1200.00", "CNY"), "0.12", 3,
                             start_date=dt.date(2024, 1, 15)).schedule
        calls = [
            schedule.to_frame,
            schedule.to_arrow,
            portfolio_ageing([], dt.date(2024, 1, 1)).to_frame,
            lambda: roll_rate_frame([], []),
        ]
        for call in calls:
            try:
                call()
            except MissingDependencyError as error:
                assert isinstance(error, ImportError) and isinstance(error, loanmath.LoanMathError)
                print(error)
            else:
                raise SystemExit("no error")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == [
        "Schedule.to_frame() needs pandas, which cannot be imported; pip install 'loanmath[data]'",
        "Schedule.to_arrow() needs pyarrow, which cannot be imported; pip install 'loanmath[data]'",
        "PortfolioAgeing.to_frame() needs pandas, which cannot be imported; "
        "pip install 'loanmath[data]'",
        "roll_rate_frame() needs pandas, which cannot be imported; pip install 'loanmath[data]'",
    ]


def test_ageing_on_a_datetime64_with_numpy_tolerance() -> None:
    dues = [Due(dt.date(2024, 2, 15), Decimal("100"), Decimal("0"))]
    assert days_past_due(dues, np.datetime64("2024-03-01"), tolerance_days=np.int64(3)) == 15
