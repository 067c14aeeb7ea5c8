// Row kernels over a [rows, cols] row-major matrix: softmax and log-softmax (max-subtracted, as
// in every numerically careful implementation) and LayerNorm (Ba et al., 2016; two-pass mean and
// variance, as llm.c's layernorm_forward), each with its backward. Written once in the vocabulary
// of simd_avx2.h / simd_neon.h and compiled by vmath_avx2.c and vmath_neon.c; uses te_exp_v from
// vmath_template.h. Reductions run in a fixed order, so results are reproducible.
// Not handled: threads (the Swift caller splits rows), rows that are all -inf (NaN, as PyTorch).

// MARK: - Row reductions

/// max over one row; the tail is padded with -inf.
TE_VFUNC float te_row_max(const float *x, long cols) {
    vfloat m = v_set1(-INFINITY);
    long j = 0;
    for (; j + TE_LANES <= cols; j += TE_LANES) m = v_max(m, v_load(x + j));
    if (j < cols) m = v_max(m, v_load_partial(x + j, cols - j, -INFINITY));
    return v_hmax(m);
}

/// Σ x over one row (two accumulators, fixed order); the tail is padded with 0.
TE_VFUNC float te_row_sum(const float *x, long cols) {
    vfloat s0 = v_set1(0.0f), s1 = s0;
    long j = 0;
    for (; j + 2 * TE_LANES <= cols; j += 2 * TE_LANES) {
        s0 = v_add(s0, v_load(x + j));
        s1 = v_add(s1, v_load(x + j + TE_LANES));
    }
    for (; j + TE_LANES <= cols; j += TE_LANES) s0 = v_add(s0, v_load(x + j));
    if (j < cols) s1 = v_add(s1, v_load_partial(x + j, cols - j, 0.0f));
    return v_hsum(v_add(s0, s1));
}

/// Σ x·y over one row; the tail is padded with 0.
TE_VFUNC float te_row_dot(const float *x, const float *y, long cols) {
    vfloat s0 = v_set1(0.0f), s1 = s0;
    long j = 0;
    for (; j + 2 * TE_LANES <= cols; j += 2 * TE_LANES) {
        s0 = v_fma(v_load(x + j), v_load(y + j), s0);
        s1 = v_fma(v_load(x + j + TE_LANES), v_load(y + j + TE_LANES), s1);
    }
    for (; j + TE_LANES <= cols; j += TE_LANES) s0 = v_fma(v_load(x + j), v_load(y + j), s0);
    if (j < cols) s1 = v_fma(v_load_partial(x + j, cols - j, 0.0f), v_load_partial(y + j, cols - j, 0.0f), s1);
    return v_hsum(v_add(s0, s1));
}

// MARK: - Softmax

/// y = exp(x - max x) / Σ exp(x - max x) per row (y may alias x).
TE_VFUNC void TE_PATH_SUFFIX(softmax_rows)(const float *x, float *y, long rows, long cols) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        float *yr = y + r * cols;
        vfloat m = v_set1(te_row_max(xr, cols));
        // Pass 2: e = exp(x - m), stored, and summed (the padded tail lanes are exp(-inf) = 0).
        vfloat s = v_set1(0.0f);
        long j = 0;
        for (; j + TE_LANES <= cols; j += TE_LANES) {
            vfloat e = te_exp_v(v_sub(v_load(xr + j), m));
            v_store(yr + j, e);
            s = v_add(s, e);
        }
        if (j < cols) {
            vfloat e = te_exp_v(v_sub(v_load_partial(xr + j, cols - j, -INFINITY), m));
            v_store_partial(yr + j, e, cols - j);
            s = v_add(s, e);
        }
        // Pass 3: scale by 1 / Σ.
        float inverse = 1.0f / v_hsum(s);
        vfloat vinverse = v_set1(inverse);
        for (j = 0; j + TE_LANES <= cols; j += TE_LANES) v_store(yr + j, v_mul(v_load(yr + j), vinverse));
        for (; j < cols; j++) yr[j] *= inverse;
    }
}

