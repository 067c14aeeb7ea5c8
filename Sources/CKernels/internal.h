// Private declarations shared by the CKernels translation units: the path numbers, the GEMM
// blocking constants, the table of one path's GEMM pieces (packing and micro-kernel) that the
// blocked driver runs, and each path's entry points. Not part of the public header.
// Not handled: anything a caller outside CKernels may use (see include/CKernels.h).
#ifndef TINYENCODER_CKERNELS_INTERNAL_H
#define TINYENCODER_CKERNELS_INTERNAL_H

#include <stdint.h>

// The ids of the paths (te_kernel_path()); each is one te_path table (dispatch.c).
#define TE_PATH_PORTABLE 0
#define TE_PATH_AVX2 1
#define TE_PATH_NEON 2
#define TE_PATH_AVX512 3
#define TE_PATH_AVX512_BF16 4
#define TE_PATH_AMX 5

// MARK: - GEMM blocking (Goto & van de Geijn 2008; BLIS's five loops)
//
// The micro-kernel keeps an MR x NR tile of C in registers (6 x 16 = 12 ymm accumulators on
// AVX2, 24 q registers on NEON, 12 x 32 = 24 zmm on AVX-512). KC is the depth of one rank-kc
// update: a packed KC x NR panel of B stays in L1 while the packed MC x KC block of A stays in L2
// and the packed KC x NC block of B streams from L3. MR, NR, MC and NC belong to each path's table;
// KC is shared by all paths, and the K split depends on k alone (never on m, n, the thread count
// or the path), so every element of C is summed in the same order whatever the split.
#define TE_GEMM_KC 256
/// The largest MR and NR of any path (scratch tiles are sized by them).
#define TE_GEMM_MR_MAX 16
#define TE_GEMM_NR_MAX 64

/// One path's GEMM pieces and their geometry; `te_sgemm_blocked` runs the loops around them.
typedef struct te_gemm_kernels {
    /// The micro-kernel's tile (MR rows x NR columns) and the row and column blocks (MC, a
    /// multiple of MR; NC, a multiple of NR) of the loops around it.
    long mr, nr, mc, nc;
    /// Packs rows x kc of op(A), starting at `a` (already offset), into ceil(rows / MR) panels of
    /// MR x kc, each stored p-major (MR values per p), rows past `rows` zero-filled.
    void (*pack_a)(int trans_a, const float *a, long lda, long rows, long kc, float *packed);
    /// Packs kc x cols of op(B), starting at `b`, into ceil(cols / NR) panels of kc x NR,
    /// each stored p-major (NR values per p), columns past `cols` zero-filled.
    void (*pack_b)(int trans_b, const float *b, long ldb, long kc, long cols, float *packed);
    /// C[0..rows, 0..cols] = alpha * (packed A panel · packed B panel) + beta * C, where
    /// rows <= MR and cols <= NR; beta == 0 means C is not read.
    void (*micro_kernel)(long kc, const float *a, const float *b, float *c, long ldc,
                         float alpha, float beta, long rows, long cols);
    /// Optional (NULL on paths without it): C = alpha * (A panel · B panel) + bias in every row
    /// (bias: the tile's cols floats), C not read; the same bits as writing the bias into C and
    /// calling micro_kernel with beta = 1.
    void (*micro_kernel_bias)(long kc, const float *a, const float *b, float *c, long ldc,
                              float alpha, const float *bias, long rows, long cols);
} te_gemm_kernels;

/// The packed, cache-blocked SGEMM loop nest over one path's kernels. Same contract as te_sgemm
/// with m, n > 0, k > 0 and alpha != 0.
void te_sgemm_blocked(const te_gemm_kernels *kernels, int trans_a, int trans_b, long m, long n,
                      long k, float alpha, const float *a, long lda, const float *b, long ldb,
                      float beta, float *c, long ldc);

// MARK: - K blocks and C = beta C (shared by every GEMM routine)

/// The number of KC blocks that k splits into.
static inline long te_gemm_k_blocks(long k) { return (k + TE_GEMM_KC - 1) / TE_GEMM_KC; }

/// The common depth of the K blocks: k split evenly, rounded up to a multiple of 8 (blocks differ
/// by at most 8, and all but the last are multiples of 8, so panels stay aligned).
static inline long te_gemm_k_block_size(long k) {
    long blocks = te_gemm_k_blocks(k);
    long size = (k + blocks - 1) / blocks;
    return (size + 7) & ~7L;
}

/// Where K block `index` starts (k for index == te_gemm_k_blocks(k)).
static inline long te_gemm_k_block_start(long k, long index) {
    long start = index * te_gemm_k_block_size(k);
    return start < k ? start : k;
}

