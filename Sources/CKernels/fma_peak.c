// The FMA ceiling of one core: a loop of independent fused multiply-adds on the widest vectors the
// path uses (12 chains of 16-float AVX-512 vectors, of 8-float AVX2 vectors, of 4-float NEON
// vectors), long enough for the 4-cycle latency to hide behind throughput, and nothing
// else. Each path's table names its loop; `tinyencoder bench gemm --fma-peak` times every path's
// to give the ceilings that GEMM and encoder GFLOP/s are measured against.
// Not handled: mixed loads and FMAs (a real kernel's ceiling is lower).
#include "CKernels.h"
#include "internal.h"
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#include "avx2_util.h"
#include "avx512_util.h"

TE_AVX512 float te_fma_loop_avx512(long iterations) {
    __m512 acc[12];
    for (int i = 0; i < 12; i++) acc[i] = _mm512_set1_ps(0.001f * (float)i);
    __m512 scale = _mm512_set1_ps(0.9999f), shift = _mm512_set1_ps(1e-5f);
    for (long it = 0; it < iterations; it++) {
        for (int i = 0; i < 12; i++) acc[i] = _mm512_fmadd_ps(scale, acc[i], shift);
    }
    __m512 sum = acc[0];
    for (int i = 1; i < 12; i++) sum = _mm512_add_ps(sum, acc[i]);
    return _mm_cvtss_f32(_mm512_castps512_ps128(sum));
}

TE_AVX2 float te_fma_loop_avx2(long iterations) {
    __m256 acc[12];
    for (int i = 0; i < 12; i++) acc[i] = _mm256_set1_ps(0.001f * (float)i);
    __m256 scale = _mm256_set1_ps(0.9999f), shift = _mm256_set1_ps(1e-5f);
    for (long it = 0; it < iterations; it++) {
        for (int i = 0; i < 12; i++) acc[i] = _mm256_fmadd_ps(scale, acc[i], shift);
    }
    __m256 sum = acc[0];
    for (int i = 1; i < 12; i++) sum = _mm256_add_ps(sum, acc[i]);
    float lanes[8];
    _mm256_storeu_ps(lanes, sum);
    return lanes[0];
}
#elif defined(__aarch64__)
#include <arm_neon.h>

float te_fma_loop_neon(long iterations) {
    float32x4_t acc[12];
    for (int i = 0; i < 12; i++) acc[i] = vdupq_n_f32(0.001f * (float)i);
    float32x4_t scale = vdupq_n_f32(0.9999f), shift = vdupq_n_f32(1e-5f);
    for (long it = 0; it < iterations; it++) {
        for (int i = 0; i < 12; i++) acc[i] = vfmaq_f32(shift, scale, acc[i]);
    }
    float32x4_t sum = acc[0];
    for (int i = 1; i < 12; i++) sum = vaddq_f32(sum, acc[i]);
    return vgetq_lane_f32(sum, 0);
}
#endif

/// Scalar chains, for the portable path (what a core does without vector FMAs).
float te_fma_loop_portable(long iterations) {
    volatile float seed = 0.9999f;
    float acc[12], scale = seed;
    for (int i = 0; i < 12; i++) acc[i] = 0.001f * (float)i;
    for (long it = 0; it < iterations; it++) {
        for (int i = 0; i < 12; i++) acc[i] = acc[i] * scale + 1e-5f;
    }
    float sum = 0.0f;
    for (int i = 0; i < 12; i++) sum += acc[i];
    return sum;
}

double te_fma_peak_run(long iterations, float *result) {
    const te_path *path = te_path_in_use();
    float value = path->fma_loop(iterations);
    if (result) *result = value;
    return (double)iterations * 12.0 * path->fma_lanes * 2.0;
}
