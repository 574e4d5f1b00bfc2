"""Hostile values for the adversarial suites (tests/test_hostile_inputs.py, test_cli_hostile.py).

Every value here is something a caller, a data pipeline or an attacker can hand loanmath: the
wrong type, a non-finite or absurdly large or small number, text that is not text, a date at
the edge of the calendar, a name that is almost right. The library must answer each with a
result or a ``LoanMathError`` — never a raw ``decimal``, ``TypeError``, ``AttributeError``,
``ValueError`` or ``OverflowError``, and never a hang.

The fixed lists (``FLOATS``, ``DECIMALS`` ...) are the values a fuzz would take long to find;
the strategies mix them with generated values. ``hostile_for(kind, template)`` gives the
strategy for one argument: everything hostile, plus values aimed at the argument's kind (a
valid-looking date at the end of the calendar for a date, a sequence with one bad element for
a sequence ...).
"""

from __future__ import annotations

import datetime as dt
import gc
import resource
import signal
import time
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import strategies as st

from loanmath import LoanMathError, Money
from loanmath.caps import LPRStaleWarning

__all__ = [
    "BOOLS",
    "DATES",
    "DATE_LIKES",
    "DECIMALS",
    "EMPTY_SEQUENCES",
    "FLOATS",
    "HUGE",
    "INTS",
    "LIMIT",
    "LOCALES",
    "NAMES",
    "NUMBER_STRINGS",
    "NUMPY",
    "STRINGS",
    "WRONG_TYPES",
    "Hang",
    "Huge",
    "all_fixed",
    "check_result",
    "hostile",
    "hostile_dates",
    "hostile_decimals",
    "hostile_for",
    "hostile_ints",
    "hostile_locales",
    "hostile_names",
    "hostile_numbers",
    "hostile_rows",
    "hostile_sequences",
    "hostile_strings",
    "memory_limit",
    "origin",
    "outcome",
    "short",
    "time_limit",
    "with_one_bad_element",
]

#: Length of the "huge" sequences: far beyond any loan (480 instalments; 27 years of days).
HUGE = 10_000


class _Opaque:
    """An object no library code knows (no __len__, no __iter__, no number protocol)."""

    def __repr__(self) -> str:
        return "<opaque>"


class _LyingSequence(Sequence[Any]):
    """A Sequence whose ``len`` disagrees with what iterating it gives."""

    def __len__(self) -> int:
        return 3

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [1]
        if index == 0:
            return 1
        raise IndexError(index)


class Huge(list):  # type: ignore[type-arg]
    """A long list with a short repr (so a failure report stays readable)."""

    def __repr__(self) -> str:
        head = repr(self[0]) if self else ""
        return f"Huge([{head}, ...] x {len(self)})"


class _StrSubclass(str):
    """A str subclass (isinstance str) whose methods behave as a str's."""


FLOATS: list[object] = [
    float("nan"),
    float("-nan"),
    float("inf"),
    float("-inf"),
    0.1,
    1.5,
    12.0,
    -0.0,
    0.0,
    -1.5,
    1e308,
    -1e308,
    5e-324,
]

DECIMALS: list[object] = [
    Decimal("NaN"),
    Decimal("-NaN"),
    Decimal("NaN123"),
    Decimal("sNaN"),
    Decimal("-sNaN"),
    Decimal("Infinity"),
    Decimal("-Infinity"),
    Decimal("-0"),
    Decimal("-0.00"),
    Decimal("0E-1000"),
    Decimal("0E+1000"),
    Decimal("1E+999999"),
    Decimal("-1E+999999"),
    Decimal("1E-999999"),
    Decimal("1E+999999999"),
    Decimal("-1E+999999999"),
    Decimal("1E-999999999"),
    Decimal("9" * 5000),
    Decimal("0." + "0" * 5000 + "1"),
    Decimal("1." + "3" * 5000),
    Decimal("1E+28"),
    Decimal("1E-28"),
    Decimal("1E+100"),
    Decimal("1E-100"),
    Decimal("-1"),
    Decimal("-1E+30"),
    Decimal("0.5"),
    Decimal("0.999999999999999999999999999999"),
    Decimal("1000000000000000.01"),
    Decimal("123456789012345678901234567890.123456789"),
]

