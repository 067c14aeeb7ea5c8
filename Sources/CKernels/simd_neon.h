// The vector vocabulary of vmath_template.h mapped to arm64 NEON (4 floats per vector); the
// same names as simd_avx2.h, so the algorithms are shared. NEON is part of the arm64 baseline,
// so no target attribute is needed. Include only inside `#if defined(__aarch64__)`.
// Not handled: SVE.
#ifndef TINYENCODER_CKERNELS_SIMD_NEON_H
#define TINYENCODER_CKERNELS_SIMD_NEON_H

#include <arm_neon.h>
#include <string.h>

#define TE_LANES 4
#define TE_VFUNC static inline
#define TE_PATH_SUFFIX(name) name##_neon

typedef float32x4_t vfloat;
typedef uint32x4_t vmask;

TE_VFUNC vfloat v_load(const float *p) { return vld1q_f32(p); }
TE_VFUNC void v_store(float *p, vfloat v) { vst1q_f32(p, v); }
TE_VFUNC vfloat v_set1(float x) { return vdupq_n_f32(x); }

TE_VFUNC vfloat v_add(vfloat a, vfloat b) { return vaddq_f32(a, b); }
TE_VFUNC vfloat v_sub(vfloat a, vfloat b) { return vsubq_f32(a, b); }
TE_VFUNC vfloat v_mul(vfloat a, vfloat b) { return vmulq_f32(a, b); }
TE_VFUNC vfloat v_div(vfloat a, vfloat b) { return vdivq_f32(a, b); }
/// The correctly rounded square root of each lane.
TE_VFUNC vfloat v_sqrt(vfloat a) { return vsqrtq_f32(a); }
/// a * b + c with one rounding.
TE_VFUNC vfloat v_fma(vfloat a, vfloat b, vfloat c) { return vfmaq_f32(c, a, b); }
/// c - a * b with one rounding.
TE_VFUNC vfloat v_fnma(vfloat a, vfloat b, vfloat c) { return vfmsq_f32(c, a, b); }
/// max(bound, x); NaN in either comes out as NaN.
TE_VFUNC vfloat v_max(vfloat bound, vfloat x) { return vmaxq_f32(bound, x); }
/// min(bound, x); NaN in either comes out as NaN.
TE_VFUNC vfloat v_min(vfloat bound, vfloat x) { return vminq_f32(bound, x); }
TE_VFUNC vfloat v_abs(vfloat x) { return vabsq_f32(x); }
/// |magnitude| with the sign bit of `sign`.
TE_VFUNC vfloat v_copysign(vfloat magnitude, vfloat sign) {
    return vbslq_f32(vdupq_n_u32(0x80000000u), sign, vabsq_f32(magnitude));
}
/// Round to the nearest integer (ties to even), kept as float.
TE_VFUNC vfloat v_round(vfloat x) { return vrndnq_f32(x); }
TE_VFUNC vfloat v_floor(vfloat x) { return vrndmq_f32(x); }
/// 2^n for integer-valued n in [-126, 127], built in the exponent field.
TE_VFUNC vfloat v_pow2i(vfloat n) {
    int32x4_t biased = vaddq_s32(vcvtq_s32_f32(n), vdupq_n_s32(127));
    return vreinterpretq_f32_s32(vshlq_n_s32(biased, 23));
}

TE_VFUNC vmask v_less(vfloat a, vfloat b) { return vcltq_f32(a, b); }
TE_VFUNC vmask v_greater_equal(vfloat a, vfloat b) { return vcgeq_f32(a, b); }
/// mask ? a : b, lane by lane.
TE_VFUNC vfloat v_select(vmask mask, vfloat a, vfloat b) { return vbslq_f32(mask, a, b); }
/// Whether every lane / no lane of the mask is set.
TE_VFUNC int v_all(vmask mask) { return vminvq_u32(mask) != 0; }
TE_VFUNC int v_none(vmask mask) { return vmaxvq_u32(mask) == 0; }

/// The sum of the 4 lanes (pairwise, a fixed order).
TE_VFUNC float v_hsum(vfloat v) { return vaddvq_f32(v); }
TE_VFUNC float v_hmax(vfloat v) { return vmaxvq_f32(v); }

/// The first `count` (< 4) floats at p, the other lanes set to `fill`.
TE_VFUNC vfloat v_load_partial(const float *p, long count, float fill) {
    float lanes[TE_LANES] = {fill, fill, fill, fill};
    memcpy(lanes, p, (size_t)count * sizeof(float));
    return vld1q_f32(lanes);
}
/// Stores the first `count` (< 4) lanes of v at p.
TE_VFUNC void v_store_partial(float *p, vfloat v, long count) {
    float lanes[TE_LANES];
    vst1q_f32(lanes, v);
    memcpy(p, lanes, (size_t)count * sizeof(float));
}

#endif
