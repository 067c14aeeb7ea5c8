#!/usr/bin/env python3
"""Checks `tinyencoder probe` against scikit-learn on the SAME sentence vectors.

usage: $PEER_PYTHON Scripts/probe_sklearn.py FEATURES.safetensors
FEATURES is written by `tinyencoder probe ... --save-features FEATURES` (train.x, train.y, test.x,
test.y, ours.coef, ours.intercept; metadata c). Fits LogisticRegression(C=c, max_iter=2000) as
Scripts/peers/supersense_probe.py does and prints both test accuracies, scikit-learn's objective
C·Σ loss + ½‖W‖² at both solutions, the largest coefficient difference, and how often the two
classifiers agree on the test set.
"""
import sys
import numpy as np
from safetensors import safe_open
from sklearn.linear_model import LogisticRegression

with safe_open(sys.argv[1], "numpy") as f:
    t = {k: f.get_tensor(k) for k in f.keys()}
    c = float(f.metadata().get("c", "1"))
xtr, ytr = t["train.x"].astype(np.float64), t["train.y"].astype(int)
xte, yte = t["test.x"].astype(np.float64), t["test.y"].astype(int)
clf = LogisticRegression(max_iter=2000, C=c).fit(xtr, ytr)

def objective(coef, intercept):
    z = xtr @ coef.T + intercept
    z -= z.max(1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(1, keepdims=True))
    return c * -logp[np.arange(len(ytr)), ytr].sum() + 0.5 * (coef ** 2).sum()

sk_pred = clf.predict(xte)
print(f"scikit-learn accuracy={np.mean(sk_pred == yte):.4f} objective={objective(clf.coef_, clf.intercept_):.4f} iterations={clf.n_iter_[0]}")
if "ours.coef" not in t: sys.exit(0)  # features from elsewhere (probe_minilm_features.py): scikit-learn only
ours_coef, ours_intercept = t["ours.coef"].astype(np.float64), t["ours.intercept"].astype(np.float64)
ours_pred = (xte @ ours_coef.T + ours_intercept).argmax(1)
print(f"ours         accuracy={np.mean(ours_pred == yte):.4f} objective={objective(ours_coef, ours_intercept):.4f}")
print(f"max |coef difference|={np.abs(clf.coef_ - ours_coef).max():.2e} (largest |coef| {np.abs(clf.coef_).max():.2f}); "
      f"predictions agree on {np.mean(sk_pred == ours_pred):.4f} of the test set")
