// word2vec's negative-sampling step (te_sgns_step; the algorithm is described in sgns.c) on
// AVX-512: 16 floats per vector, and the tail of a row (dim not a multiple of 16) through masked
// loads and stores instead of a scalar loop. Reached only through the AVX-512 path's table.
// Not handled: hierarchical softmax.
#if defined(__x86_64__) || defined(_M_X64)
#include <math.h>
#include "CKernels.h"
#include "internal.h"
#include "avx512_util.h"

/// σ(s) from the table (size + 1 entries over [−max_score, max_score]), 0/1 beyond the ends.
static inline float table_sigmoid(float s, const float *table, float max_score, float scale) {
    if (s >= max_score) return 1.0f;
    if (s <= -max_score) return 0.0f;
    return table[(long)((s + max_score) * scale)];
}

TE_AVX512 void te_sgns_step_avx512(const float *h, const long *targets, long target_count, float *output,
                                   long dim, float lr, const float *table, float max_score, float scale,
                                   float *e) {
    long full = dim & ~15L;
    __mmask16 tail = TE_LANE_MASK16(dim - full);
    long i;
    for (i = 0; i < full; i += 16) _mm512_storeu_ps(e + i, _mm512_setzero_ps());
    if (tail) _mm512_mask_storeu_ps(e + full, tail, _mm512_setzero_ps());
    for (long position = 0; position < target_count; position++) {
        long target = targets[position];
        if (target < 0) continue;
        float *u = output + target * dim;
        // s = h·u with two accumulators (32 lanes), the masked tail into the second.
        __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
        for (i = 0; i + 32 <= full; i += 32) {
            acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(h + i), _mm512_loadu_ps(u + i), acc0);
            acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(h + i + 16), _mm512_loadu_ps(u + i + 16), acc1);
        }
        if (i < full) acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(h + i), _mm512_loadu_ps(u + i), acc0);
        if (tail)
            acc1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(tail, h + full), _mm512_maskz_loadu_ps(tail, u + full), acc1);
        float s = _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1));
        float g = lr * ((position == 0 ? 1.0f : 0.0f) - table_sigmoid(s, table, max_score, scale));
        // One pass: e += g·u (u before its update), u += g·h.
        __m512 vg = _mm512_set1_ps(g);
        for (i = 0; i < full; i += 16) {
            __m512 old = _mm512_loadu_ps(u + i);
            _mm512_storeu_ps(e + i, _mm512_fmadd_ps(vg, old, _mm512_loadu_ps(e + i)));
            _mm512_storeu_ps(u + i, _mm512_fmadd_ps(vg, _mm512_loadu_ps(h + i), old));
        }
        if (tail) {
            __m512 old = _mm512_maskz_loadu_ps(tail, u + full);
            _mm512_mask_storeu_ps(e + full, tail, _mm512_fmadd_ps(vg, old, _mm512_maskz_loadu_ps(tail, e + full)));
            _mm512_mask_storeu_ps(u + full, tail, _mm512_fmadd_ps(vg, _mm512_maskz_loadu_ps(tail, h + full), old));
        }
    }
}
#endif
