"""Lay out the network map picture (DESIGN.md §3) for a server-rendered SVG.

The person sits at the centre of three rings (inner, middle, outer), divided into
sector wedges. Each member is drawn in its own wedge and ring, with a shape per
kind; the line from the person is solid (positive), dotted (mixed) or dashed
(stressful); member–member ties are light lines.

Labels must not overlap. Wedges are sized by how many members they hold (an empty
sector keeps a narrow wedge, so every sector is always named); within a
wedge-and-ring cell each member goes to the free spot nearest its evenly spread
ideal position. A label that cannot fit is shortened, and as a last resort drawn
as the shape alone (its name is still in the shape's tooltip and in the table,
which is the picture's text alternative).

:func:`layout` works on plain data (the same dicts as :mod:`networks.metrics`), so
snapshots are drawn with it too.
"""

import math
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import SECTOR_SHORT, Kind, Quality, Sector

WIDTH = 1200
HEIGHT = 1040
CX, CY = WIDTH / 2, HEIGHT / 2
EGO_R = 44
INNER_R = EGO_R + 14
OUTER_R = 455
SECTOR_LABEL_R = OUTER_R + 16
FONT = 13  # member labels, in viewBox units
CHAR_W = 0.62 * FONT  # a generous average width for a sans-serif character
SECTOR_FONT = 15
FONT_FAMILY = "system-ui, sans-serif"
RING_FONT = 12
NODE = 9  # half the size of a member's shape
GAP = 4  # between a shape and its label
LABEL_LENGTHS = (16, 7, 0)  # full (up to 16), shortened, none
ROW_STEP = 20
ARC_STEP = 7
GRID = 60

SECTOR_FILLS = {
    Sector.HOUSEHOLD: "#fdf3e1",
    Sector.FAMILY: "#fbe8ec",
    Sector.FRIENDS: "#e9f4ea",
    Sector.WORK_EDUCATION: "#e8eef9",
    Sector.COMMUNITY: "#f3ecf8",
    Sector.NEIGHBOURS: "#eef6f6",
    Sector.SERVICES: "#f1f1ef",
}
KIND_FILLS = {
    Kind.PERSON: "#0b4f5c",
    Kind.GROUP: "#7a3b8f",
    Kind.PLACE: "#9a5b00",
    Kind.ACTIVITY: "#1d6b2f",
}
QUALITY_DASH = {Quality.POSITIVE: "", Quality.MIXED: "2 5", Quality.STRESSFUL: "10 6"}


@dataclass
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other):
        return not (
            self.x1 <= other.x0 or other.x1 <= self.x0 or self.y1 <= other.y0 or other.y1 <= self.y0
        )

    def inside_canvas(self):
        return self.x0 >= 0 and self.y0 >= 0 and self.x1 <= WIDTH and self.y1 <= HEIGHT


