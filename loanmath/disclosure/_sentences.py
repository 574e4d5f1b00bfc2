"""The sentences every form shares — the overdue terms, a cap's verdict, the rounding
residual — in the borrower's words, from the catalogs, with every figure formatted by babel
from the exact value. The text and HTML of every form call these, so a term reads the same
wherever it appears.
"""

from __future__ import annotations

from decimal import Decimal

from loanmath._decimal import context_free
from loanmath.disclosure._facts import CapCheck, OverdueFacts
from loanmath.disclosure._format import format_money, format_number, format_rate
from loanmath.disclosure._i18n import translate
from loanmath.disclosure._words import BASES, N_, PER_YEAR, RATE_NAMES
from loanmath.errors import UnknownNameError

__all__ = [
    "cap_sentence",
    "join_sentences",
    "overdue_sentence",
    "rate_label",
    "residual_sentence",
]


def join_sentences(sentences: list[str], locale: str) -> str:
    """Sentences one after another as `locale` writes them (a space in English, none in
    Chinese or Japanese).

    Examples
    --------
    >>> join_sentences(["A.", "B."], "en_US"), join_sentences(["甲。", "乙。"], "zh_CN")
    ('A. B.', '甲。乙。')
    """
    text = sentences[0]
    for sentence in sentences[1:]:
        text = translate(locale, "%(first)s %(next)s", first=text, next=sentence)
    return text


def _start(facts: OverdueFacts, locale: str) -> str:
    if facts.grace_days:
        return translate(
            locale,
            "from the day after the due date if still unpaid %(days)s days after it",
            days=facts.grace_days,
        )
    return translate(locale, "from the day after the due date")


def _rate_sentence(facts: OverdueFacts, locale: str) -> str:
    start = _start(facts, locale)
    rate = format_rate(facts.annual_rate, locale)
    if not facts.agreed:
        if facts.grace_days:
            return translate(
                locale,
                "No penalty interest is agreed; overdue amounts bear the contract rate, %(start)s.",
                start=start,
            )
        return translate(
            locale, "No penalty interest is agreed; interest continues at the contract rate."
        )
    if facts.multiple is not None:
        return translate(
            locale,
            "Overdue amounts bear interest at %(rate)s a year (%(multiple)s × the contract "
            "rate), %(start)s.",
            rate=rate,
            multiple=format_number(facts.multiple, locale),
            start=start,
        )
    if facts.margin is not None:
        return translate(
            locale,
            "Overdue amounts bear interest at %(rate)s a year (the contract rate plus "
            "%(margin)s), %(start)s.",
            rate=rate,
            margin=format_rate(facts.margin, locale),
            start=start,
        )
    return translate(
        locale,
        "Overdue amounts bear interest at %(daily)s a day (%(rate)s a year on a 360-day "
        "year), %(start)s.",
        daily=format_rate(facts.daily_rate, locale, 4),
        rate=rate,
        start=start,
    )


def overdue_sentence(facts: OverdueFacts, currency: str, locale: str) -> str:
    """What a late borrower is charged, in `locale`'s words: the rate (or that none is
    agreed), from when, on what, whether overdue interest compounds, and the late fee.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> from loanmath.disclosure._facts import overdue_facts
    >>> t = LoanTerms(Money("12000", "CNY"), "0.12", 12, start_date=dt.date(2024, 1, 15),
    ...               penalty_multiple="1.5", penalty_grace_days=3, late_fee="20")
    >>> print(overdue_sentence(overdue_facts(t), "CNY", "zh_CN"))
    逾期罚息按合同利率的1.5倍计收（年化18.00%），自到期日次日起计算（到期后3日仍未还清的；宽限期内还清不计罚息）。罚息以逾期本金为基数计算。每期到期后3日仍未还清的，另收滞纳金¥20.00（每期一次）。
    """
    words = [_rate_sentence(facts, locale)]
    if facts.agreed:
        words.append(
            translate(
                locale,
                "Penalty interest is charged on %(base)s.",
                base=translate(locale, BASES[facts.base]),
            )
        )
        if facts.compound:
            words.append(translate(locale, "Overdue interest bears penalty interest too."))
    if facts.late_fee is not None:
        fee = format_money(facts.late_fee, currency, locale)
        if facts.grace_days:
            words.append(
                translate(
                    locale,
                    "A late fee of %(fee)s is charged once for each instalment still unpaid "
                    "%(days)s days after its due date.",
                    fee=fee,
                    days=facts.grace_days,
                )
            )
        else:
            words.append(
                translate(
                    locale,
                    "A late fee of %(fee)s is charged once for each instalment not paid by the "
                    "end of its due date.",
                    fee=fee,
                )
            )
    return join_sentences(words, locale)


