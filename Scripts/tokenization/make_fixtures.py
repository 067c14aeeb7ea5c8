#!/usr/bin/env python3
"""Golden fixtures for Tests/TokenizationTests, made with HF tokenizers (the peer we must equal).

usage: $PEER_PYTHON Scripts/tokenization/make_fixtures.py [--hf-8k PATH/tokenizer.json]

Writes Tests/Fixtures/Tokenization/:
  hf-bpe-8k.json          the 8k byte-level tokenizer that Scripts/peers/hf_bpe.py trains on the
                          whole English corpus (pass it with --hf-8k; otherwise this script trains it
                          the same way from --corpus CORPUS)
  parity-texts.json       the varied text set (English, CJK, Arabic, emoji, code, whitespace runs,
                          a 5,000-character word, the empty string, ...)
  parity-hf-8k.json       HF's encodings of those texts with hf-bpe-8k.json: ids, tokens, byte and
                          character offsets, word ids, and the decoded text
  small-corpus.txt        a synthetic corpus (seeded, generated here; not the English corpus)
  small-*.json            tokenizers HF trains on it with several trainer settings (the trainer
                          parity tests must reproduce these files byte for byte), and pipelines
                          (template, RoBERTa, normalisers, added tokens, truncation, padding)
  small-*-cases.json      HF's encodings for those pipelines
  small-gpt2/             vocab.json + merges.txt written by HF's model.save
Nothing here is needed to build or test; the outputs are committed.
"""
import argparse, json, os, random, shutil, subprocess, sys
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, decoders, trainers, processors, AddedToken

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "Tokenization")
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

# The parity set of issue 3 plus the cases that broke other tokenizers.
TEXTS = [
    "Hello world!",
    "The quick brown fox jumps over the lazy dog. It's 9:30 a.m. and we'll see.",
    "中文分词测试，包括标点符号。北京欢迎你！",
    "日本語のテキスト、カタカナとひらがな。東京タワーは333メートルです。",
    "مرحبا بالعالم! هذا نص عربي مع أرقام ١٢٣ و 456.",
    "emoji 👍🏽 family 👨‍👩‍👧‍👦 flags 🇫🇷🇯🇵🏳️‍🌈 keycap 1️⃣ heart ❤️",
    "def fibonacci(n: int) -> int:\n\tif n < 2:\n\t\treturn n\n\treturn fibonacci(n - 1) + fibonacci(n - 2)  # naive\n",
    "for (let i = 0; i < arr.length; i++) { console.log(`${i}: ${arr[i]}`); }",
    "spaces     and\t\ttabs\n\n\nnewlines   \r\n  mixed \t \n end",
    "",
    " ",
    "   ",
    "\n",
    "\t\t\t",
    "   leading spaces",
    "trailing spaces   ",
    "it's I'm we'll they're you've he'd 'S 'LL ''quoted''",
    "a" * 5000,
    "naïve café résumé Ångström façade",
    "e\u0301 combining acute, o\u0308 diaeresis",
    "NBSP\u00a0here\u3000ideographic\u2028separator\u0085next-line\u200bzero-width",
    "[CLS] special [SEP] tokens [MASK] in text [PAD][UNK]",
    "numbers 12345 3.14159 ¾ ² ⅷ 一二三",
    "mixed123abc ...!!! ??? ---- ____ ~~~~",
    "x" + "😀" * 40,
    "Ελληνικά κείμενα και русский текст и עברית",
    "한국어 텍스트와 ภาษาไทย",
    "URL https://example.com/path?query=1&b=2#frag and email a.b@c.org",
    "\u0000\u0001\u0007 control chars \u007f",
]


def write_json(name, value):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


def byte_offsets(text, offsets):
    return [[len(text[:a].encode("utf-8")), len(text[:b].encode("utf-8"))] for a, b in offsets]


def encoding_record(text, e, pair=None):
    record = {
        "ids": e.ids, "type_ids": e.type_ids, "tokens": e.tokens,
        "offsets": [list(o) for o in e.offsets],
        "word_ids": e.word_ids, "sequence_ids": e.sequence_ids,
        "special_tokens_mask": e.special_tokens_mask, "attention_mask": e.attention_mask,
        "overflowing": [encoding_record(text, o, pair) for o in e.overflowing],
    }
    if pair is None:
        record["byte_offsets"] = byte_offsets(text, e.offsets)
    return record


