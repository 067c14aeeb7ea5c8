// Private declarations shared by the CKernels translation units. Not part of the public header.
#ifndef TINYENCODER_CKERNELS_INTERNAL_H
#define TINYENCODER_CKERNELS_INTERNAL_H

#define TE_PATH_PORTABLE 0
#define TE_PATH_AVX2 1
#define TE_PATH_NEON 2

void te_sgemm_portable(int trans_a, int trans_b, long m, long n, long k, float alpha,
                       const float *a, long lda, const float *b, long ldb, float beta,
                       float *c, long ldc);

#endif
