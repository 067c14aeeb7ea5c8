// AVX2+FMA SGEMM pieces for x86-64: the 6x16 micro-kernel (12 ymm accumulators, 2 for B, 1 for
// the broadcast A value), the packing routines that absorb transposes and edges, and the table
// te_gemm_kernels_avx2 that the blocked driver runs. Every function carries
// __attribute__((target("avx2,fma"))), so the file needs no compiler flags; dispatch.c only
// calls in here after cpuid reported AVX2 and FMA. Follows the BLIS Haswell kernel's shape.
// Not handled: AVX-512 (Zen 4 executes it at the AVX2 FMA rate), prefetch tuning per CPU model.
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#include <math.h>
#include "CKernels.h"
#include "internal.h"
#include "avx2_util.h"

/// The tile (6 x 16: 12 ymm accumulators, 2 for B, 1 broadcast) and the blocks around it.
#define AVX2_MR 6
#define AVX2_NR 16
#define AVX2_MC 144
#define AVX2_NC 3072

// MARK: - Micro-kernel

// One step p of the rank-1 update: broadcast A[r][p] for r = 0..5 and multiply it with the two
// halves of B[p][0..16], adding into row r's two accumulators.
#define TE_RANK1_STEP(P)                                                                  \
    do {                                                                                  \
        __m256 b0 = _mm256_load_ps(b + 16 * (P)), b1 = _mm256_load_ps(b + 16 * (P) + 8); \
        __m256 ar;                                                                        \
        ar = _mm256_broadcast_ss(a + 6 * (P) + 0);                                        \
        c00 = _mm256_fmadd_ps(ar, b0, c00); c01 = _mm256_fmadd_ps(ar, b1, c01);           \
        ar = _mm256_broadcast_ss(a + 6 * (P) + 1);                                        \
        c10 = _mm256_fmadd_ps(ar, b0, c10); c11 = _mm256_fmadd_ps(ar, b1, c11);           \
        ar = _mm256_broadcast_ss(a + 6 * (P) + 2);                                        \
        c20 = _mm256_fmadd_ps(ar, b0, c20); c21 = _mm256_fmadd_ps(ar, b1, c21);           \
        ar = _mm256_broadcast_ss(a + 6 * (P) + 3);                                        \
        c30 = _mm256_fmadd_ps(ar, b0, c30); c31 = _mm256_fmadd_ps(ar, b1, c31);           \
        ar = _mm256_broadcast_ss(a + 6 * (P) + 4);                                        \
        c40 = _mm256_fmadd_ps(ar, b0, c40); c41 = _mm256_fmadd_ps(ar, b1, c41);           \
        ar = _mm256_broadcast_ss(a + 6 * (P) + 5);                                        \
        c50 = _mm256_fmadd_ps(ar, b0, c50); c51 = _mm256_fmadd_ps(ar, b1, c51);           \
    } while (0)

