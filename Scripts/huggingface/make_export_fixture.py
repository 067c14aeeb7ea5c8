#!/usr/bin/env python3
"""The tensor names and shapes transformers writes for BertModel and BertForMaskedLM at the shape
of the export test's model (vocabulary 2000, 32 wide, 2 layers, 4 heads, FFN 128, 24 positions,
2 token types): the export must write exactly these (CI test of the export's structure).

usage: $PEER_PYTHON Scripts/huggingface/make_export_fixture.py
Writes Tests/Fixtures/HuggingFace/bert-checkpoint-names.json:
  {"BertModel": {name: shape}, "BertForMaskedLM": {name: shape}, "config": {the BertConfig keys}}
Nothing here is needed to build or test; the output is committed.
"""
import json, os, tempfile
from safetensors import safe_open
from transformers import BertConfig, BertForMaskedLM, BertModel

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
config = BertConfig(vocab_size=2000, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
                    max_position_embeddings=24, type_vocab_size=2)
result = {}
for cls in (BertModel, BertForMaskedLM):
    with tempfile.TemporaryDirectory() as folder:
        cls(config).save_pretrained(folder)
        with safe_open(os.path.join(folder, "model.safetensors"), "pt") as f:
            result[cls.__name__] = {name: list(f.get_slice(name).get_shape()) for name in sorted(f.keys())}
keys = ["vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "hidden_act",
        "max_position_embeddings", "type_vocab_size", "layer_norm_eps", "position_embedding_type", "pad_token_id", "model_type"]
result["config"] = {k: getattr(config, k) for k in keys if hasattr(config, k)}
with open(os.path.join(ROOT, "Tests", "Fixtures", "HuggingFace", "bert-checkpoint-names.json"), "w") as f:
    json.dump(result, f, indent=1, sort_keys=True)
    f.write("\n")
print({k: len(v) for k, v in result.items()})
