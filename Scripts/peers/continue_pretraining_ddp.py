#!/usr/bin/env python3
"""Continues training of a `tinyencoder export` folder with PyTorch DistributedDataParallel, and
saves a folder that TinyEncoder reads back (`tinyencoder embed --model`, `pretrain --init-from`).

Two objectives:
  masked LM (default)   the `export --mlm-head` folder's BertForMaskedLM; 15% of the tokens
                        predicted (BERT's 80/10/10); saved as BertForMaskedLM with the start
                        folder's sentence-transformers files (pooling, Dense, Normalize) copied over.
  --teacher DIR         sentence-level distillation, the objective of `tinyencoder distill`
                        (Sources/Pretraining/Distillation): s = W·meanpool(Encoder(x)) + b (the
                        projection only when the student's width differs from the teacher's), and
                        MSE (1/(B·D)) Σ (s − t)² or cosine (1/B) Σ (1 − cos(s, t)) to the teacher's
                        sentence-transformers vector t; saved as BertModel + Pooling (mean) + Dense
                        (the projection) + Normalize when the teacher normalises.

Launch with torchrun (one process per CPU socket share or per GPU):
  torchrun --nproc_per_node 2 Scripts/peers/continue_pretraining_ddp.py \
      --model exported-mlm --corpus corpus.txt --out continued --steps 200
  several machines: torchrun --nnodes 2 --node_rank R --nproc_per_node G --rdzv-backend c10d \
      --rdzv-endpoint HOST:29400 --rdzv-id RUN Scripts/peers/continue_pretraining_ddp.py ... --backend nccl
The gloo backend runs on CPUs; --backend nccl puts process LOCAL_RANK on cuda:LOCAL_RANK.

Data: the corpus's non-empty lines (the first --max-lines), --eval-lines of them held out (a
seeded choice), the rest split over the processes by DistributedSampler (one shuffled order per
epoch; process r takes every world-th line from r). A line's mask comes from a generator seeded
by (seed, epoch, line), so a run of N processes × B lines masks the same tokens as one process of
N·B lines; the loss is the sum over the global batch's masked tokens divided by their global count
(so DDP's averaged gradient is the gradient of the global mean, whatever the per-process counts).
Dropout is seeded by --dropout-seed and the rank. At the end every rank hashes its parameters and
rank 0 checks that all hashes agree and reports the largest difference from rank 0's weights.

Not handled: gradient accumulation, mixed precision, resuming a run, whole-word masking, the
masked-LM term of `distill` (--mlm-weight), teacher-vector caching (the teacher runs every step).
"""
import argparse, hashlib, json, os, random, shutil, sys, time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler


def parse_arguments():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="`tinyencoder export [--mlm-head]` folder (or any BERT folder)")
    p.add_argument("--corpus", required=True, help="UTF-8 text, one sentence or paragraph per line")
    p.add_argument("--out", required=True, help="folder to write (must not exist); written by rank 0, renamed into place")
    p.add_argument("--teacher", help="sentence-transformers folder: distil its sentence vectors instead of masked LM")
    p.add_argument("--loss", choices=["mse", "cosine"], default="mse", help="distillation loss (with --teacher)")
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--batch", type=int, default=16, help="lines per process per step (global batch = batch × processes)")
    p.add_argument("--lr", type=float, default=1e-4, help="peak learning rate")
    p.add_argument("--warmup", type=int, default=0, help="linear warm-up steps, then linear decay to 0")
    p.add_argument("--weight-decay", type=float, default=0.01, help="AdamW's (not on biases and LayerNorm)")
    p.add_argument("--clip", type=float, default=1.0, help="global gradient-norm clipping (0: off)")
    p.add_argument("--max-length", type=int, default=64, help="tokens per line, [CLS] and [SEP] included")
    p.add_argument("--mask-prob", type=float, default=0.15)
    p.add_argument("--max-lines", type=int, default=0, help="use the corpus's first N non-empty lines (0: all)")
    p.add_argument("--eval-lines", type=int, default=512, help="held-out lines")
    p.add_argument("--eval-every", type=int, default=50, help="steps between held-out evaluations (and at 0 and the end)")
    p.add_argument("--log-every", type=int, default=10)
    p.add_argument("--seed", type=int, default=0, help="held-out choice, data order and masks")
    p.add_argument("--dropout-seed", type=int, help="dropout (default: --seed); each rank adds its rank")
    p.add_argument("--no-dropout", action="store_true", help="hidden and attention dropout 0")
    p.add_argument("--backend", choices=["gloo", "nccl"], default="gloo")
    p.add_argument("--threads", type=int, default=0, help="torch threads per process (0: torch's default; torchrun sets OMP 1 per process)")
    p.add_argument("--log-file", help="JSON lines written by rank 0: each logged step, evaluation and the final check")
    return p.parse_args()