def cap_sentence(check: CapCheck, locale: str) -> str:
    """A cap's verdict in `locale`'s words (a constructed contract is within every cap).

    Examples
    --------
    >>> from decimal import Decimal
    >>> check = CapCheck("CN_COMPREHENSIVE_36", "cn36", Decimal("0.1268"), Decimal("0.36"),
    ...                  True, Decimal("0.18"))
    >>> print(cap_sentence(check, "en_US"))
    Interest and fees annualised by the IRR method: 12.68%, within China's 36.00% limit;
    the overdue rate of 18.00% is within it too.
    """
    values = {
        "measured": format_rate(check.measured, locale),
        "limit": format_rate(check.limit, locale),
        "rule": check.rule,
    }
    messages = {
        "cn36": N_(
            "Interest and fees annualised by the IRR method: %(measured)s, within China's "
            "%(limit)s limit"
        ),
        "cn_lpr": N_(
            "Interest and fees annualised by the IRR method: %(measured)s, within four "
            "times the one-year LPR in force when the contract was made (%(limit)s)"
        ),
        "us_mla": N_(
            "Military annual percentage rate: %(measured)s, within the Military Lending "
            "Act's %(limit)s limit"
        ),
        "uk_hcstc": N_(
            "Interest and charges as a simple rate a year: %(measured)s, within the "
            "high-cost short-term credit cap of 0.8%% a day (%(limit)s a year)"
        ),
        "other": N_("%(rule)s: %(measured)s, within the limit of %(limit)s"),
    }
    sentence = translate(locale, messages[check.kind], **values)
    if check.overdue_rate is not None:
        sentence += translate(
            locale,
            "; the overdue rate of %(overdue)s is within it too",
            overdue=format_rate(check.overdue_rate, locale),
        )
    return translate(locale, "%(sentence)s.", sentence=sentence)


def residual_sentence(residual: Decimal, currency: str, locale: str) -> str | None:
    """The rounding residual in words (None when there is none).

    Examples
    --------
    >>> from decimal import Decimal
    >>> residual_sentence(Decimal("-0.05"), "CNY", "en_US")
    'Rounding: the last instalment is CN¥0.05 less than the regular one.'
    """
    if not residual:
        return None
    amount = format_money(abs(residual), currency, locale)
    if residual < 0:
        return translate(
            locale,
            "Rounding: the last instalment is %(amount)s less than the regular one.",
            amount=amount,
        )
    return translate(
        locale,
        "Rounding: the last instalment is %(amount)s more than the regular one.",
        amount=amount,
    )


@context_free
def rate_label(name: str, frequency: str, locale: str) -> str:
    """The label of the rate `name` in `locale`'s words; China's rate names its period
    (IRR × 12 for a monthly loan, IRR × 4 for a quarterly one).

    Notes
    -----
    The label is the gettext catalog's words for ``RATE_NAMES[name]``, with the period of
    ``PER_YEAR[frequency]`` (IRR × 12, × 24, × 26, × 52, × 4, × 2, × 1), so China's
    年化利率 (PBoC announcement 〔2021〕第3号, IRR method) names how it was annualised; the US
    and EU labels name 12 CFR 1026 Appendix J and Directive 2008/48/EC (docs/disclosure.md,
    "cn" and "quote").

    Examples
    --------
    >>> rate_label("nominal_irr", "quarterly", "zh_CN")
    '年化利率（IRR法：季度IRR×4）'
    """
    if type(name) is not str or name not in RATE_NAMES:
        raise UnknownNameError("rate", name, tuple(RATE_NAMES))
    if type(frequency) is not str or frequency not in PER_YEAR:
        raise UnknownNameError("frequency", frequency, tuple(PER_YEAR))
    period = translate(locale, PER_YEAR[frequency])
    return translate(locale, RATE_NAMES[name], period=period)
