"""Business days and holiday calendars: due dates moved off holidays, make-up working days.

Golden calendars are typed from the official notices (strings below, each with its source);
an independent oracle — the notices' days off and make-up working days as plain sets, a
plain loop for each ISDA convention, and Fractions for ACT/365F interest — checks the
calendar, the adjustment and the schedule built from them.

Sources
-------
- CN 2024: 国务院办公厅关于2024年部分节假日安排的通知, 国办发明电〔2023〕7号 (2023-10-25),
  人民日报 2023-10-26 第06版,
  http://paper.people.com.cn/rmrb/html/2023-10/26/nw.D110000renmrb_20231026_3-06.htm ;
  国务院公报 2023年第31号, https://www.gov.cn/gongbao/2023/issue_10806/202311/content_6913823.html
- CN 2025: 国务院办公厅关于2025年部分节假日安排的通知, 国办发明电〔2024〕12号 (2024-11-12),
  新华社 via 光明网, https://m.gmw.cn/2024-11/12/content_1303894933.htm ;
  国务院公报 2024年第33号, https://www.gov.cn/gongbao/2024/issue_11726/202411/content_6989767.html
- US 2025: Federal Reserve, "Holidays Observed by the Federal Reserve System"
  (https://www.federalreserve.gov/aboutthefed/k8.htm), as listed by the Federal Reserve Bank
  of Richmond, https://richmondfed.org/about_us/holiday_schedule ("If any of the following
  holidays falls on a Saturday, Federal Reserve Banks will be open the preceding Friday");
  5 U.S.C. § 6103(a) for the federal holidays.
- Conventions: ISDA 2006 Definitions, Section 4.12 (Following, Modified Following,
  Preceding).
"""

from __future__ import annotations

import datetime as dt
import pickle
import sys
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loanmath import LoanTerms, Money
from loanmath.calendars import HolidayCalendar
from loanmath.dates import ADJUSTMENTS, adjust, is_business_day, payment_dates
from loanmath.errors import LoanMathError, MissingDependencyError

pytest.importorskip("holidays")  # the 'calendars' extra (installed by the 'test' extra)


def _days(text: str) -> frozenset[dt.date]:
    """'2024-02-10..2024-02-17 2024-06-10' → the dates (ranges inclusive)."""
    found: set[dt.date] = set()
    for item in text.split():
        first, _, last = item.partition("..")
        a = dt.date.fromisoformat(first)
        b = dt.date.fromisoformat(last or first)
        found.update(a + dt.timedelta(days=k) for k in range((b - a).days + 1))
    return frozenset(found)


# 国办发明电〔2023〕7号: 一、元旦 1月1日放假; 二、春节 2月10日至17日, 2月4日(星期日)、2月18日
# (星期日)上班; 三、清明节 4月4日至6日, 4月7日(星期日)上班; 四、劳动节 5月1日至5日, 4月28日
# (星期日)、5月11日(星期六)上班; 五、端午节 6月10日; 六、中秋节 9月15日至17日, 9月14日(星期六)
# 上班; 七、国庆节 10月1日至7日, 9月29日(星期日)、10月12日(星期六)上班.
CN_2024_OFF = _days(
    "2024-01-01 2024-02-10..2024-02-17 2024-04-04..2024-04-06 2024-05-01..2024-05-05 "
    "2024-06-10 2024-09-15..2024-09-17 2024-10-01..2024-10-07"
)
CN_2024_WORK = _days(
    "2024-02-04 2024-02-18 2024-04-07 2024-04-28 2024-05-11 2024-09-14 2024-09-29 2024-10-12"
)
# 国办发明电〔2024〕12号: 一、元旦 1月1日; 二、春节 1月28日至2月4日, 1月26日(周日)、2月8日
# (周六)上班; 三、清明节 4月4日至6日; 四、劳动节 5月1日至5日, 4月27日(周日)上班; 五、端午节
# 5月31日至6月2日; 六、国庆节、中秋节 10月1日至8日, 9月28日(周日)、10月11日(周六)上班.
CN_2025_OFF = _days(
    "2025-01-01 2025-01-28..2025-02-04 2025-04-04..2025-04-06 2025-05-01..2025-05-05 "
    "2025-05-31..2025-06-02 2025-10-01..2025-10-08"
)
CN_2025_WORK = _days("2025-01-26 2025-02-08 2025-04-27 2025-09-28 2025-10-11")

