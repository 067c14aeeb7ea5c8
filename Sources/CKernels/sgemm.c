// SGEMM entry point: handles the degenerate cases (empty C, k == 0, alpha == 0: C = beta * C),
// then hands the product to the path chosen at run time: AVX2+FMA or NEON through the packed,
// blocked driver (with a no-packing path for small products on AVX2), portable C otherwise.
// Not handled: threads (the Swift caller splits C into blocks, one per thread).
#include "CKernels.h"
#include "internal.h"

/// C = beta * C, without reading C when beta == 0.
static void scale_c(long m, long n, float beta, float *c, long ldc) {
    for (long i = 0; i < m; i++) {
        float *row = c + i * ldc;
        if (beta == 0.0f) {
            for (long j = 0; j < n; j++) row[j] = 0.0f;
        } else if (beta != 1.0f) {
            for (long j = 0; j < n; j++) row[j] *= beta;
        }
    }
}

void te_sgemm(int trans_a, int trans_b, long m, long n, long k, float alpha,
              const float *a, long lda, const float *b, long ldb, float beta,
              float *c, long ldc) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0 || alpha == 0.0f) {
        scale_c(m, n, beta, c, ldc);
        return;
    }
    switch (te_kernel_path()) {
#if defined(__x86_64__) || defined(_M_X64)
    case TE_PATH_AVX2:
        if (te_sgemm_small_fits(trans_b, m, n, k)) {
            te_sgemm_small_avx2(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        te_sgemm_blocked(&te_gemm_kernels_avx2, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb,
                         beta, c, ldc);
        return;
#endif
#if defined(__aarch64__)
    case TE_PATH_NEON:
        te_sgemm_blocked(&te_gemm_kernels_neon, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb,
                         beta, c, ldc);
        return;
#endif
    default:
        te_sgemm_portable(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
}
