"""APR benchmarks (issue 4), each beside its peer in the same run, results asserted.

Scalar results are Decimal and confirmed in Decimal (one Newton step + NPV check); the peers
return floats. Batch runs use 200,000 loans in the benchmark (1M in the note's extrapolation
is linear: the work is per row).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import numpy_financial as npf
import pytest
import pyxirr

from loanmath.apr import eu, eu_aprc, irr, regz, regz_apr, xirr
from loanmath.apr.batch import cash_flow_rates, regular_rates

F36 = [-1000.0] + [35.0] * 36
F360 = [-100000.0] + [600.0] * 360
D36 = [Decimal(str(f)) for f in F36]
D360 = [Decimal(str(f)) for f in F360]
DATES = [dt.date(2024, 1, 1) + dt.timedelta(days=30 * k) for k in range(12)]
XFLOWS = [-1000.0] + [95.0] * 11
XDEC = [Decimal(str(f)) for f in XFLOWS]


@pytest.mark.benchmark(group="irr N=36")
def test_irr36_loanmath(benchmark) -> None:
    assert abs(float(benchmark(irr, D36)) - pyxirr.irr(F36)) < 1e-12


@pytest.mark.benchmark(group="irr N=36")
def test_irr36_pyxirr(benchmark) -> None:
    assert benchmark(pyxirr.irr, F36) > 0


@pytest.mark.benchmark(group="irr N=36")
def test_irr36_numpy_financial(benchmark) -> None:
    assert benchmark(npf.irr, F36) > 0


@pytest.mark.benchmark(group="irr N=360")
def test_irr360_loanmath(benchmark) -> None:
    assert abs(float(benchmark(irr, D360)) - pyxirr.irr(F360)) < 1e-12


@pytest.mark.benchmark(group="irr N=360")
def test_irr360_pyxirr(benchmark) -> None:
    assert benchmark(pyxirr.irr, F360) > 0


@pytest.mark.benchmark(group="irr N=360")
def test_irr360_numpy_financial(benchmark) -> None:
    assert benchmark.pedantic(npf.irr, (F360,), rounds=3, iterations=1) > 0


@pytest.mark.benchmark(group="xirr 12 dated flows")
def test_xirr_loanmath(benchmark) -> None:
    assert abs(float(benchmark(xirr, XDEC, DATES)) - pyxirr.xirr(DATES, XFLOWS)) < 1e-9


@pytest.mark.benchmark(group="xirr 12 dated flows")
def test_xirr_pyxirr(benchmark) -> None:
    assert benchmark(pyxirr.xirr, DATES, XFLOWS) > 0


LOANS = 200_000
RNG = np.random.default_rng(1)
PRINCIPAL = RNG.uniform(1_000, 100_000, LOANS)
TERM = RNG.integers(6, 61, LOANS)
RATE = RNG.uniform(0.002, 0.03, LOANS)
PAYMENT = PRINCIPAL * RATE / (1 - (1 + RATE) ** -TERM)
MATRIX = np.empty((LOANS, 37))
MATRIX[:, 0] = -PRINCIPAL
MATRIX[:, 1:] = (PRINCIPAL * RATE / (1 - (1 + RATE) ** -36))[:, None]


@pytest.mark.benchmark(group="batch regular loans (200k)")
def test_batch_regular_loanmath(benchmark) -> None:
    out = benchmark(regular_rates, PRINCIPAL, PAYMENT, TERM)
    assert np.abs(out / 12 - RATE).max() < 1e-9


@pytest.mark.benchmark(group="batch regular loans (200k)")
def test_batch_regular_pyxirr_rate(benchmark) -> None:
    out = benchmark(pyxirr.rate, TERM, -PAYMENT, PRINCIPAL)
    assert np.abs(np.asarray(out) - RATE).max() < 1e-9


@pytest.mark.benchmark(group="batch cash-flow matrix (200k x 37)")
def test_batch_matrix_loanmath(benchmark) -> None:
    out = benchmark.pedantic(cash_flow_rates, (MATRIX,), rounds=3, iterations=1)
    assert out.shape == (LOANS,)


@pytest.mark.benchmark(group="batch cash-flow matrix (200k x 37)")
def test_batch_matrix_pyxirr_loop(benchmark) -> None:
    rows = [list(r) for r in MATRIX[:20_000]]
    out = benchmark.pedantic(lambda: [pyxirr.irr(r) for r in rows], rounds=3, iterations=1)
    assert len(out) == 20_000  # a tenth of the rows: multiply its time by 10 for the ratio


# --- issue 13: Regulation Z APR and EU APRC of a 36-payment loan, beside pyxirr's XIRR -------

_LOAN36 = [(dt.date(2024, 1, 15), Decimal("-3600.00"))] + [
    (dt.date(2024 + (k + 1) // 12, (k + 1) % 12 + 1, 15), Decimal("133.79")) for k in range(36)
]
_ADVANCES = [(_LOAN36[0][0], Decimal("3600.00"))]
_PAYMENTS = _LOAN36[1:]
_EU_AMOUNTS = [a for _, a in _LOAN36]
_EU_DATES = [d for d, _ in _LOAN36]
_FLOATS = [float(a) for a in _EU_AMOUNTS]


@pytest.mark.benchmark(group="APR of a 36-payment loan")
def test_regz_apr_36_loanmath(benchmark) -> None:
    assert abs(benchmark(regz_apr, _ADVANCES, _PAYMENTS) - Decimal("0.20")) < Decimal("0.001")


@pytest.mark.benchmark(group="APR of a 36-payment loan")
def test_eu_aprc_36_loanmath(benchmark) -> None:
    assert abs(benchmark(eu_aprc, _EU_AMOUNTS, _EU_DATES) - Decimal("0.219")) < Decimal("0.001")


@pytest.mark.benchmark(group="APR of a 36-payment loan")
def test_apr_36_pyxirr_xirr(benchmark) -> None:
    assert abs(benchmark(pyxirr.xirr, _EU_DATES, _FLOATS) - 0.219) < 0.001


def _regz_cold() -> Decimal:
    regz._timing.cache_clear()  # every date counted again, as for a loan with new dates
    return regz_apr(_ADVANCES, _PAYMENTS)


def _eu_cold() -> Decimal:
    eu._all_parts.cache_clear()
    return eu_aprc(_EU_AMOUNTS, _EU_DATES)


@pytest.mark.benchmark(group="APR of a 36-payment loan")
def test_regz_apr_36_loanmath_new_dates(benchmark) -> None:
    assert abs(benchmark(_regz_cold) - Decimal("0.20")) < Decimal("0.001")


@pytest.mark.benchmark(group="APR of a 36-payment loan")
def test_eu_aprc_36_loanmath_new_dates(benchmark) -> None:
    assert abs(benchmark(_eu_cold) - Decimal("0.219")) < Decimal("0.001")


# --- RATE of an annuity: O(log n) per evaluation (apr.roots.annuity_rate), peers beside ------


@pytest.mark.benchmark(group="rate n=360")
def test_rate360_loanmath(benchmark) -> None:
    from loanmath import tvm

    ours = benchmark(tvm.rate, 360, -1500, 250000)
    assert abs(float(ours) - float(npf.rate(360, -1500, 250000, 0))) < 1e-9


@pytest.mark.benchmark(group="rate n=360")
def test_rate360_numpy_financial(benchmark) -> None:
    assert benchmark(npf.rate, 360, -1500, 250000, 0) > 0


@pytest.mark.benchmark(group="rate n=360")
def test_rate360_pyxirr(benchmark) -> None:
    assert benchmark(pyxirr.rate, 360, -1500, 250000) > 0


@pytest.mark.benchmark(group="rate n=100000")
def test_rate100k_loanmath(benchmark) -> None:
    from loanmath import tvm

    assert benchmark(tvm.rate, 100_000, -200, 8000) == Decimal("0.025")
