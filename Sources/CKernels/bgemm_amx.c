// The AMX unit (Intel Sapphire Rapids and later): eight tile registers of up to 16 rows x 64
// bytes and one instruction, tdpbf16ps, that multiplies a 16 x 32 bf16 tile of A by a 16-pair x
// 16-column tile of B and adds into a 16 x 16 float32 tile of C. A 32 x 32 block of C lives in
// four C tiles (0-3), fed per 32 K values by two A tiles (4, 5: rows 0-15 and 16-31 of the
// converted A, read in place with the row stride) and two B tiles (6, 7: columns 0-15 and 16-31 of
// a packed panel, whose pair rows are 128 bytes apart). The block is stored into a scratch tile
// and copied out (with the bias) for the rows and columns that exist.
// Linux hands out the tile state only on request: te_amx_permitted asks once per process
// (arch_prctl ARCH_REQ_XCOMP_PERM for XFEATURE_XTILEDATA) and a refusal means "no AMX".
// Speed: written against Intel's manual, tested where AMX exists; not measured on the machines
// this was developed on (Docs/BFloat16.md).
// Not handled: other palettes; keeping the tile configuration loaded between calls.
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#include <pthread.h>
#include <string.h>
#include "CKernels.h"
#include "internal.h"
#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

#define TE_AMX __attribute__((target("amx-tile,amx-bf16,avx512f,avx512dq,avx512bw,avx512vl,avx2,fma")))

// MARK: - Permission (Linux)

static int amx_permission = 0;
static pthread_once_t amx_once = PTHREAD_ONCE_INIT;

static void request_amx(void) {
#if defined(__linux__) && defined(SYS_arch_prctl)
    const long arch_req_xcomp_perm = 0x1023, xfeature_xtiledata = 18;
    amx_permission = syscall(SYS_arch_prctl, arch_req_xcomp_perm, xfeature_xtiledata) == 0;
#else
    amx_permission = 0;
#endif
}

int te_amx_permitted(void) {
    pthread_once(&amx_once, request_amx);
    return amx_permission;
}

// MARK: - Tiles

/// The 64-byte operand of ldtilecfg (palette 1).
typedef struct tile_config {
    uint8_t palette;
    uint8_t start_row;
    uint8_t reserved[14];
    uint16_t bytes_per_row[16];
    uint8_t rows[16];
} tile_config;

/// Tiles 0-3: C, 16 rows x 16 floats; 4-5: A, 16 rows x 32 bf16; 6-7: B, 16 pair rows x 16 pairs.
TE_AMX static void configure_tiles(void) {
    tile_config config;
    memset(&config, 0, sizeof config);
    config.palette = 1;
    for (int t = 0; t < 8; t++) {
        config.rows[t] = 16;
        config.bytes_per_row[t] = 64;
    }
    _tile_loadconfig(&config);
}

/// C[rows, n] = A · B (+ bias) for a converted A block (rows zero-filled to a multiple of 32).
TE_AMX static void multiply_block_amx(long rows, long n, long kp, const uint16_t *a,
                                      const uint16_t *packed_b, const float *bias, float *c,
                                      long ldc) {
    configure_tiles();
    float scratch[32 * 32] __attribute__((aligned(64)));
    const long a_stride = kp * (long)sizeof(uint16_t), b_stride = 2 * TE_BF16_NR * (long)sizeof(uint16_t);
    for (long j0 = 0; j0 < n; j0 += TE_BF16_NR) {
        long cols = n - j0 < TE_BF16_NR ? n - j0 : TE_BF16_NR;
        const uint16_t *panel = packed_b + (j0 / TE_BF16_NR) * kp * TE_BF16_NR;
        for (long i0 = 0; i0 < rows; i0 += 32) {
            _tile_zero(0);
            _tile_zero(1);
            _tile_zero(2);
            _tile_zero(3);
            const uint16_t *a0 = a + i0 * kp, *a1 = a + (i0 + 16) * kp;
            for (long k0 = 0; k0 < kp; k0 += 32) {
                const uint16_t *b_pairs = panel + (k0 / 2) * 2 * TE_BF16_NR;
                _tile_loadd(4, a0 + k0, a_stride);
                _tile_loadd(5, a1 + k0, a_stride);
                _tile_loadd(6, b_pairs, b_stride);
                _tile_loadd(7, b_pairs + TE_BF16_NR, b_stride);
                _tile_dpbf16ps(0, 4, 6);
                _tile_dpbf16ps(1, 4, 7);
                _tile_dpbf16ps(2, 5, 6);
                _tile_dpbf16ps(3, 5, 7);
            }
            _tile_stored(0, scratch, 128);
            _tile_stored(1, scratch + 16, 128);
            _tile_stored(2, scratch + 16 * 32, 128);
            _tile_stored(3, scratch + 16 * 32 + 16, 128);
            long height = rows - i0 < 32 ? rows - i0 : 32;
            for (long r = 0; r < height; r++) {
                float *row = c + (i0 + r) * ldc + j0;
                const float *source = scratch + r * 32;
                if (bias)
                    for (long j = 0; j < cols; j++) row[j] = source[j] + bias[j0 + j];
                else
                    memcpy(row, source, (size_t)cols * sizeof(float));
            }
        }
    }
    _tile_release();
}

const te_bf16_kernels te_bf16_kernels_amx = {
    .unit = "amx",
    .convert = te_f32_to_bf16_avx512,
    .multiply_block = multiply_block_amx,
};

#endif
