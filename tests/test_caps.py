"""Caps at construction, the LPR table, max_rate / max_fee, and published cap figures.

Sources
-------
- FCA CONC 5A.2 / PS14/16: the initial cost cap of 0.8 % a day means "no borrower will pay
  more than £24 in fees and interest per £100 borrowed over 30 days".
- One-year LPR table: ../shared/REGULATION.md (PBoC/NIFC publications), tested on both sides
  of every change.
- 32 CFR 232.4(b): MAPR ≤ 36 %.
"""

from __future__ import annotations

import datetime as dt
import warnings
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loanmath import Fee, LoanTerms, Money
from loanmath.caps import (
    CN_COMPREHENSIVE_36,
    UK_HCSTC,
    US_MLA_36,
    AnnualRateCap,
    LPRStaleWarning,
    cn_private_lending,
    lpr_1y,
    lpr_table,
    max_fee,
    max_rate,
    register_lpr,
)
from loanmath.caps import _lpr as caps_lpr
from loanmath.errors import InputTypeError, InvalidInputError, RateCapExceeded, UnknownNameError

START = dt.date(2024, 1, 15)

LPR_CHANGES = [
    ("2019-08-20", "0.0425"),
    ("2019-09-20", "0.0420"),
    ("2019-11-20", "0.0415"),
    ("2020-02-20", "0.0405"),
    ("2020-04-20", "0.0385"),
    ("2021-12-20", "0.0380"),
    ("2022-01-20", "0.0370"),
    ("2022-08-22", "0.0365"),
    ("2023-06-20", "0.0355"),
    ("2023-08-21", "0.0345"),
    ("2024-07-22", "0.0335"),
    ("2024-10-21", "0.0310"),
    ("2025-05-20", "0.0300"),
]


@pytest.mark.parametrize(("effective", "rate"), LPR_CHANGES)
def test_lpr_on_both_sides_of_each_change(effective: str, rate: str) -> None:
    day = dt.date.fromisoformat(effective)
    assert lpr_1y(day) == Decimal(rate)
    index = LPR_CHANGES.index((effective, rate))
    if index:
        assert lpr_1y(day - dt.timedelta(days=1)) == Decimal(LPR_CHANGES[index - 1][1])


def test_lpr_outside_the_table() -> None:
    with pytest.raises(InvalidInputError, match="before the first"):
        lpr_1y(dt.date(2019, 8, 19))
    with pytest.warns(LPRStaleWarning, match=r"used 0\.0300"):
        assert lpr_1y(dt.date(2030, 1, 1)) == Decimal("0.0300")


def test_register_a_newer_lpr(monkeypatch: pytest.MonkeyPatch) -> None:

    monkeypatch.setattr(caps_lpr, "_LPR", list(caps_lpr._LPR))
    monkeypatch.setattr(caps_lpr, "_known_through", list(caps_lpr._known_through))
    register_lpr(dt.date(2026, 1, 20), "0.0290", known_through=dt.date(2026, 2, 19))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert lpr_1y(dt.date(2026, 2, 1)) == Decimal("0.0290")
    assert lpr_table()[-1] == (dt.date(2026, 1, 20), Decimal("0.0290"))
    with pytest.raises(InvalidInputError, match="fraction"):
        register_lpr(dt.date(2026, 3, 20), "2.9")


@pytest.mark.parametrize(
    ("effective", "last_known"),
    [("2026-01-20", "2026-02-19"), ("2026-01-31", "2026-02-19"), ("2026-01-10", "2026-01-19")],
)
def test_a_registered_lpr_is_known_until_the_next_publication(
    monkeypatch: pytest.MonkeyPatch, effective: str, last_known: str
) -> None:
    """The LPR is published on the 20th (PBoC announcement 〔2019〕第15号): a value registered
    without `known_through` is known up to the day before the next publication, and a date
    from that publication on is flagged stale (it once stayed quiet for a month longer)."""
    monkeypatch.setattr(caps_lpr, "_LPR", list(caps_lpr._LPR))
    monkeypatch.setattr(caps_lpr, "_known_through", list(caps_lpr._known_through))
    register_lpr(dt.date.fromisoformat(effective), "0.0290")
    last = dt.date.fromisoformat(last_known)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert lpr_1y(last) == Decimal("0.0290")
    with pytest.warns(LPRStaleWarning):
        lpr_1y(last + dt.timedelta(days=1))


def test_cn_private_lending_is_four_times_the_lpr() -> None:
    cap = cn_private_lending(dt.date(2024, 8, 1))
    assert cap.limit == Decimal("0.1340")  # 4 x 3.35 %
    LoanTerms(Money("10000", "CNY"), "0.13", 12, start_date=START, caps=(cap,))
    with pytest.raises(RateCapExceeded) as info:
        LoanTerms(Money("10000", "CNY"), "0.14", 12, start_date=START, caps=(cap,))
    assert info.value.limit == Decimal("0.1340")
    assert info.value.measured > info.value.limit


