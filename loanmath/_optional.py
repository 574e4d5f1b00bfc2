"""Optional libraries, imported only by the function that needs them.

loanmath imports without pandas or pyarrow; the data interop (``Schedule.to_frame()``,
``Schedule.to_arrow()``, ``PortfolioAgeing.to_frame()``, ``ageing.roll_rate_frame()``) loads
them on first use through :func:`require`, which turns a missing library into a
:class:`~loanmath.errors.MissingDependencyError` naming the install command.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from loanmath.errors import MissingDependencyError

__all__ = ["require"]


def require(module: str, feature: str, *, extra: str = "data") -> ModuleType:
    """Import and return `module`, or raise :class:`~loanmath.errors.MissingDependencyError`.

    Parameters
    ----------
    module : str
        The library (``"pandas"``, ``"pyarrow"``).
    feature : str
        What needs it, for the message (``"Schedule.to_frame()"``).
    extra : str, default ``"data"``
        The extra of loanmath that installs it (``"documents"`` for Jinja2).

    Examples
    --------
    >>> require("decimal", "an example").Decimal("1")
    Decimal('1')
    >>> require("no_such_library", "Schedule.to_frame()")
    Traceback (most recent call last):
    ...
    loanmath.errors.MissingDependencyError: Schedule.to_frame() needs no_such_library, ...
    """
    try:
        return importlib.import_module(module)
    except ImportError as error:  # not installed, broken, or hidden (sys.modules[name] = None)
        fix = f"pip install 'loanmath[{extra}]'"
        raise MissingDependencyError(module, feature, fix) from error
