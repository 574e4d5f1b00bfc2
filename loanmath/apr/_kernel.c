/*
 * loanmath.apr._kernel: the IRR of exact decimal cash flows, solved and confirmed in C.
 *
 * Optional: loanmath works without it (loanmath/apr/_fast.py falls back to the pure path),
 * and the tests hold both paths to the same Decimal result.
 *
 * Amounts arrive as Decimal, str or int objects; their decimal strings are read exactly into
 * 64-bit integers of one common scale (a uniform scale does not move a root). Anything else
 * (an exponent, a NaN, a value too large, flows with several sign changes) returns None and
 * the pure path decides, with its own errors.
 *
 * The root of P(x) = sum a_k x^k in x = 1/(1+r) is found in float64 (Newton kept inside a
 * bisection bracket), polished by two Newton steps in double-double arithmetic (about 32
 * significant digits: Dekker/Knuth error-free sums and products, fma), and confirmed: the
 * double-double NPV at the polished rate, plus a bound on its rounding error, must be within
 * tol * sum|a_k| -- else None. The rate is returned as a (hi, lo) pair whose exact sum the
 * caller rounds once to 20 significant digits.
 *
 * Built with -ffp-contract=off so that no compiler fuses a*b+c differently on another
 * machine; every operation is IEEE 754 binary64, identical on every conforming platform.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <datetime.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    double hi, lo;
} dd;

static inline dd two_sum(double a, double b) {
    double s = a + b, bb = s - a;
    return (dd){s, (a - (s - bb)) + (b - bb)};
}
static inline dd quick_two_sum(double a, double b) {
    double s = a + b;
    return (dd){s, b - (s - a)};
}
static inline dd dd_add(dd a, dd b) {
    dd s = two_sum(a.hi, b.hi), t = two_sum(a.lo, b.lo);
    s.lo += t.hi;
    s = quick_two_sum(s.hi, s.lo);
    s.lo += t.lo;
    return quick_two_sum(s.hi, s.lo);
}
static inline dd dd_neg(dd a) { return (dd){-a.hi, -a.lo}; }
static inline dd dd_mul(dd a, dd b) {
    double p = a.hi * b.hi;
    double e = fma(a.hi, b.hi, -p);
    e += a.hi * b.lo + a.lo * b.hi;
    return quick_two_sum(p, e);
}
static inline dd dd_mul_d(dd a, double b) {
    double p = a.hi * b;
    double e = fma(a.hi, b, -p);
    e += a.lo * b;
    return quick_two_sum(p, e);
}
static inline dd dd_div(dd a, dd b) {
    double q1 = a.hi / b.hi;
    dd r = dd_add(a, dd_neg(dd_mul_d(b, q1)));
    double q2 = r.hi / b.hi;
    r = dd_add(r, dd_neg(dd_mul_d(b, q2)));
    double q3 = r.hi / b.hi;
    return dd_add(quick_two_sum(q1, q2), (dd){q3, 0.0});
}
static inline dd dd_from_int(int64_t v) {
    double hi = (double)v;
    return (dd){hi, (double)(v - (int64_t)hi)};
}
static inline double dd_abs_hi(dd a) { return fabs(a.hi + a.lo); }

static PyObject *dd_text(dd v);

#define MAX_FLOWS 100000
#define LIMIT_62 ((int64_t)1 << 62)

/* Read one decimal string "-?digits(.digits)?" into (digits as int64, places). */
static int parse_decimal(const char *s, Py_ssize_t len, int64_t *units, int *places) {
    Py_ssize_t i = 0;
    int negative = 0, seen = 0, point = -1;
    uint64_t value = 0;
    if (i < len && (s[i] == '-' || s[i] == '+')) {
        negative = s[i] == '-';
        i++;
    }
    for (; i < len; i++) {
        char c = s[i];
        if (c == '.' && point < 0) {
            point = 0;
            continue;
        }
        if (c < '0' || c > '9') return 0;
        if (value > (uint64_t)(LIMIT_62 / 10)) return 0;
        value = value * 10 + (uint64_t)(c - '0');
        if (value >= (uint64_t)LIMIT_62) return 0;
        seen = 1;
        if (point >= 0) point++;
    }
    if (!seen || point == 0) return 0;
    *units = negative ? -(int64_t)value : (int64_t)value;
    *places = point < 0 ? 0 : point;
    return 1;
}

