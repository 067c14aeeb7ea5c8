// NEON SGEMM pieces for arm64: the 6x16 micro-kernel (24 q-register accumulators, 4 for the B
// row, 2 for the A column; fused multiply-add by lane), the packing routines (4 x 4 transposes
// for the transposed layouts), and the table te_gemm_kernels_neon that the blocked driver runs.
// Same panel layout as sgemm_avx2.c, so the driver and the K blocking are shared.
// Not handled: SVE, per-core tuning of the block sizes (the x86 ones are used).
#if defined(__aarch64__)
#include <arm_neon.h>
#include <math.h>
#include "CKernels.h"
#include "internal.h"

/// The tile (6 x 16: 24 q accumulators) and the blocks around it.
#define NEON_MR 6
#define NEON_NR 16

// MARK: - Micro-kernel

/// C[0..rows, 0..cols] = alpha * Σ_p a[p][r] b[p][j] + beta * C over packed panels
/// (a: kc x 6, b: kc x 16, both p-major).
static void micro_kernel_6x16_neon(long kc, const float *restrict a, const float *restrict b,
                                   float *c, long ldc, float alpha, float beta, long rows,
                                   long cols) {
    float32x4_t acc[6][4];
    for (int r = 0; r < 6; r++)
        for (int q = 0; q < 4; q++) acc[r][q] = vdupq_n_f32(0.0f);
    for (long p = 0; p < kc; p++) {
        float32x4_t b0 = vld1q_f32(b), b1 = vld1q_f32(b + 4), b2 = vld1q_f32(b + 8), b3 = vld1q_f32(b + 12);
        float32x4_t a03 = vld1q_f32(a);  // A rows 0..3 at this p
        float32x2_t a45 = vld1_f32(a + 4);  // A rows 4, 5
#define TE_NEON_ROW(R, A, LANE, FMA)                     \
        acc[R][0] = FMA(acc[R][0], b0, A, LANE);         \
        acc[R][1] = FMA(acc[R][1], b1, A, LANE);         \
        acc[R][2] = FMA(acc[R][2], b2, A, LANE);         \
        acc[R][3] = FMA(acc[R][3], b3, A, LANE);
        TE_NEON_ROW(0, a03, 0, vfmaq_laneq_f32)
        TE_NEON_ROW(1, a03, 1, vfmaq_laneq_f32)
        TE_NEON_ROW(2, a03, 2, vfmaq_laneq_f32)
        TE_NEON_ROW(3, a03, 3, vfmaq_laneq_f32)
        TE_NEON_ROW(4, a45, 0, vfmaq_lane_f32)
        TE_NEON_ROW(5, a45, 1, vfmaq_lane_f32)
#undef TE_NEON_ROW
        a += 6;
        b += 16;
    }

    float32x4_t valpha = vdupq_n_f32(alpha), vbeta = vdupq_n_f32(beta);
    if (rows == NEON_MR && cols == NEON_NR) {
        for (int r = 0; r < 6; r++) {
            float *row = c + r * ldc;
            for (int q = 0; q < 4; q++) {
                float32x4_t result = beta == 0.0f
                    ? vmulq_f32(valpha, acc[r][q])
                    : vfmaq_f32(vmulq_f32(vbeta, vld1q_f32(row + 4 * q)), acc[r][q], valpha);
                vst1q_f32(row + 4 * q, result);
            }
        }
        return;
    }
    // A ragged edge tile: the same arithmetic per element, written only where C exists.
    float tile[NEON_MR * NEON_NR];
    for (int r = 0; r < 6; r++)
        for (int q = 0; q < 4; q++) vst1q_f32(tile + r * NEON_NR + 4 * q, acc[r][q]);
    for (long r = 0; r < rows; r++) {
        float *row = c + r * ldc;
        for (long j = 0; j < cols; j++) {
            float value = tile[r * NEON_NR + j];
            row[j] = beta == 0.0f ? alpha * value : fmaf(value, alpha, beta * row[j]);
        }
    }
}

// MARK: - 4 x 4 transpose

/// Transposes the 4 x 4 block in v[0..4] (row r in v[r]) in place.
static inline void transpose4x4(float32x4_t v[4]) {
    float32x4_t t0 = vtrn1q_f32(v[0], v[1]), t1 = vtrn2q_f32(v[0], v[1]);
    float32x4_t t2 = vtrn1q_f32(v[2], v[3]), t3 = vtrn2q_f32(v[2], v[3]);
    v[0] = vreinterpretq_f32_f64(vtrn1q_f64(vreinterpretq_f64_f32(t0), vreinterpretq_f64_f32(t2)));
    v[1] = vreinterpretq_f32_f64(vtrn1q_f64(vreinterpretq_f64_f32(t1), vreinterpretq_f64_f32(t3)));
    v[2] = vreinterpretq_f32_f64(vtrn2q_f64(vreinterpretq_f64_f32(t0), vreinterpretq_f64_f32(t2)));
    v[3] = vreinterpretq_f32_f64(vtrn2q_f64(vreinterpretq_f64_f32(t1), vreinterpretq_f64_f32(t3)));
}

