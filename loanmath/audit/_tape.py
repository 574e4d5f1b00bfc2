"""Reading a tape: CSV, JSON Lines, Parquet, a pandas DataFrame or an Arrow table, into rows of
text cells keyed by the tape format's column names, each with its row number.

Every cell stays text until ``_cells`` checks it: money never passes through a float. CSV and
JSON Lines rows are numbered by their line in the file (a CSV header is line 1); Parquet rows
and frame rows by their position from 1.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import json
import math
import os
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from loanmath._checks import check_date
from loanmath._optional import require
from loanmath.errors import LoanMathError, TapeError

__all__ = [
    "MONEY_COLUMNS",
    "Tape",
    "TapeError",
    "check_columns",
    "file_sha256",
    "iter_rows",
    "read_tape",
    "rename",
]

#: Columns holding money or rates: a float there is refused, never converted.
MONEY_COLUMNS = frozenset(
    {"principal", "annual_rate", "amount", "upfront_fee", "financed_fee", "periodic_fee",
     "penalty_multiple", "penalty_rate", "late_fee"}
)  # fmt: skip


@attrs.frozen
class Tape:
    """One table of a tape: its name (for the errors report), rows and SHA-256."""

    name: str
    rows: list[tuple[int, dict[str, str]]]
    sha256: str
    #: Rows read (when they were streamed to buckets rather than kept in `rows`).
    count: int | None = None

    @property
    def size(self) -> int:
        """How many rows the table has."""
        return len(self.rows) if self.count is None else self.count


def _text(value: object, column: str) -> str:
    """A frame or Arrow cell as text (money floats are refused by the column check)."""
    if hasattr(value, "item") and not isinstance(value, (str, Decimal)):
        value = value.item()  # numpy scalars
    text: str
    if value is None or (isinstance(value, float) and math.isnan(value)):
        text = ""  # an empty cell
    elif isinstance(value, bool):
        text = str(value).lower()
    elif isinstance(value, _dt.datetime):
        try:  # a date at midnight is its date; a time of day is left to be refused as a date
            text = check_date(value, column).isoformat()
        except LoanMathError:
            text = str(value)
    elif isinstance(value, _dt.date):
        text = value.isoformat()
    elif isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, float):  # money in a float has already lost its cents: unusable
        text = f"float {value!r}" if column in MONEY_COLUMNS else repr(value)
    else:
        text = str(value)
    return text


def rename(row: Mapping[str, object], columns: Mapping[str, str]) -> dict[str, str]:
    back = {tape: ours for ours, tape in columns.items()}
    return {
        back.get(key, key): value if type(value) is str else _text(value, back.get(key, key))
        for key, value in row.items()
    }


def check_columns(
    names: Iterable[str], kinds: Mapping[str, str], columns: Mapping[str, str], source: str
) -> None:
    back = {tape: ours for ours, tape in columns.items()}
    for name in names:
        if back.get(name, name) in MONEY_COLUMNS and kinds[name].startswith(("float", "double")):
            raise TapeError(
                source,
                name,
                f"is a {kinds[name]} column of money or rates",
                "store money as text or decimal: a float has already lost the cents",
            )


def read_tape(source: object, columns: Mapping[str, str], default_name: str) -> Tape:
    """Read one table from a path (.csv, .jsonl, .parquet), a DataFrame or an Arrow table.

    Raises
    ------
    TapeError
        The file is missing or unreadable, its format unknown, or a money column is float.
    """
    if isinstance(source, (str, os.PathLike)):
        return _read_path(Path(source), columns, default_name)
    kind = type(source).__module__.split(".")[0]
    if kind == "pandas":
        frame: Any = source
        check_columns(
            frame.columns, {c: str(frame[c].dtype) for c in frame.columns}, columns, default_name
        )
        records = frame.to_dict("records")
        digest = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
    elif kind == "pyarrow":
        table: Any = source
        check_columns(
            table.column_names, {f.name: str(f.type) for f in table.schema}, columns, default_name
        )
        records = table.to_pylist()
        digest = hashlib.sha256(json.dumps(records, default=str).encode()).hexdigest()
    else:
        raise TapeError(
            default_name,
            type(source).__name__,
            "is not a tape",
            "give a path (.csv, .jsonl, .parquet), a pandas DataFrame or a pyarrow Table",
        )
    rows = [(k + 1, rename(r, columns)) for k, r in enumerate(records)]
    return Tape(default_name, rows, digest)


def _read_path(path: Path, columns: Mapping[str, str], label: str) -> Tape:
    digest = file_sha256(path, label)
    return Tape(str(path), list(iter_rows(path, label, columns)), digest)


def file_sha256(path: Path, label: str) -> str:
    """The SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:
        raise TapeError(label, str(path), f"cannot be read: {error.strerror}") from error
    return digest.hexdigest()


def iter_rows(
    path: Path, label: str, columns: Mapping[str, str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """The file's rows, one at a time, renamed to the tape format's columns."""
    try:
        yield from _read_rows(path, label, columns)
    except UnicodeDecodeError as error:
        raise TapeError(label, str(path), f"is not UTF-8 text ({error.reason} at byte "
                        f"{error.start})", "save it as UTF-8") from error  # fmt: skip
    except csv.Error as error:
        raise TapeError(label, str(path), f"is not a readable CSV file: {error}") from error


def _read_rows(
    path: Path, label: str, columns: Mapping[str, str]
) -> Iterator[tuple[int, dict[str, str]]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise TapeError(label, str(path), "has no header row")
            back = {tape: ours for ours, tape in columns.items()}
            names = [back.get(name, name) for name in header]
            line = reader.line_num  # the header's last line
            for record in reader:
                # a short row leaves its last cells empty, as csv.DictReader does
                yield line + 1, dict(zip(names, record, strict=False))
                line = reader.line_num
    elif suffix in (".jsonl", ".ndjson"):
        with path.open(encoding="utf-8") as handle:
            for number, text in enumerate(handle, 1):
                if not text.strip():
                    continue
                try:
                    record = json.loads(text, parse_float=str, parse_int=str)
                except ValueError:
                    record = None
                yield number, rename(record if isinstance(record, dict) else
                                     {"_unreadable": text.rstrip("\n")}, columns)  # fmt: skip
    elif suffix == ".parquet":
        pq = require("pyarrow.parquet", "Parquet tapes")
        try:
            table = pq.ParquetFile(str(path))
        except Exception as error:
            raise TapeError(label, str(path), f"is not a Parquet file: {error}") from error
        schema = table.schema_arrow
        check_columns(schema.names, {f.name: str(f.type) for f in schema}, columns, label)
        number = 0
        for batch in table.iter_batches(batch_size=65536, use_threads=False):
            for record in batch.to_pylist():
                number += 1
                yield number, rename(record, columns)
    else:
        raise TapeError(label, str(path), "is not a tape format", "use .csv, .jsonl or .parquet")
