"""The cap protocol and the built-in caps measured by IRR, MAPR and CONC 5A."""

from __future__ import annotations

import decimal
from abc import ABC, abstractmethod
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from loanmath._decimal import CONTEXT, D, context_free
from loanmath.caps._measures import MEASURES, all_in_irr, mapr, overdue_rate
from loanmath.caps._measures import percent as _percent
from loanmath.errors import InvalidInputError, RateCapExceeded, UnknownNameError

__all__ = ["CN_COMPREHENSIVE_36", "UK_HCSTC", "US_MLA_36", "AnnualRateCap", "Cap"]


# --- the protocol ------------------------------------------------------------------------


class Cap(ABC):
    """A legal or policy limit on a contract. Subclasses set ``name`` and ``limit`` and
    implement :meth:`measure`; :meth:`check` compares and raises.

    Notes
    -----
    ``check`` raises :class:`RateCapExceeded` when ``measure(terms) > limit`` (equal complies),
    then when the contract's agreed overdue rate is above ``overdue_limit(terms)`` (by default
    the limit itself for a cap that ``covers_overdue``, 法释〔2020〕17号 Arts. 28–29; else None).
    ``LoanTerms`` runs every cap's check at construction (docs/caps-and-quote.md).

    Examples
    --------
    >>> class ContractRateCap(Cap):
    ...     name, limit = "POLICY_30", Decimal("0.30")
    ...     def measure(self, terms):
    ...         return terms.annual_rate
    >>> ContractRateCap().limit
    Decimal('0.30')
    """

    name: str
    limit: Decimal
    #: Whether overdue charges must stay within the same limit (China, Arts. 28-29).
    covers_overdue: bool = False
    #: The named measure batch pricing computes for this cap (``"all_in_irr"``, ``"mapr"``,
    #: ``"contract_rate"``), or None when only the scalar path can measure it.
    batch_measure: str | None = None
    #: Default fees allowed in total over the loan's life (None: not limited by this cap).
    default_fees: Decimal | None = None
    #: All charges, default charges included, as a share of the credit (None: no such cap).
    total_cost: Decimal | None = None

    @abstractmethod
    def measure(self, terms: Any) -> Decimal:
        """The contract's rate as this cap's law measures it (annual fraction)."""

    def overdue_limit(self, terms: Any) -> Decimal | None:
        """The highest annual rate on overdue amounts this cap allows for `terms` (None: the
        cap does not cover overdue charges). Construction refuses a contract overdue rate
        above it; servicing lowers a higher penalty policy rate to it."""
        return self.limit if self.covers_overdue else None

    def _overdue_breach(self, limit: Decimal, overdue: Decimal) -> RateCapExceeded:
        return RateCapExceeded(
            f"{self.name} (overdue)",
            limit,
            overdue,
            f"overdue rate {_percent(overdue)} > limit {_percent(limit)}: lower "
            "the penalty rate or multiple",
        )

    @context_free
    def check(self, terms: Any) -> None:
        """Raise :class:`RateCapExceeded` if `terms` breaks this cap.

        Examples
        --------
        >>> import datetime as dt
        >>> from loanmath import LoanTerms, Money
        >>> LoanTerms(Money("1000", "CNY"), "0.40", 12, start_date=dt.date(2024, 1, 1),
        ...           caps=(CN_COMPREHENSIVE_36,))
        Traceback (most recent call last):
        ...
        loanmath.errors.RateCapExceeded: CN_COMPREHENSIVE_36: measured rate 0.4... exceeds ...
        """
        measured = D(self.measure(terms), f"{self.name} measure")  # a user's measure, checked
        if measured > self.limit:
            raise RateCapExceeded(
                self.name,
                self.limit,
                measured,
                f"measured {_percent(measured)} > limit {_percent(self.limit)}: lower the rate "
                "or fees (loanmath.caps.max_rate / max_fee give the highest compliant values)",
            )
        limit = self.overdue_limit(terms)
        overdue = overdue_rate(terms)
        if limit is not None and overdue is not None and overdue > limit:
            raise self._overdue_breach(limit, overdue)

    def __repr__(self) -> str:
        return f"<cap {self.name} {_percent(self.limit)}>"


