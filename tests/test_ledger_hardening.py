"""Ledger refusals found by an adversarial probe: each test states the rule it holds.

- a refused post or batch changes nothing, and says why (field, limit, value, fix);
- two lending roles never share an account (custody is never the platform's own cash);
- the chart is inside the hash chain;
- an export is anchored by a trailer (count and head) and, given it, by the recorded head;
- an import accepts only the bytes the export writes;
- hostile text is refused at construction, hostile files with a ``LedgerTamperError``;
- every deleted, duplicated, swapped or changed line or byte of an export is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

import pytest
from fuzz_jsonl import check_one_input, seed_exports
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from loanmath.errors import InvalidInputError, LoanMathError
from loanmath.ledger import (
    GENESIS,
    Account,
    Chart,
    Journal,
    LedgerTamperError,
    Posting,
    Transaction,
    chain_hash,
    from_jsonl,
    lending_chart,
)

OPEN = dt.date(2024, 1, 1)
P = "Assets:Loans:Principal"
CUSTODY = "Assets:Bank:Custody"
INTEREST = "Income:Loans:Interest"


def tx(
    id: str, day: int, amount: str | Decimal, debit: str = P, credit: str = CUSTODY
) -> Transaction:
    value = Decimal(amount)
    return Transaction(
        id,
        dt.date(2024, 1, day),
        [Posting(debit, value, "CNY"), Posting(credit, value.copy_negate(), "CNY")],
        f"entry {id}",
    )


def small_journal() -> Journal:
    j = Journal(lending_chart(OPEN))
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
            'instalment 1 "quoted" 中文',
            meta={"loan": "L-1"},
        )
    )
    j.reverse("T2", "T2-R", dt.date(2024, 2, 3))
    return j


def state(j: Journal) -> tuple[object, ...]:
    return (len(j), [t.id for t in j], dict(j.trial_balance()), j.head, j.hashes())


# --- 1. a refusal changes nothing -------------------------------------------------------


@pytest.mark.parametrize(
    "amount",
    [
        Decimal("1e60"),
        Decimal("1E+18"),
        Decimal("-1000000000000000000"),
        Decimal("0.0000001"),
        Decimal("1.2345678"),
        Decimal("99999999999999999999999999999999"),
    ],
)
def test_a_refused_post_leaves_the_journal_exactly_as_it_was(amount: Decimal) -> None:
    j = small_journal()
    before = state(j)
    with pytest.raises(InvalidInputError) as caught:
        j.post(tx("BIG", 5, amount))
    error = caught.value
    assert error.field == "amount"
    assert error.value == amount
    assert "999999999999999999.999999" in error.limit
    assert error.fix
    assert state(j) == before
    assert j.get("BIG") is None
    with pytest.raises(InvalidInputError, match="amount"):
        j.post_many([tx("OK1", 5, "1.00"), tx("OK2", 6, "2.00"), tx("BIG", 7, amount)])
    assert state(j) == before
    assert j.get("OK1") is None


def test_balances_are_computed_before_anything_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Even past the amount check (switched off here), a balance that cannot be exact is
    refused before the journal changes: the arithmetic is staged, then applied."""
    import loanmath.ledger._journal as journal_module

    monkeypatch.setattr(journal_module, "amount_ok", lambda amount: True)
    j = small_journal()
    before = state(j)
    with pytest.raises(InvalidInputError, match="balance"):
        j.post(tx("BIG", 5, Decimal("1e60")))
    with pytest.raises(InvalidInputError, match="balance"):
        j.post_many([tx("OK", 5, "1.00"), tx("BIG", 6, Decimal("1e60"))])
    assert state(j) == before


def test_the_largest_amount_is_accepted_and_balances_stay_exact() -> None:
    largest = Decimal("999999999999999999.999999")
    j = Journal(lending_chart(OPEN))
    j.post_many(tx(f"T{k}", 2 + k % 20, largest) for k in range(50))
    assert j.balance(P, "CNY") == 50 * largest
    assert sum(j.trial_balance().values(), Decimal(0)) == 0
    assert Journal.from_jsonl(j.to_jsonl()).head == j.head


