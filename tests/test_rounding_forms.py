"""One rounding rule, several speeds: every fast form of "round n / d by a mode" equals the
reference :func:`loanmath._decimal.div_round` (itself checked against ``Decimal.quantize`` in
``test_numbers.py``) on random ``(n, d, mode)``.

The fast forms: ``schedules._engine.round_units`` (the per-row form), the integer terms of
``_engine._rate_terms`` (one floor division per row), and ``schedules.batch._divide`` /
``_rounded`` (the numpy column forms, including the split path for products beyond int64).
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from loanmath._decimal import ROUNDING_MODES, div_round
from loanmath.schedules import batch
from loanmath.schedules._engine import _rate_terms, round_units

MODES = st.sampled_from(sorted(ROUNDING_MODES))
NATURALS = st.integers(0, 10**30)
POSITIVE = st.integers(1, 10**12)


@given(NATURALS, POSITIVE, MODES)
def test_round_units_is_div_round(n: int, d: int, mode: str) -> None:
    assert round_units(n, d, mode) == div_round(n, d, mode)


@given(st.integers(0, 10**17), st.integers(0, 10**9), st.integers(1, 10**9), MODES)
def test_rate_terms_round_one_row_as_div_round(balance: int, num: int, den: int, mode: str) -> None:
    """``(B·2num + offset) // 2den`` is B·num/den rounded half up, down or up; half even starts
    from the half-up value and steps back on an exact tie with an odd result (as the rows do)."""
    twice_num, offset, twice_den = _rate_terms(num, den, mode)
    value = (balance * twice_num + offset) // twice_den
    if mode == "half_even" and (balance * num) % den * 2 == den and value % 2 == 1:
        value -= 1
    assert value == div_round(balance * num, den, mode)


@given(
    st.lists(st.integers(0, 10**17), min_size=1, max_size=20),
    st.integers(0, 2**31 - 1),
    st.integers(1, 2**31 - 1),
    MODES,
)
def test_batch_division_is_div_round_on_both_paths(
    balances: list[int], factor: int, denominator: int, mode: str
) -> None:
    # the domain the batch engine works in: each rounded result is an int64 amount
    assume(max(balances) * factor // denominator < 2**62)
    column = np.asarray(balances, dtype=np.int64)
    factors = np.full(len(balances), factor, dtype=np.int64)
    expected = [div_round(b * factor, denominator, mode) for b in balances]
    split = batch._divide(column, factors, denominator, mode, False)
    assert split.tolist() == expected
    if batch._fits(column, factors):
        assert batch._divide(column, factors, denominator, mode, True).tolist() == expected


@given(st.lists(st.tuples(st.integers(0, 10**15), st.integers(0, 10**6)), min_size=1), MODES)
def test_batch_rounded_is_div_round(rows: list[tuple[int, int]], mode: str) -> None:
    denominator = 10**6 + 1
    quotient = np.asarray([q for q, _ in rows], dtype=np.int64)
    remainder = np.asarray([r for _, r in rows], dtype=np.int64)
    expected = [div_round(q * denominator + r, denominator, mode) for q, r in rows]
    assert batch._rounded(quotient, remainder, denominator, mode).tolist() == expected
