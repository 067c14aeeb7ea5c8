// The small vector vocabulary that vmath_template.h is written in, mapped to AVX2+FMA (8 floats
// per vector). simd_neon.h maps the same names to NEON, so each vector-math algorithm is written
// once and compiled twice. Every function carries the avx2,fma target attribute.
// Not handled: AVX-512 (16 lanes would need a third mapping; Zen 4 gains little from it).
#ifndef TINYENCODER_CKERNELS_SIMD_AVX2_H
#define TINYENCODER_CKERNELS_SIMD_AVX2_H

#include <string.h>
#include "avx2_util.h"

#define TE_LANES 8
#define TE_VFUNC TE_AVX2 static inline
#define TE_PATH_SUFFIX(name) name##_avx2

typedef __m256 vfloat;
typedef __m256 vmask;

TE_VFUNC vfloat v_load(const float *p) { return _mm256_loadu_ps(p); }
TE_VFUNC void v_store(float *p, vfloat v) { _mm256_storeu_ps(p, v); }
TE_VFUNC vfloat v_set1(float x) { return _mm256_set1_ps(x); }

TE_VFUNC vfloat v_add(vfloat a, vfloat b) { return _mm256_add_ps(a, b); }
TE_VFUNC vfloat v_sub(vfloat a, vfloat b) { return _mm256_sub_ps(a, b); }
TE_VFUNC vfloat v_mul(vfloat a, vfloat b) { return _mm256_mul_ps(a, b); }
TE_VFUNC vfloat v_div(vfloat a, vfloat b) { return _mm256_div_ps(a, b); }
/// The correctly rounded square root of each lane.
TE_VFUNC vfloat v_sqrt(vfloat a) { return _mm256_sqrt_ps(a); }
/// a * b + c with one rounding.
TE_VFUNC vfloat v_fma(vfloat a, vfloat b, vfloat c) { return _mm256_fmadd_ps(a, b, c); }
/// c - a * b with one rounding.
TE_VFUNC vfloat v_fnma(vfloat a, vfloat b, vfloat c) { return _mm256_fnmadd_ps(a, b, c); }
/// max(bound, x); a NaN in x comes out as NaN.
TE_VFUNC vfloat v_max(vfloat bound, vfloat x) { return _mm256_max_ps(bound, x); }
/// min(bound, x); a NaN in x comes out as NaN.
TE_VFUNC vfloat v_min(vfloat bound, vfloat x) { return _mm256_min_ps(bound, x); }
TE_VFUNC vfloat v_abs(vfloat x) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x); }
/// |magnitude| with the sign bit of `sign`.
TE_VFUNC vfloat v_copysign(vfloat magnitude, vfloat sign) {
    __m256 mask = _mm256_set1_ps(-0.0f);
    return _mm256_or_ps(_mm256_andnot_ps(mask, magnitude), _mm256_and_ps(mask, sign));
}
/// Round to the nearest integer (ties to even), kept as float.
TE_VFUNC vfloat v_round(vfloat x) { return _mm256_round_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
TE_VFUNC vfloat v_floor(vfloat x) { return _mm256_round_ps(x, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
/// 2^n for integer-valued n in [-126, 127], built in the exponent field.
TE_VFUNC vfloat v_pow2i(vfloat n) {
    __m256i biased = _mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127));
    return _mm256_castsi256_ps(_mm256_slli_epi32(biased, 23));
}

TE_VFUNC vmask v_less(vfloat a, vfloat b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
TE_VFUNC vmask v_greater_equal(vfloat a, vfloat b) { return _mm256_cmp_ps(a, b, _CMP_GE_OQ); }
/// mask ? a : b, lane by lane.
TE_VFUNC vfloat v_select(vmask mask, vfloat a, vfloat b) { return _mm256_blendv_ps(b, a, mask); }
/// Whether every lane / no lane of the mask is set.
TE_VFUNC int v_all(vmask mask) { return _mm256_movemask_ps(mask) == 0xFF; }
TE_VFUNC int v_none(vmask mask) { return _mm256_movemask_ps(mask) == 0; }

/// The sum of the 8 lanes in a fixed order: (0+4, 1+5, 2+6, 3+7), then pairs, then the last two.
TE_VFUNC float v_hsum(vfloat v) {
    __m128 x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    x = _mm_add_ss(x, _mm_movehdup_ps(x));
    return _mm_cvtss_f32(x);
}
TE_VFUNC float v_hmax(vfloat v) {
    __m128 x = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    x = _mm_max_ps(x, _mm_movehl_ps(x, x));
    x = _mm_max_ss(x, _mm_movehdup_ps(x));
    return _mm_cvtss_f32(x);
}

/// The first `count` (< 8) floats at p, the other lanes set to `fill`.
TE_VFUNC vfloat v_load_partial(const float *p, long count, float fill) {
    float lanes[TE_LANES];
    for (int i = 0; i < TE_LANES; i++) lanes[i] = fill;
    memcpy(lanes, p, (size_t)count * sizeof(float));
    return _mm256_loadu_ps(lanes);
}
/// Stores the first `count` (< 8) lanes of v at p.
TE_VFUNC void v_store_partial(float *p, vfloat v, long count) {
    float lanes[TE_LANES];
    _mm256_storeu_ps(lanes, v);
    memcpy(p, lanes, (size_t)count * sizeof(float));
}

#endif
