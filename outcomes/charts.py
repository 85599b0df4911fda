"""Geometry for each instrument's chart over time (SVG drawn by a template,
styled by classes in ``outcomes/outcomes.css`` and presentation attributes).

Pure functions over :func:`outcomes.selectors.person_outcomes`; no queries.
"""

import math

from core.charts import line_style, marker_path, polyline, spread_end_labels

from .numbers import plain

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 28, 18, 44
MAX_X_LABELS = 7


def _ticks(lo, hi):
    span = hi - lo
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100) if span / s <= 10), span or 1)
    first = math.ceil(lo / step) * step
    ticks = []
    value = first
    while value <= hi + 1e-9:
        ticks.append(value)
        value += step
    return ticks


def history_chart(history):
    """Lines, points, gridlines and labels for one instrument's chart, or None
    when nothing has a score yet. Dates run left to right in proportion."""
    lines = [line for line in history.lines if line.points]
    if not lines:
        return None
    lo = min(line.spec.minimum for line in lines)
    hi = max(line.spec.maximum for line in lines)
    if hi == lo:
        hi = lo + 1
    days = sorted({result.completed_on for line in lines for result, _value in line.points})
    first, last = days[0], days[-1]
    inner_x = WIDTH - LEFT - RIGHT
    inner_y = HEIGHT - TOP - BOTTOM

    def x(day):
        if first == last:
            return LEFT + inner_x / 2
        return LEFT + inner_x * (day - first).days / (last - first).days

    def y(value):
        return TOP + inner_y * (hi - value) / (hi - lo)

    drawn = []
    for index, line in enumerate(lines):
        style = line_style(index)
        points = [
            {
                "x": x(result.completed_on),
                "y": y(value),
                "label": plain(value),
                "marker": marker_path(style["shape"], x(result.completed_on), y(value)),
            }
            for result, value in line.points
        ]
        drawn.append(
            {
                "number": index + 1,
                "label": line.spec.label,
                "better": "higher" if line.spec.higher_is_better else "lower",
                **style,
                "points": points,
                "polyline": polyline(points),
                "end": points[-1],
                "end_dx": 8,
            }
        )
    spread_end_labels(drawn)
    step = max(1, math.ceil(len(days) / MAX_X_LABELS))
    x_labels = [
        {"x": x(day), "text": f"{day:%-d %b %y}"}
        for i, day in enumerate(days)
        if i % step == 0 or i == len(days) - 1
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "grid": [{"y": y(v), "label": plain(v)} for v in _ticks(lo, hi)],
        "lines": drawn,
        "x_labels": x_labels,
        "first": first,
        "last": last,
        "several": len(drawn) > 1,
    }
