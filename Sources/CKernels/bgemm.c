// The bfloat16 product for inference: C = A · op(B) (+ a row bias) with op(B) a weight packed
// once into bf16 pairs (te_bgemm_pack_b; the layout in internal.h, shared by every bf16 unit)
// and A float32, rounded to bf16 (nearest, ties to even) per call, TE_BF16_MC rows at a time
// into a per-thread buffer, then multiplied by the calling thread's path's bf16 unit
// (AVX512-BF16 or AMX), accumulating in float32. A path without a unit refuses (returns 0).
// Not handled: a transposed A, alpha/beta (C is written: A·B or A·B + bias), threads (the Swift
// caller hands row blocks to threads).
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "CKernels.h"
#include "internal.h"

static long round_up(long n, long multiple) { return (n + multiple - 1) / multiple * multiple; }

// MARK: - Packing B

long te_bgemm_packed_b_count(long n, long k) {
    if (n <= 0 || k <= 0) return TE_BF16_NR;
    return round_up(k, TE_BF16_K_ALIGN) * round_up(n, TE_BF16_NR);
}

void te_bgemm_pack_b(int trans_b, long n, long k, const float *b, long ldb, long column_start,
                     long column_end, uint16_t *packed) {
    if (column_end > n) column_end = n;
    if (column_start < 0 || column_start >= column_end || k <= 0) return;
    long kp = round_up(k, TE_BF16_K_ALIGN);
    long panel_end = round_up(column_end, TE_BF16_NR);
    // One pair row (2 K rows x NR columns) at a time: gather op(B), round, interleave.
    float row0[TE_BF16_NR], row1[TE_BF16_NR];
    uint16_t low[TE_BF16_NR], high[TE_BF16_NR];
    for (long j0 = column_start; j0 < panel_end; j0 += TE_BF16_NR) {
        uint16_t *panel = packed + (j0 / TE_BF16_NR) * kp * TE_BF16_NR;
        for (long q = 0; q < kp / 2; q++) {
            for (long c = 0; c < TE_BF16_NR; c++) {
                long j = j0 + c, p0 = 2 * q, p1 = 2 * q + 1;
                int inside = j < column_end;
                row0[c] = inside && p0 < k ? (trans_b ? b[j * ldb + p0] : b[p0 * ldb + j]) : 0.0f;
                row1[c] = inside && p1 < k ? (trans_b ? b[j * ldb + p1] : b[p1 * ldb + j]) : 0.0f;
            }
            te_f32_to_bf16_scalar(row0, low, TE_BF16_NR);
            te_f32_to_bf16_scalar(row1, high, TE_BF16_NR);
            uint16_t *pairs = panel + q * 2 * TE_BF16_NR;
            for (long c = 0; c < TE_BF16_NR; c++) {
                pairs[2 * c] = low[c];
                pairs[2 * c + 1] = high[c];
            }
        }
    }
}

// MARK: - Per-thread A buffer

typedef struct a_buffer {
    uint16_t *values;
    long capacity;
} a_buffer;

static pthread_key_t buffer_key;
static pthread_once_t buffer_once = PTHREAD_ONCE_INIT;

static void free_buffer(void *value) {
    a_buffer *buffer = value;
    free(buffer->values);
    free(buffer);
}

static void make_buffer_key(void) { pthread_key_create(&buffer_key, free_buffer); }

/// The calling thread's buffer of at least `count` bf16 values, 64-byte aligned (NULL if memory
/// runs out). It grows, never shrinks, and is freed when the thread exits.
static uint16_t *thread_a_buffer(long count) {
    pthread_once(&buffer_once, make_buffer_key);
    a_buffer *buffer = pthread_getspecific(buffer_key);
    if (!buffer) {
        buffer = calloc(1, sizeof(a_buffer));
        if (!buffer) return NULL;
        pthread_setspecific(buffer_key, buffer);
    }
    if (buffer->capacity >= count) return buffer->values;
    free(buffer->values);
    void *memory = NULL;
    if (posix_memalign(&memory, 64, (size_t)count * sizeof(uint16_t)) != 0) memory = NULL;
    buffer->values = memory;
    buffer->capacity = memory ? count : 0;
    return buffer->values;
}

// MARK: - The product

int te_bf16_available(void) { return te_path_in_use()->bf16 != NULL; }

long te_bgemm_block_rows(void) { return TE_BF16_MC; }

int te_bgemm_prepacked(long m, long n, long k, const float *a, long lda, const uint16_t *packed_b,
                       const float *bias, float *c, long ldc) {
    const te_bf16_kernels *unit = te_path_in_use()->bf16;
    if (!unit) return 0;
    if (m <= 0 || n <= 0) return 1;
    if (k <= 0) {
        for (long i = 0; i < m; i++) {
            if (bias) memcpy(c + i * ldc, bias, (size_t)n * sizeof(float));
            else memset(c + i * ldc, 0, (size_t)n * sizeof(float));
        }
        return 1;
    }
    long kp = round_up(k, TE_BF16_K_ALIGN);
    uint16_t *converted = thread_a_buffer(TE_BF16_MC * kp);
    if (!converted) return -1;
    for (long i0 = 0; i0 < m; i0 += TE_BF16_MC) {
        long rows = m - i0 < TE_BF16_MC ? m - i0 : TE_BF16_MC;
        // Rows rounded to bf16, zero past k and in the rows up to the block's end (the tiles
        // read whole 12- or 32-row panels; the rows past `rows` are never stored).
        for (long r = 0; r < rows; r++) {
            uint16_t *row = converted + r * kp;
            unit->convert(a + (i0 + r) * lda, row, k);
            memset(row + k, 0, (size_t)(kp - k) * sizeof(uint16_t));
        }
        long padded = round_up(rows, 12) > round_up(rows, 32) ? round_up(rows, 12) : round_up(rows, 32);
        if (padded > TE_BF16_MC) padded = TE_BF16_MC;
        if (padded > rows) memset(converted + rows * kp, 0, (size_t)((padded - rows) * kp) * sizeof(uint16_t));
        unit->multiply_block(rows, n, kp, converted, packed_b, bias, c + i0 * ldc, ldc);
    }
    return 1;
}