INTS: list[object] = [
    0,
    -1,
    1,
    2,
    -(2**31),
    2**31,
    2**63,
    -(2**63),
    2**64,
    10**15 + 1,
    10**100,
    -(10**100),
    10**5000,  # repr() of it raises ValueError (int max str digits) in Python 3.11+
]

BOOLS: list[object] = [True, False, np.bool_(True), np.bool_(False)]

NUMBER_STRINGS: list[object] = [
    "1e-999999999",
    "1e999999999",
    "-1e999999999",
    "1E+999999",
    "1E-999999",
    "NaN",
    "-nan",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "١٢٣",  # Arabic-Indic digits: Decimal() accepts them
    "١٢٣.٤",
    "１２３",  # full-width digits
    "1_000",
    "0x10",
    "1/3",
    "12%",
    " 12 ",
    "1,000",
    "-0",
    "+-1",
    "--1",
    "1e",
    "1e+",
    ".",
    "9" * 20_000,
    "0." + "0" * 20_000 + "1",
    "1e-28",
    "-1",
    "0",
    "100",
    "1000000000000000000",
]

STRINGS: list[object] = [
    "",
    " ",
    "\t\n",
    "abc",
    "\ud800",
    "12\ud800",
    "\udfff",
    "\x00",
    "nul\x00",
    "x" * 20_000,
    "%s%s%s",
    "{0}{1}",
    "é",
    "İ",
    "ＣＮＹ",
    _StrSubclass("CNY"),
    *NUMBER_STRINGS,
]

NAMES: list[object] = [
    "",
    " ",
    "\t",
    "\n",
    "zh-CN",
    "xx",
    "en_US@posix",
    "\ud800",
    "x" * 10_000,
    "nul\x00",
    "ＣＮＹ",
    "cny",
    "RMB",
    "XXX",
    "XTS",
    "ACT/365f",
    " act/365F ",
    "30/360",
    "act/act",
    "MONTHLY",
    "monthly ",
    "Monthly",
    "daily",
    "annuity ",
    "ANNUITY",
    "none",
    "None",
    "auto",
    "*",
    "%s",
    "{}",
    "../etc/passwd",
    "é",
    "İ",
    "Straße",
    _StrSubclass("monthly"),
]

LOCALES: list[object] = [
    "zh-CN",
    "zh_CN",
    "xx",
    "",
    " ",
    "en_US@posix",
    "en-us",
    "EN_us",
    "de_DE.UTF-8",
    "C",
    "POSIX",
    "und",
    "root",
    "zh_Hans_CN",
    "zh-Hans-CN",
    "i-klingon",
    "\ud800",
    "zh__CN",
    "_",
    "-",
    "en_US\n",
    "en",
    "zh",
    "ja",
    "x" * 1000,
    "en_ZZ",
    "sr_Latn_RS",
    "nb",
    "no",
    "zh_CN ",
    "ＺＨ＿ＣＮ",
    "en_US_POSIX",
    "de_DE@euro",
]

DATES: list[object] = [
    dt.date.min,
    dt.date(1, 1, 2),
    dt.date(1, 12, 31),
    dt.date(2, 1, 1),
    dt.date(1900, 2, 28),
    dt.date(2000, 2, 29),
    dt.date(2100, 2, 28),
    dt.date(9998, 12, 31),
    dt.date(9999, 1, 31),
    dt.date(9999, 10, 1),
    dt.date(9999, 12, 1),
    dt.date.max,
]

