"""Every public name documents its rule (issue 15): each function and class in the
``__all__`` of a public loanmath module has a numpydoc ``Notes`` section (the formula or
rule, and its source) and a runnable ``Examples`` section or is a class whose methods carry
them."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import loanmath


def _public_modules() -> list[str]:
    names = ["loanmath"]
    for info in pkgutil.walk_packages(loanmath.__path__, "loanmath."):
        if not any(part.startswith("_") for part in info.name.split(".")[1:]):
            names.append(info.name)
    return sorted(names)


def _public_objects() -> dict[str, object]:
    found: dict[str, object] = {}
    for name in _public_modules():
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", ()):
            obj = getattr(module, attr)
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__.startswith(
                "loanmath"
            ):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


def _doc(obj: object) -> str:
    return inspect.getdoc(obj) or ""


def test_every_public_function_and_class_has_notes() -> None:
    objects = _public_objects()
    assert len(objects) > 150  # the walk found the API: an empty walk cannot pass
    missing = sorted(
        n for n, o in objects.items() if "Notes\n-----" not in (inspect.getdoc(o) or "")
    )
    assert missing == []


def test_every_public_function_has_a_runnable_example() -> None:
    functions = {n: o for n, o in _public_objects().items() if inspect.isfunction(o)}
    missing = sorted(n for n, o in functions.items() if ">>> " not in _doc(o))
    assert missing == []
