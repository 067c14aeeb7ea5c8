// Runtime choice of the kernel path. x86-64 asks cpuid (through the compiler's
// __builtin_cpu_supports) for AVX2 and FMA; arm64 always has NEON; anything else is portable.
// Not handled: AVX-512 (Zen 4 runs it at the AVX2 rate, so it buys little here).
#include "CKernels.h"
#include "internal.h"

// Per thread, so that a test comparing paths does not change what other threads run.
static _Thread_local int forced_portable = 0;

static int detect(void) {
#if defined(__x86_64__) || defined(_M_X64)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return TE_PATH_AVX2;
    return TE_PATH_PORTABLE;
#elif defined(__aarch64__)
    return TE_PATH_NEON;
#else
    return TE_PATH_PORTABLE;
#endif
}

int te_kernel_path(void) {
    static int detected = -1;  // written once; every thread that races here writes the same value
    if (forced_portable) return TE_PATH_PORTABLE;
    int path = __atomic_load_n(&detected, __ATOMIC_RELAXED);
    if (path < 0) {
        path = detect();
        __atomic_store_n(&detected, path, __ATOMIC_RELAXED);
    }
    return path;
}

const char *te_kernel_path_name(void) {
    switch (te_kernel_path()) {
    case TE_PATH_AVX2: return "avx2-fma";
    case TE_PATH_NEON: return "neon";
    default: return "portable";
    }
}

void te_force_portable(int enabled) { forced_portable = enabled ? 1 : 0; }
