// The small vector vocabulary that vmath_template.h and rows_template.h are written in, mapped to
// AVX-512 (16 floats per vector, comparison results in mask registers). simd_avx2.h and
// simd_neon.h map the same names, so each algorithm is written once. Every function carries the
// AVX-512 target attribute (avx512_util.h).
// Not handled: anything the templates do not use.
#ifndef TINYENCODER_CKERNELS_SIMD_AVX512_H
#define TINYENCODER_CKERNELS_SIMD_AVX512_H

#include <string.h>
#include "avx512_util.h"

#define TE_LANES 16
#define TE_VFUNC TE_AVX512 static inline
#define TE_PATH_SUFFIX(name) name##_avx512

typedef __m512 vfloat;
typedef __mmask16 vmask;

TE_VFUNC vfloat v_load(const float *p) { return _mm512_loadu_ps(p); }
TE_VFUNC void v_store(float *p, vfloat v) { _mm512_storeu_ps(p, v); }
TE_VFUNC vfloat v_set1(float x) { return _mm512_set1_ps(x); }

TE_VFUNC vfloat v_add(vfloat a, vfloat b) { return _mm512_add_ps(a, b); }
TE_VFUNC vfloat v_sub(vfloat a, vfloat b) { return _mm512_sub_ps(a, b); }
TE_VFUNC vfloat v_mul(vfloat a, vfloat b) { return _mm512_mul_ps(a, b); }
TE_VFUNC vfloat v_div(vfloat a, vfloat b) { return _mm512_div_ps(a, b); }
/// The correctly rounded square root of each lane.
TE_VFUNC vfloat v_sqrt(vfloat a) { return _mm512_sqrt_ps(a); }
/// a * b + c with one rounding.
TE_VFUNC vfloat v_fma(vfloat a, vfloat b, vfloat c) { return _mm512_fmadd_ps(a, b, c); }
/// c - a * b with one rounding.
TE_VFUNC vfloat v_fnma(vfloat a, vfloat b, vfloat c) { return _mm512_fnmadd_ps(a, b, c); }
/// max(bound, x); a NaN in x comes out as NaN (vmaxps returns its second operand on NaN).
TE_VFUNC vfloat v_max(vfloat bound, vfloat x) { return _mm512_max_ps(bound, x); }
/// min(bound, x); a NaN in x comes out as NaN.
TE_VFUNC vfloat v_min(vfloat bound, vfloat x) { return _mm512_min_ps(bound, x); }
TE_VFUNC vfloat v_abs(vfloat x) {
    return _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32(0x7FFFFFFF)));
}
/// |magnitude| with the sign bit of `sign`.
TE_VFUNC vfloat v_copysign(vfloat magnitude, vfloat sign) {
    __m512i bits = _mm512_set1_epi32(0x7FFFFFFF);
    // bits ? magnitude : sign, bit by bit (ternary-logic table 0xCA: A ? B : C, bit by bit).
    return _mm512_castsi512_ps(_mm512_ternarylogic_epi32(bits, _mm512_castps_si512(magnitude),
                                                         _mm512_castps_si512(sign), 0xCA));
}
/// Round to the nearest integer (ties to even), kept as float.
TE_VFUNC vfloat v_round(vfloat x) { return _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
TE_VFUNC vfloat v_floor(vfloat x) { return _mm512_roundscale_ps(x, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
/// 2^n for integer-valued n in [-126, 127], built in the exponent field.
TE_VFUNC vfloat v_pow2i(vfloat n) {
    __m512i biased = _mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127));
    return _mm512_castsi512_ps(_mm512_slli_epi32(biased, 23));
}

TE_VFUNC vmask v_less(vfloat a, vfloat b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
TE_VFUNC vmask v_greater_equal(vfloat a, vfloat b) { return _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ); }
/// mask ? a : b, lane by lane.
TE_VFUNC vfloat v_select(vmask mask, vfloat a, vfloat b) { return _mm512_mask_blend_ps(mask, b, a); }
/// Whether every lane / no lane of the mask is set.
TE_VFUNC int v_all(vmask mask) { return mask == 0xFFFF; }
TE_VFUNC int v_none(vmask mask) { return mask == 0; }

/// The sum of the 16 lanes in a fixed order: the two halves added (0+8, …, 7+15), then as the
/// AVX2 path sums 8 lanes.
TE_VFUNC float v_hsum(vfloat v) {
    __m256 y = _mm256_add_ps(_mm512_castps512_ps256(v), _mm512_extractf32x8_ps(v, 1));
    __m128 x = _mm_add_ps(_mm256_castps256_ps128(y), _mm256_extractf128_ps(y, 1));
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    x = _mm_add_ss(x, _mm_movehdup_ps(x));
    return _mm_cvtss_f32(x);
}
TE_VFUNC float v_hmax(vfloat v) {
    __m256 y = _mm256_max_ps(_mm512_castps512_ps256(v), _mm512_extractf32x8_ps(v, 1));
    __m128 x = _mm_max_ps(_mm256_castps256_ps128(y), _mm256_extractf128_ps(y, 1));
    x = _mm_max_ps(x, _mm_movehl_ps(x, x));
    x = _mm_max_ss(x, _mm_movehdup_ps(x));
    return _mm_cvtss_f32(x);
}

/// The first `count` (< 16) floats at p, the other lanes set to `fill` (a masked load: nothing
/// past p + count is touched).
TE_VFUNC vfloat v_load_partial(const float *p, long count, float fill) {
    return _mm512_mask_loadu_ps(_mm512_set1_ps(fill), TE_LANE_MASK16(count), p);
}
/// Stores the first `count` (< 16) lanes of v at p.
TE_VFUNC void v_store_partial(float *p, vfloat v, long count) {
    _mm512_mask_storeu_ps(p, TE_LANE_MASK16(count), v);
}

#endif