def synthetic_corpus(seed=20261123, lines=3000):
    """Zipf-distributed words from a small made-up lexicon plus punctuation, digits, accents,
    CJK and emoji, so every code path of the pre-tokeniser shows up in training."""
    rng = random.Random(seed)
    syllables = ["ka", "lo", "min", "tra", "ve", "sun", "or", "el", "qui", "par", "den", "ti",
                 "ré", "ön", "ça", "ng", "th", "ch", "ing", "ed", "er", "un", "re", "st"]
    lexicon = []
    for _ in range(900):
        word = "".join(rng.choice(syllables) for _ in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4])))
        lexicon.append(word)
    extras = ["the", "of", "and", "a", "to", "in", "is", "it's", "we'll", "don't", "中文", "日本",
              "東京", "😀", "👍🏽", "2026", "3.14", "100", "--", "...", "!", "?", "(x)", "[CLS]"]
    weights = [1.0 / (rank + 1) for rank in range(len(lexicon))]
    text = []
    for _ in range(lines):
        words = []
        for _ in range(rng.randint(3, 18)):
            if rng.random() < 0.15:
                words.append(rng.choice(extras))
            else:
                word = rng.choices(lexicon, weights)[0]
                if rng.random() < 0.1:
                    word = word.capitalize()
                words.append(word)
        line = " ".join(words)
        if rng.random() < 0.1:
            line = "  " + line
        if rng.random() < 0.1:
            line += "\t" + rng.choice(extras)
        if rng.random() < 0.3:
            line += rng.choice([".", ",", "!", " ?", "  "])
        text.append(line)
    return "\n".join(text) + "\n"


