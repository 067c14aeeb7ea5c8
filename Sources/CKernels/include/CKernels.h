// CKernels: the only C in TinyEncoder. Hot inner loops that Swift cannot vectorise without
// compiler flags (FMA/AVX2): packed SGEMM, vector exp/tanh/erf/GELU with derivatives, BLAS-1
// helpers, and row kernels (softmax, log-softmax, LayerNorm, forward and backward).
// Each fast function has a readable Swift reference in TensorCore, and tests check they agree.
// Dispatch: one table per path (AVX-512, AVX2+FMA, NEON, portable; AVX-512 with AVX512-BF16 or AMX
// for the bfloat16 product), resolved at run time from
// CPUID/XGETBV on x86-64; arm64 uses NEON, others the portable path. Not handled: threading (the Swift caller splits the work), double precision.
#ifndef TINYENCODER_CKERNELS_H
#define TINYENCODER_CKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - Dispatch

/// Which path runs on the calling thread: 0 = portable C, 1 = AVX2+FMA (x86-64), 2 = NEON
/// (arm64), 3 = AVX-512 (x86-64), 4 = AVX-512 with AVX512-BF16, 5 = AVX-512 with AMX (x86-64).
int te_kernel_path(void);
/// The name of that path: "portable", "avx2-fma", "neon", "avx512", "avx512-bf16" or "amx".
/// The last two run the AVX-512 path's float32 kernels and add a bfloat16 product; they are
/// offered after the float32 paths and are never the default.
const char *te_kernel_path_name(void);
/// The number of paths this CPU (and OS) can run, and their names, the default first
/// (index < te_kernel_path_count(); NULL otherwise).
long te_kernel_path_count(void);
const char *te_kernel_path_available(long index);
/// Runs the named path on the calling thread only (a thread-local setting), so tests can compare
/// paths without disturbing other threads; NULL or "" returns the thread to the process's path.
/// Returns 0 (and changes nothing) when the name is not one of the available paths.
int te_force_path(const char *name);
/// The name the calling thread forced (te_force_path), or NULL; for restoring it afterwards.
const char *te_forced_path(void);
/// Chooses the path for every thread that has not forced one (NULL or "": the default again).
/// Returns 0 (and changes nothing) when the name is not one of the available paths. Call it
/// before any work: a matrix packed on one path cannot be multiplied on another.
int te_select_path(const char *name);
/// Whether the calling thread's path was chosen (te_force_path or te_select_path) rather than
/// detected.
int te_kernel_path_chosen(void);
/// Whether the named path (built into this binary; offered or not) has a bfloat16 product.
int te_kernel_path_has_bf16(const char *name);
/// The GEMM geometry of the calling thread's path: the micro-kernel's rows (MR) and columns (NR),
/// and the tallest row block of A packed at once (MC, a multiple of MR).
long te_gemm_micro_rows(void);
long te_gemm_micro_cols(void);
long te_gemm_block_rows(void);

// MARK: - SGEMM

/// C = alpha * op(A) * op(B) + beta * C, row-major, single-threaded.
/// op(A) is [m, k]: A is stored [m, k] (lda >= k) or, when trans_a, [k, m] (lda >= m).
/// op(B) is [k, n]: B is stored [k, n] (ldb >= n) or, when trans_b, [n, k] (ldb >= k).
/// C is [m, n] with ldc >= n. When beta == 0, C is not read (NaNs in C do not propagate).
void te_sgemm(int trans_a, int trans_b, long m, long n, long k, float alpha,
              const float *a, long lda, const float *b, long ldb, float beta,
              float *c, long ldc);

/// The shared-B form of te_sgemm, for callers that split C by rows over threads: pack op(B)
/// once (threads may pack disjoint column ranges of one buffer concurrently), then let every
/// thread multiply its rows of op(A) by it. Results are bit-identical to te_sgemm's.
/// The number of floats the packed op(B) (k x n) needs.
long te_sgemm_packed_b_count(long n, long k);
/// Packs columns [column_start, column_end) of op(B) (k x n; B is [k, n] with ldb >= n, or [n, k]
/// with ldb >= k when trans_b) into `packed` (te_sgemm_packed_b_count(n, k) floats, 64-byte
/// aligned). column_start must be a multiple of te_gemm_micro_cols(). The layout belongs to the
/// path that packed it: multiply it on the same path.
void te_sgemm_pack_b(int trans_b, long n, long k, const float *b, long ldb, long column_start,
                     long column_end, float *packed);
