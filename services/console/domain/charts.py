"""Small bar charts as inline SVG, drawn on the server: no script, no outside library."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 360, 180
_PAD_LEFT, _PAD_BOTTOM, _PAD_TOP = 36, 28, 22


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    unit: str = "",
    maximum: float | None = None,
    chart_id: str = "",
) -> str:
    """One bar per label; a missing value is drawn as "n/a" so an empty month is visible."""
    known = [v for v in values if v is not None]
    top = maximum if maximum is not None else max(known, default=0.0) or 1.0
    plot_w = WIDTH - _PAD_LEFT - 8
    plot_h = HEIGHT - _PAD_BOTTOM - _PAD_TOP
    step = plot_w / max(len(labels), 1)
    bar_w = step * 0.62
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f'<text class="chart-title" x="{_PAD_LEFT}" y="14">{escape(title)}</text>',
        f'<line class="axis" x1="{_PAD_LEFT}" y1="{_PAD_TOP + plot_h}" '
        f'x2="{WIDTH - 8}" y2="{_PAD_TOP + plot_h}"/>',
        f'<text class="tick" x="{_PAD_LEFT - 4}" y="{_PAD_TOP + 4}" text-anchor="end">'
        f"{_fmt(top)}{escape(unit)}</text>",
        f'<text class="tick" x="{_PAD_LEFT - 4}" y="{_PAD_TOP + plot_h}" '
        'text-anchor="end">0</text>',
    ]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = _PAD_LEFT + index * step + (step - bar_w) / 2
        centre = x + bar_w / 2
        if value is None:
            parts.append(
                f'<text class="na" x="{centre:.1f}" y="{_PAD_TOP + plot_h - 4}" '
                f'text-anchor="middle">n/a</text>'
            )
        else:
            h = max(min(value / top, 1.0), 0.0) * plot_h
            y = _PAD_TOP + plot_h - h
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" data-value="{value}"><title>{escape(label)}: '
                f"{_fmt(value)}{escape(unit)}</title></rect>"
            )
            parts.append(
                f'<text class="value" x="{centre:.1f}" y="{y - 3:.1f}" '
                f'text-anchor="middle">{_fmt(value)}</text>'
            )
        parts.append(
            f'<text class="label" x="{centre:.1f}" y="{HEIGHT - 10}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _fmt(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 10 or value == int(value) else f"{value:.2f}"
