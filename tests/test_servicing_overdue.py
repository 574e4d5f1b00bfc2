"""Overdue terms: the contract is the one source of truth (docs/servicing.md "Overdue terms",
C4–C8, C16), penalty is exact and no checkpoint moves a cent, and every figure the disclosure
states is what servicing charges.

Expected amounts are worked by hand in the comments (base × rate × days / 360, rounded once).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from servicing_support import START, reconcile, terms
from strategies import overdue_terms

from loanmath import LoanTerms, Money, OverdueTerms
from loanmath.caps import cn_private_lending
from loanmath.disclosure.quote import build_quote, quote_text
from loanmath.errors import InvalidInputError, LoanMathError
from loanmath.penalty import PenaltyPolicy
from loanmath.servicing import (
    Contact,
    Disbursement,
    FeeCharge,
    Loan,
    Reminder,
    Repayment,
    ServicingPolicy,
)

D = Decimal
DUE1 = dt.date(2024, 2, 15)  # instalment 1: principal 396.03, interest 12.00


def _loan(t: LoanTerms, policy: ServicingPolicy | None = None, *events: object) -> Loan:
    return Loan(t, "L", policy=policy or ServicingPolicy()).add(
        Disbursement("D", START),
        *events,  # type: ignore[arg-type]
    )


def _on(days: int) -> dt.date:
    return DUE1 + dt.timedelta(days=days)


# --- the contract's terms are the ones charged ----------------------------------------------


def test_the_contracts_grace_and_late_fee_are_charged() -> None:
    # The reproduction: disclosed "from 5 days after the due date, a late fee of 20".
    loan = _loan(terms(penalty_grace_days=5, late_fee="20"))
    within = loan.state(_on(5))
    assert (within.penalty_due, within.fees_due) == (0, 0)
    after = loan.state(_on(6))  # counted from the due date: 396.03 x 0.18 x 6/360 = 1.1881
    assert (after.penalty_due, after.fees_due) == (D("1.19"), D("20"))
    assert loan.state(dt.date(2024, 3, 15)).instalments[0].penalty == D("5.74")  # 29 days
    reconcile(loan, _on(6))


def test_no_agreed_overdue_terms_keep_the_contract_rate() -> None:
    # 法释〔2020〕17号 Art. 28: 396.03 x 0.12 x 29/360 = 3.8283 -> 3.83, ACT/360, no grace.
    loan = _loan(terms(overdue=OverdueTerms()))
    state = loan.state(dt.date(2024, 3, 15))
    assert state.instalments[0].penalty == D("3.83")
    assert state.overdue is not None
    assert (state.overdue.annual_rate, state.overdue.grace_days) == (D("0.12"), 0)
    assert state.overdue.late_fee is None


def test_penalty_amount_is_exact() -> None:
    # rate 0 with a 36 % margin; instalment 1 is 400.00: 400 x 0.36 x 11/360 = 4.40
    loan = _loan(terms(rate="0", overdue=OverdueTerms(margin="0.36")))
    assert loan.state(dt.date(2024, 2, 26)).penalty_due == D("4.40")


def test_a_policy_only_narrows_the_contract() -> None:
    contract = terms(overdue=OverdueTerms(multiple="1.5", grace_days=5, late_fee="20"))
    greedy = PenaltyPolicy(
        annual_rate="0.30", base="overdue_instalment", grace_days=1, compound=True, late_fee="50"
    )
    loan = _loan(contract, ServicingPolicy(penalty=greedy))
    force = loan.overdue_terms
    assert (force.annual_rate, force.base, force.compound) == (
        D("0.180"),
        "overdue_principal",
        False,
    )
    assert (force.grace_days, force.late_fee) == (5, D("20"))
    assert loan.state(_on(6)).penalty_due == D("1.19")  # as in the contract, not 30 % / 1 day
    # a lower rate, more grace and a smaller fee are the policy's to give:
    # 396.03 x 0.10 x 29/360 = 3.1903 -> 3.19
    kind = PenaltyPolicy(annual_rate="0.10", grace_days=7, late_fee="10")
    gentle = _loan(contract, ServicingPolicy(penalty=kind))
    assert gentle.state(_on(7)).fees_due == 0
    assert gentle.state(_on(8)).fees_due == D("10")
    assert gentle.state(dt.date(2024, 3, 15)).instalments[0].penalty == D("3.19")


def test_compound_and_bases_come_from_the_contract() -> None:
    # 29 days at 18 %: principal only 396.03 -> 5.7424 -> 5.74; with the 12.00 interest
    # (复利, or the principal+interest base) 408.03 x 0.18 x 29/360 = 5.9164 -> 5.92.
    day = dt.date(2024, 3, 15)
    for overdue, expected in (
        (OverdueTerms(multiple="1.5"), "5.74"),
        (OverdueTerms(multiple="1.5", compound=True), "5.92"),
        (OverdueTerms(multiple="1.5", base="overdue_principal_interest"), "5.92"),
    ):
        assert _loan(terms(overdue=overdue)).state(day).instalments[0].penalty == D(expected)
    # a policy cannot add 复利 the contract does not agree
    asked = ServicingPolicy(penalty=PenaltyPolicy(compound=True))
    assert _loan(terms(), asked).state(day).instalments[0].penalty == D("5.74")


def test_daily_rate_counts_actual_days() -> None:
    # 0.07 % a day: 396.03 x 0.0007 x 29 = 8.0394 -> 8.04
    loan = _loan(terms(overdue=OverdueTerms(daily_rate="0.0007")))
    assert loan.state(dt.date(2024, 3, 15)).instalments[0].penalty == D("8.04")


def test_a_policy_day_count_other_than_the_contracts_is_refused() -> None:
    policy = ServicingPolicy(penalty=PenaltyPolicy(day_count="ACT/365F"))
    with pytest.raises(InvalidInputError, match=r"penalty\.day_count='ACT/365F'.*contract"):
        Loan(terms(), "L", policy=policy)


def test_a_cap_lowers_what_a_policy_asks_to_the_contract_and_the_cap() -> None:
    # 4 x LPR (3.35 % on 1 Aug 2024) = 13.4 %; no overdue rate agreed: the contract's 12 %
    # continues; a policy asking 50 % gets 12 %: 396.03 x 0.12 x 29/360 = 3.8283 -> 3.83.
    t = LoanTerms(
        Money("1200.00", "CNY"),
        "0.12",
        3,
        start_date=START,
        caps=(cn_private_lending(dt.date(2024, 8, 1)),),
    )
    policy = ServicingPolicy(penalty=PenaltyPolicy(annual_rate="0.5"))
    assert _loan(t, policy).state(dt.date(2024, 3, 15)).instalments[0].penalty == D("3.83")


# --- grace: the base day by day -------------------------------------------------------------


def test_a_partial_payment_within_grace_lowers_the_base_only_from_its_day() -> None:
    # Grace 5. 300.00 paid on 18 Feb: 12.00 interest, 288.00 principal -> 108.03 left.
    # Still unpaid after grace, so penalty counts from the due date on each day's base:
    # 16-18 Feb on 396.03 (the base at the close of the day before), 19-21 Feb on 108.03:
    # (396.03 + 108.03) x 3 x 0.18 / 360 = 0.75609 -> 0.76 (not 108.03 x 6 days = 0.32).
    t = terms(penalty_grace_days=5)
    loan = _loan(t, None, Repayment("P", _on(3), amount="300.00"))
    assert loan.state(_on(5)).penalty_due == 0
    assert loan.state(_on(6)).penalty_due == D("0.76")


def test_paid_in_full_within_grace_bears_nothing() -> None:
    t = terms(penalty_grace_days=5, late_fee="20")
    loan = _loan(t, None, Repayment("P", _on(5), amount="408.03"))
    later = loan.state(dt.date(2024, 3, 1))
    assert (later.penalty_charged, later.fees_due, later.dpd) == (0, 0, 0)


# --- no checkpoint moves a cent -------------------------------------------------------------


def test_a_reminder_does_not_split_the_penalty() -> None:
    # 396.03 x 0.18 x 29/360 = 5.7424 -> 5.74; a reminder on 1 March used to split the span
    # into 14 + 15 days (2.7722 + 2.9702 -> 2.77 + 2.97, or 5.75 with other splits).
    plain = _loan(terms())
    reminded = _loan(terms(), None, *[Reminder(f"M{k}", _on(k)) for k in range(1, 29)])
    day = dt.date(2024, 3, 15)
    assert reminded.state(day) == plain.state(day)
    for k in range(1, 29):  # asking earlier dates first changes nothing either
        reminded.state(_on(k))
    assert reminded.state(day) == plain.state(day)


@st.composite
def _late_histories(draw: st.DrawFn) -> tuple[LoanTerms, list[object]]:
    overdue = draw(
        st.sampled_from(
            [
                OverdueTerms(multiple="1.5"),
                OverdueTerms(multiple="1.5", compound=True, grace_days=3, late_fee="15"),
                OverdueTerms(daily_rate="0.0005", base="overdue_instalment"),
                OverdueTerms(margin="0.0725", day_count="ACT/365F", grace_days=10),
                OverdueTerms(),
            ]
        )
    )
    t = terms(rate=str(D(draw(st.integers(100, 2400))).scaleb(-4)), term=4, overdue=overdue)
    events: list[object] = [Disbursement("D", START)]
    for k in range(draw(st.integers(0, 6))):
        day = START + dt.timedelta(days=draw(st.integers(20, 200)))
        if draw(st.booleans()):
            events.append(Repayment(f"P{k}", day, amount=str(draw(st.integers(1, 60000)) / 100)))
        else:
            events.append(FeeCharge(f"F{k}", day, amount=str(draw(st.integers(1, 3000)) / 100)))
    return t, events


def _build(t: LoanTerms, events: list[object]) -> Loan:
    loan = Loan(t, "L")
    for event in events:
        try:
            loan = loan.add(event)  # type: ignore[arg-type]
        except LoanMathError:
            continue
    return loan


@settings(max_examples=60, deadline=None)
@given(_late_histories(), st.lists(st.integers(1, 240), min_size=1, max_size=8))
def test_non_financial_events_and_report_dates_never_move_a_cent(
    history: tuple[LoanTerms, list[object]], offsets: list[int]
) -> None:
    t, events = history
    loan = _build(t, events)
    noisy = loan.add(
        *[Contact(f"C{k}", START + dt.timedelta(days=d)) for k, d in enumerate(offsets)]
    )
    end = START + dt.timedelta(days=250)
    for d in sorted(offsets):  # intermediate report dates asked first
        noisy.state(START + dt.timedelta(days=d))
    fresh = Loan(t, "L", loan.events)
    assert noisy.state(end) == fresh.state(end)

    def totals(x: Loan) -> dict[str, Decimal]:
        return {a: v for (a, _), v in x.journal(end).trial_balance().items()}

    assert totals(noisy) == totals(fresh)


# --- the disclosure states what servicing charges -------------------------------------------


def _disclosed(t: LoanTerms) -> tuple[Decimal, Decimal | None, int, Decimal | None]:
    """(annual rate, daily rate or None, grace days, late fee or None) read from the text."""
    text = quote_text(build_quote(t), "en_US")
    line = next(x for x in text.splitlines() if x.startswith("Overdue terms"))
    daily = re.search(r"at ([\d.]+)% a day", line)
    annual = re.search(r"at ([\d.]+)% a year", line) or re.search(r"\(([\d.]+)% a year", line)
    if annual is None:
        assert "No penalty interest is agreed" in line
        contract = re.search(r"Contract rate \(nominal, a year\): ([\d.]+)%", text)
        assert contract is not None
        annual = contract
    grace = re.search(r"if still unpaid (\d+) days after it", line)
    fee = re.search(r"late fee of CN¥([\d.,]+)", line)
    return (
        D(annual.group(1)) / 100,
        D(daily.group(1)) / 100 if daily else None,
        int(grace.group(1)) if grace else 0,
        D(fee.group(1).replace(",", "")) if fee else None,
    )


@settings(max_examples=80, deadline=None)
@given(overdue_terms(), st.integers(0, 28))  # instalment 2 is not late yet
def test_every_disclosed_figure_is_what_servicing_charges(overdue: OverdueTerms, late: int) -> None:
    # rates with at most two decimals in percent, so the disclosed figure is exact
    t = terms(rate="0.12", overdue=overdue)
    annual, daily, grace, fee = _disclosed(t)
    loan = _loan(t)
    principal = t.schedule.installments[0].principal
    days = grace + 1 + late
    state = loan.state(_on(days))
    exact = principal * daily * days if daily is not None else principal * annual * days / 360
    assert state.instalments[0].penalty == exact.quantize(D("0.01"), ROUND_HALF_UP)
    assert state.fees_due == (fee or 0)
    within = loan.state(_on(grace))
    assert (within.penalty_due, within.fees_due) == (0, 0)


# --- refusals and kinds -----------------------------------------------------------------------


def test_a_reversal_before_its_same_day_target_is_refused() -> None:
    from loanmath.servicing import Reversal

    loan = _loan(terms())
    before = loan.history_hash()
    with pytest.raises(InvalidInputError, match="comes before its target 'P'"):
        loan.add(Reversal("R", DUE1, target="P"), Repayment("P", DUE1, amount="408.03"))
    assert loan.history_hash() == before
    with pytest.raises(InvalidInputError, match="only a financial event can be reversed"):
        loan.add(Reminder("M", DUE1), Reversal("R", DUE1, target="M"))
    paid = loan.add(Repayment("P", DUE1, amount="408.03"), Reversal("R", DUE1, target="P"))
    with pytest.raises(InvalidInputError, match="already reversed"):
        paid.add(Reversal("R2", _on(1), target="P"))


def test_a_subclass_of_a_known_event_is_handled_as_its_base() -> None:
    @attrs.frozen
    class CardRepayment(Repayment):
        pass

    card = _loan(terms(), None, CardRepayment("P", DUE1, amount="408.03"))
    bank = _loan(terms(), None, Repayment("P", DUE1, amount="408.03"))
    assert card.state(_on(30)) == bank.state(_on(30))


def test_an_event_kind_the_library_does_not_know_is_refused_at_add() -> None:
    from loanmath.servicing import Event

    @attrs.frozen
    class Teleport(Event):
        pass

    loan = _loan(terms())
    with pytest.raises(InvalidInputError, match="event='Teleport': is not an event kind"):
        loan.add(Teleport("T", DUE1))


def test_policy_checks_hold_with_attrs_validators_switched_off() -> None:
    with attrs.validators.disabled(), pytest.raises(LoanMathError, match="accrual='x'"):
        ServicingPolicy(accrual="x")


def test_a_held_overpayment_pays_later_fees() -> None:
    # 500.00 paid on the first due date (408.03 due): 91.97 held; a 30.00 fee five days
    # later is paid from it at once; so is the instalment of 15 March.
    loan = _loan(
        terms(),
        None,
        Repayment("P", DUE1, amount="500.00"),
        FeeCharge("F", _on(5), amount="30.00"),
    )
    state = loan.state(_on(5))
    assert (state.fees_due, state.overpayment) == (0, D("61.97"))
    reconcile(loan, _on(5))
