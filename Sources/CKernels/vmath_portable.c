// Portable vector math over libm: exp, tanh, the two GELU forms and their derivatives, dot and
// axpy. The AVX2/NEON versions replace these where available and must agree with them.
// Not handled: denormal flushing; inputs are expected to be finite.
#include <math.h>
#include "CKernels.h"
#include "internal.h"

void te_vexp(const float *x, float *y, long n) {
    for (long i = 0; i < n; i++) y[i] = expf(x[i]);
}

void te_vtanh(const float *x, float *y, long n) {
    for (long i = 0; i < n; i++) y[i] = tanhf(x[i]);
}

static const float kInvSqrt2 = 0.70710678118654752f;
static const float kInvSqrt2Pi = 0.39894228040143268f;
static const float kSqrt2OverPi = 0.79788456080286536f;

void te_vgelu_erf(const float *x, float *y, long n) {
    for (long i = 0; i < n; i++) {
        float v = x[i];
        y[i] = 0.5f * v * (1.0f + erff(v * kInvSqrt2));
    }
}

void te_vgelu_tanh(const float *x, float *y, long n) {
    for (long i = 0; i < n; i++) {
        float v = x[i];
        y[i] = 0.5f * v * (1.0f + tanhf(kSqrt2OverPi * (v + 0.044715f * v * v * v)));
    }
}

void te_vgelu_erf_backward(const float *x, const float *dy, float *dx, long n, int accumulate) {
    for (long i = 0; i < n; i++) {
        float v = x[i];
        // d/dx [x Φ(x)] = Φ(x) + x φ(x)
        float cdf = 0.5f * (1.0f + erff(v * kInvSqrt2));
        float pdf = kInvSqrt2Pi * expf(-0.5f * v * v);
        float g = dy[i] * (cdf + v * pdf);
        dx[i] = accumulate ? dx[i] + g : g;
    }
}

void te_vgelu_tanh_backward(const float *x, const float *dy, float *dx, long n, int accumulate) {
    for (long i = 0; i < n; i++) {
        float v = x[i];
        float u = kSqrt2OverPi * (v + 0.044715f * v * v * v);
        float t = tanhf(u);
        float du = kSqrt2OverPi * (1.0f + 3.0f * 0.044715f * v * v);
        float g = dy[i] * (0.5f * (1.0f + t) + 0.5f * v * (1.0f - t * t) * du);
        dx[i] = accumulate ? dx[i] + g : g;
    }
}

float te_dot(const float *x, const float *y, long n) {
    float s = 0.0f;
    for (long i = 0; i < n; i++) s += x[i] * y[i];
    return s;
}

void te_axpy(long n, float a, const float *x, float *y) {
    for (long i = 0; i < n; i++) y[i] += a * x[i];
}
