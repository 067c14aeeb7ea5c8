#!/usr/bin/env python3
"""Golden fixture for the linear probe: scikit-learn's multinomial LogisticRegression (lbfgs, L2,
intercept unpenalised) fitted to a tight tolerance on a small synthetic problem, for C = 1 and C = 0.25.

usage: $PEER_PYTHON Scripts/make_probe_fixtures.py [OUT_DIR]
Writes OUT_DIR/probe-small.safetensors (float32) holding x [90, 6], y [90] (class indices 0..2), and
per case c1 / c0.25: NAME.coef [3, 6], NAME.intercept [3], NAME.objective [1] = C·Σ loss + ½‖W‖².
"""
import os, sys
import numpy as np
from safetensors.numpy import save_file
from sklearn.linear_model import LogisticRegression

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "Pretraining")
rng = np.random.default_rng(0)
centres = rng.normal(0, 1.0, (3, 6))
y = np.repeat(np.arange(3), 30)
x = (centres[y] + rng.normal(0, 1.2, (90, 6))).astype(np.float32)   # overlapping classes: a real optimum
tensors = {"x": x, "y": y.astype(np.float32)}
for name, c in (("c1", 1.0), ("c0.25", 0.25)):
    clf = LogisticRegression(C=c, tol=1e-12, max_iter=100000).fit(x.astype(np.float64), y)
    z = x.astype(np.float64) @ clf.coef_.T + clf.intercept_
    z -= z.max(1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(1, keepdims=True))
    objective = c * -logp[np.arange(90), y].sum() + 0.5 * (clf.coef_ ** 2).sum()
    print(f"{name}: objective {objective:.8f}, intercept sum {clf.intercept_.sum():.2e}, train accuracy {clf.score(x, y):.3f}")
    tensors[f"{name}.coef"] = np.ascontiguousarray(clf.coef_, dtype=np.float32)  # coef_ is Fortran-ordered
    tensors[f"{name}.intercept"] = clf.intercept_.astype(np.float32)
    tensors[f"{name}.objective"] = np.array([objective], dtype=np.float32)
save_file({k: np.ascontiguousarray(v) for k, v in tensors.items()}, os.path.join(OUT, "probe-small.safetensors"))
