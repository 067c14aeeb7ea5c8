// The packed, cache-blocked SGEMM loop nest (Goto & van de Geijn, "Anatomy of High-Performance
// Matrix Multiplication", 2008; the five loops of BLIS). It is the same for every fast path: the
// path supplies the packing routines and the MR x NR micro-kernel (te_gemm_kernels).
// Packing absorbs the transposes and the ragged edges (zero padding), so the micro-kernel only
// ever sees full, aligned panels. Not handled: threads (the Swift caller splits C); platforms
// without pthreads (Windows).
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include "CKernels.h"
#include "internal.h"

// MARK: - K blocks

long te_gemm_k_blocks(long k) { return (k + TE_GEMM_KC - 1) / TE_GEMM_KC; }

/// The common depth of the K blocks: k split evenly, rounded up to a multiple of 8.
static long k_block_size(long k) {
    long blocks = te_gemm_k_blocks(k);
    long size = (k + blocks - 1) / blocks;
    return (size + 7) & ~7L;
}

long te_gemm_k_block_start(long k, long index) {
    long start = index * k_block_size(k);
    return start < k ? start : k;
}

// MARK: - Per-thread packing buffers

// Each thread keeps its two packing buffers between calls (they grow, never shrink), so a GEMM
// does not pay for allocation and page faults every time. The pthread key frees them when the
// thread exits.
typedef struct pack_buffers {
    float *a, *b;
    long a_capacity, b_capacity;
} pack_buffers;

static pthread_key_t buffers_key;
static pthread_once_t buffers_once = PTHREAD_ONCE_INIT;

static void free_buffers(void *value) {
    pack_buffers *buffers = value;
    free(buffers->a);
    free(buffers->b);
    free(buffers);
}

static void make_buffers_key(void) { pthread_key_create(&buffers_key, free_buffers); }

/// A 64-byte-aligned buffer of at least `count` floats (plus slack for the packers' 8-wide
/// overlapping stores), reusing `*buffer` when it is large enough. NULL if memory runs out.
static float *ensure_capacity(float **buffer, long *capacity, long count) {
    count += 16;
    if (*capacity >= count) return *buffer;
    free(*buffer);
    void *memory = NULL;
    if (posix_memalign(&memory, 64, (size_t)count * sizeof(float)) != 0) memory = NULL;
    *buffer = memory;
    *capacity = memory ? count : 0;
    return *buffer;
}

static pack_buffers *thread_buffers(void) {
    pthread_once(&buffers_once, make_buffers_key);
    pack_buffers *buffers = pthread_getspecific(buffers_key);
    if (!buffers) {
        buffers = calloc(1, sizeof(pack_buffers));
        if (!buffers) return NULL;
        pthread_setspecific(buffers_key, buffers);
    }
    return buffers;
}

// MARK: - The loop nest

/// Loops 3 to 1 for one K block: C[0..m, 0..nc] (+)= alpha * op(A)[.., pc..pc+kc] * B̃, where
/// B̃ holds the block's packed 16-column panels (panel j at b_packed + j * kc).
static void multiply_packed_b(const te_gemm_kernels *kernels, int trans_a, long m, long nc,
                              long pc, long kc, float alpha, const float *a, long lda,
                              const float *b_packed, float beta_block, const float *bias,
                              float *c, long ldc, float *packed_a) {
    const long mr = TE_GEMM_MR, nr = TE_GEMM_NR;
    // Loop 3: row blocks of C and op(A), MC tall.
    for (long ic = 0; ic < m; ic += TE_GEMM_MC) {
        long mc = m - ic < TE_GEMM_MC ? m - ic : TE_GEMM_MC;
        const float *a_block = trans_a ? a + pc * lda + ic : a + ic * lda + pc;
        kernels->pack_a(trans_a, a_block, lda, mc, kc, packed_a);
        // Loop 2: NR-wide panels of packed B; each stays in L1 across loop 1.
        for (long jr = 0; jr < nc; jr += nr) {
            long cols = nc - jr < nr ? nc - jr : nr;
            const float *b_panel = b_packed + jr * kc;
            // Loop 1: MR-tall panels of packed A, streamed from L2.
            for (long ir = 0; ir < mc; ir += mr) {
                long rows = mc - ir < mr ? mc - ir : mr;
                float *tile = c + (ic + ir) * ldc + jr;
                if (bias && kernels->micro_kernel_bias) {
                    // The kernel adds the bias in its last step: C is written, never read.
                    kernels->micro_kernel_bias(kc, packed_a + ir * kc, b_panel, tile, ldc, alpha, bias + jr, rows, cols);
                    continue;
                }
                // A row bias goes into the tile just before the kernel adds onto it (β = 1), so
                // the tile is in L1 when the kernel loads it.
                if (bias)
                    for (long row = 0; row < rows; row++) memcpy(tile + row * ldc, bias + jr, (size_t)cols * sizeof(float));
                kernels->micro_kernel(kc, packed_a + ir * kc, b_panel, tile, ldc,
                                      alpha, bias ? 1.0f : beta_block, rows, cols);
            }
        }
    }
}

