"""The only place that knows the ledger roles and mints transaction ids.

Every change of a loan's balances leaves here as a balanced ``Transaction`` with the id
``"<loan id>:<n>"`` (n counts the loan's transactions from 1).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from decimal import Decimal

from loanmath._decimal import ZERO
from loanmath.ledger import Posting, Transaction

__all__ = ["RECEIVABLE", "Poster"]

#: component → (receivable role, income role)
RECEIVABLE = {
    "principal": ("principal_receivable", None),
    "interest": ("interest_receivable", "interest_income"),
    "fees": ("fee_receivable", "fee_income"),
    "penalty": ("penalty_receivable", "penalty_income"),
}


class Poster:
    """Posts balanced transactions for one loan, naming accounts by lending role."""

    __slots__ = ("accounts", "currency", "loan_id", "txns")

    def __init__(self, loan_id: str, currency: str, accounts: Mapping[str, str]) -> None:
        self.loan_id = loan_id
        self.currency = currency
        self.accounts = accounts  # role -> account name (shared, never changed)
        self.txns: list[Transaction] = []

    def copy(self) -> Poster:
        twin = Poster(self.loan_id, self.currency, self.accounts)
        twin.txns = list(self.txns)
        return twin

    def post(self, day: _dt.date, legs: list[tuple[str, Decimal]], narration: str) -> None:
        """Post `legs` (role, amount) on `day`; zero legs are dropped, nothing posts if all are."""
        names = self.accounts
        accounts = [(names[role], amount) for role, amount in legs if amount]
        if accounts:
            self.txns.append(
                Transaction.from_legs(
                    f"{self.loan_id}:{len(self.txns) + 1}", day, accounts, self.currency, narration
                )
            )

    def balances(self) -> dict[str, Decimal]:
        """Every account's balance from the transactions posted so far."""
        totals: dict[str, Decimal] = {}
        for transaction in self.txns:
            for posting in transaction.postings:
                totals[posting.account] = totals.get(posting.account, ZERO) + posting.amount
        return totals

    def post_difference(
        self, day: _dt.date, before: dict[str, Decimal], after: dict[str, Decimal], target: str
    ) -> None:
        """One correcting transaction moving every balance from `before` to `after`
        (a reversal of `target`: nothing already posted is edited)."""
        legs = [
            Posting(account, after.get(account, ZERO) - before.get(account, ZERO), self.currency)
            for account in sorted(set(before) | set(after))
            if after.get(account, ZERO) != before.get(account, ZERO)
        ]
        if legs:
            self.txns.append(
                Transaction(
                    f"{self.loan_id}:{len(self.txns) + 1}",
                    day,
                    legs,
                    f"reversal of {target}",
                    meta={"reverses-event": target},
                )
            )
