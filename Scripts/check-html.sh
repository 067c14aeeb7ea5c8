#!/usr/bin/env bash
# check-html.sh: renders the attention pictures in a real browser (headless Chromium) and checks
# them: the HTML page and the SVG heat maps become PNGs that are not blank, choosing another
# layer/head (through the page's URL fragment) changes the picture, the page's DOM after its
# script ran reports the chosen state, and a 300-token input still renders. It also renders a
# LinePlot (PretrainTiny's loss curve). The screenshots are written to OUTDIR (default
# Docs/images) for the Docs.
#   usage: Scripts/check-html.sh [OUTDIR]          (Debian: apt-get install -y chromium)
# It uses a seeded random demo model (AttentionByHand demo-model), so the run needs nothing
# outside the repository; set MODEL=DIR to picture another model folder (e.g. Weights/…).
# Needs: swift, chromium (or chromium-browser / google-chrome), python3 (standard library only,
# to read PNG pixels). Not run by CI (CI keeps the structural tests in Tests/AttentionVizTests).
# SCRATCH_PATH=DIR builds in DIR (swift build --scratch-path) instead of .build.
set -euo pipefail
cd "$(dirname "$0")/.."
OUTDIR="${1:-Docs/images}"
mkdir -p "$OUTDIR"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

BROWSER="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$BROWSER" ]; then
    echo "check-html: no Chromium found; install it with: apt-get install -y chromium" >&2
    exit 2
fi
echo "check-html: browser $("$BROWSER" --version 2>/dev/null | head -1)"

BUILD=(-c release)
if [ -n "${SCRATCH_PATH:-}" ]; then BUILD+=(--scratch-path "$SCRATCH_PATH"); fi
swift build "${BUILD[@]}" --product tinyencoder >/dev/null
swift build "${BUILD[@]}" --product AttentionByHand >/dev/null
swift build "${BUILD[@]}" --product PretrainTiny >/dev/null
BIN="$(swift build "${BUILD[@]}" --show-bin-path)"
MODEL="${MODEL:-$WORK/demo-model}"
if [ ! -f "$MODEL/config.json" ]; then "$BIN/AttentionByHand" demo-model "$MODEL" >/dev/null; fi

SHORT="The cat sat on the mat because it was tired."
PARAGRAPH="Attention lets every token look at every other token. Each head compares a query with all keys, turns the scores into weights with a softmax, and mixes the values. "
LONG=""
for _ in $(seq 1 6); do LONG="$LONG$PARAGRAPH"; done

run() { "$BIN/tinyencoder" attention --model "$MODEL" "$@" >/dev/null 2>"$WORK/stderr" || { cat "$WORK/stderr" >&2; exit 1; }; }
run --text "$SHORT" --out "$WORK/page.html"
run --text "$SHORT" --out "$WORK/page-masked.html" --mask 3
run --text "$SHORT" --out "$WORK/head.svg" --layer 1 --head 2
run --text "$SHORT" --out "$WORK/grid.svg"
run --text "$LONG" --out "$WORK/long.html"
run --text "$LONG" --out "$WORK/long.svg" --layer 0 --head 1
"$BIN/PretrainTiny" --plot "$WORK/loss.svg" >/dev/null  # a LinePlot: the training curve
LONG_TOKENS=$(sed -n 's/.*T = \([0-9]*\) tokens.*/\1/p' "$WORK/long.html" | head -1)
echo "check-html: short text $(sed -n 's/.*T = \([0-9]*\) tokens.*/\1/p' "$WORK/page.html" | head -1) tokens, long text $LONG_TOKENS tokens"

shoot() {  # shoot OUT.png URL WIDTH HEIGHT
    timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
        --virtual-time-budget=5000 --window-size="$3,$4" --screenshot="$1" "$2" >/dev/null 2>&1
    [ -s "$1" ] || { echo "check-html: FAILED to render $2" >&2; exit 1; }
}
dom() {  # dom URL → the DOM after the page's script ran
    timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --virtual-time-budget=5000 --dump-dom "$1" 2>/dev/null
}

