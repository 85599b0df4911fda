"""Geometry for the server-rendered progress charts (SVG drawn by templates).

Pure functions over :func:`goals.selectors.review_history`; no queries.
"""

import math

from django.utils import timezone

from core.charts import line_style, marker_path, polyline, spread_end_labels

from . import gas
from .models import level_display

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 64, 22, 44
MAX_X_LABELS = 8
PAD = 24  # between the axis and the first and last columns
LABEL_SPACE = 56  # the width of a date label ("26 Nov 26") and a little room


def _xs(n):
    """Column positions, set in from the axis so a point's figure never runs
    into the axis labels."""
    start, inner = LEFT + PAD, WIDTH - LEFT - RIGHT - 2 * PAD
    if n == 1:
        return [start + inner / 2]
    return [start + inner * i / (n - 1) for i in range(n)]


def _scale(lo, hi):
    inner = HEIGHT - TOP - BOTTOM
    return lambda value: TOP + inner * (hi - value) / (hi - lo)


def _x_labels(rows, xs):
    """Dates under the columns (the first column is the baseline), at most
    MAX_X_LABELS of them so they never run into each other."""
    labels = [{"x": xs[0], "text": "Baseline"}]
    dated = xs[1:]
    step = max(1, math.ceil(len(rows) / (MAX_X_LABELS - 1)))
    labels += [
        {"x": dated[i], "text": f"{timezone.localtime(row['review'].reviewed_at):%-d %b %y}"}
        for i, row in enumerate(rows)
        if i % step == 0 or i == len(rows) - 1
    ]
    # The last date always shows; drop the one before it when they would touch.
    if len(labels) > 2 and labels[-1]["x"] - labels[-2]["x"] < LABEL_SPACE:
        del labels[-2]
    return labels


def new_goal_notes(history):
    """{row index: goals rated for the first time at that review} for every
    review after the first: a new goal usually starts below the expected level,
    so the T-score can fall although no goal got worse."""
    seen, notes = set(), {}
    for index, row in enumerate(history["rows"]):
        new = [
            goal for goal in history["goals"] if goal.pk in row["levels"] and goal.pk not in seen
        ]
        if index and new:
            notes[index] = new
        seen.update(row["levels"])
    return notes


def baseline_t_score(history):
    """The T-score of every charted goal at its baseline level (None without goals)."""
    goals = history["goals"]
    return gas.t_score([g.baseline_level for g in goals], [g.weight for g in goals])


def _value_labels(points):
    """Each point's figure goes above it, or below when it would touch the
    figure of the point before (close points at a similar height)."""
    previous = None
    for point in points:
        above = True
        if previous is not None and previous["above"]:
            close = point["x"] - previous["x"] < LABEL_SPACE
            above = not (close and abs(point["y"] - previous["y"]) < 16)
        point["above"] = above
        point["dy"] = -9 if above else 17
        previous = point
    return points


def t_score_chart(history):
    """Points, gridlines and labels for the T-score over time (None without scores).

    The first column is the baseline: every charted goal at its baseline level.
    Reviews that rate a goal for the first time are marked, with a note.
    """
    rows = history["rows"]
    scored = [row["t_score"] for row in rows if row["t_score"] is not None]
    if not scored:
        return None
    baseline = baseline_t_score(history)
    values = scored + ([baseline] if baseline is not None else [])
    lo = min(30, math.floor((min(values) - 5) / 10) * 10)
    hi = max(70, math.ceil((max(values) + 5) / 10) * 10)
    y = _scale(lo, hi)
    xs = _xs(len(rows) + 1)
    notes = new_goal_notes(history)
    points = []
    if baseline is not None:
        points.append({"x": xs[0], "y": y(baseline), "label": f"{baseline:.1f}", "baseline": True})
    points += [
        {
            "x": xs[i + 1],
            "y": y(row["t_score"]),
            "label": f"{row['t_score']:.1f}",
            "new_goals": len(notes.get(i, [])),
        }
        for i, row in enumerate(rows)
        if row["t_score"] is not None
    ]
    _value_labels(points)
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
        "baseline": baseline,
        "new_goal_reviews": [rows[i]["review"] for i in sorted(notes)],
    }


def levels_chart(history):
    """One line per goal from its baseline level (first column) through the
    level reached at each review it was rated in."""
    rows, goals = history["rows"], history["goals"]
    if not rows or not goals:
        return None
    y = _scale(-2, 2)
    xs = _xs(len(rows) + 1)
    lines = []
    for index, goal in enumerate(goals):
        style = line_style(index)
        points = [
            {
                "x": xs[0],
                "y": y(goal.baseline_level),
                "level": goal.baseline_level,
                "baseline": True,
            }
        ]
        points += [
            {"x": xs[i + 1], "y": y(row["levels"][goal.pk]), "level": row["levels"][goal.pk]}
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
                "end": points[-1] if len(points) > 1 else None,
                "end_dx": 8,
            }
        )
    spread_end_labels(lines)
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
    """Rows for the table alternative: the baseline, then each review with its
    T-score and one level per goal (labelled, for the stacked table on phones)."""
    goals = history["goals"]
    notes = new_goal_notes(history)
    headings = [f"{n}. {goal.title}" for n, goal in enumerate(goals, start=1)]
    baseline = {
        "review": None,
        "t_score": baseline_t_score(history),
        "levels": [
            {"heading": heading, "level": level_display(goal.baseline_level)}
            for heading, goal in zip(headings, goals, strict=True)
        ],
        "new_goals": [],
    }
    return [baseline] + [
        {
            "review": row["review"],
            "t_score": row["t_score"],
            "levels": [
                {"heading": heading, "level": level_display(row["levels"].get(goal.pk))}
                for heading, goal in zip(headings, goals, strict=True)
            ],
            "new_goals": notes.get(index, []),
        }
        for index, row in enumerate(history["rows"])
    ]
