// The body of every kernel, written once for a vector of W floats and included once per CPU level
// by kernels.c (which defines W and SUF and wraps the include in that level's target attribute).
// Not a public header: nothing outside kernels.c includes it.

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define FN(name) CAT(name, SUF)
#define VF CAT(vf_, SUF)
#define VI CAT(vi_, SUF)

typedef float VF __attribute__((ext_vector_type(W)));
typedef int VI __attribute__((ext_vector_type(W)));

static inline VF FN(ld)(const float *p) { VF v; __builtin_memcpy(&v, p, sizeof v); return v; }
static inline void FN(st)(float *p, VF v) { __builtin_memcpy(p, &v, sizeof v); }
static inline VF FN(splat)(float x) { return (VF)(x); }
static inline VF FN(sel)(VI mask, VF yes, VF no) { return (VF)(((VI)yes & mask) | ((VI)no & ~mask)); }
static inline VF FN(vmax)(VF a, VF b) { return FN(sel)(a > b, a, b); }

/// exp(x), the same operations as the scalar `mhl_exp` (and Swift's `Softmax.exp`), lane by lane.
static inline VF FN(vexp)(VF in) {
    const VF low = FN(splat)(-87.0f), magic = FN(splat)(12582912.0f);
    const VI under = in < low;
    const VF x0 = FN(sel)(under, low, in);
    const VF t = x0 * 1.44269504f + magic;
    const VF n = t - magic;
    VF x = x0 - n * 0.693359375f;
    x = x + n * 2.1219444e-4f;
    const VF z = x * x;
    VF y = FN(splat)(1.98756915e-4f);
    y = y * x + 1.39819995e-3f;
    y = y * x + 8.3334519e-3f;
    y = y * x + 4.16657959e-2f;
    y = y * x + 1.66666555e-1f;
    y = y * x + 5.00000012e-1f;
    y = y * z + x + 1.0f;
    const VI e = ((VI)(t + 127.0f)) << 23;
    return FN(sel)(under, FN(splat)(0.0f), y * (VF)e);
}