/* The flows as int64 units of one scale; 0 when any is not plain (the pure path decides). */
static int read_flows(PyObject *seq, int64_t *out, Py_ssize_t n) {
    int places[64];
    int *where = n <= 64 ? places : PyMem_Malloc(sizeof(int) * (size_t)n);
    int most = 0, ok = 1;
    if (where == NULL) return 0;
    for (Py_ssize_t k = 0; k < n && ok; k++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, k);
        if (PyLong_CheckExact(item)) {
            int overflow = 0;
            long long v = PyLong_AsLongLongAndOverflow(item, &overflow);
            if (overflow || v >= LIMIT_62 || v <= -LIMIT_62) ok = 0;
            out[k] = (int64_t)v;
            where[k] = 0;
            continue;
        }
        PyObject *text = PyUnicode_CheckExact(item) ? (Py_INCREF(item), item) : NULL;
        if (text == NULL) {
            const char *name = Py_TYPE(item)->tp_name;
            if (strcmp(name, "decimal.Decimal") != 0) {
                ok = 0;
                break;
            }
            text = PyObject_Str(item);
            if (text == NULL) {
                PyErr_Clear();
                ok = 0;
                break;
            }
        }
        Py_ssize_t len;
        const char *s = PyUnicode_AsUTF8AndSize(text, &len);
        ok = s != NULL && parse_decimal(s, len, &out[k], &where[k]);
        Py_DECREF(text);
        if (where[k] > most) most = where[k];
    }
    PyErr_Clear();
    for (Py_ssize_t k = 0; k < n && ok; k++) {
        for (int p = where[k]; p < most; p++) {
            if (out[k] >= LIMIT_62 / 10 || out[k] <= -LIMIT_62 / 10) {
                ok = 0;
                break;
            }
            out[k] *= 10;
        }
    }
    if (where != places) PyMem_Free(where);
    return ok;
}

/* P(x) and P'(x) in float64 (Horner from the highest power). */
static void horner(const int64_t *a, Py_ssize_t n, double x, double *p, double *dp) {
    double value = (double)a[n - 1], slope = 0.0;
    for (Py_ssize_t k = n - 2; k >= 0; k--) {
        slope = slope * x + value;
        value = value * x + (double)a[k];
    }
    *p = value;
    *dp = slope;
}

/* P(x), P'(x) and sum |a_k| x^k in double-double. */
static void horner_dd(const int64_t *a, Py_ssize_t n, dd x, dd *p, dd *dp, double *scale) {
    dd value = dd_from_int(a[n - 1]), slope = {0.0, 0.0};
    double size = fabs((double)a[n - 1]), xs = x.hi;
    for (Py_ssize_t k = n - 2; k >= 0; k--) {
        slope = dd_add(dd_mul(slope, x), value);
        value = dd_add(dd_mul(value, x), dd_from_int(a[k]));
        size = size * xs + fabs((double)a[k]);
    }
    *p = value;
    *dp = slope;
    *scale = size;
}

static int sign_changes(const int64_t *a, Py_ssize_t n, int *first) {
    int last = 0, changes = 0;
    *first = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        int s = (a[k] > 0) - (a[k] < 0);
        if (!s) continue;
        if (!*first) *first = s;
        if (last && s != last) changes++;
        last = s;
    }
    return changes;
}

static int solve_x(const int64_t *a, Py_ssize_t n, int first, double *root) {
    double lo = 1.0, hi = 1.0, p, dp;
    horner(a, n, lo, &p, &dp);
    while (p != 0.0 && ((p > 0) ? 1 : -1) != first) {
        lo *= 0.5;
        if (lo < 1e-300) return 0;
        horner(a, n, lo, &p, &dp);
    }
    horner(a, n, hi, &p, &dp);
    while (p != 0.0 && ((p > 0) ? 1 : -1) == first) {
        hi *= 2.0;
        if (hi > 1e300) return 0;
        horner(a, n, hi, &p, &dp);
    }
    double plus = 0.0, minus = 0.0;
    for (Py_ssize_t k = 0; k < n; k++) {
        if (a[k] > 0) plus += (double)a[k]; else minus -= (double)a[k];
    }
    double guess = 2.0 * (plus - minus) / (fmin(plus, minus) * (double)n);
    guess = fmin(fmax(guess, -0.5), 10.0);
    double x = 1.0 / (1.0 + guess);
    if (!(x > lo && x < hi)) x = 0.5 * (lo + hi);
    for (int i = 0; i < 400; i++) {
        horner(a, n, x, &p, &dp);
        if (p == 0.0) break;
        if (((p > 0) ? 1 : -1) == first) lo = x; else hi = x;
        double next = dp != 0.0 ? x - p / dp : 0.5 * (lo + hi);
        if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
        if (fabs(next - x) <= 1e-15 * x) {
            x = next;
            break;
        }
        x = next;
    }
    *root = x;
    return 1;
}

