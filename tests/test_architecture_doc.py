"""docs/architecture.md stays true: it names every module and package of loanmath, and every
test it says holds an invariant exists (file and function)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
HELD_BY = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", DOC)


def test_every_module_and_package_is_on_the_map() -> None:
    package = ROOT / "loanmath"
    places = {f"loanmath/{p.name}" for p in package.glob("*.py")}
    places -= {"loanmath/__init__.py", "loanmath/__main__.py"}
    places |= {f"loanmath/{p.parent.name}/" for p in package.glob("*/__init__.py")}
    missing = sorted(place for place in places if f"`{place}`" not in DOC)
    assert missing == []


def test_the_map_names_tests() -> None:
    assert len(HELD_BY) >= 15  # the table was read: a broken pattern cannot pass silently


@pytest.mark.parametrize(("path", "name"), HELD_BY)
def test_each_invariant_is_held_by_a_test_that_exists(path: str, name: str) -> None:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    functions = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    assert name in functions


#: Where "installment" may be spelt the American way: the names API.md fixes.
_API_SPELLINGS = re.compile(r"\bInstallment\b|\binstallments\b")


def test_one_spelling_per_concept() -> None:
    """'instalment' everywhere but the API.md names (docs/architecture.md, "Names")."""
    places = [*(ROOT / "loanmath").rglob("*.py"), *(ROOT / "docs").glob("*.md")]
    stray = []
    for path in places:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"(?i)installment", _API_SPELLINGS.sub("", line)):
                stray.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert stray == []
