"""Batch pricing (issue 13): every row gives the contract's verdict, to the cent.

Three truths the batch path is held to, none derived from it:

- ``LoanTerms(..., caps=(cap,))`` itself — accepted or refused — and the scalar
  ``max_rate`` / ``max_fee``, on the same offers;
- ``tests/pricing_reference.py``, a plain-loop Fraction model of the schedule rules and the
  cap's exact rule, written from the documentation;
- the worked bullet-loan figures of the issue, by hand.

Offers are drawn at the cap boundaries: at the highest compliant rate and a step either side.
"""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loanmath import Fee, LoanTerms, Money, caps
from loanmath.caps import (
    CN_COMPREHENSIVE_36,
    UK_HCSTC,
    US_MLA_36,
    AnnualRateCap,
    batch_cash_flows,
    batch_check,
    batch_max_fee,
    batch_max_rate,
    cn_private_lending,
    max_fee,
    max_rate,
)
from loanmath.dates import FREQUENCIES
from loanmath.errors import (
    FloatMoneyError,
    InputTypeError,
    InvalidInputError,
    LoanMathError,
    NoSolutionError,
    RateCapExceeded,
    UnknownNameError,
)
from tests import pricing_reference as ref

START = dt.date(2024, 1, 15)
#: Month ends and a leap day, where Regulation Z's calendar differs from the period grid.
STARTS = [
    START,
    dt.date(2024, 1, 31),
    dt.date(2024, 2, 29),
    dt.date(2024, 8, 31),
    dt.date(2023, 12, 30),
]
CAPS = [
    CN_COMPREHENSIVE_36,
    US_MLA_36,
    cn_private_lending(dt.date(2024, 8, 1)),
    AnnualRateCap("POLICY_24", "0.24"),
    AnnualRateCap("USURY_16", "0.16", measure="contract_rate"),
    AnnualRateCap("MAPR_18", "0.18", measure="mapr"),
]
PLACES = {"CNY": 2, "JPY": 0, "USD": 2, "KWD": 3}
METHODS = ("annuity", "equal_principal", "interest_only", "bullet")
SLOW = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@st.composite
def offers(draw: st.DrawFn, size: int = 4) -> dict[str, list[object]]:
    """A few offers of mixed methods, frequencies and currencies (rates drawn later)."""
    rows: dict[str, list[object]] = {k: [] for k in ("principal", "currency", "term", "method")}
    rows.update(frequency=[], upfront_fee=[], financed_fee=[], start_date=[])
    for _ in range(size):
        rows["start_date"].append(draw(st.sampled_from(STARTS)))
        currency = draw(st.sampled_from(sorted(PLACES)))
        units = draw(st.integers(1_000, 10**9))
        term = draw(st.one_of(st.sampled_from([1, 2, 3, 6, 12, 24, 36]), st.integers(1, 120)))
        rows["principal"].append(Decimal(units).scaleb(-PLACES[currency]))
        rows["currency"].append(currency)
        rows["term"].append(term)
        rows["method"].append(draw(st.sampled_from(METHODS)))
        rows["frequency"].append(draw(st.sampled_from(sorted(FREQUENCIES))))
        for fee in ("upfront_fee", "financed_fee"):
            share = draw(st.sampled_from([0, 0, 1, 3, 8]))
            rows[fee].append(Decimal(units * share // 100).scaleb(-PLACES[currency]))
    return rows


def _terms(row: dict[str, object], rate: object, cap: object = None) -> LoanTerms:
    fees = tuple(
        Fee(name, timing, amount=row[f"{timing}_fee"])
        for name, timing in (("service", "upfront"), ("arrangement", "financed"))
        if row[f"{timing}_fee"]
    )
    return LoanTerms(
        Money(row["principal"], row["currency"]),  # type: ignore[arg-type]
        rate,  # type: ignore[arg-type]
        row["term"],  # type: ignore[arg-type]
        method=row["method"],  # type: ignore[arg-type]
        frequency=row["frequency"],  # type: ignore[arg-type]
        start_date=row.get("start_date", START),
        fees=fees,
        caps=(cap,) if cap is not None else (),
    )


def _accepted(row: dict[str, object], rate: object, cap: object) -> bool:
    try:
        _terms(row, rate, cap)
    except RateCapExceeded:
        return False
    return True


def _rows(columns: dict[str, list[object]]) -> list[dict[str, object]]:
    return [
        dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ]


def _reference(row: dict[str, object], rate: Decimal) -> tuple[list[int], int]:
    scale = 10 ** PLACES[str(row["currency"])]
    units = [
        int(Decimal(str(row[k])) * scale) for k in ("principal", "upfront_fee", "financed_fee")
    ]
    m = FREQUENCIES[str(row["frequency"])][2]
    pay = ref.repayments(
        units[0],
        Fraction(rate),
        int(row["term"]),
        str(row["method"]),
        m,
        units[2],  # type: ignore[call-overload]
    )
    return pay, units[0] - units[1]


def _on_grid(row: dict[str, object], cap: caps.Cap) -> bool:
    """Whether the cap's measure is the IRR on the period grid (Regulation Z counts a single
    payment, and half months, by the calendar instead: its own tests cover those)."""
    if cap.batch_measure != "mapr":
        return True
    return row["method"] != "bullet" and row["term"] != 1 and row["frequency"] != "semimonthly"


def _reference_complies(row: dict[str, object], rate: Decimal, cap: caps.Cap) -> bool:
    if cap.batch_measure == "contract_rate":
        return rate <= cap.limit
    pay, advance = _reference(row, rate)
    m = FREQUENCIES[str(row["frequency"])][2]
    return ref.complies_irr(pay, advance, Fraction(cap.limit), m)


# --- cash flows to the cent ------------------------------------------------------------------


@SLOW
@given(columns=offers(), rates=st.lists(st.integers(0, 6_000_000), min_size=4, max_size=4))
def test_cash_flows_are_the_schedules_to_the_cent(
    columns: dict[str, list[object]], rates: list[int]
) -> None:
    annual = [Decimal(r).scaleb(-7) for r in rates]
    got = batch_cash_flows(**columns, annual_rate=annual, errors="mask")
    for i, row in enumerate(_rows(columns)):
        if got.mask[i].any():  # refused as a batch row: refused as a contract too
            with pytest.raises(InvalidInputError):
                _terms(row, annual[i])
            continue
        scalar = _terms(row, annual[i]).schedule.period_amounts()
        width = len(scalar)
        assert list(got[i, :width]) == list(scalar)
        assert all(x == 0 for x in got[i, width:])
        pay, advance = _reference(row, annual[i])
        scale = Decimal(10) ** -PLACES[str(row["currency"])]
        assert list(scalar) == [-advance * scale, *[p * scale for p in pay]]


# --- verdicts at the boundary ----------------------------------------------------------------


@SLOW
@given(
    columns=offers(),
    cap_index=st.integers(0, len(CAPS) - 1),
    offsets=st.lists(st.integers(-3, 3), min_size=4, max_size=4),
)
def test_verdicts_equal_the_contracts_at_the_boundary(
    columns: dict[str, list[object]], cap_index: int, offsets: list[int]
) -> None:
    cap = CAPS[cap_index]
    best = batch_max_rate(cap, **columns, step="0.0000001", errors="mask")
    rates = []
    for i, value in enumerate(best):
        edge = Decimal("0.3") if value is np.ma.masked else value
        rates.append(min(Decimal(100), max(Decimal(0), edge + Decimal(offsets[i]).scaleb(-7))))
    verdicts = batch_check(cap, **columns, annual_rate=rates, errors="mask")
    for i, row in enumerate(_rows(columns)):
        if verdicts[i] is np.ma.masked:  # refused as a row: refused by the contract too
            with pytest.raises(InvalidInputError):
                _terms(row, rates[i], cap)
            continue
        expected = _accepted(row, rates[i], cap)
        assert bool(verdicts[i]) == expected, (row, rates[i])
        if _on_grid(row, cap):
            assert _reference_complies(row, rates[i], cap) == expected


@pytest.mark.parametrize("cap", CAPS, ids=lambda c: c.name)
def test_the_twenty_five_boundary_cases_agree(cap: caps.Cap) -> None:
    """Annuities of 12 000 at each 36-month, 12-month … grid point around the cap."""
    columns = {
        "principal": ["12000.00"] * 25,
        "currency": "CNY",
        "term": [3, 6, 12, 24, 36] * 5,
        "upfront_fee": [f"{k * 7}.50" for k in range(25)],
    }
    best = batch_max_rate(cap, **columns, start_date=START, step="0.0001")
    for offset in (Decimal(0), Decimal("0.0001")):
        rates = [b + offset for b in best]
        verdicts = batch_check(cap, **columns, annual_rate=rates, start_date=START)
        for i, row in enumerate(_rows({**columns, "currency": ["CNY"] * 25})):
            row.update(method="annuity", frequency="monthly", financed_fee=0)
            assert bool(verdicts[i]) == _accepted(row, rates[i], cap) == (offset == 0)


# --- pricing to the cap ----------------------------------------------------------------------


@settings(max_examples=15, deadline=None, derandomize=True)
@given(columns=offers(size=2), cap_index=st.sampled_from([0, 1, 3, 4]))
def test_max_rate_rows_are_the_contracts_highest_rate(
    columns: dict[str, list[object]], cap_index: int
) -> None:
    """The definition, by construction: the contract is accepted at the rate and refused one
    step above it; and the reference model finds the same rate."""
    cap = CAPS[cap_index]
    step = Decimal("0.000001")
    got = batch_max_rate(cap, **columns, errors="mask")
    for i, row in enumerate(_rows(columns)):
        top = int(100 / step)

        def passes(k: int, row: dict[str, object] = row) -> bool:
            return _reference_complies(row, k * step, cap)

        if got[i] is np.ma.masked:  # no rate complies: the contract refuses even 0 %
            assert not _accepted(row, Decimal(0), cap)
            continue
        if _on_grid(row, cap):
            assert got[i] == ref.highest(passes, top) * step  # type: ignore[operator]
        assert _accepted(row, got[i], cap)
        if got[i] < 100:
            assert not _accepted(row, got[i] + step, cap)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(
    columns=offers(size=2),
    cap_index=st.sampled_from([0, 1, 3]),
    fee=st.sampled_from(["upfront", "financed"]),
    rate=st.integers(0, 3_000_000),
)
def test_max_fee_rows_are_the_contracts_highest_fee(
    columns: dict[str, list[object]], cap_index: int, fee: str, rate: int
) -> None:
    cap = CAPS[cap_index]
    annual = Decimal(rate).scaleb(-7)
    got = batch_max_fee(cap, **columns, annual_rate=annual, fee=fee, errors="mask")
    for i, row in enumerate(_rows(columns)):
        unit = Decimal(10) ** -PLACES[str(row["currency"])]
        principal_units = int(Decimal(str(row["principal"])) / unit)
        top = principal_units - (1 if fee == "upfront" else 0)

        def passes(k: int, row: dict[str, object] = row, unit: Decimal = unit) -> bool:
            return _reference_complies({**row, f"{fee}_fee": k * unit}, annual, cap)

        if got[i] is np.ma.masked:  # no fee complies: the contract refuses even none
            assert not _accepted({**row, f"{fee}_fee": Decimal(0)}, annual, cap)
            continue
        if _on_grid(row, cap):
            assert got[i] == ref.highest(passes, top) * unit  # type: ignore[operator]
        assert _accepted({**row, f"{fee}_fee": got[i]}, annual, cap)
        if got[i] < top * unit:
            assert not _accepted({**row, f"{fee}_fee": got[i] + unit}, annual, cap)


def test_scalar_max_rate_and_max_fee_equal_the_construction_search() -> None:
    """The scalar functions, now priced by the batch engine, against their definition."""
    row = {
        "principal": Decimal(36000),
        "currency": "CNY",
        "term": 36,
        "method": "annuity",
        "frequency": "monthly",
        "upfront_fee": Decimal(300),
        "financed_fee": Decimal(0),
    }
    rate = max_rate(_terms(row, "0.1"), CN_COMPREHENSIVE_36)
    assert _accepted(row, rate, CN_COMPREHENSIVE_36)
    assert not _accepted(row, rate + Decimal("0.000001"), CN_COMPREHENSIVE_36)
    fee = max_fee(_terms(row, "0.3"), CN_COMPREHENSIVE_36)
    assert _accepted({**row, "upfront_fee": fee}, "0.3", CN_COMPREHENSIVE_36)
    assert not _accepted({**row, "upfront_fee": fee + Decimal("0.01")}, "0.3", CN_COMPREHENSIVE_36)


def test_joint_solve_round_trips() -> None:
    """The highest rate for a fee, then the highest fee for that rate, gives the fee back
    (or more, by the rate grid's slack) — and the contract accepts both."""
    columns = {"principal": "50000", "currency": "CNY", "term": 24, "start_date": START}
    rate = batch_max_rate(CN_COMPREHENSIVE_36, **columns, upfront_fee="1500")[0]
    fee = batch_max_fee(CN_COMPREHENSIVE_36, **columns, annual_rate=rate)[0]
    assert fee >= Decimal("1500")
    assert fee < Decimal("1510")  # one rate step (1e-6) is worth a few yuan at most
    row = {
        "principal": Decimal(50000),
        "currency": "CNY",
        "term": 24,
        "method": "annuity",
        "frequency": "monthly",
        "upfront_fee": fee,
        "financed_fee": 0,
    }
    assert _accepted(row, rate, CN_COMPREHENSIVE_36)
    row["upfront_fee"] = fee + Decimal("0.01")
    assert not _accepted(row, rate, CN_COMPREHENSIVE_36)


# --- bullet loans: the rate the law means ----------------------------------------------------


@pytest.mark.parametrize(
    ("term", "growth"),
    [
        (12, "1.031"),  # one year of 3.1 % simple interest, paid at maturity
        (480, "2.24"),  # 40 years: 1 + 0.031 x 40
    ],
)
def test_bullet_loans_measure_their_own_rate(term: int, growth: str) -> None:
    """The issue's figures: the old measure gave 37.2 % and 5,760 %; by hand the monthly
    IRR is growth^(1/term) - 1, times 12."""
    with decimal.localcontext(decimal.Context(prec=40)):
        expected = 12 * (Decimal(growth) ** (Decimal(1) / term) - 1)
    terms = LoanTerms(
        Money("100000", "CNY"),
        "0.031",
        term,
        method="bullet",
        start_date=START,
        caps=(CN_COMPREHENSIVE_36,),
    )  # accepted: 37.2 % and 5,760 % were the old, wrong figures
    measured = caps.all_in_irr(terms)
    assert abs(measured - expected) < Decimal("1e-18")
    assert batch_check(
        CN_COMPREHENSIVE_36,
        principal="100000",
        currency="CNY",
        annual_rate="0.031",
        term=term,
        method="bullet",
        start_date=START,
    ).all()


# --- bad input -------------------------------------------------------------------------------

GOOD = {
    "principal": ["1000", "2000"],
    "currency": "CNY",
    "annual_rate": "0.1",
    "term": 12,
    "start_date": START,
}


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        ({"principal": np.array([1000.0, 2000.0])}, FloatMoneyError, "principal[0]"),
        ({"annual_rate": [0.1, 0.2]}, FloatMoneyError, "annual_rate"),
        ({"colour": "red"}, InvalidInputError, "columns"),
        ({"term": [12, 12, 12]}, InvalidInputError, "columns"),
        ({"method": "flat"}, UnknownNameError, "method"),
        ({"frequency": "daily"}, UnknownNameError, "frequency"),
        ({"currency": "XXY"}, UnknownNameError, "currency"),
        ({"term": [12.0, 6.0]}, InputTypeError, "term[0]"),
        ({"start_date": "2024-01-15"}, LoanMathError, "start_date[0]"),
        ({"principal": ["1000", "0"]}, InvalidInputError, "principal[1]"),
        ({"principal": ["1000", "1.001"]}, InvalidInputError, "principal[1]"),
        ({"term": [12, 481]}, InvalidInputError, "term[1]"),
        ({"annual_rate": ["0.1", "101"]}, InvalidInputError, "annual_rate[1]"),
        ({"annual_rate": ["0.1", "0.123456789"]}, InvalidInputError, "annual_rate[1]"),
        ({"upfront_fee": ["0", "2000"]}, InvalidInputError, "upfront_fee[1]"),
        ({"financed_fee": ["0", "2000.01"]}, InvalidInputError, "financed_fee[1]"),
        ({"principal": ["1000", "-5"]}, InvalidInputError, "principal[1]"),
    ],
)
def test_bad_columns_name_the_column_and_row(change: dict, error: type, field: str) -> None:
    columns = {**GOOD, **change}
    with pytest.raises(error) as caught:
        batch_check(CN_COMPREHENSIVE_36, **columns)
    assert caught.value.field.startswith(field)  # type: ignore[attr-defined]


