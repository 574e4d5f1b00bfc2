"""``--journal``: the portfolio's postings as one double-entry journal (beancount text and JSON
Lines) and its trial balance, which nets to zero per currency."""

from __future__ import annotations

import csv
import datetime as _dt
import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from loanmath.audit._build import build_event, build_terms
from loanmath.audit._mapping import read_mapping
from loanmath.audit._tape import read_tape
from loanmath.errors import LoanMathError
from loanmath.ledger import Journal, lending_chart
from loanmath.servicing import Loan

__all__ = ["write_journal"]


def write_journal(
    contracts: object,
    events: object,
    as_of: _dt.date,
    out_dir: str | os.PathLike[str],
    *,
    mapping: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write ``journal.beancount``, ``journal.jsonl`` and ``trial_balance.csv`` for every loan
    that recomputes (loans in error are reported by :func:`loanmath.audit.audit`).

    Returns
    -------
    list of Path

    Notes
    -----
    Each loan whose rows all build is replayed as in the audit (events by date, one day's in
    the file's order) with the default ``ServicingPolicy``; its transactions up to `as_of` go
    into one journal over ``lending_chart(earliest start date)``, exported by
    ``to_beancount`` and ``to_jsonl``; the trial balance as of `as_of` nets to zero per
    currency (docs/audit.md, "The reports"; docs/ledger.md).

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> contracts = pd.DataFrame([{"loan_id": "L1", "currency": "CNY", "principal": "1200.00",
    ...     "annual_rate": "0.12", "term": "3", "start_date": "2024-01-15"}])
    >>> events = pd.DataFrame([{"loan_id": "L1", "event_id": "D", "date": "2024-01-15",
    ...     "type": "disbursement", "amount": ""}])
    >>> with tempfile.TemporaryDirectory() as out:
    ...     [p.name for p in write_journal(contracts, events, _dt.date(2024, 2, 15), out)]
    ['journal.beancount', 'journal.jsonl', 'trial_balance.csv']
    """
    tape_mapping = read_mapping(mapping)
    contract_tape = read_tape(contracts, tape_mapping.contracts, "contracts")
    event_tape = read_tape(events, tape_mapping.events, "events")
    by_loan: dict[str, list[dict[str, str]]] = {}
    for _, cells in event_tape.rows:
        by_loan.setdefault(cells.get("loan_id", "").strip(), []).append(cells)
    transactions: list[Any] = []
    opened: _dt.date | None = None
    for _, cells in sorted(contract_tape.rows, key=lambda r: r[1].get("loan_id", "")):
        loan_id = cells.get("loan_id", "").strip()
        try:
            terms = build_terms(cells, tape_mapping)
            currency = terms.principal.currency
            history = [build_event(e, currency, tape_mapping) for e in by_loan.get(loan_id, [])]
            history.sort(key=lambda event: event.date)
            loan = Loan(terms, loan_id)
            for event in history:
                loan = loan.add(event)
            transactions.extend(loan.transactions(as_of))
        except LoanMathError:
            continue  # reported by the audit's errors
        opened = terms.start_date if opened is None else min(opened, terms.start_date)
    journal = Journal(lending_chart(opened or as_of))
    journal.post_many(transactions)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "journal.beancount", folder / "journal.jsonl", folder / "trial_balance.csv"]
    paths[0].write_text(journal.to_beancount(), "utf-8")
    paths[1].write_text(journal.to_jsonl(), "utf-8")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["account", "currency", "balance"])
    for (account, currency), amount in sorted(journal.trial_balance(as_of).items()):
        writer.writerow([account, currency, format(amount, "f")])
    paths[2].write_text(buffer.getvalue(), "utf-8")
    return paths
