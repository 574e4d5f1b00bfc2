"""The mapping file: a foreign tape's column names, event labels and date format.

.. code-block:: toml

    [contracts.columns]        # loanmath column = "the tape's column"
    loan_id = "LoanNumber"
    [events.columns]
    type = "TxnCode"
    [events.types]             # "the tape's label" = loanmath event type
    PMT = "repayment"
    [dates]
    format = "%d/%m/%Y"
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping as _Map
from typing import Any

import attrs

from loanmath.errors import InvalidInputError

__all__ = ["EVENT_TYPES", "Mapping", "read_mapping"]

#: The event types of the tape format.
EVENT_TYPES = (
    "disbursement",
    "repayment",
    "fee",
    "waiver",
    "writeoff",
    "reversal",
    "reminder",
    "contact",
)


@attrs.frozen
class Mapping:
    """How a tape's names map onto the tape format (identity by default).

    Notes
    -----
    ``contracts`` and ``events`` map a loanmath column to the tape's column, ``types`` a tape
    label to one of :data:`EVENT_TYPES` (an unmapped label stands for itself), and
    ``date_format`` is the ``strptime`` format of every date column (ISO ``yyyy-mm-dd`` when
    None) (docs/audit.md, "A foreign tape: the mapping file").

    Examples
    --------
    >>> m = read_mapping({"events": {"types": {"PMT": "repayment"}}})
    >>> m.event_type("PMT"), m.event_type("repayment")
    ('repayment', 'repayment')
    """

    contracts: dict[str, str] = attrs.field(factory=dict)  # loanmath column -> tape column
    events: dict[str, str] = attrs.field(factory=dict)
    types: dict[str, str] = attrs.field(factory=dict)  # tape label -> event type
    date_format: str | None = None

    def event_type(self, label: str) -> str:
        """The event type a tape label stands for (the label itself when unmapped)."""
        return self.types.get(label, label)


def _table(data: _Map[str, Any], key: str, where: str) -> dict[str, str]:
    value = data.get(key, {})
    if not isinstance(value, _Map) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise InvalidInputError(where, value, "must be a table of names to names")
    return dict(value)


def read_mapping(source: str | os.PathLike[str] | _Map[str, Any] | None) -> Mapping:
    """Read a mapping from a TOML file, a dict of the same shape, or None (identity).

    Raises
    ------
    InvalidInputError
        An unreadable file, a malformed table, or an event type the format does not have.

    Notes
    -----
    A file is read as TOML (``tomllib``, TOML 1.0) with the tables ``[contracts.columns]``,
    ``[events.columns]``, ``[events.types]`` and ``[dates] format``; a dict of the same shape
    is read alike; every name must be a string and every mapped type one of
    :data:`EVENT_TYPES` (docs/audit.md, "A foreign tape: the mapping file").

    Examples
    --------
    >>> read_mapping({"events": {"types": {"PMT": "repayment"}}}).types
    {'PMT': 'repayment'}
    >>> read_mapping(None) == Mapping()
    True
    """
    if source is None:
        return Mapping()
    if isinstance(source, _Map):
        data: _Map[str, Any] = source
    else:
        if sys.version_info >= (3, 11):
            import tomllib  # noqa: PLC0415 - only when a mapping file is given
        else:  # pragma: no cover - Python 3.10
            import tomli as tomllib  # noqa: PLC0415

        try:
            with open(source, "rb") as handle:
                data = tomllib.load(handle)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise InvalidInputError("mapping", str(source), f"cannot be read: {error}") from error
    contracts = data.get("contracts", {})
    events = data.get("events", {})
    types = _table(events, "types", "events.types")
    for label, kind in types.items():
        if kind not in EVENT_TYPES:
            raise InvalidInputError(f"events.types.{label}", kind, f"must be one of {EVENT_TYPES}")
    fmt = data.get("dates", {}).get("format")
    if fmt is not None and not isinstance(fmt, str):
        raise InvalidInputError("dates.format", fmt, "must be a strptime format string")
    return Mapping(
        _table(contracts, "columns", "contracts.columns"),
        _table(events, "columns", "events.columns"),
        types,
        fmt,
    )
