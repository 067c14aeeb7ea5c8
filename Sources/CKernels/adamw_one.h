// One parameter of the AdamW update (te_adamw), in plain C: the scalar tail of the vector paths
// and the whole of the portable path. Each rounding is its own statement, so the compiler cannot
// contract a multiply and an add into a fused multiply-add (that would change the bits).
// Not handled: anything vectorised (vmath_template.h does that).
#ifndef TINYENCODER_CKERNELS_ADAMW_ONE_H
#define TINYENCODER_CKERNELS_ADAMW_ONE_H

#include <math.h>

/// p, m, v of one parameter, updated in place.
static inline void te_adamw_one(float *p, float *m, float *v, float g, float decay, float beta1,
                                float beta2, float step_size, float correction2_root, float eps) {
    float decayed = *p * decay;
    float difference = g - *m;
    float moved = (1.0f - beta1) * difference;
    float first = *m + moved;
    float kept = beta2 * *v;
    float scaled = (1.0f - beta2) * g;
    float square = scaled * g;
    float second = kept + square;
    float root = sqrtf(second) / correction2_root;
    float denominator = root + eps;
    float step = step_size * first;
    *m = first;
    *v = second;
    *p = decayed - step / denominator;
}

#endif