def test_invalid_rows_can_be_masked_instead() -> None:
    got = batch_check(CN_COMPREHENSIVE_36, **{**GOOD, "term": [12, 0]}, errors="mask")
    assert got.mask.tolist() == [False, True]
    assert bool(got[0]) is True


def test_a_cap_without_a_batch_measure_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInputError, match="UK_HCSTC"):
        batch_check(UK_HCSTC, **{**GOOD, "currency": "GBP"})
    custom = AnnualRateCap("OWN", "0.2", measure=lambda terms: terms.annual_rate)
    with pytest.raises(InvalidInputError, match="OWN"):
        batch_check(custom, **GOOD)
    with pytest.raises(InputTypeError):
        batch_check("CN_COMPREHENSIVE_36", **GOOD)  # type: ignore[arg-type]


def test_offers_no_rate_can_save_are_named_with_the_cap() -> None:
    columns = {**GOOD, "upfront_fee": ["10", "600"]}  # 600 of 2000 up front: > 36 % at 0 %
    with pytest.raises(NoSolutionError, match=r"CN_COMPREHENSIVE_36.*zero rate.*rows 1\b"):
        batch_max_rate(CN_COMPREHENSIVE_36, **columns)
    got = batch_max_rate(CN_COMPREHENSIVE_36, **columns, errors="mask")
    assert got.mask.tolist() == [False, True]
    with pytest.raises(NoSolutionError, match="zero fee"):
        batch_max_fee(CN_COMPREHENSIVE_36, **{**GOOD, "annual_rate": "0.5"})


