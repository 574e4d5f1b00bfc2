"""Streaming a tape from its files into buckets of loans on disk, so that memory is bounded by
a bucket, not by the tape: each row goes to the bucket of its loan id (a CRC-32 of the id),
written in pickled batches to a private temporary folder, and a worker then recomputes one
bucket at a time.

Only file inputs are streamed; tables given in memory are partitioned in memory.
"""

from __future__ import annotations

import os
import pickle
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from loanmath.audit._tape import Tape, file_sha256, iter_rows

__all__ = ["read_bucket", "spill"]

#: Target contract-file bytes per bucket (about 4,000 loans of a typical tape).
BUCKET_BYTES = 250_000
#: Rows kept per bucket before they are written (bounds the spill's memory).
_BATCH = 2000


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
    digests = [file_sha256(path, label) for label, path, _ in labels]
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
            for line, cells in iter_rows(path, label, mapping):
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
