// SGEMM entry point: handles the degenerate cases (empty C, k == 0, alpha == 0: C = beta * C),
// then hands the product to the calling thread's path (dispatch.c): its product without packing
// when the path has one and the product fits it, else the packed, blocked driver over its pieces.
// Not handled: threads (the Swift caller splits C into blocks, one per thread).
#include "CKernels.h"
#include "internal.h"

void te_sgemm(int trans_a, int trans_b, long m, long n, long k, float alpha,
              const float *a, long lda, const float *b, long ldb, float beta,
              float *c, long ldc) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0 || alpha == 0.0f) {
        te_scale_c(m, n, beta, c, ldc);
        return;
    }
    const te_path *path = te_path_in_use();
    if (path->sgemm_direct && path->sgemm_direct_fits(trans_b, m, n, k)) {
        path->sgemm_direct(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
    te_sgemm_blocked(path->gemm, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