static PyObject *periodic_irr(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *given;
    double tol;
    if (!PyArg_ParseTuple(args, "Od", &given, &tol)) return NULL;
    PyObject *seq = PySequence_Fast(given, "amounts");
    if (seq == NULL) {
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (n < 2 || n > MAX_FLOWS) {
        Py_DECREF(seq);
        Py_RETURN_NONE;
    }
    int64_t *a = PyMem_Malloc(sizeof(int64_t) * (size_t)n);
    if (a == NULL) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    int ok = read_flows(seq, a, n), first = 0;
    Py_DECREF(seq);
    double x = 0.0;
    ok = ok && sign_changes(a, n, &first) == 1 && solve_x(a, n, first, &x);
    dd r = {0.0, 0.0};
    if (ok) {
        dd X = {x, 0.0}, p, dp;
        double scale = 0.0, total = 0.0;
        for (int step = 0; step < 2; step++) {
            horner_dd(a, n, X, &p, &dp, &scale);
            if (dp.hi == 0.0) break;
            X = dd_add(X, dd_neg(dd_div(p, dp)));
        }
        horner_dd(a, n, X, &p, &dp, &scale);
        for (Py_ssize_t k = 0; k < n; k++) total += fabs((double)a[k]);
        /* rounding error of the double-double Horner sum, and the NPV moved by rounding the
         * rate to the 20 digits the caller keeps (|x P'(x)| <= n * sum |a_k| x^k) */
        double bound = 16.0 * (double)(n + 2) * ldexp(1.0, -104) * scale
                       + 1e-20 * (double)n * scale;
        ok = X.hi > 0.0 && isfinite(X.hi) && dd_abs_hi(p) + bound <= tol * total * 0.5;  /* half: stricter than the pure path */
        if (ok) r = dd_add(dd_div((dd){1.0, 0.0}, X), (dd){-1.0, 0.0});
        ok = ok && isfinite(r.hi) && r.hi > -1.0;
    }
    PyMem_Free(a);
    if (!ok) Py_RETURN_NONE;
    PyObject *text = dd_text(r);
    if (text != NULL) return text;
    return Py_BuildValue("(dd)", r.hi, r.lo);
}

/* b^n for n >= 0 by binary powering (relative error about 2 log2(n) double-double ulps). */
static dd dd_pow(dd b, int64_t n) {
    dd out = {1.0, 0.0};
    while (n > 0) {
        if (n & 1) out = dd_mul(out, b);
        n >>= 1;
        if (n) b = dd_mul(b, b);
    }
    return out;
}

/* 1/k! in double-double, k = 0..12, set when the module loads. */
static dd INVERSE_FACTORIAL[13];

static void set_factorials(void) {
    dd f = {1.0, 0.0};
    for (int k = 0; k <= 12; k++) {
        if (k) f = dd_div(f, (dd){(double)k, 0.0});
        INVERSE_FACTORIAL[k] = f;
    }
}

/* e^a - 1 in double-double for |a| <= 0.75: Taylor on a/1024, then 10 doublings of
 * e^(2r) - 1 = 2(e^r - 1) + (e^r - 1)^2 (no cancellation near zero). */
static dd dd_expm1_small(dd a) {
    dd r = {ldexp(a.hi, -10), ldexp(a.lo, -10)};
    dd sum = INVERSE_FACTORIAL[11]; /* Horner: r (1/1! + r (1/2! + ... + r/11!)) */
    for (int k = 10; k >= 1; k--) sum = dd_add(dd_mul(sum, r), INVERSE_FACTORIAL[k]);
    sum = dd_mul(sum, r);
    for (int i = 0; i < 10; i++) sum = dd_add(dd_mul_d(sum, 2.0), dd_mul(sum, sum));
    return sum;
}

/* e^a in double-double: a = k ln 2 + b, |b| <= ln2/2, e^a = 2^k (1 + expm1(b)). */
static const dd LN2 = {6.931471805599452862e-01, 2.319046813846299558e-17};
static int dd_exp(dd a, dd *out) {
    if (!(fabs(a.hi) < 700.0)) return 0;
    double k = nearbyint(a.hi / LN2.hi);
    dd b = dd_add(a, dd_neg(dd_mul_d(LN2, k)));
    dd e = dd_add(dd_expm1_small(b), (dd){1.0, 0.0});
    *out = (dd){ldexp(e.hi, (int)k), ldexp(e.lo, (int)k)};
    return 1;
}

/* f(y) = sum a_k e^(-y t_k) and f'(y), float64. */
static void timed_f(const int64_t *a, const double *t, Py_ssize_t n, double y, double *f,
                    double *df) {
    double value = 0.0, slope = 0.0;
    for (Py_ssize_t k = 0; k < n; k++) {
        double term = (double)a[k] * exp(-y * t[k]);
        value += term;
        slope -= t[k] * term;
    }
    *f = value;
    *df = slope;
}

/* Days since 0001-01-01 of a date (the proleptic Gregorian ordinal). */
static int64_t ordinal(PyObject *date) {
    int64_t y = PyDateTime_GET_YEAR(date) - 1, m = PyDateTime_GET_MONTH(date),
            d = PyDateTime_GET_DAY(date);
    static const int before[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    int64_t leap = (m > 2) && (((y + 1) % 4 == 0 && (y + 1) % 100 != 0) || (y + 1) % 400 == 0);
    return y * 365 + y / 4 - y / 100 + y / 400 + before[m - 1] + leap + d;
}

/* Read a sequence of n Python ints (each |v| < 2^62) into out; 0 if any is not one. */
static int read_ints(PyObject *given, int64_t *out, Py_ssize_t n) {
    PyObject *seq = PySequence_Fast(given, "ints");
    if (seq == NULL) {
        PyErr_Clear();
        return 0;
    }
    int ok = PySequence_Fast_GET_SIZE(seq) == n;
    for (Py_ssize_t k = 0; ok && k < n; k++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, k);
        int overflow = 0;
        long long v = PyLong_CheckExact(item) ? PyLong_AsLongLongAndOverflow(item, &overflow) : 0;
        ok = PyLong_CheckExact(item) && !overflow && v < LIMIT_62 && v > -LIMIT_62;
        out[k] = (int64_t)v;
    }
    Py_DECREF(seq);
    PyErr_Clear();
    return ok;
}

/* The amounts and three int columns of one length, in one buffer of 4n int64 (amounts,
 * then each column); NULL to decline. */
static int64_t *read_columns(PyObject *given, PyObject *first, PyObject *second, PyObject *third,
                             Py_ssize_t *size) {
    PyObject *seq = PySequence_Fast(given, "amounts");
    if (seq == NULL) {
        PyErr_Clear();
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    int64_t *a = n >= 2 && n <= MAX_FLOWS ? PyMem_Malloc(sizeof(int64_t) * (size_t)n * 4) : NULL;
    int ok = a != NULL && read_flows(seq, a, n);
    Py_DECREF(seq);
    ok = ok && read_ints(first, a + n, n) && read_ints(second, a + 2 * n, n) &&
         read_ints(third, a + 3 * n, n);
    if (!ok) {
        PyMem_Free(a);
        return NULL;
    }
    *size = n;
    return a;
}

/* The square-and-multiply powers of one base, b^(2^j) for j < 40. */
typedef struct {
    dd square[40];
    int count;
} powers_of;

static void powers_init(powers_of *p, dd base, int64_t largest) {
    p->count = 0;
    p->square[0] = base;
    while ((largest >> (p->count + 1)) > 0 && p->count < 39) {
        p->square[p->count + 1] = dd_mul(p->square[p->count], p->square[p->count]);
        p->count++;
    }
}

static dd powers_at(const powers_of *p, int64_t n) {
    dd out = {1.0, 0.0};
    for (int j = 0; n > 0 && j <= p->count; j++, n >>= 1) {
        if (n & 1) out = dd_mul(out, p->square[j]);
    }
    return out;
}

/* f(y) = sum a_k e^(-y t_k) in double-double with t_k = w_k/P + d_k/Y_k, its slope in double
 * (Newton needs it to about 1e-16), sum |terms| and sum |terms| t_k. 0 when exp overflows. */
static int split_sum(const int64_t *a, const int64_t *w, const int64_t *d, const int64_t *year,
                     int64_t per, const double *t, Py_ssize_t n, dd Y, dd *f, double *slope,
                     double *scale, double *moment) {
    int64_t most_w = 0, most_d = 0, base_year = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        if (w[k] > most_w) most_w = w[k];
        if (d[k] > most_d) most_d = d[k];
    }
    dd base = {1.0, 0.0};
    powers_of whole, day;
    if (!dd_exp(dd_neg(dd_div(Y, dd_from_int(per))), &base)) return 0;
    powers_init(&whole, base, most_w);
    *f = (dd){0.0, 0.0};
    *slope = *scale = *moment = 0.0;
    for (Py_ssize_t k = 0; k < n; k++) {
        if (year[k] != base_year) { /* 365 or 366: new day powers when it changes */
            base_year = year[k];
            if (!dd_exp(dd_neg(dd_div(Y, dd_from_int(base_year))), &base)) return 0;
            powers_init(&day, base, most_d);
        }
        dd term = dd_mul(dd_from_int(a[k]), dd_mul(powers_at(&whole, w[k]), powers_at(&day, d[k])));
        *f = dd_add(*f, term);
        *slope -= t[k] * term.hi;
        *scale += fabs(term.hi);
        *moment += fabs(term.hi) * t[k];
    }
    return 1;
}

/* Times split as t_k = w_k / P + d_k / Y_k (whole periods of a P-a-year frequency, then days
 * of a Y_k-day year): the root y = ln(1+r) of sum a_k e^(-y t_k), as text, or None.
 * Every term is a whole power of e^(-y/P) times a whole power of e^(-y/Y_k). */
static PyObject *solve_split(const int64_t *a, const int64_t *w, const int64_t *d,
                             const int64_t *year, int64_t per, Py_ssize_t n, double tol) {
    double *t = PyMem_Malloc(sizeof(double) * (size_t)n);
    Py_ssize_t *order = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)n);
    int64_t *sorted = PyMem_Malloc(sizeof(int64_t) * (size_t)n);
    int ok = t && order && sorted && per > 0, sign = 0;
    double span = 0.0;
    for (Py_ssize_t k = 0; ok && k < n; k++) {
        ok = w[k] >= 0 && d[k] >= 0 && year[k] > 0 && w[k] < 100000 && d[k] < 10000000;
        t[k] = (double)w[k] / (double)per + (double)d[k] / (double)year[k];
        if (t[k] > span) span = t[k];
    }
    ok = ok && span > 0.0;
    if (ok) { /* one sign change in time order (insertion sort: n is small) */
        for (Py_ssize_t k = 0; k < n; k++) {
            Py_ssize_t j = k;
            while (j > 0 && t[order[j - 1]] > t[k]) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = k;
        }
        for (Py_ssize_t k = 0; k < n; k++) sorted[k] = a[order[k]];
        ok = sign_changes(sorted, n, &sign) == 1;
    }
    PyMem_Free(order);
    PyMem_Free(sorted);
    double y = 0.0;
    if (ok) { /* bracket in y: f has the first flow's sign for large y, the last's for small */
        double limit = 700.0 / span, lo = -0.1, hi = 0.1, step = 0.2, f, df;
        timed_f(a, t, n, hi, &f, &df);
        while (ok && f != 0.0 && ((f > 0) ? 1 : -1) != sign) {
            hi += step;
            step *= 2;
            ok = hi <= limit;
            timed_f(a, t, n, hi, &f, &df);
        }
        step = 0.2;
        timed_f(a, t, n, lo, &f, &df);
        while (ok && f != 0.0 && ((f > 0) ? 1 : -1) == sign) {
            lo -= step;
            step *= 2;
            ok = lo >= -limit;
            timed_f(a, t, n, lo, &f, &df);
        }
        y = 0.0 > lo && 0.0 < hi ? 0.0 : 0.5 * (lo + hi);
        for (int i = 0; ok && i < 400; i++) {
            timed_f(a, t, n, y, &f, &df);
            if (f == 0.0) break;
            if (((f > 0) ? 1 : -1) == sign) hi = y; else lo = y;  /* sign: y is too large */
            double next = df != 0.0 ? y - f / df : 0.5 * (lo + hi);
            if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
            if (fabs(next - y) <= 1e-15 * fmax(fabs(y), 1e-300) || next == y) {
                y = next;
                break;
            }
            y = next;
        }
    }
    dd r = {0.0, 0.0};
    if (ok) {
        dd Y = {y, 0.0}, f = {0.0, 0.0};
        double scale = 0.0, moment = 0.0, total = 0.0;
        /* Newton in double-double from the float root: a step, a second only if the first
         * moved y by more than 1e-14 of itself (then the float root was poor), then the check. */
        for (int step = 0, steps = 1; ok && step <= steps; step++) {
            double slope = 0.0;
            ok = split_sum(a, w, d, year, per, t, n, Y, &f, &slope, &scale, &moment);
            if (step == steps || !ok || slope == 0.0) break;
            dd move = dd_div(f, (dd){slope, 0.0});
            Y = dd_add(Y, dd_neg(move));
            if (steps == 1 && fabs(move.hi) > 1e-14 * fmax(fabs(Y.hi), 1e-300)) steps = 2;
        }
        for (Py_ssize_t k = 0; k < n; k++) total += fabs((double)a[k]);
        /* exp, powers and sums in double-double, and the rate rounded to 20 digits moving y */
        double bound = 64.0 * (double)(n + 2) * ldexp(1.0, -104) * scale * (1.0 + span)
                       + 1e-20 * moment * fabs(y);
        ok = ok && dd_abs_hi(f) + bound <= tol * total * 0.5;
        if (ok && fabs(Y.hi) <= 0.75) {
            r = dd_expm1_small(Y);
        } else if (ok) { /* e^y is at least 2.1 or at most 0.48: subtracting 1 loses no digit */
            ok = dd_exp(Y, &r);
            r = dd_add(r, (dd){-1.0, 0.0});
        }
    }
    PyMem_Free(t);
    if (!ok) Py_RETURN_NONE;
    PyObject *text = dd_text(r);
    if (text != NULL) return text;
    return Py_BuildValue("(dd)", r.hi, r.lo);
}

