"""Streaming a tape from its files into buckets of loans on disk, so that memory is bounded by
a bucket, not by the tape: each row goes to the bucket of its loan id (a CRC-32 of the id),
written in pickled batches to a private temporary folder, and a worker then recomputes one
bucket at a time.

Only file inputs are streamed; tables given in memory are partitioned in memory.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import pickle
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO

from loanmath._optional import require
from loanmath.audit._tape import Tape, TapeError, check_columns, rename

__all__ = ["read_bucket", "spill"]

#: Target contract-file bytes per bucket (about 4,000 loans of a typical tape).
BUCKET_BYTES = 250_000
#: Rows kept per bucket before they are written (bounds the spill's memory).
_BATCH = 2000


def _sha256(path: Path, label: str) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:
        raise TapeError(label, str(path), f"cannot be read: {error.strerror}") from error
    return digest.hexdigest()


def _rows(
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


def spill(
    contracts: Path, events: Path, columns: tuple[Mapping[str, str], Mapping[str, str]],
    folder: Path, *, minimum: int = 1,
) -> tuple[list[Path], list[Tape]]:  # fmt: skip
    """Write every row of the two tables to its loan's bucket in `folder`.

    Returns
    -------
    (bucket files that hold rows, the two tables' names, SHA-256 and row counts with no rows)
    """
    labels = (("contracts", contracts, columns[0]), ("events", events, columns[1]))
    digests = [_sha256(path, label) for label, path, _ in labels]
    # at most 512 buckets: one open file each while spilling
    count = max(minimum, min(512, contracts.stat().st_size // BUCKET_BYTES + 1))
    handles: dict[int, IO[bytes]] = {}
    pending: dict[int, list[tuple[str, int, dict[str, str]]]] = {}
    totals = []

    def flush(bucket: int) -> None:
        handle = handles.get(bucket)
        if handle is None:
            handle = handles[bucket] = (folder / f"{bucket:05d}.bin").open("wb")
        pickle.dump(pending.pop(bucket), handle, protocol=pickle.HIGHEST_PROTOCOL)

    try:
        for kind, (label, path, mapping) in zip("ce", labels, strict=True):
            rows = 0
            for line, cells in _rows(path, label, mapping):
                rows += 1
                bucket = zlib.crc32(cells.get("loan_id", "").strip().encode()) % count
                batch = pending.setdefault(bucket, [])
                batch.append((kind, line, cells))
                if len(batch) >= _BATCH:
                    flush(bucket)
            totals.append(rows)
        for bucket in list(pending):
            flush(bucket)
    finally:
        for handle in handles.values():
            handle.close()
    tapes = [
        Tape(str(path), [], digest, rows)
        for (_, path, _), digest, rows in zip(labels, digests, totals, strict=True)
    ]
    return [folder / f"{b:05d}.bin" for b in sorted(handles)], tapes


def read_bucket(path: str | os.PathLike[str], names: tuple[str, str]) -> tuple[Tape, Tape]:
    """One bucket's rows as the two tables (names as the files were given)."""
    contract_rows: list[tuple[int, dict[str, str]]] = []
    event_rows: list[tuple[int, dict[str, str]]] = []
    with open(path, "rb") as handle:  # batches this process's own spill wrote
        while True:
            try:
                batch = pickle.load(handle)
            except EOFError:
                break
            for kind, line, cells in batch:
                (contract_rows if kind == "c" else event_rows).append((line, cells))
    return Tape(names[0], contract_rows, ""), Tape(names[1], event_rows, "")
