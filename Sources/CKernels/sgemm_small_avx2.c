// Direct SGEMM for small products on AVX2+FMA: no packing of A (read in place through its two
// strides, one broadcast per element), op(B) read in place when B is not transposed (or packed
// into 16-column panels on the stack, by the blocked path's packer, when it is). Tiles are 4 rows x 16 columns (8 ymm
// accumulators), with masked loads at the column edge. For tiny and thin products the packing of
// the blocked path costs more than the arithmetic; here there is none.
// Each element of C gets exactly the blocked path's arithmetic: an FMA chain over p within the
// same K blocks, then alpha * acc + beta * C. So choosing this path never changes a result bit.
// Not handled: large products (te_sgemm sends those to the blocked driver).
#if defined(__x86_64__) || defined(_M_X64)
#include <math.h>
#include "CKernels.h"
#include "internal.h"
#include "avx2_util.h"

/// The largest op(B) (k x n floats) that the transposed-B case copies onto the stack.
#define TE_SMALL_B_FLOATS 4096

/// Lane masks for the first `count` (0..8) lanes, as loads and stores of them expect.
TE_AVX2 static inline __m256i lane_mask(long count) {
    __m256i index = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)count), index);
}

/// Writes an accumulated row segment: C = alpha * acc + beta * C (C not read when beta == 0),
/// through a scratch row when the segment is shorter than 16.
TE_AVX2 static inline void store_row(float *c, __m256 acc0, __m256 acc1, long cols, float alpha, float beta) {
    __m256 valpha = _mm256_set1_ps(alpha), vbeta = _mm256_set1_ps(beta);
    if (cols == 16) {
        __m256 r0 = beta == 0.0f ? _mm256_mul_ps(valpha, acc0)
                                 : _mm256_fmadd_ps(acc0, valpha, _mm256_mul_ps(vbeta, _mm256_loadu_ps(c)));
        __m256 r1 = beta == 0.0f ? _mm256_mul_ps(valpha, acc1)
                                 : _mm256_fmadd_ps(acc1, valpha, _mm256_mul_ps(vbeta, _mm256_loadu_ps(c + 8)));
        _mm256_storeu_ps(c, r0);
        _mm256_storeu_ps(c + 8, r1);
        return;
    }
    float lanes[16];
    _mm256_storeu_ps(lanes, acc0);
    _mm256_storeu_ps(lanes + 8, acc1);
    for (long j = 0; j < cols; j++) c[j] = beta == 0.0f ? alpha * lanes[j] : fmaf(lanes[j], alpha, beta * c[j]);
}

/// One tile of up to 4 rows (`rows` = 4 or 1) and up to 16 columns over p in [0, kc):
/// element (r, p) of op(A) is a[r * a_row + p * a_col]; row p of op(B) starts at b + p * ldb.
TE_AVX2 static void small_tile(long rows, long cols, long kc, const float *a, long a_row, long a_col,
                               const float *b, long ldb, float *c, long ldc, float alpha, float beta) {
    __m256i m0 = lane_mask(cols < 8 ? cols : 8), m1 = lane_mask(cols > 8 ? cols - 8 : 0);
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00;
    __m256 c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    if (rows == 4) {
        for (long p = 0; p < kc; p++) {
            const float *bp = b + p * ldb, *ap = a + p * a_col;
            __m256 b0 = _mm256_maskload_ps(bp, m0), b1 = _mm256_maskload_ps(bp + 8, m1);
            __m256 ar = _mm256_broadcast_ss(ap);
            c00 = _mm256_fmadd_ps(ar, b0, c00); c01 = _mm256_fmadd_ps(ar, b1, c01);
            ar = _mm256_broadcast_ss(ap + a_row);
            c10 = _mm256_fmadd_ps(ar, b0, c10); c11 = _mm256_fmadd_ps(ar, b1, c11);
            ar = _mm256_broadcast_ss(ap + 2 * a_row);
            c20 = _mm256_fmadd_ps(ar, b0, c20); c21 = _mm256_fmadd_ps(ar, b1, c21);
            ar = _mm256_broadcast_ss(ap + 3 * a_row);
            c30 = _mm256_fmadd_ps(ar, b0, c30); c31 = _mm256_fmadd_ps(ar, b1, c31);
        }
        store_row(c, c00, c01, cols, alpha, beta);
        store_row(c + ldc, c10, c11, cols, alpha, beta);
        store_row(c + 2 * ldc, c20, c21, cols, alpha, beta);
        store_row(c + 3 * ldc, c30, c31, cols, alpha, beta);
        return;
    }
    // One row: its two accumulators are the only dependency chains (splitting p into several
    // chains would change the summation order), so it runs at FMA latency; it handles the last
    // 1-3 rows of a product, and products of fewer than 4 rows.
    for (long p = 0; p < kc; p++) {
        const float *bp = b + p * ldb;
        __m256 ar = _mm256_broadcast_ss(a + p * a_col);
        c00 = _mm256_fmadd_ps(ar, _mm256_maskload_ps(bp, m0), c00);
        c01 = _mm256_fmadd_ps(ar, _mm256_maskload_ps(bp + 8, m1), c01);
    }
    store_row(c, c00, c01, cols, alpha, beta);
}

