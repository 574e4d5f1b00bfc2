"""Modules small enough to read in one sitting (issue 15): no module over 600 lines and no
function body over 60 lines, docstrings not counted."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "loanmath"
MAX_MODULE_LINES = 600
MAX_BODY_LINES = 60


def _body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines from the first statement after the docstring to the function's end."""
    body = node.body
    first = body[0]
    docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    if docstring and isinstance(first.value.value, str):
        if len(body) == 1:
            return 0
        first = body[1]
    return (node.end_lineno or node.lineno) - first.lineno + 1


def _long(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines = _body_lines(node)
            if lines > MAX_BODY_LINES:
                found.append(f"{name}:{node.lineno} {node.name} ({lines} lines)")
    return found


def test_no_module_is_over_600_lines() -> None:
    sizes = {p: len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.rglob("*.py")}
    assert sorted(str(p) for p, n in sizes.items() if n > MAX_MODULE_LINES) == []


def test_no_function_body_is_over_60_lines() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found += _long(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))
    assert found == []


def test_the_measure_counts_the_body_not_the_docstring() -> None:
    short = 'def f():\n    """' + "doc\n" * 100 + '"""\n    return 1\n'
    long = "def g():\n" + "".join(f"    x{k} = {k}\n" for k in range(61))
    assert _long(short, "s") == []
    assert _long(long, "l") == ["l:1 g (61 lines)"]