def test_a_batch_is_checked_against_itself() -> None:
    j = Journal(lending_chart(OPEN))
    original = tx("A", 2, "10.00")
    first = original.reversed("A-R1", dt.date(2024, 1, 3))
    second = original.reversed("A-R2", dt.date(2024, 1, 4))
    assert j.post_many([original, first]) == 2  # a reversal of an entry earlier in the batch
    k = Journal(lending_chart(OPEN))
    with pytest.raises(InvalidInputError, match="already reversed"):
        k.post_many([original, first, second])
    assert len(k) == 0


def _forge(cls: type, **fields: object) -> object:
    """An instance built around the constructor's checks (and the frozen __setattr__)."""
    forged = object.__new__(cls)
    for name, value in fields.items():
        object.__setattr__(forged, name, value)
    return forged


def test_a_journal_refuses_a_forged_transaction_without_changing() -> None:
    j = small_journal()
    before = state(j)

    def forged(debit: str, credit: str) -> object:
        legs = tuple(
            _forge(Posting, account=account, amount=amount, currency="CNY")
            for account, amount in ((debit, 1), (credit, -1))  # int amounts, unchecked
        )
        return _forge(
            Transaction,
            id="X",
            date=dt.date(2024, 3, 1),
            postings=legs,
            narration="",
            meta=(),
            links=(),
        )

    for transaction in (forged("A", "B"), forged(P, CUSTODY)):  # unknown accounts; int amounts
        with pytest.raises(LoanMathError):
            j.post(transaction)  # type: ignore[arg-type]
    assert state(j) == before


# --- 2. custody is never the platform's own cash -----------------------------------------


def test_custody_cannot_share_the_operating_account() -> None:
    with pytest.raises(InvalidInputError, match=r"custody.*operating_cash|operating_cash.*custody"):
        lending_chart(OPEN, renames={"custody": "Assets:Bank:Operating"})
    with pytest.raises(InvalidInputError, match=r"fee_income.*interest_income|interest_income"):
        lending_chart(OPEN, renames={"fee_income": "Income:Loans:Interest"})
    with pytest.raises(InvalidInputError, match="custody"):
        lending_chart(
            OPEN,
            renames={"custody": "Assets:Bank:Main", "operating_cash": "Assets:Bank:Main"},
        )
    account = Account("Assets:Bank:Main", "asset", OPEN)
    with pytest.raises(InvalidInputError, match="custody"):
        Chart({account.name: account}, {"custody": account.name, "operating_cash": account.name})
    swapped = lending_chart(
        OPEN, renames={"custody": "Assets:Bank:Operating", "operating_cash": "Assets:Bank:Own"}
    )
    assert swapped.role("custody").name != swapped.role("operating_cash").name


# --- 3. the chart is inside the chain ----------------------------------------------------


def _lines(text: str) -> list[str]:
    return text.split("\n")[:-1]