/// Many rows (m ≥ W): rows are the vector lanes. q is transposed once into Qt [dq + dq2, MP] (scaled),
/// the scores of a block are S [nb, MP], the accumulator is AT [dv, MP]; every inner loop broadcasts
/// one element of a cached key or value row against a vector of rows, so no horizontal sums.
static void FN(wide)(const mhl_tile *t, float *scratch, int end) {
    const int m = t->m, MP = (m + W - 1) / W * W, nvec = MP / W;
    const int dq = t->dq, dq2 = (t->q2 && t->k2) ? t->dq2 : 0, dv = t->dv;
    const int dqt = dq + dq2;
    float *Qt = scratch;
    float *S = Qt + (size_t)dqt * MP;
    float *AT = S + (size_t)MHL_BLOCK * MP;
    float *mx = AT + (size_t)dv * MP, *sm = mx + MP;
    for (int c = 0; c < dqt; c++)
        for (int a = 0; a < MP; a++)
            Qt[(size_t)c * MP + a] = a >= m ? 0.0f
                : (c < dq ? t->q[a * t->ldq + c] : t->q2[a * t->ldq2 + (c - dq)]) * t->scale;
    for (int a = 0; a < MP; a++) {
        mx[a] = a < m ? t->row_max[a] : -__builtin_inff();
        sm[a] = a < m ? t->row_sum[a] : 0.0f;
    }
    for (int c = 0; c < dv; c++)
        for (int a = 0; a < MP; a++) AT[(size_t)c * MP + a] = a < m ? t->acc[a * t->ldacc + c] : 0.0f;
    int minAllowed = end;
    if (t->allowed) for (int a = 0; a < m; a++) if (t->allowed[a] < minAllowed) minAllowed = t->allowed[a];

    for (int s0 = 0; s0 < end; s0 += MHL_BLOCK) {
        const int nb = end - s0 < MHL_BLOCK ? end - s0 : MHL_BLOCK;
        // scores S[s, a] = q[a]·k[s0 + s] (+ q2[a]·k2[s0 + s]), eight keys at a time
        for (int rv = 0; rv < nvec; rv++) {
            const float *qt = Qt + rv * W;
            int s = 0;
            for (; s + 8 <= nb; s += 8) {
                VF a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
                const float *k0 = t->k + (s0 + s) * t->ldk;
                const ptrdiff_t lk = t->ldk;
                for (int c = 0; c < dq; c++) {
                    const VF qv = FN(ld)(qt + (size_t)c * MP);
                    a0 += qv * k0[c]; a1 += qv * k0[lk + c]; a2 += qv * k0[2 * lk + c]; a3 += qv * k0[3 * lk + c];
                    a4 += qv * k0[4 * lk + c]; a5 += qv * k0[5 * lk + c]; a6 += qv * k0[6 * lk + c]; a7 += qv * k0[7 * lk + c];
                }
                if (dq2) {
                    const float *r0 = t->k2 + (s0 + s) * t->ldk2;
                    const ptrdiff_t lr = t->ldk2;
                    for (int c = 0; c < dq2; c++) {
                        const VF qv = FN(ld)(qt + (size_t)(dq + c) * MP);
                        a0 += qv * r0[c]; a1 += qv * r0[lr + c]; a2 += qv * r0[2 * lr + c]; a3 += qv * r0[3 * lr + c];
                        a4 += qv * r0[4 * lr + c]; a5 += qv * r0[5 * lr + c]; a6 += qv * r0[6 * lr + c]; a7 += qv * r0[7 * lr + c];
                    }
                }
                float *out = S + (size_t)s * MP + rv * W;
                FN(st)(out, a0); FN(st)(out + MP, a1); FN(st)(out + 2 * MP, a2); FN(st)(out + 3 * MP, a3);
                FN(st)(out + 4 * MP, a4); FN(st)(out + 5 * MP, a5); FN(st)(out + 6 * MP, a6); FN(st)(out + 7 * MP, a7);
            }
            for (; s < nb; s++) {
                VF a0 = 0;
                const float *k0 = t->k + (s0 + s) * t->ldk;
                for (int c = 0; c < dq; c++) a0 += FN(ld)(qt + (size_t)c * MP) * k0[c];
                if (dq2) {
                    const float *r0 = t->k2 + (s0 + s) * t->ldk2;
                    for (int c = 0; c < dq2; c++) a0 += FN(ld)(qt + (size_t)(dq + c) * MP) * r0[c];
                }
                FN(st)(S + (size_t)s * MP + rv * W, a0);
            }
        }
        // masks: keys past a row's causal prefix, and padded keys
        if (t->allowed && s0 + nb > minAllowed)
            for (int s = 0; s < nb; s++)
                for (int a = 0; a < m; a++)
                    if (s0 + s >= t->allowed[a]) S[(size_t)s * MP + a] = -__builtin_inff();
        if (t->keep)
            for (int s = 0; s < nb; s++)
                if (t->keep[s0 + s] == 0.0f)
                    for (int a = 0; a < MP; a++) S[(size_t)s * MP + a] = -__builtin_inff();
        // online softmax: new maximum, rescale what came before, exponentiate this block
        for (int rv = 0; rv < nvec; rv++) {
            VF bm = FN(splat)(-__builtin_inff());
            for (int s = 0; s < nb; s++) bm = FN(vmax)(bm, FN(ld)(S + (size_t)s * MP + rv * W));
            const VF old = FN(ld)(mx + rv * W);
            const VF nm = FN(vmax)(old, bm);
            const VF shift = FN(sel)(nm == FN(splat)(-__builtin_inff()), FN(splat)(0.0f), nm);
            const VF corr = FN(vexp)(old - shift);
            VF sum = 0;
            for (int s = 0; s < nb; s++) {
                float *p = S + (size_t)s * MP + rv * W;
                const VF e = FN(vexp)(FN(ld)(p) - shift);
                FN(st)(p, e);
                sum += e;
            }
            FN(st)(sm + rv * W, FN(ld)(sm + rv * W) * corr + sum);
            FN(st)(mx + rv * W, nm);
            for (int c = 0; c < dv; c++) {
                float *p = AT + (size_t)c * MP + rv * W;
                FN(st)(p, FN(ld)(p) * corr);
            }
        }
        // weighted sum AT[c, a] += Σ_s S[s, a]·v[s0 + s, c], eight value columns at a time
        for (int rv = 0; rv < nvec; rv++) {
            int c = 0;
            for (; c + 8 <= dv; c += 8) {
                float *at = AT + (size_t)c * MP + rv * W;
                VF a0 = FN(ld)(at), a1 = FN(ld)(at + MP), a2 = FN(ld)(at + 2 * MP), a3 = FN(ld)(at + 3 * MP);
                VF a4 = FN(ld)(at + 4 * MP), a5 = FN(ld)(at + 5 * MP), a6 = FN(ld)(at + 6 * MP), a7 = FN(ld)(at + 7 * MP);
                for (int s = 0; s < nb; s++) {
                    const VF p = FN(ld)(S + (size_t)s * MP + rv * W);
                    const float *vr = t->v + (s0 + s) * t->ldv + c;
                    a0 += p * vr[0]; a1 += p * vr[1]; a2 += p * vr[2]; a3 += p * vr[3];
                    a4 += p * vr[4]; a5 += p * vr[5]; a6 += p * vr[6]; a7 += p * vr[7];
                }
                FN(st)(at, a0); FN(st)(at + MP, a1); FN(st)(at + 2 * MP, a2); FN(st)(at + 3 * MP, a3);
                FN(st)(at + 4 * MP, a4); FN(st)(at + 5 * MP, a5); FN(st)(at + 6 * MP, a6); FN(st)(at + 7 * MP, a7);
            }
            for (; c < dv; c++) {
                float *at = AT + (size_t)c * MP + rv * W;
                VF a0 = FN(ld)(at);
                for (int s = 0; s < nb; s++) a0 += FN(ld)(S + (size_t)s * MP + rv * W) * t->v[(s0 + s) * t->ldv + c];
                FN(st)(at, a0);
            }
        }
    }
    for (int a = 0; a < m; a++) {
        t->row_max[a] = mx[a];
        t->row_sum[a] = sm[a];
        for (int c = 0; c < dv; c++) t->acc[a * t->ldacc + c] = AT[(size_t)c * MP + a];
    }
}

