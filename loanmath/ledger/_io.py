"""Exports and imports: beancount text, CSV, and JSON Lines that round-trip exactly.

JSON Lines layout: the first line is the chart (every account, its type and opening date) with
the SHA-256 of its canonical form; then one line per transaction in journal order, each
``{"hash": <chain link>, "txn": <canonical transaction>}``. Every line is written in canonical
form (sorted keys, no spaces), so importing and exporting gives the same bytes, and an import
checks each line's hash, each transaction's balance and the chart — a changed byte anywhere is
an error naming its line.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import json
from typing import Any

from loanmath.errors import LoanMathError
from loanmath.ledger._accounts import Account, Chart
from loanmath.ledger._journal import GENESIS, Journal, LedgerTamperError, chain_hash
from loanmath.ledger._transactions import Transaction

__all__ = ["from_jsonl", "to_beancount", "to_csv", "to_jsonl"]


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _chart_data(chart: Chart) -> list[list[str]]:
    return [
        [a.name, a.type, a.opened.isoformat()]
        for a in sorted(chart.accounts.values(), key=lambda a: a.name)
    ]


def to_jsonl(journal: Journal) -> str:
    """The journal as JSON Lines (see the module documentation).

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath.ledger import lending_chart
    >>> text = to_jsonl(Journal(lending_chart(dt.date(2024, 1, 1))))
    >>> from_jsonl(text).head == Journal().head and to_jsonl(from_jsonl(text)) == text
    True
    """
    accounts = _chart_data(journal.chart)
    roles = dict(sorted(journal.chart.roles.items()))
    chart = {"accounts": accounts, "roles": roles}
    lines = [
        _canonical(
            {"chart": chart, "hash": hashlib.sha256(_canonical(chart).encode("utf-8")).hexdigest()}
        )
    ]
    for transaction, link in zip(journal, journal.hashes(), strict=True):
        lines.append('{"hash":"' + link + '","txn":' + transaction.canonical() + "}")
    return "\n".join(lines) + "\n"


def _line_error(number: int, problem: str) -> LedgerTamperError:
    return LedgerTamperError(f"line {number}: {problem}; nothing was imported")


def from_jsonl(text: str) -> Journal:
    """Rebuild a journal from :func:`to_jsonl` output, checking every line.

    Raises
    ------
    LedgerTamperError
        Naming the first bad line: not canonical JSON, a broken chart hash, an unbalanced
        transaction, an unknown account, or a hash that does not continue the chain.

    Examples
    --------
    >>> from_jsonl("not json" + chr(10))
    Traceback (most recent call last):
    ...
    loanmath.ledger._journal.LedgerTamperError: line 1: not JSON (...); nothing was imported
    """
    lines = text.split("\n")
    if not lines or lines[-1] != "":
        raise _line_error(len(lines), "the file must end with a newline")
    lines = lines[:-1]
    if not lines:
        raise _line_error(1, "no chart line")
    parsed = []
    for number, line in enumerate(lines, start=1):
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise _line_error(number, f"not JSON ({error.msg})") from None
        if _canonical(data) != line:
            raise _line_error(number, "not in canonical form (was it edited?)")
        parsed.append(data)
    header = parsed[0]
    try:
        chart_data = header["chart"]
        if hashlib.sha256(_canonical(chart_data).encode("utf-8")).hexdigest() != header["hash"]:
            raise _line_error(1, "the chart does not match its hash")
        chart = Chart(
            {
                name: Account(name, kind, _dt.date.fromisoformat(opened))
                for name, kind, opened in chart_data["accounts"]
            },
            chart_data["roles"],
        )
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, LedgerTamperError):
            raise
        raise _line_error(1, f"bad chart line ({error})") from None
    journal = Journal(chart)
    previous = GENESIS
    links = []
    for number, data in enumerate(parsed[1:], start=2):
        try:
            transaction = Transaction.from_dict(data["txn"])
        except (KeyError, TypeError, ValueError) as error:
            raise _line_error(number, f"bad transaction ({error})") from None
        previous = chain_hash(previous, transaction.canonical())
        if previous != data.get("hash"):
            raise _line_error(number, f"transaction {transaction.id!r} breaks the hash chain")
        try:
            journal.post(transaction)
        except LoanMathError as error:
            raise _line_error(number, str(error)) from None
        links.append(previous)
    journal.verify(links)
    return journal


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def to_beancount(journal: Journal) -> str:
    """The journal as beancount text (``bean-check`` accepts it): an ``open`` per account,
    then each transaction with its id, links and metadata as metadata.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath.ledger import lending_chart
    >>> print(to_beancount(Journal(lending_chart(dt.date(2024, 1, 1)))).splitlines()[1])
    2024-01-01 open Assets:Bank:Custody
    """
    lines = ["; exported by loanmath"]
    for account in sorted(journal.chart.accounts.values(), key=lambda a: a.name):
        lines.append(f"{account.opened.isoformat()} open {account.name}")
    for transaction in journal:
        lines += [
            "",
            f"{transaction.date.isoformat()} * {_quote(transaction.narration)}",
            f"  id: {_quote(transaction.id)}",
        ]
        if transaction.links:
            lines.append(f"  links: {_quote(','.join(transaction.links))}")
        lines += [f"  {key}: {_quote(value)}" for key, value in transaction.meta]
        lines += [
            f"  {account}  {format(amount, 'f')} {currency}"
            for account, amount, currency in transaction.postings
        ]
    return "\n".join(lines) + "\n"


def to_csv(journal: Journal) -> str:
    """One row per posting: id, date, narration, account, amount, currency, links.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath.ledger import lending_chart
    >>> to_csv(Journal(lending_chart(dt.date(2024, 1, 1)))).splitlines()[0]
    'id,date,narration,account,amount,currency,links'
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "date", "narration", "account", "amount", "currency", "links"])
    for t in journal:
        for account, amount, currency in t.postings:
            writer.writerow(
                [
                    t.id,
                    t.date.isoformat(),
                    t.narration,
                    account,
                    format(amount, "f"),
                    currency,
                    " ".join(t.links),
                ]
            )
    return out.getvalue()