def fail(message):
    sys.stderr.write(f"continue_pretraining_ddp: {message}\n")
    sys.exit(2)


def check_inputs(args):
    """Bad input → a message naming the file or option and the fix (every rank checks the same files)."""
    config = os.path.join(args.model, "config.json")
    if not os.path.isfile(config):
        fail(f"--model {args.model}: no config.json. Give a folder written by `tinyencoder export --mlm-head`")
    if not os.path.isfile(os.path.join(args.model, "tokenizer.json")):
        fail(f"--model {args.model}: no tokenizer.json. Export the model with `tinyencoder export`, which writes it")
    if not args.teacher:
        architectures = json.load(open(config, encoding="utf-8")).get("architectures", [])
        if "BertForMaskedLM" not in architectures:
            fail(f"{config}: architectures is {architectures}, so the folder has no masked-LM head. "
                 "Export with `tinyencoder export --mlm-head`, or pass --teacher DIR to distil instead")
    elif not os.path.isfile(os.path.join(args.teacher, "modules.json")):
        fail(f"--teacher {args.teacher}: no modules.json. Give a sentence-transformers folder such as all-MiniLM-L6-v2")
    if not os.path.isfile(args.corpus):
        fail(f"--corpus {args.corpus}: no such file")
    if os.path.exists(args.out):
        fail(f"--out {args.out} exists. Remove it or choose another folder (the result is never written over a folder)")
    for name in ["steps", "batch", "max_length"]:
        if getattr(args, name) < 1:
            fail(f"--{name.replace('_', '-')} is {getattr(args, name)}. Use a positive number")
    if args.max_length < 3:
        fail("--max-length must be at least 3 ([CLS], a token, [SEP])")


from ddp_parts import (Lines, read_lines, Collate, MaskedLM, SentenceStudent,
                       distillation_sum, schedule, reduce_sum, teacher_vectors, sentence_modules,
                       start_projection)


# MARK: - Main

