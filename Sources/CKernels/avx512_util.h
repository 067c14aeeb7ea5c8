// The per-function target attribute of the AVX-512 path, shared by its translation units.
// Include only inside `#if defined(__x86_64__)`. The path needs AVX-512 F, DQ, BW and VL (every
// AVX-512 CPU since Skylake-SP and Zen 4 has all four), and dispatch.c checks them all, with the
// OS's ZMM state, before any of these functions runs.
// Not handled: `evex512` (newer compilers reject it; 512-bit vectors come with avx512f here).
#ifndef TINYENCODER_CKERNELS_AVX512_UTIL_H
#define TINYENCODER_CKERNELS_AVX512_UTIL_H

#include <immintrin.h>

/// Compile this function for AVX-512 (F, DQ, BW, VL; FMA and AVX2 come with it), whatever the
/// file's flags.
#define TE_AVX512 __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma")))

/// The mask of the first `count` (0..16) lanes of a 16-float vector.
#define TE_LANE_MASK16(count) ((__mmask16)((count) >= 16 ? 0xFFFF : ((1u << (count)) - 1u)))

#endif
