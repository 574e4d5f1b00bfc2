"""The journal: append-only, idempotent by id, reversals instead of edits, a hash chain.

Posting a transaction whose id is already in the journal is a no-op when it is the same
transaction and an error when it is not. Nothing is ever edited or deleted: a correction is a
reversal (linked to what it reverses) plus a new transaction. The chain starts with the chart:
its first link is ``sha256(GENESIS + canonical chart)``, and each entry's link is
``sha256(previous link + canonical JSON)``, so :meth:`Journal.verify` detects any altered,
inserted, removed or reordered entry, and the head changes with any change of the chart.

Posting is check-then-apply: everything (the accounts, the amounts against
:data:`~loanmath.ledger.MAX_AMOUNT`, the ids and reversals within the batch, the new balances)
is computed before anything is changed, so a refused post or batch leaves the journal exactly
as it was, and every refusal is a :class:`~loanmath.errors.LoanMathError`.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import gc
from collections.abc import Iterable, Iterator
from decimal import Decimal

from loanmath._decimal import EXACT
from loanmath.errors import (
    InputTypeError,
    InvalidInputError,
    LedgerTamperError,
    UnknownNameError,
)
from loanmath.ledger._accounts import Account, Chart
from loanmath.ledger._chain import GENESIS, chain_hash
from loanmath.ledger._fields import amount_ok, check_amount
from loanmath.ledger._io import read_jsonl, to_beancount, to_csv, to_jsonl
from loanmath.ledger._transactions import Transaction

__all__ = ["Journal", "from_jsonl"]


class Journal:
    """An append-only double-entry journal over a chart of accounts.

    Parameters
    ----------
    chart : Chart, optional
        The accounts transactions may post to; more can be opened with :meth:`open`.

    Notes
    -----
    Append-only and idempotent by id (the same id with other content is refused); corrections
    are reversals, each entry reversed at most once; check, then apply, so a refusal changes
    nothing. Balances are exact sums, debits positive. The chain is
    ``link_0 = sha256(GENESIS + canonical chart)``, ``link_k = sha256(link_{k-1} +
    canonical entry k)`` (docs/ledger.md, "The journal"; ARCHITECTURE rule 10).

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
        if chart is not None and not isinstance(chart, Chart):
            raise InputTypeError("chart", chart, "must be a Chart (see lending_chart)")
        self._chart = chart if chart is not None else Chart({})
        self._entries: list[Transaction] = []
        self._by_id: dict[str, Transaction] = {}
        self._balances: dict[tuple[str, str], Decimal] = {}
        self._hashes: list[str] = []
        self._genesis: str | None = None
        self._reversed: dict[str, str] = {}

    # --- accounts -----------------------------------------------------------------------
    @property
    def chart(self) -> Chart:
        return self._chart

    def open(self, account: Account) -> None:
        """Open another account (append-only too: an open account stays open).

        The chart is the first link of the hash chain, so opening an account changes the
        genesis and every link after it: record a head once the chart is complete.

        Raises
        ------
        InvalidInputError
            If an account of that name is already open with another type or date.
        """
        chart = self._chart.with_account(account)
        if chart != self._chart:
            self._chart = chart
            self._genesis = None
            self._hashes.clear()

    # --- posting ------------------------------------------------------------------------
    def _check(
        self,
        transaction: Transaction,
        batch: dict[str, Transaction] | None = None,
        reversed_in_batch: dict[str, str] | None = None,
    ) -> Transaction | None:
        """Validate `transaction` against the journal and the `batch` before it; return the
        one already posted (or earlier in the batch) for an identical duplicate."""
        if type(transaction) is not Transaction:
            raise InvalidInputError("transaction", transaction, "must be a Transaction")
        existing = self._by_id.get(transaction.id)
        if existing is None and batch:
            existing = batch.get(transaction.id)
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
        day = transaction.date
        for leg in transaction.postings:
            account, amount = leg.account, leg.amount
            found = accounts.get(account) if type(account) is str else None
            if found is None:
                self._chart.account(account)  # raises, naming the close ones
            elif day < found.opened:
                raise InvalidInputError(
                    "date",
                    transaction.date,
                    f"is before {account} opened ({found.opened})",
                )
            if not amount_ok(amount):
                check_amount(amount, f"{account} in transaction {transaction.id!r}: ")
        if transaction.meta:
            self._check_reversal(transaction, batch or {}, reversed_in_batch or {})
        return None

    def _check_reversal(
        self, transaction: Transaction, batch: dict[str, Transaction], done: dict[str, str]
    ) -> None:
        reverses = dict(transaction.meta).get("reverses")
        if reverses is None:
            return
        if reverses not in self._by_id and reverses not in batch:
            raise UnknownNameError("reverses", reverses, sorted(self._by_id)[:20])
        by = self._reversed.get(reverses) or done.get(reverses)
        if by is not None:
            raise InvalidInputError("reverses", reverses, f"is already reversed by {by}")

    def _new_balances(self, batch: list[Transaction]) -> dict[tuple[str, str], Decimal]:
        """The balances `batch` changes, computed exactly before anything is changed."""
        balances = self._balances
        staged: dict[tuple[str, str], Decimal] = {}
        try:
            with decimal.localcontext(EXACT):
                for transaction in batch:
                    for leg in transaction.postings:
                        key = (leg.account, leg.currency)
                        previous = staged.get(key)
                        if previous is None:
                            previous = balances.get(key)
                        staged[key] = leg.amount if previous is None else previous + leg.amount
        except (decimal.Inexact, decimal.Overflow, decimal.InvalidOperation):
            raise InvalidInputError(
                "amount",
                key,
                "would take a balance beyond the exact 50-digit context",
                "this needs more than 10**26 postings at the largest amount: split the journal",
            ) from None
        return staged

    def _apply(
        self,
        batch: list[Transaction],
        balances: dict[tuple[str, str], Decimal],
        reversed_in_batch: dict[str, str],
    ) -> None:
        """Append a checked batch (nothing here can fail)."""
        self._entries.extend(batch)
        by_id = self._by_id
        for transaction in batch:
            by_id[transaction.id] = transaction
        self._reversed.update(reversed_in_batch)
        self._balances.update(balances)

    def post(self, transaction: Transaction) -> Transaction:
        """Append `transaction`; return it (or the identical one already posted).

        Everything is checked before anything changes: a refused post leaves the journal
        exactly as it was (length, ids, balances, head).

        Raises
        ------
        InvalidInputError
            Same id with other content; a date before an account opened; a reversal of
            something unknown or already reversed; an amount beyond
            :data:`~loanmath.ledger.MAX_AMOUNT` or with more than
            :data:`~loanmath.ledger.MAX_PLACES` decimal places.
        UnknownNameError
            An account not in the chart.
        InputTypeError
            Something other than a :class:`Transaction`.

        Examples
        --------
        >>> import datetime as dt
        >>> from loanmath.ledger import Posting, lending_chart
        >>> journal = Journal(lending_chart(dt.date(2024, 1, 1)))
        >>> huge = Transaction("H", dt.date(2024, 1, 2), [
        ...     Posting("Assets:Loans:Principal", "1e60", "CNY"),
        ...     Posting("Assets:Bank:Custody", "-1e60", "CNY")])
        >>> journal.post(huge)
        Traceback (most recent call last):
        ...
        loanmath.errors.InvalidInputError: amount=Decimal('1E+60'): Assets:Loans:Principal ...
        >>> len(journal), journal.head == Journal(lending_chart(dt.date(2024, 1, 1))).head
        (0, True)
        """
        existing = self._check(transaction)
        if existing is not None:
            return existing
        reversed_in_batch: dict[str, str] = {}
        if transaction.meta:
            reverses = dict(transaction.meta).get("reverses")
            if reverses is not None:
                reversed_in_batch[reverses] = transaction.id
        self._apply([transaction], self._new_balances([transaction]), reversed_in_batch)
        return transaction

    def post_many(self, transactions: Iterable[Transaction]) -> int:
        """Post many transactions in order; return how many were new.

        All are checked — against the journal and against those before them in the batch (a
        reversal of an earlier one is fine, a second reversal is not) — and the new balances
        computed before any is appended: if one fails, none of this batch is posted and the
        journal is unchanged. The cyclic garbage collector is paused while the batch is read
        (transactions are acyclic values; a bulk load of a million spends a third of its time
        in collections otherwise) and restored afterwards, whatever happens.

        Examples
        --------
        >>> import datetime as dt
        >>> from loanmath.ledger import Posting, lending_chart
        >>> journal = Journal(lending_chart(dt.date(2024, 1, 1)))
        >>> t = Transaction("D1", dt.date(2024, 1, 15), [
        ...     Posting("Assets:Loans:Principal", "100.00", "CNY"),
        ...     Posting("Assets:Bank:Custody", "-100.00", "CNY")])
        >>> journal.post_many([t, t, t.reversed("D1-R", dt.date(2024, 1, 16))])
        2
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
        reversed_in_batch: dict[str, str] = {}
        check = self._check
        for transaction in transactions:
            if check(transaction, seen, reversed_in_batch) is not None:
                continue
            seen[transaction.id] = transaction
            batch.append(transaction)
            if transaction.meta:
                reverses = dict(transaction.meta).get("reverses")
                if reverses is not None:
                    reversed_in_batch[reverses] = transaction.id
        self._apply(batch, self._new_balances(batch), reversed_in_batch)
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

    def __iter__(self) -> Iterator[Transaction]:
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
                for leg in transaction.postings:
                    if leg.account == account and leg.currency == currency:
                        total = EXACT.add(total, leg.amount)
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
                    for leg in transaction.postings:
                        key = (leg.account, leg.currency)
                        result[key] = EXACT.add(result.get(key, Decimal(0)), leg.amount)
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
        return to_beancount(self)

    def to_jsonl(self) -> str:
        """JSON Lines that round-trip exactly (see :func:`loanmath.ledger.to_jsonl`)."""
        return to_jsonl(self)

    def to_csv(self) -> str:
        """One CSV row per posting (see :func:`loanmath.ledger.to_csv`)."""
        return to_csv(self)

    @classmethod
    def from_jsonl(cls, text: str | bytes, expected_head: str | None = None) -> Journal:
        """Rebuild a journal from :meth:`to_jsonl` output, checking every line and the
        trailer, and (given `expected_head`, the head an auditor recorded) that it is that
        journal (see :func:`loanmath.ledger.from_jsonl`)."""
        journal, links = read_jsonl(text, expected_head, cls)
        journal._hashes[:] = links  # the links just checked are its chain: kept, not recomputed
        return journal

    # --- the chain ----------------------------------------------------------------------
    @property
    def genesis(self) -> str:
        """The chain's first link: ``chain_hash(GENESIS, chart.canonical())``.

        Examples
        --------
        >>> import datetime as dt
        >>> from loanmath.ledger import lending_chart
        >>> a = Journal(lending_chart(dt.date(2024, 1, 1)))
        >>> b = Journal(lending_chart(dt.date(2024, 1, 1), renames={"custody": "Assets:Bank:X"}))
        >>> a.genesis == a.head != b.head
        True
        """
        if self._genesis is None:
            self._genesis = chain_hash(GENESIS, self._chart.canonical())
        return self._genesis

    def hashes(self) -> tuple[str, ...]:
        """The hash of each entry in order (computed lazily, then kept)."""
        previous = self._hashes[-1] if self._hashes else self.genesis
        for transaction in self._entries[len(self._hashes) :]:
            previous = chain_hash(previous, transaction.canonical())
            self._hashes.append(previous)
        return tuple(self._hashes)

    @property
    def head(self) -> str:
        """The hash of the last entry (the chart's link, :attr:`genesis`, when empty)."""
        chain = self.hashes()
        return chain[-1] if chain else self.genesis

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
        previous = self.genesis
        for index, (transaction, link) in enumerate(zip(self._entries, reference, strict=True)):
            previous = chain_hash(previous, transaction.canonical())
            if previous != link:
                raise LedgerTamperError(
                    f"entry {index + 1} ({transaction.id!r}) does not match the hash chain"
                )


def from_jsonl(text: str | bytes, expected_head: str | None = None) -> Journal:
    """Rebuild a journal from :func:`~loanmath.ledger.to_jsonl` output, checking every line.

    Parameters
    ----------
    text : str or bytes
        The export (bytes are decoded as UTF-8, strictly).
    expected_head : str, optional
        The head recorded when the journal was exported (``journal.head``): any other file —
        even one whose chain and trailer were recomputed after an edit — is refused.

    Raises
    ------
    LedgerTamperError
        Naming the first bad line: not UTF-8, not JSON, not canonical, not the form the
        export writes, a broken chart, an unbalanced transaction, an unknown account, a link
        that does not continue the chain, a missing or wrong trailer, another head than
        `expected_head`. Nothing is imported.
    InvalidInputError
        If `expected_head` is not 64 hex digits.

    Notes
    -----
    Each line's link is ``sha256(previous link + canonical JSON)`` from
    ``sha256(GENESIS + canonical chart)``; the trailer holds the count and the head
    (docs/ledger.md, "Exports").

    Examples
    --------
    >>> from_jsonl("not json" + chr(10) + "{}" + chr(10))
    Traceback (most recent call last):
    ...
    loanmath.errors.LedgerTamperError: line 1: not JSON (...); nothing was imported
    """
    return Journal.from_jsonl(text, expected_head)