/// C[0..rows, 0..cols] = alpha * Σ_p a[p][r] b[p][j] + beta * C over packed panels
/// (a: kc x 6, b: kc x 16, both p-major and 32-byte aligned); with a `bias` (cols floats),
/// alpha * Σ + bias[j] instead, C not read: fma(Σ, alpha, bias) is what beta = 1 gives on a C
/// that holds the bias (1 · bias is exact), so both routes give the same bits.
TE_AVX2 static inline void micro_kernel_6x16_body(long kc, const float *restrict a, const float *restrict b,
                                                  float *c, long ldc, float alpha, float beta,
                                                  const float *bias, long rows, long cols) {
    __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
    __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
    __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
    __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
    __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
    __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
    for (long r = 0; r < rows; r++) {
        _mm_prefetch((const char *)(c + r * ldc), _MM_HINT_T0);
        _mm_prefetch((const char *)(c + r * ldc + 15), _MM_HINT_T0);
    }
    long p = 0;
    for (; p + 4 <= kc; p += 4) {
        _mm_prefetch((const char *)(b + 16 * 8), _MM_HINT_T0);
        TE_RANK1_STEP(0);
        TE_RANK1_STEP(1);
        _mm_prefetch((const char *)(b + 16 * 10), _MM_HINT_T0);
        TE_RANK1_STEP(2);
        TE_RANK1_STEP(3);
        a += 24;
        b += 64;
    }
    for (; p < kc; p++) {
        TE_RANK1_STEP(0);
        a += 6;
        b += 16;
    }

    __m256 acc[12] = {c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51};
    __m256 valpha = _mm256_set1_ps(alpha), vbeta = _mm256_set1_ps(beta);
    if (rows == AVX2_MR && cols == AVX2_NR) {
        for (int r = 0; r < AVX2_MR; r++) {
            float *row = c + r * ldc;
            for (int half = 0; half < 2; half++) {
                __m256 value = acc[2 * r + half];
                __m256 result = bias ? _mm256_fmadd_ps(value, valpha, _mm256_loadu_ps(bias + 8 * half))
                    : beta == 0.0f
                    ? _mm256_mul_ps(valpha, value)
                    : _mm256_fmadd_ps(value, valpha, _mm256_mul_ps(vbeta, _mm256_loadu_ps(row + 8 * half)));
                _mm256_storeu_ps(row + 8 * half, result);
            }
        }
        return;
    }
    // A ragged edge tile: finish in a scratch tile, then write only the valid part, with the
    // same arithmetic per element as above (so an element's value does not depend on the tile).
    float tile[AVX2_MR * AVX2_NR] __attribute__((aligned(32)));
    for (int i = 0; i < 12; i++) _mm256_store_ps(tile + 8 * i, acc[i]);
    for (long r = 0; r < rows; r++) {
        float *row = c + r * ldc;
        for (long j = 0; j < cols; j++) {
            float value = tile[r * AVX2_NR + j];
            row[j] = bias ? fmaf(value, alpha, bias[j])
                   : beta == 0.0f ? alpha * value : fmaf(value, alpha, beta * row[j]);
        }
    }
}

TE_AVX2 static void micro_kernel_6x16(long kc, const float *restrict a, const float *restrict b,
                                      float *c, long ldc, float alpha, float beta, long rows,
                                      long cols) {
    micro_kernel_6x16_body(kc, a, b, c, ldc, alpha, beta, NULL, rows, cols);
}

TE_AVX2 static void micro_kernel_6x16_bias(long kc, const float *restrict a, const float *restrict b,
                                           float *c, long ldc, float alpha, const float *bias,
                                           long rows, long cols) {
    micro_kernel_6x16_body(kc, a, b, c, ldc, alpha, 1.0f, bias, rows, cols);
}

// MARK: - Packing A (panels of 6 rows)

/// Packs rows x kc of op(A) into 6-row panels, p-major: packed[panel][p][r] = op(A)[6 panel + r][p].
TE_AVX2 static void pack_a_avx2(int trans_a, const float *a, long lda, long rows, long kc,
                                float *packed) {
    for (long i0 = 0; i0 < rows; i0 += AVX2_MR) {
        long height = rows - i0 < AVX2_MR ? rows - i0 : AVX2_MR;
        float *panel = packed + i0 * kc;
        if (trans_a) {
            // op(A)[i][p] = A[p][i]: each p is a contiguous run of `height` floats.
            const float *source = a + i0;
            if (height == AVX2_MR) {
                for (long p = 0; p < kc; p++) {
                    const float *s = source + p * lda;
                    _mm_storeu_ps(panel + 6 * p, _mm_loadu_ps(s));
                    _mm_storel_pi((__m64 *)(panel + 6 * p + 4), _mm_loadl_pi(_mm_setzero_ps(), (const __m64 *)(s + 4)));
                }
            } else {
                for (long p = 0; p < kc; p++) {
                    for (long r = 0; r < AVX2_MR; r++) panel[6 * p + r] = r < height ? source[p * lda + r] : 0.0f;
                }
            }
            continue;
        }
        // op(A)[i][p] = A[i][p]: read 8 p from each of the 6 rows, transpose 8 x 8 (rows 6 and 7
        // are zero) and store each column of 6; the 8-wide store spills 2 floats into the next
        // slot, which the next store overwrites (the buffer has slack at the end).
        const float *row[AVX2_MR];
        for (long r = 0; r < AVX2_MR; r++) row[r] = a + (i0 + (r < height ? r : 0)) * lda;
        long p = 0;
        if (height == AVX2_MR) {
            for (; p + 8 <= kc; p += 8) {
                __m256 v[8];
                // A usually comes cold from the op before; fetch the next panel's rows (the same
                // columns, 6 rows down) one whole panel ahead, enough to hide a DRAM round trip.
                if ((p & 15) == 0 && i0 + 2 * AVX2_MR <= rows)
                    for (int r = 0; r < 6; r++) _mm_prefetch((const char *)(row[r] + 6 * lda + p), _MM_HINT_T0);
                for (int r = 0; r < 6; r++) v[r] = _mm256_loadu_ps(row[r] + p);
                v[6] = _mm256_setzero_ps();
                v[7] = _mm256_setzero_ps();
                te_transpose8x8(v);
                for (int q = 0; q < 8; q++) _mm256_storeu_ps(panel + 6 * (p + q), v[q]);
            }
        }
        for (; p < kc; p++) {
            for (long r = 0; r < AVX2_MR; r++) panel[6 * p + r] = r < height ? row[r][p] : 0.0f;
        }
    }
}