@dataclass
class Occupied:
    """Placed boxes, bucketed in a coarse grid so each check looks at a few only."""

    cells: dict = field(default_factory=dict)
    boxes: list = field(default_factory=list)

    def _keys(self, box):
        for gx in range(int(box.x0 // GRID), int(box.x1 // GRID) + 1):
            for gy in range(int(box.y0 // GRID), int(box.y1 // GRID) + 1):
                yield gx, gy

    def free(self, box):
        seen = set()
        for key in self._keys(box):
            for index in self.cells.get(key, ()):
                if index not in seen:
                    seen.add(index)
                    if self.boxes[index].overlaps(box):
                        return False
        return True

    def add(self, box):
        self.boxes.append(box)
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(len(self.boxes) - 1)


def _point(angle, radius):
    return CX + radius * math.cos(angle), CY + radius * math.sin(angle)


def shorten(label, length):
    label = " ".join(label.split())
    if length == 0:
        return ""
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


def text_width(text, char_w=CHAR_W):
    return len(text) * char_w


def member_box(x, y, text, anchor):
    """The area a member's shape and label take up."""
    width = text_width(text)
    if not text:
        return Box(x - NODE - 2, y - NODE - 2, x + NODE + 2, y + NODE + 2)
    if anchor == "start":
        return Box(x - NODE - 2, y - NODE - 2, x + NODE + GAP + width + 2, y + NODE + 2)
    return Box(x - NODE - GAP - width - 2, y - NODE - 2, x + NODE + 2, y + NODE + 2)


def sector_weights(members):
    """Wedge sizes: members in the sector plus a floor, so empty sectors stay visible."""
    counts = dict.fromkeys(Sector.values, 0)
    for member in members:
        counts[member["sector"]] += 1
    floor = max(1.0, len(members) / 14)
    return {code: counts[code] + floor for code in Sector.values}


def _wedges(members):
    weights = sector_weights(members)
    total = sum(weights.values())
    angle = -math.pi / 2
    wedges = {}
    for code in Sector.values:
        span = 2 * math.pi * weights[code] / total
        wedges[code] = (angle, angle + span)
        angle += span
    return wedges


def _wedge_path(start, end):
    large = 1 if end - start > math.pi else 0
    ox0, oy0 = _point(start, OUTER_R)
    ox1, oy1 = _point(end, OUTER_R)
    ix1, iy1 = _point(end, INNER_R)
    ix0, iy0 = _point(start, INNER_R)
    r_in = INNER_R
    return (
        f"M {ox0:.1f} {oy0:.1f} A {OUTER_R} {OUTER_R} 0 {large} 1 {ox1:.1f} {oy1:.1f} "
        f"L {ix1:.1f} {iy1:.1f} A {r_in} {r_in} 0 {large} 0 {ix0:.1f} {iy0:.1f} Z"
    )


def _sector_label(code, start, end):
    mid = (start + end) / 2
    x, y = _point(mid, SECTOR_LABEL_R)
    cos, sin = math.cos(mid), math.sin(mid)
    anchor = "start" if cos > 0.35 else "end" if cos < -0.35 else "middle"
    if sin > 0.35:
        y += SECTOR_FONT
    elif abs(sin) <= 0.35:
        y += SECTOR_FONT / 3
    text = SECTOR_SHORT[code]
    width = text_width(text, 0.62 * SECTOR_FONT)
    x0 = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
    box = Box(x0 - 2, y - SECTOR_FONT - 1, x0 + width + 2, y + 5)
    return {"text": text, "x": round(x, 1), "y": round(y, 1), "anchor": anchor}, box


def ring_bounds(members):
    """Inner and outer radius of each ring. Rings share the space between the person
    and the edge by how many members they hold, with a large floor, so usual maps
    get near-equal rings and a crowded ring gets room for its labels."""
    counts = {1: 0, 2: 0, 3: 0}
    for member in members:
        counts[int(member["ring"])] += 1
    floor = max(8.0, len(members) / 3)
    total = sum(counts.values()) + 3 * floor
    bounds, inner = {}, INNER_R
    for ring in (1, 2, 3):
        outer = inner + (OUTER_R - INNER_R) * (counts[ring] + floor) / total
        bounds[ring] = (inner, OUTER_R if ring == 3 else outer)
        inner = outer
    return bounds


def _candidates(start, end, r_in, r_out):
    """Spots in a wedge-and-ring cell where a member's shape fits inside the cell."""
    spots = []
    radius = r_in + NODE + 6
    while radius <= r_out - NODE - 6:
        margin = (NODE + 5) / radius
        a0, a1 = start + margin, end - margin
        if a1 >= a0:
            step = ARC_STEP / radius
            count = int((a1 - a0) / step) + 1
            for i in range(count):
                angle = a0 + (a1 - a0) * (i / (count - 1) if count > 1 else 0.5)
                spots.append((angle, radius))
        radius += ROW_STEP
    return spots


def _ideal(index, count, start, end, r_in, r_out):
    angle = start + (end - start) * (index + 0.5) / count
    mid = (r_in + r_out) / 2
    offset = 0 if count < 4 else (-1) ** index * (r_out - r_in) / 5
    return _point(angle, mid + offset)


def _member_title(member):
    kind = Kind(member["kind"]).label if member["kind"] in Kind.values else member["kind"]
    sector = SECTOR_SHORT.get(member["sector"], member["sector"])
    ring = {1: "inner", 2: "middle", 3: "outer"}.get(int(member["ring"]), "")
    quality = member.get("quality", "")
    title = f"{member['label']} ({kind.lower()}, {sector.lower()}, {ring} ring, {quality})"
    if member.get("opportunity"):
        title += f"; came through the directory opportunity “{member['opportunity']}”"
    return title


def _points(corners):
    return " ".join(f"{px:.1f},{py:.1f}" for px, py in corners)


def _shape(kind, x, y):
    s = NODE
    if kind == Kind.GROUP:
        return {
            "type": "rect",
            "x": round(x - s + 1, 1),
            "y": round(y - s + 1, 1),
            "size": 2 * s - 2,
        }
    if kind == Kind.PLACE:
        corners = [(x, y - s - 1), (x + s + 1, y + s - 1), (x - s - 1, y + s - 1)]
        return {"type": "polygon", "points": _points(corners)}
    if kind == Kind.ACTIVITY:
        corners = [(x, y - s - 1), (x + s + 1, y), (x, y + s + 1), (x - s - 1, y)]
        return {"type": "polygon", "points": _points(corners)}
    return {"type": "circle", "r": s}


def layout(members, ties, *, person_label=""):
    """Positions and drawing instructions for the map template (plain data in)."""
    members = sorted(
        members, key=lambda m: (m["sector"], int(m["ring"]), m["label"].lower(), m["id"])
    )
    wedges = _wedges(members)
    occupied = Occupied()
    occupied.add(Box(CX - EGO_R - 2, CY - EGO_R - 2, CX + EGO_R + 2, CY + EGO_R + 2))

    sector_drawings = []
    for code, (start, end) in wedges.items():
        label, box = _sector_label(code, start, end)
        occupied.add(box)
        x0, y0 = _point(start, INNER_R)
        x1, y1 = _point(start, OUTER_R)
        sector_drawings.append(
            {
                "code": code,
                "path": _wedge_path(start, end),
                "fill": SECTOR_FILLS[code],
                "label": label,
                "line": (round(x0, 1), round(y0, 1), round(x1, 1), round(y1, 1)),
            }
        )

    bounds = ring_bounds(members)
    rings = [{"ring": ring, "r": round(r_out, 1)} for ring, (_r_in, r_out) in bounds.items()]
    ring_labels = _ring_labels(bounds)
    for label in ring_labels:
        half = text_width(label["text"], 0.62 * RING_FONT) / 2
        occupied.add(
            Box(
                label["x"] - half - 2, label["y"] - RING_FONT, label["x"] + half + 2, label["y"] + 4
            )
        )

    fixed_boxes = list(occupied.boxes)
    cells = {}
    for member in members:
        cells.setdefault((member["sector"], int(member["ring"])), []).append(member)

    placed = []
    positions = {}
    for (sector, ring), cell_members in cells.items():
        start, end = wedges[sector]
        spots = [
            (angle, radius, *_point(angle, radius))
            for angle, radius in _candidates(start, end, *bounds[ring])
        ]
        count = len(cell_members)
        for index, member in enumerate(cell_members):
            ix, iy = _ideal(index, count, start, end, *bounds[ring])
            ordered = sorted(spots, key=lambda s: (s[2] - ix) ** 2 + (s[3] - iy) ** 2)
            choice = None
            for length in LABEL_LENGTHS:
                text = shorten(member["label"], length)
                for _angle, _radius, x, y in ordered:
                    anchor = "start" if x >= CX else "end"
                    box = member_box(x, y, text, anchor)
                    if box.inside_canvas() and occupied.free(box):
                        choice = (x, y, text, anchor, box)
                        break
                if choice:
                    break
            if choice is None:  # pragma: no cover - more members than the cell can show
                x, y = ordered[0][2:] if ordered else (ix, iy)
                choice = (x, y, "", "start", member_box(x, y, "", "start"))
            x, y, text, anchor, box = choice
            occupied.add(box)
            positions[member["id"]] = (x, y)
            placed.append(
                {
                    "id": member["id"],
                    "x": round(x, 1),
                    "y": round(y, 1),
                    "text": text,
                    "text_x": round(x + (NODE + GAP) * (1 if anchor == "start" else -1), 1),
                    "text_y": round(y + FONT / 3, 1),
                    "anchor": anchor,
                    "box": box,
                    "title": _member_title(member),
                    "shape": _shape(member["kind"], x, y),
                    "fill": KIND_FILLS.get(member["kind"], "#333"),
                    "kind": member["kind"],
                    "sector": sector,
                    "ring": ring,
                    "quality": member.get("quality", Quality.POSITIVE),
                    "dash": QUALITY_DASH.get(member.get("quality"), ""),
                    "stressful": member.get("quality") == Quality.STRESSFUL,
                    "opportunity": member.get("opportunity", ""),
                }
            )

    tie_lines = []
    seen = set()
    for a, b in ties:
        key = frozenset((a, b))
        if a == b or key in seen or a not in positions or b not in positions:
            continue
        seen.add(key)
        (x1, y1), (x2, y2) = positions[a], positions[b]
        tie_lines.append((round(x1, 1), round(y1, 1), round(x2, 1), round(y2, 1)))

    return {
        "width": WIDTH,
        "height": HEIGHT,
        "cx": CX,
        "cy": CY,
        "ego_r": EGO_R,
        "person_label": shorten(person_label, 10),
        "sectors": sector_drawings,
        "rings": rings,
        "ring_labels": ring_labels,
        "members": placed,
        "ties": tie_lines,
        "wedges": wedges,
        "ring_bounds": bounds,
        "fixed_boxes": fixed_boxes,
    }


def _ring_labels(bounds):
    """Ring names, written small just inside each ring's edge at the bottom."""
    labels = []
    for ring, name in ((1, "Inner"), (2, "Middle"), (3, "Outer")):
        r_out = bounds[ring][1]
        labels.append({"text": name, "x": CX, "y": round(CY + r_out - 5, 1)})
    return labels


def render_svg(drawing, *, title, description, svg_id="network-map"):
    """The SVG markup for a :func:`layout` (built in Python: a template loop over
    hundreds of lines costs more than the rest of the page together).

    Every piece of text is escaped; numbers are formatted here. The picture is one
    image to assistive technology (``role="img"``) whose description points to the
    table of members, the text alternative.
    """
    cx, cy = drawing["cx"], drawing["cy"]
    out = [
        f'<svg class="network-map" viewBox="0 0 {drawing["width"]} {drawing["height"]}" '
        f'role="img" aria-labelledby="{svg_id}-title {svg_id}-desc" '
        'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{svg_id}-title">{escape(title)}</title>',
        f'<desc id="{svg_id}-desc">{escape(description)}</desc>',
        '<g class="wedges">',
    ]
    out += [f'<path d="{s["path"]}" fill="{s["fill"]}"/>' for s in drawing["sectors"]]
    out.append('</g><g class="rings" fill="none" stroke="#6f777b" stroke-width="1.5">')
    out += [f'<circle cx="{cx}" cy="{cy}" r="{r["r"]}"/>' for r in drawing["rings"]]
    out.append('</g><g class="sector-lines" stroke="#6f777b" stroke-width="1">')
    out += [
        '<line x1="{}" y1="{}" x2="{}" y2="{}"/>'.format(*s["line"]) for s in drawing["sectors"]
    ]
    out.append(
        '</g><g class="ring-labels" font-size="12" fill="#505a5f" text-anchor="middle" '
        f'font-family="{FONT_FAMILY}">'
    )
    out += [
        f'<text x="{label["x"]}" y="{label["y"]}">{escape(label["text"])}</text>'
        for label in drawing["ring_labels"]
    ]
    out.append(
        f'</g><g class="sector-labels" font-size="{SECTOR_FONT}" font-weight="700" '
        f'fill="#0b0c0c" font-family="{FONT_FAMILY}">'
    )
    for s in drawing["sectors"]:
        label = s["label"]
        out.append(
            f'<text x="{label["x"]}" y="{label["y"]}" text-anchor="{label["anchor"]}">'
            f"{escape(label['text'])}</text>"
        )
    out.append('</g><g class="member-ties" stroke="#b1b4b6" stroke-width="1.2">')
    out += ['<line x1="{}" y1="{}" x2="{}" y2="{}"/>'.format(*tie) for tie in drawing["ties"]]
    out.append('</g><g class="person-ties" stroke-width="2">')
    for m in drawing["members"]:
        colour = "#b10e1e" if m["stressful"] else "#505a5f"
        dash = f' stroke-dasharray="{m["dash"]}"' if m["dash"] else ""
        out.append(
            f'<line x1="{cx}" y1="{cy}" x2="{m["x"]}" y2="{m["y"]}" stroke="{colour}"{dash} '
            f'data-quality="{escape(m["quality"])}"/>'
        )
    # A member who came through a directory opportunity: a marked connector, a
    # blue diamond on the line from the person, named in its tooltip (the table
    # says the same in words).
    out.append('</g><g class="opportunity-links" fill="#1d70b8" stroke="#fff" stroke-width="1.5">')
    for m in drawing["members"]:
        if not m.get("opportunity"):
            continue
        mx, my = (cx + m["x"]) / 2, (cy + m["y"]) / 2
        corners = [(mx, my - 7), (mx + 7, my), (mx, my + 7), (mx - 7, my)]
        out.append(
            f'<g class="opportunity-link"><title>{escape(m["text"] or m["title"])} came through '
            f'“{escape(m["opportunity"])}”</title><polygon points="{_points(corners)}"/></g>'
        )
    out.append(
        f'</g><g class="person"><circle cx="{cx}" cy="{cy}" r="{drawing["ego_r"]}" '
        f'fill="#0b0c0c"/><text x="{cx}" y="{cy + 5}" text-anchor="middle" font-size="15" '
        f'font-weight="700" fill="#fff" font-family="{FONT_FAMILY}">'
        f"{escape(drawing['person_label'])}</text></g>"
    )
    out.append(f'<g class="members" font-size="{FONT}" font-family="{FONT_FAMILY}">')
    for m in drawing["members"]:
        shape = m["shape"]
        common = f'fill="{m["fill"]}" stroke="#fff" stroke-width="1.5"'
        if shape["type"] == "circle":
            drawn = f'<circle cx="{m["x"]}" cy="{m["y"]}" r="{shape["r"]}" {common}/>'
        elif shape["type"] == "rect":
            drawn = (
                f'<rect x="{shape["x"]}" y="{shape["y"]}" width="{shape["size"]}" '
                f'height="{shape["size"]}" {common}/>'
            )
        else:
            drawn = f'<polygon points="{shape["points"]}" {common}/>'
        text = ""
        if m["text"]:
            text = (
                f'<text x="{m["text_x"]}" y="{m["text_y"]}" text-anchor="{m["anchor"]}" '
                'fill="#0b0c0c" stroke="#fff" stroke-width="4" stroke-linejoin="round" '
                f'paint-order="stroke">{escape(m["text"])}</text>'
            )
        out.append(
            f'<g class="member" data-kind="{escape(m["kind"])}" '
            f'data-sector="{escape(m["sector"])}" data-ring="{m["ring"]}">'
            f"<title>{escape(m['title'])}</title>{drawn}{text}</g>"
        )
    out.append("</g></svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text value above is escaped
