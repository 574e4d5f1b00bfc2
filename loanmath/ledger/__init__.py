"""Double-entry ledger: accounts, balanced transactions, an append-only hash-chained journal.

Knows nothing of loans: servicing posts into it. Every transaction balances per currency at
construction; the journal is append-only and idempotent by id; corrections are reversals;
``verify()`` detects any altered, inserted, removed or reordered entry; exports to beancount,
CSV and JSON Lines (which round-trips exactly); a columnar form for portfolio-scale balances.
"""

from __future__ import annotations

from loanmath.errors import LedgerImbalance
from loanmath.ledger._accounts import ACCOUNT_TYPES, LENDING_ROLES, Account, Chart, lending_chart
from loanmath.ledger._columnar import ColumnarPostings, columnar
from loanmath.ledger._io import from_jsonl, to_beancount, to_csv, to_jsonl
from loanmath.ledger._journal import GENESIS, Journal, LedgerTamperError, chain_hash
from loanmath.ledger._transactions import Posting, Transaction

__all__ = [
    "ACCOUNT_TYPES",
    "GENESIS",
    "LENDING_ROLES",
    "Account",
    "Chart",
    "ColumnarPostings",
    "Journal",
    "LedgerImbalance",
    "LedgerTamperError",
    "Posting",
    "Transaction",
    "chain_hash",
    "columnar",
    "from_jsonl",
    "lending_chart",
    "to_beancount",
    "to_csv",
    "to_jsonl",
]
