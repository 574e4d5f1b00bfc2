"""Double-entry ledger: accounts, balanced transactions, an append-only hash-chained journal.

Knows nothing of loans: servicing posts into it. Every transaction balances per currency at
construction; the journal is append-only and idempotent by id, and a refused post changes
nothing; corrections are reversals; the hash chain starts with the chart, and ``verify()``
detects any altered, inserted, removed or reordered entry; exports to beancount (valid for
every journal the ledger accepts), CSV and JSON Lines (anchored by a trailer, round-trips
exactly); a columnar form for portfolio-scale balances. Amounts are bounded by
:data:`MAX_AMOUNT` and :data:`MAX_PLACES`.
"""

from __future__ import annotations

from loanmath.errors import LedgerImbalance, LedgerTamperError
from loanmath.ledger._accounts import ACCOUNT_TYPES, LENDING_ROLES, Account, Chart, lending_chart
from loanmath.ledger._chain import GENESIS, chain_hash
from loanmath.ledger._columnar import ColumnarPostings, columnar
from loanmath.ledger._io import to_beancount, to_csv, to_jsonl
from loanmath.ledger._journal import Journal, from_jsonl
from loanmath.ledger._transactions import (
    MAX_AMOUNT,
    MAX_PLACES,
    MAX_POSTINGS,
    RESERVED_META_KEYS,
    Posting,
    Transaction,
    check_amount,
)

__all__ = [
    "ACCOUNT_TYPES",
    "GENESIS",
    "LENDING_ROLES",
    "MAX_AMOUNT",
    "MAX_PLACES",
    "MAX_POSTINGS",
    "RESERVED_META_KEYS",
    "Account",
    "Chart",
    "ColumnarPostings",
    "Journal",
    "LedgerImbalance",
    "LedgerTamperError",
    "Posting",
    "Transaction",
    "chain_hash",
    "check_amount",
    "columnar",
    "from_jsonl",
    "lending_chart",
    "to_beancount",
    "to_csv",
    "to_jsonl",
]