def main():
    args = parse_arguments()
    check_inputs(args)
    if "RANK" not in os.environ:  # a plain `python script.py` run: one process
        os.environ.update({"RANK": "0", "WORLD_SIZE": "1", "LOCAL_RANK": "0", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "29511"})
    rank, world, local_rank = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]), int(os.environ["LOCAL_RANK"])
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.backend == "nccl":
        torch.cuda.set_device(local_rank)
        device = torch.device("cuda", local_rank)
    else:
        device = torch.device("cpu")
    dist.init_process_group(args.backend)
    log_file = open(args.log_file, "w", encoding="utf-8") if (args.log_file and rank == 0) else None

    def report(kind, **fields):
        if rank != 0:
            return
        print(kind + " " + " ".join(f"{k}={v}" for k, v in fields.items()), flush=True)
        if log_file:
            log_file.write(json.dumps({"kind": kind, **fields}) + "\n")
            log_file.flush()

    from transformers import AutoTokenizer, BertForMaskedLM, BertModel
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    overrides = {"hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0} if args.no_dropout else {}
    distill = args.teacher is not None
    if distill:
        from sentence_transformers import SentenceTransformer
        teacher = SentenceTransformer(args.teacher, device=str(device))
        teacher.eval()
        teacher_width = teacher.get_sentence_embedding_dimension()
        normalizes = any(type(m).__name__ == "Normalize" for m in teacher)
        encoder = BertModel.from_pretrained(args.model, **overrides)
        for p in encoder.pooler.parameters() if encoder.pooler is not None else []:
            p.requires_grad_(False)  # sentence vectors never use BERT's pooler
        projection, projection_origin = start_projection(args.model, encoder.config.hidden_size, teacher_width,
                                                         encoder.config.initializer_range, args.seed)
        network = SentenceStudent(encoder, projection).to(device)
    else:
        model = BertForMaskedLM.from_pretrained(args.model, **overrides)
        network = MaskedLM(model).to(device)

    lines = read_lines(args.corpus, args.max_lines)
    if len(lines) < args.eval_lines + args.batch * world:
        fail(f"--corpus {args.corpus}: {len(lines)} non-empty lines, fewer than --eval-lines {args.eval_lines} + one global batch "
             f"({args.batch * world}). Use a larger corpus or smaller --eval-lines/--batch")
    held_out = sorted(random.Random(args.seed).sample(range(len(lines)), args.eval_lines))
    held_set = set(held_out)
    train = Lines(lines, [i for i in range(len(lines)) if i not in held_set])
    evaluation = Lines(lines, held_out[rank::world])
    epoch = [0]
    collate = Collate(tokenizer, args, masked=not distill, epoch_of=lambda: epoch[0])
    eval_collate = Collate(tokenizer, args, masked=not distill, epoch_of=lambda: 1_000_000)  # fixed held-out masks
    sampler = DistributedSampler(train, num_replicas=world, rank=rank, shuffle=True, seed=args.seed, drop_last=True)
    loader = DataLoader(train, batch_size=args.batch, sampler=sampler, collate_fn=collate, drop_last=True)
    eval_loader = DataLoader(evaluation, batch_size=args.batch, shuffle=False, collate_fn=eval_collate)
    eval_targets = None
    if distill:
        eval_targets = [teacher_vectors(teacher, batch["texts"], device) for batch in eval_loader]

    torch.manual_seed((args.dropout_seed if args.dropout_seed is not None else args.seed) * 1_000 + rank)
    ddp = DistributedDataParallel(network, device_ids=[local_rank] if args.backend == "nccl" else None)
    decay, no_decay = [], []
    for name, p in network.named_parameters():
        if p.requires_grad:
            (no_decay if p.ndim == 1 else decay).append(p)  # biases and LayerNorm
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
                                  lr=args.lr)
    lr_schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: schedule(s, args))
    parameter_count = sum(p.numel() for p in network.parameters())
    report("start", processes=world, backend=args.backend, objective=f"distill-{args.loss}" if distill else "masked-lm",
           parameters=parameter_count, global_batch=args.batch * world, train_lines=len(train), held_out=len(held_out),
           threads=torch.get_num_threads(), **({"projection": projection_origin.replace(" ", "_"), "teacher_width": teacher_width,
                                               "teacher_normalizes": normalizes} if distill else {}))

    def evaluate(step):
        network.eval()
        total, count, correct = 0.0, 0.0, 0.0
        with torch.no_grad():
            for number, batch in enumerate(eval_loader):
                if distill:
                    s = network(batch["input_ids"].to(device), batch["attention_mask"].to(device))
                    t = eval_targets[number]
                    total += distillation_sum(s, t, args.loss).item()
                    correct += F.cosine_similarity(s, t, dim=1).sum().item()
                    count += len(batch["texts"])
                else:
                    loss_sum, masked, right = network(batch["input_ids"].to(device), batch["attention_mask"].to(device),
                                                      batch["labels"].to(device))
                    total, count, correct = total + loss_sum.item(), count + masked.item(), correct + right.item()
        total, count, correct = reduce_sum([total, count, correct], device)
        network.train()
        if distill:
            report("eval", step=step, held_out_loss=f"{total / count:.6f}", mean_cosine=f"{correct / count:.6f}", lines=int(count))
        else:
            report("eval", step=step, held_out_loss=f"{total / count:.6f}", accuracy=f"{correct / count:.4f}", masked_tokens=int(count))

    network.train()
    evaluate(0)
    step, start, tokens = 0, time.monotonic(), 0
    while step < args.steps:
        sampler.set_epoch(epoch[0])
        for batch in loader:
            input_ids, attention = batch["input_ids"].to(device), batch["attention_mask"].to(device)
            if distill:
                t = teacher_vectors(teacher, batch["texts"], device)                    # [B, Dₜ]
                local_sum = distillation_sum(ddp(input_ids, attention), t, args.loss)
                local_count = torch.tensor(float(len(batch["texts"])), device=device)
            else:
                local_sum, local_count, _ = ddp(input_ids, attention, batch["labels"].to(device))
                local_count = local_count.float()
            global_count = local_count.detach().clone()
            dist.all_reduce(global_count)
            # DDP averages gradients over `world` processes, so world·Σ_local/N_global gives the
            # gradient of the global mean Σ_global/N_global.
            (local_sum * world / global_count.clamp(min=1)).backward()
            norm = torch.nn.utils.clip_grad_norm_(network.parameters(), args.clip if args.clip > 0 else float("inf"))
            rate = lr_schedule.get_last_lr()[0]
            optimizer.step()
            lr_schedule.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            tokens += int(attention.sum()) * world
            loss_total = reduce_sum([local_sum.item()], device)[0] / max(1.0, global_count.item())
            if step % args.log_every == 0 or step == 1 or step == args.steps:
                elapsed = time.monotonic() - start
                report("step", step=step, loss=f"{loss_total:.6f}", lr=f"{rate:.3g}", grad_norm=f"{norm.item():.4f}",
                       tokens_per_s=f"{tokens / elapsed:.0f}", eta_s=f"{elapsed / step * (args.steps - step):.0f}")
            if step % args.eval_every == 0 or step == args.steps:
                evaluate(step)
            if step == args.steps:
                break
        epoch[0] += 1

    # MARK: every rank must hold the same weights
    flat = torch.cat([p.detach().reshape(-1).float() for p in network.parameters()])
    digest = hashlib.sha256(flat.cpu().numpy().tobytes()).hexdigest()
    digests = [None] * world
    dist.all_gather_object(digests, digest)
    reference = flat.clone()
    dist.broadcast(reference, 0)
    difference = (flat - reference).abs().max()
    dist.all_reduce(difference, op=dist.ReduceOp.MAX)
    identical = len(set(digests)) == 1
    report("ranks", identical=str(identical).lower(), max_abs_difference=f"{difference.item():.3g}", sha256=digests[0][:16],
           processes=world)
    if not identical and rank == 0:
        sys.stderr.write("continue_pretraining_ddp: the ranks' weights differ\n")

    if rank == 0:
        save(args, network, tokenizer, distill, teacher_width if distill else None, normalizes if distill else False)
        report("saved", out=args.out, seconds=f"{time.monotonic() - start:.1f}")
    dist.barrier()
    dist.destroy_process_group()
    if not identical:
        sys.exit(1)