/// dot(x, y) over n floats, vectorised over the width with a scalar tail.
static inline float FN(dot)(const float *x, const float *y, int n) {
    VF acc0 = 0, acc1 = 0;
    int c = 0;
    for (; c + 2 * W <= n; c += 2 * W) {
        acc0 += FN(ld)(x + c) * FN(ld)(y + c);
        acc1 += FN(ld)(x + c + W) * FN(ld)(y + c + W);
    }
    for (; c + W <= n; c += W) acc0 += FN(ld)(x + c) * FN(ld)(y + c);
    acc0 += acc1;
    float sum = 0;
    for (int i = 0; i < W; i++) sum += acc0[i];
    for (; c < n; c++) sum += x[c] * y[c];
    return sum;
}

/// Few rows (m < W): the width is the vector lanes. Each cached key and value row is loaded once
/// and used by every row of the tile (the heads of a GQA group, or MHA's one head).
static void FN(narrow)(const mhl_tile *t, float *scratch, int end) {
    const int m = t->m, dq = t->dq, dq2 = (t->q2 && t->k2) ? t->dq2 : 0, dv = t->dv;
    float *S = scratch;  // [m, MHL_BLOCK]
    for (int s0 = 0; s0 < end; s0 += MHL_BLOCK) {
        const int nb = end - s0 < MHL_BLOCK ? end - s0 : MHL_BLOCK;
        for (int s = 0; s < nb; s++) {
            const float *kr = t->k + (s0 + s) * t->ldk;
            for (int a = 0; a < m; a++) {
                float x = FN(dot)(t->q + a * t->ldq, kr, dq);
                if (dq2) x += FN(dot)(t->q2 + a * t->ldq2, t->k2 + (s0 + s) * t->ldk2, dq2);
                S[a * MHL_BLOCK + s] = x * t->scale;
            }
        }
        for (int a = 0; a < m; a++) {
            float *row = S + a * MHL_BLOCK;
            const int limit = t->allowed ? t->allowed[a] - s0 : nb;
            for (int s = limit < 0 ? 0 : limit; s < nb; s++) row[s] = -__builtin_inff();
            if (t->keep) for (int s = 0; s < nb; s++) if (t->keep[s0 + s] == 0.0f) row[s] = -__builtin_inff();
            VF bmv = FN(splat)(-__builtin_inff());
            int s = 0;
            for (; s + W <= nb; s += W) bmv = FN(vmax)(bmv, FN(ld)(row + s));
            float bm = -__builtin_inff();
            for (int i = 0; i < W; i++) bm = bmv[i] > bm ? bmv[i] : bm;
            for (; s < nb; s++) bm = row[s] > bm ? row[s] : bm;
            const float old = t->row_max[a];
            const float nm = old > bm ? old : bm;
            const float shift = nm == -__builtin_inff() ? 0.0f : nm;
            const float corr = mhl_exp(old - shift);
            VF sumv = 0;
            s = 0;
            for (; s + W <= nb; s += W) {
                const VF e = FN(vexp)(FN(ld)(row + s) - shift);
                FN(st)(row + s, e);
                sumv += e;
            }
            float sum = 0;
            for (int i = 0; i < W; i++) sum += sumv[i];
            for (; s < nb; s++) { row[s] = mhl_exp(row[s] - shift); sum += row[s]; }
            t->row_sum[a] = t->row_sum[a] * corr + sum;
            t->row_max[a] = nm;
            if (corr != 1.0f) {
                float *acc = t->acc + a * t->ldacc;
                for (int c = 0; c < dv; c++) acc[c] *= corr;
            }
        }
        for (int s = 0; s < nb; s++) {
            const float *vr = t->v + (s0 + s) * t->ldv;
            for (int a = 0; a < m; a++) {
                const float p = S[a * MHL_BLOCK + s];
                float *acc = t->acc + a * t->ldacc;
                int c = 0;
                for (; c + W <= dv; c += W) FN(st)(acc + c, FN(ld)(acc + c) + FN(ld)(vr + c) * p);
                for (; c < dv; c++) acc[c] += vr[c] * p;
            }
        }
    }
}

static void FN(attend)(const mhl_tile *t, float *scratch) {
    int end = t->n;
    if (t->allowed) {
        int most = 0;
        for (int a = 0; a < t->m; a++) if (t->allowed[a] > most) most = t->allowed[a];
        if (most < end) end = most;
    }
    if (t->m <= 0 || end <= 0) return;
    if (t->m >= W) FN(wide)(t, scratch, end);
    else FN(narrow)(t, scratch, end);
}

#undef VF
#undef VI
#undef FN
#undef CAT
#undef CAT_
