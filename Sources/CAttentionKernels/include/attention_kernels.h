// The attention core's hot loops, in C with one version per CPU level chosen at run time.
//
// Swift keeps the orchestration (which heads, which keys, which thread); these functions only read
// and write the pointers they are handed. Every level computes the same thing; the tests compare
// each level the CPU supports against the baseline.
#ifndef MHALEARN_ATTENTION_KERNELS_H
#define MHALEARN_ATTENTION_KERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// CPU levels: 0 baseline (SSE2 on x86-64, NEON on arm64), 1 AVX2 + FMA, 2 AVX-512F.
enum { MHL_LEVEL_BASELINE = 0, MHL_LEVEL_AVX2 = 1, MHL_LEVEL_AVX512 = 2, MHL_LEVEL_COUNT = 3 };

/// The best level this CPU runs (what level -1 means below).
int mhl_best_level(void);
/// Whether this CPU runs `level` (and this build has it).
int mhl_level_supported(int level);
/// A short name for `level` ("baseline", "avx2+fma", "avx512f").
const char *mhl_level_name(int level);

/// One tile of attention with an online softmax: `m` query rows against `n` keys.
///
/// scores[a, s] = scale · (q[a]·k[s] + q2[a]·k2[s])      (the second part only when dq2 > 0: MLA's rotary part)
/// masked:  s ≥ allowed[a] (when `allowed` is given), or keep[s] == 0 (when `keep` is given)
/// state:   row_max[a] = running maximum, row_sum[a] = Σ exp(score − row_max), acc[a] = Σ exp(score − row_max)·v[s]
/// The state is read and updated (start with row_max = −∞, row_sum = 0, acc = 0), so a caller may walk
/// the keys in several calls or merge several tiles' states (`mhl_merge`).
typedef struct mhl_tile {
    int m, dq, dq2, dv, n;
    float scale;
    const float *q;  ptrdiff_t ldq;   // [m, dq]
    const float *q2; ptrdiff_t ldq2;  // [m, dq2] or NULL
    const float *k;  ptrdiff_t ldk;   // [n, dq]
    const float *k2; ptrdiff_t ldk2;  // [n, dq2] or NULL
    const float *v;  ptrdiff_t ldv;   // [n, dv]
    const int *allowed;               // [m] keys allowed per row (a prefix), or NULL for all n
    const float *keep;                // [n] 1 allowed, 0 masked, or NULL
    float *acc; ptrdiff_t ldacc;      // [m, dv] in/out
    float *row_max;                   // [m] in/out
    float *row_sum;                   // [m] in/out
} mhl_tile;

/// Floats of scratch `mhl_attend` needs for a tile of these sizes.
size_t mhl_scratch_floats(int m, int dq, int dq2, int dv);

/// Runs one tile at `level` (-1: the best this CPU runs; an unsupported level runs the baseline).
/// `scratch` holds at least `mhl_scratch_floats(…)` floats.
void mhl_attend(int level, const mhl_tile *tile, float *scratch);

/// Initialises a tile state: row_max = −∞, row_sum = 0, acc[m, dv] = 0.
void mhl_state_reset(int m, int dv, float *acc, ptrdiff_t ldacc, float *row_max, float *row_sum);

/// Combines `parts` tile states over disjoint key ranges (log-sum-exp) and writes the normalised
/// result: out[a] = Σ_p e^(max_p − M)·acc_p[a] / Σ_p e^(max_p − M)·sum_p (M the largest max_p).
/// Part p's state is acc + p·acc_part_stride ([m, dv] with row stride dv), row_max + p·m, row_sum + p·m.
/// A row with no allowed key in any part is written as zeros.
void mhl_merge(int parts, int m, int dv, const float *acc, ptrdiff_t acc_part_stride,
               const float *row_max, const float *row_sum, float *out, ptrdiff_t ldout);

/// The same exp as the kernels (Cephes-style; inputs below −87 give 0), for tests.
float mhl_exp(float x);

#ifdef __cplusplus
}
#endif

#endif