/// C = beta * C, without reading C when beta == 0.
static inline void te_scale_c(long m, long n, float beta, float *c, long ldc) {
    for (long i = 0; i < m; i++) {
        float *row = c + i * ldc;
        if (beta == 0.0f) {
            for (long j = 0; j < n; j++) row[j] = 0.0f;
        } else if (beta != 1.0f) {
            for (long j = 0; j < n; j++) row[j] *= beta;
        }
    }
}

// MARK: - Vector math and row kernels

/// One path's vector kernels (same contracts as the public functions of the same names).
typedef struct te_vector_kernels {
    void (*exp)(const float *x, float *y, long n);
    void (*tanh)(const float *x, float *y, long n);
    void (*erf)(const float *x, float *y, long n);
    void (*gelu_erf)(const float *x, float *y, long n);
    void (*gelu_tanh)(const float *x, float *y, long n);
    void (*gelu_erf_backward)(const float *x, const float *dy, float *dx, long n, int accumulate);
    void (*gelu_tanh_backward)(const float *x, const float *dy, float *dx, long n, int accumulate);
    void (*tanh_backward)(const float *y, const float *dy, float *dx, long n, int accumulate);
    float (*dot)(const float *x, const float *y, long n);
    void (*axpy)(long n, float a, const float *x, float *y);
    void (*scale)(long n, float a, const float *x, float *y);
    void (*add)(long n, const float *x, const float *y, float *z);
    void (*adamw)(long n, float *p, float *m, float *v, const float *g, float decay, float beta1,
                  float beta2, float step_size, float correction2_root, float eps);
    void (*softmax_rows)(const float *x, float *y, long rows, long cols);
    void (*softmax_rows_backward)(const float *y, const float *dy, float *dx, long rows, long cols,
                                  int accumulate);
    void (*log_softmax_rows)(const float *x, float *y, long rows, long cols);
    void (*log_softmax_rows_backward)(const float *y, const float *dy, float *dx, long rows,
                                      long cols, int accumulate);
    void (*layernorm_rows)(const float *x, const float *gamma, const float *beta, float *y,
                           float *mean, float *rstd, long rows, long cols, float eps);
    void (*layernorm_rows_backward)(const float *x, const float *gamma, const float *mean,
                                    const float *rstd, const float *dy, float *dx, float *dgamma,
                                    float *dbeta, long rows, long cols, int accumulate);
} te_vector_kernels;

extern const te_vector_kernels te_vector_kernels_portable;


// The portable row kernels (rows_portable.c), referenced by te_vector_kernels_portable.
void te_softmax_rows_portable(const float *x, float *y, long rows, long cols);
void te_softmax_rows_backward_portable(const float *y, const float *dy, float *dx, long rows,
                                       long cols, int accumulate);
void te_log_softmax_rows_portable(const float *x, float *y, long rows, long cols);
void te_log_softmax_rows_backward_portable(const float *y, const float *dy, float *dx, long rows,
                                           long cols, int accumulate);
void te_layernorm_rows_portable(const float *x, const float *gamma, const float *beta, float *y,
                                float *mean, float *rstd, long rows, long cols, float eps);
void te_layernorm_rows_backward_portable(const float *x, const float *gamma, const float *mean,
                                         const float *rstd, const float *dy, float *dx,
                                         float *dgamma, float *dbeta, long rows, long cols,
                                         int accumulate);

// MARK: - The path table

/// A product without packing, for small or thin products: same contract as te_sgemm with
/// m, n, k > 0 and alpha != 0.
typedef void (*te_sgemm_fn)(int trans_a, int trans_b, long m, long n, long k, float alpha,
                            const float *a, long lda, const float *b, long ldb, float beta,
                            float *c, long ldc);
/// te_sgns_step with dim > 0 (its contract is in CKernels.h).
typedef void (*te_sgns_fn)(const float *h, const long *targets, long target_count, float *output,
                           long dim, float lr, const float *table, float max_score, float scale,
                           float *e);

// MARK: - bfloat16 products (inference)

/// The packed bf16 op(B) is shared by every bf16 unit: K padded with zeros to a multiple of
/// TE_BF16_K_ALIGN, then panels of TE_BF16_NR columns (zero columns past n), panel jp at
/// jp * kp * NR; inside a panel, K pair q (rows 2q and 2q + 1) is NR pairs of bf16,
/// column c at q * 2NR + 2c: (B[2q][c], B[2q + 1][c]). That is the pair layout vdpbf16ps takes
/// for its second operand, and its halves (16 columns, 64 bytes a row, 128 bytes apart) are AMX
/// B tiles.
#define TE_BF16_NR 32
#define TE_BF16_K_ALIGN 32
/// Rows of A converted at once (a multiple of every unit's tile height: 12 and 32).
#define TE_BF16_MC 96

