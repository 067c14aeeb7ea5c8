// Vectorised exp, tanh, erf, the two GELU forms with their derivatives, and BLAS-1 helpers,
// written once in the vocabulary of simd_avx2.h / simd_neon.h and compiled by vmath_avx2.c and
// vmath_neon.c. Range reduction follows Cody & Waite (exp); the polynomials are our own fits
// (vmath_coefficients.h, from Scripts/fit-vmath-polynomials.py). Tails shorter than one vector
// go through the same vector code on a padded copy, so every element gets the same arithmetic.
// Not handled: denormal inputs beyond what IEEE arithmetic gives; FP exception flags.
#include "vmath_coefficients.h"
#include "adamw_one.h"

// MARK: - Scalar functions of one vector

/// exp(x): x = n ln2 + r with |r| <= ln2/2, exp(r) by a degree-6 polynomial, then 2^n applied
/// in two halves so results down to the subnormal range round once. x is clamped to
/// [-104, 88.8] first: below, exp is 0 in float; above, it overflows to +inf. NaN stays NaN.
TE_VFUNC vfloat te_exp_v(vfloat x) {
    x = v_min(v_set1(88.8f), v_max(v_set1(-104.0f), x));
    vfloat n = v_round(v_mul(x, v_set1(1.44269504089f)));
    vfloat r = v_fnma(n, v_set1(0.693145751953125f), x);  // ln2 high part: 11 significant bits
    r = v_fnma(n, v_set1(1.42860682030941723e-6f), r);   // ln2 - high part
    vfloat p = v_fma(v_set1(TE_EXP_C4), r, v_set1(TE_EXP_C3));
    p = v_fma(p, r, v_set1(TE_EXP_C2));
    p = v_fma(p, r, v_set1(TE_EXP_C1));
    p = v_fma(p, r, v_set1(TE_EXP_C0));
    vfloat e = v_add(v_set1(1.0f), v_fma(v_mul(r, r), p, r));  // 1 + (r + r² p)
    vfloat half = v_floor(v_mul(n, v_set1(0.5f)));
    return v_mul(v_mul(e, v_pow2i(half)), v_pow2i(v_sub(n, half)));
}

/// tanh(x): x + x³ P(x²) for |x| < 0.625, else sign(x) (1 - 2 / (exp(2|x|) + 1)).
TE_VFUNC vfloat te_tanh_v(vfloat x) {
    vfloat ax = v_abs(x);
    vfloat s = v_mul(x, x);
    vfloat p = v_fma(v_set1(TE_TANH_C4), s, v_set1(TE_TANH_C3));
    p = v_fma(p, s, v_set1(TE_TANH_C2));
    p = v_fma(p, s, v_set1(TE_TANH_C1));
    p = v_fma(p, s, v_set1(TE_TANH_C0));
    vfloat small = v_fma(v_mul(x, s), p, x);
    vfloat e = te_exp_v(v_add(ax, ax));
    vfloat large = v_sub(v_set1(1.0f), v_div(v_set1(2.0f), v_add(e, v_set1(1.0f))));
    return v_select(v_less(ax, v_set1(0.625f)), small, v_copysign(large, x));
}

/// erf(z) for |z| < TE_ERF_SPLIT: z (2/√π + z² P(z²)), with s = z².
TE_VFUNC vfloat te_erf_small_v(vfloat z, vfloat s) {
    vfloat p = v_fma(v_set1(TE_ERF_SMALL_C5), s, v_set1(TE_ERF_SMALL_C4));
    p = v_fma(p, s, v_set1(TE_ERF_SMALL_C3));
    p = v_fma(p, s, v_set1(TE_ERF_SMALL_C2));
    p = v_fma(p, s, v_set1(TE_ERF_SMALL_C1));
    p = v_fma(p, s, v_set1(TE_ERF_SMALL_C0));
    // z (2/√π + s p), with 2/√π as a float pair so its rounding does not reach the result.
    vfloat tail = v_mul(z, v_fma(s, p, v_set1(TE_TWO_OVER_SQRT_PI_LO)));
    return v_fma(z, v_set1(TE_TWO_OVER_SQRT_PI_HI), tail);
}

