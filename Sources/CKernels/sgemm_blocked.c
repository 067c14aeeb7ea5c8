// The packed, cache-blocked SGEMM loop nest (Goto & van de Geijn, "Anatomy of High-Performance
// Matrix Multiplication", 2008; the five loops of BLIS). It is the same for every fast path: the
// path supplies the packing routines and the MR x NR micro-kernel (te_gemm_kernels).
// Packing absorbs the transposes and the ragged edges (zero padding), so the micro-kernel only
// ever sees full, aligned panels. Not handled: threads (the Swift caller splits C).
#include <stdint.h>
#include <stdlib.h>
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
    size_t bytes = ((size_t)count * sizeof(float) + 63) & ~(size_t)63;
    *buffer = aligned_alloc(64, bytes);
    *capacity = *buffer ? count : 0;
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

void te_sgemm_blocked(const te_gemm_kernels *kernels, int trans_a, int trans_b, long m, long n,
                      long k, float alpha, const float *a, long lda, const float *b, long ldb,
                      float beta, float *c, long ldc) {
    const long mr = TE_GEMM_MR, nr = TE_GEMM_NR;
    long kc_max = k_block_size(k);
    long nc_max = (n + nr - 1) / nr * nr;
    if (nc_max > TE_GEMM_NC) nc_max = TE_GEMM_NC;
    long mc_max = (m + mr - 1) / mr * mr;
    if (mc_max > TE_GEMM_MC) mc_max = TE_GEMM_MC;

    pack_buffers *buffers = thread_buffers();
    float *packed_a = buffers ? ensure_capacity(&buffers->a, &buffers->a_capacity, mc_max * kc_max) : NULL;
    float *packed_b = buffers ? ensure_capacity(&buffers->b, &buffers->b_capacity, kc_max * nc_max) : NULL;
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
            // Loop 3: row blocks of C and op(A), MC tall.
            for (long ic = 0; ic < m; ic += TE_GEMM_MC) {
                long mc = m - ic < TE_GEMM_MC ? m - ic : TE_GEMM_MC;
                const float *a_block = trans_a ? a + pc * lda + ic : a + ic * lda + pc;
                kernels->pack_a(trans_a, a_block, lda, mc, kc, packed_a);
                // Loop 2: NR-wide panels of packed B; each stays in L1 across loop 1.
                for (long jr = 0; jr < nc; jr += nr) {
                    long cols = nc - jr < nr ? nc - jr : nr;
                    const float *b_panel = packed_b + jr * kc;
                    // Loop 1: MR-tall panels of packed A, streamed from L2.
                    for (long ir = 0; ir < mc; ir += mr) {
                        long rows = mc - ir < mr ? mc - ir : mr;
                        float *c_tile = c + (ic + ir) * ldc + jc + jr;
                        kernels->micro_kernel(kc, packed_a + ir * kc, b_panel, c_tile, ldc,
                                              alpha, beta_block, rows, cols);
                    }
                }
            }
        }
    }
}
