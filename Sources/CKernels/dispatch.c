// The kernel paths: one te_path table each (GEMM pieces and geometry, the product without
// packing, vector and row kernels, AdamW, the sgns step, the FMA-ceiling loop), which ones this
// CPU can run, and which one a thread uses. x86-64 asks CPUID for the features and XGETBV for the
// register state the OS saves (both must allow a path); arm64 always has NEON.
// Every public entry point reads te_path_in_use(); nothing else chooses a path, and there is no
// silent fallback: a path runs its own table or is not offered at all.
// The bf16 paths ("amx", "avx512-bf16") run the AVX-512 path's float32 pieces and add a bf16
// unit; they come after the float32 paths, so they are never the default (a bf16 model picks one,
// Swift's BFloat16Support).
// Not handled: choosing a path per operation (one path runs everything on a thread).
#include <string.h>
#include "CKernels.h"
#include "internal.h"
#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>
#endif

// MARK: - The tables

static int direct_fits_always(int trans_b, long m, long n, long k) {
    (void)trans_b, (void)m, (void)n, (void)k;
    return 1;
}

static const te_path path_portable = {
    .id = TE_PATH_PORTABLE,
    .name = "portable",
    .gemm = &te_gemm_kernels_portable,
    .sgemm_direct = te_sgemm_portable,  // te_sgemm runs the plain loops; the table serves packed B
    .sgemm_direct_fits = direct_fits_always,
    .vector = &te_vector_kernels_portable,
    .sgns_step = te_sgns_step_portable,
    .fma_loop = te_fma_loop_portable,
    .fma_lanes = 1,
};

#if defined(__x86_64__) || defined(_M_X64)
static int direct_fits_avx2(int trans_b, long m, long n, long k) {
    return te_sgemm_small_fits(te_gemm_kernels_avx2.mr, trans_b, m, n, k);
}

static const te_path path_avx2 = {
    .id = TE_PATH_AVX2,
    .name = "avx2-fma",
    .gemm = &te_gemm_kernels_avx2,
    .sgemm_direct = te_sgemm_small_avx2,
    .sgemm_direct_fits = direct_fits_avx2,
    .vector = &te_vector_kernels_avx2,
    .sgns_step = te_sgns_step_avx2,
    .fma_loop = te_fma_loop_avx2,
    .fma_lanes = 8,
};

static int direct_fits_avx512(int trans_b, long m, long n, long k) {
    return te_sgemm_small_fits(te_gemm_kernels_avx512.mr, trans_b, m, n, k);
}

static const te_path path_avx512 = {
    .id = TE_PATH_AVX512,
    .name = "avx512",
    .gemm = &te_gemm_kernels_avx512,
    // The AVX2 product without packing: its arithmetic per element (an FMA chain over p in the
    // shared K blocks, then alpha * acc + beta * C) is the blocked AVX-512 path's, so choosing
    // it never changes a bit; at these sizes 256-bit vectors lose nothing measurable.
    .sgemm_direct = te_sgemm_small_avx2,
    .sgemm_direct_fits = direct_fits_avx512,
    .vector = &te_vector_kernels_avx512,
    .sgns_step = te_sgns_step_avx512,
    .fma_loop = te_fma_loop_avx512,
    .fma_lanes = 16,
};

/// The AVX-512 path with a bf16 unit: its float32 work is the AVX-512 path's, bit for bit.
#define AVX512_WITH_BF16(path_id, path_name, unit)                                              \
    {                                                                                           \
        .id = path_id, .name = path_name, .gemm = &te_gemm_kernels_avx512,                      \
        .sgemm_direct = te_sgemm_small_avx2, .sgemm_direct_fits = direct_fits_avx512,           \
        .vector = &te_vector_kernels_avx512, .sgns_step = te_sgns_step_avx512,                  \
        .fma_loop = te_fma_loop_avx512, .fma_lanes = 16, .bf16 = unit,                          \
    }

static const te_path path_avx512_bf16 = AVX512_WITH_BF16(TE_PATH_AVX512_BF16, "avx512-bf16", &te_bf16_kernels_avx512bf16);
static const te_path path_amx = AVX512_WITH_BF16(TE_PATH_AMX, "amx", &te_bf16_kernels_amx);
#endif

#if defined(__aarch64__)
static const te_path path_neon = {
    .id = TE_PATH_NEON,
    .name = "neon",
    .gemm = &te_gemm_kernels_neon,
    .sgemm_direct = NULL,  // every product goes through the blocked driver
    .sgemm_direct_fits = NULL,
    .vector = &te_vector_kernels_neon,
    .sgns_step = te_sgns_step_portable,  // plain loops, which the compiler vectorises with NEON
    .fma_loop = te_fma_loop_neon,
    .fma_lanes = 4,
};
#endif

/// Every path built into this binary, the preferred first (but see amd_family_19h).
static const te_path *const all_paths[] = {
#if defined(__x86_64__) || defined(_M_X64)
    &path_avx512,
    &path_avx2,
    &path_amx,
    &path_avx512_bf16,
#endif
#if defined(__aarch64__)
    &path_neon,
#endif
    &path_portable,
};
#define PATH_COUNT ((long)(sizeof(all_paths) / sizeof(all_paths[0])))

// MARK: - What the CPU can run

#if defined(__x86_64__) || defined(_M_X64)
/// XCR0: the register state the OS saves on a context switch (0 when XGETBV is unavailable).
static unsigned long long os_saved_state(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & (1u << 27))) return 0;  // OSXSAVE
    unsigned low, high;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    return ((unsigned long long)high << 32) | low;
}

