"""The audit: read the tapes, group rows by loan, recompute every loan — in this process, in a
pool of worker processes, or on a Dask cluster, always with the same partition function —
compare with the system of record, and report."""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from loanmath._checks import check_date, check_int, check_name
from loanmath._decimal import context_free
from loanmath.audit._compare import differences
from loanmath.audit._mapping import Mapping as TapeMapping
from loanmath.audit._mapping import read_mapping
from loanmath.audit._partition import BUCKETS, LoanRows, group, recompute, recompute_bucket
from loanmath.audit._report import AuditResult, summarise
from loanmath.audit._spill import spill
from loanmath.audit._tape import read_tape
from loanmath.errors import InvalidInputError, UnknownNameError

__all__ = ["ENGINES", "audit"]

ENGINES = ("local", "dask")
#: Loans per partition: small enough to stream progress, large enough to amortise a task.
CHUNK = 2000


def _chunks(items: Sequence[LoanRows], size: int) -> Iterator[Sequence[LoanRows]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _bar(enabled: bool) -> Any:
    if not enabled or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm  # type: ignore[import-untyped]  # noqa: PLC0415 - a terminal only
    except ImportError:
        return None
    return tqdm(unit="loan", desc="audit", file=sys.stderr)


def _jobs(
    function: Callable[..., tuple[list[Any], list[Any]]],
    jobs: Sequence[tuple[Any, ...]],
    *,
    workers: int,
    bar: Any,
) -> Iterator[tuple[list[Any], list[Any]]]:
    """Run the partition function over `jobs`, here or in `workers` processes, in order."""
    if workers <= 1:
        for job in jobs:
            result = function(*job)
            if bar is not None:
                bar.update(len(result[0]))
            yield result
        return
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

    with ProcessPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(function, *zip(*jobs, strict=True)):
            if bar is not None:
                bar.update(len(result[0]))
            yield result


def _as_frame(results: list[tuple[list[Any], list[Any]]]) -> Any:
    """(recomputed rows, error rows) pairs as one frame a Dask partition returns: a kind
    ("r" / "e") and the row as JSON."""
    import pandas as pd  # type: ignore[import-untyped]  # noqa: PLC0415 - on the workers

    kinds: list[str] = []
    payload: list[str] = []
    for rows, errors in results:
        kinds += ["r"] * len(rows) + ["e"] * len(errors)
        payload += [json.dumps(list(row)) for row in (*rows, *errors)]
    return pd.DataFrame({"kind": kinds, "payload": payload})


def _dask_partition(frame: Any, as_of: _dt.date, mapping: TapeMapping, buckets: str) -> Any:
    """The partition function over a pandas partition of loans (one JSON item a row)."""
    items = [json.loads(item) for item in frame["item"]]
    loans = [
        (i[0], tuple(i[1]), tuple(tuple(e) for e in i[2]), tuple(tuple(p) for p in i[3]))
        for i in items
    ]
    return _as_frame([recompute(loans, as_of, mapping, buckets)])


def _dask_buckets(
    frame: Any, names: tuple[str, str], as_of: _dt.date, mapping: TapeMapping, buckets: str
) -> Any:
    """The partition function over a partition of bucket files (one path a row)."""
    return _as_frame(
        [recompute_bucket(path, names, as_of, mapping, buckets) for path in frame["path"]]
    )


def _dask(
    work: dict[str, list[str]],
    partitions: int,
    function: Callable[..., Any],
    args: tuple[Any, ...],
    *,
    workers: int,
    scheduler: str | None,
) -> Iterator[tuple[list[Any], list[Any]]]:
    """Map `function` over `work` (a column of JSON items or bucket paths) with
    ``dask.dataframe.map_partitions``, on a local cluster or the one at `scheduler`."""
    try:
        import dask.dataframe as dd  # noqa: PLC0415 - optional extra
        import pandas as pd  # noqa: PLC0415
        from distributed import Client, LocalCluster  # noqa: PLC0415
    except ImportError as error:
        raise InvalidInputError(
            "engine", "dask", "needs dask and distributed", "pip install 'loanmath[dask]'"
        ) from error
    frame = pd.DataFrame(work)
    ddf = dd.from_pandas(frame, npartitions=max(1, partitions), sort=False)  # type: ignore[no-untyped-call]
    meta = pd.DataFrame({"kind": pd.Series(dtype=object), "payload": pd.Series(dtype=object)})
    out = ddf.map_partitions(function, *args, meta=meta)
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=max(1, workers), threads_per_worker=1, processes=True,
            dashboard_address=":0",
        )  # fmt: skip
    try:
        with Client(scheduler or cluster) as client:  # type: ignore[no-untyped-call]
            result = client.compute(out).result()
    finally:
        if cluster is not None:
            cluster.close()
    pairs = list(zip(result["kind"], result["payload"], strict=True))
    rows = [tuple(json.loads(p)) for k, p in pairs if k == "r"]
    errors = [tuple(json.loads(p)) for k, p in pairs if k == "e"]
    yield rows, errors


