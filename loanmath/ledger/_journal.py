"""The journal: append-only, idempotent by id, reversals instead of edits, a hash chain.

Posting a transaction whose id is already in the journal is a no-op when it is the same
transaction and an error when it is not. Nothing is ever edited or deleted: a correction is a
reversal (linked to what it reverses) plus a new transaction. Each entry's hash is
``sha256(previous hash + canonical JSON)``, so :meth:`Journal.verify` detects any altered,
inserted, removed or reordered entry. A failed post leaves the journal exactly as it was.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import gc
import hashlib
from collections.abc import Iterable
from decimal import Decimal

from loanmath._decimal import EXACT
from loanmath.errors import InvalidInputError, LoanMathError, UnknownNameError
from loanmath.ledger._accounts import Account, Chart
from loanmath.ledger._transactions import Transaction

__all__ = ["GENESIS", "Journal", "LedgerTamperError", "chain_hash"]

#: The hash the chain starts from.
GENESIS = hashlib.sha256(b"loanmath-journal-v1").hexdigest()


class LedgerTamperError(LoanMathError, ValueError):
    """The journal's hash chain does not match its entries (altered, inserted, removed or
    reordered)."""


def chain_hash(previous: str, canonical: str) -> str:
    """The next link: ``sha256(previous + canonical)`` as hex.

    Examples
    --------
    >>> chain_hash(GENESIS, "{}")[:16]
    '8aa5a6ef37eefd35'
    """
    return hashlib.sha256((previous + canonical).encode("utf-8")).hexdigest()


class Journal:
    """An append-only double-entry journal over a chart of accounts.

    Parameters
    ----------
    chart : Chart, optional
        The accounts transactions may post to; more can be opened with :meth:`open`.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath.ledger import Posting, lending_chart
    >>> journal = Journal(lending_chart(dt.date(2024, 1, 1)))
    >>> t = Transaction("D1", dt.date(2024, 1, 15), [
    ...     Posting("Assets:Loans:Principal", "12000.00", "CNY"),
    ...     Posting("Assets:Bank:Custody", "-12000.00", "CNY")])
    >>> journal.post(t) is journal.post(t)  # the second post is a no-op
    True
    >>> journal.balance("Assets:Loans:Principal", "CNY")
    Decimal('12000.00')
    """

    def __init__(self, chart: Chart | None = None) -> None:
        self._chart = chart if chart is not None else Chart({})
        self._entries: list[Transaction] = []
        self._by_id: dict[str, Transaction] = {}
        self._balances: dict[tuple[str, str], Decimal] = {}
        self._hashes: list[str] = []
        self._reversed: dict[str, str] = {}

    # --- accounts -----------------------------------------------------------------------
    @property
    def chart(self) -> Chart:
        return self._chart

    def open(self, account: Account) -> None:
        """Open another account (append-only too: an open account stays open).

        Raises
        ------
        InvalidInputError
            If an account of that name is already open with another type or date.
        """
        self._chart = self._chart.with_account(account)

    # --- posting ------------------------------------------------------------------------
    def _check(self, transaction: Transaction) -> Transaction | None:
        """Validate `transaction` against the journal; the existing one for a duplicate id."""
        if type(transaction) is not Transaction:
            raise InvalidInputError("transaction", transaction, "must be a Transaction")
        existing = self._by_id.get(transaction.id)
        if existing is not None:
            if existing == transaction:
                return existing
            raise InvalidInputError(
                "id",
                transaction.id,
                "is already posted with other content",
                "post a reversal and a new transaction under a new id",
            )
        accounts = self._chart.accounts
        day = transaction[1]
        for account, _, _ in transaction[2]:
            found = accounts.get(account)
            if found is None:
                self._chart.account(account)  # raises, naming the close ones
            elif day < found.opened:
                raise InvalidInputError(
                    "date",
                    transaction.date,
                    f"is before {account} opened ({found.opened})",
                )
        reverses = dict(transaction.meta).get("reverses") if transaction.meta else None
        if reverses is not None:
            if reverses not in self._by_id:
                raise UnknownNameError("reverses", reverses, sorted(self._by_id)[:20])
            if reverses in self._reversed:
                raise InvalidInputError(
                    "reverses", reverses, f"is already reversed by {self._reversed[reverses]}"
                )
        return None

    def _append(self, transaction: Transaction) -> None:
        self._entries.append(transaction)
        self._by_id[transaction[0]] = transaction
        if transaction[4]:
            reverses = dict(transaction[4]).get("reverses")
            if reverses is not None:
                self._reversed[reverses] = transaction[0]
        balances = self._balances
        for account, amount, currency in transaction[2]:
            key = (account, currency)
            previous = balances.get(key)
            balances[key] = amount if previous is None else previous + amount

    def post(self, transaction: Transaction) -> Transaction:
        """Append `transaction`; return it (or the identical one already posted).

        Raises
        ------
        InvalidInputError
            Same id with other content; a date before an account opened; a reversal of
            something unknown or already reversed.
        UnknownNameError
            An account not in the chart.
        """
        existing = self._check(transaction)
        if existing is not None:
            return existing
        with decimal.localcontext(EXACT):
            self._append(transaction)
        return transaction

    def post_many(self, transactions: Iterable[Transaction]) -> int:
        """Post many transactions in order; return how many were new.

        All are checked before any is appended: if one fails, none of this batch is posted
        and the journal is unchanged. The cyclic garbage collector is paused while the batch
        is read (transactions are acyclic tuples; a bulk load of a million spends a third of
        its time in collections otherwise) and restored afterwards, whatever happens.
        """
        paused = gc.isenabled()
        gc.disable()
        try:
            return self._post_many(transactions)
        finally:
            if paused:
                gc.enable()

    def _post_many(self, transactions: Iterable[Transaction]) -> int:
        batch: list[Transaction] = []
        seen: dict[str, Transaction] = {}
        for transaction in transactions:
            existing = self._check(transaction)
            if existing is not None:
                continue
            earlier = seen.get(transaction.id)
            if earlier is not None:
                if earlier != transaction:
                    raise InvalidInputError(
                        "id", transaction.id, "appears twice in the batch with other content"
                    )
                continue
            seen[transaction.id] = transaction
            batch.append(transaction)
        with decimal.localcontext(EXACT):
            for transaction in batch:
                self._append(transaction)
        return len(batch)

    def reverse(
        self, transaction_id: str, new_id: str, date: _dt.date, narration: str = ""
    ) -> Transaction:
        """Post the reversal of transaction `transaction_id` under `new_id`."""
        original = self._by_id.get(transaction_id)
        if original is None:
            raise UnknownNameError("transaction_id", transaction_id, sorted(self._by_id)[:20])
        return self.post(original.reversed(new_id, date, narration))

    # --- reading ------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._entries)

    def get(self, transaction_id: str) -> Transaction | None:
        """The transaction posted under `transaction_id`, if any."""
        return self._by_id.get(transaction_id)

    def balance(self, account: str, currency: str, on: _dt.date | None = None) -> Decimal:
        """The balance of `account` in `currency` (debits positive), as of `on` if given.

        Sub-accounts are not rolled up: ``Assets:Loans`` is its own account.
        """
        if on is None:
            return self._balances.get((account, currency), Decimal(0))
        total = Decimal(0)
        for transaction in self._entries:
            if transaction.date <= on:
                for name, amount, cur in transaction.postings:
                    if name == account and cur == currency:
                        total = EXACT.add(total, amount)
        return total

    def trial_balance(self, on: _dt.date | None = None) -> dict[tuple[str, str], Decimal]:
        """Every (account, currency) balance; proven to net to zero per currency.

        Raises
        ------
        LedgerTamperError
            If the debits and credits of some currency do not agree (impossible for entries
            built as Transactions: it would mean memory was altered).
        """
        if on is None:
            result = dict(self._balances)
        else:
            result = {}
            for transaction in self._entries:
                if transaction.date <= on:
                    for name, amount, cur in transaction.postings:
                        key = (name, cur)
                        result[key] = EXACT.add(result.get(key, Decimal(0)), amount)
        totals: dict[str, Decimal] = {}
        for (_, currency), amount in result.items():
            totals[currency] = EXACT.add(totals.get(currency, Decimal(0)), amount)
        broken = {c: v for c, v in totals.items() if v}
        if broken:
            raise LedgerTamperError(f"the trial balance does not net to zero: {broken}")
        return result

    # --- exports (loanmath.ledger._io) -------------------------------------------------
    def to_beancount(self) -> str:
        """Beancount text that ``bean-check`` accepts (:func:`loanmath.ledger.to_beancount`)."""
        from loanmath.ledger._io import to_beancount  # noqa: PLC0415 - _io imports this module

        return to_beancount(self)

    def to_jsonl(self) -> str:
        """JSON Lines that round-trip exactly (see :func:`loanmath.ledger.to_jsonl`)."""
        from loanmath.ledger._io import to_jsonl  # noqa: PLC0415 - _io imports this module

        return to_jsonl(self)

    def to_csv(self) -> str:
        """One CSV row per posting (see :func:`loanmath.ledger.to_csv`)."""
        from loanmath.ledger._io import to_csv  # noqa: PLC0415 - _io imports this module

        return to_csv(self)

    @classmethod
    def from_jsonl(cls, text: str) -> Journal:
        """Rebuild a journal from :meth:`to_jsonl` output, checking every line."""
        from loanmath.ledger._io import from_jsonl  # noqa: PLC0415 - _io imports this module

        return from_jsonl(text)

    # --- the chain ----------------------------------------------------------------------
    def hashes(self) -> tuple[str, ...]:
        """The hash of each entry in order (computed lazily, then kept)."""
        previous = self._hashes[-1] if self._hashes else GENESIS
        for transaction in self._entries[len(self._hashes) :]:
            previous = chain_hash(previous, transaction.canonical())
            self._hashes.append(previous)
        return tuple(self._hashes)

    @property
    def head(self) -> str:
        """The hash of the last entry (``GENESIS`` when empty)."""
        chain = self.hashes()
        return chain[-1] if chain else GENESIS

    def verify(self, expected: Iterable[str] | None = None) -> None:
        """Recompute the chain and compare it with `expected` (default: the kept hashes).

        Raises
        ------
        LedgerTamperError
            Naming the first entry whose hash differs.
        """
        reference = list(expected) if expected is not None else list(self.hashes())
        if len(reference) != len(self._entries):
            raise LedgerTamperError(
                f"the chain has {len(reference)} links for {len(self._entries)} entries"
            )
        previous = GENESIS
        for index, (transaction, link) in enumerate(zip(self._entries, reference, strict=True)):
            previous = chain_hash(previous, transaction.canonical())
            if previous != link:
                raise LedgerTamperError(
                    f"entry {index + 1} ({transaction.id!r}) does not match the hash chain"
                )
