// The AVX512-BF16 unit (Intel Cooper Lake and later, AMD Zen 4 and later): a 12 x 32 tile of C in
// 24 zmm accumulators, fed by vdpbf16ps, which takes 16 pairs of bf16 from each operand and adds
// both products of every pair to one float32 lane: acc[j] += a[2q] b[2q][j] + a[2q+1] b[2q+1][j].
// Per K pair: 2 loads of the packed B pair row (32 columns), 12 broadcasts of one A pair (32
// bits), 24 vdpbf16ps: 1,536 bf16 multiply-adds. The loops around the tile run over the packed
// B's 32-column panels, each reused by every 12-row panel of the converted A block.
// vdpbf16ps treats bf16 subnormal inputs as zero (and flushes subnormal results); the Swift
// reference keeps them, which changes sums by less than 2^-126 per product.
// Not handled: prefetch tuning; tiles other than 12 x 32.
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#include <string.h>
#include "CKernels.h"
#include "internal.h"
#include "avx512_util.h"

/// AVX-512 F, DQ, BW, VL with BF16.
#define TE_AVX512_BF16 __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx512bf16,avx2,fma")))

#define BF16_MR 12

/// C[0..rows, 0..cols] = Σ_q A pairs · B pairs (+ bias[j]) for one 12 x 32 tile; `a` holds 12
/// rows of `kp` bf16 (rows past `rows` are zeros), `b` one packed panel.
TE_AVX512_BF16 static inline void tile(long kp, const uint16_t *restrict a, const uint16_t *restrict b,
                                       const float *bias, float *c, long ldc, long rows, long cols) {
    __m512 acc[BF16_MR][2];
    _Pragma("unroll") for (int r = 0; r < BF16_MR; r++) {
        acc[r][0] = _mm512_setzero_ps();
        acc[r][1] = _mm512_setzero_ps();
    }
    for (long q = 0; q < kp / 2; q++) {
        __m512bh b0 = (__m512bh)_mm512_load_si512(b + 2 * TE_BF16_NR * q);
        __m512bh b1 = (__m512bh)_mm512_load_si512(b + 2 * TE_BF16_NR * q + TE_BF16_NR);
        _Pragma("unroll") for (int r = 0; r < BF16_MR; r++) {
            uint32_t pair;
            memcpy(&pair, a + r * kp + 2 * q, sizeof pair);
            __m512bh ar = (__m512bh)_mm512_set1_epi32((int)pair);
            acc[r][0] = _mm512_dpbf16_ps(acc[r][0], ar, b0);
            acc[r][1] = _mm512_dpbf16_ps(acc[r][1], ar, b1);
        }
    }
    __mmask16 mask0 = TE_LANE_MASK16(cols), mask1 = TE_LANE_MASK16(cols > 16 ? cols - 16 : 0);
    __m512 bias0 = bias ? _mm512_maskz_loadu_ps(mask0, bias) : _mm512_setzero_ps();
    __m512 bias1 = bias ? _mm512_maskz_loadu_ps(mask1, bias + 16) : _mm512_setzero_ps();
    _Pragma("unroll") for (int r = 0; r < BF16_MR; r++) {
        if (r >= rows) break;
        _mm512_mask_storeu_ps(c + r * ldc, mask0, _mm512_add_ps(acc[r][0], bias0));
        _mm512_mask_storeu_ps(c + r * ldc + 16, mask1, _mm512_add_ps(acc[r][1], bias1));
    }
}

/// Loop 2 over the 32-column panels of packed B, loop 1 over the 12-row panels of A.
TE_AVX512_BF16 static void multiply_block_avx512bf16(long rows, long n, long kp, const uint16_t *a,
                                                     const uint16_t *packed_b, const float *bias,
                                                     float *c, long ldc) {
    for (long j0 = 0; j0 < n; j0 += TE_BF16_NR) {
        long cols = n - j0 < TE_BF16_NR ? n - j0 : TE_BF16_NR;
        const uint16_t *panel = packed_b + (j0 / TE_BF16_NR) * kp * TE_BF16_NR;
        for (long i0 = 0; i0 < rows; i0 += BF16_MR) {
            long height = rows - i0 < BF16_MR ? rows - i0 : BF16_MR;
            tile(kp, a + i0 * kp, panel, bias ? bias + j0 : NULL, c + i0 * ldc + j0, ldc, height, cols);
        }
    }
}

const te_bf16_kernels te_bf16_kernels_avx512bf16 = {
    .unit = "avx512-bf16",
    .convert = te_f32_to_bf16_avx512,
    .multiply_block = multiply_block_avx512bf16,
};

#endif
