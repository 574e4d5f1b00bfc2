"""The public surface is deliberate (STYLE 1) and the error hierarchy is as API.md says."""

from __future__ import annotations

import importlib
import inspect
import pickle

import pytest

import loanmath
from loanmath import errors

PUBLIC_MODULES = [
    "loanmath",
    "loanmath.errors",
    "loanmath.money",
    "loanmath.daycount",
    "loanmath.dates",
    "loanmath.calendars",
    "loanmath.terms",
    "loanmath.schedules",
    "loanmath.caps",
    "loanmath.disclosure",
    "loanmath.apr",
    "loanmath.tvm",
    "loanmath.cli",
    "loanmath.ledger",
    "loanmath.servicing",
    "loanmath.ageing",
    "loanmath.penalty",
]


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_all_is_unique_and_complete(module_name: str) -> None:
    """Sorting of __all__ (isort-style) is ruff's RUF022, run in CI."""
    module = importlib.import_module(module_name)
    names = module.__all__
    assert len(set(names)) == len(names)
    for name in names:
        assert hasattr(module, name), name


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_public_function_is_documented_with_an_example(module_name: str) -> None:
    module = importlib.import_module(module_name)
    for name in module.__all__:
        obj = getattr(module, name)
        if inspect.isfunction(obj) or (inspect.isclass(obj) and not issubclass(obj, Exception)):
            doc = inspect.getdoc(obj) or ""
            assert "Examples" in doc or ">>>" in doc, f"{module_name}.{name} lacks an example"


def test_api_contract_names() -> None:
    for name in (
        "Money",
        "Rounding",
        "LoanMathError",
        "NoSolutionError",
        "RateCapExceeded",
        "LedgerImbalance",
    ):
        assert name in loanmath.__all__
    from loanmath.daycount import day_count, year_fraction  # noqa: F401


def test_every_error_is_a_loanmath_error_and_refines_a_builtin() -> None:
    leaves = [
        cls
        for name, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, Exception)
        and cls is not errors.LoanMathError
        and not name.startswith("_")
    ]
    assert leaves
    for cls in leaves:
        assert issubclass(cls, errors.LoanMathError), cls
        if cls is errors.MissingDependencyError:  # a missing optional library is no bad value
            assert issubclass(cls, ImportError)
            continue
        assert issubclass(cls, (ValueError, TypeError)), cls
    assert issubclass(errors.NoSolutionError, ValueError)
    assert issubclass(errors.RateCapExceeded, ValueError)
    assert issubclass(errors.LedgerImbalance, ValueError)
    assert issubclass(errors.FloatMoneyError, TypeError)


def test_errors_carry_data_and_survive_pickling() -> None:
    cap = errors.RateCapExceeded(
        "CN_COMPREHENSIVE_36", loanmath.D("0.36"), loanmath.D("0.41"), "lower the fee"
    )
    assert (cap.rule, cap.limit, cap.measured) == (
        "CN_COMPREHENSIVE_36",
        loanmath.D("0.36"),
        loanmath.D("0.41"),
    )
    assert "0.41" in str(cap)
    assert "0.36" in str(cap)
    samples = [
        cap,
        errors.InvalidInputError("term", 0, "must be >= 1", "pass a positive term"),
        errors.FloatMoneyError("amount", 1.1),
        errors.UnknownNameError("mode", "x", ["a", "b"], ["a"]),
        errors.CurrencyMismatchError("add", "CNY", "USD"),
        errors.MissingDependencyError("pandas", "Schedule.to_frame()"),
    ]
    for error in samples:
        clone = pickle.loads(pickle.dumps(error))
        assert type(clone) is type(error)
        assert str(clone) == str(error)