DATE_LIKES: list[object] = [
    dt.datetime(2024, 1, 15, 12, 30),
    dt.datetime(2024, 1, 15),
    dt.datetime(2024, 1, 15, tzinfo=dt.timezone.utc),
    dt.datetime(2024, 1, 15, 0, 0, 0, 1),
    dt.datetime.min,
    dt.datetime.max,
    "2024-01-15",
    20240115,
    dt.time(12, 0),
    dt.timedelta(days=1),
    np.datetime64("2024-01-15"),
    np.datetime64("NaT"),
    np.datetime64("2024-01"),
    np.datetime64("2024"),
    np.datetime64("2024-01-15T12:00"),
    np.datetime64("2024-01-15T00:00:00.000000001"),
    np.datetime64("10000-01-01"),
    np.datetime64("-0001-01-01"),
    np.datetime64("0000-12-31"),
]

EMPTY_SEQUENCES: list[object] = [[], (), "", b"", {}, set(), frozenset(), range(0)]

WRONG_TYPES: list[object] = [
    None,
    {},
    {"a": 1},
    {"amount": "1"},
    _Opaque(),
    object(),
    lambda *args: None,  # a callable where a value is expected (returns None if called)
    Fraction(1, 3),
    Fraction(1, 2),
    complex(1, 2),
    b"12",
    bytearray(b"12"),
    memoryview(b"12"),
    Ellipsis,
    NotImplemented,
    int,
    str,
    Decimal,
    Money("1", "CNY"),
    Money("-1", "USD"),
    [1, 2],
    (1,),
    [None],
    [[]],
    {1},
    range(3),
    iter([1, 2]),
    _LyingSequence(),
    dt.timedelta(days=1),
    dt.time(0),
    Exception("boom"),
]

NUMPY: list[object] = [
    np.float64(1.5),
    np.float64("nan"),
    np.float64("inf"),
    np.float32(0.1),
    np.float16(1),
    np.longdouble(1),
    np.int64(5),
    np.int64(-1),
    np.int8(-128),
    np.uint64(2**64 - 1),
    np.int64(2**63 - 1),
    np.bool_(False),
    np.complex128(1),
    np.array([1, 2]),
    np.array(5),
    np.array(5.0),
    np.array([]),
    np.array(["a"]),
    np.array([np.datetime64("2024-01-15")]),
    np.str_("CNY"),
    np.str_("1.5"),
    np.datetime64("2024-01-15"),
]


def all_fixed() -> list[object]:
    """Every fixed hostile value (for exhaustive sweeps outside hypothesis)."""
    return [
        *FLOATS,
        *DECIMALS,
        *INTS,
        *BOOLS,
        *STRINGS,
        *NAMES,
        *LOCALES,
        *DATES,
        *DATE_LIKES,
        *EMPTY_SEQUENCES,
        *WRONG_TYPES,
        *NUMPY,
        Huge([1] * HUGE),
    ]


# --- strategies -------------------------------------------------------------------------------


def hostile_numbers() -> st.SearchStrategy[object]:
    """Numbers of every type and magnitude, finite or not."""
    return st.one_of(
        st.sampled_from(FLOATS + DECIMALS + INTS + BOOLS + NUMBER_STRINGS),
        st.floats(),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.integers(),
        st.integers(-(10**60), 10**60).map(str),
        st.builds(
            lambda digits, exponent, sign: Decimal((sign, tuple(digits), exponent)),
            st.lists(st.integers(0, 9), min_size=1, max_size=60),
            st.integers(-1_000_100, 1_000_100),
            st.integers(0, 1),
        ),
        st.sampled_from(NUMPY),
    )


def hostile_decimals() -> st.SearchStrategy[object]:
    """Decimals only: special values, signed zeros, the edges of any context."""
    return st.one_of(
        st.sampled_from([d for d in DECIMALS if isinstance(d, Decimal)]),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.builds(
            lambda digits, exponent: Decimal((0, tuple(digits), exponent)),
            st.lists(st.integers(0, 9), min_size=1, max_size=80),
            st.integers(-1_000_100, 1_000_100),
        ),
    )