// MARK: - Packing

/// Packs rows x kc of op(A) into 6-row panels, p-major (see te_gemm_kernels.pack_a).
static void pack_a_neon(int trans_a, const float *a, long lda, long rows, long kc, float *packed) {
    for (long i0 = 0; i0 < rows; i0 += NEON_MR) {
        long height = rows - i0 < NEON_MR ? rows - i0 : NEON_MR;
        float *panel = packed + i0 * kc;
        long p = 0;
        if (height == NEON_MR && trans_a) {
            // op(A)[i][p] = A[p][i]: 6 contiguous floats per p.
            for (; p < kc; p++) {
                const float *s = a + p * lda + i0;
                vst1q_f32(panel + 6 * p, vld1q_f32(s));
                vst1_f32(panel + 6 * p + 4, vld1_f32(s + 4));
            }
        } else if (height == NEON_MR) {
            // op(A)[i][p] = A[i][p]: 4 p from each row, transposed in two blocks (rows 0-3, 4-5).
            const float *row = a + i0 * lda;
            for (; p + 4 <= kc; p += 4) {
                float32x4_t top[4], bottom[4];
                for (int r = 0; r < 4; r++) top[r] = vld1q_f32(row + r * lda + p);
                bottom[0] = vld1q_f32(row + 4 * lda + p);
                bottom[1] = vld1q_f32(row + 5 * lda + p);
                bottom[2] = bottom[3] = vdupq_n_f32(0.0f);
                transpose4x4(top);
                transpose4x4(bottom);
                for (int q = 0; q < 4; q++) {
                    vst1q_f32(panel + 6 * (p + q), top[q]);
                    vst1_f32(panel + 6 * (p + q) + 4, vget_low_f32(bottom[q]));
                }
            }
        }
        for (; p < kc; p++) {
            for (long r = 0; r < NEON_MR; r++) {
                long i = i0 + r;
                panel[6 * p + r] = r < height ? (trans_a ? a[p * lda + i] : a[i * lda + p]) : 0.0f;
            }
        }
    }
}

/// Packs kc x cols of op(B) into 16-column panels, p-major (see te_gemm_kernels.pack_b).
static void pack_b_neon(int trans_b, const float *b, long ldb, long kc, long cols, float *packed) {
    for (long j0 = 0; j0 < cols; j0 += NEON_NR) {
        long width = cols - j0 < NEON_NR ? cols - j0 : NEON_NR;
        float *panel = packed + j0 * kc;
        long p = 0;
        if (width == NEON_NR && !trans_b) {
            // op(B)[p][j] = B[p][j]: 16 contiguous floats per p.
            for (; p < kc; p++) {
                const float *s = b + p * ldb + j0;
                for (int q = 0; q < 4; q++) vst1q_f32(panel + 16 * p + 4 * q, vld1q_f32(s + 4 * q));
            }
        } else if (width == NEON_NR) {
            // op(B)[p][j] = B[j][p]: 4 x 4 blocks of B transposed into the panel.
            for (; p + 4 <= kc; p += 4) {
                for (int q = 0; q < 4; q++) {
                    float32x4_t v[4];
                    for (int r = 0; r < 4; r++) v[r] = vld1q_f32(b + (j0 + 4 * q + r) * ldb + p);
                    transpose4x4(v);
                    for (int s = 0; s < 4; s++) vst1q_f32(panel + 16 * (p + s) + 4 * q, v[s]);
                }
            }
        }
        for (; p < kc; p++) {
            for (long jj = 0; jj < NEON_NR; jj++) {
                long j = j0 + jj;
                panel[16 * p + jj] = jj < width ? (trans_b ? b[j * ldb + p] : b[p * ldb + j]) : 0.0f;
            }
        }
    }
}

// MARK: - The path's table

const te_gemm_kernels te_gemm_kernels_neon = {
    .mr = NEON_MR,
    .nr = NEON_NR,
    .mc = 144,
    .nc = 3072,
    .pack_a = pack_a_neon,
    .pack_b = pack_b_neon,
    .micro_kernel = micro_kernel_6x16_neon,
};

#endif
