"""Servicing: replay, allocation, penalty, ageing, and the acceptance test — the ledger
reconciles with the servicing state on every event date."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loanmath import Fee, LoanTerms, Money
from loanmath.ageing import (
    CN_M,
    IFRS9_STAGES,
    US_RETAIL_CLOSED_END,
    US_RETAIL_OPEN_END,
    Bucket,
    BucketSet,
    LoanAgeing,
    portfolio_ageing,
    reminder_dates,
    roll_rates,
)
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

START = dt.date(2024, 1, 15)
D = Decimal


def terms(principal: str = "1200.00", rate: str = "0.12", term: int = 3, **kw: object) -> LoanTerms:
    return LoanTerms(
        Money(principal, "CNY"), rate, term, start_date=START, penalty_multiple="1.5", **kw
    )  # type: ignore[arg-type]


def open_loan(**kw: object) -> Loan:
    return Loan(terms(**kw), "L1").add(Disbursement("D", START))


# --- the acceptance test ---------------------------------------------------------------


def reconcile(loan: Loan, on: dt.date) -> None:
    state = loan.state(on)
    journal = loan.journal(on)
    chart = loan.chart

    def balance(role: str) -> Decimal:
        return journal.balance(chart.role(role).name, "CNY")

    assert balance("principal_receivable") == state.outstanding_principal
    assert balance("interest_receivable") == state.interest_due + state.interest_accrued
    assert balance("fee_receivable") == state.fees_due
    assert balance("penalty_receivable") == state.penalty_due
    assert balance("overpayment") == -state.overpayment
    assert balance("custody") == state.paid - state.disbursed_amount
    rows = state.instalments
    assert sum(i.principal for i in rows) == (
        0 if state.written_off else state.outstanding_principal
    )
    assert sum(i.principal for i in rows if i.due_date <= on) == state.principal_due
    assert sum(i.penalty for i in rows) == state.penalty_due
    assert all(v == 0 for v in _by_currency(journal.trial_balance()).values())


def _by_currency(balances: dict[tuple[str, str], Decimal]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for (_, currency), amount in balances.items():
        out[currency] = out.get(currency, D(0)) + amount
    return out


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
    fresh = loan._fresh_replay(later, frozenset())
    assert loan.state(later) == Loan(t, "L", loan.events, policy).state(later)
    assert [x.canonical() for x in loan.transactions(later)] == [x.canonical() for x in fresh.txns]
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


def test_penalty_amount_is_exact() -> None:
    policy = ServicingPolicy(penalty=PenaltyPolicy(annual_rate="0.36", base="overdue_principal"))
    loan = Loan(terms(rate="0"), "L", policy=policy).add(Disbursement("D", START))
    # instalment 1: 400.00 principal due 15 Feb; on 26 Feb: 11 days x 36 % / 360 x 400 = 4.40
    assert loan.state(dt.date(2024, 2, 26)).penalty_due == D("4.40")


def test_grace_days_and_late_fee() -> None:
    policy = ServicingPolicy(penalty=PenaltyPolicy(grace_days=3, late_fee="15"))
    loan = Loan(terms(), "L", policy=policy).add(Disbursement("D", START))
    assert loan.state(dt.date(2024, 2, 18)).penalty_due == 0  # within grace
    assert loan.state(dt.date(2024, 2, 18)).fees_due == 0
    after = loan.state(dt.date(2024, 2, 19))
    assert after.fees_due == D("15")
    assert after.penalty_due > 0  # counted from the due date once grace is over


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


def test_eligible_to_reborrow_and_reminders() -> None:
    good = open_loan()
    for k, day in enumerate((dt.date(2024, 2, 15), dt.date(2024, 3, 15), dt.date(2024, 4, 15))):
        good = good.add(Repayment(f"P{k}", day, amount=good.terms.schedule.installments[k].payment))
    assert good.eligible_to_reborrow(dt.date(2024, 6, 1))
    bad = open_loan().add(
        Repayment("P", dt.date(2024, 4, 20), amount=open_loan().payoff(dt.date(2024, 4, 20)))
    )
    assert not bad.eligible_to_reborrow(dt.date(2024, 6, 1), max_dpd=30)
    assert reminder_dates([dt.date(2024, 2, 15)])[0][0] == dt.date(2024, 2, 12)


def test_bucket_presets_and_portfolio() -> None:
    assert [CN_M.bucket(d) for d in (0, 1, 30, 31, 180, 181)] == [
        "M0",
        "M1",
        "M1",
        "M2",
        "M6",
        "M7+",
    ]
    assert IFRS9_STAGES.bucket(31) == "Stage 2"
    assert IFRS9_STAGES.bucket(91) == "Stage 3"
    assert US_RETAIL_CLOSED_END.bucket(90) == "Substandard"
    assert US_RETAIL_CLOSED_END.bucket(120) == "Loss"
    assert US_RETAIL_OPEN_END.bucket(179) == "Substandard"
    with pytest.raises(InvalidInputError, match="no gaps"):
        BucketSet("bad", (Bucket("a", 0, 5), Bucket("b", 7, None)))
    loans = [open_loan(), open_loan().add(Repayment("P", dt.date(2024, 2, 15), amount="408.03"))]
    loans = [Loan(x.terms, f"L{i}", x.events) for i, x in enumerate(loans)]
    report = portfolio_ageing(portfolio_rows(loans, dt.date(2024, 3, 20)), dt.date(2024, 3, 20))
    assert report.count["M2"] == 1
    assert report.count["M1"] == 1
    matrix = roll_rates(
        portfolio_rows(loans, dt.date(2024, 2, 20)), portfolio_rows(loans, dt.date(2024, 3, 20))
    )
    assert matrix["M1"]["M2"] == 1
    assert report.par[30] > 0
    assert sum(LoanAgeing("x", 0, D(1)).outstanding for _ in range(2)) == 2


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


def test_uk_default_fees_stop_at_15_pounds() -> None:
    from loanmath.caps import UK_HCSTC

    t = LoanTerms(Money("300.00", "GBP"), "0.5", 3, start_date=START, caps=(UK_HCSTC,))
    policy = ServicingPolicy(penalty=PenaltyPolicy(annual_rate="0", late_fee="10"))
    loan = Loan(t, "UK", policy=policy).add(Disbursement("D", START))
    assert loan.state(dt.date(2024, 5, 1)).fees_due == D("15.00")  # 10 + 5, not 30


@pytest.mark.parametrize(
    ("mode", "term", "payment"), [("keep_term", 2, "lower"), ("keep_payment", 1, "same")]
)
def test_partial_prepayment_reamortises(mode: str, term: int, payment: str) -> None:
    """1,200 over 3 months; on the first due date 408.03 + 600 paid: the rest re-amortised."""
    policy = ServicingPolicy(overpayment=mode)
    loan = Loan(terms(), "L", policy=policy).add(
        Disbursement("D", START), Repayment("P", dt.date(2024, 2, 15), amount="1008.03")
    )
    state = loan.state(dt.date(2024, 2, 15))
    assert state.overpayment == 0
    assert state.outstanding_principal == D("1200.00") - D("396.03") - D("600.00")
    reconcile(loan, dt.date(2024, 2, 15))
    book = loan._replay(dt.date(2024, 2, 15))
    remaining = [r for r in book.rows if r[0] > dt.date(2024, 2, 15)]
    assert len(remaining) == term
    instalment = remaining[0][1] + remaining[0][2]
    if payment == "lower":  # keep the term: two instalments, each below the old 408.03
        assert instalment < D("408.03")
    else:  # keep the instalment: one last instalment clears 203.97 and its interest
        assert remaining[0][1] == D("203.97")
    final = loan.add(
        *[Repayment(f"Q{k}", r[0], amount=r[1] + r[2]) for k, r in enumerate(remaining)]
    )
    assert final.state().outstanding_principal == 0
    reconcile(final, final.state().on)


@pytest.mark.parametrize("accrual", ["period", "daily"])
def test_mid_period_prepayment_keeps_the_interest_already_earned(accrual: str) -> None:
    """Prepaying on 1 March (14 of February-March's 29 days gone) re-amortises, but the interest
    earned on the old balance for those 14 days stays owed in the next instalment."""
    policy = ServicingPolicy(overpayment="keep_term", accrual=accrual)
    base = Loan(terms(), "L", policy=policy).add(
        Disbursement("D", START), Repayment("P1", dt.date(2024, 2, 15), amount="408.03")
    )
    loan = base.add(Repayment("P2", dt.date(2024, 3, 1), amount="400.00"))
    book = loan._replay(dt.date(2024, 3, 1))
    old_interest = base._replay(dt.date(2024, 3, 1)).rows[1][2]  # 8.04 on 803.97 for the month
    earned = (Decimal(old_interest) * 14 / 29).quantize(D("0.01"))  # 3.88
    new_first = book.rows[1]
    assert new_first[0] == dt.date(2024, 3, 15)
    assert new_first[2] >= earned
    reconcile(loan, dt.date(2024, 3, 1))
    done = loan.add(
        *[
            Repayment(f"Q{k}", r[0], amount=r[1] + r[2] - r[4] - r[5])
            for k, r in enumerate(book.rows[1:])
        ]
    )
    assert done.state().outstanding_principal == 0
    reconcile(done, done.state().on)


# --- tranches -----------------------------------------------------------------------------


def test_tranches_charge_interest_only_on_what_is_drawn() -> None:
    # 1,200 CNY at 12 % a year over 3 months, drawn 600 on 15 Jan and the rest on 1 Feb.
    # Figures by hand: the annuity on 600 at 1 % a month is 600 * 0.01 / (1 - 1.01**-3)
    # = 204.0133 -> 204.01 (interest 6.00, principal 198.01). After the second tranche the
    # first instalment's interest is 600 * 1 % * 17/31 = 3.2903 -> 3.29 earned before it
    # plus 1,200 * 1 % * 14/31 = 5.4194 -> 5.42 after it; the principal keeps the 1,200
    # annuity split 408.03 - 12.00 = 396.03, and months 2 and 3 are the 1,200 schedule's.
    loan = Loan(terms(), "L").add(Disbursement("D1", START, amount="600"))
    first = loan.state(dt.date(2024, 2, 15))
    assert (first.principal_due, first.interest_due) == (D("198.01"), D("6.00"))
    assert (first.drawn, first.outstanding_principal) == (D("600"), D("600.00"))

    loan = loan.add(Disbursement("D2", dt.date(2024, 2, 1)))
    due = loan.state(dt.date(2024, 2, 15))
    assert (due.drawn, due.disbursed_amount, due.outstanding_principal) == (
        D("1200.00"),
        D("1200.00"),
        D("1200.00"),
    )
    assert (due.principal_due, due.interest_due, due.total_due) == (
        D("396.03"),
        D("8.71"),
        D("404.74"),
    )
    payments = [("2024-02-15", "404.74"), ("2024-03-15", "408.03"), ("2024-04-15", "408.02")]
    for k, (day, amount) in enumerate(payments):
        loan = loan.add(Repayment(f"P{k}", dt.date.fromisoformat(day), amount=amount))
    for day in sorted({e.date for e in loan.events}):
        reconcile(loan, day)
    end = loan.state(dt.date(2024, 4, 15))
    assert (end.outstanding_principal, end.total_due, end.dpd) == (0, 0, 0)
    assert end.interest_charged == D("20.79")  # 8.71 + 8.04 + 4.04, not the whole loan's 24.08
    assert end.paid == D("1220.79")


def test_first_tranche_carries_the_upfront_fee() -> None:
    t = terms(fees=(Fee("origination", "upfront", amount="200"),))
    loan = Loan(t, "L").add(
        Disbursement("D1", START, amount="600"), Disbursement("D2", dt.date(2024, 3, 1))
    )
    assert loan.state(START).disbursed_amount == D("400.00")  # 600 less the 200 fee
    assert loan.state(dt.date(2024, 3, 1)).disbursed_amount == D("1000.00")
    for day in (START, dt.date(2024, 2, 15), dt.date(2024, 3, 1), dt.date(2024, 5, 1)):
        reconcile(loan, day)


@pytest.mark.parametrize(
    ("kw", "events", "message"),
    [
        ({}, [Disbursement("D", START, amount="1300")], "at most the undrawn principal 1200"),
        (
            {},
            [
                Disbursement("D", START, amount="600"),
                Disbursement("D2", dt.date(2024, 2, 1), amount="700"),
            ],
            "at most the undrawn principal 600",
        ),
        ({}, [Disbursement("D", dt.date(2024, 1, 16))], "start date 2024-01-15"),
        (
            {},
            [
                Disbursement("D", START, amount="600"),
                Disbursement("D2", dt.date(2024, 4, 15)),
            ],
            "before the last due date 2024-04-15",
        ),
        (
            {"method": "interest_only"},
            [Disbursement("D", START, amount="600")],
            "annuity and equal-principal",
        ),
        (
            {"fees": (Fee("origination", "upfront", amount="200"),)},
            [Disbursement("D", START, amount="150")],
            "exceed the upfront fees 200",
        ),
        (
            {},
            [
                Disbursement("D", START, amount="600"),
                WriteOff("X", dt.date(2024, 6, 1)),
                Disbursement("D2", dt.date(2024, 6, 2)),
            ],
            "written off",
        ),
        ({}, [Disbursement("D", START, amount=Money("600", "USD"))], "currency"),
    ],
)
def test_bad_tranches_are_refused(
    kw: dict[str, object], events: list[Disbursement], message: str
) -> None:
    loan = Loan(terms(**kw), "L")
    with pytest.raises(InvalidInputError, match=message):
        loan.add(*events)


def test_a_tranche_amount_must_be_positive() -> None:
    with pytest.raises(InvalidInputError, match=r"amount=Decimal\('0'\): must be > 0"):
        Disbursement("D", START, amount="0")


def test_money_amounts_hash_with_their_currency() -> None:
    day = dt.date(2024, 2, 15)
    as_money = open_loan().add(Repayment("P", day, amount=Money("408.03", "CNY")))
    as_decimal = open_loan().add(Repayment("P", day, amount="408.03"))
    assert as_money.state(day) == as_decimal.state(day)
    assert as_money.history_hash() != as_decimal.history_hash()  # the record differs
    assert '"amount":"408.03 CNY"' in as_money.events[-1].canonical()


# --- UK HCSTC caps on default charges (CONC 5A.3.2R total cost, 5A.3.18R default cap) ------


def _uk_terms(**kw: object) -> LoanTerms:
    from loanmath.caps import UK_HCSTC

    return LoanTerms(Money("300.00", "GBP"), "0.5", 3, start_date=START, caps=(UK_HCSTC,), **kw)  # type: ignore[arg-type]


def test_uk_default_interest_is_held_to_the_contract_rate() -> None:
    # Unpaid first instalment (principal 95.95) from 15 Feb to 15 Mar 2024 (29 days), ACT/360:
    # 95.95 x 0.5 x 29 / 360 = 3.8646 -> 3.86, whatever higher rate the policy asks for.
    t = _uk_terms(penalty_multiple="1")
    for rate in ("2.0", "0.5"):
        policy = ServicingPolicy(penalty=PenaltyPolicy(annual_rate=rate))
        loan = Loan(t, "UK", policy=policy).add(Disbursement("D", START))
        assert loan.state(dt.date(2024, 3, 15)).penalty_due == D("3.86")


def test_uk_overdue_rate_above_the_contract_rate_is_refused() -> None:
    from loanmath.errors import RateCapExceeded

    with pytest.raises(
        RateCapExceeded, match=r"default interest cap.*0\.75 exceeds the limit 0\.5"
    ):
        _uk_terms(penalty_multiple="1.5")


def test_uk_total_cost_cap_stops_default_charges_at_the_credit() -> None:
    # Never repaid: interest (25.34) + penalty + late fees stop at 100 % of the 300 credit.
    policy = ServicingPolicy(penalty=PenaltyPolicy(late_fee="10"))
    loan = Loan(_uk_terms(penalty_multiple="1"), "UK", policy=policy).add(Disbursement("D", START))
    end = loan.state(dt.date(2027, 1, 15))
    charged = end.interest_charged + end.fees_charged + end.penalty_charged
    assert charged == D("300.00")
    assert end.fees_charged == D("15.00")  # the £15 default-fee cap still holds
    reconcile_gbp = loan.journal(dt.date(2027, 1, 15)).balance(
        loan.chart.role("penalty_receivable").name, "GBP"
    )
    assert reconcile_gbp == end.penalty_due
    with pytest.raises(InvalidInputError, match=r"room for 0\.00 more"):
        loan.add(FeeCharge("F", dt.date(2027, 1, 16), amount="1"))


# --- instalment order -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("order", "first", "second"),
    [
        # oldest_first: all penalty, then all interest (12.00 + 8.04), then principal oldest
        # first: 50 - 5.74 - 20.04 = 24.22 of instalment 1's principal; instalment 2 keeps
        # its 399.99 principal.
        ("oldest_first", ("371.81", "0.00", "0.00"), ("399.99", "0.00", "0.00")),
        # by_instalment: instalment 1 whole first (5.74 penalty + 12.00 interest + 32.26
        # principal = 50), instalment 2 untouched (8.04 interest still owed).
        ("by_instalment", ("363.77", "0.00", "0.00"), ("399.99", "8.04", "0.00")),
    ],
)
def test_instalment_order(
    order: str, first: tuple[str, str, str], second: tuple[str, str, str]
) -> None:
    # 1,200 / 12 % / 3 months, penalty 18 % a year (1.5 x) on overdue principal, ACT/360.
    # Nothing paid until 15 March: instalment 1 has 396.03 x 0.18 x 29/360 = 5.74 penalty;
    # instalment 2 (due that day) none yet. Then 50.00 is paid.
    policy = ServicingPolicy(instalment_order=order)
    loan = Loan(terms(), "L", policy=policy).add(
        Disbursement("D", START), Repayment("P", dt.date(2024, 3, 15), amount="50.00")
    )
    rows = loan.state(dt.date(2024, 3, 15)).instalments
    assert (rows[0].principal, rows[0].interest, rows[0].penalty) == tuple(map(D, first))
    assert (rows[1].principal, rows[1].interest, rows[1].penalty) == tuple(map(D, second))
    reconcile(loan, dt.date(2024, 3, 15))


@pytest.mark.parametrize("field", ["instalment_order", "accrual", "overpayment"])
def test_policy_names_are_checked(field: str) -> None:
    with pytest.raises(UnknownNameError, match=f"{field}='newest_first'") as caught:
        ServicingPolicy(**{field: "newest_first"})  # type: ignore[arg-type]
    assert caught.value.choices


# --- penalty: 复利 and daily rates ------------------------------------------------------------


def _penalty_on_first(penalty: PenaltyPolicy) -> Decimal:
    loan = Loan(terms(), "L", policy=ServicingPolicy(penalty=penalty)).add(Disbursement("D", START))
    return loan.state(dt.date(2024, 3, 15)).instalments[0].penalty


def test_compound_charges_penalty_on_overdue_interest_too() -> None:
    # Instalment 1 unpaid 15 Feb -> 15 Mar 2024 (29 days) at 18 % (1.5 x 12 %) on ACT/360:
    # principal only 396.03 x 0.18 x 29/360 = 5.7425 -> 5.74; with 复利 the 12.00 of overdue
    # interest joins the base: 408.03 x 0.18 x 29/360 = 5.9164 -> 5.92.
    assert _penalty_on_first(PenaltyPolicy()) == D("5.74")
    assert _penalty_on_first(PenaltyPolicy(compound=True)) == D("5.92")
    assert _penalty_on_first(PenaltyPolicy(base="overdue_principal_interest")) == D("5.92")


def test_daily_penalty_rate_ignores_the_day_count() -> None:
    # 0.07 % a day: 396.03 x 0.0007 x 29 = 8.0394 -> 8.04, on any day count.
    for day_count in ("ACT/360", "ACT/365F"):
        policy = PenaltyPolicy(daily_rate="0.0007", day_count=day_count)
        assert _penalty_on_first(policy) == D("8.04")


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"daily_rate": "0.0005", "annual_rate": "0.18"}, "not both"),
        ({"daily_rate": "-0.0005"}, r"daily_rate=Decimal\('-0.0005'\): must be >= 0"),
    ],
)
def test_bad_daily_rate(kw: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        PenaltyPolicy(**kw)  # type: ignore[arg-type]


def test_chinese_cap_lowers_a_policy_penalty_rate_to_its_limit() -> None:
    from loanmath.caps import cn_private_lending

    # 4 x LPR (3.35 % on 1 Aug 2024) = 13.4 %: a policy asking 50 % gets 13.4 %:
    # 396.03 x 0.134 x 29/360 = 4.2749 -> 4.27 on instalment 1, 15 Feb -> 15 Mar 2024.
    t = LoanTerms(
        Money("1200.00", "CNY"),
        "0.12",
        3,
        start_date=START,
        caps=(cn_private_lending(dt.date(2024, 8, 1)),),
    )
    policy = ServicingPolicy(penalty=PenaltyPolicy(annual_rate="0.5"))
    loan = Loan(t, "L", policy=policy).add(Disbursement("D", START))
    assert loan.state(dt.date(2024, 3, 15)).instalments[0].penalty == D("4.27")


def test_contact_time_must_be_a_time() -> None:
    with pytest.raises(InvalidInputError, match=r"at='10:30': must be a datetime\.time"):
        Contact("C", START, at="10:30")  # type: ignore[arg-type]
    contact = Contact("C", START, at=dt.time(10, 30), channel="sms", outcome="no answer")
    loan = open_loan().add(contact)
    assert loan.history()[-1] == contact
    assert loan.state(START) == open_loan().state(START)  # never touches balances