def hostile_ints() -> st.SearchStrategy[object]:
    """Counts that are not counts: negative, huge, bool, float, numpy, Decimal, str."""
    return st.one_of(
        st.sampled_from(
            [*INTS, *BOOLS, 12.0, 1.5, Decimal(12), "12", np.int64(12), np.float64(12)]
        ),
        st.integers(),
        st.integers(-(10**30), 10**30),
    )


def hostile_strings() -> st.SearchStrategy[object]:
    """Text that is not valid text, not a number, or absurdly long."""
    return st.one_of(
        st.sampled_from(STRINGS),
        st.text(max_size=30),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=10),
        st.builds(lambda a, b: a + "\ud800" + b, st.text(max_size=5), st.text(max_size=5)),
    )


def hostile_names() -> st.SearchStrategy[object]:
    """Unknown, malformed and almost-right names (currencies, conventions, methods ...)."""
    return st.one_of(
        st.sampled_from(NAMES + LOCALES),
        st.text(max_size=20),
        st.sampled_from([None, 1, 1.0, True, b"monthly", ["monthly"], ("CNY",), {"a": 1}]),
    )


def hostile_locales() -> st.SearchStrategy[object]:
    """Locale spellings babel may or may not take, and things that are not locales."""
    return st.one_of(
        st.sampled_from(LOCALES + NAMES),
        st.text(max_size=12),
        st.sampled_from([None, 1, b"zh_CN", ("zh", "CN"), np.str_("zh_CN")]),
    )


def hostile_dates() -> st.SearchStrategy[object]:
    """Dates at the ends of the calendar, and things that are almost dates."""
    return st.one_of(
        st.sampled_from(DATES + DATE_LIKES),
        st.dates(),
        st.datetimes(),
        st.sampled_from([None, 0, 1.5, "", "9999-12-31", "0001-01-01", (2024, 1, 15)]),
    )


