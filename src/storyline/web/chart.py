"""A small bar chart as inline SVG: mentions over time on an entity page, no JavaScript.

Only numbers and escaped labels go into the SVG, so it is as safe as the rest of
the page; it is drawn on the server so that the page reads the same without scripts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from markupsafe import Markup, escape

WIDTH = 640
HEIGHT = 160
_PAD = 24


def buckets(days: Iterable[date], max_bars: int = 24) -> list[tuple[str, int]]:
    """Counts per day, or per month when the days span more bars than fit."""
    days = list(days)
    if not days:
        return []
    by_day = Counter(d.isoformat() for d in days)
    if len(by_day) <= max_bars and (max(days) - min(days)).days < max_bars:
        return sorted(by_day.items())
    by_month = Counter(d.strftime("%Y-%m") for d in days)
    return sorted(by_month.items())


def bar_chart(data: list[tuple[str, int]], label: str) -> Markup:
    """An accessible SVG bar chart (``role="img"`` with ``label``); empty without data."""
    if not data:
        return Markup("")
    top = max(n for _, n in data) or 1
    step = (WIDTH - 2 * _PAD) / len(data)
    bar = max(step * 0.7, 2.0)
    inner = HEIGHT - 2 * _PAD
    parts = [
        Markup(
            '<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
            'role="img" aria-label="{label}">'
        ).format(w=WIDTH, h=HEIGHT, label=label)
    ]
    for i, (key, n) in enumerate(data):
        x = _PAD + i * step + (step - bar) / 2
        height = inner * n / top
        y = _PAD + inner - height
        parts.append(
            Markup(
                '<g><title>{key}: {n}</title><rect x="{x:.1f}" y="{y:.1f}" width="{bw:.1f}" '
                'height="{bh:.1f}"></rect>'
                '<text x="{tx:.1f}" y="{ty:.1f}" class="n">{n}</text></g>'
            ).format(key=key, n=n, x=x, y=y, bw=bar, bh=height, tx=x + bar / 2, ty=y - 4)
        )
    first, last = data[0][0], data[-1][0]
    parts.append(
        Markup('<text x="{x}" y="{y}" class="axis">{t}</text>').format(
            x=_PAD, y=HEIGHT - 6, t=escape(first)
        )
    )
    if last != first:
        parts.append(
            Markup('<text x="{x}" y="{y}" class="axis end">{t}</text>').format(
                x=WIDTH - _PAD, y=HEIGHT - 6, t=escape(last)
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
