// Portable vector math over libm: exp, tanh, erf, the two GELU forms and their derivatives, and
// BLAS-1 helpers, in plain C. It runs where neither AVX2+FMA nor NEON is available, and it is the
// independent comparison path in tests (te_force_portable). The row kernels are in rows_portable.c.
// Not handled: denormal flushing; inputs are expected to be finite.
#include <math.h>
#include "CKernels.h"
#include "internal.h"
#include "adamw_one.h"

static const float kInvSqrt2 = 0.70710678118654752f;
static const float kInvSqrt2Pi = 0.39894228040143268f;
static const float kSqrt2OverPi = 0.79788456080286536f;

// MARK: - Elementwise

static void vexp_portable(const float *x, float *y, long n) {
    for (long i = 0; i < n; i++) y[i] = expf(x[i]);
}

static void vtanh_portable(const float *x, float *y, long n) {
    for (long i = 0; i < n; i++) y[i] = tanhf(x[i]);
}

static void verf_portable(const float *x, float *y, long n) {
    for (long i = 0; i < n; i++) y[i] = erff(x[i]);
}

/// Φ(x) = (1 + erf(x/√2)) / 2, through erfc for the lower tail (no 1 - (1 - tiny)).
static float normal_cdf(float x) {
    return x < 0.0f ? 0.5f * erfcf(-x * kInvSqrt2) : 0.5f * (1.0f + erff(x * kInvSqrt2));
}

static void vgelu_erf_portable(const float *x, float *y, long n) {
    for (long i = 0; i < n; i++) y[i] = x[i] * normal_cdf(x[i]);
}

/// σ(2u) = 0.5 (1 + tanh u) for the tanh-form GELU, u = √(2/π)(x + 0.044715 x³), with
/// e^(-2u) (clamped to stay finite): written as a logistic so that 1 + tanh u does not cancel.
static float gelu_tanh_sigmoid(float x, float *e_minus_2u) {
    float u = kSqrt2OverPi * (x + 0.044715f * x * x * x);
    float e = expf(fminf(-2.0f * u, 88.0f));
    *e_minus_2u = e;
    return 1.0f / (1.0f + e);
}

static void vgelu_tanh_portable(const float *x, float *y, long n) {
    for (long i = 0; i < n; i++) {
        float e;
        y[i] = x[i] * gelu_tanh_sigmoid(x[i], &e);
    }
}

static void vgelu_erf_backward_portable(const float *x, const float *dy, float *dx, long n, int accumulate) {
    for (long i = 0; i < n; i++) {
        float v = x[i];
        // d/dx [x Φ(x)] = Φ(x) + x φ(x)
        float pdf = kInvSqrt2Pi * expf(-0.5f * v * v);
        float g = dy[i] * (normal_cdf(v) + v * pdf);
        dx[i] = accumulate ? dx[i] + g : g;
    }
}

static void vgelu_tanh_backward_portable(const float *x, const float *dy, float *dx, long n, int accumulate) {
    for (long i = 0; i < n; i++) {
        float v = x[i], e;
        // d/dx [x σ(2u)] = σ + 2 x σ (1 - σ) u', with 1 - σ = e^(-2u) σ.
        float s = gelu_tanh_sigmoid(v, &e);
        float du = kSqrt2OverPi * (1.0f + 3.0f * 0.044715f * v * v);
        float g = dy[i] * (s + 2.0f * v * s * (e * s) * du);
        dx[i] = accumulate ? dx[i] + g : g;
    }
}

static void vtanh_backward_portable(const float *y, const float *dy, float *dx, long n, int accumulate) {
    for (long i = 0; i < n; i++) {
        float g = dy[i] * (1.0f - y[i] * y[i]);
        dx[i] = accumulate ? dx[i] + g : g;
    }
}

// MARK: - BLAS level 1

static float dot_portable(const float *x, const float *y, long n) {
    float s = 0.0f;
    for (long i = 0; i < n; i++) s += x[i] * y[i];
    return s;
}

static void axpy_portable(long n, float a, const float *x, float *y) {
    for (long i = 0; i < n; i++) y[i] += a * x[i];
}

static void scale_portable(long n, float a, const float *x, float *y) {
    for (long i = 0; i < n; i++) y[i] = a * x[i];
}

static void adamw_portable(long n, float *p, float *m, float *v, const float *g, float decay, float beta1,
                           float beta2, float step_size, float correction2_root, float eps) {
    for (long i = 0; i < n; i++) te_adamw_one(p + i, m + i, v + i, g[i], decay, beta1, beta2, step_size, correction2_root, eps);
}

static void add_portable(long n, const float *x, const float *y, float *z) {
    for (long i = 0; i < n; i++) z[i] = x[i] + y[i];
}

// MARK: - The path's table

const te_vector_kernels te_vector_kernels_portable = {
    .exp = vexp_portable,
    .tanh = vtanh_portable,
    .erf = verf_portable,
    .gelu_erf = vgelu_erf_portable,
    .gelu_tanh = vgelu_tanh_portable,
    .gelu_erf_backward = vgelu_erf_backward_portable,
    .gelu_tanh_backward = vgelu_tanh_backward_portable,
    .tanh_backward = vtanh_backward_portable,
    .dot = dot_portable,
    .axpy = axpy_portable,
    .scale = scale_portable,
    .add = add_portable,
    .adamw = adamw_portable,
    .softmax_rows = te_softmax_rows_portable,
    .softmax_rows_backward = te_softmax_rows_backward_portable,
    .log_softmax_rows = te_log_softmax_rows_portable,
    .log_softmax_rows_backward = te_log_softmax_rows_backward_portable,
    .layernorm_rows = te_layernorm_rows_portable,
    .layernorm_rows_backward = te_layernorm_rows_backward_portable,
};
