// AVX-512 instantiation of the vector math (vmath_template.h) and row kernels (rows_template.h):
// 16 floats per step, every function compiled with the AVX-512 target attribute (no compiler
// flags), reached only through the AVX-512 path's table after dispatch.c found the features.
// Not handled: bfloat16.
#if defined(__x86_64__) || defined(_M_X64)
#include <math.h>
#include "CKernels.h"
#include "internal.h"
#include "simd_avx512.h"
#include "vmath_template.h"
#include "rows_template.h"

const te_vector_kernels te_vector_kernels_avx512 = {
    .exp = vexp_avx512,
    .tanh = vtanh_avx512,
    .erf = verf_avx512,
    .gelu_erf = vgelu_erf_avx512,
    .gelu_tanh = vgelu_tanh_avx512,
    .gelu_erf_backward = vgelu_erf_backward_avx512,
    .gelu_tanh_backward = vgelu_tanh_backward_avx512,
    .tanh_backward = vtanh_backward_avx512,
    .dot = dot_avx512,
    .axpy = axpy_avx512,
    .scale = scale_avx512,
    .add = add_avx512,
    .adamw = adamw_avx512,
    .softmax_rows = softmax_rows_avx512,
    .softmax_rows_backward = softmax_rows_backward_avx512,
    .log_softmax_rows = log_softmax_rows_avx512,
    .log_softmax_rows_backward = log_softmax_rows_backward_avx512,
    .layernorm_rows = layernorm_rows_avx512,
    .layernorm_rows_backward = layernorm_rows_backward_avx512,
};
#endif