/// dx = y ⊙ (dy - Σ dy·y) per row, from the forward output y (accumulate: dx +=).
TE_VFUNC void TE_PATH_SUFFIX(softmax_rows_backward)(const float *y, const float *dy, float *dx,
                                                    long rows, long cols, int accumulate) {
    for (long r = 0; r < rows; r++) {
        const float *yr = y + r * cols, *dyr = dy + r * cols;
        float *dxr = dx + r * cols;
        float d = te_row_dot(dyr, yr, cols);
        vfloat dot = v_set1(d);
        long j = 0;
        for (; j + TE_LANES <= cols; j += TE_LANES) {
            vfloat g = v_mul(v_load(yr + j), v_sub(v_load(dyr + j), dot));
            v_store(dxr + j, accumulate ? v_add(v_load(dxr + j), g) : g);
        }
        for (; j < cols; j++) {
            float g = yr[j] * (dyr[j] - d);
            dxr[j] = accumulate ? dxr[j] + g : g;
        }
    }
}

// MARK: - Log-softmax

/// y = x - max x - log Σ exp(x - max x) per row (y may alias x).
TE_VFUNC void TE_PATH_SUFFIX(log_softmax_rows)(const float *x, float *y, long rows, long cols) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        float *yr = y + r * cols;
        float max = te_row_max(xr, cols);
        vfloat m = v_set1(max);
        vfloat s = v_set1(0.0f);
        long j = 0;
        for (; j + TE_LANES <= cols; j += TE_LANES) s = v_add(s, te_exp_v(v_sub(v_load(xr + j), m)));
        if (j < cols) s = v_add(s, te_exp_v(v_sub(v_load_partial(xr + j, cols - j, -INFINITY), m)));
        float shift = max + logf(v_hsum(s));
        vfloat vshift = v_set1(shift);
        for (j = 0; j + TE_LANES <= cols; j += TE_LANES) v_store(yr + j, v_sub(v_load(xr + j), vshift));
        for (; j < cols; j++) yr[j] = xr[j] - shift;
    }
}

/// dx = dy - exp(y) Σ dy per row, from the forward output y (accumulate: dx +=).
TE_VFUNC void TE_PATH_SUFFIX(log_softmax_rows_backward)(const float *y, const float *dy, float *dx,
                                                        long rows, long cols, int accumulate) {
    for (long r = 0; r < rows; r++) {
        const float *yr = y + r * cols, *dyr = dy + r * cols;
        float *dxr = dx + r * cols;
        vfloat total = v_set1(te_row_sum(dyr, cols));
        long j = 0;
        for (; j + TE_LANES <= cols; j += TE_LANES) {
            vfloat g = v_fnma(te_exp_v(v_load(yr + j)), total, v_load(dyr + j));
            v_store(dxr + j, accumulate ? v_add(v_load(dxr + j), g) : g);
        }
        if (j < cols) {
            long rest = cols - j;
            vfloat g = v_fnma(te_exp_v(v_load_partial(yr + j, rest, 0.0f)), total, v_load_partial(dyr + j, rest, 0.0f));
            if (accumulate) g = v_add(v_load_partial(dxr + j, rest, 0.0f), g);
            v_store_partial(dxr + j, g, rest);
        }
    }
}

// MARK: - LayerNorm

/// y = (x - μ) · rstd · γ + β per row, μ = mean of the row, rstd = 1 / √(variance + eps) with
/// the biased variance; γ, β may be NULL (1 and 0); mean, rstd (one per row) may be NULL.
TE_VFUNC void TE_PATH_SUFFIX(layernorm_rows)(const float *x, const float *gamma, const float *beta,
                                             float *y, float *mean, float *rstd, long rows,
                                             long cols, float eps) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        float *yr = y + r * cols;
        // Pass 1: the mean. Pass 2: the variance around it (no E[x²] - E[x]² cancellation).
        float mu = te_row_sum(xr, cols) / (float)cols;
        vfloat vmu = v_set1(mu);
        vfloat v0 = v_set1(0.0f), v1 = v0;
        long j = 0;
        for (; j + TE_LANES <= cols; j += TE_LANES) {
            vfloat d = v_sub(v_load(xr + j), vmu);
            v0 = v_fma(d, d, v0);
        }
        if (j < cols) {
            vfloat d = v_sub(v_load_partial(xr + j, cols - j, mu), vmu);  // padded lanes: d = 0
            v1 = v_fma(d, d, v1);
        }
        float variance = v_hsum(v_add(v0, v1)) / (float)cols;
        float inverse = 1.0f / sqrtf(variance + eps);
        if (mean) mean[r] = mu;
        if (rstd) rstd[r] = inverse;
        // Pass 3: normalise, scale and shift.
        vfloat vr = v_set1(inverse);
        for (j = 0; j + TE_LANES <= cols; j += TE_LANES) {
            vfloat n = v_mul(v_sub(v_load(xr + j), vmu), vr);
            vfloat g = gamma ? v_load(gamma + j) : v_set1(1.0f);
            vfloat b = beta ? v_load(beta + j) : v_set1(0.0f);
            v_store(yr + j, v_fma(n, g, b));
        }
        for (; j < cols; j++) {
            float n = (xr[j] - mu) * inverse;
            yr[j] = fmaf(n, gamma ? gamma[j] : 1.0f, beta ? beta[j] : 0.0f);
        }
    }
}

