"""Geometry for the server-rendered progress charts (SVG drawn by templates).

Pure functions over :func:`goals.selectors.review_history`; no queries.
"""

import math

from django.utils import timezone

from core.charts import line_style, marker_path, polyline

from .models import level_display

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 28, 18, 44
MAX_X_LABELS = 8


def _xs(n):
    inner = WIDTH - LEFT - RIGHT
    if n == 1:
        return [LEFT + inner / 2]
    return [LEFT + inner * i / (n - 1) for i in range(n)]


def _scale(lo, hi):
    inner = HEIGHT - TOP - BOTTOM
    return lambda value: TOP + inner * (hi - value) / (hi - lo)


def _x_labels(rows, xs):
    step = max(1, math.ceil(len(rows) / MAX_X_LABELS))
    return [
        {"x": xs[i], "text": f"{timezone.localtime(row['review'].reviewed_at):%-d %b %y}"}
        for i, row in enumerate(rows)
        if i % step == 0 or i == len(rows) - 1
    ]


def t_score_chart(history):
    """Points, gridlines and labels for the T-score over time (None without scores)."""
    rows = history["rows"]
    scored = [row["t_score"] for row in rows if row["t_score"] is not None]
    if not scored:
        return None
    lo = min(30, math.floor((min(scored) - 5) / 10) * 10)
    hi = max(70, math.ceil((max(scored) + 5) / 10) * 10)
    y = _scale(lo, hi)
    xs = _xs(len(rows))
    points = [
        {"x": xs[i], "y": y(row["t_score"]), "label": f"{row['t_score']:.1f}"}
        for i, row in enumerate(rows)
        if row["t_score"] is not None
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "grid": [{"y": y(v), "label": str(v), "expected": v == 50} for v in range(lo, hi + 1, 10)],
        "points": points,
        "polyline": polyline(points),
        "x_labels": _x_labels(rows, xs),
        "first": rows[0]["review"],
        "last": rows[-1]["review"],
        "latest": scored[-1],
    }


def levels_chart(history):
    """One line per goal showing the level reached at each review it was rated in."""
    rows, goals = history["rows"], history["goals"]
    if not rows or not goals:
        return None
    y = _scale(-2, 2)
    xs = _xs(len(rows))
    lines = []
    for index, goal in enumerate(goals):
        style = line_style(index)
        points = [
            {"x": xs[i], "y": y(row["levels"][goal.pk]), "level": row["levels"][goal.pk]}
            for i, row in enumerate(rows)
            if goal.pk in row["levels"]
        ]
        for point in points:
            point["marker"] = marker_path(style["shape"], point["x"], point["y"])
        lines.append(
            {
                "number": index + 1,
                "goal": goal,
                **style,
                "points": points,
                "polyline": polyline(points),
                "end": points[-1] if points else None,
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "grid": [
            {"y": y(v), "label": level_display(v), "expected": v == 0} for v in (2, 1, 0, -1, -2)
        ],
        "lines": lines,
        "x_labels": _x_labels(rows, xs),
    }


def history_table(history):
    """Rows for the table alternative: date, reviewer, T-score, one level per goal."""
    return [
        {
            "review": row["review"],
            "t_score": row["t_score"],
            "levels": [level_display(row["levels"].get(goal.pk)) for goal in history["goals"]],
        }
        for row in history["rows"]
    ]
