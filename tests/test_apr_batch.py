"""Batch APR: agrees with the exact scalar path; failures are reported, never silent NaN."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loanmath.apr import irr, nominal_irr
from loanmath.apr.batch import cash_flow_rates, regular_rates
from loanmath.errors import InvalidInputError, NoSolutionError, UnknownNameError


@settings(max_examples=100)
@given(
    st.lists(
        st.tuples(
            st.integers(1_000, 10**7),
            st.integers(1, 360),
            st.integers(1, 100_000),
            st.integers(0, 50),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_regular_rates_match_the_exact_path(loans: list[tuple[int, int, int, int]]) -> None:
    principal = np.array([p for p, _, _, _ in loans], dtype=float)
    n = np.array([k for _, k, _, _ in loans])
    rate = np.array([r / 1e6 for _, _, r, _ in loans])  # up to 10 % a month
    payment = np.round(principal * rate / (1 - (1 + rate) ** -n), 2)
    fees = np.array([f / 100 * p / 100 for p, _, _, f in loans])  # up to 0.5 % of principal
    out = regular_rates(principal, payment, n, fees)
    for i in range(len(loans)):
        flows = [Decimal(str(-float(principal[i] - fees[i])))] + [
            Decimal(str(float(payment[i])))
        ] * int(n[i])
        exact = nominal_irr(flows, 12)
        assert abs(float(exact) - out[i]) <= 1e-7 * (1 + abs(float(exact)))


def test_matrix_rates_match_the_exact_path() -> None:
    rng = np.random.default_rng(7)
    flows = np.zeros((300, 25))
    flows[:, 0] = -rng.uniform(100, 10_000, 300)
    flows[:, 1:] = rng.uniform(0, 1_000, (300, 24))
    flows[::7, 5] = 0.0  # zeros inside rows
    out = cash_flow_rates(flows, errors="mask")
    for i in range(0, 300, 13):
        if out.mask is not np.ma.nomask and out.mask[i]:
            continue
        exact = irr([Decimal(str(float(v))) for v in flows[i]])
        assert abs(float(exact) - float(out[i])) <= 1e-8 * (1 + abs(float(exact)))


def test_failures_are_named_or_masked() -> None:
    flows = np.array([[-100, 60, 60], [100, 60, 60], [-100, 230, -132]], dtype=float)
    with pytest.raises(NoSolutionError, match=r"2 row\(s\): 1, 2"):
        cash_flow_rates(flows)
    masked = cash_flow_rates(flows, errors="mask")
    assert list(masked.mask) == [False, True, True]
    assert not np.isnan(masked.data).any()
    with pytest.raises(NoSolutionError, match="row"):
        regular_rates([0, 1000], [50, 100], [12, 12])  # nothing advanced: no rate
    partial = regular_rates([0, 1000], [50, 100], [12, 12], errors="mask")
    assert list(partial.mask) == [True, False]
    # payments short of the advance: a negative rate, as the exact path finds
    short = regular_rates([1000], [50], [12])
    assert abs(short[0] - float(nominal_irr(["-1000", *["50"] * 12], 12))) < 1e-9


def test_bad_input() -> None:
    with pytest.raises(UnknownNameError):
        cash_flow_rates(np.ones((2, 3)), errors="nan")
    with pytest.raises(InvalidInputError, match="2-d"):
        cash_flow_rates(np.ones(3))
    with pytest.raises(InvalidInputError, match="one shape"):
        regular_rates([1, 2], [1], [1, 2])


@settings(max_examples=100, deadline=None)
@given(
    principal=st.integers(1_000_00, 10**9),
    rate=st.integers(1, 300_000),
    n=st.integers(2, 360),
    residual=st.integers(-500, 500),
)
def test_regular_rates_with_the_last_instalment_equal_the_exact_irr(
    principal: int, rate: int, n: int, residual: int
) -> None:
    """The contract's flows: a level payment rounded to the cent and a last instalment that
    carries the residual; the batch rate equals the Decimal IRR of those very flows (to the
    float path's promise: the NPV within 1e-9 of the advance, about 1e-8 a year in the rate)."""
    i = rate / 10**7
    payment = round(principal * i / (1 - (1 + i) ** -n))
    last = payment + residual
    if last <= 0:
        return
    flows = [Decimal(-principal), *[Decimal(payment)] * (n - 1), Decimal(last)]
    exact = float(irr(flows)) * 12
    got = regular_rates([principal / 100], [payment / 100], [n], last=[last / 100])[0]
    assert abs(got - exact) <= 1e-8 * max(1.0, abs(exact))