/// The LayerNorm backward for rows (forward was: x̂ = (x - μ) rstd; y = x̂ γ + β):
/// dβ += Σ_rows dy; dγ += Σ_rows dy x̂; dx̂ = dy γ; dx = rstd (dx̂ - mean(dx̂) - x̂ mean(dx̂ x̂)).
/// dgamma, dbeta (length cols) always accumulate and may be NULL; dx accumulates if asked.
TE_VFUNC void TE_PATH_SUFFIX(layernorm_rows_backward)(const float *x, const float *gamma,
                                                      const float *mean, const float *rstd,
                                                      const float *dy, float *dx, float *dgamma,
                                                      float *dbeta, long rows, long cols,
                                                      int accumulate) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols, *dyr = dy + r * cols;
        float *dxr = dx + r * cols;
        vfloat vmu = v_set1(mean[r]), vr = v_set1(rstd[r]);
        // Pass 1: Σ dx̂ and Σ dx̂ x̂, and the parameter gradients.
        vfloat sum_g = v_set1(0.0f), sum_gx = sum_g;
        long j = 0;
        for (; j + TE_LANES <= cols; j += TE_LANES) {
            vfloat xhat = v_mul(v_sub(v_load(xr + j), vmu), vr);
            vfloat d = v_load(dyr + j);
            vfloat g = gamma ? v_mul(d, v_load(gamma + j)) : d;
            sum_g = v_add(sum_g, g);
            sum_gx = v_fma(g, xhat, sum_gx);
            if (dgamma) v_store(dgamma + j, v_fma(d, xhat, v_load(dgamma + j)));
            if (dbeta) v_store(dbeta + j, v_add(v_load(dbeta + j), d));
        }
        float tail_g = 0.0f, tail_gx = 0.0f;
        for (long t = j; t < cols; t++) {
            float xhat = (xr[t] - mean[r]) * rstd[r];
            float g = gamma ? dyr[t] * gamma[t] : dyr[t];
            tail_g += g;
            tail_gx = fmaf(g, xhat, tail_gx);
            if (dgamma) dgamma[t] = fmaf(dyr[t], xhat, dgamma[t]);
            if (dbeta) dbeta[t] += dyr[t];
        }
        float mean_g = (v_hsum(sum_g) + tail_g) / (float)cols;
        float mean_gx = (v_hsum(sum_gx) + tail_gx) / (float)cols;
        // Pass 2: dx = rstd (dx̂ - mean(dx̂) - x̂ mean(dx̂ x̂)).
        vfloat vmg = v_set1(mean_g), vmgx = v_set1(mean_gx);
        for (j = 0; j + TE_LANES <= cols; j += TE_LANES) {
            vfloat xhat = v_mul(v_sub(v_load(xr + j), vmu), vr);
            vfloat d = v_load(dyr + j);
            vfloat g = gamma ? v_mul(d, v_load(gamma + j)) : d;
            vfloat out = v_mul(vr, v_fnma(xhat, vmgx, v_sub(g, vmg)));
            v_store(dxr + j, accumulate ? v_add(v_load(dxr + j), out) : out);
        }
        for (; j < cols; j++) {
            float xhat = (xr[j] - mean[r]) * rstd[r];
            float g = gamma ? dyr[j] * gamma[j] : dyr[j];
            float out = rstd[r] * fmaf(-xhat, mean_gx, g - mean_g);
            dxr[j] = accumulate ? dxr[j] + out : out;
        }
    }
}