class AnnualRateCap(Cap):
    """A cap at `limit` on a measure: ``"all_in_irr"`` (default), ``"contract_rate"``,
    ``"mapr"``, or any callable ``terms -> Decimal``.

    Notes
    -----
    Complies when ``measure(terms) <= limit`` (`limit` > 0). Measures: ``"all_in_irr"`` (periodic
    IRR of every flow × periods a year, PBoC 〔2021〕第3号), ``"contract_rate"`` (the nominal
    rate as written), ``"mapr"`` (12 CFR 1026 Appendix J APR with every charge, 32 CFR
    232.4(c)); a callable is the caller's own measure. ``covers_overdue=True`` holds the agreed
    overdue rate to `limit` too. docs/caps-and-quote.md.

    Examples
    --------
    >>> usury = AnnualRateCap("NY_CIVIL_USURY_16", "0.16", measure="contract_rate")
    >>> usury.limit
    Decimal('0.16')
    """

    def __init__(
        self,
        name: str,
        limit: Decimal | int | str,
        measure: str | Callable[[Any], Decimal] = "all_in_irr",
        *,
        covers_overdue: bool = False,
    ) -> None:
        self.name = name
        self.limit = D(limit, "limit")
        if self.limit <= 0:
            raise InvalidInputError("limit", self.limit, "must be > 0")
        if isinstance(measure, str):
            if measure not in MEASURES:
                raise UnknownNameError("measure", measure, tuple(MEASURES))
            self.batch_measure = measure
            measure = MEASURES[measure]
        self._measure = measure
        self.covers_overdue = covers_overdue

    def measure(self, terms: Any) -> Decimal:
        return self._measure(terms)


class _Comprehensive(Cap):
    batch_measure = "all_in_irr"
    name = "CN_COMPREHENSIVE_36"
    limit = Decimal("0.36")
    covers_overdue = True

    def measure(self, terms: Any) -> Decimal:
        return all_in_irr(terms)


class _MLA(Cap):
    batch_measure = "mapr"
    name = "US_MLA_36"
    limit = Decimal("0.36")

    def measure(self, terms: Any) -> Decimal:
        return mapr(terms)


#: China: all-in cost annualised by IRR ≤ 36 % (整治办函〔2017〕141号).
CN_COMPREHENSIVE_36: Cap = _Comprehensive()
#: US Military Lending Act: MAPR ≤ 36 % (32 CFR 232.4(b)).
US_MLA_36: Cap = _MLA()


# --- UK high-cost short-term credit -----------------------------------------------------


class _HCSTC(Cap):
    """FCA CONC 5A.2: initial cost cap 0.8 % a day of the credit outstanding (simple), default
    fee cap £15, total cost cap 100 % of the credit. ``limit`` is the daily cap as a simple
    annual rate (0.8 % × 365)."""

    name = "UK_HCSTC"
    limit = Decimal("2.920")  # 0.8 % a day x 365
    daily = Decimal("0.008")
    #: Default cap (CONC 5A.3.18R): default fees £15 in total, and default interest at no more
    #: than the agreement's rate of interest (:meth:`overdue_limit`).
    default_fees = Decimal(15)
    #: Total cost cap (CONC 5A.2.2R at entry, 5A.3.2R when imposing): all charges, default
    #: charges included, at most this share of the credit provided.
    total_cost = Decimal(1)

    def measure(self, terms: Any) -> Decimal:
        """Charges over the credit-days outstanding (each repayment of credit counted from the
        start to its own due date), as a simple annual rate. Financed fees are charges: the
        principal-days are scaled to the credit provided."""
        schedule = terms.schedule
        start = schedule.start_date
        with decimal.localcontext(CONTEXT):
            principal_days = sum(
                (row.principal * (row.due_date - start).days for row in schedule.installments),
                Decimal(0),
            )
            if principal_days <= 0:
                return Decimal(0)
            # financed fees are charges, not credit: count only the credit provided
            principal_days *= schedule.principal / schedule.total_principal
            measured: Decimal = schedule.total_cost / principal_days * 365
            return measured

    def overdue_limit(self, terms: Any) -> Decimal | None:
        """Default interest at no more than the agreement's rate (CONC 5A.3.18R)."""
        return Decimal(terms.annual_rate)

    def _overdue_breach(self, limit: Decimal, overdue: Decimal) -> RateCapExceeded:
        return RateCapExceeded(
            "UK_HCSTC default interest cap",
            limit,
            overdue,
            "default interest may not exceed the agreement's rate of interest "
            "(CONC 5A.3.18R); use penalty_multiple=1 or no overdue rate",
        )

    @context_free
    def check(self, terms: Any) -> None:
        if terms.principal.currency != "GBP":
            raise InvalidInputError(
                "caps", self.name, f"applies to credit in GBP, not {terms.principal.currency}"
            )
        super().check(terms)
        schedule = terms.schedule
        with decimal.localcontext(CONTEXT):
            total = schedule.total_cost / schedule.principal
        if total > 1:
            raise RateCapExceeded(
                "UK_HCSTC total cost cap",
                Decimal(1),
                total,
                f"all charges are {_percent(total)} of the credit; CONC 5A.2 allows 100 %",
            )
        fee = terms.late_fee
        if fee is not None and fee > self.default_fees:
            raise RateCapExceeded(
                "UK_HCSTC default fee cap",
                self.default_fees,
                fee,
                "default fees may not exceed £15 in total (CONC 5A.2)",
            )


#: UK FCA CONC 5A high-cost short-term credit caps.
UK_HCSTC: Cap = _HCSTC()
