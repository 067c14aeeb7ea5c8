// CKernels: the only C in TinyEncoder. Hot inner loops that Swift cannot vectorise without
// compiler flags (FMA/AVX2): SGEMM micro-kernels with packing, and vector exp/tanh/GELU, dot, axpy.
// Each fast function has a readable Swift reference in TensorCore, and tests check they agree.
// Dispatch: x86-64 chooses the AVX2+FMA path at run time (cpuid), arm64 uses NEON, others a
// portable path. Not handled: threading (the Swift caller splits the work), double precision.
#ifndef TINYENCODER_CKERNELS_H
#define TINYENCODER_CKERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - Dispatch

/// Which implementation runs: 0 = portable C, 1 = AVX2+FMA (x86-64), 2 = NEON (arm64).
int te_kernel_path(void);
/// A short name for the path in use: "portable", "avx2-fma" or "neon".
const char *te_kernel_path_name(void);
/// Force the portable path (1) or return to the detected path (0). For tests that compare paths.
void te_force_portable(int enabled);

// MARK: - SGEMM

/// C = alpha * op(A) * op(B) + beta * C, row-major, single-threaded.
/// op(A) is [m, k]: A is stored [m, k] (lda >= k) or, when trans_a, [k, m] (lda >= m).
/// op(B) is [k, n]: B is stored [k, n] (ldb >= n) or, when trans_b, [n, k] (ldb >= k).
/// C is [m, n] with ldc >= n. When beta == 0, C is not read (NaNs in C do not propagate).
void te_sgemm(int trans_a, int trans_b, long m, long n, long k, float alpha,
              const float *a, long lda, const float *b, long ldb, float beta,
              float *c, long ldc);

// MARK: - Vector math (y may alias x)

/// y[i] = exp(x[i]); relative error below 2e-7 on [-87, 88]; clamps outside.
void te_vexp(const float *x, float *y, long n);
/// y[i] = tanh(x[i]).
void te_vtanh(const float *x, float *y, long n);
/// y[i] = x[i] * Φ(x[i]) with the exact erf form: 0.5 x (1 + erf(x / √2)).
void te_vgelu_erf(const float *x, float *y, long n);
/// y[i] = 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))).
void te_vgelu_tanh(const float *x, float *y, long n);
/// dx[i] = dy[i] * GELU'(x[i]) for the erf form (accumulate == 1 adds into dx instead).
void te_vgelu_erf_backward(const float *x, const float *dy, float *dx, long n, int accumulate);
/// dx[i] = dy[i] * GELU'(x[i]) for the tanh form (accumulate == 1 adds into dx instead).
void te_vgelu_tanh_backward(const float *x, const float *dy, float *dx, long n, int accumulate);

// MARK: - BLAS level 1

/// Σ x[i] * y[i], accumulated in float with a fixed order per path.
float te_dot(const float *x, const float *y, long n);
/// y[i] += a * x[i].
void te_axpy(long n, float a, const float *x, float *y);

#ifdef __cplusplus
}
#endif

#endif