def save(args, network, tokenizer, distill, teacher_width, normalizes):
    """Writes into a temporary sibling of --out, then renames it into place."""
    temporary = f"{args.out.rstrip('/')}.partial-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    if distill:
        Dense, Normalize, Pooling, Transformer = sentence_modules()
        from sentence_transformers import SentenceTransformer
        encoder_dir = temporary + "-encoder"
        network.encoder.save_pretrained(encoder_dir)
        tokenizer.save_pretrained(encoder_dir)
        transformer = Transformer(encoder_dir, max_seq_length=args.max_length)
        width = transformer.get_word_embedding_dimension()
        modules = [transformer, Pooling(width, pooling_mode="mean")]
        if network.projection is not None:
            dense = Dense(width, teacher_width, bias=network.projection.bias is not None, activation_function=torch.nn.Identity())
            with torch.no_grad():
                dense.linear.weight.copy_(network.projection.weight)
                if network.projection.bias is not None:
                    dense.linear.bias.copy_(network.projection.bias)
            modules.append(dense)
        if normalizes:
            modules.append(Normalize())
        SentenceTransformer(modules=modules, device="cpu").save(temporary, create_model_card=False)
        shutil.rmtree(encoder_dir)
    else:
        network.model.save_pretrained(temporary)
        tokenizer.save_pretrained(temporary)
        # The start folder's sentence-transformers files (pooling, Dense, Normalize) keep the
        # sentence pipeline; a Dense fitted to the start model (whitening) is kept as it was.
        for name in os.listdir(args.model):
            source = os.path.join(args.model, name)
            is_module = name in ("modules.json", "sentence_bert_config.json", "config_sentence_transformers.json") or \
                (os.path.isdir(source) and name.split("_", 1)[-1] in ("Pooling", "Dense", "Normalize"))
            if is_module:
                (shutil.copytree if os.path.isdir(source) else shutil.copy2)(source, os.path.join(temporary, name))
    os.rename(temporary, args.out)


if __name__ == "__main__":
    main()