/// erfc(|z|) for |z| >= TE_ERF_SPLIT: exp(-z²) Q(1 / (1 + |z|/2)). The caller passes z² as
/// s + s_low exactly (s_low = the rounding error of s), so that the factor
/// exp(-z²) = exp(-s) (1 - s_low) keeps its relative accuracy even where z² is large.
TE_VFUNC vfloat te_erfc_large_v(vfloat z, vfloat s, vfloat s_low) {
    vfloat t = v_div(v_set1(1.0f), v_fma(v_abs(z), v_set1(0.5f), v_set1(1.0f)));
    vfloat q = v_fma(v_set1(TE_ERFC_C9), t, v_set1(TE_ERFC_C8));
    q = v_fma(q, t, v_set1(TE_ERFC_C7));
    q = v_fma(q, t, v_set1(TE_ERFC_C6));
    q = v_fma(q, t, v_set1(TE_ERFC_C5));
    q = v_fma(q, t, v_set1(TE_ERFC_C4));
    q = v_fma(q, t, v_set1(TE_ERFC_C3));
    q = v_fma(q, t, v_set1(TE_ERFC_C2));
    q = v_fma(q, t, v_set1(TE_ERFC_C1));
    q = v_fma(q, t, v_set1(TE_ERFC_C0));
    vfloat e = te_exp_v(v_sub(v_set1(0.0f), s));
    return v_mul(v_fnma(e, s_low, e), q);
}

/// erf(z) = the small form below TE_ERF_SPLIT, else sign(z) (1 - erfc(|z|)). Each lane takes the
/// same arithmetic whatever its neighbours; a vector whose lanes are all on one side computes
/// only that side (the other half of the work, and its division and exp, are skipped).
TE_VFUNC vfloat te_erf_v(vfloat z) {
    vfloat s = v_mul(z, z);
    vfloat s_low = v_fma(z, z, v_sub(v_set1(0.0f), s));
    vmask small_lanes = v_less(v_abs(z), v_set1(TE_ERF_SPLIT));
    if (v_all(small_lanes)) return te_erf_small_v(z, s);
    vfloat large = v_copysign(v_sub(v_set1(1.0f), te_erfc_large_v(z, s, s_low)), z);
    if (v_none(small_lanes)) return large;
    return v_select(small_lanes, te_erf_small_v(z, s), large);
}

/// Φ(x) = (1 + erf(x / √2)) / 2, computed as erfc(|z|) / 2 for z = x/√2 <= -TE_ERF_SPLIT, so
/// the lower tail keeps its relative accuracy (no 1 - (1 - tiny)); z² = x²/2 is formed from x.
/// As in te_erf_v, a vector entirely on one side of the split computes that side only.
TE_VFUNC vfloat te_normal_cdf_v(vfloat x) {
    vfloat z = v_mul(x, v_set1(0.70710678118654752f));
    vfloat x2 = v_mul(x, x);
    vfloat s = v_mul(v_set1(0.5f), x2);
    vmask small_lanes = v_less(v_abs(z), v_set1(TE_ERF_SPLIT));
    if (v_all(small_lanes)) return v_mul(v_set1(0.5f), v_add(v_set1(1.0f), te_erf_small_v(z, s)));
    vfloat s_low = v_mul(v_set1(0.5f), v_fma(x, x, v_sub(v_set1(0.0f), x2)));
    vfloat erfc_large = te_erfc_large_v(z, s, s_low);
    vfloat tail = v_select(v_greater_equal(z, v_set1(0.0f)), v_sub(v_set1(2.0f), erfc_large), erfc_large);
    vfloat one_plus_erf = v_none(small_lanes) ? tail : v_select(small_lanes, v_add(v_set1(1.0f), te_erf_small_v(z, s)), tail);
    return v_mul(v_set1(0.5f), one_plus_erf);
}

/// The logistic σ(2u) of the tanh-form GELU, where u = √(2/π) (x + 0.044715 x³), with e^(-2u)
/// kept (clamped so that it stays finite); 0.5 (1 + tanh u) = σ(2u) = 1 / (1 + e^(-2u)).
TE_VFUNC vfloat te_gelu_tanh_sigmoid(vfloat x, vfloat *e_minus_2u) {
    vfloat x3 = v_mul(v_mul(x, x), x);
    vfloat u = v_mul(v_set1(0.79788456080286536f), v_fma(v_set1(0.044715f), x3, x));
    vfloat e = te_exp_v(v_min(v_set1(88.0f), v_mul(v_set1(-2.0f), u)));
    *e_minus_2u = e;
    return v_div(v_set1(1.0f), v_add(v_set1(1.0f), e));
}

/// dx = g (overwrite) or dx += g (accumulate).
TE_VFUNC void te_store_gradient(float *dx, vfloat g, int accumulate) {
    v_store(dx, accumulate ? v_add(v_load(dx), g) : g);
}

