"""The pieces of Scripts/peers/continue_pretraining_ddp.py below its main loop: the corpus lines and
their seeded masks (Lines, Collate), the two objectives' modules (MaskedLM, SentenceStudent and
the distillation loss), the learning-rate schedule, the all-reduce of sums, the teacher's
vectors and the start folder's projection. Imported by that script (torchrun puts its folder on
sys.path). Not handled: anything run on its own; the script's docstring describes the method.
"""
import json, os

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.utils.data import Dataset


# MARK: - Data

class Lines(Dataset):
    """(line index, text) pairs; the index seeds the line's mask."""
    def __init__(self, lines, indices):
        self.lines, self.indices = lines, indices

    def __len__(self):
        return len(self.indices)

    def __getitem__(self, position):
        index = self.indices[position]
        return index, self.lines[index]


def read_lines(path, limit):
    lines = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                lines.append(line)
                if limit and len(lines) == limit:
                    break
    return lines


def line_generator(seed, epoch, index):
    """A generator for one line's mask: the same in every process layout."""
    g = torch.Generator()
    g.manual_seed((seed * 1_000_003 + epoch * 7_919 + index) % (2 ** 63))
    return g


class Collate:
    """Tokenises a batch, pads it, and (masked LM) masks each line with its own generator."""
    def __init__(self, tokenizer, args, masked, epoch_of):
        self.tokenizer, self.args, self.masked, self.epoch_of = tokenizer, args, masked, epoch_of
        self.special = torch.tensor(sorted(set(tokenizer.all_special_ids)))
        self.mask_id, self.pad_id, self.vocab = tokenizer.mask_token_id, tokenizer.pad_token_id, len(tokenizer)

    def __call__(self, items):
        indices = [index for index, _ in items]
        texts = [text for _, text in items]
        ids = [self.tokenizer(t, truncation=True, max_length=self.args.max_length)["input_ids"] for t in texts]
        T = max(len(x) for x in ids)
        input_ids = torch.full((len(ids), T), self.pad_id, dtype=torch.long)   # [B, T]
        attention = torch.zeros((len(ids), T), dtype=torch.long)               # [B, T]
        labels = torch.full((len(ids), T), -100, dtype=torch.long)             # [B, T]
        for row, line in enumerate(ids):
            line = torch.tensor(line, dtype=torch.long)
            L = len(line)
            attention[row, :L] = 1
            if self.masked:
                g = line_generator(self.args.seed, self.epoch_of(), indices[row])
                chosen = (torch.rand(L, generator=g) < self.args.mask_prob) & ~torch.isin(line, self.special)
                kind = torch.rand(L, generator=g)
                random_ids = torch.randint(self.vocab, (L,), generator=g)
                labels[row, :L] = torch.where(chosen, line, torch.full_like(line, -100))
                line = torch.where(chosen & (kind < 0.8), torch.full_like(line, self.mask_id), line)
                line = torch.where(chosen & (kind >= 0.8) & (kind < 0.9), random_ids, line)
            input_ids[row, :L] = line
        return {"indices": indices, "texts": texts, "input_ids": input_ids, "attention_mask": attention, "labels": labels}


# MARK: - Objectives (wrapped by DDP, so forward must go through the wrapper)

class MaskedLM(torch.nn.Module):
    """Σ cross-entropy over the masked positions, and their count. The head sees only those rows."""
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, labels):
        hidden = self.model.bert(input_ids=input_ids, attention_mask=attention_mask,
                                 token_type_ids=torch.zeros_like(input_ids)).last_hidden_state   # [B, T, C]
        chosen = labels != -100                                                                  # [B, T]
        logits = self.model.cls(hidden[chosen])                                                   # [M, V]
        loss_sum = F.cross_entropy(logits.float(), labels[chosen], reduction="sum")
        correct = (logits.argmax(-1) == labels[chosen]).sum()
        return loss_sum, chosen.sum(), correct


class SentenceStudent(torch.nn.Module):
    """s = projection(masked mean of Encoder(x)); as SentenceStudent.swift."""
    def __init__(self, encoder, projection):
        super().__init__()
        self.encoder, self.projection = encoder, projection

    def forward(self, input_ids, attention_mask):
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=torch.zeros_like(input_ids)).last_hidden_state      # [B, T, C]
        m = attention_mask.unsqueeze(-1).to(hidden.dtype)                                         # [B, T, 1]
        pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1)                                      # [B, C]
        return pooled if self.projection is None else self.projection(pooled)                     # [B, Dₜ]


def distillation_sum(s, t, loss):
    """Σ over the batch of the per-line loss: MSE's (1/D) Σ_j (s − t)², or 1 − cos(s, t)."""
    if loss == "mse":
        return ((s - t) ** 2).mean(1).sum()
    return (1 - F.cosine_similarity(s, t, dim=1, eps=1e-12)).sum()


# MARK: - Helpers

def schedule(step, args):
    """Linear warm-up to --lr, then linear decay to 0 at --steps (HF's default shape)."""
    if args.warmup and step < args.warmup:
        return (step + 1) / args.warmup
    return max(0.0, (args.steps - step) / max(1, args.steps - args.warmup))


def reduce_sum(values, device):
    t = torch.tensor(values, dtype=torch.float64, device=device)
    dist.all_reduce(t)
    return t.tolist()


def teacher_vectors(teacher, texts, device):
    with torch.no_grad():
        return teacher.encode(texts, convert_to_tensor=True, batch_size=max(1, len(texts)), device=str(device),
                              show_progress_bar=False).float()


def sentence_modules():
    try:
        from sentence_transformers.sentence_transformer.modules import Dense, Normalize, Pooling, Transformer
    except ImportError:  # sentence-transformers before 6
        from sentence_transformers.models import Dense, Normalize, Pooling, Transformer
    return Dense, Normalize, Pooling, Transformer


def start_projection(model_dir, width, teacher_width, initializer_range, seed):
    """The start folder's Dense when it maps width → teacher_width (a student made for this
    teacher), else a new N(0, σ²) projection when the widths differ, else none."""
    from safetensors.torch import load_file
    modules_path = os.path.join(model_dir, "modules.json")
    if os.path.isfile(modules_path):
        for module in json.load(open(modules_path, encoding="utf-8")):
            if module["type"].endswith(".Dense"):
                config = json.load(open(os.path.join(model_dir, module["path"], "config.json"), encoding="utf-8"))
                if config["in_features"] == width and config["out_features"] == teacher_width:
                    tensors = load_file(os.path.join(model_dir, module["path"], "model.safetensors"))
                    projection = torch.nn.Linear(width, teacher_width, bias="linear.bias" in tensors)
                    with torch.no_grad():
                        projection.weight.copy_(tensors["linear.weight"])
                        if projection.bias is not None:
                            projection.bias.copy_(tensors["linear.bias"])
                    return projection, "the start folder's Dense"
                break
    if width == teacher_width:
        return None, "none (equal widths)"
    g = torch.Generator().manual_seed(seed + 0x50524F4A)
    projection = torch.nn.Linear(width, teacher_width)
    with torch.no_grad():
        projection.weight.copy_(torch.randn(teacher_width, width, generator=g) * initializer_range)
        projection.bias.zero_()
    return projection, f"new, N(0, {initializer_range}²)"
