"""The words of a quote in each supported language (zh_CN, en_US, de_DE, ja_JP).

Only words live here; numbers, dates and currencies are formatted by babel for the locale.
"""

from __future__ import annotations

from typing import Final

__all__ = ["LANGUAGES", "text"]

_EN: Final = {
    "title": "Loan quote",
    "principal": "Principal",
    "disbursed": "Amount paid out",
    "term": "Instalments",
    "method": "Repayment method",
    "rate": "Contract rate (nominal, a year)",
    "schedule": "Repayment schedule",
    "col.number": "#",
    "col.due": "Due date",
    "col.principal": "Principal",
    "col.interest": "Interest",
    "col.fees": "Fees",
    "col.payment": "Payment",
    "col.balance": "Balance",
    "totals": "Totals",
    "total_interest": "Total interest",
    "total_fees": "Total fees (incl. upfront)",
    "total_repay": "Total to repay",
    "rates": "Annualised rates",
    "rate.nominal_irr": "IRR x periods a year (nominal, China's annualised rate)",
    "rate.effective_irr": "Effective annual rate (compounded IRR)",
    "rate.regz_apr": "APR (US Regulation Z, Appendix J)",
    "rate.eu_aprc": "APRC (EU Consumer Credit Directive)",
    "caps": "Rate caps",
    "cap.ok": "within the limit",
    "no_caps": "no cap checked",
    "penalty": "Overdue terms",
    "penalty.multiple": "Overdue amounts bear interest at {rate} a year ({multiple} x the contract "
    "rate), from {grace}.",
    "penalty.rate": "Overdue amounts bear interest at {rate} a year (contract rate plus "
    "{extra}), from {grace}.",
    "penalty.none": "No penalty interest is agreed; interest continues at the contract rate.",
    "penalty.none_grace": "No penalty interest is agreed; overdue amounts bear the contract "
    "rate, from {grace}.",
    "grace.none": "the day after the due date",
    "grace.days": "the day after the due date if still unpaid {days} days after it",
    "penalty.daily": "Overdue amounts bear interest at {daily} a day ({rate} a year on a "
    "360-day year), from {grace}.",
    "late_fee": "A late fee of {fee} applies.",
    "residual": "The last instalment absorbs a rounding difference of {amount}.",
    "method.annuity": "equal instalments of principal and interest (annuity)",
    "method.equal_principal": "equal principal repayments, interest on the balance",
    "method.interest_only": "interest each period, principal at maturity",
    "method.bullet": "principal and interest in one payment at maturity",
    "method.flat": "flat (add-on) charge on the original principal, equal instalments",
    "method.custom": "custom repayment plan",
    "method.step": "stepped instalments",
    "n/a": "n/a",
}

_ZH: Final = {
    "title": "贷款报价",
    "principal": "借款本金",
    "disbursed": "实际到账金额",
    "term": "期数",
    "method": "还款方式",
    "rate": "合同年利率（名义）",
    "schedule": "还款计划",
    "col.number": "期次",
    "col.due": "还款日",
    "col.principal": "本金",
    "col.interest": "利息",
    "col.fees": "费用",
    "col.payment": "应还金额",
    "col.balance": "剩余本金",
    "totals": "合计",
    "total_interest": "利息合计",
    "total_fees": "费用合计（含前置费用）",
    "total_repay": "应还总额",
    "rates": "年化利率",
    "rate.nominal_irr": "年化利率（IRR 内部收益率法，月IRR×12）",
    "rate.effective_irr": "实际年化利率（复利）",
    "rate.regz_apr": "APR（美国 Z 条例附录 J）",
    "rate.eu_aprc": "APRC（欧盟消费信贷指令）",
    "caps": "利率上限",
    "cap.ok": "未超过上限",
    "no_caps": "未校验利率上限",
    "penalty": "逾期条款",
    "penalty.multiple": "逾期罚息按合同利率的{multiple}倍计收（年化{rate}），自{grace}起计算。",
    "penalty.rate": "逾期罚息在合同利率基础上加收{extra}（年化{rate}），自{grace}起计算。",
    "penalty.none": "未约定罚息，逾期期间按合同利率计息。",
    "penalty.none_grace": "未约定罚息，逾期金额按合同利率计息，自{grace}起计算。",
    "grace.none": "到期日次日",
    "grace.days": "到期日次日（到期后{days}日仍未还清的；宽限期内还清不计罚息）",
    "penalty.daily": "逾期罚息按日利率{daily}计收（年化{rate}，按360天计），自{grace}起计算。",
    "late_fee": "逾期另收滞纳金{fee}。",
    "residual": "最后一期包含舍入差额{amount}。",
    "method.annuity": "等额本息",
    "method.equal_principal": "等额本金",
    "method.interest_only": "先息后本",
    "method.bullet": "到期一次还本付息",
    "method.flat": "等本等息",
    "method.custom": "自定义还款计划",
    "method.step": "阶梯还款",
    "n/a": "不适用",
}