/// The per-thread A buffer for an m x k product (NULL if memory runs out).
static float *packed_a_buffer(long m, long k) {
    long mc_max = (m + TE_GEMM_MR - 1) / TE_GEMM_MR * TE_GEMM_MR;
    if (mc_max > TE_GEMM_MC) mc_max = TE_GEMM_MC;
    pack_buffers *buffers = thread_buffers();
    return buffers ? ensure_capacity(&buffers->a, &buffers->a_capacity, mc_max * k_block_size(k)) : NULL;
}

void te_sgemm_blocked(const te_gemm_kernels *kernels, int trans_a, int trans_b, long m, long n,
                      long k, float alpha, const float *a, long lda, const float *b, long ldb,
                      float beta, float *c, long ldc) {
    long nc_max = (n + TE_GEMM_NR - 1) / TE_GEMM_NR * TE_GEMM_NR;
    if (nc_max > TE_GEMM_NC) nc_max = TE_GEMM_NC;
    float *packed_a = packed_a_buffer(m, k);
    pack_buffers *buffers = thread_buffers();
    float *packed_b = buffers ? ensure_capacity(&buffers->b, &buffers->b_capacity, k_block_size(k) * nc_max) : NULL;
    if (!packed_a || !packed_b) {
        // Out of memory for a few hundred KiB: still give the right answer, slowly.
        te_sgemm_portable(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
    long k_blocks = te_gemm_k_blocks(k);
    // Loop 5: column blocks of C and op(B), NC wide.
    for (long jc = 0; jc < n; jc += TE_GEMM_NC) {
        long nc = n - jc < TE_GEMM_NC ? n - jc : TE_GEMM_NC;
        // Loop 4: rank-kc updates, in a fixed order (this order is the summation order).
        for (long block = 0; block < k_blocks; block++) {
            long pc = te_gemm_k_block_start(k, block);
            long kc = te_gemm_k_block_start(k, block + 1) - pc;
            if (kc <= 0) break;
            // The first update applies the caller's beta; later ones add to what is there.
            float beta_block = block == 0 ? beta : 1.0f;
            const float *b_block = trans_b ? b + jc * ldb + pc : b + pc * ldb + jc;
            kernels->pack_b(trans_b, b_block, ldb, kc, nc, packed_b);
            multiply_packed_b(kernels, trans_a, m, nc, pc, kc, alpha, a, lda, packed_b, beta_block, NULL,
                              c + jc, ldc, packed_a);
        }
    }
}

// MARK: - op(B) packed once, shared by threads

// Layout of a whole packed op(B): K block b (rows pc..pc+kc) starts at pc * n16 (n16 = n rounded
// up to 16) and holds the block's 16-column panels, panel j at + j * kc. Every table packs the
// same layout, so a buffer packed on one path can be multiplied on another.

/// The GEMM pieces of the path in use; the portable table when there is no vector path.
static const te_gemm_kernels *gemm_kernels(void) {
    switch (te_kernel_path()) {
#if defined(__x86_64__) || defined(_M_X64)
    case TE_PATH_AVX2: return &te_gemm_kernels_avx2;
#endif
#if defined(__aarch64__)
    case TE_PATH_NEON: return &te_gemm_kernels_neon;
#endif
    default: return &te_gemm_kernels_portable;
    }
}

static long round_up_16(long n) { return (n + TE_GEMM_NR - 1) / TE_GEMM_NR * TE_GEMM_NR; }

long te_sgemm_packed_b_count(long n, long k) {
    return n > 0 && k > 0 ? k * round_up_16(n) + 16 : 16;
}

void te_sgemm_pack_b(int trans_b, long n, long k, const float *b, long ldb, long column_start,
                     long column_end, float *packed) {
    if (column_end > n) column_end = n;
    if (column_start < 0 || column_start >= column_end || k <= 0) return;
    const te_gemm_kernels *kernels = gemm_kernels();
    long n16 = round_up_16(n), k_blocks = te_gemm_k_blocks(k);
    for (long block = 0; block < k_blocks; block++) {
        long pc = te_gemm_k_block_start(k, block);
        long kc = te_gemm_k_block_start(k, block + 1) - pc;
        if (kc <= 0) break;
        const float *b_block = trans_b ? b + column_start * ldb + pc : b + pc * ldb + column_start;
        kernels->pack_b(trans_b, b_block, ldb, kc, column_end - column_start,
                        packed + pc * n16 + column_start * kc);
    }
}

/// Out of memory for the A buffer: plain loops that read op(B) back out of its panels, with the
/// same per-element arithmetic (an FMA chain per K block, then alpha * acc + beta * C).
static void multiply_from_panels(int trans_a, long m, long n, long k, float alpha, const float *a,
                                 long lda, const float *packed_b, float beta, float *c, long ldc) {
    long n16 = round_up_16(n), k_blocks = te_gemm_k_blocks(k);
    for (long block = 0; block < k_blocks; block++) {
        long pc = te_gemm_k_block_start(k, block);
        long kc = te_gemm_k_block_start(k, block + 1) - pc;
        if (kc <= 0) break;
        float beta_block = block == 0 ? beta : 1.0f;
        const float *region = packed_b + pc * n16;
        for (long i = 0; i < m; i++) {
            for (long j = 0; j < n; j++) {
                const float *column = region + (j / TE_GEMM_NR) * TE_GEMM_NR * kc + j % TE_GEMM_NR;
                float acc = 0.0f;
                for (long p = 0; p < kc; p++) {
                    float aip = trans_a ? a[(pc + p) * lda + i] : a[i * lda + pc + p];
                    acc = fmaf(aip, column[p * TE_GEMM_NR], acc);
                }
                float *cij = c + i * ldc + j;
                *cij = beta_block == 0.0f ? alpha * acc : fmaf(acc, alpha, beta_block * *cij);
            }
        }
    }
}

void te_sgemm_prepacked(int trans_a, long m, long n, long k, float alpha, const float *a,
                        long lda, const float *packed_b, float beta, float *c, long ldc) {
    te_sgemm_prepacked_bias(trans_a, m, n, k, alpha, a, lda, packed_b, beta, NULL, c, ldc);
}

void te_sgemm_prepacked_bias(int trans_a, long m, long n, long k, float alpha, const float *a,
                             long lda, const float *packed_b, float beta, const float *bias,
                             float *c, long ldc) {
    if (m <= 0 || n <= 0) return;
    if (bias) {
        // C starts as the bias in every row; the product is added onto it.
        if (k <= 0 || alpha == 0.0f) {
            for (long i = 0; i < m; i++) memcpy(c + i * ldc, bias, (size_t)n * sizeof(float));
            return;
        }
        beta = 1.0f;
    }
    if (k <= 0 || alpha == 0.0f) {
        te_sgemm(trans_a, 0, m, n, 0, alpha, a, lda, packed_b, n, beta, c, ldc);  // C = beta C
        return;
    }
    const te_gemm_kernels *kernels = gemm_kernels();
    float *packed_a = packed_a_buffer(m, k);
    if (!packed_a) {
        if (bias)
            for (long i = 0; i < m; i++) memcpy(c + i * ldc, bias, (size_t)n * sizeof(float));
        multiply_from_panels(trans_a, m, n, k, alpha, a, lda, packed_b, beta, c, ldc);
        return;
    }
    long n16 = round_up_16(n), k_blocks = te_gemm_k_blocks(k);
    for (long block = 0; block < k_blocks; block++) {
        long pc = te_gemm_k_block_start(k, block);
        long kc = te_gemm_k_block_start(k, block + 1) - pc;
        if (kc <= 0) break;
        multiply_packed_b(kernels, trans_a, m, n, pc, kc, alpha, a, lda, packed_b + pc * n16,
                          block == 0 ? beta : 1.0f, block == 0 ? bias : NULL, c, ldc, packed_a);
    }
}