def train_small(path, *, vocab, min_frequency=2, max_token_length=None, limit_alphabet=None,
                normalizer=None, pre_tokenizer=None, suffix=None, prefix=None, byte_level=True):
    model_options = {}
    if suffix is not None:
        model_options["end_of_word_suffix"] = suffix
    if prefix is not None:
        model_options["continuing_subword_prefix"] = prefix
    tok = Tokenizer(models.BPE(**model_options))
    if normalizer is not None:
        tok.normalizer = normalizer
    tok.pre_tokenizer = pre_tokenizer or pre_tokenizers.ByteLevel(add_prefix_space=False)
    if byte_level:
        tok.decoder = decoders.ByteLevel()
    kwargs = dict(vocab_size=vocab, min_frequency=min_frequency, show_progress=False, special_tokens=SPECIALS)
    if byte_level:
        kwargs["initial_alphabet"] = pre_tokenizers.ByteLevel.alphabet()
    if max_token_length is not None:
        kwargs["max_token_length"] = max_token_length
    if limit_alphabet is not None:
        kwargs["limit_alphabet"] = limit_alphabet
    if suffix is not None:
        kwargs["end_of_word_suffix"] = suffix
    if prefix is not None:
        kwargs["continuing_subword_prefix"] = prefix
    tok.train([path], trainers.BpeTrainer(**kwargs))
    return tok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hf-8k", help="tokenizer.json written by Scripts/peers/hf_bpe.py --vocab 8000")
    ap.add_argument("--corpus", default=os.environ.get("CORPUS"), help="the English corpus, to train the 8k tokenizer when --hf-8k is absent")
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)

    # 1. The 8k tokenizer of the acceptance test and HF's encodings of the parity texts.
    target = os.path.join(OUT, "hf-bpe-8k.json")
    if a.hf_8k:
        shutil.copyfile(a.hf_8k, target)
    else:
        tmp = os.path.join(OUT, "_hf8k")
        if not a.corpus:
            sys.exit("make_fixtures.py: pass --hf-8k FILE, or --corpus CORPUS to train the 8k tokenizer")
        peers = os.path.join(ROOT, "Scripts", "peers", "hf_bpe.py")
        subprocess.run([sys.executable, peers, a.corpus, "--vocab", "8000", "--out", tmp], check=True)
        shutil.move(os.path.join(tmp, "tokenizer.json"), target)
        shutil.rmtree(tmp)
    tok8k = Tokenizer.from_file(target)
    write_json("parity-texts.json", TEXTS)
    records = []
    for text, e in zip(TEXTS, tok8k.encode_batch(TEXTS)):
        record = encoding_record(text, e)
        record["decoded"] = tok8k.decode(e.ids)
        records.append(record)
    write_json("parity-hf-8k.json", records)

    # 2. The synthetic corpus and trainer parity targets.
    corpus_path = os.path.join(OUT, "small-corpus.txt")
    with open(corpus_path, "w", encoding="utf-8") as f:
        f.write(synthetic_corpus())
    train_small(corpus_path, vocab=600).save(os.path.join(OUT, "small-bpe.json"))
    train_small(corpus_path, vocab=500, min_frequency=3, max_token_length=4).save(os.path.join(OUT, "small-bpe-maxlen4.json"))
    train_small(corpus_path, vocab=400, limit_alphabet=40, byte_level=False,
                normalizer=normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()]),
                pre_tokenizer=pre_tokenizers.Whitespace(), suffix="</w>").save(os.path.join(OUT, "small-whitespace-suffix.json"))

    # 3. Pipelines around the small byte-level model, and HF's encodings through them.
    cases_texts = ["Hello world, this is a longer sentence that will need truncation!",
                   "kalo minve tra  den\tti 中文 😀", "[CLS] x [SEP]", "", "short"]
    pairs = [("first sequence here", "and the second one is longer"),
             ("a", "b c d e f g h i j k l m n o p q r s t"), ("only", "")]

    tok = Tokenizer.from_file(os.path.join(OUT, "small-bpe.json"))
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", tok.token_to_id("[CLS]")), ("[SEP]", tok.token_to_id("[SEP]"))])
    tok.enable_truncation(12, stride=3)
    tok.enable_padding(pad_id=tok.token_to_id("[PAD]"), pad_token="[PAD]", pad_to_multiple_of=4)
    tok.save(os.path.join(OUT, "small-template.json"))
    write_json("small-template-cases.json", {
        "single": [encoding_record(t, tok.encode(t)) for t in cases_texts],
        "pairs": [encoding_record(p[0], tok.encode(p[0], p[1]), pair=p[1]) for p in pairs],
        "batch": [encoding_record(t, e) for t, e in zip(cases_texts, tok.encode_batch(cases_texts))],
        "no_special": [encoding_record(t, tok.encode(t, add_special_tokens=False)) for t in cases_texts],
        "texts": cases_texts, "pair_texts": [list(p) for p in pairs],
    })

    tok = Tokenizer.from_file(os.path.join(OUT, "small-bpe.json"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
    tok.post_processor = processors.RobertaProcessing(("[SEP]", tok.token_to_id("[SEP]")), ("[CLS]", tok.token_to_id("[CLS]")))
    tok.enable_truncation(14, stride=2, strategy="only_first", direction="left")
    roberta_pairs = [("a much longer first sequence with many words in it", "short"), ("x y z w v u t", "b")]
    tok.enable_padding(direction="left", length=18, pad_id=0, pad_token="[PAD]")
    tok.save(os.path.join(OUT, "small-roberta.json"))
    write_json("small-roberta-cases.json", {
        "single": [encoding_record(t, tok.encode(t)) for t in cases_texts[1:3] + ["  two leading", "end  "]],
        "texts": cases_texts[1:3] + ["  two leading", "end  "],
        "pairs": [encoding_record(p[0], tok.encode(p[0], p[1]), pair=p[1]) for p in roberta_pairs],
        "pair_texts": [list(p) for p in roberta_pairs],
    })

    tok = Tokenizer.from_file(os.path.join(OUT, "small-whitespace-suffix.json"))
    tok.add_tokens([AddedToken("ka lo", normalized=True), AddedToken("<sw>", single_word=True, normalized=False),
                    AddedToken("<l>", lstrip=True, rstrip=True, special=True, normalized=False)])
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    tok.save(os.path.join(OUT, "small-normalized.json"))
    normalized_texts = ["KALO Minve ÉTÉ café ﬁ ①", "Ka Lo tra <sw> x<sw> <sw>y  <l>  den", "  Ｆｕｌｌ　ｗｉｄｔｈ  ", ""]
    write_json("small-normalized-cases.json", {
        "texts": normalized_texts,
        "single": [encoding_record(t, tok.encode(t)) for t in normalized_texts],
    })

    # 4. GPT-2 files.
    gpt2 = os.path.join(OUT, "small-gpt2")
    os.makedirs(gpt2, exist_ok=True)
    Tokenizer.from_file(os.path.join(OUT, "small-bpe.json")).model.save(gpt2)
    print("fixtures written to", OUT)


if __name__ == "__main__":
    main()
