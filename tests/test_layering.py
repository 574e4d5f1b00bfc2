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
    # month arithmetic, once (standard library only)
    "_calendar": {"errors"},
    # canonical JSON, the one byte form every hash is taken over
    "_canonical": set(),
    # optional libraries (pandas, pyarrow) are loaded by name through _optional.require()
    "_optional": {"errors"},
    # exact annuity arithmetic behind the spreadsheet functions
    "_annuity": {"errors"},
    "money": {"errors", "_decimal", "_checks"},
    "daycount": {"errors", "_decimal", "_checks", "_calendar"},
    "dates": {"errors", "_decimal", "_checks", "_calendar"},
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
    # the spreadsheet functions: annuities, cash flows, their shared argument rules
    "tvm": {"errors", "_decimal", "_checks", "_annuity", "apr", "daycount"},
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
    "schedules": {
        "errors",
        "_decimal",
        "_checks",
        "_calendar",
        "_optional",
        "money",
        "dates",
        "daycount",
    },
    # caps price whole columns of offers through the batch schedule engine
    "caps": {"errors", "_decimal", "_checks", "_optional", "apr", "money", "dates", "schedules"},
    "apr": {"errors", "_decimal", "_checks", "_calendar", "daycount"},
    "disclosure": {"errors", "_decimal", "_checks", "_optional", "apr", "money"},
    "ledger": {"errors", "_decimal", "_checks", "_canonical", "money"},
    "servicing": {
        "errors",
        "_decimal",
        "_checks",
        "_canonical",
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


# --- cycles and private modules (issue 15) ------------------------------------------------


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _edges() -> dict[str, set[str]]:
    """Module -> the loanmath modules it imports, at module level or inside a function (an
    import inside a function is still a dependency; it only hides a cycle from Python)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            graph[name] |= {t for t in targets if t in modules and t != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root, edges in graph.items():
        if root in index:
            continue
        work = [(root, iter(sorted(edges)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycle_at_any_level() -> None:
    assert _cycles(_edges()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The check above can fail: a planted two-module and three-module cycle are found."""
    graph = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"e"}, "e": {"c"}, "f": {"a"}}
    assert sorted(_cycles(graph)) == [["a", "b"], ["c", "d", "e"]]


def test_no_module_imports_another_packages_private_module() -> None:
    """``loanmath.<package>._<module>`` is imported only from inside <package> (the shared
    top-level ``loanmath._decimal``, ``_checks``, ``_calendar``, ``_canonical``, ``_optional``,
    ``_annuity`` are for all)."""
    graph = _edges()
    private = []
    for name, targets in graph.items():
        for target in targets:
            parts = target.split(".")
            if len(parts) == 3 and parts[2].startswith("_") and parts[2] != "__init__":
                owner = f"loanmath.{parts[1]}"
                if not (name == owner or name.startswith(owner + ".")):
                    private.append((name, target))
    assert private == []