// MARK: - Packing B (panels of 16 columns)

/// Packs kc x cols of op(B) into 16-column panels, p-major: packed[panel][p][j] = op(B)[p][16 panel + j].
TE_AVX2 static void pack_b_avx2(int trans_b, const float *b, long ldb, long kc, long cols,
                                float *packed) {
    for (long j0 = 0; j0 < cols; j0 += AVX2_NR) {
        long width = cols - j0 < AVX2_NR ? cols - j0 : AVX2_NR;
        float *panel = packed + j0 * kc;
        if (!trans_b) {
            // op(B)[p][j] = B[p][j]: each p is a contiguous run of `width` floats.
            const float *source = b + j0;
            if (width == AVX2_NR) {
                for (long p = 0; p < kc; p++) {
                    const float *s = source + p * ldb;
                    _mm256_store_ps(panel + 16 * p, _mm256_loadu_ps(s));
                    _mm256_store_ps(panel + 16 * p + 8, _mm256_loadu_ps(s + 8));
                }
            } else {
                for (long p = 0; p < kc; p++) {
                    for (long j = 0; j < AVX2_NR; j++) panel[16 * p + j] = j < width ? source[p * ldb + j] : 0.0f;
                }
            }
            continue;
        }
        // op(B)[p][j] = B[j][p]: read 8 p from each of 8 rows of B, transpose 8 x 8, and store
        // each result as half of a 16-wide row of the panel; twice per panel.
        const float *source = b + j0 * ldb;
        long p = 0;
        if (width == AVX2_NR) {
            for (; p + 8 <= kc; p += 8) {
                for (int half = 0; half < 2; half++) {
                    __m256 v[8];
                    for (int r = 0; r < 8; r++) v[r] = _mm256_loadu_ps(source + (8 * half + r) * ldb + p);
                    te_transpose8x8(v);
                    for (int q = 0; q < 8; q++) _mm256_store_ps(panel + 16 * (p + q) + 8 * half, v[q]);
                }
            }
        }
        for (; p < kc; p++) {
            for (long j = 0; j < AVX2_NR; j++) panel[16 * p + j] = j < width ? source[j * ldb + p] : 0.0f;
        }
    }
}

// MARK: - The path's table

const te_gemm_kernels te_gemm_kernels_avx2 = {
    .mr = AVX2_MR,
    .nr = AVX2_NR,
    .mc = AVX2_MC,
    .nc = AVX2_NC,
    .pack_a = pack_a_avx2,
    .pack_b = pack_b_avx2,
    .micro_kernel = micro_kernel_6x16,
    .micro_kernel_bias = micro_kernel_6x16_bias,
};

#endif