// MARK: - Elementwise maps over arrays

// Applies vfloat F(vfloat) to n floats of x into y (y may alias x); the tail uses a padded vector.
#define TE_MAP(F, x, y, n)                                                               \
    do {                                                                                 \
        long i_ = 0;                                                                     \
        for (; i_ + TE_LANES <= (n); i_ += TE_LANES) v_store((y) + i_, F(v_load((x) + i_))); \
        if (i_ < (n)) v_store_partial((y) + i_, F(v_load_partial((x) + i_, (n) - i_, 0.0f)), (n) - i_); \
    } while (0)

TE_VFUNC vfloat te_gelu_erf_v(vfloat x) { return v_mul(x, te_normal_cdf_v(x)); }
TE_VFUNC vfloat te_gelu_tanh_v(vfloat x) {
    vfloat e;
    return v_mul(x, te_gelu_tanh_sigmoid(x, &e));
}

TE_VFUNC void TE_PATH_SUFFIX(vexp)(const float *x, float *y, long n) { TE_MAP(te_exp_v, x, y, n); }
TE_VFUNC void TE_PATH_SUFFIX(vtanh)(const float *x, float *y, long n) { TE_MAP(te_tanh_v, x, y, n); }
TE_VFUNC void TE_PATH_SUFFIX(verf)(const float *x, float *y, long n) { TE_MAP(te_erf_v, x, y, n); }
TE_VFUNC void TE_PATH_SUFFIX(vgelu_erf)(const float *x, float *y, long n) { TE_MAP(te_gelu_erf_v, x, y, n); }
TE_VFUNC void TE_PATH_SUFFIX(vgelu_tanh)(const float *x, float *y, long n) { TE_MAP(te_gelu_tanh_v, x, y, n); }

// Backward maps read x (or y) and dy, and write or add into dx; the tail goes through a padded
// copy of all three.
#define TE_MAP_BACKWARD(G, x, dy, dx, n, accumulate)                                     \
    do {                                                                                 \
        long i_ = 0;                                                                     \
        for (; i_ + TE_LANES <= (n); i_ += TE_LANES)                                     \
            te_store_gradient((dx) + i_, G(v_load((x) + i_), v_load((dy) + i_)), accumulate); \
        if (i_ < (n)) {                                                                  \
            long rest_ = (n) - i_;                                                       \
            float lanes_[TE_LANES] = {0};                                                \
            if (accumulate) memcpy(lanes_, (dx) + i_, (size_t)rest_ * sizeof(float));     \
            vfloat g_ = G(v_load_partial((x) + i_, rest_, 0.0f), v_load_partial((dy) + i_, rest_, 0.0f)); \
            te_store_gradient(lanes_, g_, accumulate);                                   \
            memcpy((dx) + i_, lanes_, (size_t)rest_ * sizeof(float));                    \
        }                                                                                \
    } while (0)

/// dy · (Φ(x) + x φ(x)), φ(x) = exp(-x²/2) / √(2π).
TE_VFUNC vfloat te_gelu_erf_grad_v(vfloat x, vfloat dy) {
    vfloat pdf = v_mul(v_set1(0.39894228040143268f), te_exp_v(v_mul(v_set1(-0.5f), v_mul(x, x))));
    return v_mul(dy, v_fma(x, pdf, te_normal_cdf_v(x)));
}

/// dy · (s + 2 x s (1 - s) u'), s = σ(2u), 1 - s = e^(-2u) s, u' = √(2/π) (1 + 3·0.044715 x²).
TE_VFUNC vfloat te_gelu_tanh_grad_v(vfloat x, vfloat dy) {
    vfloat e;
    vfloat s = te_gelu_tanh_sigmoid(x, &e);
    vfloat du = v_mul(v_set1(0.79788456080286536f), v_fma(v_set1(3.0f * 0.044715f), v_mul(x, x), v_set1(1.0f)));
    vfloat slope = v_mul(v_mul(v_add(x, x), s), v_mul(v_mul(e, s), du));
    return v_mul(dy, v_add(s, slope));
}

/// dy · (1 - y²) from the forward output y = tanh(x).
TE_VFUNC vfloat te_tanh_grad_v(vfloat y, vfloat dy) { return v_mul(dy, v_fnma(y, y, v_set1(1.0f))); }