/// C = alpha * op(A) * op(B) + beta * C with op(B) from te_sgemm_pack_b (m x n, any m).
void te_sgemm_prepacked(int trans_a, long m, long n, long k, float alpha, const float *a,
                        long lda, const float *packed_b, float beta, float *c, long ldc);
/// The same with a row bias (n floats) when `bias` is not NULL: C = alpha * op(A) * op(B) + bias
/// in every row (beta is ignored; C is not read). The micro-kernel adds the bias in its last step
/// (or it is written into each MR x NR tile of C just before the micro-kernel adds onto it). Without a bias, as te_sgemm_prepacked.
void te_sgemm_prepacked_bias(int trans_a, long m, long n, long k, float alpha, const float *a,
                             long lda, const float *packed_b, float beta, const float *bias,
                             float *c, long ldc);

// MARK: - bfloat16 product (inference)

/// y[i] = x[i] rounded to bfloat16 (float32's top 16 bits) to nearest, ties to even; subnormals
/// kept, ±infinity kept, values past the largest bfloat16 become ±infinity, NaN stays NaN
/// (quiet, same sign). The calling thread's bf16 unit converts if its path has one, else scalar
/// C; both give the same bits.
void te_f32_to_bf16(const float *x, uint16_t *y, long n);
/// Whether the calling thread's path has a bfloat16 product (1) or not (0).
int te_bf16_available(void);
/// The number of bf16 values a packed op(B) (k x n) takes. The layout is the same on every bf16
/// path (K padded to 32, 32-column panels of K pairs).
long te_bgemm_packed_b_count(long n, long k);
/// Packs columns [column_start, column_end) of op(B) (k x n; B is [k, n] with ldb >= n, or
/// [n, k] with ldb >= k when trans_b), each value rounded to bfloat16 as te_f32_to_bf16 does,
/// into `packed` (te_bgemm_packed_b_count(n, k) values, 64-byte aligned). column_start must be a
/// multiple of 32. Plain C: any path may pack.
void te_bgemm_pack_b(int trans_b, long n, long k, const float *b, long ldb, long column_start,
                     long column_end, uint16_t *packed);
/// C = bf16(A) · op(B) (+ bias in every row when `bias` is not NULL), accumulated in float32;
/// A is [m, k] row-major (lda >= k), float32, rounded to bfloat16 on the way in; op(B) from
/// te_bgemm_pack_b; C [m, n] (ldc >= n) is written, never read. Single-threaded. Returns 1 when
/// done, 0 when the calling thread's path has no bfloat16 product (nothing written), -1 when
/// memory for the converted rows ran out (nothing written).
int te_bgemm_prepacked(long m, long n, long k, const float *a, long lda, const uint16_t *packed_b,
                       const float *bias, float *c, long ldc);
/// The rows of A converted at once: hand threads row blocks that are multiples of it.
long te_bgemm_block_rows(void);

// MARK: - Word vectors

/// One negative-sampling SGD step (word2vec skip-gram/CBOW, FastText). h: the input vector (dim
/// floats, read only); targets[0] is the positive row of output_vectors ([V, dim]), the others
/// noise rows, entries < 0 skipped. For each target: s = h·u_t, g = lr·(label − σ(s)) with
/// σ(s) = sigmoid_table[(long)((s + max_score) · table_scale)] inside (−max_score, max_score),
/// else 0 or 1; e += g·u_t (u_t before its update); u_t += g·h. e (dim floats) is overwritten
/// with Σ g·u_t. Rows may be written by other threads meanwhile (Hogwild).
void te_sgns_step(const float *h, const long *targets, long target_count, float *output_vectors, long dim,
                  float lr, const float *sigmoid_table, float max_score, float table_scale, float *e);

/// Asks the cache for every 64-byte line of rows[i] · dim floats of `matrix` (i < count; rows
/// < 0 skipped), for reading and writing, without waiting for them: a software prefetch. It
/// changes no value. The trainers call it one step ahead, so that the rows' cache misses overlap
/// the current step's arithmetic instead of stalling the next one.
void te_prefetch_rows(const float *matrix, const long *rows, long count, long dim);
/// te_prefetch_rows for row numbers stored as 32-bit integers (FastText's word → rows table).
void te_prefetch_rows_i32(const float *matrix, const int32_t *rows, long count, long dim);

// MARK: - Machine ceiling

/// Runs `iterations` rounds of 12 independent FMA chains on the path's vectors (8 floats on AVX2,
/// 16 on AVX-512, 4 on NEON, 1 on the portable path) (nothing else) and
/// returns the floating-point operations done (2 per lane per FMA); `result` (if not NULL) gets a
/// value that depends on every chain. Timing it gives one core's FMA ceiling in FLOP/s.
double te_fma_peak_run(long iterations, float *result);

