// AVX-512 SGEMM pieces for x86-64: the 12x32 micro-kernel (24 zmm accumulators, 2 for the B row,
// 1 for the broadcast A value), the packing routines, and the table te_gemm_kernels_avx512 that
// the blocked driver runs. Every function carries the AVX-512 target attribute (avx512_util.h),
// so the file needs no compiler flags; only the AVX-512 path's table reaches it.
// The tile follows the BLIS SkylakeX kernel's shape (32 x 12 there, column-major); the tile
// shapes tried are in the design notes of README.md. Edges use masked loads and stores.
// Not handled: prefetch tuning per CPU model; bfloat16 (bgemm_avx512bf16.c).
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#include <math.h>
#include "CKernels.h"
#include "internal.h"
#include "avx2_util.h"
#include "avx512_util.h"

/// The tile (MR rows of two 16-float vectors; 8 < MR <= 14) and the blocks around it.
#ifndef AVX512_MR
#define AVX512_MR 12
#endif
#define AVX512_NR 32
#define AVX512_MC (12 * AVX512_MR)
#define AVX512_NC 3072

// MARK: - Micro-kernel

/// C[0..rows, 0..cols] = alpha * Σ_p a[p][r] b[p][j] + beta * C over packed panels (a: kc x MR,
/// b: kc x 32, both p-major, b 64-byte aligned); with a `bias` (cols floats), alpha * Σ + bias[j]
/// instead, C not read: the same bits as beta = 1 on a C that holds the bias (1 · bias is exact).
/// Per element: one FMA chain over p, then alpha * acc + beta * C, as on every other path.
TE_AVX512 static inline void micro_kernel_body(long kc, const float *restrict a, const float *restrict b,
                                               float *c, long ldc, float alpha, float beta,
                                               const float *bias, long rows, long cols) {
    __m512 acc[AVX512_MR][2];
    _Pragma("unroll") for (int r = 0; r < AVX512_MR; r++) {
        acc[r][0] = _mm512_setzero_ps();
        acc[r][1] = _mm512_setzero_ps();
    }
    for (long r = 0; r < rows; r++) _mm_prefetch((const char *)(c + r * ldc), _MM_HINT_T0);
    for (long p = 0; p < kc; p++) {
        __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
        _mm_prefetch((const char *)(b + 32 * 8), _MM_HINT_T0);
        _Pragma("unroll") for (int r = 0; r < AVX512_MR; r++) {
            __m512 ar = _mm512_set1_ps(a[r]);
            acc[r][0] = _mm512_fmadd_ps(ar, b0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(ar, b1, acc[r][1]);
        }
        a += AVX512_MR;
        b += AVX512_NR;
    }

    __m512 valpha = _mm512_set1_ps(alpha), vbeta = _mm512_set1_ps(beta);
    __mmask16 mask0 = TE_LANE_MASK16(cols), mask1 = TE_LANE_MASK16(cols > 16 ? cols - 16 : 0);
    _Pragma("unroll") for (int r = 0; r < AVX512_MR; r++) {
        if (r >= rows) break;
        float *row = c + r * ldc;
        for (int half = 0; half < 2; half++) {
            __mmask16 mask = half ? mask1 : mask0;
            __m512 value = acc[r][half], result;
            if (bias)
                result = _mm512_fmadd_ps(value, valpha, _mm512_maskz_loadu_ps(mask, bias + 16 * half));
            else if (beta == 0.0f)
                result = _mm512_mul_ps(valpha, value);
            else
                result = _mm512_fmadd_ps(value, valpha, _mm512_mul_ps(vbeta, _mm512_maskz_loadu_ps(mask, row + 16 * half)));
            _mm512_mask_storeu_ps(row + 16 * half, mask, result);
        }
    }
}

TE_AVX512 static void micro_kernel_avx512(long kc, const float *restrict a, const float *restrict b,
                                          float *c, long ldc, float alpha, float beta, long rows,
                                          long cols) {
    micro_kernel_body(kc, a, b, c, ldc, alpha, beta, NULL, rows, cols);
}

TE_AVX512 static void micro_kernel_bias_avx512(long kc, const float *restrict a, const float *restrict b,
                                               float *c, long ldc, float alpha, const float *bias,
                                               long rows, long cols) {
    micro_kernel_body(kc, a, b, c, ldc, alpha, 1.0f, bias, rows, cols);
}

// MARK: - Packing A (panels of 12 rows)

/// Packs rows x kc of op(A) into 12-row panels, p-major: packed[panel][p][r] = op(A)[12 panel + r][p].
TE_AVX512 static void pack_a_avx512(int trans_a, const float *a, long lda, long rows, long kc,
                                    float *packed) {
    for (long i0 = 0; i0 < rows; i0 += AVX512_MR) {
        long height = rows - i0 < AVX512_MR ? rows - i0 : AVX512_MR;
        float *panel = packed + i0 * kc;
        if (trans_a) {
            // op(A)[i][p] = A[p][i]: each p is a contiguous run of `height` floats; a masked load
            // zero-fills the rows past `height`.
            __mmask16 mask = TE_LANE_MASK16(height), store = TE_LANE_MASK16(AVX512_MR);
            for (long p = 0; p < kc; p++)
                _mm512_mask_storeu_ps(panel + AVX512_MR * p, store, _mm512_maskz_loadu_ps(mask, a + p * lda + i0));
            continue;
        }
        // op(A)[i][p] = A[i][p]: 8 p at a time, rows 0-7 and rows 8..MR-1 (zero rows after them)
        // each through an 8 x 8 transpose; column q of the first gives the panel's p + q entries
        // 0-7, of the second its entries 8..MR-1 (a masked store).
        const float *row[AVX512_MR];
        for (long r = 0; r < AVX512_MR; r++) row[r] = a + (i0 + (r < height ? r : 0)) * lda;
        long p = 0;
        if (height == AVX512_MR) {
            for (; p + 8 <= kc; p += 8) {
                __m256 low[8], high[8];
                for (int r = 0; r < 8; r++) low[r] = _mm256_loadu_ps(row[r] + p);
                for (int r = 0; r < 8; r++) high[r] = r < AVX512_MR - 8 ? _mm256_loadu_ps(row[8 + r] + p) : _mm256_setzero_ps();
                te_transpose8x8(low);
                te_transpose8x8(high);
                for (int q = 0; q < 8; q++) {
                    _mm256_storeu_ps(panel + AVX512_MR * (p + q), low[q]);
                    _mm256_mask_storeu_ps(panel + AVX512_MR * (p + q) + 8, (__mmask8)((1u << (AVX512_MR - 8)) - 1), high[q]);
                }
            }
        }
        for (; p < kc; p++) {
            for (long r = 0; r < AVX512_MR; r++) panel[AVX512_MR * p + r] = r < height ? row[r][p] : 0.0f;
        }
    }
}

// MARK: - Packing B (panels of 32 columns)

/// Packs kc x cols of op(B) into 32-column panels, p-major: packed[panel][p][j] = op(B)[p][32 panel + j].
TE_AVX512 static void pack_b_avx512(int trans_b, const float *b, long ldb, long kc, long cols,
                                    float *packed) {
    for (long j0 = 0; j0 < cols; j0 += AVX512_NR) {
        long width = cols - j0 < AVX512_NR ? cols - j0 : AVX512_NR;
        float *panel = packed + j0 * kc;
        if (!trans_b) {
            // op(B)[p][j] = B[p][j]: each p is a contiguous run of `width` floats.
            __mmask16 mask0 = TE_LANE_MASK16(width), mask1 = TE_LANE_MASK16(width > 16 ? width - 16 : 0);
            const float *source = b + j0;
            for (long p = 0; p < kc; p++) {
                const float *s = source + p * ldb;
                _mm512_store_ps(panel + AVX512_NR * p, _mm512_maskz_loadu_ps(mask0, s));
                _mm512_store_ps(panel + AVX512_NR * p + 16, _mm512_maskz_loadu_ps(mask1, s + 16));
            }
            continue;
        }
        // op(B)[p][j] = B[j][p]: read 8 p from each of 8 rows of B, transpose 8 x 8, and store
        // each result as a quarter of a 32-wide row of the panel; four times per panel.
        const float *source = b + j0 * ldb;
        long p = 0;
        if (width == AVX512_NR) {
            for (; p + 8 <= kc; p += 8) {
                for (int quarter = 0; quarter < 4; quarter++) {
                    __m256 v[8];
                    for (int r = 0; r < 8; r++) v[r] = _mm256_loadu_ps(source + (8 * quarter + r) * ldb + p);
                    te_transpose8x8(v);
                    for (int q = 0; q < 8; q++) _mm256_store_ps(panel + AVX512_NR * (p + q) + 8 * quarter, v[q]);
                }
            }
        }
        for (; p < kc; p++) {
            for (long j = 0; j < AVX512_NR; j++) panel[AVX512_NR * p + j] = j < width ? source[j * ldb + p] : 0.0f;
        }
    }
}

// MARK: - The path's pieces

const te_gemm_kernels te_gemm_kernels_avx512 = {
    .mr = AVX512_MR,
    .nr = AVX512_NR,
    .mc = AVX512_MC,
    .nc = AVX512_NC,
    .pack_a = pack_a_avx512,
    .pack_b = pack_b_avx512,
    .micro_kernel = micro_kernel_avx512,
    .micro_kernel_bias = micro_kernel_bias_avx512,
};

#endif