# The Federal Reserve's 2025 holidays (none falls on a Saturday in 2025).
XFED_2025 = _days(
    "2025-01-01 2025-01-20 2025-02-17 2025-05-26 2025-06-19 2025-07-04 2025-09-01 "
    "2025-10-13 2025-11-11 2025-11-27 2025-12-25"
)

CN_OFF = CN_2024_OFF | CN_2025_OFF
CN_WORK = CN_2024_WORK | CN_2025_WORK
FIRST, LAST = dt.date(2024, 1, 1), dt.date(2025, 12, 31)


def cn_business(d: dt.date) -> bool:
    """The oracle: the notices' rule, written from their text alone."""
    assert FIRST <= d <= LAST, d
    if d in CN_WORK:
        return True
    return d.weekday() < 5 and d not in CN_OFF


def roll(d: dt.date, convention: str, business: object = cn_business) -> dt.date:
    """ISDA 2006 §4.12 by a plain day-by-day loop."""
    test = business if callable(business) else cn_business
    if convention == "none" or test(d):
        return d
    step = -1 if "preceding" in convention else 1
    moved = d
    while not test(moved):
        moved += dt.timedelta(days=step)
    if convention.startswith("modified") and moved.month != d.month:
        moved = d
        while not test(moved):
            moved -= dt.timedelta(days=step)
    return moved


def every_day(year: int) -> list[dt.date]:
    start = dt.date(year, 1, 1)
    return [start + dt.timedelta(days=k) for k in range(366 if year % 4 == 0 else 365)]


CN = HolidayCalendar("CN")


# --- golden calendars --------------------------------------------------------------------


@pytest.mark.parametrize("year", [2024, 2025])
def test_china_matches_the_state_council_notice_day_by_day(year: int) -> None:
    for d in every_day(year):
        assert CN.is_business_day(d) is cn_business(d), d
        assert is_business_day(d, CN) is cn_business(d), d


def test_china_make_up_sundays_are_business_days_and_the_festival_is_not() -> None:
    assert [CN.is_business_day(dt.date(2024, 2, d)) for d in (4, 9, 10, 17, 18)] == [
        True,  # Sunday worked (调休)
        True,  # 除夕: only "encouraged" off, a working day by the notice
        False,
        False,
        True,  # Sunday worked
    ]
    assert CN.is_holiday(dt.date(2024, 2, 12))
    assert not CN.is_holiday(dt.date(2024, 2, 4))


def test_federal_reserve_2025_holidays() -> None:
    fed = HolidayCalendar("XFED")
    assert {d for d in every_day(2025) if fed.is_holiday(d)} == XFED_2025
    for d in every_day(2025):
        assert fed.is_business_day(d) is (d.weekday() < 5 and d not in XFED_2025), d
    # the federal holidays (5 U.S.C. 6103) are the same days in 2025 ...
    us = HolidayCalendar("US")
    assert {d for d in every_day(2025) if us.is_holiday(d)} == XFED_2025
    # ... but not in 2026: July 4 is a Saturday; the government is off on Friday July 3,
    # the Federal Reserve Banks are open (Richmond Fed: "open the preceding Friday").
    assert us.is_holiday(dt.date(2026, 7, 3))
    assert fed.is_business_day(dt.date(2026, 7, 3))


def test_the_shanghai_exchange_stays_closed_on_make_up_weekends() -> None:
    xshg = HolidayCalendar("XSHG")
    for d in sorted(CN_WORK):
        assert CN.is_business_day(d)
        assert xshg.is_business_day(d) is (d.weekday() < 5), d
    assert not xshg.is_business_day(dt.date(2024, 2, 12))


