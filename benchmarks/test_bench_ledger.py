"""Ledger benchmarks (issue 6), beside the references the issue names, results asserted.

- N two-leg transactions created, checked (balanced at construction) and posted to balances:
  loanmath vs a plain tuple-of-Decimal reference vs naive frozen attrs objects;
- balances of the same postings: the columnar int64 path vs the object path.

N is 1,000,000 for the figures in the note (``LEDGER_N=1000000``); the default run uses
200,000 so that CI's smoke run stays quick. Peak memory is measured in the note with
/usr/bin/time -v on the 1M run.
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
from decimal import Decimal

import attrs
import pytest

from loanmath.ledger import Journal, Posting, Transaction, columnar, lending_chart

N = int(os.environ.get("LEDGER_N", "200000"))
DAY = dt.date(2024, 6, 1)
AMOUNTS = [Decimal(k % 99_999 + 1).scaleb(-2) for k in range(N)]
P, C = "Assets:Loans:Principal", "Assets:Bank:Custody"


def _loanmath() -> Journal:
    journal = Journal(lending_chart(dt.date(2024, 1, 1)))
    journal.post_many(
        Transaction(f"T{k}", DAY, [Posting(P, a, "CNY"), Posting(C, a.copy_negate(), "CNY")])
        for k, a in enumerate(AMOUNTS)
    )
    return journal


def _tuples() -> dict[tuple[str, str], Decimal]:
    """The reference: tuples of Decimals, a balance check, a dict of balances."""
    balances: dict[tuple[str, str], Decimal] = {}
    seen = {}
    with decimal.localcontext() as ctx:
        ctx.prec = 50
        for k, a in enumerate(AMOUNTS):
            legs = ((P, a, "CNY"), (C, -a, "CNY"))
            if legs[0][1] + legs[1][1] != 0:
                raise ValueError("unbalanced")
            seen[f"T{k}"] = (f"T{k}", DAY, legs)
            for account, amount, currency in legs:
                key = (account, currency)
                balances[key] = balances.get(key, Decimal(0)) + amount
    return balances


@attrs.frozen
class _Leg:
    account: str
    amount: Decimal
    currency: str


@attrs.frozen
class _Txn:
    id: str
    date: dt.date
    postings: tuple[_Leg, ...]

    def __attrs_post_init__(self) -> None:
        if sum(p.amount for p in self.postings) != 0:
            raise ValueError("unbalanced")


def _naive_attrs() -> dict[tuple[str, str], Decimal]:
    balances: dict[tuple[str, str], Decimal] = {}
    seen = {}
    for k, a in enumerate(AMOUNTS):
        t = _Txn(f"T{k}", DAY, (_Leg(P, a, "CNY"), _Leg(C, -a, "CNY")))
        seen[t.id] = t
        for leg in t.postings:
            key = (leg.account, leg.currency)
            balances[key] = balances.get(key, Decimal(0)) + leg.amount
    return balances


@pytest.mark.benchmark(group=f"{N} two-leg transactions posted")
def test_post_loanmath(benchmark) -> None:
    journal = benchmark.pedantic(_loanmath, rounds=1, iterations=1)
    assert len(journal) == N
    assert journal.balance(P, "CNY") == sum(AMOUNTS, Decimal(0))


@pytest.mark.benchmark(group=f"{N} two-leg transactions posted")
def test_post_reference_tuples(benchmark) -> None:
    balances = benchmark.pedantic(_tuples, rounds=1, iterations=1)
    assert balances[(P, "CNY")] == sum(AMOUNTS, Decimal(0))


@pytest.mark.benchmark(group=f"{N} two-leg transactions posted")
def test_post_reference_naive_attrs(benchmark) -> None:
    balances = benchmark.pedantic(_naive_attrs, rounds=1, iterations=1)
    assert balances[(C, "CNY")] == -sum(AMOUNTS, Decimal(0))


JOURNAL = _loanmath() if os.environ.get("LEDGER_BALANCES", "1") == "1" else None


def _object_balances(journal: Journal) -> dict[tuple[str, str], Decimal]:
    totals: dict[tuple[str, str], Decimal] = {}
    for transaction in journal:
        for leg in transaction.postings:
            key = (leg.account, leg.currency)
            totals[key] = totals.get(key, Decimal(0)) + leg.amount
    return totals


@pytest.mark.benchmark(group=f"balances of {2 * N} postings")
def test_balances_object_path(benchmark) -> None:
    assert JOURNAL is not None
    totals = benchmark.pedantic(_object_balances, (JOURNAL,), rounds=1, iterations=1)
    assert totals == JOURNAL.trial_balance()


@pytest.mark.benchmark(group=f"balances of {2 * N} postings")
def test_balances_columnar(benchmark) -> None:
    assert JOURNAL is not None
    table = columnar(JOURNAL)  # built once; the benchmark times the balance computation
    totals = benchmark(table.balances)
    assert totals == JOURNAL.trial_balance()
