// The negative-sampling SGD step of word2vec (skip-gram, CBOW) and FastText, the inner loop of
// every static-vector trainer: for each target row u_t (the positive one first, then the noise
// words), s = h·u_t, g = lr·(label − σ(s)) with σ from word2vec.c's table, e += g·u_t, then
// u_t += g·h. With D ≈ 100 the two passes over a row are a handful of vector instructions, and
// Swift's SIMD without compiler flags gets neither AVX2 nor FMA; hence this file. The readable
// definition, which the tests hold this to, is `negativeSamplingStepReference` in WordVectors.
// te_prefetch_rows asks for the rows of the next step ahead of time (__builtin_prefetch, on
// every architecture). Each path's table names its step (the AVX-512 one is sgns_avx512.c).
// Not handled: hierarchical softmax; NEON intrinsics (arm64 runs the portable loops, which the
// compiler vectorises with NEON at -O2).
#include <math.h>
#include <stdint.h>
#include "CKernels.h"
#include "internal.h"
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#include "avx2_util.h"
#endif

/// σ(s) from the table (size + 1 entries over [−max_score, max_score]), 0/1 beyond the ends.
static inline float table_sigmoid(float s, const float *table, float max_score, float scale) {
    if (s >= max_score) return 1.0f;
    if (s <= -max_score) return 0.0f;
    return table[(long)((s + max_score) * scale)];
}

void te_sgns_step_portable(const float *h, const long *targets, long target_count, float *output,
                               long dim, float lr, const float *table, float max_score, float scale, float *e) {
    for (long i = 0; i < dim; i++) e[i] = 0.0f;
    for (long position = 0; position < target_count; position++) {
        long target = targets[position];
        if (target < 0) continue;
        float *u = output + target * dim;
        float s = 0.0f;
        for (long i = 0; i < dim; i++) s += h[i] * u[i];
        float g = lr * ((position == 0 ? 1.0f : 0.0f) - table_sigmoid(s, table, max_score, scale));
        for (long i = 0; i < dim; i++) {
            float old = u[i];
            e[i] += g * old;
            u[i] = old + g * h[i];
        }
    }
}

#if defined(__x86_64__) || defined(_M_X64)
TE_AVX2 void te_sgns_step_avx2(const float *h, const long *targets, long target_count, float *output,
                                   long dim, float lr, const float *table, float max_score, float scale,
                                   float *e) {
    long i;
    for (i = 0; i + 8 <= dim; i += 8) _mm256_storeu_ps(e + i, _mm256_setzero_ps());
    for (; i < dim; i++) e[i] = 0.0f;
    for (long position = 0; position < target_count; position++) {
        long target = targets[position];
        if (target < 0) continue;
        float *u = output + target * dim;
        // s = h·u with two accumulators (16 lanes), then the tail.
        __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
        for (i = 0; i + 16 <= dim; i += 16) {
            acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(h + i), _mm256_loadu_ps(u + i), acc0);
            acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(h + i + 8), _mm256_loadu_ps(u + i + 8), acc1);
        }
        if (i + 8 <= dim) {
            acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(h + i), _mm256_loadu_ps(u + i), acc0);
            i += 8;
        }
        __m256 lanes = _mm256_add_ps(acc0, acc1);
        __m128 half = _mm_add_ps(_mm256_castps256_ps128(lanes), _mm256_extractf128_ps(lanes, 1));
        half = _mm_add_ps(half, _mm_movehl_ps(half, half));
        half = _mm_add_ss(half, _mm_movehdup_ps(half));
        float s = _mm_cvtss_f32(half);
        for (; i < dim; i++) s = fmaf(h[i], u[i], s);
        float g = lr * ((position == 0 ? 1.0f : 0.0f) - table_sigmoid(s, table, max_score, scale));
        // One pass: e += g·u (u before its update), u += g·h.
        __m256 vg = _mm256_set1_ps(g);
        for (i = 0; i + 8 <= dim; i += 8) {
            __m256 old = _mm256_loadu_ps(u + i);
            _mm256_storeu_ps(e + i, _mm256_fmadd_ps(vg, old, _mm256_loadu_ps(e + i)));
            _mm256_storeu_ps(u + i, _mm256_fmadd_ps(vg, _mm256_loadu_ps(h + i), old));
        }
        for (; i < dim; i++) {
            float old = u[i];
            e[i] = fmaf(g, old, e[i]);
            u[i] = fmaf(g, h[i], old);
        }
    }
}
#endif

/// Every 64-byte line that row `row` of `matrix` touches, from the one holding its first byte.
static inline void prefetch_row(const float *matrix, long row, long dim) {
    const char *start = (const char *)(matrix + row * dim), *end = start + dim * (long)sizeof(float);
    for (const char *line = (const char *)((uintptr_t)start & ~(uintptr_t)63); line < end; line += 64)
        __builtin_prefetch(line, 1, 3);
}

void te_prefetch_rows(const float *matrix, const long *rows, long count, long dim) {
    for (long i = 0; i < count; i++)
        if (rows[i] >= 0) prefetch_row(matrix, rows[i], dim);
}

void te_prefetch_rows_i32(const float *matrix, const int32_t *rows, long count, long dim) {
    for (long i = 0; i < count; i++)
        if (rows[i] >= 0) prefetch_row(matrix, rows[i], dim);
}

void te_sgns_step(const float *h, const long *targets, long target_count, float *output_vectors, long dim,
                  float lr, const float *sigmoid_table, float max_score, float table_scale, float *e) {
    if (dim <= 0) return;
    te_path_in_use()->sgns_step(h, targets, target_count, output_vectors, dim, lr, sigmoid_table, max_score,
                                table_scale, e);
}
