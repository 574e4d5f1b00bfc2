"""Exports and imports: beancount text, CSV, and JSON Lines that round-trip exactly.

JSON Lines layout, every line in canonical form (sorted keys, no spaces)::

    {"chart":{"accounts":[[name,type,opened],…],"roles":{…}},"hash":<link 0>}
    {"hash":<link 1>,"txn":<canonical transaction 1>}
    …
    {"count":<number of transactions>,"head":<last link>}

The chart is the chain's first link (``chain_hash(GENESIS, chart)``), each transaction line
continues it, and the trailer anchors the end: a truncated file, a deleted, duplicated or
swapped line, or a changed byte anywhere is an error naming its line. The import accepts only
the bytes the export writes (amounts as ``-1234.50``, dates as ``2024-01-31``, no other
spelling), so import → export gives the same bytes. A file whose chain was recomputed after an
edit is consistent in itself: pass ``expected_head`` (the head recorded when the journal was
exported) to refuse every file but the one exported.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import re
from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypeVar

from loanmath._canonical import canonical_json
from loanmath.errors import InputTypeError, InvalidInputError, LedgerTamperError, LoanMathError
from loanmath.ledger._accounts import Account, Chart
from loanmath.ledger._chain import GENESIS, chain_hash
from loanmath.ledger._transactions import Transaction

__all__ = ["read_jsonl", "to_beancount", "to_csv", "to_jsonl"]


class Exported(Protocol):
    """What an export reads of a journal (``loanmath.ledger.Journal`` is one): this module
    sits below the journal, which calls it."""

    @property
    def chart(self) -> Chart: ...

    @property
    def genesis(self) -> str: ...

    @property
    def head(self) -> str: ...

    def hashes(self) -> tuple[str, ...]: ...

    def __iter__(self) -> Iterator[Transaction]: ...

    def __len__(self) -> int: ...


class Rebuilt(Exported, Protocol):
    """A journal being rebuilt from its export: it posts each transaction read."""

    def post(self, transaction: Transaction) -> Transaction: ...


_J = TypeVar("_J", bound=Rebuilt)

_HEX = re.compile(r"\A[0-9a-f]{64}\Z")
_DATE = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_CHART_KEYS = frozenset({"chart", "hash"})
_TXN_KEYS = frozenset({"hash", "txn"})
_TRAILER_KEYS = frozenset({"count", "head"})


def _chart_line(chart: Chart, link: str) -> str:
    return '{"chart":' + chart.canonical() + ',"hash":"' + link + '"}'


def _txn_line(transaction: Transaction, link: str) -> str:
    return '{"hash":"' + link + '","txn":' + transaction.canonical() + "}"


def _trailer(count: int, head: str) -> str:
    return '{"count":' + str(count) + ',"head":"' + head + '"}'


def to_jsonl(journal: Exported) -> str:
    """The journal as JSON Lines: the chart, one line per transaction, a trailer (see the
    module documentation). Deterministic: the same journal gives the same bytes.

    Notes
    -----
    Line 0 is the canonical chart with ``link_0 = chain_hash(GENESIS, chart)``, line k the
    canonical transaction k with ``link_k = chain_hash(link_{k-1}, transaction)``, and the
    trailer ``{"count": n, "head": link_n}``; keys sorted, no spaces, amounts as exact
    decimal strings, so import → export gives the same bytes (docs/ledger.md, "Exports").

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath.ledger import Journal, from_jsonl, lending_chart
    >>> journal = Journal(lending_chart(dt.date(2024, 1, 1)))
    >>> text = to_jsonl(journal)
    >>> text.splitlines()[-1] == '{"count":0,"head":"' + journal.head + '"}'
    True
    >>> from_jsonl(text, expected_head=journal.head).head == journal.head
    True
    """
    lines = [_chart_line(journal.chart, journal.genesis)]
    for transaction, link in zip(journal, journal.hashes(), strict=True):
        lines.append(_txn_line(transaction, link))
    lines.append(_trailer(len(journal), journal.head))
    return "\n".join(lines) + "\n"


def _line_error(number: int, problem: str) -> LedgerTamperError:
    return LedgerTamperError(f"line {number}: {problem}; nothing was imported")


class _Refused(ValueError):
    """A JSON value the export never writes (a float, a constant, a long integer)."""


def _no_float(text: str) -> Any:
    raise _Refused(f"a number {text[:20]!r} where the export writes strings")


def _no_constant(text: str) -> Any:
    raise _Refused(f"{text} is not a value the export writes")


def _small_int(text: str) -> int:
    if len(text) > 19:
        raise _Refused(f"an integer of {len(text)} digits")
    return int(text)


def _parse(number: int, line: str, *, canonical_form: bool = True) -> dict[str, Any]:
    """One line as a JSON object, refusing anything the export would not have written.

    With `canonical_form` false the caller compares the line with the one the export would
    write (transaction lines: cheaper than re-serialising the parsed line here)."""
    try:
        data = json.loads(
            line, parse_float=_no_float, parse_int=_small_int, parse_constant=_no_constant
        )
        canonical = canonical_json(data) if canonical_form and type(data) is dict else line
    except json.JSONDecodeError as error:
        raise _line_error(number, f"not JSON ({error.msg}, column {error.colno})") from None
    except RecursionError:
        raise _line_error(number, "nested too deeply to be a journal line") from None
    except _Refused as error:
        raise _line_error(number, f"not a journal line ({error})") from None
    if type(data) is not dict:
        raise _line_error(number, f"not a journal line (a JSON {type(data).__name__})")
    if canonical != line:
        raise _line_error(number, "not in canonical form (was it edited?)")
    result: dict[str, Any] = data
    return result


def _lines(text: object) -> list[str]:
    """The lines of an export (str or UTF-8 bytes), refusing text no export holds."""
    if isinstance(text, bytes | bytearray | memoryview):
        data = bytes(text)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            byte = data[error.start : error.start + 1].hex()
            raise _line_error(line, f"not UTF-8 (byte 0x{byte})") from None
    if type(text) is not str:
        raise InputTypeError(
            "text", text, "must be the str (or UTF-8 bytes) of a JSON Lines export"
        )
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as error:
            line = text.count("\n", 0, error.start) + 1
            raise _line_error(line, "holds a lone surrogate, which no UTF-8 file holds") from None
    lines = text.split("\n")
    if lines[-1] != "":
        raise _line_error(len(lines), "the file must end with a newline (was it truncated?)")
    lines.pop()
    if len(lines) < 2:
        raise _line_error(
            len(lines) + 1, "an export has a chart line and a trailer line (it was truncated)"
        )
    return lines


def _read_chart(line: str) -> Chart:
    header = _parse(1, line)
    if set(header) != _CHART_KEYS:
        raise _line_error(1, "not a chart line (the export starts with the chart)")
    try:
        data = header["chart"]
        if type(data) is not dict or set(data) != {"accounts", "roles"}:
            raise InvalidInputError("chart", data, "must hold exactly 'accounts' and 'roles'")
        accounts = {}
        if type(data["accounts"]) is not list:
            raise InvalidInputError("accounts", data["accounts"], "must be a list")
        for row in data["accounts"]:
            if type(row) is not list or len(row) != 3:
                raise InvalidInputError("accounts", row, "each is [name, type, opened]")
            name, kind, opened = row
            if type(opened) is not str or not _DATE.match(opened):
                raise InvalidInputError("opened", opened, "is not written as 2024-01-31")
            accounts[name] = Account(name, kind, _dt.date.fromisoformat(opened))
        chart = Chart(accounts, data["roles"])
    except (LoanMathError, KeyError, TypeError, ValueError) as error:
        raise _line_error(1, f"bad chart ({error})") from None
    genesis = chain_hash(GENESIS, chart.canonical())
    if header["hash"] != genesis:
        raise _line_error(1, "the chart does not match its hash (the chain's first link)")
    if line != _chart_line(chart, genesis):
        raise _line_error(1, "the chart is not written as the export writes it")
    return chart


def _read_transaction(number: int, data: dict[str, Any]) -> Transaction:
    if set(data) != _TXN_KEYS:
        raise _line_error(number, "not a transaction line (nor the trailer)")
    try:
        return Transaction.from_dict(data["txn"])
    except (LoanMathError, KeyError, TypeError, ValueError) as error:
        raise _line_error(number, f"bad transaction ({error})") from None


def _check_trailer(
    number: int, data: dict[str, Any], count: int, head: str, expected_head: str | None
) -> None:
    if data["count"] != count or type(data["count"]) is not int:
        raise _line_error(
            number,
            f"the trailer counts {data['count']!r} transactions but the file holds {count} "
            "(lines were deleted or added)",
        )
    if data["head"] != head:
        raise _line_error(number, f"the trailer's head {data['head']!r} is not the chain's head")
    if expected_head is not None and head != expected_head:
        raise _line_error(
            number,
            f"the head {head} is not the expected head {expected_head}: this is not the "
            "journal that head was recorded from (edited, truncated or rebuilt)",
        )


def read_jsonl(
    text: str | bytes, expected_head: str | None, new: Callable[[Chart], _J]
) -> tuple[_J, list[str]]:
    """The journal ``new(chart)`` rebuilt from :func:`to_jsonl` output, with the chain links
    checked on the way (the caller keeps them as the journal's chain); see
    :func:`loanmath.ledger.from_jsonl` for what is checked and refused.

    Examples
    --------
    >>> from loanmath.ledger import Journal
    >>> read_jsonl("not json" + chr(10) + "{}" + chr(10), None, Journal)
    Traceback (most recent call last):
    ...
    loanmath.errors.LedgerTamperError: line 1: not JSON (...); nothing was imported
    """
    if expected_head is not None and (
        type(expected_head) is not str or not _HEX.match(expected_head)
    ):
        raise InvalidInputError(
            "expected_head", expected_head, "must be 64 lower-case hex digits (a Journal.head)"
        )
    lines = _lines(text)
    journal = new(_read_chart(lines[0]))
    link = journal.genesis
    links: list[str] = []
    last = len(lines)
    for number, line in enumerate(lines[1:], start=2):
        data = _parse(number, line, canonical_form=False)
        if set(data) == _TRAILER_KEYS:
            if number != last:
                raise _line_error(number, "the trailer is not the last line (lines were added)")
            _check_trailer(number, data, len(links), link, expected_head)
            if line != _trailer(len(links), link):
                raise _line_error(number, "not in canonical form (was it edited?)")
            return journal, links
        transaction = _read_transaction(number, data)
        canonical = transaction.canonical()
        link = chain_hash(link, canonical)
        if data["hash"] != link:
            raise _line_error(
                number,
                f"transaction {transaction.id!r} breaks the hash chain (this line was edited, "
                "or a line before it was deleted, duplicated or moved)",
            )
        if line != '{"hash":"' + link + '","txn":' + canonical + "}":
            raise _line_error(number, "not written as the export writes it (not canonical)")
        try:
            posted = journal.post(transaction)
        except LoanMathError as error:
            raise _line_error(number, str(error)) from None
        if len(journal) == len(links):
            raise _line_error(number, f"transaction {posted.id!r} appears twice")
        links.append(link)
    raise _line_error(last, "the trailer line is missing (the file was truncated)")


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _quote(text: str) -> str:
    """A beancount string that reads back as `text` (beancount unescapes these four)."""
    return '"' + text.translate(_ESCAPES) + '"'


def to_beancount(journal: Exported) -> str:
    """The journal as beancount text (``bean-check`` accepts it): an ``open`` per account,
    then each transaction with its id, links and metadata as metadata.

    Valid for every journal the ledger accepts: text is escaped so that beancount reads back
    exactly what was posted (quotes, backslashes, line breaks), metadata keys follow
    beancount's syntax and never collide with ``id`` or ``links`` (refused when a transaction
    is built), and amounts are within :data:`~loanmath.ledger.MAX_AMOUNT` (refused when
    posted), which beancount's 28-digit arithmetic holds exactly.

    Notes
    -----
    beancount's syntax: ``YYYY-MM-DD open Account`` per account (sorted by name), then each
    transaction as ``YYYY-MM-DD * "narration"`` with ``id``, ``links`` and its metadata as
    ``key: "value"`` lines and one ``Account  amount CUR`` line per posting; in strings a
    backslash, a quote, LF and CR are written ``\\\\``, ``\\"``, ``\\n``, ``\\r``.
    Property-tested with beancount 3 (docs/ledger.md, "Exports").

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath.ledger import Journal, lending_chart
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
            f"  {leg.account}  {format(leg.amount, 'f')} {leg.currency}"
            for leg in transaction.postings
        ]
    return "\n".join(lines) + "\n"


def to_csv(journal: Exported) -> str:
    """One row per posting: id, date, narration, account, amount, currency, links.

    Notes
    -----
    Written by Python's ``csv.writer`` (the ``excel`` dialect: fields quoted only when
    needed, ``"`` doubled) with ``\\n`` line ends; amounts in plain exact notation
    (``format(amount, "f")``), dates ISO 8601, links joined by a space. A view for
    spreadsheets: unlike the JSON Lines export it carries no chain (docs/ledger.md, "Exports").

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath.ledger import Journal, lending_chart
    >>> to_csv(Journal(lending_chart(dt.date(2024, 1, 1)))).splitlines()[0]
    'id,date,narration,account,amount,currency,links'
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "date", "narration", "account", "amount", "currency", "links"])
    for t in journal:
        for leg in t.postings:
            writer.writerow(
                [
                    t.id,
                    t.date.isoformat(),
                    t.narration,
                    leg.account,
                    format(leg.amount, "f"),
                    leg.currency,
                    " ".join(t.links),
                ]
            )
    return out.getvalue()