_DE: Final = {
    "title": "Kreditangebot",
    "principal": "Nettodarlehensbetrag",
    "disbursed": "Auszahlungsbetrag",
    "term": "Anzahl der Raten",
    "method": "Tilgungsart",
    "rate": "Sollzinssatz (nominal, p. a.)",
    "schedule": "Tilgungsplan",
    "col.number": "Nr.",
    "col.due": "Fälligkeit",
    "col.principal": "Tilgung",
    "col.interest": "Zinsen",
    "col.fees": "Gebühren",
    "col.payment": "Rate",
    "col.balance": "Restschuld",
    "totals": "Summen",
    "total_interest": "Zinsen gesamt",
    "total_fees": "Gebühren gesamt (inkl. Vorabgebühren)",
    "total_repay": "Gesamtbetrag",
    "rates": "Effektive Jahreszinsen",
    "rate.nominal_irr": "IRR x Perioden pro Jahr (nominal)",
    "rate.effective_irr": "Effektiver Jahreszins (IRR, mit Zinseszins)",
    "rate.regz_apr": "APR (US Regulation Z, Anhang J)",
    "rate.eu_aprc": "Effektiver Jahreszins (Verbraucherkreditrichtlinie)",
    "caps": "Zinsobergrenzen",
    "cap.ok": "eingehalten",
    "no_caps": "keine Obergrenze geprüft",
    "penalty": "Verzug",
    "penalty.multiple": "Rückstände werden mit {rate} p. a. verzinst (das {multiple}-fache des "
    "Sollzinses), ab {grace}.",
    "penalty.rate": "Rückstände werden mit {rate} p. a. verzinst (Sollzins zuzüglich {extra}), "
    "ab {grace}.",
    "penalty.none": "Keine Verzugszinsen vereinbart; es gilt der Sollzins weiter.",
    "penalty.none_grace": "Keine Verzugszinsen vereinbart; Rückstände werden mit dem Sollzins "
    "verzinst, ab {grace}.",
    "grace.none": "dem Tag nach Fälligkeit",
    "grace.days": "dem Tag nach Fälligkeit, falls {days} Tage danach noch offen",
    "penalty.daily": "Rückstände werden mit {daily} pro Tag verzinst ({rate} p. a. bei 360 "
    "Tagen), ab {grace}.",
    "late_fee": "Bei Verzug fällt eine Gebühr von {fee} an.",
    "residual": "Die letzte Rate enthält eine Rundungsdifferenz von {amount}.",
    "method.annuity": "Annuität: gleichbleibende Raten aus Zins und Tilgung",
    "method.equal_principal": "Ratentilgung: gleiche Tilgungsbeträge, Zinsen auf die Restschuld",
    "method.interest_only": "endfällig: laufend Zinsen, Tilgung am Ende",
    "method.bullet": "Kapital und Zinsen in einer Zahlung bei Fälligkeit",
    "method.flat": "Pauschalzins auf das ursprüngliche Kapital, gleiche Raten",
    "method.custom": "individueller Tilgungsplan",
    "method.step": "Staffelraten",
    "n/a": "n. v.",
}

_JA: Final = {
    "title": "ローン見積り",
    "principal": "借入元金",
    "disbursed": "お振込金額",
    "term": "返済回数",
    "method": "返済方式",
    "rate": "約定利率（年利・名目）",
    "schedule": "返済予定表",
    "col.number": "回",
    "col.due": "返済日",
    "col.principal": "元金",
    "col.interest": "利息",
    "col.fees": "手数料",
    "col.payment": "返済額",
    "col.balance": "残高",
    "totals": "合計",
    "total_interest": "利息合計",
    "total_fees": "手数料合計（前払い含む）",
    "total_repay": "返済総額",
    "rates": "実質年率",
    "rate.nominal_irr": "IRR×年間回数（名目）",
    "rate.effective_irr": "実効年率（複利）",
    "rate.regz_apr": "APR（米国レギュレーションZ 付録J）",
    "rate.eu_aprc": "APRC（EU消費者信用指令）",
    "caps": "上限金利",
    "cap.ok": "上限以内",
    "no_caps": "上限金利の確認なし",
    "penalty": "遅延損害金",
    "penalty.multiple": "延滞額には約定利率の{multiple}倍（年{rate}）の遅延損害金がかかります"
    "（{grace}から）。",
    "penalty.rate": "延滞額には約定利率に{extra}を加えた年{rate}の遅延損害金がかかります"
    "（{grace}から）。",
    "penalty.none": "遅延損害金の定めはなく、約定利率で利息がかかります。",
    "penalty.none_grace": "遅延損害金の定めはなく、延滞額には約定利率で利息がかかります"
    "（{grace}から）。",
    "grace.none": "返済日の翌日",
    "grace.days": "返済日の翌日（{days}日経過後も未払いの場合）",
    "penalty.daily": "延滞額には日歩{daily}（年{rate}、1年360日）の遅延損害金がかかります"
    "（{grace}から）。",
    "late_fee": "延滞手数料{fee}がかかります。",
    "residual": "最終回に端数調整{amount}を含みます。",
    "method.annuity": "元利均等返済",
    "method.equal_principal": "元金均等返済",
    "method.interest_only": "利息のみ返済・満期一括元金返済",
    "method.bullet": "満期一括返済",
    "method.flat": "アドオン方式（当初元金に対する定率）",
    "method.custom": "個別返済計画",
    "method.step": "段階返済",
    "n/a": "該当なし",
}

LANGUAGES: Final = {"en": _EN, "zh": _ZH, "de": _DE, "ja": _JA}


def text(locale: str, key: str, **values: object) -> str:
    """The phrase `key` in the language of `locale` (English where there is none).

    Examples
    --------
    >>> text("zh_CN", "method.annuity"), text("de_DE", "method.annuity")[:9]
    ('等额本息', 'Annuität:')
    """
    language = LANGUAGES.get(locale.split("_", maxsplit=1)[0].lower(), _EN)
    phrase = language.get(key, _EN.get(key, key))
    return phrase.format(**values) if values else phrase
