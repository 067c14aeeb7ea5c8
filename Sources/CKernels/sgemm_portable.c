// Portable SGEMM: plain C loops in an order the compiler can vectorise (i, p, j with a
// contiguous j), used where neither AVX2+FMA nor NEON is available, and as the comparison path
// in tests. Not handled: packing and cache blocking (the fast paths do that).
#include "CKernels.h"
#include "internal.h"

void te_sgemm_portable(int trans_a, int trans_b, long m, long n, long k, float alpha,
                       const float *a, long lda, const float *b, long ldb, float beta,
                       float *c, long ldc) {
    for (long i = 0; i < m; i++) {
        float *crow = c + i * ldc;
        if (beta == 0.0f) {
            for (long j = 0; j < n; j++) crow[j] = 0.0f;
        } else if (beta != 1.0f) {
            for (long j = 0; j < n; j++) crow[j] *= beta;
        }
        for (long p = 0; p < k; p++) {
            float aip = trans_a ? a[p * lda + i] : a[i * lda + p];
            aip *= alpha;
            if (trans_b) {
                for (long j = 0; j < n; j++) crow[j] += aip * b[j * ldb + p];
            } else {
                const float *brow = b + p * ldb;
                for (long j = 0; j < n; j++) crow[j] += aip * brow[j];
            }
        }
    }
}