/// One bf16 unit: C[rows, n] = A · B (+ bias), A already bf16 (row-major, `kp` per row, zero
/// past k, rows zero-filled up to a multiple of 96), B packed as above.
typedef struct te_bf16_kernels {
    const char *unit;  ///< "avx512-bf16" or "amx"
    /// f32 → bf16 (round to nearest, ties to even; NaN stays NaN), n values.
    void (*convert)(const float *x, uint16_t *y, long n);
    /// rows <= TE_BF16_MC; bias (n floats) or NULL; C written, never read.
    void (*multiply_block)(long rows, long n, long kp, const uint16_t *a, const uint16_t *packed_b,
                           const float *bias, float *c, long ldc);
} te_bf16_kernels;

/// The scalar conversion (bf16_convert.c), the reference the vector ones are tested against.
void te_f32_to_bf16_scalar(const float *x, uint16_t *y, long n);

/// Everything one kernel path runs, resolved once (dispatch.c). Every public entry point reads
/// the table of the calling thread's path; no entry point switches on the path.
typedef struct te_path {
    int id;            ///< TE_PATH_*, what te_kernel_path() returns
    const char *name;  ///< "portable", "avx2-fma", "neon", "avx512"
    /// The packed, blocked GEMM's pieces and geometry.
    const te_gemm_kernels *gemm;
    /// The product without packing, and whether a product goes there rather than to the blocked
    /// driver (NULL: every product is blocked). On the vector paths it gives the blocked path's
    /// bits; the portable path's "direct" product is its plain loops.
    te_sgemm_fn sgemm_direct;
    int (*sgemm_direct_fits)(int trans_b, long m, long n, long k);
    /// Vector math, BLAS-1, AdamW and the row kernels.
    const te_vector_kernels *vector;
    /// word2vec's negative-sampling step.
    te_sgns_fn sgns_step;
    /// 12 independent FMA chains on `fma_lanes`-float vectors for `iterations` rounds; returns
    /// lane 0 of the chains' sum.
    float (*fma_loop)(long iterations);
    int fma_lanes;
    /// The bf16 × bf16 → f32 product, or NULL on paths without one (te_bgemm_prepacked then
    /// refuses).
    const te_bf16_kernels *bf16;
} te_path;

/// The table of the calling thread's path (te_force_path, else te_select_path, else detected).
const te_path *te_path_in_use(void);

// MARK: - Per-path pieces (referenced by the tables in dispatch.c)

/// Plain C packing and a scalar micro-kernel (sgemm_portable.c), for the shared packed-B calls
/// on machines without a vector path.
extern const te_gemm_kernels te_gemm_kernels_portable;
void te_sgemm_portable(int trans_a, int trans_b, long m, long n, long k, float alpha,
                       const float *a, long lda, const float *b, long ldb, float beta,
                       float *c, long ldc);
void te_sgns_step_portable(const float *h, const long *targets, long target_count, float *output,
                           long dim, float lr, const float *table, float max_score, float scale,
                           float *e);
float te_fma_loop_portable(long iterations);

#if defined(__x86_64__) || defined(_M_X64)
extern const te_gemm_kernels te_gemm_kernels_avx2;
extern const te_vector_kernels te_vector_kernels_avx2;
/// Small or thin products without packing (sgemm_small_avx2.c); same contract as te_sgemm with
/// m, n, k > 0 and alpha != 0, and the same arithmetic per element as the blocked paths (AVX2
/// and AVX-512 alike: an FMA chain over p within each K block, then alpha * acc + beta * C).
void te_sgemm_small_avx2(int trans_a, int trans_b, long m, long n, long k, float alpha,
                         const float *a, long lda, const float *b, long ldb, float beta,
                         float *c, long ldc);
/// Whether a product is better served by te_sgemm_small_avx2 than by packing for a micro-kernel
/// `mr` rows tall.
int te_sgemm_small_fits(long mr, int trans_b, long m, long n, long k);
void te_sgns_step_avx2(const float *h, const long *targets, long target_count, float *output,
                       long dim, float lr, const float *table, float max_score, float scale,
                       float *e);
float te_fma_loop_avx2(long iterations);

extern const te_gemm_kernels te_gemm_kernels_avx512;
extern const te_vector_kernels te_vector_kernels_avx512;
void te_sgns_step_avx512(const float *h, const long *targets, long target_count, float *output,
                         long dim, float lr, const float *table, float max_score, float scale,
                         float *e);
float te_fma_loop_avx512(long iterations);

/// The bf16 units (bgemm_avx512bf16.c, bgemm_amx.c) and the AVX-512 conversion they share.
extern const te_bf16_kernels te_bf16_kernels_avx512bf16;
extern const te_bf16_kernels te_bf16_kernels_amx;
void te_f32_to_bf16_avx512(const float *x, uint16_t *y, long n);
/// Asks Linux for the AMX tile state, once per process; 0 when refused (or not Linux).
int te_amx_permitted(void);
#endif

#if defined(__aarch64__)
extern const te_gemm_kernels te_gemm_kernels_neon;
extern const te_vector_kernels te_vector_kernels_neon;
float te_fma_loop_neon(long iterations);
#endif

#endif
