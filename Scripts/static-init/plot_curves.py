#!/usr/bin/env python3
"""Draws the held-out curves of the static-initialisation experiment as one SVG (no libraries).

usage: plot_curves.py CURVES.tsv OUT.svg [TITLE]
CURVES.tsv: a header line, then "variant<TAB>step<TAB>eval_loss<TAB>eval_accuracy" rows (what
run_experiment.sh writes from the --log files). Two panels side by side: held-out masked-LM loss
and masked-token accuracy against the optimiser step, one coloured line per variant, with a legend.
A self-contained writer: AttentionViz's line plots were not on main when the experiment ran.
"""
import math
import sys
from collections import OrderedDict

COLOURS = ["#1b6ca8", "#d1495b", "#2e933c", "#edae49", "#7b4b94", "#00798c", "#6c757d", "#e07a5f"]
PANEL_W, PANEL_H, MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 420, 300, 62, 18, 40, 48


def nice_ticks(low, high, count=5):
    """Round tick values (1, 2, 2.5 or 5 × 10^k apart) covering [low, high]."""
    raw = (high - low if high > low else 1.0) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(base * power for base in (1, 2, 2.5, 5, 10) if base * power >= raw)
    value = math.ceil(low / step - 1e-9) * step
    ticks = []
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def panel(series, column, x0, title, label, fmt):
    xs = [p[0] for points in series.values() for p in points]
    ys = [p[column] for points in series.values() for p in points]
    xmin, xmax = 0, max(xs)
    ymin, ymax = min(ys), max(ys)
    pad = (ymax - ymin) * 0.05 or 0.05
    ymin, ymax = ymin - pad, ymax + pad
    w, h = PANEL_W - MARGIN_L - MARGIN_R, PANEL_H - MARGIN_T - MARGIN_B

    def sx(x):
        return x0 + MARGIN_L + (x - xmin) / (xmax - xmin) * w

    def sy(y):
        return MARGIN_T + (1 - (y - ymin) / (ymax - ymin)) * h

    out = [f'<text x="{x0 + MARGIN_L + w / 2}" y="22" text-anchor="middle" font-weight="bold">{title}</text>',
           f'<rect x="{x0 + MARGIN_L}" y="{MARGIN_T}" width="{w}" height="{h}" fill="none" stroke="#999"/>']
    for t in nice_ticks(ymin, ymax):
        out.append(f'<line x1="{x0 + MARGIN_L}" x2="{x0 + MARGIN_L + w}" y1="{sy(t):.1f}" y2="{sy(t):.1f}" stroke="#eee"/>')
        out.append(f'<text x="{x0 + MARGIN_L - 6}" y="{sy(t) + 4:.1f}" text-anchor="end">{fmt(t)}</text>')
    for t in nice_ticks(xmin, xmax):
        out.append(f'<line x1="{sx(t):.1f}" x2="{sx(t):.1f}" y1="{MARGIN_T + h}" y2="{MARGIN_T + h + 4}" stroke="#999"/>')
        out.append(f'<text x="{sx(t):.1f}" y="{MARGIN_T + h + 17}" text-anchor="middle">{int(t)}</text>')
    out.append(f'<text x="{x0 + MARGIN_L + w / 2}" y="{PANEL_H - 8}" text-anchor="middle">optimiser step</text>')
    out.append(f'<text transform="translate({x0 + 14},{MARGIN_T + h / 2}) rotate(-90)" text-anchor="middle">{label}</text>')
    for index, (name, points) in enumerate(series.items()):
        colour = COLOURS[index % len(COLOURS)]
        path = " ".join(f"{'M' if i == 0 else 'L'}{sx(p[0]):.1f},{sy(p[column]):.1f}" for i, p in enumerate(points))
        out.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="1.8"/>')
        for p in points:
            out.append(f'<circle cx="{sx(p[0]):.1f}" cy="{sy(p[column]):.1f}" r="2.2" fill="{colour}"/>')
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    series = OrderedDict()
    with open(sys.argv[1]) as f:
        next(f)
        for line in f:
            name, step, loss, accuracy = line.rstrip("\n").split("\t")[:4]
            series.setdefault(name, []).append((int(step), float(loss), float(accuracy)))
    for points in series.values():
        points.sort()
    title = sys.argv[3] if len(sys.argv) > 3 else "Static initialisation: held-out masked-LM"
    legend_h = 18 * len(series) + 10
    width, height = 2 * PANEL_W, PANEL_H + legend_h + 24
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="Helvetica, Arial, sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="{width / 2}" y="{PANEL_H + 20}" text-anchor="middle" fill="#555">{title}</text>']
    parts += panel(series, 1, 0, "held-out loss (nats)", "loss", lambda v: f"{v:.2f}")
    parts += panel(series, 2, PANEL_W, "held-out masked-token accuracy", "accuracy", lambda v: f"{100 * v:.0f}%")
    for index, name in enumerate(series):
        y = PANEL_H + 40 + 18 * index
        colour = COLOURS[index % len(COLOURS)]
        parts.append(f'<line x1="{MARGIN_L}" x2="{MARGIN_L + 24}" y1="{y - 4}" y2="{y - 4}" stroke="{colour}" stroke-width="2.5"/>')
        parts.append(f'<text x="{MARGIN_L + 32}" y="{y}">{name}</text>')
    parts.append("</svg>")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
