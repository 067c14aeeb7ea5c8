// float32 → bfloat16 by rounding to nearest, ties to even: the scalar form (every path's
// reference, and the packing of weights) and the AVX-512 form the bf16 units use on activations.
// bfloat16 is float32's top 16 bits (sign, the same 8 exponent bits, 7 fraction bits), so
// rounding is integer arithmetic on the bit pattern: add 0x7FFF plus the lowest kept bit, keep
// the top half. A carry runs into the exponent as it should (the largest floats round to
// infinity, the largest subnormals to the smallest normal); subnormals are kept, not flushed
// (vcvtneps2bf16 would flush them, hence no use of it here). NaN becomes a quiet NaN with the
// same sign and the top payload bits (adding to a NaN's pattern could carry it into infinity).
// Not handled: bf16 → f32 (a 16-bit shift, done in Swift where needed).
#include <string.h>
#include "CKernels.h"
#include "internal.h"

static inline uint16_t bf16_round(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    if ((bits & 0x7FFFFFFFu) > 0x7F800000u) return (uint16_t)((bits >> 16) | 0x0040u);  // NaN
    return (uint16_t)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
}

void te_f32_to_bf16_scalar(const float *x, uint16_t *y, long n) {
    for (long i = 0; i < n; i++) y[i] = bf16_round(x[i]);
}

void te_f32_to_bf16(const float *x, uint16_t *y, long n) {
    if (n <= 0) return;
    const te_bf16_kernels *unit = te_path_in_use()->bf16;
    if (unit) unit->convert(x, y, n);
    else te_f32_to_bf16_scalar(x, y, n);
}

#if defined(__x86_64__) || defined(_M_X64)
#include "avx512_util.h"

/// 16 lanes at a time, the same integer steps as bf16_round; a masked tail.
TE_AVX512 void te_f32_to_bf16_avx512(const float *x, uint16_t *y, long n) {
    const __m512i bias = _mm512_set1_epi32(0x7FFF), one = _mm512_set1_epi32(1), quiet = _mm512_set1_epi32(0x0040);
    for (long i = 0; i < n; i += 16) {
        __mmask16 lanes = TE_LANE_MASK16(n - i);
        __m512 value = _mm512_maskz_loadu_ps(lanes, x + i);
        __m512i bits = _mm512_castps_si512(value);
        __m512i high = _mm512_srli_epi32(bits, 16);
        __m512i rounded = _mm512_srli_epi32(_mm512_add_epi32(bits, _mm512_add_epi32(bias, _mm512_and_si512(high, one))), 16);
        __mmask16 nan = _mm512_cmp_ps_mask(value, value, _CMP_UNORD_Q);
        rounded = _mm512_mask_or_epi32(rounded, nan, high, quiet);
        _mm256_mask_storeu_epi16(y + i, lanes, _mm512_cvtepi32_epi16(rounded));
    }
}
#endif
