"""Names the forms show for the library's codes (methods, frequencies, fee timings, overdue
bases), marked for translation with ``N_`` so the catalogs' extraction finds them; the words
themselves are translated at render time from the gettext catalogs.
"""

from __future__ import annotations

from typing import Final

__all__ = ["BASES", "FREQUENCIES", "METHODS", "N_", "PER_YEAR", "RATE_NAMES", "TIMINGS"]


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for a marked no-op
    """Mark `message` for extraction; translate it later with the locale's catalog.

    Examples
    --------
    >>> N_("Monthly")
    'Monthly'
    """
    return message


METHODS: Final = {
    "annuity": N_("equal instalments of principal and interest (annuity)"),
    "equal_principal": N_("equal principal repayments, interest on the balance"),
    "interest_only": N_("interest each period, principal at maturity"),
    "bullet": N_("principal and interest in one payment at maturity"),
    "flat": N_("flat (add-on) charge on the original principal, equal instalments"),
    "custom": N_("custom repayment plan"),
    "step": N_("stepped instalments"),
}

#: How often payments fall due, as a schedule heading says it ("Monthly beginning …").
FREQUENCIES: Final = {
    "monthly": N_("Monthly"),
    "semimonthly": N_("Twice a month"),
    "biweekly": N_("Every two weeks"),
    "weekly": N_("Weekly"),
    "quarterly": N_("Quarterly"),
    "semiannual": N_("Every six months"),
    "annual": N_("Yearly"),
}

#: The period of an IRR annualised by ×k, in the label "IRR × k".
PER_YEAR: Final = {
    "monthly": N_("monthly IRR × 12"),
    "semimonthly": N_("half-monthly IRR × 24"),
    "biweekly": N_("fortnightly IRR × 26"),
    "weekly": N_("weekly IRR × 52"),
    "quarterly": N_("quarterly IRR × 4"),
    "semiannual": N_("half-yearly IRR × 2"),
    "annual": N_("annual IRR × 1"),
}

TIMINGS: Final = {
    "upfront": N_("deducted from the amount paid out"),
    "financed": N_("added to the amount repaid"),
    "periodic": N_("with each instalment"),
}

BASES: Final = {
    "overdue_principal": N_("the overdue principal"),
    "overdue_principal_interest": N_("the overdue principal and interest"),
    "overdue_instalment": N_("the whole overdue instalment"),
}

#: The annualised rates of the generic quote, each labelled once in the borrower's words.
RATE_NAMES: Final = {
    "nominal_irr": N_("Annualised rate, IRR method (%(period)s)"),
    "effective_irr": N_("Effective annual rate (IRR compounded over a year)"),
    "regz_apr": N_("APR (US Regulation Z, Appendix J)"),
    "eu_aprc": N_("APRC (EU Consumer Credit Directive)"),
}
