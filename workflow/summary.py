"""“My map and my goals”: a summary written for the person, to take home.

Plain words and no figures: who is in their map (by the labels they chose),
their goals in their own words with the steps and who does each, the community
opportunities they are trying with how to contact them, and their next session.
It holds nothing about anyone else and no notes. Read through the apps'
selectors in a fixed number of queries.
"""

from django.utils import timezone

from goals.selectors import active_goals_with_steps
from networks import picture
from networks.presenters import area_short
from networks.selectors import map_data, members_for, tie_pairs
from toolkit.selectors import services_with_contacts

RING_HEADINGS = {
    1: "Closest to me",
    2: "In the middle",
    3: "Further out",
}


def _who(step, worker_name):
    if step.who == "person":
        return "Me"
    if step.who == "worker":
        return worker_name
    return step.who_name or "Someone else"


def person_summary(service_user):
    """Everything the summary page shows, for a person already fetched through
    :mod:`caseload.access` (with their allocated worker)."""
    today = timezone.localdate()
    members = list(members_for(service_user))
    data = map_data(service_user, members=members, ties=list(tie_pairs(service_user)))
    drawing = picture.layout(
        data["members"], data["ties"], person_label=service_user.preferred_name
    )
    count = len(drawing["members"])
    what = "person, place or activity" if count == 1 else "people, places and activities"
    svg = picture.render_svg(
        drawing,
        title=f"{service_user.preferred_name}’s map",
        description=(
            f"{count} {what} in rings around the centre: the closer to the centre, "
            "the closer they feel. They are listed below the picture."
        ),
        svg_id="summary-map",
    )
    rings = {ring: [] for ring in RING_HEADINGS}
    for member in sorted(members, key=lambda m: m.label.lower()):
        rings.setdefault(int(member.ring), []).append(
            {"label": member.label, "area": area_short(member.sector)}
        )

    worker = service_user.allocated_worker
    worker_name = (worker.first_name or "My worker") if worker else "My worker"
    goals = []
    opportunity_ids = {m.opportunity_id for m in members if m.opportunity_id}
    for goal in active_goals_with_steps(service_user):
        goals.append(
            {
                "title": goal.title,
                "why": goal.why_it_matters,
                "steps": [
                    {
                        "what": step.what,
                        "who": _who(step, worker_name),
                        "due_on": step.due_on,
                        "done": step.done_on is not None,
                        "late": step.is_overdue(today),
                    }
                    for step in goal.steps.all()
                ],
            }
        )
        opportunity_ids.update(service.pk for service in goal.opportunities.all())

    opportunities = []
    for service in services_with_contacts(opportunity_ids):
        opportunities.append(
            {
                "name": service.name,
                "organisation": service.organization.name if service.organization else "",
                "when": [schedule.summary for schedule in service.schedules.all()],
                "where": [
                    link.location.address_line or link.location.name
                    for link in service.at_locations.all()
                    if link.location.address_line or link.location.name
                ],
                "contacts": [
                    ", ".join(
                        part
                        for part in [contact.name or contact.title, contact.phone, contact.email]
                        if part
                    )
                    for contact in service.contacts.all()
                ],
                "phone": service.phone,
                "email": service.email,
                "website": service.url,
                "cost": "Free" if service.is_free else service.fees_description,
            }
        )

    next_on = service_user.next_contact_on
    return {
        "today": today,
        "svg": svg,
        "rings": [
            {"heading": RING_HEADINGS[ring], "members": rings[ring]} for ring in RING_HEADINGS
        ],
        "member_count": count,
        "goals": goals,
        "opportunities": opportunities,
        "worker_name": worker_name,
        "next_session_on": next_on if next_on and next_on >= today else None,
    }