def test_cn36_counts_every_fee() -> None:
    """A 24 % loan is lawful; with a 1,000 service fee on 12,000 its all-in IRR tops 36 %."""
    LoanTerms(Money("12000", "CNY"), "0.24", 12, start_date=START, caps=(CN_COMPREHENSIVE_36,))
    with pytest.raises(RateCapExceeded) as info:
        LoanTerms(
            Money("12000", "CNY"),
            "0.24",
            12,
            start_date=START,
            fees=(Fee("service", "upfront", amount="1000"),),
            caps=(CN_COMPREHENSIVE_36,),
        )
    error = info.value
    assert error.rule == "CN_COMPREHENSIVE_36"
    assert error.limit == Decimal("0.36")
    assert error.measured > Decimal("0.36")
    assert "max_rate" in str(error)
    assert isinstance(error, ValueError)


def test_a_flat_fee_loan_is_measured_by_irr_not_its_fee_rate() -> None:
    """等本等息 at 1.5 % a month looks like 18 % a year; its IRR x 12 is about 32 %."""
    flat = LoanTerms(
        Money("12000", "CNY"),
        "0.18",
        12,
        method="flat",
        flat_charge="fee",
        start_date=START,
        caps=(CN_COMPREHENSIVE_36,),
    )
    assert CN_COMPREHENSIVE_36.measure(flat) > Decimal("0.31")
    with pytest.raises(RateCapExceeded):
        attrs.evolve(flat, annual_rate="0.21")


def test_overdue_rate_within_the_chinese_limit() -> None:
    def cn(rate: str, **overdue: str) -> LoanTerms:
        return LoanTerms(
            Money("12000", "CNY"),
            rate,
            12,
            start_date=START,
            caps=(CN_COMPREHENSIVE_36,),
            **overdue,  # type: ignore[arg-type]
        )

    cn("0.24", penalty_multiple="1.5")  # 36 %: at the limit
    with pytest.raises(RateCapExceeded, match="overdue"):
        cn("0.25", penalty_multiple="1.5")
    with pytest.raises(RateCapExceeded, match="overdue"):
        cn("0.20", penalty_rate="0.17")


def test_uk_hcstc_24_pounds_per_100_over_30_days() -> None:
    """FCA: at most £24 in fees and interest per £100 borrowed over 30 days (0.8 % a day)."""
    start = dt.date(2024, 3, 1)
    ok = LoanTerms(
        Money("100.00", "GBP"),
        "0",
        1,
        method="bullet",
        start_date=start,
        first_due_date=dt.date(2024, 3, 31),
        fees=(Fee("charge", "financed", amount="24.00"),),
        caps=(UK_HCSTC,),
    )
    assert UK_HCSTC.measure(ok) == Decimal("2.92")  # 0.8 % a day as a simple annual rate
    with pytest.raises(RateCapExceeded, match="UK_HCSTC"):
        attrs.evolve(ok, fees=(Fee("charge", "financed", amount="24.01"),))
    with pytest.raises(RateCapExceeded, match="default fee"):
        attrs.evolve(ok, late_fee="15.01")
    attrs.evolve(ok, late_fee="15.00")
    with pytest.raises(InvalidInputError, match="GBP"):
        LoanTerms(Money("100", "EUR"), "0", 1, start_date=start, caps=(UK_HCSTC,))


def test_uk_total_cost_cap_100_percent() -> None:
    """A year-long HCSTC at 0.5 % a day passes the daily cap but charges > 100 % in total."""
    with pytest.raises(RateCapExceeded, match="total cost cap"):
        LoanTerms(
            Money("100.00", "GBP"),
            "1.5",
            12,
            start_date=START,
            method="interest_only",
            caps=(UK_HCSTC,),
        )


def test_mla_36_mapr_includes_fees() -> None:
    LoanTerms(Money("1000.00", "USD"), "0.30", 12, start_date=START, caps=(US_MLA_36,))
    with pytest.raises(RateCapExceeded) as info:
        LoanTerms(
            Money("1000.00", "USD"),
            "0.30",
            12,
            start_date=START,
            caps=(US_MLA_36,),
            fees=(Fee("application", "upfront", amount="50"),),
        )
    assert info.value.limit == Decimal("0.36")


