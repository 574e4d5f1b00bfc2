"""Servicing: replay, allocation, penalty, and the acceptance test — the ledger reconciles
with the servicing state on every event date. (Ageing: test_ageing.py; the contract's overdue
terms and penalty: test_servicing_overdue.py.)"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from servicing_support import START, open_loan, reconcile, terms

from loanmath import LoanTerms, Money
from loanmath.errors import InvalidInputError, LoanMathError, UnknownNameError
from loanmath.penalty import PenaltyPolicy
from loanmath.servicing import (
    Contact,
    Disbursement,
    FeeCharge,
    Loan,
    Reminder,
    Repayment,
    Reversal,
    ServicingPolicy,
    Waiver,
    WriteOff,
    portfolio_rows,
)

D = Decimal


@st.composite
def histories(draw: st.DrawFn) -> tuple[LoanTerms, list[object]]:
    n = draw(st.integers(1, 8))
    t = LoanTerms(
        Money(draw(st.integers(100, 50_000)), "CNY"),
        D(draw(st.integers(0, 2400))).scaleb(-4),
        n,
        start_date=START,
        penalty_multiple="1.5",
    )
    regular = t.schedule.installments[0].payment
    events: list[object] = [Disbursement("D", START)]
    if draw(st.booleans()):  # paid out in tranches: a share now, the rest before maturity
        first = (t.principal.amount * D(draw(st.integers(1, 9))) / 10).quantize(D("0.01"))
        later = START + dt.timedelta(days=draw(st.integers(1, 31 * n - 1)))
        events = [Disbursement("D", START, amount=first), Disbursement("D2", later)]
    for k in range(draw(st.integers(0, 14))):
        kind = draw(
            st.sampled_from(["pay", "pay", "pay", "fee", "waive", "reverse", "writeoff", "remind"])
        )
        day = START + dt.timedelta(days=draw(st.integers(0, 31 * n + 120)))
        if kind == "pay":
            share = D(draw(st.integers(1, 300))) / 100
            events.append(
                Repayment(
                    f"P{k}", day, amount=max((regular * share).quantize(D("0.01")), D("0.01"))
                )
            )
        elif kind == "fee":
            events.append(FeeCharge(f"F{k}", day, amount=D(draw(st.integers(1, 5000))) / 100))
        elif kind == "waive":
            events.append(
                Waiver(
                    f"W{k}",
                    day,
                    amount=D(draw(st.integers(1, 2000))) / 100,
                    component=draw(st.sampled_from(["penalty", "fees", "interest"])),
                )
            )
        elif kind == "reverse":
            paid = [e for e in events if isinstance(e, Repayment) and e.date <= day]
            if paid:
                events.append(Reversal(f"R{k}", day, target=draw(st.sampled_from(paid)).id))
        elif kind == "writeoff":
            events.append(WriteOff(f"X{k}", day))
        else:
            events.append(Reminder(f"M{k}", day))
    return t, events


def build(t: LoanTerms, events: list[object], policy: ServicingPolicy | None = None) -> Loan:
    loan = Loan(t, "L", policy=policy or ServicingPolicy())
    for event in events:
        try:
            loan = loan.add(event)  # type: ignore[arg-type]
        except LoanMathError:
            continue  # a refused event (over-waiver, second write-off…) leaves the loan as is
    return loan


@settings(
    max_examples=int(os.environ.get("SERVICING_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    histories(),
    st.sampled_from(["period", "daily"]),
    st.sampled_from(["hold", "prepay", "keep_term", "keep_payment"]),
    st.sampled_from(["oldest_first", "by_instalment"]),
    st.sampled_from(
        [
            PenaltyPolicy(),
            PenaltyPolicy(compound=True),
            PenaltyPolicy(daily_rate="0.0005", late_fee="20", grace_days=3),
            PenaltyPolicy(base="overdue_instalment", stop_at_dpd=60),
        ]
    ),
)
def test_ledger_reconciles_with_state_on_every_event_date(
    history: tuple[LoanTerms, list[object]],
    accrual: str,
    overpayment: str,
    order: str,
    penalty: PenaltyPolicy,
) -> None:
    t, events = history
    policy = ServicingPolicy(
        accrual=accrual, overpayment=overpayment, instalment_order=order, penalty=penalty
    )
    loan = build(t, events, policy)
    dates = sorted({e.date for e in loan.events} | {START, loan.state().on})
    for day in dates:
        reconcile(loan, day)
        truncated = Loan(t, "L", [e for e in loan.events if e.date <= day], policy)
        assert truncated.state(day) == loan.state(day)
    later = loan.state().on + dt.timedelta(days=45)  # carried on from the cached last day
    fresh = Loan(t, "L", loan.events, policy)
    assert loan.state(later) == fresh.state(later)
    assert [x.canonical() for x in loan.transactions(later)] == [
        x.canonical() for x in fresh.transactions(later)
    ]
    final = loan.state()
    if not final.written_off:
        charged = (
            final.drawn
            + t.schedule.financed_fees
            - final.outstanding_principal
            + final.interest_charged
            + final.fees_charged
            + final.penalty_charged
            - final.waived
            - final.interest_due
            - final.interest_accrued
            - final.fees_due
            - final.penalty_due
        )
        assert final.paid == charged + final.overpayment
    assert Loan(t, "L", loan.events, policy).journal().hashes() == loan.journal().hashes()


def test_a_state_asked_again_is_the_state_of_a_fresh_loan() -> None:
    """The last state read is kept; asking other days in between never serves a stale one."""
    loan = open_loan().add(Repayment("P", dt.date(2024, 2, 15), amount="408.03"))
    days = [dt.date(2024, 3, 20), dt.date(2024, 2, 20), dt.date(2024, 3, 20), None, None]
    for day in days:
        fresh = Loan(loan.terms, loan.loan_id, loan.events, loan.policy)
        assert loan.state(day) == fresh.state(day)
    assert loan.state(days[0]) is loan.state(days[0])  # the kept value, not a rebuilt one
    rows = portfolio_rows([loan] * 3, dt.date(2024, 3, 20))
    assert [r.dpd for r in rows] == [fresh.state(dt.date(2024, 3, 20)).dpd] * 3


def test_a_refused_event_leaves_the_loan_as_it_was() -> None:
    loan = open_loan()
    before = (loan.events, loan.state(), loan.journal().head)
    for bad, error in (
        (Repayment("P", dt.date(2024, 1, 1), amount="10"), InvalidInputError),
        (Waiver("W", START, amount="5", component="penalty"), InvalidInputError),
        (Reversal("R", START, target="nope"), UnknownNameError),
    ):
        with pytest.raises(error):
            loan.add(bad)
    assert (loan.events, loan.state(), loan.journal().head) == before


def test_repayment_before_disbursement_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="before the disbursement"):
        Loan(terms(), "L").add(Repayment("P", START, amount="10"))


def test_bad_events() -> None:
    with pytest.raises(InvalidInputError, match="amount"):
        Repayment("P", START, amount="-5")
    with pytest.raises(UnknownNameError):
        Waiver("W", START, amount="1", component="principal")
    loan = open_loan()
    with pytest.raises(InvalidInputError, match="other content"):
        loan.add(Repayment("D", START, amount="1"))
    assert loan.add(Disbursement("D", START)) == loan  # idempotent


def test_on_time_payments_and_allocation() -> None:
    loan = open_loan()
    for k, day in enumerate((dt.date(2024, 2, 15), dt.date(2024, 3, 15), dt.date(2024, 4, 15))):
        amount = loan.terms.schedule.installments[k].payment
        loan = loan.add(Repayment(f"P{k}", day, amount=amount))
    final = loan.state()
    assert final.outstanding_principal == 0
    assert final.dpd == 0
    assert final.penalty_charged == 0
    reconcile(loan, final.on)


def test_late_payment_bears_penalty_and_ages() -> None:
    loan = open_loan()
    late = loan.state(dt.date(2024, 3, 20))  # instalment 1 due 15 Feb unpaid: 34 days late
    assert late.dpd == 34
    assert late.bucket == "M2"
    # penalty: 18 % (1.5 x 12 %) a year on overdue principal 396.03 ... for 34 days, ACT/360
    # plus instalment 2 overdue principal for 5 days
    assert late.penalty_due > 0
    assert late.penalty_due == late.penalty_charged
    reconcile(loan, dt.date(2024, 3, 20))
    payoff = loan.payoff(dt.date(2024, 3, 20))
    held = loan.add(Repayment("P", dt.date(2024, 3, 20), amount=payoff))
    settled = held.state(dt.date(2024, 3, 20))
    assert settled.total_due == 0
    assert settled.outstanding_principal == settled.overpayment  # held against the last one
    prepay = Loan(loan.terms, "L1", loan.events, ServicingPolicy(overpayment="prepay"))
    done_loan = prepay.add(Repayment("P", dt.date(2024, 3, 20), amount=payoff))
    done = done_loan.state(dt.date(2024, 3, 20))
    assert done.outstanding_principal == 0
    assert done.overpayment == 0
    assert done.total_due == 0
    reconcile(done_loan, dt.date(2024, 3, 20))


def test_overpayment_is_held_then_applied() -> None:
    loan = open_loan().add(Repayment("P", dt.date(2024, 2, 15), amount="500.00"))
    s = loan.state(dt.date(2024, 2, 15))
    assert s.overpayment == D("500.00") - loan.terms.schedule.installments[0].payment
    s2 = loan.state(dt.date(2024, 3, 15))
    assert s2.overpayment == 0
    reconcile(loan, dt.date(2024, 3, 15))


def test_waterfall_order_is_configurable() -> None:
    base = Loan(
        terms(), "L", policy=ServicingPolicy(waterfall="interest_principal_penalty_fees")
    ).add(Disbursement("D", START))
    loan = base.add(
        FeeCharge("F", dt.date(2024, 2, 1), amount="30"),
        Repayment("P", dt.date(2024, 2, 15), amount="408.03"),
    )
    assert loan.state(dt.date(2024, 2, 15)).fees_due == D("30")  # fees come last
    other = open_loan().add(
        FeeCharge("F", dt.date(2024, 2, 1), amount="30"),
        Repayment("P", dt.date(2024, 2, 15), amount="408.03"),
    )
    assert other.state(dt.date(2024, 2, 15)).fees_due == 0  # fees first by default
    with pytest.raises(InvalidInputError, match="must order"):
        ServicingPolicy(waterfall=("interest", "principal"))


def test_bounced_payment_is_reversed_and_penalty_recomputed() -> None:
    paid = open_loan().add(Repayment("P1", dt.date(2024, 2, 15), amount="408.03"))
    assert paid.state(dt.date(2024, 3, 1)).dpd == 0
    bounced = paid.add(Reversal("R1", dt.date(2024, 3, 1), target="P1"))
    s = bounced.state(dt.date(2024, 3, 1))
    assert s.dpd == 15
    assert s.penalty_due > 0
    reconcile(bounced, dt.date(2024, 3, 1))
    journal = bounced.journal()
    assert journal.get(paid.journal().get("L1:3").id) is not None  # old postings kept
    corrections = [t for t in journal if dict(t.meta).get("reverses-event") == "P1"]
    assert len(corrections) == 1


def test_write_off_and_recovery() -> None:
    loan = open_loan().add(
        WriteOff("X", dt.date(2024, 6, 1)), Repayment("P", dt.date(2024, 7, 1), amount="100")
    )
    s = loan.state()
    assert s.written_off
    assert s.outstanding_principal == 0
    assert s.recovered == D("100")
    j = loan.journal()
    assert j.balance("Income:Loans:Recoveries", "CNY") == D("-100")
    assert j.balance("Expenses:Loans:WriteOff", "CNY") > D("1200")
    reconcile(loan, s.on)
    # C13: it keeps ageing on the instalments as they stood (nothing was ever paid):
    # the first instalment fell due on 15 Feb, so on 1 Jul it is 137 days past due -> M5.
    assert (s.dpd, s.bucket) == (137, "M5")
    assert loan.state(dt.date(2024, 9, 1)).dpd == 199  # and goes on: M7+
    assert loan.state(dt.date(2024, 9, 1)).bucket == "M7+"


def test_waiver() -> None:
    loan = open_loan()
    owed = loan.state(dt.date(2024, 3, 1)).penalty_due
    waived = loan.add(Waiver("W", dt.date(2024, 3, 1), amount=owed, component="penalty"))
    assert waived.state(dt.date(2024, 3, 1)).penalty_due == 0
    with pytest.raises(InvalidInputError, match="waives more"):
        loan.add(Waiver("W", dt.date(2024, 3, 1), amount=owed + 1, component="penalty"))


def test_non_financial_events_are_kept_and_touch_nothing() -> None:
    loan = open_loan()
    noted = loan.add(
        Reminder("M1", dt.date(2024, 2, 12)),
        Contact("C1", dt.date(2024, 2, 20), outcome="promised", agent="A7"),
    )
    assert noted.state(dt.date(2024, 2, 20)) == loan.state(dt.date(2024, 2, 20))
    assert [e.id for e in noted.history()] == ["D", "M1", "C1"]
    assert noted.history_hash() != loan.history_hash()


def test_replay_is_identical_in_a_fresh_process() -> None:
    code = (
        "import datetime as dt\n"
        "from loanmath import LoanTerms, Money\n"
        "from loanmath.servicing import Loan, Disbursement, Repayment, Reversal\n"
        "s=dt.date(2024,1,15)\n"
        "t=LoanTerms(Money('5000.00','CNY'),'0.18',6,start_date=s,penalty_multiple='1.5')\n"
        "l=Loan(t,'L').add(Disbursement('D',s),Repayment('P',dt.date(2024,3,20),amount='900'),"
        "Reversal('R',dt.date(2024,3,25),target='P'))\n"
        "print(l.journal(dt.date(2024,9,1)).head, l.state(dt.date(2024,9,1)))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    }
    assert len(outputs) == 1


def test_eligible_to_reborrow() -> None:
    good = open_loan()
    for k, day in enumerate((dt.date(2024, 2, 15), dt.date(2024, 3, 15), dt.date(2024, 4, 15))):
        good = good.add(Repayment(f"P{k}", day, amount=good.terms.schedule.installments[k].payment))
    assert good.eligible_to_reborrow(dt.date(2024, 6, 1))
    bad = open_loan().add(
        Repayment("P", dt.date(2024, 4, 20), amount=open_loan().payoff(dt.date(2024, 4, 20)))
    )
    assert not bad.eligible_to_reborrow(dt.date(2024, 6, 1), max_dpd=30)


def test_money_in_another_currency_is_refused() -> None:
    loan = open_loan()
    with pytest.raises(InvalidInputError, match="currency"):
        loan.add(Repayment("P", dt.date(2024, 2, 15), amount=Money("408.03", "USD")))
    ok = loan.add(Repayment("P", dt.date(2024, 2, 15), amount=Money("408.03", "CNY")))
    assert ok.state(dt.date(2024, 2, 15)).dpd == 0


def test_events_out_of_date_order_are_sorted() -> None:
    a = open_loan().add(
        Repayment("P2", dt.date(2024, 3, 15), amount="408.03"),
        Repayment("P1", dt.date(2024, 2, 15), amount="408.03"),
    )
    b = open_loan().add(
        Repayment("P1", dt.date(2024, 2, 15), amount="408.03"),
        Repayment("P2", dt.date(2024, 3, 15), amount="408.03"),
    )
    assert a.state(dt.date(2024, 4, 1)) == b.state(dt.date(2024, 4, 1))


def test_money_amounts_hash_with_their_currency() -> None:
    day = dt.date(2024, 2, 15)
    as_money = open_loan().add(Repayment("P", day, amount=Money("408.03", "CNY")))
    as_decimal = open_loan().add(Repayment("P", day, amount="408.03"))
    assert as_money.state(day) == as_decimal.state(day)
    assert as_money.history_hash() != as_decimal.history_hash()  # the record differs
    assert '"amount":"408.03 CNY"' in as_money.events[-1].canonical()


def test_contact_time_must_be_a_time() -> None:
    with pytest.raises(InvalidInputError, match=r"at='10:30': must be a datetime\.time"):
        Contact("C", START, at="10:30")  # type: ignore[arg-type]
    contact = Contact("C", START, at=dt.time(10, 30), channel="sms", outcome="no answer")
    loan = open_loan().add(contact)
    assert loan.history()[-1] == contact
    assert loan.state(START) == open_loan().state(START)  # never touches balances


@settings(
    max_examples=int(os.environ.get("SERVICING_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    histories(),
    st.sampled_from(["period", "daily"]),
    st.sampled_from(["prepay", "keep_term", "keep_payment"]),  # "hold" holds it (C9)
    st.sampled_from(["oldest_first", "by_instalment"]),
    st.integers(0, 400),
)
def test_paying_the_payoff_closes_the_loan(
    history: tuple[LoanTerms, list[object]], accrual: str, overpayment: str, order: str, after: int
) -> None:
    """Whatever happened before, paying `payoff(d)` on d under a prepaying policy leaves
    nothing owed; money held before stays held (owed to the borrower, C17 e)."""
    t, events = history
    policy = ServicingPolicy(accrual=accrual, overpayment=overpayment, instalment_order=order)
    loan = build(t, events, policy)
    day = loan.state().on + dt.timedelta(days=after)
    state = loan.state(day)
    amount = loan.payoff(day)
    if state.written_off or not state.disbursed or state.drawn < t.principal.amount or amount <= 0:
        return
    done = loan.add(Repayment("PAYOFF", day, amount=amount)).state(day)
    assert (done.outstanding_principal, done.total_due, done.interest_accrued) == (0, 0, 0)
    assert done.overpayment == state.overpayment
