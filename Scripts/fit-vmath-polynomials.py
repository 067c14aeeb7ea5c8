#!/usr/bin/env python3
"""Fits the polynomial coefficients used by CKernels' vector math (vmath_*.c).

Each fit is a near-minimax polynomial found by Lawson's algorithm (iteratively reweighted least
squares on a dense Chebyshev grid, which converges to the minimax fit), with a relative- or
absolute-error weight as noted. Targets come from mpmath at 50 digits. The script prints the
coefficients as C float literals and the fit error in float64; the real float32 error of the
kernels is checked against libm in Tests/TensorCoreTests/VectorMath*Tests.swift.

usage: python3 Scripts/fit-vmath-polynomials.py [ERFC_TERMS [ERF_SPLIT]]   (needs numpy, mpmath;
       the build never runs it). The defaults (10 terms, split at 1.0) are what vmath_template.h uses.
Not handled: a true Remez exchange (Lawson is close enough for float32 targets).
"""
import numpy as np
import mpmath

mpmath.mp.dps = 50
import sys
ERFC_TERMS = int(sys.argv[1]) if len(sys.argv) > 1 else 10
ERF_SPLIT = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0


def lawson(xs, basis, target, weight, iterations=400):
    """Coefficients c minimising max |weight * (basis(xs) @ c - target)| (Lawson 1961)."""
    design = np.stack([b(xs) for b in basis], axis=1)
    lawson_weights = np.full(len(xs), 1.0 / len(xs))
    for _ in range(iterations):
        root = np.sqrt(lawson_weights) * weight
        coefficients, *_ = np.linalg.lstsq(design * root[:, None], target * root, rcond=None)
        error = np.abs(weight * (design @ coefficients - target))
        lawson_weights *= error
        lawson_weights /= lawson_weights.sum()
    return coefficients, error.max()


def grid(low, high, count=4000):
    """Chebyshev points of the second kind mapped to [low, high]."""
    return 0.5 * (low + high) + 0.5 * (high - low) * np.cos(np.linspace(np.pi, 0, count))


def mp_array(function, xs):
    return np.array([float(function(mpmath.mpf(float(x)))) for x in xs])


def show(name, coefficients, error, note):
    print(f"// {name}: {note}; fit error {error:.2e}")
    for index, c in enumerate(coefficients):
        print(f"#define {name}_C{index} {np.float32(c).item():.9e}f")
    print()


# exp(r) on |r| <= ln2/2 after x = n ln2 + r: exp(r) = 1 + r + r^2 (c0 + c1 r + ... + c4 r^4),
# fitted for the relative error of exp(r).
half_ln2 = float(mpmath.log(2)) / 2
r = grid(-half_ln2, half_ln2)
r = r[np.abs(r) > 1e-4]
g = mp_array(lambda v: (mpmath.exp(v) - 1 - v) / v**2, r)
coefficients, error = lawson(r, [lambda v, i=i: v**i for i in range(5)], g,
                             r**2 / mp_array(mpmath.exp, r))
show("TE_EXP", coefficients, error, "exp(r) = 1 + r + r^2 * poly(r), |r| <= ln2/2, relative")

# tanh(x) on |x| <= 0.625: tanh(x) = x + x^3 * poly(x^2), relative error.
x = grid(1e-3, 0.625)
s = x**2
target = mp_array(lambda v: (mpmath.tanh(v) - v) / v**3, x)
coefficients, error = lawson(s, [lambda v, i=i: v**i for i in range(5)], target,
                             x**3 / mp_array(mpmath.tanh, x))
show("TE_TANH", coefficients, error, "tanh(x) = x + x^3 * poly(x^2), |x| <= 0.625, relative")

# erf(x) on |x| <= ERF_SPLIT: erf(x) = x * (2/sqrt(pi) + x^2 * poly(x^2)), relative error. The
# leading constant is kept exact in the kernel as a float pair (TE_TWO_OVER_SQRT_PI_HI/LO).
x = grid(1e-3, ERF_SPLIT)
s = x**2
two_over_sqrt_pi = 2 / mpmath.sqrt(mpmath.pi)
target = mp_array(lambda v: (mpmath.erf(v) / v - two_over_sqrt_pi) / v**2, x)
coefficients, error = lawson(s, [lambda v, i=i: v**i for i in range(6)], target,
                             x**3 / mp_array(mpmath.erf, x))
show("TE_ERF_SMALL", coefficients, error,
     f"erf(x) = x (2/sqrt(pi) + x^2 * poly(x^2)), |x| <= {ERF_SPLIT}, relative")
print(f"#define TE_ERF_SPLIT {ERF_SPLIT}f")
high = np.float32(float(two_over_sqrt_pi))
print(f"#define TE_TWO_OVER_SQRT_PI_HI {high.item():.9e}f")
print(f"#define TE_TWO_OVER_SQRT_PI_LO {np.float32(float(two_over_sqrt_pi - mpmath.mpf(float(high)))).item():.9e}f")
print()

# erfc(x) on ERF_SPLIT <= x <= 10: erfc(x) = exp(-x^2) * poly(t), t = 1 / (1 + x / 2) in [1/6, 8/11],
# relative error of erfc (so that the GELU's lower tail 0.5 x erfc(-x/√2) stays accurate too).
x = grid(ERF_SPLIT, 10.0)
t = 1.0 / (1.0 + 0.5 * x)
scaled = mp_array(lambda v: mpmath.erfc(v) * mpmath.exp(v * v), x)
coefficients, error = lawson(t, [lambda v, i=i: v**i for i in range(ERFC_TERMS)], scaled, 1.0 / scaled)
show("TE_ERFC", coefficients, error,
     f"erfc(x) = exp(-x^2) * poly(1 / (1 + x/2)), {ERF_SPLIT} <= x <= 10, relative")
