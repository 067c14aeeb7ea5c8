// Polynomial coefficients of the vector math in vmath_template.h, fitted (near-minimax, Lawson's
// algorithm against 50-digit mpmath values) by Scripts/fit-vmath-polynomials.py, whose output
// this is. Each block says what is approximated, on which interval, and the fit error (float64).
// Not handled: anything outside the stated intervals (the callers reduce or split the range).
#ifndef TINYENCODER_CKERNELS_VMATH_COEFFICIENTS_H
#define TINYENCODER_CKERNELS_VMATH_COEFFICIENTS_H

// TE_EXP: exp(r) = 1 + r + r^2 * poly(r), |r| <= ln2/2, relative; fit error 3.06e-09
#define TE_EXP_C0 4.999999404e-01f
#define TE_EXP_C1 1.666652113e-01f
#define TE_EXP_C2 4.166838899e-02f
#define TE_EXP_C3 8.368710056e-03f
#define TE_EXP_C4 1.381461276e-03f

// TE_TANH: tanh(x) = x + x^3 * poly(x^2), |x| <= 0.625, relative; fit error 4.38e-09
#define TE_TANH_C0 -3.333328068e-01f
#define TE_TANH_C1 1.333144158e-01f
#define TE_TANH_C2 -5.373971537e-02f
#define TE_TANH_C3 2.063908614e-02f
#define TE_TANH_C4 -5.704985000e-03f

// TE_ERF_SMALL: erf(x) = x (2/sqrt(pi) + x^2 * poly(x^2)), |x| <= 1.0, relative; fit error 1.33e-09
#define TE_ERF_SMALL_C0 -3.761262894e-01f
#define TE_ERF_SMALL_C1 1.128361747e-01f
#define TE_ERF_SMALL_C2 -2.685491554e-02f
#define TE_ERF_SMALL_C3 5.190162454e-03f
#define TE_ERF_SMALL_C4 -8.024817798e-04f
#define TE_ERF_SMALL_C5 7.898692274e-05f

#define TE_ERF_SPLIT 1.0f
#define TE_TWO_OVER_SQRT_PI_HI 1.128379226e+00f
#define TE_TWO_OVER_SQRT_PI_LO -5.863538277e-08f

// TE_ERFC: erfc(x) = exp(-x^2) * poly(1 / (1 + x/2)), 1.0 <= x <= 10, relative; fit error 5.84e-10
#define TE_ERFC_C0 2.748927272e-06f
#define TE_ERFC_C1 2.820079029e-01f
#define TE_ERFC_C2 2.832975984e-01f
#define TE_ERFC_C3 2.372516543e-01f
#define TE_ERFC_C4 2.248055190e-01f
#define TE_ERFC_C5 -7.821764797e-02f
#define TE_ERFC_C6 3.520373404e-01f
#define TE_ERFC_C7 -5.494059324e-01f
#define TE_ERFC_C8 3.117096722e-01f
#define TE_ERFC_C9 -6.342720240e-02f

#endif
