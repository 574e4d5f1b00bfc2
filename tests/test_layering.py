"""Imports flow one way (ARCHITECTURE.md): a module imports only what sits above it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "loanmath"

#: module -> the loanmath modules it may import (ARCHITECTURE.md "Packages and what each owns")
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "_decimal": {"errors", "_checks"},
    "_checks": {"errors"},
    # optional libraries (pandas, pyarrow) are loaded by name through _optional.require()
    "_optional": {"errors"},
    # exact annuity arithmetic behind the spreadsheet functions
    "_annuity": {"errors"},
    "money": {"errors", "_decimal"},
    "daycount": {"errors", "_decimal", "_checks"},
    "dates": {"errors", "_decimal", "_checks"},
    "terms": {
        "errors",
        "_decimal",
        "_checks",
        "money",
        "dates",
        "daycount",
        "schedules",
        "caps",
        "penalty",
        "calendars",
    },
    # holiday calendars: python-holidays is loaded by name through _optional.require()
    "calendars": {"errors", "_decimal", "_checks", "_optional"},
    "tvm": {"errors", "_decimal", "_checks", "_annuity", "apr", "daycount"},
    "cli": {
        "errors",
        "_decimal",
        "apr",  # loanmath explain
        "caps",
        "disclosure",
        "money",
        "schedules",
        "terms",
        "audit",
    },
    "ageing": {"errors", "_decimal", "_checks", "_optional"},
    "penalty": {"errors", "_decimal", "_checks", "daycount", "money"},
    "__main__": {"cli"},
    "__init__": {"errors", "_decimal", "money", "penalty", "schedules", "terms"},
}

#: subpackages: every module inside may import these (and its own package)
PACKAGES: dict[str, set[str]] = {
    "audit": {
        "__init__",  # the package version, recorded in every summary
        "errors",
        "_decimal",
        "_checks",
        "_optional",
        "ageing",
        "caps",
        "ledger",
        "money",
        "schedules",
        "servicing",
        "terms",
    },
    "schedules": {"errors", "_decimal", "_checks", "_optional", "money", "dates", "daycount"},
    # caps price whole columns of offers through the batch schedule engine
    "caps": {"errors", "_decimal", "_checks", "_optional", "apr", "money", "dates", "schedules"},
    "apr": {"errors", "_decimal", "_checks", "daycount"},
    "disclosure": {"errors", "_decimal", "_checks", "_optional", "apr", "money"},
    "ledger": {"errors", "_decimal", "_checks", "money"},
    "servicing": {
        "errors",
        "_decimal",
        "_checks",
        "ageing",
        "daycount",
        "ledger",
        "penalty",
        "money",
        "schedules",
    },
}

#: third-party packages each module may use (daycount: stdlib only)
THIRD_PARTY: dict[str, set[str]] = {
    "money": {"attrs", "babel"},
    "dates": {"dateutil"},
    "terms": {"attrs"},
    "calendars": {"attrs"},
    "caps": {"attrs", "numpy", "pandas"},
    "schedules": {"attrs", "numpy"},
    "apr": {"attrs", "numpy"},
    "disclosure": {"attrs", "babel", "dateutil", "matplotlib"},  # jinja2 via _optional
    "ledger": {"attrs", "numpy"},
    "servicing": {"attrs"},
    "audit": {"attrs", "pandas", "pyarrow", "dask", "distributed", "tqdm", "tomli"},
    "ageing": {"attrs"},
    "penalty": {"attrs"},
}


def _imports(path: Path) -> tuple[set[str], set[str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    internal: set[str] = set()
    external: set[str] = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            if top == "loanmath":
                internal.add(name.split(".")[1] if "." in name else "__init__")
            elif top not in {"__future__"} and not _is_stdlib(top):
                external.add(top)
    return internal, external


def _is_stdlib(name: str) -> bool:
    import sys

    return name in sys.stdlib_module_names


@pytest.mark.parametrize("module", sorted(ALLOWED))
def test_imports_flow_one_way(module: str) -> None:
    internal, external = _imports(PACKAGE / f"{module}.py")
    assert internal - {module} <= ALLOWED[module]
    assert external <= THIRD_PARTY.get(module, set())


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_subpackages_import_only_what_sits_above(package: str) -> None:
    for path in sorted((PACKAGE / package).glob("*.py")):
        internal, external = _imports(path)
        assert internal - {package} <= PACKAGES[package], path.name
        assert external <= THIRD_PARTY.get(package, set()), path.name


def test_every_module_is_covered() -> None:
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    assert modules == set(ALLOWED)
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert packages == set(PACKAGES)
