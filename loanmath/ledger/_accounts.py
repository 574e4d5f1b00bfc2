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

from loanmath._canonical import canonical_json
from loanmath._checks import check_date
from loanmath.errors import InputTypeError, InvalidInputError, UnknownNameError

__all__ = ["ACCOUNT_TYPES", "LENDING_ROLES", "Account", "Chart", "check_text", "lending_chart"]

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

    Notes
    -----
    The name's root is its type's (:data:`ACCOUNT_TYPES`: ``Assets``, ``Liabilities``,
    ``Equity``, ``Income``, ``Expenses``), with at least one more component, each a capital
    letter then letters, digits or ``-`` (a subset of beancount's account names), so a name
    and its type cannot disagree (docs/ledger.md, "Accounts").

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


def check_text(value: str, field: str) -> str:
    """Return `value` if every file can store it: refuse lone surrogates (U+D800..U+DFFF).

    Such a ``str`` cannot be encoded as UTF-8, so hashing or exporting it would fail later;
    it is refused where it enters, naming the field.

    Examples
    --------
    >>> check_text("中文 ok", "narration")
    '中文 ok'
    >>> check_text("bad \\ud800", "narration")
    Traceback (most recent call last):
    ...
    loanmath.errors.InvalidInputError: narration='bad \\ud800': holds a lone surrogate ...
    """
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise InvalidInputError(
                field,
                value,
                f"holds a lone surrogate ({value[error.start]!r} at index {error.start}), "
                "which UTF-8 cannot store",
                "decode the source text strictly, or with errors='replace'",
            ) from None
    return value


def _check_roles(accounts: Mapping[str, Account], roles: Mapping[str, str]) -> None:
    holders: dict[str, list[str]] = {}
    for role, name in roles.items():
        if type(role) is not str or not role:
            raise InputTypeError("roles", role, "role names must be non-empty strings")
        check_text(role, "roles")
        if type(name) is not str or name not in accounts:
            raise UnknownNameError("roles", name, sorted(accounts))
        required = LENDING_ROLES.get(role, (None, None))[1]
        if required is not None and accounts[name].type != required:
            raise InvalidInputError(
                f"roles[{role!r}]",
                name,
                f"must be a {required} account, not {accounts[name].type}",
            )
        holders.setdefault(name, []).append(role)
    for name, sharing in sorted(holders.items()):
        if len(sharing) > 1:
            raise _shared("roles", dict(roles), name, sharing)


def _shared(field: str, value: object, name: str, roles: list[str]) -> InvalidInputError:
    names = [repr(role) for role in sorted(roles)]
    return InvalidInputError(
        field,
        value,
        f"roles {', '.join(names[:-1])} and {names[-1]} would share the account "
        f"{name}: each role needs an account of its own (borrowers' custody money is never "
        "the platform's own cash)",
        "give each role its own account name",
    )


@attrs.frozen
class Chart:
    """A chart of accounts: the accounts by name, and optionally roles naming some of them.

    Two roles never share an account (custody and operating cash least of all).

    Notes
    -----
    Each key equals its account's name; each role names an account of the chart, of the type
    :data:`LENDING_ROLES` requires for that role, and no two roles name one account (borrowers'
    custody money, 资金存管, kept apart from the platform's own cash). :meth:`canonical` is the
    seed of the journal's hash chain (docs/ledger.md, "Accounts" and "The journal").

    Examples
    --------
    >>> chart = lending_chart(_dt.date(2024, 1, 1))
    >>> chart.role("custody").name
    'Assets:Bank:Custody'
    """

    accounts: Mapping[str, Account] = attrs.field(converter=_account_map)
    roles: Mapping[str, str] = attrs.field(factory=dict, converter=_role_map)

    def __attrs_post_init__(self) -> None:
        for name, account in self.accounts.items():
            if not isinstance(account, Account):
                raise InputTypeError("accounts", account, "must map names to Account objects")
            if name != account.name:
                raise InvalidInputError(
                    "accounts", name, f"is the key of the account {account.name}: they must agree"
                )
        _check_roles(self.accounts, self.roles)

    def canonical(self) -> str:
        """The chart as canonical JSON (sorted, no spaces): the first link of a journal's chain.

        Examples
        --------
        >>> cash = Account("Assets:Cash", "asset", _dt.date(2024, 1, 1))
        >>> Chart({cash.name: cash}).canonical()
        '{"accounts":[["Assets:Cash","asset","2024-01-01"]],"roles":{}}'
        """
        accounts = [
            [a.name, a.type, a.opened.isoformat()]
            for a in sorted(self.accounts.values(), key=lambda a: a.name)
        ]
        return canonical_json({"accounts": accounts, "roles": dict(self.roles)})

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

    Raises
    ------
    InvalidInputError
        If a name's root does not match its role's type, or if two roles would share one
        account (``{"custody": "Assets:Bank:Operating"}`` would mix borrowers' custody money
        with the platform's own cash).
    UnknownNameError
        If `renames` names a role that is not in :data:`LENDING_ROLES`.

    Notes
    -----
    One account per role of :data:`LENDING_ROLES` (receivables, allowance, custody, operating
    cash, overpayment, income, write-off expense, equity), the default name unless renamed;
    the role's type is kept, so a renamed account must keep its root. The table and the
    refusals are in docs/ledger.md, "Accounts".

    Examples
    --------
    >>> chart = lending_chart(_dt.date(2024, 1, 1), renames={"custody": "Assets:Bank:Escrow"})
    >>> chart.role("custody").name, chart.role("overpayment").type
    ('Assets:Bank:Escrow', 'liability')
    """
    renames = dict(renames or {})
    unknown = set(renames) - set(LENDING_ROLES)
    if unknown:
        raise UnknownNameError("renames", sorted(unknown, key=str)[0], sorted(LENDING_ROLES))
    roles = {role: renames.get(role, default) for role, (default, _) in LENDING_ROLES.items()}
    holders: dict[str, list[str]] = {}
    for role, name in roles.items():
        if type(name) is not str:
            raise InputTypeError(f"renames[{role!r}]", name, "must be an account name (a str)")
        holders.setdefault(name, []).append(role)
    for name, sharing in holders.items():
        if len(sharing) > 1:
            raise _shared("renames", renames, name, sharing)
    accounts = {}
    for role, (_, kind) in LENDING_ROLES.items():
        accounts[roles[role]] = Account(roles[role], kind, opened)
    return Chart(accounts, roles)