def test_a_subdivision_adds_its_holidays() -> None:
    # England's Summer bank holiday, last Monday of August (Banking and Financial Dealings
    # Act 1971, Schedule 1); Scotland's is the first Monday of August.
    eng = HolidayCalendar("GB", subdivision="ENG")
    sct = HolidayCalendar("GB", subdivision="SCT")
    assert eng.is_holiday(dt.date(2025, 8, 25))
    assert not eng.is_holiday(dt.date(2025, 8, 4))
    assert sct.is_holiday(dt.date(2025, 8, 4))
    assert not sct.is_holiday(dt.date(2025, 8, 25))


def test_the_years_a_decreed_calendar_covers_are_its_notices() -> None:
    first, last = CN.years
    assert first <= 2024
    assert last >= 2025
    with pytest.raises(LoanMathError) as caught:
        CN.is_business_day(dt.date(last + 1, 3, 2))
    assert caught.value.field == "holidays"  # type: ignore[attr-defined]
    assert str(last + 1) in str(caught.value)
    with pytest.raises(LoanMathError):
        CN.is_holiday(dt.date(first - 1, 3, 2))
    # a rule-based calendar answers for every year its package computes
    assert HolidayCalendar("US").years[1] >= 2100


def test_calendars_are_values() -> None:
    assert HolidayCalendar("CN") == CN
    assert hash(HolidayCalendar("CN")) == hash(CN)
    assert pickle.loads(pickle.dumps(CN)) == CN
    assert HolidayCalendar("GB", subdivision="ENG") != HolidayCalendar("GB", subdivision="SCT")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        CN.name = "US"  # type: ignore[misc]


# --- loans due on holidays -----------------------------------------------------------------

LOAN_2024_DUE_10TH = [  # unadjusted → following (the same under modified following)
    ("2024-02-10", "2024-02-18"),  # Spring Festival; Sunday the 18th is worked
    ("2024-03-10", "2024-03-11"),
    ("2024-04-10", "2024-04-10"),
    ("2024-05-10", "2024-05-10"),
    ("2024-06-10", "2024-06-11"),  # Dragon Boat Festival
    ("2024-07-10", "2024-07-10"),
    ("2024-08-10", "2024-08-12"),
    ("2024-09-10", "2024-09-10"),
    ("2024-10-10", "2024-10-10"),
    ("2024-11-10", "2024-11-11"),
    ("2024-12-10", "2024-12-10"),
    ("2025-01-10", "2025-01-10"),
]


def _terms(**kw: object) -> LoanTerms:
    base: dict[str, object] = {"start_date": dt.date(2024, 1, 10)}
    base.update(kw)
    return LoanTerms(Money("12000.00", "CNY"), "0.12", 12, **base)  # type: ignore[arg-type]


@pytest.mark.parametrize("convention", ["following", "modified_following"])
def test_a_loan_due_on_the_10th_moves_off_chinese_holidays(convention: str) -> None:
    terms = _terms(business_day=convention, holidays="CN")
    due = [r.due_date.isoformat() for r in terms.schedule.installments]
    assert due == [moved for _, moved in LOAN_2024_DUE_10TH]
    plain = [r.due_date.isoformat() for r in _terms().schedule.installments]
    assert plain == [original for original, _ in LOAN_2024_DUE_10TH]


def test_modified_following_stays_in_the_month_at_a_month_end() -> None:
    # 2025-01-31 is in the Spring Festival (Jan 28 - Feb 4), 2025-05-31 in Dragon Boat.
    terms = {
        "following": ["2025-02-05", "2025-02-28", "2025-03-31", "2025-04-30", "2025-06-03"],
        "modified_following": [
            "2025-01-27",
            "2025-02-28",
            "2025-03-31",
            "2025-04-30",
            "2025-05-30",
        ],
    }
    for convention, expected in terms.items():
        loan = LoanTerms(
            Money("5000.00", "CNY"),
            "0.1",
            5,
            start_date=dt.date(2024, 12, 31),
            end_of_month=True,
            business_day=convention,
            holidays=CN,
        )
        assert [r.due_date.isoformat() for r in loan.schedule.installments] == expected


def test_payment_dates_take_a_calendar() -> None:
    got = payment_dates(dt.date(2024, 1, 10), 12, adjustment="following", holidays=CN)
    assert [d.isoformat() for d in got] == [moved for _, moved in LOAN_2024_DUE_10TH]