def test_user_defined_caps() -> None:
    usury = AnnualRateCap("STATE_USURY_16", "0.16", measure="contract_rate")
    LoanTerms(Money("1000.00", "USD"), "0.16", 12, start_date=START, caps=(usury,))
    with pytest.raises(RateCapExceeded, match="STATE_USURY_16"):
        LoanTerms(Money("1000.00", "USD"), "0.1601", 12, start_date=START, caps=(usury,))
    policy = AnnualRateCap("LENDER_POLICY", "0.20", measure=lambda terms: Decimal("0.25"))
    with pytest.raises(RateCapExceeded, match="LENDER_POLICY"):
        LoanTerms(Money("1000.00", "USD"), "0.10", 12, start_date=START, caps=(policy,))
    with pytest.raises(UnknownNameError):
        AnnualRateCap("X", "0.1", measure="apr")
    with pytest.raises(InvalidInputError):
        AnnualRateCap("X", "0")
    with pytest.raises(InputTypeError, match="caps"):
        LoanTerms(Money("1000.00", "USD"), "0.1", 12, start_date=START, caps=("cn36",))


def test_max_rate_and_max_fee_sit_exactly_on_the_boundary() -> None:
    terms = LoanTerms(
        Money("12000", "CNY"),
        "0.10",
        12,
        start_date=START,
        fees=(Fee("service", "upfront", amount="200"),),
    )
    best = max_rate(terms, CN_COMPREHENSIVE_36)
    attrs.evolve(terms, annual_rate=best, caps=(CN_COMPREHENSIVE_36,))
    with pytest.raises(RateCapExceeded):
        attrs.evolve(terms, annual_rate=best + Decimal("0.000001"), caps=(CN_COMPREHENSIVE_36,))
    fee_terms = attrs.evolve(terms, annual_rate="0.24")
    fee = max_fee(fee_terms, CN_COMPREHENSIVE_36)
    assert fee == fee.quantize(Decimal("0.01"))
    attrs.evolve(
        fee_terms, fees=(Fee("service", "upfront", amount=fee),), caps=(CN_COMPREHENSIVE_36,)
    )
    with pytest.raises(RateCapExceeded):
        attrs.evolve(
            fee_terms,
            fees=(Fee("service", "upfront", amount=fee + Decimal("0.01")),),
            caps=(CN_COMPREHENSIVE_36,),
        )
    with pytest.raises(InvalidInputError, match="no upfront or financed fee"):
        max_fee(attrs.evolve(terms, fees=()), CN_COMPREHENSIVE_36)


@settings(max_examples=60, deadline=None)
@given(st.integers(1_000, 1_000_000), st.integers(0, 800), st.integers(1, 36), st.integers(0, 30))
def test_any_terms_construct_within_caps_or_raise_above(
    principal: int, rate_bp: int, term: int, fee_percent: int
) -> None:
    """Either the contract constructs and measures within every cap, or it raises with
    measured > limit."""
    caps = (CN_COMPREHENSIVE_36, cn_private_lending(dt.date(2024, 1, 2)))
    kwargs = {
        "start_date": START,
        "caps": caps,
        "fees": (Fee("service", "upfront", amount=principal * fee_percent // 100),),
    }
    try:
        terms = LoanTerms(Money(principal, "CNY"), Decimal(rate_bp).scaleb(-4), term, **kwargs)
    except RateCapExceeded as error:
        assert error.measured > error.limit  # noqa: PT017 - the property under test
        return
    except InvalidInputError:
        return  # e.g. a fee as large as the principal
    for cap in caps:
        assert cap.measure(terms) <= cap.limit


def test_a_bullet_loan_is_annualised_over_its_whole_term() -> None:
    """到期一次还本付息: ¥12,000 at 12 % for 12 months repays ¥13,440 once. Its IRR-annualised
    cost is 12 × (1.12^(1/12) − 1) = 11.39 %, not 12 × 12 % (the one payment was once
    discounted over a single period, so a 12 % bullet loan broke the 36 % cap)."""
    import datetime as dt
    from decimal import Decimal

    from loanmath import LoanTerms, Money
    from loanmath.caps import CN_COMPREHENSIVE_36, all_in_irr

    terms = LoanTerms(
        Money("12000", "CNY"),
        "0.12",
        12,
        method="bullet",
        start_date=dt.date(2024, 1, 15),
        caps=(CN_COMPREHENSIVE_36,),
    )
    by_hand = 12 * (Decimal("1.12") ** (Decimal(1) / 12) - 1)
    assert abs(all_in_irr(terms) - by_hand) < Decimal("1e-15")
    assert [str(a) for a in terms.schedule.period_amounts()][1:4] == ["0", "0", "0"]


def test_a_loan_maturing_on_the_calendars_last_day_is_measured() -> None:
    """The period grid reads month ends without stepping past 9999-12-31."""
    import datetime as dt

    from loanmath import LoanTerms, Money
    from loanmath.caps import CN_COMPREHENSIVE_36

    terms = LoanTerms(
        Money("1000", "CNY"),
        "0.12",
        2,
        method="bullet",
        start_date=dt.date(9999, 10, 31),
        end_of_month=True,
        caps=(CN_COMPREHENSIVE_36,),
    )
    assert terms.schedule.dates == (dt.date(9999, 12, 31),)
    assert [str(a) for a in terms.schedule.period_amounts()] == ["-1000.00", "0", "1020.00"]