static int cpu_has_avx2_fma(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & (1u << 12))) return 0;  // FMA
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) || !(ebx & (1u << 5))) return 0;  // AVX2
    return (os_saved_state() & 0x6) == 0x6;  // XMM and YMM state
}

static int cpu_has_avx512(void) {
    if (!cpu_has_avx2_fma()) return 0;
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    unsigned needed = (1u << 16) | (1u << 17) | (1u << 30) | (1u << 31);  // F, DQ, BW, VL
    if ((ebx & needed) != needed) return 0;
    return (os_saved_state() & 0xE6) == 0xE6;  // XMM, YMM, opmask, ZMM0-15 upper halves, ZMM16-31
}

static int cpu_has_avx512_bf16(void) {
    if (!cpu_has_avx512()) return 0;
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx)) return 0;
    return (eax >> 5) & 1;  // AVX512_BF16
}

/// AMX-TILE and AMX-BF16 (CPUID 7.0 EDX bits 24 and 22), the tile state in XCR0 (bits 17, 18),
/// and Linux's permission to use it.
static int cpu_has_amx_bf16(void) {
    if (!cpu_has_avx512()) return 0;
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    if (!((edx >> 24) & 1) || !((edx >> 22) & 1)) return 0;
    if ((os_saved_state() & 0x60000) != 0x60000) return 0;
    return te_amx_permitted();
}
#endif

/// AMD family 19h (Zen 3, Zen 4): its 512-bit FMAs run as two 256-bit halves, so the AVX-512
/// path gains nothing there over AVX2 (Docs/Benchmarks.md) and AVX2 stays the default.
static int amd_family_19h(void) {
#if defined(__x86_64__) || defined(_M_X64)
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx)) return 0;
    if (!(ebx == 0x68747541 && edx == 0x69746e65 && ecx == 0x444d4163)) return 0;  // "AuthenticAMD"
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    unsigned family = (eax >> 8) & 0xF;
    if (family == 0xF) family += (eax >> 20) & 0xFF;
    return family == 0x19;
#else
    return 0;
#endif
}

static int supported(const te_path *path) {
    switch (path->id) {
#if defined(__x86_64__) || defined(_M_X64)
    case TE_PATH_AVX2: return cpu_has_avx2_fma();
    case TE_PATH_AVX512: return cpu_has_avx512();
    case TE_PATH_AVX512_BF16: return cpu_has_avx512_bf16();
    case TE_PATH_AMX: return cpu_has_amx_bf16();
#endif
    case TE_PATH_NEON: return 1;  // built only on arm64, where NEON is baseline
    case TE_PATH_PORTABLE: return 1;
    }
    return 0;  // a table without a test is never offered
}

/// The paths this CPU can run, the preferred first; filled once (every racing thread writes the
/// same values).
static const te_path *available[PATH_COUNT];
static long available_count = -1;

static void find_available(void) {
    if (__atomic_load_n(&available_count, __ATOMIC_ACQUIRE) >= 0) return;
    long count = 0;
    for (long i = 0; i < PATH_COUNT; i++)
        if (supported(all_paths[i])) available[count++] = all_paths[i];
    // On AMD family 19h the AVX2 path comes first (the default); AVX-512 stays on offer.
    if (count >= 2 && available[0]->id == TE_PATH_AVX512 && available[1]->id == TE_PATH_AVX2 && amd_family_19h()) {
        const te_path *first = available[0];
        available[0] = available[1];
        available[1] = first;
    }
    __atomic_store_n(&available_count, count, __ATOMIC_RELEASE);
}

static const te_path *find(const char *name) {
    find_available();
    for (long i = 0; i < available_count; i++)
        if (name && strcmp(available[i]->name, name) == 0) return available[i];
    return NULL;
}

// MARK: - Which path a thread uses

/// The process-wide choice (te_select_path), NULL until made; then the detected one.
static const te_path *selected = NULL;
/// Per thread, so that a test comparing paths does not change what other threads run.
static _Thread_local const te_path *forced = NULL;

const te_path *te_path_in_use(void) {
    if (forced) return forced;
    const te_path *path = __atomic_load_n(&selected, __ATOMIC_ACQUIRE);
    if (path) return path;
    find_available();
    return available[0];
}

int te_kernel_path(void) { return te_path_in_use()->id; }
const char *te_kernel_path_name(void) { return te_path_in_use()->name; }

int te_force_path(const char *name) {
    if (!name || !*name) {
        forced = NULL;
        return 1;
    }
    const te_path *path = find(name);
    if (path) forced = path;
    return path != NULL;
}

const char *te_forced_path(void) { return forced ? forced->name : NULL; }

int te_select_path(const char *name) {
    const te_path *path = name && *name ? find(name) : NULL;
    if (name && *name && !path) return 0;
    __atomic_store_n(&selected, path, __ATOMIC_RELEASE);
    return 1;
}

int te_kernel_path_chosen(void) {
    return forced != NULL || __atomic_load_n(&selected, __ATOMIC_ACQUIRE) != NULL;
}

int te_kernel_path_has_bf16(const char *name) {
    for (long i = 0; i < PATH_COUNT; i++)
        if (name && strcmp(all_paths[i]->name, name) == 0) return all_paths[i]->bf16 != NULL;
    return 0;
}

long te_kernel_path_count(void) {
    find_available();
    return available_count;
}

const char *te_kernel_path_available(long index) {
    find_available();
    return index >= 0 && index < available_count ? available[index]->name : NULL;
}

// MARK: - Geometry for the Swift side

long te_gemm_micro_rows(void) { return te_path_in_use()->gemm->mr; }
long te_gemm_micro_cols(void) { return te_path_in_use()->gemm->nr; }
long te_gemm_block_rows(void) { return te_path_in_use()->gemm->mc; }
