"""Accounts and the chart of accounts, with a preset for lending.

Account names are hierarchical, beancount style: ``Assets:Loans:Principal``. The root names
the type (``Assets``, ``Liabilities``, ``Equity``, ``Income``, ``Expenses``), so a name and its
type cannot disagree.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from difflib import get_close_matches
from typing import Final

import attrs

from loanmath._checks import check_date
from loanmath.errors import InvalidInputError, UnknownNameError

__all__ = ["ACCOUNT_TYPES", "LENDING_ROLES", "Account", "Chart", "lending_chart"]

#: Account type → the root every name of that type starts with.
ACCOUNT_TYPES: Final = {
    "asset": "Assets",
    "liability": "Liabilities",
    "equity": "Equity",
    "income": "Income",
    "expense": "Expenses",
}

_COMPONENT = re.compile(r"^[A-Z][A-Za-z0-9-]*$")


def _check_name(name: str, kind: str) -> None:
    if not isinstance(name, str) or not name:
        raise InvalidInputError(
            "account", name, "must be a non-empty string like 'Assets:Loans:Principal'"
        )
    parts = name.split(":")
    if kind not in ACCOUNT_TYPES:
        raise UnknownNameError("type", kind, tuple(ACCOUNT_TYPES))
    if parts[0] != ACCOUNT_TYPES[kind] or len(parts) < 2:
        raise InvalidInputError(
            "account",
            name,
            f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} account must be named "
            f"{ACCOUNT_TYPES[kind]}:…",
            f"e.g. {ACCOUNT_TYPES[kind]}:Loans:Principal",
        )
    bad = [p for p in parts[1:] if not _COMPONENT.match(p)]
    if bad:
        raise InvalidInputError(
            "account",
            name,
            f"component {bad[0]!r} must start with a capital letter and hold "
            "only letters, digits and '-'",
        )


@attrs.frozen
class Account:
    """An account: a hierarchical name, a type, and the date it opened.

    Examples
    --------
    >>> Account("Assets:Loans:Principal", "asset", _dt.date(2024, 1, 1)).root
    'Assets'
    >>> Account("Income:Loans:Interest", "asset", _dt.date(2024, 1, 1))
    Traceback (most recent call last):
    ...
    loanmath.errors.InvalidInputError: account='Income:Loans:Interest': an asset account ...
    """

    name: str
    type: str
    opened: _dt.date

    def __attrs_post_init__(self) -> None:
        _check_name(self.name, self.type)
        object.__setattr__(self, "opened", check_date(self.opened, "opened"))

    @property
    def root(self) -> str:
        return self.name.split(":")[0]


def _account_map(value: Mapping[str, Account]) -> dict[str, Account]:
    return dict(value)


def _role_map(value: Mapping[str, str]) -> dict[str, str]:
    return dict(value)


#: Lending roles → (default name, required type).
LENDING_ROLES: Final = {
    "principal_receivable": ("Assets:Loans:Principal", "asset"),
    "interest_receivable": ("Assets:Loans:Interest", "asset"),
    "fee_receivable": ("Assets:Loans:Fees", "asset"),
    "penalty_receivable": ("Assets:Loans:Penalty", "asset"),
    "allowance": ("Assets:Loans:Allowance", "asset"),  # contra-asset: carries a credit balance
    "custody": ("Assets:Bank:Custody", "asset"),  # 资金存管: borrower funds at the custodian bank
    "operating_cash": ("Assets:Bank:Operating", "asset"),
    "overpayment": ("Liabilities:Borrowers:Overpayment", "liability"),
    "interest_income": ("Income:Loans:Interest", "income"),
    "fee_income": ("Income:Loans:Fees", "income"),
    "penalty_income": ("Income:Loans:Penalty", "income"),
    "recoveries": ("Income:Loans:Recoveries", "income"),
    "writeoff_expense": ("Expenses:Loans:WriteOff", "expense"),
    "equity": ("Equity:Capital", "equity"),
}


@attrs.frozen
class Chart:
    """A chart of accounts: the accounts by name, and optionally roles naming some of them.

    Examples
    --------
    >>> chart = lending_chart(_dt.date(2024, 1, 1))
    >>> chart.role("custody").name
    'Assets:Bank:Custody'
    """

    accounts: Mapping[str, Account] = attrs.field(converter=_account_map)
    roles: Mapping[str, str] = attrs.field(factory=dict, converter=_role_map)

    def __attrs_post_init__(self) -> None:
        for role, name in self.roles.items():
            if name not in self.accounts:
                raise UnknownNameError("roles", name, sorted(self.accounts))
            required = LENDING_ROLES.get(role, (None, None))[1]
            if required is not None and self.accounts[name].type != required:
                raise InvalidInputError(
                    f"roles[{role!r}]",
                    name,
                    f"must be a {required} account, not {self.accounts[name].type}",
                )

    def account(self, name: str) -> Account:
        """The account called `name`, or an error listing the close ones."""
        found = self.accounts.get(name)
        if found is None:
            raise UnknownNameError(
                "account",
                name,
                sorted(self.accounts),
                get_close_matches(name, list(self.accounts), n=3),
            )
        return found

    def role(self, role: str) -> Account:
        """The account playing `role` (``"custody"``, ``"interest_income"`` …)."""
        if role not in self.roles:
            raise UnknownNameError("role", role, sorted(self.roles))
        return self.accounts[self.roles[role]]

    def with_account(self, account: Account) -> Chart:
        """A copy with `account` added (an existing name must be the same account)."""
        existing = self.accounts.get(account.name)
        if existing is not None and existing != account:
            raise InvalidInputError(
                "account", account.name, "is already open with another type or date"
            )
        return Chart({**self.accounts, account.name: account}, self.roles)


def lending_chart(opened: _dt.date, *, renames: Mapping[str, str] | None = None) -> Chart:
    """The chart of accounts for lending, every account opened on `opened`.

    Parameters
    ----------
    opened : datetime.date
    renames : mapping of role → account name, optional
        Your own names (``{"custody": "Assets:Bank:Escrow"}``); the role's type is kept and
        checked against the name's root.

    Examples
    --------
    >>> chart = lending_chart(_dt.date(2024, 1, 1), renames={"custody": "Assets:Bank:Escrow"})
    >>> chart.role("custody").name, chart.role("overpayment").type
    ('Assets:Bank:Escrow', 'liability')
    """
    renames = dict(renames or {})
    unknown = set(renames) - set(LENDING_ROLES)
    if unknown:
        raise UnknownNameError("renames", sorted(unknown)[0], sorted(LENDING_ROLES))
    accounts, roles = {}, {}
    for role, (default, kind) in LENDING_ROLES.items():
        name = renames.get(role, default)
        accounts[name] = Account(name, kind, opened)
        roles[role] = name
    return Chart(accounts, roles)