def test_the_default_quote_no_longer_falls_on_new_year_or_labour_day() -> None:
    # the issue: a loan opened on 2024-12-01 was due on 2025-01-01 and 2025-05-01
    loan = LoanTerms(
        Money("12000", "CNY"),
        "0.12",
        12,
        start_date=dt.date(2024, 12, 1),
        business_day="following",
        holidays="CN",
    )
    due = {r.due_date for r in loan.schedule.installments}
    assert not due & {dt.date(2025, 1, 1), dt.date(2025, 5, 1)}
    assert all(cn_business(d) for d in due)


# --- properties -----------------------------------------------------------------------------

days_in_range = st.dates(min_value=dt.date(2024, 1, 15), max_value=dt.date(2025, 12, 15))
moving = st.sampled_from([c for c in ADJUSTMENTS if c != "none"])


@given(days_in_range, moving)
def test_adjust_with_a_calendar_is_the_oracle(day: dt.date, convention: str) -> None:
    moved = adjust(day, convention, CN)
    assert moved == roll(day, convention)
    assert cn_business(moved)
    if convention == "following":
        assert moved >= day
    if convention == "preceding":
        assert moved <= day
    if convention.startswith("modified"):
        assert moved.month == day.month


@given(days_in_range, st.frozensets(days_in_range, max_size=20), moving)
def test_adjust_with_a_set_of_dates_is_the_oracle(
    day: dt.date, holidays: frozenset[dt.date], convention: str
) -> None:
    def business(d: dt.date) -> bool:
        return d.weekday() < 5 and d not in holidays

    assert adjust(day, convention, holidays) == roll(day, convention, business)


# loans whose due dates (and any roll) stay inside 2024-2025, the years the oracle types
loans = st.sampled_from([("monthly", 18), ("quarterly", 6)]).flatmap(
    lambda plan: st.fixed_dictionaries(
        {
            "start_date": st.dates(dt.date(2024, 1, 1), dt.date(2024, 5, 31)),
            "term": st.integers(1, plan[1]),
            "frequency": st.just(plan[0]),
            "convention": moving,
            "end_of_month": st.booleans(),
            "method": st.sampled_from(["annuity", "equal_principal", "interest_only", "bullet"]),
        }
    )
)