shoot "$OUTDIR/attention-page-lines.png" "file://$WORK/page.html#layer=0&head=1&view=lines&token=3" 1280 900
shoot "$WORK/lines-other-head.png" "file://$WORK/page.html#layer=1&head=3&view=lines&token=3" 1280 900
shoot "$OUTDIR/attention-page-matrix.png" "file://$WORK/page.html#layer=0&head=1&view=matrix&token=3" 1280 1000
shoot "$WORK/matrix-other-head.png" "file://$WORK/page.html#layer=1&head=0&view=matrix&token=3" 1280 1000
shoot "$OUTDIR/attention-page-text.png" "file://$WORK/page.html#layer=0&head=mean&view=text&token=8" 1280 700
shoot "$OUTDIR/attention-page-gradient.png" "file://$WORK/page-masked.html#layer=0&head=0&view=matrix&show=dp&token=3" 1280 1000
shoot "$OUTDIR/attention-page-long.png" "file://$WORK/long.html#layer=0&head=1&view=matrix&token=150" 1280 1200
shoot "$OUTDIR/attention-page-long-lines.png" "file://$WORK/long.html#layer=0&head=1&view=lines&token=150" 1280 1000
shoot "$OUTDIR/attention-heatmap.png" "file://$WORK/head.svg" 760 720
shoot "$OUTDIR/attention-grid.png" "file://$WORK/grid.svg" 1000 560
shoot "$OUTDIR/attention-heatmap-long.png" "file://$WORK/long.svg" 1000 1000
shoot "$OUTDIR/training-loss.png" "file://$WORK/loss.svg" 680 440

# Pixels: not blank (enough non-white pixels and colours), and other heads look different.
python3 - "$OUTDIR" "$WORK" <<'PYTHON'
import struct, sys, zlib

def pixels(path):
    """Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes) into RGB tuples."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    position, chunks, header = 8, b"", None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR": header = struct.unpack(">IIBBBBB", body)
        if kind == b"IDAT": chunks += body
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"{path}: unsupported PNG {header}"
    channels = 3 if colour == 2 else 4
    raw, stride, rows, previous = zlib.decompress(chunks), width * channels, [], bytearray(width * channels)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1: line[x] = (line[x] + left) & 255
            elif kind == 2: line[x] = (line[x] + up) & 255
            elif kind == 3: line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, [tuple(row[x:x + 3]) for row in rows for x in range(0, stride, channels)]

outdir, work = sys.argv[1], sys.argv[2]
failed = False
def report(ok, message):
    global failed
    failed |= not ok
    print(("  ok    " if ok else "  FAIL  ") + message)

shots = ["attention-page-lines", "attention-page-matrix", "attention-page-text", "attention-page-gradient",
         "attention-page-long", "attention-page-long-lines", "attention-heatmap", "attention-grid", "attention-heatmap-long", "training-loss"]
decoded = {}
for name in shots:
    width, height, values = pixels(f"{outdir}/{name}.png")
    decoded[name] = values
    inked = sum(1 for r, g, b in values if min(r, g, b) < 235) / len(values)
    colours = len(set(values))
    report(inked > 0.01 and colours > 16, f"{name}.png {width}×{height}: {inked:.1%} non-white pixels, {colours} colours")

for shown, other, what in [("attention-page-lines", "lines-other-head", "lines view, layer 0 head 1 vs layer 1 head 3"),
                           ("attention-page-matrix", "matrix-other-head", "matrix view, layer 0 head 1 vs layer 1 head 0")]:
    _, _, a = pixels(f"{outdir}/{shown}.png")
    _, _, b = pixels(f"{work}/{other}.png")
    changed = sum(1 for p, q in zip(a, b) if p != q) / len(a)
    report(changed > 0.002, f"selector changes the view ({what}): {changed:.2%} of pixels differ")
sys.exit(1 if failed else 0)
PYTHON

# The DOM after the script ran: the fragment's state is applied and reported.
DOM="$(dom "file://$WORK/page.html#layer=1&head=3&view=matrix&token=2")"
check_dom() {
    if grep -q -- "$1" <<<"$DOM"; then echo "  ok    DOM has $1"; else echo "  FAIL  DOM lacks $1" >&2; exit 1; fi
}
check_dom 'data-layer="1"'
check_dom 'data-head="3"'
check_dom 'data-view="matrix"'
check_dom 'id="view-matrix" class="view shown"'
check_dom 'layer 1 · head 3 · matrix view · query: '
check_dom 'data-cell="'
DOM="$(dom "file://$WORK/long.html#layer=0&head=mean&view=lines")"
check_dom 'layer 0 · head mean · lines view'
echo "check-html: all checks passed; screenshots in $OUTDIR"
