#!/usr/bin/env python3
"""Golden fixtures for the Autograd ops, computed by PyTorch (float64, then stored as float32).

usage: $PEER_PYTHON Scripts/make_autograd_fixtures.py [OUT_DIR]
Writes OUT_DIR (default Tests/Fixtures/Autograd)/ops.safetensors. For each op, the inputs, an
upstream gradient `NAME.dout` (a fixed random tensor R; the loss is sum(out * R)), the output
`NAME.out` and the gradient of every input `NAME.grad.INPUT`. Also writes dtypes.safetensors,
a file with F32, F16 and BF16 tensors written by the `safetensors` package, to check the reader.
Python is only needed to regenerate these files; the tests read the committed copies.
"""
import os, sys
import torch
import torch.nn.functional as F
from safetensors.torch import save_file

out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "Autograd")
os.makedirs(out_dir, exist_ok=True)
g = torch.Generator().manual_seed(20261123)
def rand(*shape, scale=1.0):
    return ((torch.rand(*shape, generator=g, dtype=torch.float64) * 2 - 1) * scale).requires_grad_(True)

tensors = {}
def record(name, inputs, out):
    """Stores inputs, output, upstream gradient R and every input's gradient of sum(out * R)."""
    dout = torch.rand(tuple(out.shape), generator=g, dtype=torch.float64) * 2 - 1
    grads = torch.autograd.grad(out, list(inputs.values()), dout)
    for key, value in inputs.items():
        tensors[f"{name}.{key}"] = value.detach().float().contiguous()
        tensors[f"{name}.grad.{key}"] = grads[list(inputs).index(key)].float().contiguous()
    tensors[f"{name}.out"] = out.detach().float().contiguous()
    tensors[f"{name}.dout"] = dout.float().contiguous()

# linear: x [2, 5, 16] @ W[24, 16]^T + b
x, w, b = rand(2, 5, 16), rand(24, 16, scale=0.3), rand(24)
record("linear", {"x": x, "weight": w, "bias": b}, F.linear(x, w, b))

# LayerNorm over 32 features, eps 1e-12 (BERT's)
x, gamma, beta = rand(3, 7, 32, scale=2.0), rand(32), rand(32)
with torch.no_grad(): gamma += 1.0
record("layernorm", {"x": x, "gamma": gamma, "beta": beta}, F.layer_norm(x, (32,), gamma, beta, eps=1e-12))

# softmax over the last axis
x = rand(4, 6, 11, scale=3.0)
record("softmax", {"x": x}, torch.softmax(x, dim=-1))

# GELU, exact (erf) and tanh forms
x = rand(5, 40, scale=4.0)
record("gelu", {"x": x}, F.gelu(x))
x = rand(5, 40, scale=4.0)
record("gelu_tanh", {"x": x}, F.gelu(x, approximate="tanh"))

# multi-head attention on [B, T, C] projections with a key padding mask (1 real, 0 padding)
B, T, C, H = 3, 6, 16, 4
q, k, v = rand(B, T, C), rand(B, T, C), rand(B, T, C)
mask = torch.tensor([[1] * 6, [1] * 4 + [0] * 2, [1] * 2 + [0] * 4], dtype=torch.float64)
def heads(t): return t.view(B, T, H, C // H).transpose(1, 2)
attend = (mask[:, None, None, :] > 0)  # [B, 1, 1, T]: which keys each query may see
o = F.scaled_dot_product_attention(heads(q), heads(k), heads(v), attn_mask=attend)
record("attention", {"query": q, "key": k, "value": v}, o.transpose(1, 2).reshape(B, T, C))
tensors["attention.mask"] = mask.float()

# cross-entropy with ignored rows (-100), mean over counted rows
logits = rand(7, 13, scale=3.0)
targets = torch.tensor([3, -100, 0, 12, 5, -100, 7])
record("cross_entropy", {"logits": logits}, F.cross_entropy(logits, targets, ignore_index=-100))
tensors["cross_entropy.targets"] = targets.float()

save_file(tensors, os.path.join(out_dir, "ops.safetensors"), metadata={"generator": "Scripts/make_autograd_fixtures.py", "torch": torch.__version__})

# The reader must widen what the reference writer stores.
values = torch.tensor([[0.0, 1.0, -2.5, 65504.0], [1e-3, -1e-3, 3.140625, 0.333333]])
save_file({"f32": values.float(), "f16": values.half(), "bf16": values.bfloat16(), "scalar": torch.tensor(7.0)},
          os.path.join(out_dir, "dtypes.safetensors"), metadata={"format": "pt"})
print("wrote", len(tensors), "tensors to", out_dir)
