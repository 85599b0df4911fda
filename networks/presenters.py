"""Turn plain map data and metrics into rows for templates (codes → labels)."""

from django.urls import reverse

from . import picture, selectors
from .metrics import METRIC_INFO, PERCENT_METRICS, compare_maps
from .models import RING_SHORT, SECTOR_SHORT, Direction, Frequency, Kind, Quality, Sector, Support


def _label(choices, code):
    try:
        return choices(code).label
    except ValueError:
        return str(code)


def member_row(member):
    """Display values for one member (a dict from :func:`selectors.member_data`)."""
    return {
        **member,
        "kind_label": _label(Kind, member["kind"]),
        "sector_label": _label(Sector, member["sector"]),
        "ring_label": RING_SHORT.get(int(member["ring"]), member["ring"]),
        "frequency_label": _label(Frequency, member["frequency"]),
        "support_labels": [_label(Support, code) for code in member["support"]],
        "direction_label": _label(Direction, member["direction"]),
        "quality_label": _label(Quality, member["quality"]),
    }


def area_short(code):
    """An area of life in one or two words ("Community")."""
    return SECTOR_SHORT.get(code, str(code))


def member_rows(members):
    return [
        member_row(m)
        for m in sorted(members, key=lambda m: (int(m["ring"]), m["sector"], m["label"].lower()))
    ]


def format_metric(key, value):
    if value is None:
        return "–"
    if key in PERCENT_METRICS:
        return f"{value * 100:.0f}%"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def format_change(key, diff):
    """A change between two maps: "+2", "−0.15", and for a share "−23 percentage
    points" (the share went from, say, 48% to 25%; it did not shrink by 23%)."""
    if key in PERCENT_METRICS:
        points = round(diff * 100)
        if not points:
            return "no change"
        unit = "percentage point" if abs(points) == 1 else "percentage points"
        return f"{'+' if points > 0 else '−'}{abs(points)} {unit}"
    if not diff:
        return "no change"
    text = format_metric(key, abs(diff))
    return f"{'+' if diff > 0 else '−'}{text}"


def metric_rows(metrics):
    """Headline figures with their plain-words explanations, in display order."""
    return [
        {
            "key": key,
            "label": label,
            "explanation": explanation,
            "value": format_metric(key, metrics.get(key)),
        }
        for key, (label, explanation) in METRIC_INFO.items()
    ]


def breakdown_rows(metrics):
    """Counts by area of life, ring, kind and support type, as (heading, rows)."""
    return [
        ("Area of life", [(_label(Sector, k), v) for k, v in metrics.get("by_sector", {}).items()]),
        ("Ring", [(RING_SHORT.get(int(k), k), v) for k, v in metrics.get("by_ring", {}).items()]),
        ("Kind", [(_label(Kind, k), v) for k, v in metrics.get("by_kind", {}).items()]),
        ("Support given", [(_label(Support, k), v) for k, v in metrics.get("support", {}).items()]),
    ]


def compare_metric_rows(before, after):
    rows = []
    for key, (label, explanation) in METRIC_INFO.items():
        old, new = before.get(key), after.get(key)
        if isinstance(old, int | float) and isinstance(new, int | float):
            change = format_change(key, new - old)
        else:
            change = "–"
        rows.append(
            {
                "key": key,
                "label": label,
                "explanation": explanation,
                "before": format_metric(key, old),
                "after": format_metric(key, new),
                "change": change,
            }
        )
    breakdowns = []
    for (heading, old_rows), (_h, new_rows) in zip(
        breakdown_rows(before), breakdown_rows(after), strict=True
    ):
        new_values = dict(new_rows)
        breakdowns.append(
            (heading, [(name, value, new_values.get(name, 0)) for name, value in old_rows])
        )
    return rows, breakdowns


def change_rows(before, after):
    """What changed between two maps, as display rows."""
    changes = compare_maps(before, after)
    return {
        "gained": member_rows(changes["gained"]),
        "lost": member_rows(changes["lost"]),
        "closer": [(member_row(o), member_row(n)) for o, n in changes["closer"]],
        "further": [(member_row(o), member_row(n)) for o, n in changes["further"]],
        "support_changed": [
            (
                member_row(n),
                [_label(Support, code) for code in added],
                [_label(Support, code) for code in removed],
            )
            for _o, n, added, removed in changes["support_changed"]
        ],
    }


def map_picture(data, person, *, title, table_caption):
    """The map's SVG for plain map data; its description points to the table."""
    drawing = picture.layout(data["members"], data["ties"], person_label=person.preferred_name)
    count = len(drawing["members"])
    return picture.render_svg(
        drawing,
        title=title,
        description=(
            f"{count} member{'s' if count != 1 else ''} drawn in rings of closeness around "
            f"{person.preferred_name}, divided by area of life. The same information is in "
            f"the table “{table_caption}” below the picture."
        ),
    )


def map_page(person, *, show_ended=False):
    """What the body of a person's network map page shows
    (``networks/_map_body.html``): the picture, the members' table with links to
    change each, ended members (their rows only with ``show_ended``), the
    measures and the latest snapshots."""
    everyone = list(selectors.members_for(person, include_ended=True))
    members = [m for m in everyone if m.is_active]
    ended = [m for m in everyone if not m.is_active]
    ties = list(selectors.tie_pairs(person))
    baseline, latest_snapshot = selectors.baseline_and_latest(person)
    data = selectors.map_data(person, members=members, ties=ties)
    metrics = selectors.compute_metrics(data, baseline)
    tie_counts = {}
    for a, b in data["ties"]:
        tie_counts[a] = tie_counts.get(a, 0) + 1
        tie_counts[b] = tie_counts.get(b, 0) + 1
    rows = member_rows(data["members"])
    # One reverse() each, not two per row: the table is the slowest part of a big map.
    placeholder = "00000000-0000-0000-0000-000000000000"
    edit_url = reverse("networks:member_edit", args=[person.public_id, placeholder])
    end_url = reverse("networks:member_end", args=[person.public_id, placeholder])
    for row in rows:
        row["tie_count"] = tie_counts.get(row["id"], 0)
        row["edit_url"] = edit_url.replace(placeholder, row["id"])
        row["end_url"] = end_url.replace(placeholder, row["id"])
    return {
        "svg": map_picture(
            data,
            person,
            title=f"Network map for {person.preferred_name}",
            table_caption="Members of the map",
        ),
        "rows": rows,
        "ended": ended if show_ended else [],
        "ended_count": len(ended),
        "show_ended": show_ended,
        "metric_rows": metric_rows(metrics),
        "breakdowns": breakdown_rows(metrics),
        "baseline": baseline,
        "latest_snapshot": latest_snapshot,
        "tie_total": len(data["ties"]),
    }
