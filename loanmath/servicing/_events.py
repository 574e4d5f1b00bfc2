"""Loan events: what happened to a loan, in its own words. Immutable, with unique ids.

Financial events change balances and post to the ledger; non-financial ones (a reminder, a
collection contact) are kept in the same history and hash chain and never touch balances.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

import attrs

from loanmath._canonical import canonical_json
from loanmath._checks import check_date
from loanmath._decimal import D, guard_init
from loanmath.errors import InvalidInputError, UnknownNameError
from loanmath.money import Money

__all__ = [
    "COMPONENTS",
    "Contact",
    "Disbursement",
    "Event",
    "FeeCharge",
    "Reminder",
    "Repayment",
    "Reversal",
    "Waiver",
    "WriteOff",
]

#: The parts of what a borrower owes.
COMPONENTS = ("penalty", "fees", "interest", "principal")


def _amount(value: object) -> Decimal | Money:
    """A positive amount; a Money keeps its currency, checked against the loan's on replay."""
    amount = value.amount if isinstance(value, Money) else D(value, "amount")
    if amount <= 0:
        raise InvalidInputError("amount", amount, "must be > 0")
    return value if isinstance(value, Money) else amount


def _id(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidInputError("id", value, "must be a non-empty string")
    return value


def _text(field: str, value: object) -> str:
    """A free-text field: a str (checked for encodability when posted)."""
    if not isinstance(value, str):
        raise InvalidInputError(field, value, "must be a string")
    return value


def _channel(value: object) -> str:
    return _text("channel", value)


def _name(value: object) -> str:
    return _text("name", value)


def _outcome(value: object) -> str:
    return _text("outcome", value)


def _agent(value: object) -> str:
    return _text("agent", value)


def _day(value: object) -> _dt.date:
    return check_date(value, "date")


def _optional_time(_: object, attribute: attrs.Attribute[Any], value: _dt.time | None) -> None:
    if value is not None and not isinstance(value, _dt.time):
        raise InvalidInputError(attribute.name, value, "must be a datetime.time or None")


@guard_init
@attrs.frozen
class Event:
    """Base of every event: an id (unique within the loan) and a date.

    Notes
    -----
    A loan's events are replayed sorted by date, one day's in the order recorded (C1), after
    that day's accrual and due dates (C2). :meth:`canonical` feeds ``Loan.history_hash``:
    ``link_0 = sha256("loanmath-loan-v1:" + loan_id)``, ``link_k = chain_hash(link_{k-1},
    canonical_k)`` in recorded order. The same id with other content is refused (C15)
    (docs/servicing.md, "Events" and "Conventions").

    Examples
    --------
    >>> Disbursement("D", _dt.date(2024, 1, 15)).canonical()
    '{"date":"2024-01-15","id":"D","kind":"Disbursement"}'
    >>> Repayment("P", _dt.date(2024, 2, 15), amount=Money("408.03", "CNY")).canonical()
    '{"amount":"408.03 CNY","channel":"bank","date":"2024-02-15","id":"P","kind":"Repayment"}'
    """

    id: str = attrs.field(converter=_id)
    date: _dt.date = attrs.field(converter=_day)

    financial = True

    def canonical(self) -> str:
        """Sorted-key JSON of the event (its kind and fields), for the history hash chain."""
        data: dict[str, object] = {"kind": type(self).__name__}
        for field in attrs.fields(type(self)):
            value = getattr(self, field.name)
            if value is None:
                continue  # an unset optional field (a whole disbursement) is not hashed
            if isinstance(value, (_dt.date, _dt.time)):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = format(value, "f")
            elif isinstance(value, Money):
                value = f"{value.amount:f} {value.currency}"
            data[field.name] = value
        return canonical_json(data)


def _optional_amount(value: object) -> Decimal | Money | None:
    return None if value is None else _amount(value)


@guard_init
@attrs.frozen
class Disbursement(Event):
    """The loan is paid out: the whole principal (``amount=None``) on the start date, or in
    tranches (the first on the start date).

    Notes
    -----
    Whole, it posts Dr principal receivable (principal + financed fees) / Cr custody (net of
    upfront fees) / Cr fee income; a tranche posts Dr principal receivable / Cr custody (the
    first also Cr fee income for the upfront fees). A late first disbursement (after the
    start date, before the first due date) re-amortises an annuity or equal-principal loan
    from the funding date; each tranche re-amortises the outstanding principal over the
    remaining due dates with ``keep="term"`` (docs/servicing.md, "Events", "Funded late",
    "Tranches").

    Examples
    --------
    >>> Disbursement("D", _dt.date(2024, 1, 15)).financial
    True
    >>> Disbursement("T2", _dt.date(2024, 3, 1), amount="5000").amount
    Decimal('5000')
    """

    amount: Decimal | Money | None = attrs.field(
        default=None, converter=_optional_amount, kw_only=True
    )


@guard_init
@attrs.frozen
class Repayment(Event):
    """The borrower pays `amount` through `channel` (allocated by the waterfall).

    Notes
    -----
    Pays only what is due on its date, by the policy's waterfall (C9); what is left is held
    as an overpayment (a liability) or prepaid, per the policy. After a write-off it is a
    recovery: Dr custody / Cr recoveries (C13). The amount must be a whole number of the
    currency's minor unit, in the loan's currency (C15) (docs/servicing.md, "Conventions").

    Examples
    --------
    >>> Repayment("P1", _dt.date(2024, 2, 15), amount="408.03").amount
    Decimal('408.03')
    """

    amount: Decimal | Money = attrs.field(converter=_amount, kw_only=True)
    channel: str = attrs.field(default="bank", converter=_channel, kw_only=True)


@guard_init
@attrs.frozen
class FeeCharge(Event):
    """A fee charged to the loan (due at once).

    Notes
    -----
    Posts Dr fee receivable / Cr fee income on its date; money held pays it at once (C2).
    Refused before the disbursement, after a write-off (C13), and beyond the room the UK
    HCSTC total cost cap leaves (C16) (docs/servicing.md, "Events" and "Conventions").

    Examples
    --------
    >>> FeeCharge("F", _dt.date(2024, 2, 1), amount="30", name="statement").name
    'statement'
    """

    amount: Decimal | Money = attrs.field(converter=_amount, kw_only=True)
    name: str = attrs.field(default="fee", converter=_name, kw_only=True)


def _component(value: object) -> str:
    if value not in ("penalty", "fees", "interest"):
        raise UnknownNameError("component", value, ("penalty", "fees", "interest"))
    return str(value)


@guard_init
@attrs.frozen
class Waiver(Event):
    """Forgive `amount` of a due component (penalty, fees or interest).

    Notes
    -----
    At most what is owed of the component on its date (C12): penalty and interest oldest
    instalment first; fees: charged fees by date, then periodic fees of due instalments.
    Posts Dr the component's income / Cr its receivable; refused after a write-off (C13)
    (docs/servicing.md, "Conventions").

    Examples
    --------
    >>> Waiver("W", _dt.date(2024, 3, 1), amount="5", component="penalty").component
    'penalty'
    """

    amount: Decimal | Money = attrs.field(converter=_amount, kw_only=True)
    component: str = attrs.field(converter=_component, kw_only=True)


@guard_init
@attrs.frozen
class WriteOff(Event):
    """Charge the loan off: what is owed leaves the books; later payments are recoveries.

    Notes
    -----
    Posts Dr write-off expense / Cr every receivable (principal outstanding, interest due
    and accrued, fees, penalty); accrual stops, money held stays owed to the borrower, DPD
    goes on ageing; a second write-off is refused (C13, docs/servicing.md, "Conventions").

    Examples
    --------
    >>> WriteOff("X", _dt.date(2024, 9, 1)).id
    'X'
    """


@guard_init
@attrs.frozen
class Reversal(Event):
    """Undo the event `target` (a bounced repayment …): everything after it is recomputed
    and the difference posted as one correcting transaction (docs/servicing.md C14).

    Notes
    -----
    On day *r* the history without the target (and without earlier reversals' targets) is
    replayed through *r*, and the difference of every ledger balance is posted as one
    correcting transaction on *r*; nothing recorded is edited. The target must be an earlier
    financial event, not a reversal, not reversed yet (C14, docs/servicing.md).

    Examples
    --------
    >>> Reversal("R1", _dt.date(2024, 3, 1), target="P1").target
    'P1'
    """

    target: str = attrs.field(converter=_id, kw_only=True)


@guard_init
@attrs.frozen
class Reminder(Event):
    """A reminder sent (non-financial).

    Notes
    -----
    Kept in the history and in ``Loan.history_hash``; never changes an amount (C1).
    ``loanmath.ageing.reminder_dates`` proposes the dates (docs/servicing.md, "Events").

    Examples
    --------
    >>> Reminder("M1", _dt.date(2024, 2, 12)).financial
    False
    """

    channel: str = attrs.field(default="sms", converter=_channel, kw_only=True)
    financial = False


@guard_init
@attrs.frozen
class Contact(Event):
    """A collection contact (non-financial): channel, time of day, outcome, agent reference.

    Notes
    -----
    A record of a collection contact, kept in the history and in ``Loan.history_hash`` for an
    inspection; never changes an amount (C1). Its text must be encodable as UTF-8 (C15)
    (docs/servicing.md, "Events").

    Examples
    --------
    >>> c = Contact("C1", _dt.date(2024, 2, 20), at=_dt.time(10, 30), outcome="promised",
    ...             agent="A7")
    >>> c.outcome, c.canonical()[:30]
    ('promised', '{"agent":"A7","at":"10:30:00",')
    """

    channel: str = attrs.field(default="phone", converter=_channel, kw_only=True)
    at: _dt.time | None = attrs.field(default=None, validator=_optional_time, kw_only=True)
    outcome: str = attrs.field(default="", converter=_outcome, kw_only=True)
    agent: str = attrs.field(default="", converter=_agent, kw_only=True)
    financial = False