/* XIRR on ACT/365F times (d_k/365 from the earliest date), as text or None. */
static PyObject *timed_irr(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *given, *when;
    double tol;
    if (!PyArg_ParseTuple(args, "OOd", &given, &when, &tol)) return NULL;
    PyObject *seq = PySequence_Fast(given, "amounts");
    PyObject *dates = seq ? PySequence_Fast(when, "dates") : NULL;
    if (dates == NULL) {
        PyErr_Clear();
        Py_XDECREF(seq);
        Py_RETURN_NONE;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    int ok = n >= 2 && n <= MAX_FLOWS && PySequence_Fast_GET_SIZE(dates) == n;
    int64_t *a = ok ? PyMem_Malloc(sizeof(int64_t) * (size_t)n * 4) : NULL;
    ok = ok && a && read_flows(seq, a, n);
    int64_t *days = a ? a + n : NULL, *zero = a ? a + 2 * n : NULL, *year = a ? a + 3 * n : NULL;
    int64_t first = INT64_MAX;
    for (Py_ssize_t k = 0; ok && k < n; k++) {
        PyObject *item = PySequence_Fast_GET_ITEM(dates, k);
        ok = PyDate_CheckExact(item);
        if (!ok) break;
        days[k] = ordinal(item);
        if (days[k] < first) first = days[k];
    }
    Py_DECREF(seq);
    Py_DECREF(dates);
    for (Py_ssize_t k = 0; ok && k < n; k++) {
        days[k] -= first;
        zero[k] = 0;
        year[k] = 365;
    }
    PyObject *out = ok ? solve_split(a, zero, days, year, 1, n, tol) : (Py_INCREF(Py_None), Py_None);
    PyMem_Free(a);
    return out;
}

/* EU APRC times as whole periods (P a year) plus days of a 365- or 366-day year. */
static PyObject *split_irr(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *given, *wholes, *rests, *years;
    long long per;
    double tol;
    if (!PyArg_ParseTuple(args, "OOOOLd", &given, &wholes, &rests, &years, &per, &tol)) {
        return NULL;
    }
    Py_ssize_t n = 0;
    int64_t *a = read_columns(given, wholes, rests, years, &n);
    if (a == NULL) Py_RETURN_NONE;
    PyObject *out = solve_split(a, a + n, a + 2 * n, a + 3 * n, (int64_t)per, n, tol);
    PyMem_Free(a);
    return out;
}

/* Appendix J's equation: g(i) = sum A_k / ((1 + f_k i) (1 + i)^t_k), f_k = num_k / den_k. */
static void general_f(const int64_t *a, const int64_t *t, const double *f, Py_ssize_t n,
                      double i, double *value, double *slope) {
    double x = 1.0 / (1.0 + i), v = 0.0, s = 0.0, power = 1.0;
    int64_t at = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        double simple = 1.0 + f[k] * i;
        if (t[k] >= at) { /* the times mostly rise: step the power on */
            power *= pow(x, (double)(t[k] - at));
        } else {
            power = pow(x, (double)t[k]);
        }
        at = t[k];
        double discount = power / simple;
        double term = (double)a[k] * discount;
        v += term;
        s -= term * ((double)t[k] * x + f[k] / simple);
    }
    *value = v;
    *slope = s;
}

