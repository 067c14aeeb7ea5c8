// Private declarations shared by the CKernels translation units: the path numbers, the GEMM
// blocking constants, the table of one path's GEMM pieces (packing and micro-kernel) that the
// blocked driver runs, and each path's entry points. Not part of the public header.
// Not handled: anything a caller outside CKernels may use (see include/CKernels.h).
#ifndef TINYENCODER_CKERNELS_INTERNAL_H
#define TINYENCODER_CKERNELS_INTERNAL_H

#define TE_PATH_PORTABLE 0
#define TE_PATH_AVX2 1
#define TE_PATH_NEON 2

// MARK: - GEMM blocking (Goto & van de Geijn 2008; BLIS's five loops)
//
// The micro-kernel keeps an MR x NR tile of C in registers (6 x 16 = 12 ymm accumulators on
// AVX2, 24 q registers on NEON). KC is the depth of one rank-kc update: a packed KC x NR panel
// of B (16 KiB) stays in L1 while the packed MC x KC block of A (144 KiB) stays in L2 and the
// packed KC x NC block of B streams from L3. The K split depends on k alone (never on m, n or
// the thread count), so every element of C is summed in the same order whatever the split.
#define TE_GEMM_MR 6
#define TE_GEMM_NR 16
#define TE_GEMM_KC 256
#define TE_GEMM_MC 144
#define TE_GEMM_NC 3072

/// One path's GEMM pieces; `te_sgemm_blocked` runs the loops around them.
typedef struct te_gemm_kernels {
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

/// The number of KC blocks that k splits into, and the depth of block `index` (blocks differ by
/// at most 8, and all but the last are multiples of 8, so panels stay aligned).
long te_gemm_k_blocks(long k);
long te_gemm_k_block_start(long k, long index);

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

/// The vector kernels of the path in use (te_kernel_path()).
const te_vector_kernels *te_vector_path(void);

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

// MARK: - Per-path entry points

/// Plain C packing and a scalar micro-kernel (sgemm_portable.c), for the shared packed-B calls
/// on machines without a vector path.
extern const te_gemm_kernels te_gemm_kernels_portable;

void te_sgemm_portable(int trans_a, int trans_b, long m, long n, long k, float alpha,
                       const float *a, long lda, const float *b, long ldb, float beta,
                       float *c, long ldc);

#if defined(__x86_64__) || defined(_M_X64)
extern const te_gemm_kernels te_gemm_kernels_avx2;
extern const te_vector_kernels te_vector_kernels_avx2;
/// Small or thin products without packing (sgemm_small_avx2.c); same contract as te_sgemm with
/// m, n, k > 0 and alpha != 0, and the same arithmetic per element as the blocked path.
void te_sgemm_small_avx2(int trans_a, int trans_b, long m, long n, long k, float alpha,
                         const float *a, long lda, const float *b, long ldb, float beta,
                         float *c, long ldc);
/// Whether a product is better served by te_sgemm_small_avx2 than by packing.
int te_sgemm_small_fits(int trans_b, long m, long n, long k);
#endif

#if defined(__aarch64__)
extern const te_gemm_kernels te_gemm_kernels_neon;
extern const te_vector_kernels te_vector_kernels_neon;
#endif

#endif