def forge(chart: dict[str, object], transactions: list[str]) -> str:
    """What an attacker who knows the format writes: a fully recomputed chain and trailer."""
    chart_text = json.dumps(chart, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    link = chain_hash(GENESIS, chart_text)
    lines = ['{"chart":' + chart_text + ',"hash":"' + link + '"}']
    for text in transactions:
        link = chain_hash(link, text)
        lines.append('{"hash":"' + link + '","txn":' + text + "}")
    lines.append('{"count":' + str(len(transactions)) + ',"head":"' + link + '"}')
    return "\n".join(lines) + "\n"


def _parts(text: str) -> tuple[dict[str, object], list[str]]:
    lines = _lines(text)
    chart = json.loads(lines[0])["chart"]
    transactions = [line[line.index(',"txn":') + 7 : -1] for line in lines[1:-1]]
    return chart, transactions


def test_the_head_depends_on_the_chart() -> None:
    a = Journal(lending_chart(OPEN))
    b = Journal(lending_chart(OPEN, renames={"custody": "Assets:Bank:Escrow"}))
    c = Journal(lending_chart(dt.date(2023, 12, 31)))
    assert len({a.head, b.head, c.head}) == 3
    for j in (a, b, c):
        j.post(tx("T1", 2, "5.00", P, "Equity:Capital"))
    assert len({a.head, b.head, c.head}) == 3
    a.verify()


def test_a_rehashed_chart_is_refused() -> None:
    j = small_journal()
    text = j.to_jsonl()
    chart, transactions = _parts(text)
    moved = json.loads(json.dumps(chart))
    moved["roles"]["custody"] = "Assets:Bank:Operating"
    moved["roles"]["operating_cash"] = "Assets:Bank:Custody"
    moved_text = json.dumps(moved, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    lines = _lines(text)
    # the old layout's chart hash: sha256 of the chart alone
    lines[0] = json.dumps(
        {"chart": moved, "hash": hashlib.sha256(moved_text.encode()).hexdigest()},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    with pytest.raises(LedgerTamperError, match="line"):
        Journal.from_jsonl("\n".join(lines) + "\n")
    # the whole chain recomputed from the moved chart: another head
    forged = forge(moved, transactions)
    assert Journal.from_jsonl(forged).head != j.head
    with pytest.raises(LedgerTamperError, match="expected"):
        Journal.from_jsonl(forged, expected_head=j.head)
    redated = json.loads(json.dumps(chart))
    redated["accounts"][0][2] = "2020-01-01"
    with pytest.raises(LedgerTamperError, match="expected"):
        from_jsonl(forge(redated, transactions), expected_head=j.head)


# --- 4. anchored exports -----------------------------------------------------------------


def test_the_export_ends_with_a_trailer() -> None:
    j = small_journal()
    lines = _lines(j.to_jsonl())
    assert json.loads(lines[-1]) == {"count": 3, "head": j.head}
    assert len(lines) == len(j) + 2
    assert Journal.from_jsonl(j.to_jsonl(), expected_head=j.head).hashes() == j.hashes()


def test_truncated_exports_are_refused() -> None:
    j = small_journal()
    lines = _lines(j.to_jsonl())
    for keep in range(len(lines)):
        with pytest.raises(LedgerTamperError, match="line"):
            Journal.from_jsonl("\n".join(lines[:keep]) + "\n" if keep else "")


def test_a_recomputed_chain_is_refused_given_the_recorded_head() -> None:
    j = small_journal()
    chart, transactions = _parts(j.to_jsonl())
    shorter = forge(chart, transactions[:-1])
    assert len(Journal.from_jsonl(shorter)) == 2  # a consistent file, but not this one
    with pytest.raises(LedgerTamperError, match=r"line 4: .*expected"):
        Journal.from_jsonl(shorter, expected_head=j.head)
    edited = forge(chart, [transactions[0].replace("12000.00", "12000.01")])
    with pytest.raises(LedgerTamperError):
        Journal.from_jsonl(edited, expected_head=j.head)
    with pytest.raises(InvalidInputError, match="expected_head"):
        Journal.from_jsonl(j.to_jsonl(), expected_head="not a hash")


# --- 5. strict parsing: only the bytes the export writes --------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "+12000.00",
        " 12000.00",
        "12000.00 ",
        "12_000.00",
        "١٢٠٠٠.00",
        "012000.00",
        "1.2E+4",
        "12000.",
    ],
)
def test_amounts_are_read_only_in_the_canonical_form(written: str) -> None:
    j = Journal(lending_chart(OPEN))
    j.post(tx("T1", 2, "12000.00"))
    chart, transactions = _parts(j.to_jsonl())
    changed = transactions[0].replace('"12000.00"', json.dumps(written, ensure_ascii=False))
    assert changed != transactions[0]
    # an attacker chains over the re-canonicalised transaction, as the old import did
    lenient = Transaction.from_dict(json.loads(transactions[0]))
    lines = _lines(forge(chart, [changed]))
    link = chain_hash(json.loads(lines[0])["hash"], lenient.canonical())
    lines[1] = '{"hash":"' + link + '","txn":' + changed + "}"
    lines[2] = '{"count":1,"head":"' + link + '"}'
    with pytest.raises(LedgerTamperError, match="line 2"):
        Journal.from_jsonl("\n".join(lines) + "\n")
    with pytest.raises(InvalidInputError, match="amount"):
        Transaction.from_dict(json.loads(changed))


def test_dates_are_read_only_in_the_canonical_form() -> None:
    j = Journal(lending_chart(OPEN))
    j.post(tx("T1", 2, "12.00"))
    chart, transactions = _parts(j.to_jsonl())
    changed = transactions[0].replace('"2024-01-02"', '"20240102"')
    with pytest.raises(LedgerTamperError, match="line 2"):
        Journal.from_jsonl(forge(chart, [changed]))


def test_export_import_export_is_byte_identical() -> None:
    j = small_journal()
    text = j.to_jsonl()
    assert Journal.from_jsonl(text).to_jsonl() == text
    assert Journal.from_jsonl(text.encode("utf-8")).to_jsonl() == text


# --- 6. hostile text ---------------------------------------------------------------------

LONE = "\ud800"


@pytest.mark.parametrize(
    ("field", "make"),
    [
        (
            "id",
            lambda: Transaction(
                LONE, OPEN, [Posting(P, "1", "CNY"), Posting(CUSTODY, "-1", "CNY")]
            ),
        ),
        (
            "narration",
            lambda: Transaction(
                "T", OPEN, [Posting(P, "1", "CNY"), Posting(CUSTODY, "-1", "CNY")], "a" + LONE
            ),
        ),
        (
            "meta",
            lambda: Transaction(
                "T",
                OPEN,
                [Posting(P, "1", "CNY"), Posting(CUSTODY, "-1", "CNY")],
                meta={"loan": LONE},
            ),
        ),
        (
            "links",
            lambda: Transaction(
                "T", OPEN, [Posting(P, "1", "CNY"), Posting(CUSTODY, "-1", "CNY")], links=[LONE]
            ),
        ),
        ("account", lambda: Posting("Assets:" + LONE, "1", "CNY")),
        (
            "narration",
            lambda: Transaction.from_legs(
                "T", OPEN, [(P, Decimal(1)), (CUSTODY, Decimal(-1))], "CNY", LONE
            ),
        ),
        (
            "account",
            lambda: Transaction.from_legs(
                "T", OPEN, [(LONE, Decimal(1)), (CUSTODY, Decimal(-1))], "CNY"
            ),
        ),
        (
            "id",
            lambda: Transaction.from_legs(
                LONE, OPEN, [(P, Decimal(1)), (CUSTODY, Decimal(-1))], "CNY"
            ),
        ),
        ("roles", lambda: Chart({}, {LONE: "Assets:X"})),
    ],
)
def test_lone_surrogates_are_refused_at_construction(field: str, make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LoanMathError) as caught:
        make()
    assert field in str(caught.value)


def test_hostile_files_raise_a_tamper_error_naming_the_line() -> None:
    good = _lines(small_journal().to_jsonl())
    head = good[0] + "\n"
    cases = {
        "deep": head + "[" * 200_000 + "]" * 200_000 + "\n",
        "deep object": head + '{"a":' * 100_000 + "1" + "}" * 100_000 + "\n",
        "long int": head + '{"count":' + "1" * 5000 + ',"head":"x"}\n',
        "float": head + '{"count":1.5,"head":"x"}\n',
        "nan": head + '{"count":NaN,"head":"x"}\n',
        "array": head + "[]\n",
        "string": head + '"x"\n',
        "null": head + "null\n",
        "not json": head + "{oops\n",
        "lone surrogate": head + good[1].replace("entry T1", "entry " + LONE) + "\n",
        "escaped surrogate": head + good[1].replace("entry T1", "entry \\ud800") + "\n",
        "bom": "\ufeff" + "\n".join(good) + "\n",
        "crlf": "\r\n".join(good) + "\r\n",
        "txn is a list": head + '{"hash":"00","txn":[]}\n',
        "postings wrong": head + good[1].replace('"postings":[[', '"postings":[3,[') + "\n",
    }
    for name, text in cases.items():
        with pytest.raises(LedgerTamperError, match=r"line \d+") as caught:
            Journal.from_jsonl(text)
        assert "line 2" in str(caught.value) or name in ("bom", "crlf"), (name, caught.value)
    with pytest.raises(LedgerTamperError, match="line 2: not UTF-8"):
        Journal.from_jsonl(head.encode() + b"\xff\xfe\n")
    with pytest.raises(LoanMathError, match="text"):
        Journal.from_jsonl(12)  # type: ignore[arg-type]


def test_chain_hash_refuses_text_no_file_holds() -> None:
    with pytest.raises(InvalidInputError, match="canonical"):
        chain_hash(GENESIS, "{" + LONE + "}")
    with pytest.raises(LoanMathError):
        chain_hash(b"a", b"b")  # type: ignore[arg-type]


def test_a_chart_with_an_escaped_surrogate_is_refused() -> None:
    """Found by the fuzz target (atheris): a chart line holding ``\\ud800``, rechained."""
    export = seed_exports()[1]
    changed = export.replace(b'"custody"', b'"\\ud800custody"', 1)
    check_one_input(changed)
    with pytest.raises(LedgerTamperError, match="line 1"):
        Journal.from_jsonl(changed)


# --- 8. every small edit of a real export is refused --------------------------------------


def _refused(text: bytes | str) -> bool:
    try:
        Journal.from_jsonl(text)
    except LedgerTamperError:
        return True
    return False


def test_deleting_duplicating_or_swapping_lines_is_refused() -> None:
    j = small_journal()
    lines = _lines(j.to_jsonl())
    for k in range(len(lines)):
        deleted = lines[:k] + lines[k + 1 :]
        duplicated = lines[: k + 1] + lines[k:]
        assert _refused("\n".join(deleted) + "\n"), ("delete", k)
        assert _refused("\n".join(duplicated) + "\n"), ("duplicate", k)
        if k + 1 < len(lines):
            swapped = [*lines[:k], lines[k + 1], lines[k], *lines[k + 2 :]]
            assert _refused("\n".join(swapped) + "\n"), ("swap", k)


def test_every_single_byte_change_is_refused() -> None:
    j = small_journal()
    data = j.to_jsonl().encode("utf-8")
    printable = [bytes([c]) for c in range(0x20, 0x7F)]
    for position in range(len(data)):
        original = data[position : position + 1]
        # three printable replacements per position, varied across positions
        choices = {printable[(position * k + 7) % len(printable)] for k in (1, 3, 11)}
        for replacement in sorted(choices - {original}):
            changed = data[:position] + replacement + data[position + 1 :]
            assert _refused(changed), (position, original, replacement)
            with pytest.raises(LedgerTamperError):
                Journal.from_jsonl(changed, expected_head=j.head)


# --- 9. any input imports or raises a LoanMathError --------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=400),
        st.text(max_size=400).map(lambda s: s.encode("utf-8", "surrogatepass")),
    )
)
@example(b"")
@example(b"\n")
def test_any_input_imports_or_raises_a_loanmath_error(data: bytes) -> None:
    check_one_input(data)