/* The unit-period rate of Regulation Z Appendix J (advances negative, payments positive), as
 * text like periodic_irr, or None. */
static PyObject *general_irr(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *given, *wholes, *nums, *dens;
    double tol;
    if (!PyArg_ParseTuple(args, "OOOOd", &given, &wholes, &nums, &dens, &tol)) return NULL;
    Py_ssize_t n = 0;
    int64_t *a = read_columns(given, wholes, nums, dens, &n);
    if (a == NULL) Py_RETURN_NONE;
    double *f = PyMem_Malloc(sizeof(double) * (size_t)n);
    int64_t *t = a + n, *num = a + 2 * n, *den = a + 3 * n;
    int ok = f != NULL;
    for (Py_ssize_t k = 0; ok && k < n; k++) {
        ok = t[k] >= 0 && t[k] < 100000 && den[k] > 0 && num[k] >= 0 && num[k] < den[k];
        if (ok) f[k] = (double)num[k] / (double)den[k];
    }
    double i = 0.0, value, slope;
    if (ok) { /* g falls as the rate rises: bracket as the pure path does, then Newton */
        double lo = -0.5, hi = 0.5;
        general_f(a, t, f, n, hi, &value, &slope);
        while (ok && value > 0) {
            hi *= 2;
            ok = hi <= 1e6;
            general_f(a, t, f, n, hi, &value, &slope);
        }
        general_f(a, t, f, n, lo, &value, &slope);
        while (ok && value < 0) {
            lo = (lo - 1) / 2;
            ok = lo >= -1 + 1e-12;
            general_f(a, t, f, n, lo, &value, &slope);
        }
        i = lo < 0 && 0 < hi ? 0.0 : 0.5 * (lo + hi);
        for (int it = 0; ok && it < 400; it++) {
            general_f(a, t, f, n, i, &value, &slope);
            if (value == 0.0) break;
            if (value > 0) lo = i; else hi = i;
            double next = slope != 0.0 ? i - value / slope : 0.5 * (lo + hi);
            if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
            if (fabs(next - i) <= 1e-15 * fmax(fabs(i), 1e-300) || next == i) {
                i = next;
                break;
            }
            i = next;
        }
    }
    dd I = {i, 0.0};
    if (ok) {
        dd v = {0.0, 0.0}, s = {0.0, 0.0};
        double scale = 0.0, moment = 0.0, total = 0.0;
        for (int step = 0; ok && step < 3; step++) {
            v = s = (dd){0.0, 0.0};
            scale = moment = 0.0;
            dd x = dd_div((dd){1.0, 0.0}, dd_add((dd){1.0, 0.0}, I)), power = {1.0, 0.0};
            int64_t at = 0;
            for (Py_ssize_t k = 0; k < n; k++) {
                power = t[k] >= at ? dd_mul(power, dd_pow(x, t[k] - at)) : dd_pow(x, t[k]);
                at = t[k];
                dd term = dd_mul(dd_from_int(a[k]), power), rate_part = dd_mul_d(x, (double)t[k]);
                if (num[k]) { /* a fraction of a unit-period: simple interest on it */
                    dd fk = dd_div(dd_from_int(num[k]), dd_from_int(den[k]));
                    dd simple = dd_add((dd){1.0, 0.0}, dd_mul(fk, I));
                    term = dd_div(term, simple);
                    rate_part = dd_add(rate_part, dd_div(fk, simple));
                }
                v = dd_add(v, term);
                s = dd_add(s, dd_neg(dd_mul(term, rate_part)));
                scale += fabs(term.hi);
                moment += fabs(term.hi) * ((double)t[k] + 1.0);
            }
            if (step < 2 && s.hi != 0.0) I = dd_add(I, dd_neg(dd_div(v, s)));
        }
        for (Py_ssize_t k = 0; k < n; k++) total += fabs((double)a[k]);
        double bound = 64.0 * (double)(n + 2) * ldexp(1.0, -104) * scale
                       + 1e-20 * moment * fmax(fabs(I.hi), 1e-300) / fmax(1.0 + I.hi, 1e-300);
        ok = isfinite(v.hi) && I.hi > -1.0 && dd_abs_hi(v) + bound <= tol * total * 0.5;
    }
    PyMem_Free(a);
    PyMem_Free(f);
    if (!ok) Py_RETURN_NONE;
    PyObject *text = dd_text(I);
    if (text != NULL) return text;
    return Py_BuildValue("(dd)", I.hi, I.lo);
}