TE_VFUNC void TE_PATH_SUFFIX(vgelu_erf_backward)(const float *x, const float *dy, float *dx, long n, int accumulate) {
    TE_MAP_BACKWARD(te_gelu_erf_grad_v, x, dy, dx, n, accumulate);
}
TE_VFUNC void TE_PATH_SUFFIX(vgelu_tanh_backward)(const float *x, const float *dy, float *dx, long n, int accumulate) {
    TE_MAP_BACKWARD(te_gelu_tanh_grad_v, x, dy, dx, n, accumulate);
}
TE_VFUNC void TE_PATH_SUFFIX(vtanh_backward)(const float *y, const float *dy, float *dx, long n, int accumulate) {
    TE_MAP_BACKWARD(te_tanh_grad_v, y, dy, dx, n, accumulate);
}

// MARK: - BLAS level 1

/// Σ x[i] y[i] with four vector accumulators (lane j of accumulator a sums the elements
/// i ≡ a·LANES + j mod 4·LANES), combined as (a0 + a1) + (a2 + a3), then across lanes.
TE_VFUNC float TE_PATH_SUFFIX(dot)(const float *x, const float *y, long n) {
    vfloat s0 = v_set1(0.0f), s1 = s0, s2 = s0, s3 = s0;
    long i = 0;
    for (; i + 4 * TE_LANES <= n; i += 4 * TE_LANES) {
        s0 = v_fma(v_load(x + i), v_load(y + i), s0);
        s1 = v_fma(v_load(x + i + TE_LANES), v_load(y + i + TE_LANES), s1);
        s2 = v_fma(v_load(x + i + 2 * TE_LANES), v_load(y + i + 2 * TE_LANES), s2);
        s3 = v_fma(v_load(x + i + 3 * TE_LANES), v_load(y + i + 3 * TE_LANES), s3);
    }
    for (; i + TE_LANES <= n; i += TE_LANES) s0 = v_fma(v_load(x + i), v_load(y + i), s0);
    if (i < n) s1 = v_fma(v_load_partial(x + i, n - i, 0.0f), v_load_partial(y + i, n - i, 0.0f), s1);
    return v_hsum(v_add(v_add(s0, s1), v_add(s2, s3)));
}

TE_VFUNC void TE_PATH_SUFFIX(axpy)(long n, float a, const float *x, float *y) {
    vfloat va = v_set1(a);
    long i = 0;
    for (; i + TE_LANES <= n; i += TE_LANES) v_store(y + i, v_fma(va, v_load(x + i), v_load(y + i)));
    for (; i < n; i++) y[i] = fmaf(a, x[i], y[i]);
}

TE_VFUNC void TE_PATH_SUFFIX(scale)(long n, float a, const float *x, float *y) {
    vfloat va = v_set1(a);
    long i = 0;
    for (; i + TE_LANES <= n; i += TE_LANES) v_store(y + i, v_mul(va, v_load(x + i)));
    for (; i < n; i++) y[i] = a * x[i];
}

TE_VFUNC void TE_PATH_SUFFIX(adamw)(long n, float *p, float *m, float *v, const float *g, float decay,
                                    float beta1, float beta2, float step_size, float correction2_root,
                                    float eps) {
    vfloat keep1 = v_set1(1.0f - beta1), b2 = v_set1(beta2), keep2 = v_set1(1.0f - beta2);
    vfloat vdecay = v_set1(decay), vstep = v_set1(step_size), c2 = v_set1(correction2_root), veps = v_set1(eps);
    long i = 0;
    for (; i + TE_LANES <= n; i += TE_LANES) {
        vfloat gi = v_load(g + i);
        vfloat first = v_add(v_load(m + i), v_mul(keep1, v_sub(gi, v_load(m + i))));
        vfloat second = v_add(v_mul(b2, v_load(v + i)), v_mul(v_mul(keep2, gi), gi));
        vfloat denominator = v_add(v_div(v_sqrt(second), c2), veps);
        vfloat decayed = v_mul(v_load(p + i), vdecay);
        v_store(m + i, first);
        v_store(v + i, second);
        v_store(p + i, v_sub(decayed, v_div(v_mul(vstep, first), denominator)));
    }
    for (; i < n; i++) te_adamw_one(p + i, m + i, v + i, g[i], decay, beta1, beta2, step_size, correction2_root, eps);
}

TE_VFUNC void TE_PATH_SUFFIX(add)(long n, const float *x, const float *y, float *z) {
    long i = 0;
    for (; i + TE_LANES <= n; i += TE_LANES) v_store(z + i, v_add(v_load(x + i), v_load(y + i)));
    for (; i < n; i++) z[i] = x[i] + y[i];
}
