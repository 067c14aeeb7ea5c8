// Small AVX2 helpers shared by the x86-64 translation units: the per-function target attribute
// and an in-register 8 x 8 transpose of floats. Include only inside `#if defined(__x86_64__)`.
// Not handled: other vector widths.
#ifndef TINYENCODER_CKERNELS_AVX2_UTIL_H
#define TINYENCODER_CKERNELS_AVX2_UTIL_H

#include <immintrin.h>

/// Compile this function for AVX2 and FMA, whatever the file's flags. Callers reach it only
/// after dispatch.c found both features with cpuid.
#define TE_AVX2 __attribute__((target("avx2,fma")))

/// Transposes the 8 x 8 matrix held in v[0..8] (row r in v[r]) in place: 8 unpacks, 8 shuffles
/// and 8 lane permutes.
TE_AVX2 static inline void te_transpose8x8(__m256 v[8]) {
    __m256 t0 = _mm256_unpacklo_ps(v[0], v[1]), t1 = _mm256_unpackhi_ps(v[0], v[1]);
    __m256 t2 = _mm256_unpacklo_ps(v[2], v[3]), t3 = _mm256_unpackhi_ps(v[2], v[3]);
    __m256 t4 = _mm256_unpacklo_ps(v[4], v[5]), t5 = _mm256_unpackhi_ps(v[4], v[5]);
    __m256 t6 = _mm256_unpacklo_ps(v[6], v[7]), t7 = _mm256_unpackhi_ps(v[6], v[7]);
    __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    v[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
    v[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
    v[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
    v[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
    v[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
    v[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
    v[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
    v[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

#endif
