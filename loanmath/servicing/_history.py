"""A loan's history checked as a whole before anything is replayed (docs/servicing.md C1,
C14, C15): known event kinds, unique ids, encodable text, reversals of earlier financial
events not reversed yet — and the history order (by date; one day's events as recorded).

A ``History`` can be extended in place by events dated on or after its last one, checking
only the new events; a ``Loan`` hands its history on to the loan ``add`` returns, so a
history built one event at a time is checked once, not once per event.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import attrs

from loanmath.errors import InvalidInputError, UnknownNameError
from loanmath.servicing._events import (
    Contact,
    Disbursement,
    Event,
    FeeCharge,
    Reminder,
    Repayment,
    Reversal,
    Waiver,
    WriteOff,
)

__all__ = ["KINDS", "History", "check_event"]

#: The event kinds the replay knows (a subclass is handled as the kind it derives from).
KINDS = (Disbursement, Repayment, FeeCharge, Waiver, WriteOff, Reversal, Reminder, Contact)
_FIELDS: dict[type, tuple[str, ...]] = {}  # event class -> its field names


def check_event(event: object) -> None:
    """Refuse what is not an event of a known kind, or holds text UTF-8 cannot encode.

    Examples
    --------
    >>> check_event(Repayment("P", _dt.date(2024, 2, 15), amount="10", channel="\\ud800"))
    Traceback (most recent call last):
    ...
    loanmath.errors.InvalidInputError: channel='?': holds text that cannot be encoded ...
    """
    if not isinstance(event, Event):
        raise InvalidInputError("events", event, "must be loanmath.servicing events")
    if not isinstance(event, KINDS):
        raise InvalidInputError(
            "event",
            type(event).__name__,
            "is not an event kind the library knows",
            "derive it from Disbursement, Repayment, FeeCharge, Waiver, WriteOff, Reversal, "
            "Reminder or Contact",
        )
    kind = type(event)
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(field.name for field in attrs.fields(kind))
    for name in names:
        value = getattr(event, name)
        if isinstance(value, str) and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as error:
                raise InvalidInputError(
                    name,
                    value.encode("utf-8", "replace").decode(),
                    "holds text that cannot be encoded as UTF-8 (a lone surrogate)",
                    "remove the character",
                ) from error


class History:
    """The events in history order, with the index the checks need."""

    __slots__ = ("ids", "last", "ordered", "reversed")

    def __init__(self, start: _dt.date) -> None:
        self.ordered: list[Event] = []
        self.ids: dict[str, int] = {}  # id -> position in `ordered`
        self.reversed: set[str] = set()  # ids reversed so far
        self.last = start  # the latest date (the start date when empty)

    @classmethod
    def of(cls, start: _dt.date, events: Sequence[Event]) -> History:
        """Check and order `events` (any order of dates)."""
        history = cls(start)
        for event in events:
            check_event(event)
        history._append(sorted(events, key=lambda e: e.date))
        return history

    def follows(self, events: Sequence[Event]) -> bool:
        """Whether `events` all come on or after the last date (so they append)."""
        return all(event.date >= self.last for event in events)

    def extend(self, events: Sequence[Event]) -> None:
        """Append `events` dated on or after the last date (checked first; on a refusal
        nothing changes)."""
        self._append(sorted(events, key=lambda e: e.date))

    def _append(self, events: list[Event]) -> None:
        ids = dict.fromkeys(self.ids)
        fresh: set[str] = set()
        for k, event in enumerate(events):
            if event.id in ids:
                raise InvalidInputError("id", event.id, "is used by two different events")
            ids[event.id] = None
            if isinstance(event, Reversal):
                self._check_reversal(event, events, k, fresh)
                fresh.add(event.target)
        base = len(self.ordered)
        for k, event in enumerate(events):
            self.ids[event.id] = base + k
        self.ordered.extend(events)
        self.reversed |= fresh
        if events:
            self.last = max(self.last, events[-1].date)

    def _check_reversal(
        self, event: Reversal, events: list[Event], k: int, fresh: set[str]
    ) -> None:
        """C14: a reversal names an earlier financial event not reversed yet."""
        earlier = {e.id: e for e in events[:k]}
        where = self.ids.get(event.target)
        target = self.ordered[where] if where is not None else earlier.get(event.target)
        if target is None:
            later = next((e for e in events[k + 1 :] if e.id == event.target), None)
            if later is not None:
                raise InvalidInputError(
                    "date",
                    event.date,
                    f"reversal {event.id!r} comes before its target {event.target!r} "
                    f"({later.date}) in the history",
                    "record the reversal after the event it reverses",
                )
            raise UnknownNameError("target", event.target, sorted({*self.ids, *earlier}))
        if isinstance(target, Reversal) or not target.financial:
            raise InvalidInputError(
                "target",
                event.target,
                f"is a {type(target).__name__}: only a financial event can be reversed",
            )
        if event.target in self.reversed or event.target in fresh:
            raise InvalidInputError("target", event.target, "is already reversed")