#: The most worker processes an audit starts on one machine.
MAX_WORKERS = 512


@context_free
def audit(
    contracts: object,
    events: object,
    as_of: _dt.date,
    *,
    record: object = None,
    mapping: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    tolerances: Mapping[str, Decimal | str] | None = None,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    buckets: str = "cn",
    progress: bool = False,
) -> AuditResult:
    """Recompute every loan of a tape as of a date and compare with a system of record.

    Parameters
    ----------
    contracts, events : path, pandas.DataFrame or pyarrow.Table
        The tape (docs/audit.md): a path to .csv / .jsonl / .parquet, or a table.
    as_of : datetime.date
    record : path or table, optional
        The system of record: ``loan_id`` and any recomputed fields.
    mapping : path or dict, optional
        A foreign tape's columns, event labels and date format (TOML).
    tolerances : mapping of field to amount, optional
        Default exact (0) for every field.
    workers : int, default 1
        Worker processes (local engine) or Dask workers of a local cluster.
    engine : {"local", "dask"}
    scheduler : str, optional
        A Dask scheduler address (default: a local cluster of `workers` processes).
    buckets : {"cn", "us", "ifrs9"}
    progress : bool
        A progress bar on a terminal.

    Returns
    -------
    AuditResult

    Notes
    -----
    Every input row is recomputed or reported; a loan with a bad row is not recomputed from a
    partial history. Output rows are sorted by loan id (then field, or file and row), so the
    result is the same whatever the engine, the workers or the partitioning. The servicing
    rules are docs/servicing.md's conventions (their version is in the summary).

    Examples
    --------
    >>> import pandas as pd
    >>> contracts = pd.DataFrame([{"loan_id": "L1", "currency": "CNY", "principal": "1200.00",
    ...     "annual_rate": "0.12", "term": "3", "start_date": "2024-01-15"}])
    >>> events = pd.DataFrame([{"loan_id": "L1", "event_id": "D", "date": "2024-01-15",
    ...     "type": "disbursement", "amount": ""}])
    >>> result = audit(contracts, events, _dt.date(2024, 2, 15))
    >>> result.recomputed_rows[0][3:5], result.exit_status  # principal and interest due
    (('396.03', '12.00'), 0)
    """
    day = check_date(as_of, "as_of")
    check_name(engine, "engine", ENGINES)
    if buckets not in BUCKETS:
        raise UnknownNameError("buckets", buckets, tuple(BUCKETS))
    workers = check_int(workers, "workers", minimum=1)
    if workers > MAX_WORKERS:
        raise InvalidInputError("workers", workers, f"must be at most {MAX_WORKERS}")
    limits = _tolerances(tolerances or {})
    tape_mapping = read_mapping(mapping)
    record_tape = None if record is None else read_tape(record, {}, "record")
    recomputed: list[tuple[Any, ...]] = []
    errors: list[tuple[Any, ...]] = []
    plan = _Plan(day, tape_mapping, buckets, workers, engine, scheduler, _bar(progress))
    streamed = isinstance(contracts, (str, os.PathLike)) and isinstance(events, (str, os.PathLike))
    with tempfile.TemporaryDirectory(prefix="loanmath-audit-") as folder:
        if streamed:  # memory bounded by a bucket, not by the tape
            runs, tapes = _bucket_runs(plan, (Path(contracts), Path(events)), Path(folder))  # type: ignore[arg-type]
        else:
            runs, tapes, orphans = _table_runs(plan, contracts, events)
            errors.extend(orphans)
        contract_tape, event_tape = tapes
        for rows, bad in runs:
            recomputed.extend(rows)
            errors.extend(bad)
    if plan.bar is not None:
        plan.bar.close()
    recomputed.sort(key=lambda row: row[0])
    diffs: list[tuple[str, ...]] = []
    if record_tape is not None:
        diffs, bad_record = differences(recomputed, record_tape, limits)
        errors.extend(bad_record)
    errors.sort(key=lambda row: (row[0], row[1], row[2], row[3]))
    tapes = [t for t in (contract_tape, event_tape, record_tape) if t is not None]
    summary = summarise(
        day, recomputed=recomputed, diffs=diffs, errors=errors, tapes=tapes,
        buckets=BUCKETS[buckets],
    )  # fmt: skip
    return AuditResult(recomputed, diffs, errors, summary)


