"""Positions for the cycle picture on the journey page (drawn as SVG in
``templates/workflow/_cycle.svg.html``)."""

import textwrap

from caseload.stages import Stage

WIDTH, HEIGHT = 900, 300
BOX_W, BOX_H = 120, 52

# Centre of each stage's box. The four working stages form a loop in the middle.
POSITIONS = {
    Stage.REFERRAL: (75, 150),
    Stage.GETTING_STARTED: (215, 150),
    Stage.ASSESS: (360, 150),
    Stage.PLAN: (480, 55),
    Stage.CONNECT: (600, 150),
    Stage.REVIEW: (480, 245),
    Stage.MOVING_ON: (680, 245),
    Stage.CLOSED: (830, 245),
}

ARROWS = [
    (Stage.REFERRAL, Stage.GETTING_STARTED),
    (Stage.GETTING_STARTED, Stage.ASSESS),
    (Stage.ASSESS, Stage.PLAN),
    (Stage.PLAN, Stage.CONNECT),
    (Stage.CONNECT, Stage.REVIEW),
    (Stage.REVIEW, Stage.PLAN),
    (Stage.REVIEW, Stage.MOVING_ON),
    (Stage.MOVING_ON, Stage.CLOSED),
]


def _edge_point(centre, towards):
    """Where the line from ``centre`` to ``towards`` leaves the box around ``centre``."""
    (x, y), (tx, ty) = centre, towards
    dx, dy = tx - x, ty - y
    if dx == 0 and dy == 0:
        return x, y
    scale = min(
        (BOX_W / 2) / abs(dx) if dx else float("inf"),
        (BOX_H / 2) / abs(dy) if dy else float("inf"),
    )
    return round(x + dx * scale, 1), round(y + dy * scale, 1)


def cycle_picture(current_stage, visited=()):
    """Boxes and arrows for the cycle with ``current_stage`` highlighted."""
    visited = set(visited)
    nodes = []
    for stage, (x, y) in POSITIONS.items():
        lines = textwrap.wrap(stage.label, 14) or [stage.label]
        first_y = y - (len(lines) - 1) * 8 + 5
        nodes.append(
            {
                "code": stage.value,
                "label": stage.label,
                "x": x - BOX_W / 2,
                "y": y - BOX_H / 2,
                "cx": x,
                "lines": [(first_y + i * 16, line) for i, line in enumerate(lines)],
                "current": stage == current_stage,
                "visited": stage.value in visited and stage != current_stage,
            }
        )
    arrows = []
    for start, end in ARROWS:
        x1, y1 = _edge_point(POSITIONS[start], POSITIONS[end])
        x2, y2 = _edge_point(POSITIONS[end], POSITIONS[start])
        arrows.append({"x1": x1, "y1": y1, "x2": x2, "y2": y2})
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "box_w": BOX_W,
        "box_h": BOX_H,
        "nodes": nodes,
        "arrows": arrows,
    }