def _loan(spec: dict[str, object], **kw: object) -> LoanTerms:
    return LoanTerms(
        Money("36000.00", "CNY"),
        "0.0735",
        spec["term"],  # type: ignore[arg-type]
        start_date=spec["start_date"],  # type: ignore[arg-type]
        frequency=spec["frequency"],  # type: ignore[arg-type]
        end_of_month=spec["end_of_month"],  # type: ignore[arg-type]
        method=spec["method"],  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


@settings(max_examples=40, deadline=None)
@given(loans)
def test_due_dates_are_the_unadjusted_dates_rolled(spec: dict[str, object]) -> None:
    plain = _loan(spec, day_count="ACT/365F")
    moved = _loan(spec, day_count="ACT/365F", business_day=spec["convention"], holidays="CN")
    before = [r.due_date for r in plain.schedule.installments]
    after = [r.due_date for r in moved.schedule.installments]
    assert after == [roll(d, str(spec["convention"])) for d in before]
    assert all(cn_business(d) for d in after)
    # "unadjusted" accrual: the same interest, principal and payments, paid on other days
    strip = [r[2:] for r in plain.schedule.installments]
    assert [r[2:] for r in moved.schedule.installments] == strip


@settings(max_examples=40, deadline=None)
@given(loans)
def test_none_leaves_every_result_as_before(spec: dict[str, object]) -> None:
    plain = _loan(spec, day_count="ACT/365F")
    for kw in ({"business_day": "none"}, {"business_day": "none", "accrual": "adjusted"}):
        same = _loan(spec, day_count="ACT/365F", **kw)
        assert same.schedule.installments == plain.schedule.installments
        assert same.schedule.plan == plain.schedule.plan


def _cents(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


@settings(max_examples=40, deadline=None)
@given(loans)
def test_adjusted_accrual_charges_interest_over_the_adjusted_days(spec: dict[str, object]) -> None:
    loan = _loan(
        spec,
        day_count="ACT/365F",
        business_day=spec["convention"],
        holidays="CN",
        accrual="adjusted",
    )
    rate = Fraction("0.0735")
    previous, balance = loan.start_date, Fraction(36000)
    for row in loan.schedule.installments:
        days = (row.due_date - previous).days
        assert row.interest == _cents(balance * rate * Fraction(days, 365)), row
        previous, balance = row.due_date, Fraction(row.balance)


def test_adjusted_and_unadjusted_accrual_differ_where_a_date_moved() -> None:
    kw = {"day_count": "ACT/365F", "business_day": "following", "holidays": "CN"}
    adjusted = _terms(accrual="adjusted", **kw).schedule.installments
    unadjusted = _terms(**kw).schedule.installments
    # the first period runs Jan 10 → Feb 18 (39 days) instead of → Feb 10 (31 days)
    assert adjusted[0].interest == _cents(Fraction(12000) * Fraction("0.12") * Fraction(39, 365))
    assert unadjusted[0].interest == _cents(Fraction(12000) * Fraction("0.12") * Fraction(31, 365))


# --- values, hashing, evolve ----------------------------------------------------------------


def test_terms_with_holidays_stay_hashable_and_picklable() -> None:
    a = _terms(business_day="following", holidays=[dt.date(2024, 3, 11), dt.date(2024, 3, 12)])
    assert isinstance(a.holidays, frozenset)
    b = _terms(business_day="following", holidays=(dt.date(2024, 3, 12), dt.date(2024, 3, 11)))
    assert a == b
    assert hash(a) == hash(b)
    assert a.schedule.installments[1].due_date == dt.date(2024, 3, 13)
    assert pickle.loads(pickle.dumps(a)) == a
    named = _terms(business_day="following", holidays="CN")
    assert named.holidays == CN
    assert pickle.loads(pickle.dumps(named)) == named
    with pytest.raises(LoanMathError) as caught:
        attrs.evolve(named, business_day="none")  # evolve validates again
    assert caught.value.field == "holidays"  # type: ignore[attr-defined]


# --- bad inputs -----------------------------------------------------------------------------

BAD_TERMS = [
    ({"business_day": "folowing"}, "business_day"),
    ({"business_day": 3}, "business_day"),
    ({"business_day": None}, "business_day"),
    ({"accrual": "actual"}, "accrual"),
    ({"accrual": None}, "accrual"),
    ({"business_day": "following", "holidays": "CNN"}, "holidays"),
    ({"business_day": "following", "holidays": b"CN"}, "holidays"),
    ({"business_day": "following", "holidays": lambda d: False}, "holidays"),
    ({"business_day": "following", "holidays": 5}, "holidays"),
    ({"business_day": "following", "holidays": {"2024-03-11"}}, "holidays[]"),
    ({"business_day": "following", "holidays": [dt.datetime(2024, 3, 11, 9)]}, "holidays[]"),
    ({"holidays": "CN"}, "holidays"),  # a calendar that moves nothing
    ({"holidays": [dt.date(2024, 3, 11)]}, "holidays"),
    (
        {"business_day": "following", "holidays": "CN", "start_date": dt.date(2099, 1, 1)},
        "holidays",
    ),
    (  # two weekly instalments moved onto the same day (Feb 10 and Feb 17 → Feb 18)
        {
            "business_day": "following",
            "holidays": "CN",
            "frequency": "weekly",
            "start_date": dt.date(2024, 2, 3),
        },
        "business_day",
    ),
]


@pytest.mark.parametrize(("kw", "field"), BAD_TERMS)
def test_bad_terms_name_the_field(kw: dict[str, object], field: str) -> None:
    with pytest.raises(LoanMathError) as caught:
        _terms(**kw)
    assert caught.value.field == field  # type: ignore[attr-defined]
    assert field.rstrip("[]") in str(caught.value)


BAD_CALENDARS = [
    ((5,), {}, "name"),
    (("CNN",), {}, "name"),
    (("cn",), {}, "name"),
    (("GB",), {"subdivision": "XX"}, "subdivision"),
    (("GB",), {"subdivision": 3}, "subdivision"),
]


@pytest.mark.parametrize(("args", "kw", "field"), BAD_CALENDARS)
def test_bad_calendars_name_the_field(args: tuple, kw: dict, field: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(LoanMathError) as caught:
        HolidayCalendar(*args, **kw)
    assert caught.value.field == field  # type: ignore[attr-defined]


def test_bad_days_and_weekends_name_the_field() -> None:
    for call, field in (
        (lambda: CN.is_business_day("2024-01-01"), "day"),  # type: ignore[arg-type]
        (lambda: CN.is_holiday(dt.datetime(2024, 1, 1, 12)), "day"),
        (lambda: adjust(dt.date(2024, 2, 10), "following", CN, weekend=(4, 5)), "weekend"),
        (lambda: is_business_day(dt.date(2024, 2, 10), CN, weekend=()), "weekend"),
    ):
        with pytest.raises(LoanMathError) as caught:
            call()
        assert caught.value.field == field  # type: ignore[attr-defined]


def test_without_the_package_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from loanmath import calendars

    monkeypatch.setitem(sys.modules, "holidays", None)  # hidden: import raises ImportError
    calendars._names.cache_clear()
    try:
        with pytest.raises(MissingDependencyError) as caught:
            HolidayCalendar("CN")
        assert "loanmath[calendars]" in str(caught.value)
        with pytest.raises(MissingDependencyError):
            _terms(business_day="following", holidays="CN")
    finally:
        calendars._names.cache_clear()


# --- command line ---------------------------------------------------------------------------


def test_cli_quote_moves_due_dates(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from loanmath.cli import main

    base = ["quote", "12000", "--start", "2024-01-10", "--json"]
    assert main([*base, "--business-day", "following", "--holidays", "CN"]) == 0
    moved = [row["due_date"] for row in json.loads(capsys.readouterr().out)["schedule"]]
    assert moved == [after for _, after in LOAN_2024_DUE_10TH]
    assert main(base) == 0  # defaults unchanged
    plain = [row["due_date"] for row in json.loads(capsys.readouterr().out)["schedule"]]
    assert plain == [before for before, _ in LOAN_2024_DUE_10TH]


@pytest.mark.parametrize(
    ("extra", "option"),
    [
        (["--business-day", "folowing"], "--business-day 'folowing'"),
        (["--holidays", "CN"], "--holidays 'CN'"),
        (["--business-day", "following", "--holidays", "CNN"], "--holidays 'CNN'"),
    ],
)
@pytest.mark.parametrize("command", ["quote", "disclose"])
def test_cli_names_the_option_as_typed(
    command: str, extra: list[str], option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from loanmath.cli import main

    form = ["--format", "json"] if command == "disclose" else []
    assert main([command, "12000", "--start", "2024-01-10", *form, *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert option in err


@pytest.mark.parametrize("method", ["bullet", "interest_only", "equal_principal"])
def test_unadjusted_accrual_keeps_every_method_s_interest(method: str) -> None:
    # due 2024-02-10 (Spring Festival) → paid 2024-02-18; interest still to 2024-02-10
    def loan(**kw: object) -> LoanTerms:
        return LoanTerms(
            Money("12000.00", "CNY"),
            "0.12",
            1 if method == "bullet" else 12,
            start_date=dt.date(2024, 1, 10),
            method=method,
            day_count="ACT/365F",
            **kw,  # type: ignore[arg-type]
        )

    plain = loan().schedule.installments
    moved = loan(business_day="following", holidays="CN").schedule.installments
    assert moved[0].due_date == dt.date(2024, 2, 18)
    assert [r.interest for r in moved] == [r.interest for r in plain]
    assert moved[0].interest == _cents(Fraction(12000) * Fraction("0.12") * Fraction(31, 365))
    adjusted = loan(business_day="following", holidays="CN", accrual="adjusted")
    assert adjusted.schedule.installments[0].interest == _cents(
        Fraction(12000) * Fraction("0.12") * Fraction(39, 365)
    )
