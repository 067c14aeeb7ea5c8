// SGEMM entry point: scales C by beta, then hands the product to the path chosen at run time.
// Not handled: threads (the Swift caller splits C into blocks, one per thread).
#include "CKernels.h"
#include "internal.h"

void te_sgemm(int trans_a, int trans_b, long m, long n, long k, float alpha,
              const float *a, long lda, const float *b, long ldb, float beta,
              float *c, long ldc) {
    if (m <= 0 || n <= 0) return;
    te_sgemm_portable(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