void te_sgemm_small_avx2(int trans_a, int trans_b, long m, long n, long k, float alpha,
                         const float *a, long lda, const float *b, long ldb, float beta,
                         float *c, long ldc) {
    // Element (i, p) of op(A) is at a[i * a_row + p * a_col].
    long a_row = trans_a ? 1 : lda, a_col = trans_a ? lda : 1;
    long k_blocks = te_gemm_k_blocks(k);
    float b_panels[TE_SMALL_B_FLOATS + 16] __attribute__((aligned(64)));
    for (long block = 0; block < k_blocks; block++) {
        long pc = te_gemm_k_block_start(k, block);
        long kc = te_gemm_k_block_start(k, block + 1) - pc;
        if (kc <= 0) break;
        float beta_block = block == 0 ? beta : 1.0f;
        // Rows p of op(B) for this block: in place (row stride ldb), or, for a transposed B,
        // packed by the blocked path's packer into 16-column panels (row stride 16).
        const float *b_rows = b + pc * ldb;
        long b_stride = ldb, b_panel_step = 1;
        if (trans_b) {
            te_gemm_kernels_avx2.pack_b(trans_b, b + pc, ldb, kc, n, b_panels);
            b_rows = b_panels;
            b_stride = te_gemm_kernels_avx2.nr;
            b_panel_step = kc;
        }
        const float *a_block = a + pc * a_col;
        for (long j = 0; j < n; j += 16) {
            long cols = n - j < 16 ? n - j : 16;
            long i = 0;
            for (; i + 4 <= m; i += 4)
                small_tile(4, cols, kc, a_block + i * a_row, a_row, a_col, b_rows + j * b_panel_step,
                           b_stride, c + i * ldc + j, ldc, alpha, beta_block);
            for (; i < m; i++)
                small_tile(1, cols, kc, a_block + i * a_row, a_row, a_col, b_rows + j * b_panel_step,
                           b_stride, c + i * ldc + j, ldc, alpha, beta_block);
        }
    }
}

int te_sgemm_small_fits(long mr, int trans_b, long m, long n, long k) {
    // op(B) must fit the stack panels when transposed (a K block of it, at most KC x n).
    long depth = k < TE_GEMM_KC ? k : TE_GEMM_KC;
    long width = (n + 15) / 16 * 16;  // the AVX2 packer's 16-column panels
    if (trans_b && depth * width > TE_SMALL_B_FLOATS) return 0;
    // Thin products (fewer rows than one packed tile), or little arithmetic overall.
    return m < mr || m * n * k <= 40L * 40 * 40;
}
#endif
