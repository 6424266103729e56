"""Charts as SVG, drawn on the server: no JavaScript, no CDN, readable offline and in print.

Each chart is an ``<svg role="img">`` with a ``<title>`` and ``<desc>`` naming what it
shows; the page puts the same numbers in a table beside it. Colours are from a palette
that stays distinguishable for the common colour-vision deficiencies (Okabe-Ito) and has
at least 3:1 contrast against white; series also differ in shape (bars vs. line).
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
FONT = 'font-family="system-ui, sans-serif"'


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _fmt(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") if abs(value) >= 1 or value == 0 else f"{value:.1f}"


def _frame(chart_id: str, title: str, desc: str, width: int, height: int, body: list[str]) -> Markup:
    t, d = escape(title), escape(desc)
    # Every piece of text in the SVG went through escape() above; numbers are formatted here.
    return Markup(  # noqa: S704
        f'<svg id="{escape(chart_id)}" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'xmlns="http://www.w3.org/2000/svg" {FONT}>'
        f'<title id="{escape(chart_id)}-title">{t}</title><desc id="{escape(chart_id)}-desc">{d}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _axis(left: int, top: int, plot_w: int, plot_h: int, ymax: float, ticks: int = 4) -> list[str]:
    if ymax <= 5:
        ticks = max(1, int(ymax))  # whole numbers only on small counts
    elif (ymax / 5).is_integer():
        ticks = 5
    out = []
    for i in range(ticks + 1):
        v = ymax * i / ticks
        y = top + plot_h - plot_h * i / ticks
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#d0d0d0" stroke-width="1"/>'
            f'<text x="{left - 8}" y="{y + 5:.1f}" text-anchor="end" font-size="14" fill="#333">'
            f"{_fmt(v)}</text>"
        )
    return out


def _legend(names: Sequence[str], x: int, y: int) -> list[str]:
    out = []
    for i, name in enumerate(names):
        out.append(
            f'<rect x="{x}" y="{y + i * 22}" width="14" height="14" fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{x + 20}" y="{y + i * 22 + 12}" font-size="14" fill="#222">{escape(name)}</text>'
        )
    return out


def bar_line_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    bars: dict[str, Sequence[float]],
    line: tuple[str, Sequence[float]] | None = None,
    width: int = 760,
    height: int = 320,
) -> Markup:
    """Grouped bars per label (e.g. inflow and outflow per week), optionally a line on top
    (the backlog) drawn on its own scale, marked on the right axis."""
    left, right, top, bottom = 56, 60 if line else 16, 16, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(labels), 1)
    ymax = _nice_max(max((v for s in bars.values() for v in s), default=0))
    body = _axis(left, top, plot_w, plot_h, ymax)
    group_w = plot_w / n
    bar_w = max(2.0, group_w * 0.8 / max(len(bars), 1))
    for si, (name, series) in enumerate(bars.items()):
        colour = PALETTE[si % len(PALETTE)]
        for i, v in enumerate(series):
            h = plot_h * v / ymax
            x = left + i * group_w + group_w * 0.1 + si * bar_w
            body.append(
                f'<rect class="bar" data-series="{escape(name)}" data-value="{v:g}" x="{x:.1f}" '
                f'y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{escape(labels[i])}: {escape(name)} {_fmt(v)}</title></rect>"
            )
    step = max(1, n // 8)
    for i in range(0, n, step):
        x = left + i * group_w + group_w / 2
        body.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 20}" text-anchor="middle" font-size="13" fill="#333">'
            f"{escape(labels[i])}</text>"
        )
    names = list(bars)
    if line:
        name, series = line
        lmax = _nice_max(max(series, default=0))
        pts = " ".join(
            f"{left + i * group_w + group_w / 2:.1f},{top + plot_h - plot_h * v / lmax:.1f}"
            for i, v in enumerate(series)
        )
        colour = PALETTE[len(bars) % len(PALETTE)]
        body.append(
            f'<polyline class="line" data-series="{escape(name)}" points="{pts}" fill="none" '
            f'stroke="{colour}" stroke-width="3" stroke-dasharray="8 4"/>'
        )
        for i, v in enumerate(series):
            cx, cy = left + i * group_w + group_w / 2, top + plot_h - plot_h * v / lmax
            body.append(
                f'<circle class="point" data-value="{v:g}" cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{colour}">'
                f"<title>{escape(labels[i])}: {escape(name)} {_fmt(v)}</title></circle>"
            )
        body.append(
            f'<text x="{left + plot_w + 8}" y="{top + 10}" font-size="13" fill="{colour}">{_fmt(lmax)}</text>'
            f'<text x="{left + plot_w + 8}" y="{top + plot_h + 5}" font-size="13" fill="{colour}">0</text>'
        )
        names.append(name + " (rechteras)")
    legend_y = height - 24
    for i, n_ in enumerate(names):
        x = left + i * 220
        colour = PALETTE[i % len(PALETTE)]
        body.append(
            f'<rect x="{x}" y="{legend_y}" width="14" height="14" fill="{colour}"/>'
            f'<text x="{x + 20}" y="{legend_y + 12}" font-size="14" fill="#222">{escape(n_)}</text>'
        )
    desc = f"{len(labels)} perioden; reeksen: {', '.join(names)}. De tabel ernaast geeft de getallen."
    return _frame(chart_id, title, desc, width, height, body)


def hbar_chart(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, float]],
    width: int = 560,
    unit: str = "",
    markers: dict[str, float] | None = None,
) -> Markup:
    """Horizontal bars, one per item (status, resultaat, kanaal), longest label readable."""
    row_h, top, label_w = 30, 8, 200
    markers = markers or {}
    height = top * 2 + row_h * max(len(items), 1) + (24 if markers else 0)
    plot_w = width - label_w - 70
    vmax = _nice_max(max([v for _, v in items] + list(markers.values()), default=0))
    body: list[str] = []
    for i, (label, v) in enumerate(items):
        y = top + i * row_h
        w = plot_w * v / vmax
        short = label if len(label) <= 26 else label[:25] + "…"
        body.append(
            f'<text x="{label_w - 8}" y="{y + 20}" text-anchor="end" font-size="14" fill="#222">'
            f"{escape(short)}</text>"
            f'<rect class="bar" data-value="{v:g}" x="{label_w}" y="{y + 4}" width="{w:.1f}" '
            f'height="{row_h - 8}" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}: {_fmt(v)}{escape(unit)}</title></rect>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 20}" font-size="14" fill="#222">'
            f"{_fmt(v)}{escape(unit)}</text>"
        )
    for j, (name, v) in enumerate(markers.items()):
        x = label_w + plot_w * v / vmax
        colour = PALETTE[1 + j]
        body.append(
            f'<line class="marker" x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{height - 22}" stroke="{colour}" '
            f'stroke-width="3" stroke-dasharray="6 3"/>'
            f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" font-size="13" fill="{colour}">'
            f"{escape(name)}</text>"
        )
    desc = f"{len(items)} staven. De tabel ernaast geeft de getallen."
    return _frame(chart_id, title, desc, width, height, body)


def histogram(
    chart_id: str,
    title: str,
    distribution: Sequence[tuple[int, int]],
    markers: dict[str, float],
    width: int = 760,
    height: int = 300,
    buckets: int = 30,
) -> Markup:
    """Throughput days as a histogram (values grouped into at most ``buckets`` bins), with
    vertical markers for p50, p90, servicenorm and doorlooptijd."""
    left, right, top, bottom = 56, 16, 16, 70
    plot_w, plot_h = width - left - right, height - top - bottom
    xmax = max([d for d, _ in distribution] + [v for v in markers.values() if v is not None] + [1])
    xmax = _nice_max(xmax)
    size = max(1.0, xmax / buckets)
    bins = [0] * buckets
    for days, count in distribution:
        bins[min(buckets - 1, int(days / size))] += count
    ymax = _nice_max(max(bins, default=0))
    body = _axis(left, top, plot_w, plot_h, ymax)
    bw = plot_w / buckets
    for i, c in enumerate(bins):
        h = plot_h * c / ymax
        lo, hi = int(i * size), int((i + 1) * size) - 1
        body.append(
            f'<rect class="bar" data-value="{c}" x="{left + i * bw + 1:.1f}" y="{top + plot_h - h:.1f}" '
            f'width="{bw - 2:.1f}" height="{h:.1f}" fill="{PALETTE[0]}">'
            f"<title>{lo}–{max(lo, hi)} dagen: {c} zaken"
            "</title></rect>"
        )
    for i in range(0, 6):
        v = xmax * i / 5
        x = left + plot_w * i / 5
        body.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 18}" text-anchor="middle" font-size="13" fill="#333">'
            f"{_fmt(v)}</text>"
        )
    body.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 36}" text-anchor="middle" font-size="13" '
        f'fill="#333">dagen</text>'
    )
    for j, (name, v) in enumerate(markers.items()):
        if v is None:
            continue
        x = left + plot_w * min(v, xmax) / xmax
        colour = PALETTE[1 + j % (len(PALETTE) - 1)]
        body.append(
            f'<line class="marker" data-name="{escape(name)}" x1="{x:.1f}" x2="{x:.1f}" y1="{top}" '
            f'y2="{top + plot_h}" stroke="{colour}" stroke-width="3" stroke-dasharray="6 3"/>'
        )
        lx = left + j * 180
        body.append(
            f'<rect x="{lx}" y="{height - 20}" width="14" height="4" fill="{colour}"/>'
            f'<text x="{lx + 20}" y="{height - 14}" font-size="13" fill="#222">'
            f"{escape(name)} {_fmt(v)} d</text>"
        )
    desc = f"Verdeling van de doorlooptijd in {buckets} klassen; lijnen voor {', '.join(markers)}."
    return _frame(chart_id, title, desc, width, height, body)
