#!/usr/bin/env python3
"""Golden fixture for pretraining: the first 10 optimiser steps of a tiny BERT masked-LM in PyTorch
(Hugging Face BertForMaskedLM, float64), with everything that makes a step: padded batches with
[CLS]/[SEP], BERT-style masks (15%, 80/10/10), gradient accumulation over 2 micro-batches (each loss
divided by 2, as HF Trainer does), clipping at global norm 1.0, torch.optim.AdamW (weight decay 0.01
except on biases and LayerNorm weights) and HF's linear schedule with warm-up.

usage: $PEER_PYTHON Scripts/make_pretraining_fixtures.py [OUT_DIR]
Writes OUT_DIR/first-10-steps/config.json and OUT_DIR/first-10-steps/golden.safetensors holding:
  the initial weights under their HF names (bert.*, cls.*), stored as float32 (torch runs in float64
  from exactly those values);
  batch.ids [S, K, B, T] (after masking, padded with 0), batch.lengths [S, K, B], batch.labels
  [S, K, B, T] (-100 where nothing is predicted), all three as float32 (exact small integers:
  our safetensors reader reads floating-point tensors only); and per step: loss (the mean of the K micro-batch
  losses), grad_norm (before clipping), lr.
Ids: 0 [PAD], 1 [UNK], 2 [CLS], 3 [SEP], 4 [MASK]; ordinary tokens 5..V-1 drawn from a Zipf law.
"""
import json, os, sys
import torch
from safetensors.torch import save_file
from transformers import BertConfig, BertForMaskedLM, get_linear_schedule_with_warmup

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "Pretraining")
V, C, L, H, FFN, MAXPOS = 128, 32, 2, 2, 64, 32
STEPS, K, B, T = 10, 2, 4, 32
PEAK_LR, WARMUP, CLIP, DECAY = 2e-3, 3, 1.0, 0.01
PAD, CLS, SEP, MASK = 0, 2, 3, 4

torch.manual_seed(0)
config = BertConfig(vocab_size=V, hidden_size=C, num_hidden_layers=L, num_attention_heads=H, intermediate_size=FFN,
                    hidden_act="gelu", max_position_embeddings=MAXPOS, type_vocab_size=2, layer_norm_eps=1e-12,
                    hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, pad_token_id=PAD,
                    attn_implementation="eager")
model = BertForMaskedLM(config)           # HF's init: N(0, 0.02), zero biases, LayerNorm (1, 0), zero [PAD] row
initial = {n: p.detach().clone().float() for n, p in model.named_parameters()
           if n not in ("cls.predictions.decoder.weight", "cls.predictions.decoder.bias")}
model = model.double()

# MARK: - Batches: Zipf-distributed ids, BERT masking (exactly round(0.15·m) of the m ordinary tokens)
g = torch.Generator().manual_seed(1)
zipf = 1.0 / torch.arange(1, V - 5 + 1, dtype=torch.float64)
ids = torch.zeros(STEPS, K, B, T, dtype=torch.long)
labels = torch.full((STEPS, K, B, T), -100, dtype=torch.long)
lengths = torch.zeros(STEPS, K, B, dtype=torch.long)
for s in range(STEPS):
    for k in range(K):
        for b in range(B):
            n = int(torch.randint(8, T + 1, (1,), generator=g))
            body = torch.multinomial(zipf, n - 2, replacement=True, generator=g) + 5
            seq = torch.cat([torch.tensor([CLS]), body, torch.tensor([SEP])])
            m = n - 2
            chosen = (torch.randperm(m, generator=g)[: max(1, round(0.15 * m))] + 1).tolist()
            for t in sorted(chosen):
                labels[s, k, b, t] = int(seq[t])
                u = float(torch.rand(1, generator=g))
                if u < 0.8: seq[t] = MASK
                elif u < 0.9: seq[t] = int(torch.randint(5, V, (1,), generator=g))
            ids[s, k, b, :n] = seq
            lengths[s, k, b] = n

# MARK: - Training: HF Trainer's order (backward of loss/K per micro-batch, clip, step, schedule)
no_decay = lambda name: "bias" in name or "LayerNorm.weight" in name
params = list(model.named_parameters())
optimizer = torch.optim.AdamW([
    {"params": [p for n, p in params if not no_decay(n)], "weight_decay": DECAY},
    {"params": [p for n, p in params if no_decay(n)], "weight_decay": 0.0}],
    lr=PEAK_LR, betas=(0.9, 0.999), eps=1e-8)
scheduler = get_linear_schedule_with_warmup(optimizer, WARMUP, STEPS)
losses, norms, rates = [], [], []
for s in range(STEPS):
    optimizer.zero_grad()
    rates.append(optimizer.param_groups[0]["lr"])
    total = 0.0
    for k in range(K):
        mask = (torch.arange(T)[None, :] < lengths[s, k][:, None]).long()
        out = model(input_ids=ids[s, k], attention_mask=mask, labels=labels[s, k])
        (out.loss / K).backward()
        total += float(out.loss.detach())
    norms.append(float(torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)))
    optimizer.step()
    scheduler.step()
    losses.append(total / K)
    print(f"step {s + 1}: loss {losses[-1]:.6f} grad_norm {norms[-1]:.6f} lr {rates[-1]:.6g}")

tensors = {("bert." + n if not n.startswith("cls.") and not n.startswith("bert.") else n): t for n, t in initial.items()}
tensors.update({"batch.ids": ids.float(), "batch.labels": labels.float(), "batch.lengths": lengths.float(),
                "loss": torch.tensor(losses, dtype=torch.float32), "grad_norm": torch.tensor(norms, dtype=torch.float32),
                "lr": torch.tensor(rates, dtype=torch.float32)})
folder = os.path.join(OUT, "first-10-steps")
os.makedirs(folder, exist_ok=True)
save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(folder, "golden.safetensors"),
          metadata={"peak_lr": str(PEAK_LR), "warmup": str(WARMUP), "steps": str(STEPS), "clip": str(CLIP),
                    "weight_decay": str(DECAY), "accumulation": str(K)})
json.dump({"vocab_size": V, "hidden_size": C, "num_hidden_layers": L, "num_attention_heads": H, "intermediate_size": FFN,
           "hidden_act": "gelu", "max_position_embeddings": MAXPOS, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
           "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0, "initializer_range": 0.02,
           "model_type": "bert", "pad_token_id": PAD}, open(os.path.join(folder, "config.json"), "w"), indent=2)
