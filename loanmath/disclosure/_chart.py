"""The schedule as a chart — principal and interest per instalment, stacked bars — drawn by
matplotlib into inline SVG for the HTML forms. Optional: without ``loanmath[plot]`` the forms
render without it.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from loanmath.disclosure._i18n import translate

__all__ = ["schedule_svg"]


def schedule_svg(schedule: Any, locale: str) -> str | None:
    """An SVG chart of `schedule` (principal and interest parts of each instalment), labelled
    in `locale`'s words; None when matplotlib is not installed.

    The picture is a figure of its own (no pyplot state), with fixed metadata and hash salt,
    so the same schedule gives the same bytes. The amounts are drawn from the exact Decimals
    converted to float for the picture only; no figure is read back from it.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> s = LoanTerms(Money("1200", "USD"), "0.12", 3, start_date=dt.date(2024, 1, 15)).schedule
    >>> svg = schedule_svg(s, "en_US")
    >>> svg is None or svg.startswith("<svg")
    True
    """
    try:
        import matplotlib as mpl  # noqa: PLC0415 - optional extra
        from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: PLC0415
        from matplotlib.figure import Figure  # noqa: PLC0415
    except ImportError:
        return None
    rows = schedule.installments
    numbers = [row.number for row in rows]
    principal = [float(row.principal) for row in rows]
    interest = [float(row.interest + row.fees) for row in rows]
    # the text stays text (svg.fonttype none): the browser draws it in the page's fonts, CJK
    # included, so matplotlib's own font lacking a glyph only affects its measuring
    with (
        mpl.rc_context({"svg.hashsalt": "loanmath", "svg.fonttype": "none"}),
        warnings.catch_warnings(),
    ):
        warnings.filterwarnings(
            "ignore", message="Glyph .* missing from font", category=UserWarning
        )
        figure = Figure(figsize=(6.4, 2.6), layout="constrained")
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        axes.bar(numbers, principal, color="#2f6db5", label=translate(locale, "Principal"))
        axes.bar(
            numbers,
            interest,
            bottom=principal,
            color="#e39b2d",
            label=translate(locale, "Interest and fees"),
        )
        axes.set_xlabel(translate(locale, "Instalment"))
        axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, frameon=False)
        axes.spines[["top", "right"]].set_visible(False)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    svg = out.getvalue()
    return svg[svg.index("<svg") :]
