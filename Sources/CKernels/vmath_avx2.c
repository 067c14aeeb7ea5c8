// AVX2+FMA instantiation of the vector math (vmath_template.h) and row kernels
// (rows_template.h): 8 floats per step, every function compiled with the avx2,fma target
// attribute (no compiler flags), reached only after dispatch.c found both features.
// Not handled: AVX-512 (see simd_avx2.h).
#if defined(__x86_64__) || defined(_M_X64)
#include <math.h>
#include "CKernels.h"
#include "internal.h"
#include "simd_avx2.h"
#include "vmath_template.h"
#include "rows_template.h"

const te_vector_kernels te_vector_kernels_avx2 = {
    .exp = vexp_avx2,
    .tanh = vtanh_avx2,
    .erf = verf_avx2,
    .gelu_erf = vgelu_erf_avx2,
    .gelu_tanh = vgelu_tanh_avx2,
    .gelu_erf_backward = vgelu_erf_backward_avx2,
    .gelu_tanh_backward = vgelu_tanh_backward_avx2,
    .tanh_backward = vtanh_backward_avx2,
    .dot = dot_avx2,
    .axpy = axpy_avx2,
    .scale = scale_avx2,
    .add = add_avx2,
    .adamw = adamw_avx2,
    .softmax_rows = softmax_rows_avx2,
    .softmax_rows_backward = softmax_rows_backward_avx2,
    .log_softmax_rows = log_softmax_rows_avx2,
    .log_softmax_rows_backward = log_softmax_rows_backward_avx2,
    .layernorm_rows = layernorm_rows_avx2,
    .layernorm_rows_backward = layernorm_rows_backward_avx2,
};
#endif