@pytest.mark.parametrize("step", ["0", "2", "0.00000001", 0.001])
def test_bad_steps_are_refused(step: object) -> None:
    with pytest.raises(LoanMathError) as caught:
        batch_max_rate(CN_COMPREHENSIVE_36, **GOOD, step=step)
    assert caught.value.field == "step"  # type: ignore[attr-defined]


def test_errors_and_fee_names_are_checked() -> None:
    with pytest.raises(UnknownNameError):
        batch_check(CN_COMPREHENSIVE_36, **GOOD, errors="ignore")
    with pytest.raises(UnknownNameError):
        batch_max_fee(CN_COMPREHENSIVE_36, **GOOD, fee="periodic")


def test_a_dataframe_gives_the_same_verdicts() -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(
        {"principal": ["12000", "12000"], "annual_rate": ["0.35", "0.37"], "term": [12, 12]}
    )
    got = batch_check(CN_COMPREHENSIVE_36, frame, currency="CNY", start_date=START)
    assert got.tolist() == [True, False]


def test_results_ignore_the_callers_decimal_context() -> None:
    columns = {**GOOD, "upfront_fee": ["10.01", "33.33"]}
    normal = batch_max_rate(CN_COMPREHENSIVE_36, **columns).tolist()
    hostile = decimal.Context(prec=3, rounding=decimal.ROUND_FLOOR, traps=[decimal.Inexact])
    with decimal.localcontext(hostile):
        assert batch_max_rate(CN_COMPREHENSIVE_36, **columns).tolist() == normal


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.lists(st.integers(0, 10**9), min_size=12, max_size=12),
            st.integers(1, 10**10),
            st.sampled_from([1, 2, 4, 12, 24, 26, 52]),
        ),
        min_size=5,
        max_size=9,
    ),
    limit=st.sampled_from([Decimal("0.36"), Decimal("0.134"), Decimal("2.92")]),
)
def test_one_offer_verdicts_equal_the_vectorised_ones(
    rows: list[tuple[list[int], int, int]], limit: Decimal
) -> None:
    """A scalar max_rate probes one offer at a time in plain floats; the numpy path (five or
    more offers) must give the same verdict on each, and so must the exact integer rule."""
    from loanmath.caps._engine import complies

    pay = np.array([r[0] for r in rows], dtype=np.int64)
    owed = np.array([r[1] for r in rows], dtype=np.int64)
    ppy = np.array([r[2] for r in rows], dtype=np.int64)
    together = complies(pay, owed, ppy, limit).tolist()
    one_by_one = [
        bool(complies(pay[i : i + 1], owed[i : i + 1], ppy[i : i + 1], limit)[0])
        for i in range(len(rows))
    ]
    assert one_by_one == together
    for i, (flows, advance, m) in enumerate(rows):
        assert together[i] == ref.complies_irr(flows, advance, Fraction(limit), m)


def test_a_last_due_date_beyond_the_calendar_is_refused_as_the_contract_refuses_it() -> None:
    """Found in review: the CN measure never reads the dates, so a 36-month offer starting
    9999-06-01 was priced although LoanTerms refuses it (its last due date does not exist)."""
    start = dt.date(9999, 6, 1)
    got = batch_check(
        CN_COMPREHENSIVE_36,
        principal="1000",
        currency="CNY",
        annual_rate="0.1",
        term=[36, 2],
        start_date=start,
        errors="mask",
    )
    assert got.mask.tolist() == [True, False]
    with pytest.raises(InvalidInputError):
        LoanTerms(Money("1000", "CNY"), "0.1", 36, start_date=start)
    LoanTerms(Money("1000", "CNY"), "0.1", 2, start_date=start)  # accepted, as the batch row
    with pytest.raises(InvalidInputError) as caught:
        batch_max_rate(
            CN_COMPREHENSIVE_36, principal="1000", currency="CNY", term=36, start_date=start
        )
    assert caught.value.field == "start_date[0]"
