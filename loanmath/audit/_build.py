"""Tape rows into library values: a contract row into ``LoanTerms``, an event row into a
servicing event — or ``CellError``s naming the field, the value and why."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from loanmath.audit._cells import (
    CellError,
    currency_cell,
    date_cell,
    int_cell,
    money_cell,
    rate_cell,
    text_cell,
)
from loanmath.audit._mapping import EVENT_TYPES
from loanmath.audit._mapping import Mapping as TapeMapping
from loanmath.caps import CN_COMPREHENSIVE_36, UK_HCSTC, US_MLA_36, Cap, cn_private_lending
from loanmath.money import Money
from loanmath.schedules import Fee
from loanmath.servicing import (
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
from loanmath.terms import LoanTerms

__all__ = ["CAPS", "build_event", "build_terms"]

#: Cap names a tape's ``caps`` column may list (separated by ``;``).
CAPS: dict[str, Callable[[_dt.date], Cap]] = {
    "CN_COMPREHENSIVE_36": lambda start: CN_COMPREHENSIVE_36,
    "CN_LPR": cn_private_lending,
    "US_MLA_36": lambda start: US_MLA_36,
    "UK_HCSTC": lambda start: UK_HCSTC,
}
_FEES = (("upfront_fee", "upfront"), ("financed_fee", "financed"), ("periodic_fee", "periodic"))


def _cell(row: Mapping[str, str], name: str) -> str:
    return row.get(name, "") or ""


def build_terms(row: Mapping[str, str], mapping: TapeMapping) -> LoanTerms:
    """A contract row as ``LoanTerms`` (its caps checked at construction).

    Raises
    ------
    CellError, LoanMathError
        Naming the field.
    """
    currency = currency_cell("currency", _cell(row, "currency"))
    start = date_cell("start_date", _cell(row, "start_date"), mapping.date_format)
    kw: dict[str, Any] = {
        "method": text_cell("method", _cell(row, "method"), required=False) or "annuity",
        "frequency": text_cell("frequency", _cell(row, "frequency"), required=False) or "monthly",
        "start_date": start,
    }
    if _cell(row, "first_due_date").strip():
        kw["first_due_date"] = date_cell(
            "first_due_date", _cell(row, "first_due_date"), mapping.date_format
        )
    if _cell(row, "day_count").strip():
        kw["day_count"] = _cell(row, "day_count").strip()
    fees = [
        Fee(timing, timing, amount=money_cell(column, _cell(row, column), currency))
        for column, timing in _FEES
        if _cell(row, column).strip()
    ]
    kw["fees"] = tuple(fees)
    for column in ("penalty_multiple", "penalty_rate"):
        if _cell(row, column).strip():
            kw[column] = rate_cell(column, _cell(row, column))
    if _cell(row, "penalty_grace_days").strip():
        kw["penalty_grace_days"] = int_cell("penalty_grace_days", _cell(row, "penalty_grace_days"))
    if _cell(row, "late_fee").strip():
        kw["late_fee"] = money_cell("late_fee", _cell(row, "late_fee"), currency)
    caps = []
    for name in filter(None, (part.strip() for part in _cell(row, "caps").split(";"))):
        if name not in CAPS:
            raise CellError("caps", name, f"is not a cap the tape format knows: {sorted(CAPS)}")
        caps.append(CAPS[name](start))
    kw["caps"] = tuple(caps)
    return LoanTerms(
        Money(money_cell("principal", _cell(row, "principal"), currency), currency),
        rate_cell("annual_rate", _cell(row, "annual_rate")),
        int_cell("term", _cell(row, "term")),
        **kw,
    )


def build_event(row: Mapping[str, str], currency: str | None, mapping: TapeMapping) -> Event:
    """An event row as a servicing event.

    Raises
    ------
    CellError, LoanMathError
        Naming the field.
    """
    if "_unreadable" in row:
        raise CellError("row", row["_unreadable"][:80], "is not a JSON object")
    event_id = text_cell("event_id", _cell(row, "event_id"))
    day = date_cell("date", _cell(row, "date"), mapping.date_format)
    kind = mapping.event_type(text_cell("type", _cell(row, "type")))
    if kind not in EVENT_TYPES:
        raise CellError("type", _cell(row, "type"), f"is not an event type: {EVENT_TYPES}")

    def amount(required: bool = True) -> Decimal | None:
        text = _cell(row, "amount")
        if not text.strip():
            if required:
                raise CellError("amount", text, f"is empty; a {kind} needs an amount")
            return None
        if currency is None:
            return rate_cell("amount", text)
        return money_cell("amount", text, currency)

    channel = _cell(row, "channel").strip()
    makers: dict[str, Callable[[], Event]] = {
        "disbursement": lambda: Disbursement(event_id, day, amount=amount(required=False)),
        "repayment": lambda: Repayment(event_id, day, amount=amount(), channel=channel or "bank"),
        "fee": lambda: FeeCharge(event_id, day, amount=amount(), name=_cell(row, "name") or "fee"),
        "waiver": lambda: Waiver(event_id, day, amount=amount(), component=_cell(row, "component")),
        "writeoff": lambda: WriteOff(event_id, day),
        "reversal": lambda: Reversal(
            event_id, day, target=text_cell("target", _cell(row, "target"))
        ),
        "reminder": lambda: Reminder(event_id, day, channel=channel or "sms"),
        "contact": lambda: Contact(event_id, day, channel=channel or "phone"),
    }
    return makers[kind]()