@attrs.frozen
class _Plan:
    """How an audit runs: as of which day, reading which mapping, ageing into which buckets,
    on how many workers of which engine, with or without a progress bar."""

    day: _dt.date
    mapping: Any
    buckets: str
    workers: int
    engine: str
    scheduler: str | None
    bar: Any


def _bucket_runs(plan: _Plan, files: tuple[Path, Path], folder: Path) -> tuple[Any, Any]:
    """The tape files spilled into buckets by loan, each bucket recomputed by a worker."""
    paths, tapes = spill(
        *files, (plan.mapping.contracts, plan.mapping.events),
        folder, minimum=4 * plan.workers if plan.workers > 1 else 1,
    )  # fmt: skip
    names = (tapes[0].name, tapes[1].name)
    if plan.engine == "dask":
        runs = _dask({"path": [str(p) for p in paths]}, len(paths), _dask_buckets,
                     (names, plan.day, plan.mapping, plan.buckets), workers=plan.workers,
                     scheduler=plan.scheduler)  # fmt: skip
    else:
        runs = _jobs(recompute_bucket,
                     [(str(path), names, plan.day, plan.mapping, plan.buckets) for path in paths],
                     workers=plan.workers, bar=plan.bar)  # fmt: skip
    return runs, tapes


def _table_runs(plan: _Plan, contracts: object, events: object) -> tuple[Any, Any, list[Any]]:
    """The tapes read whole, grouped by loan, and recomputed in chunks (and the events of no
    loan, as errors)."""
    contract_tape = read_tape(contracts, plan.mapping.contracts, "contracts")
    event_tape = read_tape(events, plan.mapping.events, "events")
    items, orphans = group(contract_tape, event_tape)
    workers = plan.workers
    size = CHUNK if workers == 1 else max(1, min(CHUNK, -(-len(items) // (workers * 4))))
    parts = list(_chunks(items, size))
    if plan.engine == "dask":
        runs = _dask({"item": [json.dumps(item) for part in parts for item in part]},
                     len(parts), _dask_partition, (plan.day, plan.mapping, plan.buckets),
                     workers=workers, scheduler=plan.scheduler)  # fmt: skip
    else:
        runs = _jobs(recompute, [(part, plan.day, plan.mapping, plan.buckets) for part in parts],
                     workers=workers, bar=plan.bar)  # fmt: skip
    return runs, (contract_tape, event_tape), list(orphans)


def _tolerances(given: Mapping[str, Decimal | str]) -> dict[str, Decimal]:
    from loanmath._decimal import D  # noqa: PLC0415
    from loanmath.audit._compare import COMPARED  # noqa: PLC0415

    out = {}
    for field, amount in given.items():
        check_name(field, "tolerance", COMPARED)
        value = D(amount, f"tolerance {field}")
        if value < 0:
            raise InvalidInputError(f"tolerance {field}", value, "must be >= 0")
        out[field] = value
    return out
