"""The only place that knows the ledger roles and mints transaction ids.

Every change of a loan's balances is recorded here as a balanced posting record — a plain
tuple ``(date, narration, legs, meta)`` whose legs are ``(account, amount)`` pairs — and
becomes a ``loanmath.ledger.Transaction`` with the id ``"<loan id>:<n>"`` (n counts the
loan's transactions from 1) when the transactions are asked for. Plain tuples of strings and
Decimals are left alone by Python's cyclic garbage collector, so a live portfolio of kept
replays costs it nothing; the transactions are built on demand, each time the same.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from decimal import Decimal

from loanmath._decimal import ZERO
from loanmath.errors import LedgerImbalance
from loanmath.ledger import Posting, Transaction

__all__ = ["RECEIVABLE", "Poster"]

#: component → (receivable role, income role)
RECEIVABLE = {
    "principal": ("principal_receivable", None),
    "interest": ("interest_receivable", "interest_income"),
    "fees": ("fee_receivable", "fee_income"),
    "penalty": ("penalty_receivable", "penalty_income"),
}

Legs = tuple[tuple[str, Decimal], ...]
Record = tuple[_dt.date, str, Legs, tuple[tuple[str, str], ...]]


class Poster:
    """Records balanced postings for one loan, naming accounts by lending role."""

    __slots__ = ("accounts", "currency", "loan_id", "records")

    def __init__(self, loan_id: str, currency: str, accounts: Mapping[str, str]) -> None:
        self.loan_id = loan_id
        self.currency = currency
        self.accounts = accounts  # role -> account name (shared, never changed)
        self.records: list[Record] = []

    def copy(self) -> Poster:
        twin = Poster(self.loan_id, self.currency, self.accounts)
        twin.records = list(self.records)
        return twin

    def post(self, day: _dt.date, legs: list[tuple[str, Decimal]], narration: str) -> None:
        """Record `legs` (role, amount) on `day`; zero legs are dropped, nothing is recorded
        if all are. Legs that do not net to zero raise ``LedgerImbalance`` at once."""
        names = self.accounts
        kept = tuple([(names[role], amount) for role, amount in legs if amount])
        if not kept:
            return
        if len(kept) < 2 or sum([amount for _, amount in kept], ZERO):
            raise LedgerImbalance(
                f"servicing posted {narration!r} on {day} with legs {kept} that do not "
                "balance: a defect in loanmath, please report it"
            )
        self.records.append((day, narration, kept, ()))

    def transfer(
        self, day: _dt.date, debit: str, credit: str, amount: Decimal, narration: str
    ) -> None:
        """Record `amount` (> 0) from role `credit` to role `debit` on `day`: the record
        ``post(day, [(debit, amount), (credit, -amount)], narration)`` makes, built directly
        (penalty accrual posts one per overdue line per step)."""
        names = self.accounts
        self.records.append(
            (day, narration, ((names[debit], amount), (names[credit], -amount)), ())
        )

    def transactions(self) -> tuple[Transaction, ...]:
        """The records as ledger transactions, in order."""
        currency, prefix = self.currency, self.loan_id
        built = []
        for n, (day, narration, legs, meta) in enumerate(self.records, 1):
            if meta:
                postings = [Posting(account, amount, currency) for account, amount in legs]
                built.append(
                    Transaction(f"{prefix}:{n}", day, postings, narration, meta=dict(meta))
                )
            else:
                built.append(Transaction.from_legs(f"{prefix}:{n}", day, legs, currency, narration))
        return tuple(built)

    def balances(self) -> dict[str, Decimal]:
        """Every account's balance from the records so far."""
        totals: dict[str, Decimal] = {}
        for _, _, legs, _ in self.records:
            for account, amount in legs:
                totals[account] = totals.get(account, ZERO) + amount
        return totals

    def post_difference(
        self, day: _dt.date, before: dict[str, Decimal], after: dict[str, Decimal], target: str
    ) -> None:
        """One correcting record moving every balance from `before` to `after` (a reversal
        of `target`: nothing already recorded is edited)."""
        legs = tuple(
            (account, after.get(account, ZERO) - before.get(account, ZERO))
            for account in sorted(set(before) | set(after))
            if after.get(account, ZERO) != before.get(account, ZERO)
        )
        if legs:
            self.records.append((day, f"reversal of {target}", legs, (("reverses-event", target),)))
