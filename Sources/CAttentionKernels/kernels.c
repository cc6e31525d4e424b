// Per-CPU versions of the attention kernels, chosen at run time. The body (kernel_body.h) is
// compiled once per level with that level's target attribute; no build flag pins the CPU, so one
// binary runs on any x86-64 (and on arm64, where the baseline uses NEON).
#include "attention_kernels.h"

#define MHL_BLOCK 128

float mhl_exp(float input) {
    if (input < -87.0f) return 0.0f;
    const float t = input * 1.44269504f + 12582912.0f;
    const float n = t - 12582912.0f;
    float x = input - n * 0.693359375f;
    x = x + n * 2.1219444e-4f;
    const float z = x * x;
    float y = 1.98756915e-4f;
    y = y * x + 1.39819995e-3f;
    y = y * x + 8.3334519e-3f;
    y = y * x + 4.16657959e-2f;
    y = y * x + 1.66666555e-1f;
    y = y * x + 5.00000012e-1f;
    y = y * z + x + 1.0f;
    union { float f; unsigned u; } bits = { t + 127.0f };
    bits.u <<= 23;
    return y * bits.f;
}

#define W 4
#define SUF _base
#include "kernel_body.h"
#undef W
#undef SUF

#if defined(__x86_64__) || defined(_M_X64)
#define MHL_X86 1
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define W 8
#define SUF _avx2
#include "kernel_body.h"
#undef W
#undef SUF
#pragma clang attribute pop

#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma"))), apply_to = function)
#define W 16
#define SUF _avx512
#include "kernel_body.h"
#undef W
#undef SUF
#pragma clang attribute pop
#endif

int mhl_level_supported(int level) {
    switch (level) {
    case MHL_LEVEL_BASELINE: return 1;
#ifdef MHL_X86
    case MHL_LEVEL_AVX2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case MHL_LEVEL_AVX512: return __builtin_cpu_supports("avx512f") && mhl_level_supported(MHL_LEVEL_AVX2);
#endif
    default: return 0;
    }
}

int mhl_best_level(void) {
    static int best = -1;
    if (best < 0) {
        int level = MHL_LEVEL_COUNT - 1;
        while (level > 0 && !mhl_level_supported(level)) level--;
        best = level;
    }
    return best;
}

const char *mhl_level_name(int level) {
    switch (level) {
    case MHL_LEVEL_AVX2: return "avx2+fma";
    case MHL_LEVEL_AVX512: return "avx512f";
    default: return "baseline";
    }
}

size_t mhl_scratch_floats(int m, int dq, int dq2, int dv) {
    const size_t mp = (size_t)(m + 15) / 16 * 16;
    return mp * ((size_t)dq + (size_t)dq2 + MHL_BLOCK + (size_t)dv + 2) + (size_t)m * MHL_BLOCK + 16;
}

void mhl_attend(int level, const mhl_tile *tile, float *scratch) {
    if (level < 0) level = mhl_best_level();
    if (!mhl_level_supported(level)) level = MHL_LEVEL_BASELINE;
    switch (level) {
#ifdef MHL_X86
    case MHL_LEVEL_AVX512: attend_avx512(tile, scratch); return;
    case MHL_LEVEL_AVX2: attend_avx2(tile, scratch); return;
#endif
    default: attend_base(tile, scratch); return;
    }
}

void mhl_state_reset(int m, int dv, float *acc, ptrdiff_t ldacc, float *row_max, float *row_sum) {
    for (int a = 0; a < m; a++) {
        row_max[a] = -__builtin_inff();
        row_sum[a] = 0.0f;
        for (int c = 0; c < dv; c++) acc[a * ldacc + c] = 0.0f;
    }
}

void mhl_merge(int parts, int m, int dv, const float *acc, ptrdiff_t acc_part_stride,
               const float *row_max, const float *row_sum, float *out, ptrdiff_t ldout) {
    for (int a = 0; a < m; a++) {
        float top = -__builtin_inff();
        for (int p = 0; p < parts; p++) if (row_max[p * m + a] > top) top = row_max[p * m + a];
        float *o = out + a * ldout;
        if (top == -__builtin_inff()) {
            for (int c = 0; c < dv; c++) o[c] = 0.0f;
            continue;
        }
        float total = 0.0f;
        for (int c = 0; c < dv; c++) o[c] = 0.0f;
        for (int p = 0; p < parts; p++) {
            const float w = mhl_exp(row_max[p * m + a] - top);
            if (w == 0.0f) continue;
            total += w * row_sum[p * m + a];
            const float *src = acc + p * acc_part_stride + (ptrdiff_t)a * dv;
            for (int c = 0; c < dv; c++) o[c] += w * src[c];
        }
        const float inverse = total > 0.0f ? 1.0f / total : 0.0f;
        for (int c = 0; c < dv; c++) o[c] *= inverse;
    }
}