/* The decimal digits of v (28 significant, the last ones beyond double-double's accuracy
 * never reach the 20 the caller keeps) as "[-]d.ddd...E<exp>", or NULL to let the caller
 * convert the pair exactly. */
#define DIGITS 28
static PyObject *dd_text(dd v) {
    char buf[DIGITS + 16];
    int at = 0;
    if (v.hi == 0.0) return PyUnicode_FromString("0");
    if (v.hi < 0.0) {
        buf[at++] = '-';
        v = dd_neg(v);
    }
    int e = (int)floor(log10(v.hi));
    if (e < -22 || e > 22) return NULL;
    v = e < 0 ? dd_add(dd_mul_d(v, pow(10.0, -e)), (dd){0.0, 0.0}) : dd_div(v, (dd){pow(10.0, e), 0.0});
    if (v.hi >= 10.0) {
        v = dd_div(v, (dd){10.0, 0.0});
        e++;
    } else if (v.hi < 1.0) {
        v = dd_mul_d(v, 10.0);
        e--;
    }
    for (int i = 0; i < DIGITS; i++) {
        int d = (int)floor(v.hi);
        dd rest = dd_add(v, (dd){-(double)d, 0.0});
        if (rest.hi < 0.0) {
            d--;
            rest = dd_add(rest, (dd){1.0, 0.0});
        } else if (rest.hi >= 1.0) {
            d++;
            rest = dd_add(rest, (dd){-1.0, 0.0});
        }
        if (d < 0 || d > 9) return NULL;
        buf[at++] = (char)('0' + d);
        if (i == 0) buf[at++] = '.';
        v = dd_mul_d(rest, 10.0);
    }
    snprintf(buf + at, sizeof(buf) - (size_t)at, "E%d", e);
    return PyUnicode_FromString(buf);
}

static PyMethodDef methods[] = {
    {"periodic_irr", periodic_irr, METH_VARARGS,
     "periodic_irr(amounts, tol) -> str, (hi, lo) or None: the periodic IRR, 28 digits."},
    {"timed_irr", timed_irr, METH_VARARGS,
     "timed_irr(amounts, dates, tol) -> str, (hi, lo) or None: XIRR on ACT/365F times."},
    {"split_irr", split_irr, METH_VARARGS,
     "split_irr(amounts, wholes, days, year_days, per_year, tol) -> str, (hi, lo) or None: the "
     "effective rate when t = whole/per_year + days/year_days (the EU APRC's count)."},
    {"general_irr", general_irr, METH_VARARGS,
     "general_irr(amounts, wholes, nums, dens, tol) -> str, (hi, lo) or None: the unit-period "
     "rate of Regulation Z Appendix J's equation."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_kernel", NULL, -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__kernel(void) {
    set_factorials();
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL) return NULL;
    return PyModule_Create(&module);
}
