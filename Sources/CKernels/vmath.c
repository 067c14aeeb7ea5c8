// The public vector-math and row-kernel entry points: each forwards to the table of the path
// in use on the calling thread (see dispatch.c), so the header's functions
// keep one address and one contract whatever the CPU.
// Not handled: argument checking beyond n <= 0 / rows <= 0 (these are kernels; callers check).
#include "CKernels.h"
#include "internal.h"

/// The vector kernels of the calling thread's path.
static inline const te_vector_kernels *te_vector_path(void) { return te_path_in_use()->vector; }

// MARK: - Elementwise

void te_vexp(const float *x, float *y, long n) { if (n > 0) te_vector_path()->exp(x, y, n); }
void te_vtanh(const float *x, float *y, long n) { if (n > 0) te_vector_path()->tanh(x, y, n); }
void te_verf(const float *x, float *y, long n) { if (n > 0) te_vector_path()->erf(x, y, n); }
void te_vgelu_erf(const float *x, float *y, long n) { if (n > 0) te_vector_path()->gelu_erf(x, y, n); }
void te_vgelu_tanh(const float *x, float *y, long n) { if (n > 0) te_vector_path()->gelu_tanh(x, y, n); }

void te_vgelu_erf_backward(const float *x, const float *dy, float *dx, long n, int accumulate) {
    if (n > 0) te_vector_path()->gelu_erf_backward(x, dy, dx, n, accumulate);
}
void te_vgelu_tanh_backward(const float *x, const float *dy, float *dx, long n, int accumulate) {
    if (n > 0) te_vector_path()->gelu_tanh_backward(x, dy, dx, n, accumulate);
}
void te_vtanh_backward(const float *y, const float *dy, float *dx, long n, int accumulate) {
    if (n > 0) te_vector_path()->tanh_backward(y, dy, dx, n, accumulate);
}

// MARK: - BLAS level 1

float te_dot(const float *x, const float *y, long n) { return n > 0 ? te_vector_path()->dot(x, y, n) : 0.0f; }
void te_axpy(long n, float a, const float *x, float *y) { if (n > 0) te_vector_path()->axpy(n, a, x, y); }
void te_scale(long n, float a, const float *x, float *y) { if (n > 0) te_vector_path()->scale(n, a, x, y); }
void te_add(long n, const float *x, const float *y, float *z) { if (n > 0) te_vector_path()->add(n, x, y, z); }

// MARK: - Optimiser

void te_adamw(long n, float *p, float *m, float *v, const float *g, float decay, float beta1,
              float beta2, float step_size, float correction2_root, float eps) {
    if (n > 0) te_vector_path()->adamw(n, p, m, v, g, decay, beta1, beta2, step_size, correction2_root, eps);
}

// MARK: - Rows

void te_softmax_rows(const float *x, float *y, long rows, long cols) {
    if (rows > 0 && cols > 0) te_vector_path()->softmax_rows(x, y, rows, cols);
}
void te_softmax_rows_backward(const float *y, const float *dy, float *dx, long rows, long cols, int accumulate) {
    if (rows > 0 && cols > 0) te_vector_path()->softmax_rows_backward(y, dy, dx, rows, cols, accumulate);
}
void te_log_softmax_rows(const float *x, float *y, long rows, long cols) {
    if (rows > 0 && cols > 0) te_vector_path()->log_softmax_rows(x, y, rows, cols);
}
void te_log_softmax_rows_backward(const float *y, const float *dy, float *dx, long rows, long cols, int accumulate) {
    if (rows > 0 && cols > 0) te_vector_path()->log_softmax_rows_backward(y, dy, dx, rows, cols, accumulate);
}
void te_layernorm_rows(const float *x, const float *gamma, const float *beta, float *y,
                       float *mean, float *rstd, long rows, long cols, float eps) {
    if (rows > 0 && cols > 0) te_vector_path()->layernorm_rows(x, gamma, beta, y, mean, rstd, rows, cols, eps);
}
void te_layernorm_rows_backward(const float *x, const float *gamma, const float *mean,
                                const float *rstd, const float *dy, float *dx, float *dgamma,
                                float *dbeta, long rows, long cols, int accumulate) {
    if (rows > 0 && cols > 0)
        te_vector_path()->layernorm_rows_backward(x, gamma, mean, rstd, dy, dx, dgamma, dbeta, rows, cols, accumulate);
}
