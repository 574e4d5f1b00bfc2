"""Facts every form shares, read from the contract's own values: the cap checks, the overdue
terms, the grouped payment schedule, and their JSON.

Each form (:mod:`~loanmath.disclosure.tila`, :mod:`~loanmath.disclosure.cn`,
:mod:`~loanmath.disclosure.secci`, :mod:`~loanmath.disclosure.quote`) builds on these, so the
overdue terms a borrower reads are the ``LoanTerms.overdue`` value servicing charges
(ARCHITECTURE invariant 8) and a cap verdict is the cap's own measure.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

__all__ = [
    "EU_CURRENCIES",
    "CapCheck",
    "OverdueFacts",
    "PaymentGroup",
    "aprc_period",
    "cap_checks",
    "cap_kind",
    "fields_of",
    "group_payments",
    "jsonable",
    "jurisdiction",
    "overdue_facts",
]

#: Caps the forms word in the borrower's language, by the prefix of ``Cap.name``.
_CAP_KINDS = {
    "CN_COMPREHENSIVE_36": "cn36",
    "CN_PRIVATE_LENDING_4LPR": "cn_lpr",
    "US_MLA_36": "us_mla",
    "UK_HCSTC": "uk_hcstc",
}


@attrs.frozen
class CapCheck:
    """A cap the contract was checked against: what was measured and the limit it is within.

    ``kind`` is ``"cn36"``, ``"cn_lpr"``, ``"us_mla"``, ``"uk_hcstc"`` or ``"other"`` (a cap
    the library does not know by name: its ``rule`` is shown as given).

    Notes
    -----
    ``measured`` is the cap's own measure of the contract (``cap.measure(terms)``), ``limit``
    the cap's; a constructed ``LoanTerms`` has ``measured <= limit`` for each. For a cap that
    covers overdue interest, ``overdue_rate`` is the contract's overdue annual rate
    (法释〔2020〕17号 Arts. 28-29 for China's caps; docs/caps-and-quote.md).

    Examples
    --------
    >>> CapCheck("POLICY_30", "other", Decimal("0.2"), Decimal("0.3"), False, None).kind
    'other'
    """

    rule: str
    kind: str
    measured: Decimal
    limit: Decimal
    covers_overdue: bool
    overdue_rate: Decimal | None


def cap_kind(name: str) -> str:
    """The kind of the cap called `name` (see :class:`CapCheck`).

    Examples
    --------
    >>> cap_kind("CN_PRIVATE_LENDING_4LPR(2024-01-15: 4 x 3.45%)"), cap_kind("POLICY_30")
    ('cn_lpr', 'other')
    """
    prefix = name.split("(", maxsplit=1)[0]
    return _CAP_KINDS.get(prefix, "other")


#: The currencies of the EU consumer credit directive's SECCI (and the UK, which kept it).
EU_CURRENCIES = ("EUR", "BGN", "CZK", "DKK", "HUF", "PLN", "RON", "SEK", "GBP")

#: A cap kind that names a jurisdiction, in the order a contract under several is read.
_CAP_JURISDICTIONS = (("cn36", "cn"), ("cn_lpr", "cn"), ("us_mla", "us"), ("uk_hcstc", "eu"))


def jurisdiction(terms: Any) -> str:
    """The borrower's jurisdiction as the contract shows it: ``"cn"``, ``"us"``, ``"eu"`` or
    ``"other"``. The one rule behind the form a loan gets and the rates its quote shows.

    Notes
    -----
    The first cap that names a jurisdiction decides (China's 36 % or 4 × LPR, the US MLA, the
    UK HCSTC, in that order); with none of them (no caps, or only caps of one's own), the
    currency: CNY, USD, or an EU currency or GBP (docs/disclosure.md, the table of forms).

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> jurisdiction(LoanTerms(Money("100", "USD"), "0.1", 2, start_date=dt.date(2024, 1, 1)))
    'us'
    """
    kinds = {cap_kind(cap.name) for cap in terms.caps}
    for kind, place in _CAP_JURISDICTIONS:
        if kind in kinds:
            return place
    currency = terms.principal.currency
    if currency == "CNY":
        return "cn"
    if currency == "USD":
        return "us"
    return "eu" if currency in EU_CURRENCIES else "other"


#: The EU APRC's whole period for a schedule's frequency (weeks for weekly loans, Directive
#: 2008/48/EC Annex I remark (c); months otherwise).
_APRC_PERIODS = {"weekly": "week", "biweekly": "week"}


def aprc_period(frequency: str) -> str:
    """The period the EU APRC of a loan paid at `frequency` counts time in.

    Notes
    -----
    Directive 2008/48/EC Annex I remark (c): time in years or fractions of a year, a year of
    12 equal months or 52 weeks; loanmath counts weeks for weekly and biweekly schedules and
    months otherwise. The quote and the SECCI both read it here, so they disclose one APRC.

    Examples
    --------
    >>> aprc_period("weekly"), aprc_period("monthly")
    ('week', 'month')
    """
    return _APRC_PERIODS.get(frequency, "month")


def cap_checks(terms: Any) -> tuple[CapCheck, ...]:
    """Each cap of `terms` with its measure (a constructed ``LoanTerms`` is within them all).

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> from loanmath.caps import CN_COMPREHENSIVE_36
    >>> t = LoanTerms(Money("12000", "CNY"), "0.12", 12, start_date=dt.date(2024, 1, 15),
    ...               caps=(CN_COMPREHENSIVE_36,))
    >>> check = cap_checks(t)[0]
    >>> check.kind, check.limit, check.covers_overdue
    ('cn36', Decimal('0.36'), True)
    """
    overdue = terms.overdue.annual_rate(terms.annual_rate)
    return tuple(
        CapCheck(
            rule=cap.name,
            kind=cap_kind(cap.name),
            measured=cap.measure(terms),
            limit=cap.limit,
            covers_overdue=bool(cap.covers_overdue),
            overdue_rate=overdue if cap.covers_overdue else None,
        )
        for cap in terms.caps
    )


@attrs.frozen
class OverdueFacts:
    """What happens when an instalment is late, exactly as servicing applies it.

    ``agreed`` is False when the contract agrees no overdue rate (overdue principal keeps the
    contract rate, 法释〔2020〕17号 Art. 28); ``annual_rate`` is then the contract rate.
    ``daily_rate`` is the annual rate over the penalty day count's year (360 on ACT/360).

    Notes
    -----
    Read from ``LoanTerms.overdue``, the value servicing charges (ARCHITECTURE invariant 8):
    annual rate = contract rate × multiple, or + margin, or a daily rate × the year's days;
    the base, 复利, grace and late fee follow docs/servicing.md C4-C8 (docs/disclosure.md,
    "The overdue terms, on every form").

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> overdue_facts(LoanTerms(Money("100", "CNY"), "0.12", 2,
    ...                         start_date=dt.date(2024, 1, 1))).agreed
    False
    """

    agreed: bool
    annual_rate: Decimal
    daily_rate: Decimal
    multiple: Decimal | None
    margin: Decimal | None
    base: str
    compound: bool
    grace_days: int
    late_fee: Decimal | None
    day_count: str


def overdue_facts(terms: Any) -> OverdueFacts:
    """The overdue terms of `terms` (its ``overdue`` value) as a form shows them.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> t = LoanTerms(Money("12000", "CNY"), "0.12", 12, start_date=dt.date(2024, 1, 15),
    ...               penalty_multiple="1.5", penalty_grace_days=3)
    >>> f = overdue_facts(t)
    >>> f.annual_rate, f.daily_rate, f.grace_days
    (Decimal('0.180'), Decimal('0.0005'), 3)
    """
    overdue = terms.overdue
    annual = overdue.annual_rate(terms.annual_rate)
    daily = overdue.daily(terms.annual_rate)
    return OverdueFacts(
        agreed=overdue.agreed,
        annual_rate=annual,
        daily_rate=daily,
        multiple=overdue.multiple,
        margin=overdue.margin,
        base=overdue.base,
        compound=overdue.compound,
        grace_days=overdue.grace_days,
        late_fee=overdue.late_fee,
        day_count=overdue.day_count,
    )


@attrs.frozen
class PaymentGroup:
    """A run of equal consecutive payments, as model form H-2 groups them.

    ``count`` payments of ``amount``, the first due ``first_due`` and the last ``last_due``.

    Notes
    -----
    Consecutive instalments with exactly equal payments form one group, in due-date order;
    a different amount (a last instalment carrying the rounding residual) starts a new one,
    as the payment schedule of 12 CFR 1026.18(g) and model form H-2 shows them.

    Examples
    --------
    >>> import datetime as dt
    >>> PaymentGroup(2, Decimal("5.00"), dt.date(2024, 2, 1), dt.date(2024, 3, 1)).count
    2
    """

    count: int
    amount: Decimal
    first_due: _dt.date
    last_due: _dt.date


def group_payments(schedule: Any) -> tuple[PaymentGroup, ...]:
    """The schedule's payments grouped into runs of equal amounts, in order.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> s = LoanTerms(Money("1200.00", "USD"), "0.12", 3,
    ...               start_date=dt.date(2024, 1, 15)).schedule
    >>> [(g.count, str(g.amount)) for g in group_payments(s)]
    [(2, '408.03'), (1, '408.02')]
    """
    groups: list[PaymentGroup] = []
    for row in schedule.installments:
        last = groups[-1] if groups else None
        if last is not None and last.amount == row.payment:
            groups[-1] = attrs.evolve(last, count=last.count + 1, last_due=row.due_date)
        else:
            groups.append(PaymentGroup(1, row.payment, row.due_date, row.due_date))
    return tuple(groups)


def fields_of(value: Any) -> dict[str, object]:
    """An attrs value's fields as JSON-ready data, leaving out the contract it was read from.

    Examples
    --------
    >>> import datetime as dt
    >>> fields_of(PaymentGroup(2, Decimal("5.00"), dt.date(2024, 2, 1), dt.date(2024, 3, 1)))
    {'count': 2, 'amount': '5.00', 'first_due': '2024-02-01', 'last_due': '2024-03-01'}
    """
    return {
        f.name: jsonable(getattr(value, f.name))
        for f in attrs.fields(type(value))
        if f.name != "terms"
    }


def jsonable(value: object) -> object:
    """`value` as JSON-ready data: Decimals as plain strings, dates as ISO strings, attrs
    values and mappings as objects, tuples as lists.

    Examples
    --------
    >>> import datetime as dt
    >>> jsonable({"a": Decimal("1.50"), "b": (dt.date(2024, 1, 2), None, 3)})
    {'a': '1.50', 'b': ['2024-01-02', None, 3]}
    """
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if attrs.has(type(value)):
        return fields_of(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [jsonable(v) for v in value]
    return value
