// Portable SGEMM: plain C loops in an order the compiler can vectorise (i, p, j with a
// contiguous j), used where neither AVX2+FMA nor NEON is available, and as the comparison path
// in tests. Also a portable table of packing routines and a scalar 6x16 micro-kernel, so that
// the shared packed-B entry points (te_sgemm_pack_b, te_sgemm_prepacked) work on every path.
// Not handled: speed on the portable table (the vector paths replace it wherever they exist).
#include "CKernels.h"
#include <math.h>
#include "internal.h"

/// The packed layout of the portable table (the same tile as AVX2 and NEON).
#define PORTABLE_MR 6
#define PORTABLE_NR 16

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

// MARK: - The portable table (the packed layout of internal.h, one element at a time)

static void pack_a_portable(int trans_a, const float *a, long lda, long rows, long kc, float *packed) {
    for (long i0 = 0; i0 < rows; i0 += PORTABLE_MR) {
        float *panel = packed + i0 * kc;
        for (long p = 0; p < kc; p++) {
            for (long r = 0; r < PORTABLE_MR; r++) {
                long i = i0 + r;
                panel[p * PORTABLE_MR + r] = i < rows ? (trans_a ? a[p * lda + i] : a[i * lda + p]) : 0.0f;
            }
        }
    }
}

static void pack_b_portable(int trans_b, const float *b, long ldb, long kc, long cols, float *packed) {
    for (long j0 = 0; j0 < cols; j0 += PORTABLE_NR) {
        float *panel = packed + j0 * kc;
        for (long p = 0; p < kc; p++) {
            for (long jj = 0; jj < PORTABLE_NR; jj++) {
                long j = j0 + jj;
                panel[p * PORTABLE_NR + jj] = j < cols ? (trans_b ? b[j * ldb + p] : b[p * ldb + j]) : 0.0f;
            }
        }
    }
}

static void micro_kernel_portable(long kc, const float *a, const float *b, float *c, long ldc,
                                  float alpha, float beta, long rows, long cols) {
    for (long r = 0; r < rows; r++) {
        for (long j = 0; j < cols; j++) {
            float acc = 0.0f;
            for (long p = 0; p < kc; p++) acc = fmaf(a[p * PORTABLE_MR + r], b[p * PORTABLE_NR + j], acc);
            float *cij = c + r * ldc + j;
            *cij = beta == 0.0f ? alpha * acc : fmaf(acc, alpha, beta * *cij);
        }
    }
}

const te_gemm_kernels te_gemm_kernels_portable = {
    .mr = PORTABLE_MR,
    .nr = PORTABLE_NR,
    .mc = 144,
    .nc = 3072,
    .pack_a = pack_a_portable,
    .pack_b = pack_b_portable,
    .micro_kernel = micro_kernel_portable,
};