@st.composite
def mutated_exports(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(seed_exports())))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["replace", "insert", "delete"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        chunk = draw(st.binary(min_size=1, max_size=8))
        if kind == "replace":
            data[at : at + len(chunk)] = chunk
        elif kind == "insert":
            data[at:at] = chunk
        else:
            del data[at : at + len(chunk)]
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_exports())
def test_mutated_exports_import_identically_or_raise_a_loanmath_error(data: bytes) -> None:
    check_one_input(data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=12,
)
amount_texts = st.sampled_from(["1.00", "-1.00", "+1", "1e3", "١", "0", "-0", "1.", ""]) | st.text(
    max_size=6
)
legs = st.lists(
    st.tuples(
        st.sampled_from([P, CUSTODY, "", "x"]) | json_values,
        amount_texts | json_values,
        st.sampled_from(["CNY", "cny", ""]) | json_values,
    ).map(list),
    max_size=3,
)
transaction_data = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["T", ""]) | json_values,
        "date": st.sampled_from(["2024-01-02", "20240102", "2024-02-30", "２０２４-01-02"])
        | json_values,
        "narration": st.text(max_size=5) | json_values,
        "postings": legs | json_values,
        "meta": st.lists(st.lists(st.text(max_size=4), max_size=3), max_size=2) | json_values,
        "links": st.lists(st.text(max_size=3), max_size=2) | json_values,
    }
)


@settings(max_examples=300, deadline=None)
@given(transaction_data | json_values)
def test_from_dict_refuses_with_loanmath_errors_only(data: object) -> None:
    try:
        rebuilt = Transaction.from_dict(data)  # type: ignore[arg-type]
    except LoanMathError:
        return
    assert isinstance(data, dict)
    assert rebuilt.as_dict() == {**data, "meta": sorted(data["meta"])}  # read exactly as written
