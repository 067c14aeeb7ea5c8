#!/usr/bin/env python3
"""The `--mode outputs` cases of Scripts/bad-inputs.py: every command that writes, aimed at paths
where writing would destroy a user's files (`.`, `..`, `/`, home, a user's file or folder, a link
to one, an unwritable folder), at its own earlier output with and without --force, and at a locked
checkpoint. Prints input, command, exit status and message; fails if anything crashed, if a case
that must be refused was not, or if any user file changed. Docs/Reliability.md, "Writing outputs".

Run through bad-inputs.py (`python3 Scripts/bad-inputs.py --mode outputs [--bin PATH]`).
Not handled: the parser cases (bad-inputs.py) and the reading cases (bad-inputs-reading.py).
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Tests/Fixtures/Pretraining/corpus-slice.txt")


def snapshot(root):
    """Every file below root (links not followed) with its bytes, and every link with its target."""
    files = {}
    for folder, folders, names in os.walk(root):
        for name in names + [f for f in folders if os.path.islink(os.path.join(folder, f))]:
            full = os.path.join(folder, name)
            files[os.path.relpath(full, root)] = ("link", os.readlink(full)) if os.path.islink(full) else open(full, "rb").read()
    return files


def outputs(binary):
    """The --out cases: one table row each; user files are compared before and after every run."""
    scratch = os.path.realpath(tempfile.mkdtemp(prefix="bad-outputs-"))
    work = os.path.join(scratch, "cwd")
    os.makedirs(os.path.join(work, "docs"))
    for name, text in [("notes.txt", "my notes\n"), ("docs/report.txt", "report\n"), ("picture.svg", "<svg/>\n")]:
        with open(os.path.join(work, name), "w") as handle:
            handle.write(text)
    os.symlink("docs", os.path.join(work, "docs-link"))
    tiny = os.path.join(ROOT, "Tests/Fixtures/HuggingFace/tiny-bert")
    small = os.path.join(ROOT, "Tests/Fixtures/Tokenization/small-corpus.txt")
    tokenizer = os.path.join(ROOT, "Tests/Fixtures/Encoder/tokenizer-2k.json")
    pretrain = ["pretrain", "--corpus", CORPUS, "--tokenizer", tokenizer, "--preset", "tiny", "--steps", "1", "--seq", "16",
                "--batch", "2", "--eval-every", "0", "--quiet"]
    vectors = ["vectors-train", "--algorithm", "skipgram", "--corpus", CORPUS, "--dim", "8", "--epochs", "1", "--quiet"]
    subprocess.run([binary, "export", "--model", tiny, "--out", os.path.join(work, "mine")], check=True, capture_output=True)
    subprocess.run([binary] + vectors + ["--out", os.path.join(work, "v.bin")], check=True, capture_output=True)
    with open(os.path.join(work, "mine", "my-notes.md"), "w") as handle:
        handle.write("kept\n")
    # $HOME of every run is a scratch folder: even a broken check aimed at ~ reaches only scratch.
    home = os.path.join(scratch, "home")
    os.makedirs(home)
    with open(os.path.join(home, ".profile"), "w") as handle:
        handle.write("dotfile\n")
    # (input, arguments, what must happen: "refused" (exit 2), "memory" (exit 1), "written" (exit 0), changes allowed under)
    cases = [
        ("--out .", ["export", "--model", tiny, "--out", "."], "refused"),
        ("--out ..", ["export", "--model", tiny, "--out", ".."], "refused"),
        ("--out / (never with --force here)", ["export", "--model", tiny, "--out", "/"], "refused"),
        ("--out ~ (home)", ["export", "--model", tiny, "--out", home, "--force"], "refused"),
        ("--out notes.txt (a file)", ["export", "--model", tiny, "--out", "notes.txt", "--force"], "refused"),
        ("--out docs (a user's folder)", ["export", "--model", tiny, "--out", "docs", "--force"], "refused"),
        ("--out docs-link (link to a user's folder)", ["export", "--model", tiny, "--out", "docs-link", "--force"], "refused"),
        ("--out notes.txt/x (inside a file)", ["export", "--model", tiny, "--out", "notes.txt/x"], "refused"),
        ("--out /proc/x (unwritable)", ["export", "--model", tiny, "--out", "/proc/x"], "refused"),
        ("--out mine (earlier output), no --force", ["export", "--model", tiny, "--out", "mine"], "refused"),
        ("--out mine --force (my-notes.md inside kept)", ["export", "--model", tiny, "--out", "mine", "--force"], "written"),
        ("--out .", ["whiten", "--model", tiny, "--corpus", small, "--lines", "20", "--out", "."], "refused"),
        ("--out docs", ["whiten", "--model", tiny, "--corpus", small, "--lines", "20", "--out", "docs", "--force"], "refused"),
        ("--out .", pretrain + ["--out", "."], "refused"),
        ("--out ..", pretrain + ["--out", ".."], "refused"),
        ("--out docs", pretrain + ["--out", "docs", "--force"], "refused"),
        ("--export docs", pretrain + ["--out", "run", "--export", "docs"], "refused"),
        ("--log notes.txt (new run)", pretrain + ["--out", "run", "--log", "notes.txt"], "refused"),
        ("--out .", ["distill-static", "--teacher", tiny, "--out", ".", "--dim", "4"], "refused"),
        ("--out docs", ["distill-static", "--teacher", tiny, "--out", "docs", "--dim", "4", "--force"], "refused"),
        ("--out ..", ["distill", "--teacher", tiny, "--corpus", CORPUS, "--out", ".."], "refused"),
        ("--export docs", ["distill", "--teacher", tiny, "--corpus", CORPUS, "--out", "s", "--export", "docs"], "refused"),
        ("--held-out-file notes.txt", ["distill", "--teacher", tiny, "--corpus", CORPUS, "--out", "s", "--held-out-file", "notes.txt"], "refused"),
        ("--out notes.txt (a file)", ["bpe-train", "--corpus", small, "--vocab-size", "300", "--out", "notes.txt"], "refused"),
        ("--out docs (a folder)", ["bpe-train", "--corpus", small, "--vocab-size", "300", "--out", "docs", "--force"], "refused"),
        ("--out notes.txt (a file)", vectors + ["--out", "notes.txt"], "refused"),
        ("--out /proc/x.bin (unwritable, before training)", vectors + ["--out", "/proc/x.bin"], "refused"),
        ("--out v.bin (earlier output), no --force", vectors + ["--out", "v.bin"], "refused"),
        ("--out notes.txt (a file)", ["vectors-convert", "--in", "v.bin", "--out", "notes.txt"], "refused"),
        ("--out notes.txt (a file)", ["trace", "--model", tiny, "--text", "hello", "--out", "notes.txt"], "refused"),
        ("--out picture.svg (a file)", ["attention", "--model", tiny, "--text", "hello", "--out", "picture.svg"], "refused"),
        ("--out notes.txt (a file)", ["embed", "--model", tiny, "--out", "notes.txt", "hello"], "refused"),
        ("--save-features notes.txt", ["probe", "--vectors", "v.bin", "--train", small, "--test", small, "--save-features", "notes.txt"], "refused"),
        ("fastText --dim 10000 (2,000,000 buckets)", ["vectors-train", "--algorithm", "fasttext", "--corpus", CORPUS, "--dim", "10000", "--out", "ft.bin"], "memory"),
        ("fastText --bucket 100000000", ["vectors-train", "--algorithm", "fasttext", "--corpus", CORPUS, "--bucket", "100000000", "--out", "ft.bin"], "memory"),
        ("GloVe --memory-mib 1000000", ["vectors-train", "--algorithm", "glove", "--corpus", CORPUS, "--memory-mib", "1000000", "--out", "g.vec"], "memory"),
    ]
    failures = 0
    print("| command | input | exit | what the user sees (first line of stderr) | user files |")
    print("|---|---|---|---|---|")

    def report(command, description, status, line, expected, changed):
        nonlocal failures
        wanted = {"refused": 2, "memory": 1, "written": 0}[expected]
        bad = status != wanted or changed
        failures += bad
        if status < 0:
            line = "**CRASH (signal %d)** %s" % (-status, line)
        elif status != wanted:
            line = "**exit %d, expected %d** %s" % (status, wanted, line)
        print("| %s | %s | %d | %s | %s |" % (command, description, status, line.replace("|", "\\|").replace(home, "~"),
                                             "**changed**" if changed else "unchanged"))

    home_before = snapshot(home)
    for description, args, expected in cases:
        before = snapshot(work)
        status, line = run_in(binary, args, work, scratch)
        after = snapshot(work)
        # A written output may change its own folder; every other file must be as it was.
        allowed = "mine/" if expected == "written" else None
        changed = any(before.get(k) != after.get(k) for k in set(before) | set(after)
                      if not (allowed and k.startswith(allowed) and k != "mine/my-notes.md"))
        changed = changed or snapshot(home) != home_before
        report(args[0], description, status, line, expected, changed)

    # Two runs on one checkpoint: the second stops at once; a killed run's lock is stale and taken over.
    long_run = subprocess.Popen([binary] + pretrain[:-1] + ["--steps", "100000", "--checkpoint-every", "1", "--out", "locked"],
                                cwd=work, env=dict(os.environ, HOME=home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lock = os.path.join(work, ".locked.lock")
    for _ in range(600):
        if os.path.exists(os.path.join(work, "locked", "trainer_state.json")):
            break
        time.sleep(0.1)
    status, line = run_in(binary, pretrain + ["--out", "locked", "--resume"], work, scratch)
    report("pretrain", "--resume while another run holds --out", status, line.replace(str(long_run.pid), "PID"), "refused", False)
    long_run.kill()
    long_run.wait()
    status, line = run_in(binary, pretrain + ["--out", "locked", "--resume", "--steps", "2"], work, scratch)
    report("pretrain", "--resume after that run was killed (stale .locked.lock)", status, line, "written", False)
    print("\n%d cases; %d crashed, were not refused or changed a user file" % (len(cases) + 2, failures), file=sys.stderr)
    print("lock file left after the runs: %s" % os.path.exists(lock), file=sys.stderr)
    shutil.rmtree(scratch, ignore_errors=True)
    return 1 if failures else 0


def run_in(binary, args, cwd, scratch):
    """Runs the CLI in cwd; returns (status, first stderr line with the scratch folder removed)."""
    environment = dict(os.environ, HOME=os.path.join(scratch, "home"))
    result = subprocess.run([binary] + args, cwd=cwd, env=environment, capture_output=True, timeout=300)
    text = result.stderr.decode("utf-8", "replace").strip() or result.stdout.decode("utf-8", "replace").strip()
    line = text.splitlines()[0] if text else "(no output)"
    line = line.replace(os.path.join(scratch, "cwd") + "/", "").replace(os.path.join(scratch, "cwd"), "WORK").replace(scratch, "SCRATCH")
    for fixture in ["Tests/Fixtures/HuggingFace/tiny-bert", "Tests/Fixtures/Pretraining/corpus-slice.txt"]:
        line = line.replace(os.path.join(ROOT, fixture), os.path.basename(fixture))
    return result.returncode, line
