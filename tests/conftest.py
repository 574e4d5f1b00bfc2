"""Test settings (hypothesis profiles) and the audit tests' shared tapes (module-scoped)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from audit_tapes import (
    AS_OF,
    PlantedRecord,
    Tape,
    generate,
    plant_bad_rows,
    plant_differences,
    reference_record,
    write_record,
)
from hypothesis import HealthCheck, settings

from loanmath.audit import audit

Record = dict[str, dict[str, Any]]

settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# --- shared tapes ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tape60() -> Tape:
    return generate(60)


@pytest.fixture(scope="module")
def reference60(tape60: Tape) -> Record:
    return reference_record(tape60)


@pytest.fixture(scope="module")
def planted60(reference60: Record) -> PlantedRecord:
    return plant_differences(reference60)


@pytest.fixture(scope="module")
def audited60(
    tmp_path_factory: pytest.TempPathFactory, tape60: Tape, planted60: PlantedRecord
) -> tuple[Any, Path, Path, Path]:
    directory = tmp_path_factory.mktemp("tape60")
    contracts, events = tape60.write(directory)
    record = write_record(directory / "record.csv", planted60.rows)
    result = audit(contracts, events, as_of=AS_OF, record=record)
    return result, contracts, events, record


@pytest.fixture(scope="module")
def bad_tape() -> tuple[Tape, list[Any]]:
    return plant_bad_rows(generate(16, seed=7))