// MARK: - Vector math (y may alias x)

/// y[i] = exp(x[i]); relative error below 2e-7 on [-87, 88]; below -104 gives 0 (subnormal
/// results in between), above 88.72 gives +inf.
void te_vexp(const float *x, float *y, long n);
/// y[i] = tanh(x[i]).
void te_vtanh(const float *x, float *y, long n);
/// y[i] = erf(x[i]); absolute error below 1e-7.
void te_verf(const float *x, float *y, long n);
/// y[i] = x[i] * Φ(x[i]) with the exact erf form: 0.5 x (1 + erf(x / √2)).
void te_vgelu_erf(const float *x, float *y, long n);
/// y[i] = 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))).
void te_vgelu_tanh(const float *x, float *y, long n);
/// dx[i] = dy[i] * GELU'(x[i]) for the erf form (accumulate == 1 adds into dx instead).
void te_vgelu_erf_backward(const float *x, const float *dy, float *dx, long n, int accumulate);
/// dx[i] = dy[i] * GELU'(x[i]) for the tanh form (accumulate == 1 adds into dx instead).
void te_vgelu_tanh_backward(const float *x, const float *dy, float *dx, long n, int accumulate);
/// dx[i] = dy[i] * (1 - y[i]²), from the forward output y = tanh(x) (accumulate == 1 adds).
void te_vtanh_backward(const float *y, const float *dy, float *dx, long n, int accumulate);

// MARK: - BLAS level 1

/// Σ x[i] * y[i], accumulated in float with a fixed order per path.
float te_dot(const float *x, const float *y, long n);
/// y[i] += a * x[i].
void te_axpy(long n, float a, const float *x, float *y);
/// y[i] = a * x[i] (y may alias x).
void te_scale(long n, float a, const float *x, float *y);

// MARK: - Optimiser

/// One AdamW update of n parameters p with gradients g and moments m, v, in the order and
/// roundings of AdamW.swift's reference (no fused multiply-add, so every path gives the same bits):
///   p *= decay;  m += (1 - beta1) * (g - m);  v = beta2 * v + ((1 - beta2) * g) * g;
///   p -= (step_size * m) / (sqrt(v) / correction2_root + eps).
void te_adamw(long n, float *p, float *m, float *v, const float *g, float decay, float beta1,
              float beta2, float step_size, float correction2_root, float eps);
/// z[i] = x[i] + y[i] (z may alias x or y).
void te_add(long n, const float *x, const float *y, float *z);

// MARK: - Row kernels over a [rows, cols] row-major matrix (outputs may alias inputs)

/// y = softmax(x) per row: exp(x - max) / Σ exp(x - max). A row of all -inf gives NaN.
void te_softmax_rows(const float *x, float *y, long rows, long cols);
/// dx = y ⊙ (dy - Σ_j dy_j y_j) per row, from the forward output y (accumulate == 1 adds).
void te_softmax_rows_backward(const float *y, const float *dy, float *dx, long rows, long cols,
                              int accumulate);
/// y = x - max - log Σ exp(x - max) per row.
void te_log_softmax_rows(const float *x, float *y, long rows, long cols);
/// dx = dy - exp(y) Σ_j dy_j per row, from the forward output y (accumulate == 1 adds).
void te_log_softmax_rows_backward(const float *y, const float *dy, float *dx, long rows, long cols,
                                  int accumulate);
/// y = (x - mean) * rstd * gamma + beta per row, rstd = 1 / sqrt(biased variance + eps).
/// gamma and beta (length cols) may be NULL (1 and 0); mean and rstd (length rows, outputs)
/// may be NULL.
void te_layernorm_rows(const float *x, const float *gamma, const float *beta, float *y,
                       float *mean, float *rstd, long rows, long cols, float eps);
/// LayerNorm backward from the forward's x, gamma (may be NULL), mean and rstd:
/// dx = rstd (dx̂ - mean(dx̂) - x̂ mean(dx̂ x̂)) with dx̂ = dy gamma (accumulate == 1 adds);
/// dgamma += Σ_rows dy x̂ and dbeta += Σ_rows dy (each may be NULL; they always accumulate).
void te_layernorm_rows_backward(const float *x, const float *gamma, const float *mean,
                                const float *rstd, const float *dy, float *dx, float *dgamma,
                                float *dbeta, long rows, long cols, int accumulate);

#ifdef __cplusplus
}
#endif

#endif
