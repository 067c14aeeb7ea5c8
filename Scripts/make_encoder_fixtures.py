#!/usr/bin/env python3
"""Golden fixtures for the encoder: Hugging Face BertForMaskedLM (post-LN, learned positions) in
three configurations, and a plain-PyTorch pre-LN / sinusoidal variant, all with random weights,
a padded batch and masked-LM labels. Float64 in PyTorch, stored as float32.

usage: $PEER_PYTHON Scripts/make_encoder_fixtures.py [OUT_DIR]
For each case NAME writes OUT_DIR/NAME/config.json and OUT_DIR/NAME/golden.safetensors holding:
  weights under their HF names (bert.*, cls.*), input.ids / input.mask / input.labels [B, T],
  per layer l: layers.l.attention.{query,key,value,probabilities,context}, layers.l.feedForward.hidden,
  layers.l.output; embeddings; loss; and the gradient of the loss for every parameter (NAME.grad)
  and for embeddings / layers.l.output (.grad).
"""
import json, math, os, sys
import torch, torch.nn as nn, torch.nn.functional as F
from safetensors.torch import save_file
from transformers import BertConfig, BertForMaskedLM

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "Encoder")
torch.set_default_dtype(torch.float64)

def batch(vocab, lengths, T, seed):
    g = torch.Generator().manual_seed(seed)
    B = len(lengths)
    ids = torch.randint(5, vocab, (B, T), generator=g)
    mask = torch.zeros(B, T, dtype=torch.long)
    for b, n in enumerate(lengths): mask[b, :n] = 1; ids[b, n:] = 0
    labels = torch.full((B, T), -100)
    for b, n in enumerate(lengths):
        for t in torch.randperm(n, generator=g)[: max(1, n // 4)].tolist():
            labels[b, t] = int(ids[b, t]); ids[b, t] = 4  # 4 plays [MASK]
    return ids, mask, labels

def randomize(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_((torch.rand(p.shape, generator=g) * 2 - 1) * (0.5 if p.dim() > 1 else 0.2) + (1.0 if "LayerNorm.weight" in name or "norm.weight" in name else 0.0))

def bert_case(name, cfg, lengths, T, seed):
    config = BertConfig(vocab_size=cfg["vocab_size"], hidden_size=cfg["hidden_size"], num_hidden_layers=cfg["layers"],
                        num_attention_heads=cfg["heads"], intermediate_size=cfg["ffn"], hidden_act=cfg.get("act", "gelu"),
                        max_position_embeddings=32, type_vocab_size=2, layer_norm_eps=1e-12,
                        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, attn_implementation="eager")
    model = BertForMaskedLM(config).double().eval()
    randomize(model, seed)
    ids, mask, labels = batch(cfg["vocab_size"], lengths, T, seed + 1)
    captured = {}
    def hook(key):
        def f(_module, _inputs, output):
            out = output[0] if isinstance(output, tuple) else output
            if out.requires_grad: out.retain_grad()
            captured[key] = out
        return f
    for l, layer in enumerate(model.bert.encoder.layer):
        a = layer.attention.self
        a.query.register_forward_hook(hook(f"layers.{l}.attention.query"))
        a.key.register_forward_hook(hook(f"layers.{l}.attention.key"))
        a.value.register_forward_hook(hook(f"layers.{l}.attention.value"))
        a.register_forward_hook(hook(f"layers.{l}.attention.context"))
        layer.intermediate.register_forward_hook(hook(f"layers.{l}.feedForward.hidden"))
    out = model(input_ids=ids, attention_mask=mask, labels=labels, output_hidden_states=True, output_attentions=True)
    for h in out.hidden_states: h.retain_grad()
    out.loss.backward()
    t = {}
    for n, p in model.named_parameters():
        if n == "cls.predictions.decoder.weight" or n == "cls.predictions.decoder.bias": continue
        t[n] = p.detach(); t[n + ".grad"] = p.grad
    for l in range(cfg["layers"]):
        t[f"layers.{l}.attention.probabilities"] = out.attentions[l]
        t[f"layers.{l}.output"] = out.hidden_states[l + 1]; t[f"layers.{l}.output.grad"] = out.hidden_states[l + 1].grad
    t["embeddings"] = out.hidden_states[0]; t["embeddings.grad"] = out.hidden_states[0].grad
    for k, v in captured.items():
        t[k] = v
        if v.grad is not None: t[k + ".grad"] = v.grad
    t["loss"] = out.loss.reshape(1)
    config_json = {"vocab_size": cfg["vocab_size"], "hidden_size": cfg["hidden_size"], "num_hidden_layers": cfg["layers"],
                   "num_attention_heads": cfg["heads"], "intermediate_size": cfg["ffn"], "hidden_act": cfg.get("act", "gelu"),
                   "max_position_embeddings": 32, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
                   "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0, "model_type": "bert", "pad_token_id": 0}
    write(name, config_json, t, ids, mask, labels)

class PreLN(nn.Module):
    """Our pre-LN variant: sinusoidal positions, embedding LayerNorm, x + Attn(LN(x)), x + FFN(LN(x)), final LN."""
    def __init__(s, V, C, L, H, Fw, maxpos=32):
        super().__init__()
        s.H = H; s.tok = nn.Embedding(V, C); s.typ = nn.Embedding(2, C); s.ln = nn.LayerNorm(C, eps=1e-12)
        pe = torch.zeros(maxpos, C); pos = torch.arange(maxpos)[:, None].double()
        div = torch.pow(10000.0, torch.arange(0, C, 2).double() / C)
        pe[:, 0::2] = torch.sin(pos / div); pe[:, 1::2] = torch.cos(pos / div); s.register_buffer("pe", pe)
        s.layers = nn.ModuleList()
        for _ in range(L):
            m = nn.Module(); m.q, m.k, m.v, m.o = (nn.Linear(C, C) for _ in range(4))
            m.ln1, m.ln2 = nn.LayerNorm(C, eps=1e-12), nn.LayerNorm(C, eps=1e-12)
            m.f1, m.f2 = nn.Linear(C, Fw), nn.Linear(Fw, C); s.layers.append(m)
        s.final = nn.LayerNorm(C, eps=1e-12)
        s.dense, s.hln = nn.Linear(C, C), nn.LayerNorm(C, eps=1e-12); s.bias = nn.Parameter(torch.zeros(V))
    def forward(s, ids, mask, cap):
        B, T = ids.shape
        x = s.ln(s.tok(ids) + s.pe[:T][None] + s.typ(torch.zeros_like(ids))); cap["embeddings"] = x
        for l, m in enumerate(s.layers):
            h = m.ln1(x); q, k, v = m.q(h), m.k(h), m.v(h)
            for key, val in (("query", q), ("key", k), ("value", v)): cap[f"layers.{l}.attention.{key}"] = val
            C = q.shape[-1]; D = C // s.H
            sp = lambda t: t.view(B, T, s.H, D).transpose(1, 2)
            sc = sp(q) @ sp(k).transpose(-1, -2) / math.sqrt(D)
            sc = sc.masked_fill(mask[:, None, None, :] == 0, float("-inf"))
            p = sc.softmax(-1); cap[f"layers.{l}.attention.probabilities"] = p
            ctx = (p @ sp(v)).transpose(1, 2).reshape(B, T, C); cap[f"layers.{l}.attention.context"] = ctx
            x = x + m.o(ctx)
            hid = F.gelu(m.f1(m.ln2(x))); cap[f"layers.{l}.feedForward.hidden"] = hid
            x = x + m.f2(hid); cap[f"layers.{l}.output"] = x
        x = s.final(x); cap["hidden"] = x
        return x
    def logits(s, h): return s.hln(F.gelu(s.dense(h))) @ s.tok.weight.T + s.bias

PRE_NAMES = {"tok.weight": "bert.embeddings.word_embeddings.weight", "typ.weight": "bert.embeddings.token_type_embeddings.weight",
             "ln.weight": "bert.embeddings.LayerNorm.weight", "ln.bias": "bert.embeddings.LayerNorm.bias",
             "final.weight": "bert.encoder.final_layer_norm.weight", "final.bias": "bert.encoder.final_layer_norm.bias",
             "dense.weight": "cls.predictions.transform.dense.weight", "dense.bias": "cls.predictions.transform.dense.bias",
             "hln.weight": "cls.predictions.transform.LayerNorm.weight", "hln.bias": "cls.predictions.transform.LayerNorm.bias",
             "bias": "cls.predictions.bias"}
PRE_LAYER = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value", "o": "attention.output.dense",
             "ln1": "attention.output.LayerNorm", "ln2": "output.LayerNorm", "f1": "intermediate.dense", "f2": "output.dense"}

def preln_case(name, V, C, L, H, Fw, lengths, T, seed):
    model = PreLN(V, C, L, H, Fw)
    randomize(model, seed)
    ids, mask, labels = batch(V, lengths, T, seed + 1)
    cap = {}
    h = model(ids, mask, cap)
    for v in cap.values():
        if v.requires_grad: v.retain_grad()
    sel = labels.view(-1) != -100
    loss = F.cross_entropy(model.logits(h.view(-1, C)[sel]), labels.view(-1)[sel])
    loss.backward()
    t = {}
    for n, p in model.named_parameters():
        if n.startswith("layers."):
            _, l, mod, leaf = n.split(".")
            hf = f"bert.encoder.layer.{l}.{PRE_LAYER[mod]}.{leaf}"
        else:
            hf = PRE_NAMES[n]
        t[hf] = p.detach(); t[hf + ".grad"] = p.grad
    for k, v in cap.items():
        t[k] = v
        if v.grad is not None: t[k + ".grad"] = v.grad
    t["loss"] = loss.reshape(1)
    config_json = {"vocab_size": V, "hidden_size": C, "num_hidden_layers": L, "num_attention_heads": H, "intermediate_size": Fw,
                   "hidden_act": "gelu", "max_position_embeddings": 32, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
                   "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0, "model_type": "bert", "pad_token_id": 0,
                   "position_embedding_type": "sinusoidal", "pre_layer_norm": True}
    write(name, config_json, t, ids, mask, labels)

def write(name, config_json, t, ids, mask, labels):
    folder = os.path.join(OUT, name); os.makedirs(folder, exist_ok=True)
    t["input.ids"], t["input.mask"], t["input.labels"] = ids, mask, labels
    t = {k: v.detach().to(torch.float32).contiguous() for k, v in t.items()}
    save_file(t, os.path.join(folder, "golden.safetensors"), metadata={"generator": "Scripts/make_encoder_fixtures.py"})
    json.dump(config_json, open(os.path.join(folder, "config.json"), "w"), indent=1, sort_keys=True)
    print(name, len(t), "tensors")

bert_case("bert-2x16-h2", dict(vocab_size=50, hidden_size=16, layers=2, heads=2, ffn=40), [7, 4], 7, 1)
bert_case("bert-1x24-h4", dict(vocab_size=40, hidden_size=24, layers=1, heads=4, ffn=48), [5, 6, 2], 6, 2)
bert_case("bert-3x12-h3-relu", dict(vocab_size=30, hidden_size=12, layers=3, heads=3, ffn=30, act="relu"), [6, 6], 6, 3)
preln_case("preln-sinusoidal-2x16-h4", 45, 16, 2, 4, 32, [8, 5, 3], 8, 4)