def with_one_bad_element(template: Sequence[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy:
    """`template` (a valid sequence) with one element replaced by a value of `bad`."""
    if not template:
        return st.nothing()
    return st.builds(
        lambda i, value: [*template[:i], value, *template[i + 1 :]],
        st.integers(0, len(template) - 1),
        bad,
    )


def _object_array(items: Sequence[Any]) -> np.ndarray:  # type: ignore[type-arg]
    """A 1-d numpy object array of `items` (np.array() would try to nest tuples and fail on
    objects it cannot iterate)."""
    array = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        array[i] = item
    return array


def hostile_sequences(template: Sequence[Any] | None = None) -> st.SearchStrategy[object]:
    """Empty, huge, wrongly typed and one-bad-element sequences (for a valid `template`)."""
    options: list[st.SearchStrategy[Any]] = [
        st.sampled_from(EMPTY_SEQUENCES),
        st.sampled_from([*WRONG_TYPES, None, "abc", 12, Decimal(1)]),
    ]
    if template:
        element = st.one_of(hostile_numbers(), hostile_dates(), st.sampled_from(WRONG_TYPES))
        options += [
            with_one_bad_element(template, element),
            st.just(Huge(list(template) * (HUGE // len(template)))),  # huge, otherwise valid
            st.just(list(template)[:1]),
            st.just(tuple(template)),
            st.just(iter(list(template))),  # a one-shot iterator
            st.just(_object_array(template)),
        ]
    return st.one_of(*options)


def hostile_rows(template: Sequence[tuple[Any, ...]]) -> st.SearchStrategy[object]:
    """Sequences of tuples (``(date, amount)`` pairs, ``Due`` or ``LoanAgeing`` rows) with one
    field of one row hostile, a row of the wrong length, or the sequence itself hostile."""
    if not template:
        return hostile_sequences()
    if not isinstance(template[0], tuple):  # rows that are objects (Fee, events, dates)
        return hostile_sequences(list(template))

    def rebuild(row: tuple[Any, ...], fields: list[Any]) -> tuple[Any, ...]:
        return type(row)(*fields) if hasattr(row, "_fields") else tuple(fields)

    def one_field(i: int, j: int, value: object) -> list[Any]:
        row = template[i]
        fields = list(row)
        fields[j % len(fields)] = value
        return [*template[:i], rebuild(row, fields), *template[i + 1 :]]

    bad = st.one_of(hostile_numbers(), hostile_dates(), st.sampled_from(WRONG_TYPES))
    return st.one_of(
        st.builds(one_field, st.integers(0, len(template) - 1), st.integers(0, 5), bad),
        st.builds(
            lambda i, extra: [*template[:i], extra, *template[i + 1 :]],
            st.integers(0, len(template) - 1),
            st.sampled_from([(), (1,), (1, 2, 3, 4), tuple(template[0])[:1], "ab", None]),
        ),
        hostile_sequences(list(template)),
    )


def hostile() -> st.SearchStrategy[object]:
    """Anything hostile, of any kind."""
    return st.one_of(
        hostile_numbers(),
        hostile_strings(),
        hostile_names(),
        hostile_dates(),
        st.sampled_from(EMPTY_SEQUENCES + WRONG_TYPES + NUMPY),
        st.just(Huge([1] * HUGE)),
    )


def hostile_for(kind: str, template: object = None) -> st.SearchStrategy[object]:
    """The strategy for one argument of `kind`, valid value `template` (for sequences).

    Kinds: ``number``, ``decimal``, ``int``, ``date``, ``name``, ``locale``, ``text``, ``seq``,
    ``rows`` (a sequence of tuples), ``flag``, ``object`` (anything else: a LoanTerms, a Cap,
    a Rounding ...).
    """
    aimed: dict[str, st.SearchStrategy[object]] = {
        "number": hostile_numbers(),
        "decimal": hostile_decimals(),
        "int": hostile_ints(),
        "date": hostile_dates(),
        "name": hostile_names(),
        "locale": hostile_locales(),
        "text": hostile_strings(),
        "seq": hostile_sequences(template if isinstance(template, (list, tuple)) else None),
        "rows": hostile_rows(template if isinstance(template, (list, tuple)) else []),
        "flag": st.sampled_from([None, 0, 1, 2, "yes", "", np.bool_(True), 1.0, [True]]),
        "object": st.sampled_from(WRONG_TYPES + NUMPY + ["", "x"]),
    }
    return st.one_of(aimed[kind], hostile()) if kind in aimed else hostile()


#: Seconds a call may take: "nothing hangs".
LIMIT = 1.0


# --- the harness: a result or a LoanMathError, within a time and a memory limit --------------


class Hang(BaseException):
    """Raised by the SIGALRM handler; a BaseException so no `except Exception` swallows it."""


_ARMED: list[tuple[float, float]] = []  # (deadline, seconds) of the call being timed
_TICK = 0.02  # after the deadline the alarm repeats, until a Hang gets raised where it counts


def _in_gc_callback(frame: Any) -> bool:
    """Whether `frame` runs a gc callback (an exception raised there would be swallowed)."""
    codes = {getattr(callback, "__code__", None) for callback in gc.callbacks}
    return frame is not None and frame.f_code in codes


def _on_alarm(signum: int, frame: Any) -> None:
    # A Python signal handler runs at the next bytecode after the signal: after a long C call
    # that may be once the timed call is over (nothing is armed), inside the next timed call
    # (its deadline has not come) or inside a gc callback (the next tick raises instead).
    if not _ARMED or time.perf_counter() < _ARMED[-1][0] - 0.05 or _in_gc_callback(frame):
        return
    _, seconds = _ARMED.pop()
    raise Hang(f"no answer within {seconds} s")


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise Hang in the main thread after `seconds` (Linux SIGALRM)."""
    if signal.getsignal(signal.SIGALRM) is not _on_alarm:
        signal.signal(signal.SIGALRM, _on_alarm)
    _ARMED.clear()
    _ARMED.append((time.perf_counter() + seconds, seconds))
    signal.setitimer(signal.ITIMER_REAL, seconds, _TICK)
    try:
        yield
    finally:
        _ARMED.clear()
        signal.setitimer(signal.ITIMER_REAL, 0)


#: Memory a single call may take on top of what the process already maps: a hostile count can
#: make a function build a list of billions of items; the limit turns that into a MemoryError
#: (reported as a finding) instead of the kernel killing the whole run.
EXTRA_MEMORY = 3 * 2**30


def _mapped_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


@contextmanager
def memory_limit(extra: int = EXTRA_MEMORY) -> Iterator[None]:
    """Cap the address space at what is mapped now plus `extra` bytes, for one call."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _mapped_bytes() + extra
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def origin(error: BaseException) -> str:
    """Where `error` came from: the deepest loanmath frame, and the very last frame."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/loanmath/" in f.filename.replace("\\", "/")]
    parts = []
    if ours:
        f = ours[-1]
        parts.append(f"loanmath/{f.filename.split('/loanmath/')[-1]}:{f.lineno} ({f.name})")
    if frames and (not ours or frames[-1] is not ours[-1]):
        f = frames[-1]
        parts.append(f"last frame {f.filename}:{f.lineno} ({f.name})")
    return "; ".join(parts) or "no traceback"


def short(value: object, width: int = 160) -> str:
    try:
        text = repr(value)
    except Exception as error:
        text = f"<unreprable {type(value).__name__}: {type(error).__name__}>"
    return text if len(text) <= width else text[: width - 20] + f"...<{len(text)} chars>"


def check_result(label: str, result: object, depth: int = 0) -> None:
    """A result holds no NaN or infinity (a solver never returns NaN)."""
    if depth > 2:
        return
    if isinstance(result, Decimal) and not result.is_finite():
        pytest.fail(f"{label}: returned a non-finite Decimal {result!r}")
    if isinstance(result, Money):
        check_result(label, result.amount, depth + 1)
    if isinstance(result, (tuple, list)):
        for item in result[:50]:
            check_result(label, item, depth + 1)


def _path(error: BaseException, depth: int = 4) -> str:
    """The last `depth` loanmath frames the error passed through, outermost first."""
    frames = [
        f"{f.filename.split('/loanmath/')[-1]}:{f.lineno}"
        for f in traceback.extract_tb(error.__traceback__)
        if "/loanmath/" in f.filename.replace("\\", "/")
    ]
    return " > ".join(frames[-depth:])


def _text(error: BaseException) -> str:
    try:
        return str(error)
    except Exception as failure:  # a message that cannot be made is a finding too
        return f"<str() of the error raised {type(failure).__name__}>"


def outcome(label: str, call: Callable[[], object], seconds: float = LIMIT) -> object:
    """Run `call`: return its result or the LoanMathError it raised; fail on anything else.

    Fails on: a raw (non-LoanMathError) exception, a hang (SIGALRM after `seconds`), a call
    that returned or raised only after `seconds` (blocked in C, where SIGALRM cannot
    interrupt), a MemoryError (the address space is capped for the call), and a non-finite
    Decimal result. The failure names where the exception came from; the exception itself is
    not chained (a signal can leave a traceback pytest cannot render).
    """
    start = time.perf_counter()
    failure = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", LPRStaleWarning)  # documented, not an error
            with memory_limit(), time_limit(seconds):
                result = call()
    except Hang as hang:
        failure = f"{label}: HANG (> {seconds} s); stopped in {origin(hang)} [{_path(hang)}]"
    except LoanMathError as error:
        elapsed = time.perf_counter() - start
        if elapsed <= seconds:
            return error
        failure = f"{label}: took {elapsed:.2f} s (> {seconds} s) to refuse: {_text(error)}"
    except Exception as error:
        failure = (
            f"{label}: raw {type(error).__module__}.{type(error).__name__}: "
            f"{short(_text(error), 300)} [from {origin(error)}] [{_path(error)}]"
        )
    if failure is not None:
        pytest.fail(failure)
    elapsed = time.perf_counter() - start
    if elapsed > seconds:
        pytest.fail(f"{label}: took {elapsed:.2f} s (> {seconds} s) to answer")
    check_result(label, result)
    return result
