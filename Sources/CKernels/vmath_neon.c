// NEON (arm64) instantiation of the vector math (vmath_template.h) and row kernels
// (rows_template.h): 4 floats per step; NEON is baseline on arm64, so no target attribute or
// dispatch check is needed.
// Not handled: SVE.
#if defined(__aarch64__)
#include <math.h>
#include "CKernels.h"
#include "internal.h"
#include "simd_neon.h"
#include "vmath_template.h"
#include "rows_template.h"

const te_vector_kernels te_vector_kernels_neon = {
    .exp = vexp_neon,
    .tanh = vtanh_neon,
    .erf = verf_neon,
    .gelu_erf = vgelu_erf_neon,
    .gelu_tanh = vgelu_tanh_neon,
    .gelu_erf_backward = vgelu_erf_backward_neon,
    .gelu_tanh_backward = vgelu_tanh_backward_neon,
    .tanh_backward = vtanh_backward_neon,
    .dot = dot_neon,
    .axpy = axpy_neon,
    .scale = scale_neon,
    .add = add_neon,
    .adamw = adamw_neon,
    .softmax_rows = softmax_rows_neon,
    .softmax_rows_backward = softmax_rows_backward_neon,
    .log_softmax_rows = log_softmax_rows_neon,
    .log_softmax_rows_backward = log_softmax_rows_backward_neon,
    .layernorm_rows = layernorm_rows_neon,
    .layernorm_rows_backward = layernorm_rows_backward_neon,
};
#endif
