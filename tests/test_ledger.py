"""Ledger: balanced by construction, append-only, idempotent, tamper-evident, exportable."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loanmath.errors import (
    FloatMoneyError,
    InputTypeError,
    InvalidInputError,
    LedgerImbalance,
    LoanMathError,
    UnknownNameError,
)
from loanmath.ledger import (
    Account,
    Journal,
    LedgerTamperError,
    Posting,
    Transaction,
    columnar,
    lending_chart,
)

OPEN = dt.date(2024, 1, 1)
P = "Assets:Loans:Principal"
CUSTODY = "Assets:Bank:Custody"
INTEREST = "Income:Loans:Interest"
RECEIVABLE = "Assets:Loans:Interest"


def tx(
    id: str,
    day: int,
    amount: str,
    debit: str = P,
    credit: str = CUSTODY,
    currency: str = "CNY",
) -> Transaction:
    return Transaction(
        id,
        dt.date(2024, 1, day),
        [
            Posting(debit, amount, currency),
            Posting(credit, Decimal(amount).copy_negate(), currency),
        ],
        f"entry {id}",
    )


def journal() -> Journal:
    return Journal(lending_chart(OPEN))


def test_lending_chart_and_renames() -> None:
    chart = lending_chart(OPEN, renames={"custody": "Assets:Bank:Escrow"})
    assert chart.role("custody").name == "Assets:Bank:Escrow"
    assert chart.role("overpayment").type == "liability"
    assert chart.role("interest_income").root == "Income"
    with pytest.raises(InvalidInputError, match="asset account"):
        lending_chart(OPEN, renames={"custody": "Income:Custody"})
    with pytest.raises(UnknownNameError, match="renames"):
        lending_chart(OPEN, renames={"vault": "Assets:Vault"})
    with pytest.raises(InvalidInputError, match="component"):
        Account("Assets:loans", "asset", OPEN)
    with pytest.raises(UnknownNameError):
        Account("Assets:Loans", "assets", OPEN)


def test_post_balance_idempotency_and_conflict() -> None:
    j = journal()
    first = j.post(tx("D1", 15, "12000.00"))
    assert j.post(tx("D1", 15, "12000.00")) is first  # same id, same content: no-op
    assert len(j) == 1
    with pytest.raises(InvalidInputError, match="other content"):
        j.post(tx("D1", 15, "12000.01"))
    assert j.balance(P, "CNY") == Decimal("12000.00")
    assert j.balance(CUSTODY, "CNY") == Decimal("-12000.00")
    j.post(tx("R1", 20, "1000.00", CUSTODY, P))
    assert j.balance(P, "CNY", on=dt.date(2024, 1, 19)) == Decimal("12000.00")
    assert j.balance(P, "CNY") == Decimal("11000.00")
    assert sum(j.trial_balance().values(), Decimal(0)) == 0


def test_reversal_is_a_new_linked_transaction() -> None:
    j = journal()
    j.post(tx("PAY1", 15, "500.00", CUSTODY, P))
    reversal = j.reverse("PAY1", "PAY1-R", dt.date(2024, 1, 16), "bounced")
    assert reversal.links == ("PAY1",)
    assert dict(reversal.meta) == {"reverses": "PAY1"}
    assert j.balance(CUSTODY, "CNY") == 0
    assert j.get("PAY1").postings[0].amount == Decimal("500.00")  # never edited
    with pytest.raises(InvalidInputError, match="already reversed"):
        j.reverse("PAY1", "PAY1-R2", dt.date(2024, 1, 17))
    with pytest.raises(UnknownNameError):
        j.reverse("NOPE", "X", dt.date(2024, 1, 17))


def test_multi_currency_transactions_balance_per_currency() -> None:
    t = Transaction(
        "FX",
        dt.date(2024, 1, 2),
        [
            Posting(CUSTODY, "100.00", "USD"),
            Posting("Equity:Capital", "-100.00", "USD"),
            Posting(P, "720.00", "CNY"),
            Posting("Equity:Capital", "-720.00", "CNY"),
        ],
    )
    j = journal()
    j.post(t)
    assert j.trial_balance()[("Equity:Capital", "USD")] == Decimal("-100.00")


@pytest.mark.parametrize(
    ("make", "error", "needle"),
    [
        (
            lambda: Transaction(
                "T", OPEN, [Posting(P, "1", "CNY"), Posting(CUSTODY, "-0.99", "CNY")]
            ),
            LedgerImbalance,
            "CNY 0.01 left over",
        ),
        (
            lambda: Transaction("T", OPEN, [Posting(P, "1", "CNY"), Posting(CUSTODY, "-1", "USD")]),
            LedgerImbalance,
            "CNY 1",
        ),
        (lambda: Transaction("T", OPEN, []), InvalidInputError, "at least two postings"),
        (lambda: Transaction("T", OPEN, [Posting(P, "1", "CNY")]), InvalidInputError, "two"),
        (lambda: Posting(P, 1.5, "CNY"), FloatMoneyError, "amount"),
        (lambda: Posting(P, "1", "RMB"), UnknownNameError, "CNY"),
        (lambda: Transaction("", OPEN, []), InvalidInputError, "id"),
        (
            lambda: Transaction(
                "T", "2024-01-01", [Posting(P, "1", "CNY"), Posting(CUSTODY, "-1", "CNY")]
            ),
            LoanMathError,
            "date",
        ),
        (
            lambda: Transaction("T", OPEN, [("a", 1, "CNY"), ("b", -1, "CNY")]),
            InputTypeError,
            "Posting",
        ),
        (
            lambda: Transaction(
                "T",
                OPEN,
                [Posting(P, "1", "CNY"), Posting(CUSTODY, "-1", "CNY")],
                meta={"Bad Key": "x"},
            ),
            InvalidInputError,
            "meta",
        ),
    ],
)
def test_bad_transactions(make, error: type, needle: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=needle):
        make()


def test_bad_posts_leave_the_journal_unchanged() -> None:
    j = journal()
    j.post(tx("A", 2, "10.00"))
    before = (len(j), j.head, dict(j.trial_balance()))
    with pytest.raises(UnknownNameError, match="account"):
        j.post(tx("B", 3, "5.00", "Assets:Loans:Principle"))
    with pytest.raises(InvalidInputError, match="before"):
        j.post(
            Transaction(
                "C", dt.date(2023, 12, 31), [Posting(P, "1", "CNY"), Posting(CUSTODY, "-1", "CNY")]
            )
        )
    with pytest.raises(UnknownNameError):
        j.post_many([tx("D", 4, "1.00"), tx("E", 4, "1.00", "Assets:Nowhere")])
    assert (len(j), j.head, dict(j.trial_balance())) == before
    assert j.get("D") is None  # the batch is all or nothing
    with pytest.raises(AttributeError):
        j.get("A").narration = "edited"  # type: ignore[union-attr]


def test_postings_and_transactions_are_values_not_tuples() -> None:
    import copy
    import pickle

    from attrs.exceptions import FrozenInstanceError

    leg = Posting(P, "10.00", "CNY")
    assert leg != (P, Decimal("10.00"), "CNY")  # issue 15: no longer a tuple
    assert not isinstance(leg, tuple)
    assert leg == Posting(P, Decimal("10.0"), "CNY")  # by value, as Decimals compare
    assert hash(leg) == hash(Posting(P, Decimal("10.0"), "CNY"))
    assert leg != Posting(P, "10.00", "USD")
    assert leg != Posting(CUSTODY, "10.00", "CNY")
    t = tx("A", 2, "10.00")
    assert not isinstance(t, tuple)
    assert not hasattr(t, "__len__")
    assert not hasattr(t, "__getitem__")
    with pytest.raises(TypeError):
        len(t)  # type: ignore[arg-type]
    assert t == tx("A", 2, "10.00")
    assert hash(t) == hash(tx("A", 2, "10.00"))
    assert t != tx("A", 3, "10.00")
    assert t != tx("B", 2, "10.00")
    assert t != ("A", dt.date(2024, 1, 2), t.postings, "entry A", (), ())
    assert len({t, tx("A", 2, "10.00"), tx("B", 2, "10.00")}) == 2
    for value in (leg, t, t.reversed("A-R", dt.date(2024, 1, 3))):
        for clone in (pickle.loads(pickle.dumps(value)), copy.copy(value), copy.deepcopy(value)):
            assert clone == value
            assert type(clone) is type(value)
            assert repr(clone) == repr(value)
    for obj, name in ((leg, "amount"), (t, "postings"), (t, "id")):
        with pytest.raises(FrozenInstanceError):
            setattr(obj, name, None)
        with pytest.raises(AttributeError):
            delattr(obj, name)
        with pytest.raises(AttributeError):
            obj.__dict__  # noqa: B018  (slotted: no dict to edit either)
    match t:
        case Transaction("A", date, (Posting(account, amount, "CNY"), _)):
            assert (date, account, amount) == (dt.date(2024, 1, 2), P, Decimal("10.00"))
        case _:
            pytest.fail("Transaction and Posting match by position")


def test_hash_chain_detects_tampering() -> None:
    j = journal()
    for k in range(1, 6):
        j.post(tx(f"T{k}", k, f"{k}00.00"))
    j.verify()
    chain = list(j.hashes())
    reordered = journal()
    for k in (1, 2, 4, 3, 5):
        reordered.post(tx(f"T{k}", k, f"{k}00.00"))
    with pytest.raises(LedgerTamperError, match="entry 3"):
        reordered.verify(chain)
    shorter = journal()
    for k in (1, 2, 3, 4):
        shorter.post(tx(f"T{k}", k, f"{k}00.00"))
    with pytest.raises(LedgerTamperError, match="links"):
        shorter.verify(chain)


def disbursed_repaid_reversed(narration: str) -> Journal:
    """A disbursement, an instalment paid (narrated `narration`, with metadata), reversed."""
    j = journal()
    j.post(tx("T1", 2, "12000.00"))
    j.post(
        Transaction(
            "T2",
            dt.date(2024, 2, 2),
            [
                Posting(CUSTODY, "1066.19", "CNY"),
                Posting(P, "-946.19", "CNY"),
                Posting(INTEREST, "-120.00", "CNY"),
            ],
            narration,
            meta={"loan": "L-1"},
        )
    )
    j.reverse("T2", "T2-R", dt.date(2024, 2, 3))
    return j


def test_jsonl_round_trips_to_the_same_bytes_and_chain() -> None:
    j = disbursed_repaid_reversed('instalment 1 "quoted" 中文')
    text = j.to_jsonl()
    again = Journal.from_jsonl(text)
    assert again.to_jsonl() == text
    assert again.hashes() == j.hashes()
    assert again.trial_balance() == j.trial_balance()


def test_every_single_byte_change_is_detected() -> None:
    j = journal()
    j.post(tx("T1", 2, "12.00"))
    j.post(tx("T2", 3, "3.50", CUSTODY, P))
    data = j.to_jsonl().encode("utf-8")
    for position in range(0, len(data), 7):
        for replacement in (b"0", b"x", b" "):
            changed = data[:position] + replacement + data[position + 1 :]
            if changed == data:
                continue
            with pytest.raises(LoanMathError):
                Journal.from_jsonl(changed.decode("utf-8", errors="replace"))


def test_import_errors_name_the_line() -> None:
    j = journal()
    j.post(tx("T1", 2, "12.00"))
    lines = j.to_jsonl().splitlines()
    broken = lines[0] + "\n" + lines[1].replace("12.00", "13.00") + "\n"
    with pytest.raises(LedgerTamperError, match="line 2"):
        Journal.from_jsonl(broken)
    with pytest.raises(LedgerTamperError, match="line 2: not JSON"):
        Journal.from_jsonl(lines[0] + "\n{oops\n")
    with pytest.raises(LedgerTamperError, match="newline"):
        Journal.from_jsonl(lines[0])


def test_csv_export() -> None:
    j = journal()
    j.post(tx("T1", 2, "12.00"))
    rows = j.to_csv().splitlines()
    assert rows[1] == "T1,2024-01-02,entry T1,Assets:Loans:Principal,12.00,CNY,"
    assert len(rows) == 3


@pytest.mark.skipif(
    shutil.which("bean-check") is None
    and not (Path(sys.executable).parent / "bean-check").exists(),
    reason="beancount not installed",
)
def test_bean_check_accepts_the_export_and_the_chart(tmp_path: Path) -> None:
    bean_check = shutil.which("bean-check") or str(Path(sys.executable).parent / "bean-check")
    j = disbursed_repaid_reversed('instalment "1"')
    for name, text in (
        ("journal.beancount", j.to_beancount()),
        ("chart.beancount", journal().to_beancount()),
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = subprocess.run(
            [bean_check, str(path)], capture_output=True, text=True, timeout=120, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr


ACCOUNTS = [P, CUSTODY, INTEREST, RECEIVABLE, "Income:Loans:Fees", "Equity:Capital"]


@st.composite
def operations(draw: st.DrawFn) -> list[tuple[str, object]]:
    ops: list[tuple[str, object]] = []
    for k in range(draw(st.integers(1, 40))):
        kind = draw(st.sampled_from(["post", "post", "post", "duplicate", "reverse"]))
        legs = draw(st.integers(2, 4))
        currency = draw(st.sampled_from(["CNY", "USD", "JPY"]))
        amounts = [Decimal(draw(st.integers(-(10**8), 10**8))).scaleb(-2) for _ in range(legs - 1)]
        accounts = draw(st.lists(st.sampled_from(ACCOUNTS), min_size=legs, max_size=legs))
        postings = [Posting(a, m, currency) for a, m in zip(accounts, amounts, strict=False)]
        postings.append(Posting(accounts[-1], -sum(amounts, Decimal(0)), currency))
        day = OPEN + dt.timedelta(days=draw(st.integers(0, 400)))
        ops.append((kind, Transaction(f"T{k}", day, postings)))
    return ops


def _replay(ops: list[tuple[str, object]]) -> Journal:
    j = journal()
    posted: list[Transaction] = []
    for n, (kind, transaction) in enumerate(ops):
        assert isinstance(transaction, Transaction)
        if kind == "duplicate" and posted:
            assert j.post(posted[-1]) is posted[-1]
        elif kind == "reverse" and posted:
            target = posted[n % len(posted)]
            if j.get(f"{target.id}-R") is None and not target.id.endswith("-R"):
                j.reverse(target.id, f"{target.id}-R", max(target.date, OPEN))
        else:
            posted.append(j.post(transaction))
    return j


@settings(max_examples=100, deadline=None)
@given(operations())
def test_trial_balance_always_nets_to_zero_and_replay_is_identical(
    ops: list[tuple[str, object]],
) -> None:
    j = _replay(ops)
    totals: dict[str, Decimal] = {}
    for (_, currency), amount in j.trial_balance().items():
        totals[currency] = totals.get(currency, Decimal(0)) + amount
    assert all(v == 0 for v in totals.values())
    again = _replay(ops)
    assert again.hashes() == j.hashes()
    assert again.trial_balance() == j.trial_balance()
    as_of = OPEN + dt.timedelta(days=200)
    assert all(v == 0 for v in _sum_by_currency(j.trial_balance(on=as_of)).values())
    assert columnar(j).balances() == {
        k: v for k, v in j.trial_balance().items() if k in columnar(j).balances()
    }
    assert set(columnar(j).balances()) == set(j.trial_balance())
    assert Journal.from_jsonl(j.to_jsonl()).hashes() == j.hashes()


def _sum_by_currency(balances: dict[tuple[str, str], Decimal]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for (_, currency), amount in balances.items():
        totals[currency] = totals.get(currency, Decimal(0)) + amount
    return totals


# --- Transaction.from_legs (the servicing fast path) ------------------------------------


def test_from_legs_equals_the_checked_constructor() -> None:
    legs = [(CUSTODY, Decimal("408.03")), (P, Decimal("-396.03")), (INTEREST, Decimal("-12.00"))]
    fast = Transaction.from_legs("T", OPEN, [*legs, (RECEIVABLE, Decimal(0))], "CNY", "pay")
    slow = Transaction("T", OPEN, [Posting(a, x, "CNY") for a, x in legs], "pay")
    assert fast == slow
    assert fast.canonical() == slow.canonical()


@pytest.mark.parametrize(
    ("legs", "currency", "error", "message"),
    [
        ([(P, Decimal("1.00")), (CUSTODY, Decimal("-0.99"))], "CNY", LedgerImbalance, "CNY 0.01"),
        ([(P, Decimal("1.00")), (CUSTODY, Decimal(0))], "CNY", InvalidInputError, "postings=1"),
        ([(P, 1.0), (CUSTODY, Decimal("-1"))], "CNY", FloatMoneyError, "amount=1.0"),
        ([("", Decimal(1)), (CUSTODY, Decimal(-1))], "CNY", InvalidInputError, "account="),
        ([(P, Decimal(1)), (CUSTODY, Decimal(-1))], "XXQ", LoanMathError, "XXQ"),
    ],
)
def test_from_legs_refuses_what_the_constructor_refuses(
    legs: list[tuple[str, object]], currency: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        Transaction.from_legs("T", OPEN, legs, currency)  # type: ignore[arg-type]
