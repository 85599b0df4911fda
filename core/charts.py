"""Shared pieces of the server-rendered SVG charts (goals, outcomes): line
colours, dash patterns and marker shapes, so that lines differ by more than colour."""

# Dark enough for 3:1 contrast on white; each goal also has its own dash and
# marker shape, so colour is never the only way to tell lines apart.
COLOURS = ["#0b4f5c", "#a34700", "#5a2a82", "#1d6b2f", "#a4123f", "#2b4c9a", "#6b5300", "#444444"]
DASHES = ["", "8 4", "2 3", "10 3 2 3", "4 4", "12 4", "1 3", "6 2 2 2"]
MARKERS = ["circle", "square", "triangle", "diamond", "circle-open", "square-open", "cross", "plus"]


def marker_path(shape, x, y, r=4.5):
    """An SVG path for a marker centred on (x, y)."""
    if shape.startswith("circle"):
        return f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0"
    if shape.startswith("square"):
        return f"M{x - r:.1f},{y - r:.1f}h{2 * r}v{2 * r}h{-2 * r}z"
    if shape == "triangle":
        return f"M{x:.1f},{y - r - 1:.1f}L{x + r + 1:.1f},{y + r:.1f}L{x - r - 1:.1f},{y + r:.1f}z"
    if shape == "diamond":
        top, bottom, left, right = y - r - 1, y + r + 1, x - r - 1, x + r + 1
        return f"M{x:.1f},{top:.1f}L{right:.1f},{y:.1f}L{x:.1f},{bottom:.1f}L{left:.1f},{y:.1f}z"
    if shape == "cross":
        a, b, c, d = x - r, y - r, x + r, y + r
        return f"M{a:.1f},{b:.1f}L{c:.1f},{d:.1f}M{c:.1f},{b:.1f}L{a:.1f},{d:.1f}"
    return f"M{x - r:.1f},{y:.1f}H{x + r:.1f}M{x:.1f},{y - r:.1f}V{y + r:.1f}"


def line_style(index):
    """How the ``index``-th line of a chart is drawn: colour, dash, marker shape
    (open or filled) and the marker for its key."""
    shape = MARKERS[index % len(MARKERS)]
    style = index % len(COLOURS)
    return {
        "shape": shape,
        "colour": COLOURS[style],
        "dash": DASHES[style],
        "open": shape.endswith("open") or shape in ("cross", "plus"),
        "legend_marker": marker_path(shape, 12, 8),
    }


def polyline(points):
    """The ``points`` attribute of an SVG polyline through ``[{"x", "y"}, …]``."""
    return " ".join(f"{p['x']:.1f},{p['y']:.1f}" for p in points)


def spread_end_labels(lines):
    """Line numbers at the ends of lines that finish on the same spot are put
    side by side instead of on top of each other (sets each line's ``end_dx``)."""
    taken = {}
    for line in lines:
        end = line["end"]
        if end is None:
            continue
        key = (round(end["x"]), round(end["y"]))
        line["end_dx"] = 8 + 14 * taken.get(key, 0)
        taken[key] = taken.get(key, 0) + 1
