"""Small bar charts as inline SVG, no JavaScript: mentions over time on an entity page,
pages per day by outlet group on a story page.

Only numbers and escaped labels go into the SVG, so it is as safe as the rest of
the page; it is drawn on the server so that the page reads the same without scripts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
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
    parts.extend(_axis(data[0][0], data[-1][0]))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def stacked_buckets(
    per_day: Iterable[tuple[date, str]], max_bars: int = 31
) -> list[tuple[str, dict[str, int]]]:
    """(day or month, group → pages) in time order: per day when the days fit in
    ``max_bars`` bars, else per month (the same rule as :func:`buckets`)."""
    rows = list(per_day)
    if not rows:
        return []
    days = [d for d, _ in rows]
    daily = (max(days) - min(days)).days < max_bars
    counts: dict[str, Counter[str]] = {}
    for day, group in rows:
        key = day.isoformat() if daily else day.strftime("%Y-%m")
        counts.setdefault(key, Counter())[group] += 1
    return [(key, dict(counts[key])) for key in sorted(counts)]


def stacked_chart(
    data: list[tuple[str, dict[str, int]]],
    colours: dict[str, str],
    label: str,
    axis_label: Callable[[str], str] = str,
) -> Markup:
    """Bars of pages per day (or month), each split by group, the segments coloured by
    the groups' chip classes (``colours``: group → class); empty without data. The first
    and last bar are labelled by ``axis_label`` (a date in the reader's words)."""
    if not data:
        return Markup("")
    top = max(sum(groups.values()) for _, groups in data) or 1
    step = (WIDTH - 2 * _PAD) / len(data)
    bar = max(step * 0.7, 2.0)
    inner = HEIGHT - 2 * _PAD
    parts = [
        Markup(
            '<svg class="chart stacked" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
            'role="img" aria-label="{label}">'
        ).format(w=WIDTH, h=HEIGHT, label=label)
    ]
    for i, (key, groups) in enumerate(data):
        x = _PAD + i * step + (step - bar) / 2
        y = _PAD + inner
        for group in sorted(groups):
            height = inner * groups[group] / top
            y -= height
            parts.append(
                Markup(
                    '<rect class="{cls}" x="{x:.1f}" y="{y:.1f}" width="{bw:.1f}" '
                    'height="{bh:.1f}"><title>{key} · {group}: {n}</title></rect>'
                ).format(
                    cls=colours.get(group, "g-unknown"),
                    x=x,
                    y=y,
                    bw=bar,
                    bh=height,
                    key=key,
                    group=group,
                    n=groups[group],
                )
            )
        total = sum(groups.values())
        parts.append(
            Markup('<text x="{tx:.1f}" y="{ty:.1f}" class="n">{n}</text>').format(
                tx=x + bar / 2, ty=y - 4, n=total
            )
        )
    parts.extend(_axis(axis_label(data[0][0]), axis_label(data[-1][0])))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _axis(first: str, last: str) -> list[Markup]:
    """The first and last bar's labels under the chart."""
    labels = [
        Markup('<text x="{x}" y="{y}" class="axis">{t}</text>').format(
            x=_PAD, y=HEIGHT - 6, t=escape(first)
        )
    ]
    if last != first:
        labels.append(
            Markup('<text x="{x}" y="{y}" class="axis end">{t}</text>').format(
                x=WIDTH - _PAD, y=HEIGHT - 6, t=escape(last)
            )
        )
    return labels


BAR_WIDTH = 200
BAR_HEIGHT = 10


def share_bar(shares: list[tuple[str, int, str]], label: str) -> Markup:
    """One thin bar split into ``(name, count, CSS class)`` shares (a story's pages by
    outlet group on the front page); each share titled with its name and count."""
    total = sum(n for _, n, _ in shares)
    if not total:
        return Markup("")
    parts = [
        Markup(
            '<svg class="share-bar" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
            'role="img" aria-label="{label}">'
        ).format(w=BAR_WIDTH, h=BAR_HEIGHT, label=label)
    ]
    x = 0.0
    for name, n, cls in shares:
        width = BAR_WIDTH * n / total
        parts.append(
            Markup(
                '<rect class="{cls}" x="{x:.1f}" y="0" width="{bw:.1f}" height="{h}">'
                "<title>{name}: {n}</title></rect>"
            ).format(cls=cls, x=x, bw=width, h=BAR_HEIGHT, name=name, n=n)
        )
        x += width
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
