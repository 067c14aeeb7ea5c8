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
/// B̃ holds the block's packed NR-column panels (panel j at b_packed + j * kc).
static void multiply_packed_b(const te_gemm_kernels *kernels, int trans_a, long m, long nc,
                              long pc, long kc, float alpha, const float *a, long lda,
                              const float *b_packed, float beta_block, const float *bias,
                              float *c, long ldc, float *packed_a) {
    const long mr = kernels->mr, nr = kernels->nr;
    // Loop 3: row blocks of C and op(A), MC tall.
    for (long ic = 0; ic < m; ic += kernels->mc) {
        long mc = m - ic < kernels->mc ? m - ic : kernels->mc;
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
static float *packed_a_buffer(const te_gemm_kernels *kernels, long m, long k) {
    long mc_max = (m + kernels->mr - 1) / kernels->mr * kernels->mr;
    if (mc_max > kernels->mc) mc_max = kernels->mc;
    pack_buffers *buffers = thread_buffers();
    return buffers ? ensure_capacity(&buffers->a, &buffers->a_capacity, mc_max * te_gemm_k_block_size(k)) : NULL;
}

void te_sgemm_blocked(const te_gemm_kernels *kernels, int trans_a, int trans_b, long m, long n,
                      long k, float alpha, const float *a, long lda, const float *b, long ldb,
                      float beta, float *c, long ldc) {
    long nc_max = (n + kernels->nr - 1) / kernels->nr * kernels->nr;
    if (nc_max > kernels->nc) nc_max = kernels->nc;
    float *packed_a = packed_a_buffer(kernels, m, k);
    pack_buffers *buffers = thread_buffers();
    float *packed_b = buffers ? ensure_capacity(&buffers->b, &buffers->b_capacity, te_gemm_k_block_size(k) * nc_max) : NULL;
    if (!packed_a || !packed_b) {
        // Out of memory for a few hundred KiB: still give the right answer, slowly.
        te_sgemm_portable(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
    long k_blocks = te_gemm_k_blocks(k);
    // Loop 5: column blocks of C and op(B), NC wide.
    for (long jc = 0; jc < n; jc += kernels->nc) {
        long nc = n - jc < kernels->nc ? n - jc : kernels->nc;
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

// Layout of a whole packed op(B) on a path with NR-column panels: K block b (rows pc..pc+kc)
// starts at pc * n_nr (n_nr = n rounded up to NR) and holds the block's panels, panel j at
// + j * kc. The layout depends on the path's NR, so a buffer is multiplied on the path that
// packed it (PackedMatrix checks this on the Swift side).

static long round_up(long n, long multiple) { return (n + multiple - 1) / multiple * multiple; }

long te_sgemm_packed_b_count(long n, long k) {
    long nr = te_path_in_use()->gemm->nr;
    return n > 0 && k > 0 ? k * round_up(n, nr) + nr : nr;
}

void te_sgemm_pack_b(int trans_b, long n, long k, const float *b, long ldb, long column_start,
                     long column_end, float *packed) {
    if (column_end > n) column_end = n;
    if (column_start < 0 || column_start >= column_end || k <= 0) return;
    const te_gemm_kernels *kernels = te_path_in_use()->gemm;
    long n_nr = round_up(n, kernels->nr), k_blocks = te_gemm_k_blocks(k);
    for (long block = 0; block < k_blocks; block++) {
        long pc = te_gemm_k_block_start(k, block);
        long kc = te_gemm_k_block_start(k, block + 1) - pc;
        if (kc <= 0) break;
        const float *b_block = trans_b ? b + column_start * ldb + pc : b + pc * ldb + column_start;
        kernels->pack_b(trans_b, b_block, ldb, kc, column_end - column_start,
                        packed + pc * n_nr + column_start * kc);
    }
}

/// Out of memory for the A buffer: plain loops that read op(B) back out of its panels, with the
/// same per-element arithmetic (an FMA chain per K block, then alpha * acc + beta * C).
static void multiply_from_panels(long nr, int trans_a, long m, long n, long k, float alpha,
                                 const float *a, long lda, const float *packed_b, float beta,
                                 float *c, long ldc) {
    long n_nr = round_up(n, nr), k_blocks = te_gemm_k_blocks(k);
    for (long block = 0; block < k_blocks; block++) {
        long pc = te_gemm_k_block_start(k, block);
        long kc = te_gemm_k_block_start(k, block + 1) - pc;
        if (kc <= 0) break;
        float beta_block = block == 0 ? beta : 1.0f;
        const float *region = packed_b + pc * n_nr;
        for (long i = 0; i < m; i++) {
            for (long j = 0; j < n; j++) {
                const float *column = region + (j / nr) * nr * kc + j % nr;
                float acc = 0.0f;
                for (long p = 0; p < kc; p++) {
                    float aip = trans_a ? a[(pc + p) * lda + i] : a[i * lda + pc + p];
                    acc = fmaf(aip, column[p * nr], acc);
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
        te_scale_c(m, n, beta, c, ldc);
        return;
    }
    const te_gemm_kernels *kernels = te_path_in_use()->gemm;
    float *packed_a = packed_a_buffer(kernels, m, k);
    if (!packed_a) {
        if (bias)
            for (long i = 0; i < m; i++) memcpy(c + i * ldc, bias, (size_t)n * sizeof(float));
        multiply_from_panels(kernels->nr, trans_a, m, n, k, alpha, a, lda, packed_b, beta, c, ldc);
        return;
    }
    long n_nr = round_up(n, kernels->nr), k_blocks = te_gemm_k_blocks(k);
    for (long block = 0; block < k_blocks; block++) {
        long pc = te_gemm_k_block_start(k, block);
        long kc = te_gemm_k_block_start(k, block + 1) - pc;
        if (kc <= 0) break;
        multiply_packed_b(kernels, trans_a, m, n, pc, kc, alpha, a, lda, packed_b + pc * n_nr,
                          block == 0 ? beta : 1.0f, block == 0 ? bias : NULL, c, ldc, packed_a);
    }
}
