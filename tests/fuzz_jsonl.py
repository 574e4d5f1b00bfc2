"""Coverage-guided fuzz target for ``Journal.from_jsonl`` (atheris / libFuzzer).

The property, for any bytes: the import either succeeds — and then exporting the journal gives
back exactly the bytes imported (only the canonical export is accepted) — or raises a
``LoanMathError``. Anything else (a ``RecursionError``, a ``UnicodeEncodeError``, a raw
``ValueError``, an ``AssertionError`` from the round trip) is a crash. The same input is also
imported as text (undecodable bytes become lone surrogates, which must be refused too).

Run it (atheris installs on CPython 3.8-3.11 with a wheel; elsewhere it needs clang)::

    python tests/fuzz_jsonl.py -runs=100000
    python tests/fuzz_jsonl.py -max_total_time=60 [corpus_dir ...]

Without a corpus directory, ``$TMPDIR/loanmath_fuzz_jsonl_corpus`` is used (kept between
runs) and seeded with real exports. pytest does not collect this file as tests (its name does
not start with ``test_``), and importing it needs no atheris (only :func:`main` imports it):
``tests/test_ledger_hardening.py`` runs :func:`check_one_input` over hypothesis inputs, so the
property runs in CI without atheris.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
import tempfile
from pathlib import Path

from loanmath.errors import LoanMathError
from loanmath.ledger import GENESIS, Journal, Posting, Transaction, chain_hash, lending_chart

__all__ = ["check_one_input", "main", "rechain", "seed_exports"]


def check_one_input(data: bytes) -> None:
    """Import `data` as bytes and as text: each imports identically or raises LoanMathError.

    The input is imported once more with its chain and trailer recomputed (:func:`rechain`),
    so that mutations reach the checks behind the hashes (accounts, dates, reversals, amount
    limits, the trailer), which a random byte change could otherwise never pass.

    Examples
    --------
    >>> check_one_input(b"not json")
    >>> check_one_input(seed_exports()[0])
    """
    _check_bytes(data)
    rechained = rechain(data)
    if rechained is not None and rechained != data:
        _check_bytes(rechained)


def rechain(data: bytes) -> bytes | None:
    """`data` with every chain link and the trailer recomputed, as an attacker would (None if
    it is not lines of JSON objects, or a transaction does not even build).

    Examples
    --------
    >>> export = seed_exports()[1]
    >>> rechain(export) == export
    True
    """
    try:
        lines = data.decode("utf-8").split("\n")
        objects = [json.loads(line) for line in lines[:-1]]
    except (ValueError, RecursionError):
        return None
    if lines[-1] != "" or not objects or not all(type(o) is dict for o in objects):
        return None
    try:
        return _rechain(objects)
    except (LoanMathError, UnicodeEncodeError, RecursionError):  # a lone surrogate, deep nesting
        return None


def _rechain(objects: list[dict[str, object]]) -> bytes | None:
    link, count = GENESIS, 0
    for number, obj in enumerate(objects):
        if number == 0 and type(obj.get("chart")) is dict:
            link = chain_hash(GENESIS, _canonical(obj["chart"]))
            obj["hash"] = link
        elif "txn" in obj:
            try:
                transaction = Transaction.from_dict(obj["txn"])
            except LoanMathError:
                return None
            link = chain_hash(link, transaction.canonical())
            obj["hash"], count = link, count + 1
        elif set(obj) == {"count", "head"}:
            obj["count"], obj["head"] = count, link
    return "".join(_canonical(obj) + "\n" for obj in objects).encode("utf-8")


def _canonical(data: object) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _check_bytes(data: bytes) -> None:
    try:
        journal = Journal.from_jsonl(data)
    except LoanMathError:
        pass
    else:
        again = journal.to_jsonl().encode("utf-8")
        if again != data:
            raise AssertionError(f"accepted bytes that do not round-trip: {data!r} -> {again!r}")
    text = data.decode("utf-8", "surrogateescape")
    try:
        journal = Journal.from_jsonl(text)
    except LoanMathError:
        return
    if journal.to_jsonl() != text:
        raise AssertionError(f"accepted text that does not round-trip: {text!r}")


@functools.cache
def _seed_journals() -> tuple[Journal, ...]:
    opened = dt.date(2024, 1, 1)
    empty = Journal(lending_chart(opened))
    small = Journal(lending_chart(opened, renames={"custody": "Assets:Bank:Escrow"}))
    small.post(
        Transaction(
            "T1",
            dt.date(2024, 1, 2),
            [
                Posting("Assets:Loans:Principal", "12000.00", "CNY"),
                Posting("Assets:Bank:Escrow", "-12000.00", "CNY"),
            ],
            "disbursement",
        )
    )
    small.post(
        Transaction(
            "T2",
            dt.date(2024, 2, 2),
            [
                Posting("Assets:Bank:Escrow", "1066.19", "CNY"),
                Posting("Assets:Loans:Principal", "-946.19", "CNY"),
                Posting("Income:Loans:Interest", "-120.00", "CNY"),
                Posting("Assets:Bank:Operating", "7", "JPY"),
                Posting("Equity:Capital", "-7", "JPY"),
            ],
            'instalment 1 "quoted" 中文\n',
            meta={"loan": "L-1", "reverses-event": "P"},
        )
    )
    small.reverse("T2", "T2-R", dt.date(2024, 2, 3))
    return empty, small


def seed_exports() -> list[bytes]:
    """Real exports to start from: an empty journal and one with a few transactions.

    Examples
    --------
    >>> len(seed_exports())
    2
    """
    return [journal.to_jsonl().encode("utf-8") for journal in _seed_journals()]


def main(argv: list[str]) -> None:  # pragma: no cover - run by hand or by a fuzzing job
    """Run the fuzzer with libFuzzer's arguments (``-runs=N``, ``-max_total_time=S``)."""
    import atheris

    atheris.instrument_all()
    args = list(argv)
    if not any(not arg.startswith("-") for arg in args[1:]):
        corpus = Path(tempfile.gettempdir()) / "loanmath_fuzz_jsonl_corpus"  # kept between runs
        corpus.mkdir(exist_ok=True)
        for number, seed in enumerate(seed_exports()):
            (corpus / f"seed{number}.jsonl").write_bytes(seed)
        args.append(str(corpus))
    atheris.Setup(args, check_one_input)
    atheris.Fuzz()


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv)
