"""The beancount export is valid for every journal the ledger accepts.

Keys beancount cannot read or that the export itself writes are refused when a transaction is
built; amounts beyond what beancount's 28-digit arithmetic holds exactly are refused when
posted; text is escaped so that beancount reads back exactly what was posted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loanmath.errors import InvalidInputError
from loanmath.ledger import (
    MAX_AMOUNT,
    MAX_PLACES,
    MAX_POSTINGS,
    RESERVED_META_KEYS,
    Journal,
    Posting,
    Transaction,
    lending_chart,
)

loader = pytest.importorskip("beancount.loader")

OPEN = dt.date(2000, 1, 1)
CHART = lending_chart(OPEN)
ACCOUNTS = sorted(CHART.accounts)
P = "Assets:Loans:Principal"
CUSTODY = "Assets:Bank:Custody"


def legs(amount: str = "1") -> list[Posting]:
    return [Posting(P, amount, "CNY"), Posting(CUSTODY, "-" + amount, "CNY")]


def load(journal: Journal) -> tuple[list[object], list[str]]:
    entries, errors, _ = loader.load_string(journal.to_beancount())
    return entries, [error.message for error in errors]


@pytest.mark.parametrize("key", ["k", "id", "links", "filename", "lineno"])
def test_meta_keys_beancount_cannot_hold_are_refused_at_construction(key: str) -> None:
    with pytest.raises(InvalidInputError, match="meta") as caught:
        Transaction("T", OPEN, legs(), meta={key: "v"})
    assert caught.value.fix


def test_the_stated_limits() -> None:
    assert Decimal("999999999999999999.999999") == MAX_AMOUNT
    assert MAX_PLACES == 6
    assert {"id", "links"} <= RESERVED_META_KEYS
    j = Journal(CHART)
    j.post(Transaction("MAX", OPEN, legs(format(MAX_AMOUNT, "f"))))
    with pytest.raises(InvalidInputError, match="amount"):
        j.post(Transaction("BIG", OPEN, legs("9" * 32)))
    with pytest.raises(InvalidInputError, match="postings"):
        Transaction(
            "MANY",
            OPEN,
            [Posting(P, "1", "CNY")] * MAX_POSTINGS + [Posting(CUSTODY, -MAX_POSTINGS, "CNY")],
        )
    assert load(j)[1] == []


def test_text_reads_back_exactly() -> None:
    narration = 'a "quoted"\\ back\nslash\ttab\rcr \x00 中文 😀 \u2028'
    j = Journal(CHART)
    j.post(Transaction('I"D\\\n', OPEN, legs(), narration, meta={"note": narration}))
    entries, errors = load(j)
    assert errors == []
    [entry] = [e for e in entries if hasattr(e, "narration")]
    assert entry.narration == narration  # type: ignore[attr-defined]
    assert entry.meta["note"] == narration  # type: ignore[attr-defined]
    assert entry.meta["id"] == 'I"D\\\n'  # type: ignore[attr-defined]


# --- the property --------------------------------------------------------------------------

meta_keys = st.from_regex(r"\A[a-z][a-zA-Z0-9_-]{1,12}\Z").filter(
    lambda key: key not in RESERVED_META_KEYS and key != "reverses"
)
texts = st.text(max_size=40)  # every code point but lone surrogates


@st.composite
def amounts(draw: st.DrawFn) -> tuple[int, int]:
    """``(units, exponent)``: 1E-6 up to the limit, with every exponent from -6 to +6."""
    exponent = draw(st.integers(-MAX_PLACES, MAX_PLACES))
    digits = draw(st.integers(1, 18 - exponent))
    return draw(st.integers(10 ** (digits - 1), 10**digits - 1)), exponent


@st.composite
def transactions(draw: st.DrawFn, number: int) -> Transaction:
    postings: list[Posting] = []
    for _ in range(draw(st.integers(1, 3))):
        currency = draw(st.sampled_from(["CNY", "JPY", "KWD", "USD"]))
        units, exponent = draw(amounts())
        first, second = draw(st.lists(st.sampled_from(ACCOUNTS), min_size=2, max_size=2))
        parts = [units // 2, units - units // 2] if units > 1 and draw(st.booleans()) else [units]
        postings += [Posting(first, Decimal(part).scaleb(exponent), currency) for part in parts]
        postings.append(Posting(second, Decimal(-units).scaleb(exponent), currency))
    return Transaction(
        draw(texts.filter(bool)) + f"#{number}",
        OPEN + dt.timedelta(days=draw(st.integers(0, 3000))),
        draw(st.permutations(postings)),
        draw(texts),
        meta=draw(st.dictionaries(meta_keys, texts, max_size=3)),
        links=draw(st.lists(texts.filter(bool), max_size=2)),
    )


@st.composite
def journals(draw: st.DrawFn) -> Journal:
    j = Journal(CHART)
    for number in range(draw(st.integers(0, 6))):
        j.post(draw(transactions(number)))
    if len(j) and draw(st.booleans()):
        first = next(iter(j))
        j.reverse(first.id, first.id + "-R", first.date)
    return j


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journals())
def test_beancount_accepts_the_export_of_every_journal(j: Journal) -> None:
    entries, errors = load(j)
    assert errors == []
    posted = [e for e in entries if hasattr(e, "narration")]
    by_id = {t.id: t for t in j}
    assert sorted(e.meta["id"] for e in posted) == sorted(by_id)  # type: ignore[attr-defined]
    for entry in posted:
        original = by_id[entry.meta["id"]]  # type: ignore[attr-defined]
        assert entry.narration == original.narration  # type: ignore[attr-defined]
        read = [(p.account, p.units.number, p.units.currency) for p in entry.postings]  # type: ignore[attr-defined]
        legs = [(p.account, p.amount, p.currency) for p in original.postings]
        assert sorted(read) == sorted(legs)  # booking regroups
        assert {k: entry.meta[k] for k, _ in original.meta} == dict(original.meta)  # type: ignore[attr-defined]
