// Portable row kernels over a [rows, cols] row-major matrix: softmax, log-softmax and LayerNorm
// with their backward passes, in plain C loops (the same formulas as rows_template.h, one
// element at a time). Used where no vector path exists and as the comparison path in tests.
// Not handled: threads (the Swift caller splits rows).
#include <math.h>
#include "CKernels.h"
#include "internal.h"

// MARK: - Softmax

void te_softmax_rows_portable(const float *x, float *y, long rows, long cols) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        float *yr = y + r * cols;
        float max = -INFINITY;
        for (long j = 0; j < cols; j++) max = xr[j] > max ? xr[j] : max;
        float sum = 0.0f;
        for (long j = 0; j < cols; j++) {
            yr[j] = expf(xr[j] - max);
            sum += yr[j];
        }
        float inverse = 1.0f / sum;
        for (long j = 0; j < cols; j++) yr[j] *= inverse;
    }
}

void te_softmax_rows_backward_portable(const float *y, const float *dy, float *dx, long rows,
                                       long cols, int accumulate) {
    for (long r = 0; r < rows; r++) {
        const float *yr = y + r * cols, *dyr = dy + r * cols;
        float *dxr = dx + r * cols;
        float dot = 0.0f;
        for (long j = 0; j < cols; j++) dot += dyr[j] * yr[j];
        for (long j = 0; j < cols; j++) {
            float g = yr[j] * (dyr[j] - dot);
            dxr[j] = accumulate ? dxr[j] + g : g;
        }
    }
}

// MARK: - Log-softmax

void te_log_softmax_rows_portable(const float *x, float *y, long rows, long cols) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        float *yr = y + r * cols;
        float max = -INFINITY;
        for (long j = 0; j < cols; j++) max = xr[j] > max ? xr[j] : max;
        float sum = 0.0f;
        for (long j = 0; j < cols; j++) sum += expf(xr[j] - max);
        float shift = max + logf(sum);
        for (long j = 0; j < cols; j++) yr[j] = xr[j] - shift;
    }
}

void te_log_softmax_rows_backward_portable(const float *y, const float *dy, float *dx, long rows,
                                           long cols, int accumulate) {
    for (long r = 0; r < rows; r++) {
        const float *yr = y + r * cols, *dyr = dy + r * cols;
        float *dxr = dx + r * cols;
        float total = 0.0f;
        for (long j = 0; j < cols; j++) total += dyr[j];
        for (long j = 0; j < cols; j++) {
            float g = dyr[j] - expf(yr[j]) * total;
            dxr[j] = accumulate ? dxr[j] + g : g;
        }
    }
}

// MARK: - LayerNorm

void te_layernorm_rows_portable(const float *x, const float *gamma, const float *beta, float *y,
                                float *mean, float *rstd, long rows, long cols, float eps) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        float *yr = y + r * cols;
        float sum = 0.0f;
        for (long j = 0; j < cols; j++) sum += xr[j];
        float mu = sum / (float)cols;
        float squares = 0.0f;
        for (long j = 0; j < cols; j++) squares += (xr[j] - mu) * (xr[j] - mu);
        float inverse = 1.0f / sqrtf(squares / (float)cols + eps);
        if (mean) mean[r] = mu;
        if (rstd) rstd[r] = inverse;
        for (long j = 0; j < cols; j++) {
            float n = (xr[j] - mu) * inverse;
            yr[j] = n * (gamma ? gamma[j] : 1.0f) + (beta ? beta[j] : 0.0f);
        }
    }
}

void te_layernorm_rows_backward_portable(const float *x, const float *gamma, const float *mean,
                                         const float *rstd, const float *dy, float *dx,
                                         float *dgamma, float *dbeta, long rows, long cols,
                                         int accumulate) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols, *dyr = dy + r * cols;
        float *dxr = dx + r * cols;
        float sum_g = 0.0f, sum_gx = 0.0f;
        for (long j = 0; j < cols; j++) {
            float xhat = (xr[j] - mean[r]) * rstd[r];
            float g = dyr[j] * (gamma ? gamma[j] : 1.0f);
            sum_g += g;
            sum_gx += g * xhat;
            if (dgamma) dgamma[j] += dyr[j] * xhat;
            if (dbeta) dbeta[j] += dyr[j];
        }
        float mean_g = sum_g / (float)cols, mean_gx = sum_gx / (float)cols;
        for (long j = 0; j < cols; j++) {
            float xhat = (xr[j] - mean[r]) * rstd[r];
            float g = dyr[j] * (gamma ? gamma[j] : 1.0f);
            float out = rstd[r] * (g - mean_g - xhat * mean_gx);
            dxr[j] = accumulate ? dxr[j] + out : out;
        }
    }
}
