#!/usr/bin/env python3
"""bad-inputs-reading.py: how TinyEncoder reads text (Docs/Reliability.md, "Reading text").

Writes each input (CRLF files, invalid UTF-8, long lines, trailing safetensors bytes, hostile
options), runs the command that reads it, and prints a Markdown table: input, command, exit
status, first line of the message. Fails (exit 1) if a case crashes (signal) or gets an exit
status other than the expected one. Standard library only; no model download (it uses the
shipped model and the committed test fixtures).

    python3 Scripts/bad-inputs-reading.py --bin .build/debug/tinyencoder

Not handled: memory and speed (measured with /usr/bin/time and `bench tokenize-long`).
"""
import argparse, json, os, struct, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(ROOT, "Tests", "Fixtures")


def crlf(text):
    return text.replace("\n", "\r\n").encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "debug", "tinyencoder"))
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="te-reading-")

    def write(name, data):
        path = os.path.join(scratch, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    bpe = os.path.join(FIX, "Tokenization", "small-bpe.json")
    gpt2 = os.path.join(FIX, "Tokenization", "small-gpt2")
    merges = write("merges.txt", crlf(open(os.path.join(gpt2, "merges.txt")).read()))
    probe = write("probe.tsv", crlf("a\tthe cat sat\nb\tI ran home\na\ta dog sat\nb\tyou ran away\n"))
    pairs = write("pairs.tsv", crlf(open(os.path.join(FIX, "WordVectors", "wordsim353.tsv")).read()))
    analogies = write("questions.txt", crlf(open(os.path.join(FIX, "WordVectors", "questions-words.txt")).read()))
    vectors = os.path.join(FIX, "WordVectors", "eval-vectors.bin")
    header = json.dumps({"x": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}).encode()
    bad_vectors = write("bad-vectors.txt", b"2 2\r\nthe 1 0\r\nca\xff 0 1\r\n")
    bad_corpus = write("bad-corpus.txt", b"the cat sat\r\non the mat\r\nthe ca\xfft ran\r\n")
    trailing = write("trailing.safetensors", struct.pack("<Q", len(header)) + header + b"\0" * 8)

    cases = [
        # (input, arguments, standard input, expected exit)
        ("3 CRLF lines on stdin", ["tokenize", "--tokenizer", bpe], crlf("one\ntwo\nthree\n"), 0),
        ("CRLF GPT-2 merges.txt", ["tokenize", "--tokenizer", os.path.join(gpt2, "vocab.json"), "--merges", merges, "hello world"], None, 0),
        ("invalid UTF-8 on stdin (line 2)", ["tokenize", "--tokenizer", bpe], b"ok\r\nbad \xff\n", 1),
        ("invalid UTF-8 on stdin, --invalid-utf8 replace", ["tokenize", "--tokenizer", bpe, "--invalid-utf8", "replace"], b"ok\r\nbad \xff\n", 0),
        ("invalid UTF-8 on embed's stdin", ["embed"], b"ok\nbad \xff\n", 1),
        ("--invalid-utf8 maybe", ["embed", "--invalid-utf8", "maybe", "x"], None, 2),
        ("CRLF WordSim pairs and analogies", ["vectors-eval", "--vectors", vectors, "--word-pairs", pairs, "--analogies", analogies], None, 0),
        ("word-pairs file missing", ["vectors-eval", "--vectors", vectors, "--word-pairs", os.path.join(scratch, "absent.tsv")], None, 1),
        ("word-pairs path is a folder", ["vectors-eval", "--vectors", vectors, "--word-pairs", scratch], None, 1),
        ("unknown option before an option", ["trace", "--bogus", "--out", os.path.join(scratch, "t.safetensors")], None, 2),
        ("--batch 0", ["embed", "--batch", "0", "x"], None, 2),
        ("5,000-word text, trace --truncate", ["trace", "--truncate", "--text", "word " * 5000, "--out", os.path.join(scratch, "t.safetensors")], None, 0),
        # The shipped model is a sentence-transformers folder (max_seq_length 128): it always cuts.
        ("5,000-word text, trace (shipped model cuts at 128)", ["trace", "--text", "word " * 5000, "--out", os.path.join(scratch, "t2.safetensors")], None, 0),
        ("100,000-word line, embed (shipped model cuts at 128)", ["embed"], ("word " * 100000 + "\n").encode(), 0),
        ("100,000-word line, embed --truncate", ["embed", "--truncate"], ("word " * 100000 + "\n").encode(), 0),
        ("safetensors with 4 bytes after the last tensor", ["probe", "--features", trailing], None, 1),
        ("CRLF probe file", ["probe", "--vectors", vectors, "--train", probe, "--test", probe], None, 0),
        ("invalid UTF-8 in CRLF probe --vectors text (line 3)", ["probe", "--vectors", bad_vectors, "--train", probe, "--test", probe], None, 1),
        ("the same, --invalid-utf8 replace", ["probe", "--vectors", bad_vectors, "--train", probe, "--test", probe, "--invalid-utf8", "replace"], None, 0),
        ("invalid UTF-8 in a CRLF vectors-train corpus (line 3)", ["vectors-train", "--algorithm", "skipgram", "--corpus", bad_corpus, "--out",
                                                                   os.path.join(scratch, "refused.txt"), "--dim", "4", "--min-count", "1", "--epochs", "1"], None, 1),
        ("the same, --invalid-utf8 replace", ["vectors-train", "--algorithm", "skipgram", "--corpus", bad_corpus, "--out", os.path.join(scratch, "replaced.txt"),
                                              "--dim", "4", "--min-count", "1", "--epochs", "1", "--invalid-utf8", "replace"], None, 0),
        ("invalid UTF-8 in a whiten corpus (line 3)", ["whiten", "--corpus", bad_corpus, "--out", os.path.join(scratch, "whitened")], None, 1),
    ]
    print("| input | command | exit | message (first line of stderr, or of stdout on success) |")
    print("|---|---|---|---|")
    failures = 0
    for name, arguments, stdin, expected in cases:
        run = subprocess.run([args.bin] + arguments, input=stdin or b"", capture_output=True, timeout=600)
        err = run.stderr.decode("utf-8", "replace").strip().splitlines()
        out = run.stdout.decode("utf-8", "replace").strip().splitlines()
        first = (err[0] if err else "") if run.returncode != 0 or not out else f"{len(out)} lines: {out[0][:100]}"
        if run.returncode != 0 and not err:
            first = "(no message)"
        ok = run.returncode == expected
        failures += not ok
        relative = (a.replace(scratch + "/", "").replace(scratch, "$SCRATCH").replace(ROOT + "/", "") for a in arguments)
        shown = " ".join(a if len(a) < 40 else a[:20] + "…" for a in relative)
        message = first.replace(scratch + "/", "").replace(ROOT + "/", "").replace("|", "\\|")[:300]
        print(f"| {name} | `{shown}` | {run.returncode}{'' if ok else ' (expected %d)' % expected} | {message} |")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
