"""Demo community links for the demo teams, to organisations in the demo directory.

Fictional, like the directory they point at. Some links are stale (no contact in
6 months) and one points at an organisation that is no longer listed, so every
flag shows. Safe to run more than once: links are matched on fixed ids, and their
dates are set relative to today each time.
"""

import datetime
import uuid

from django.utils import timezone

from accounts.models import Agency, Team
from toolkit.models import Organization, Service

from .models import AgencyListing, CommunityLink, LinkKind

DEMO_NAMESPACE = uuid.UUID("5d0f3b1e-8a43-4a51-9c7e-0c1c6f0e2a17")

# team, organisation (toolkit demo name), service name or "", kind, contact, role,
# days since last contact (None: never), days to next planned contact (None: none), notes
LINKS = [
    (
        "North Community Team",
        "Northfield Library Service",
        "",
        LinkKind.SHARED_SPACE,
        "Jo Bright",
        "Community librarian",
        21,
        40,
        "We book the meeting room on Tuesdays for first meetings away from the clinic.",
    ),
    (
        "North Community Team",
        "Eastgate Mind Matters",
        "",
        LinkKind.REFERRAL_ROUTE,
        "Sam Osei",
        "Peer support coordinator",
        60,
        None,
        "Peer support groups; they take referrals from us by email.",
    ),
    (
        "North Community Team",
        "Greenway Allotment Society",
        "",
        LinkKind.VOLUNTEERING,
        "Pat Greene",
        "Secretary",
        250,
        None,
        "Volunteering on the shared plot. No contact since the spring: worth a call.",
    ),
    (
        "North Community Team",
        "Borough Leisure",
        "",
        LinkKind.TRAINING,
        "",
        "",
        None,
        None,
        "They offered mental health awareness training for their front-desk staff.",
    ),
    (
        "South Community Team",
        "St Aidan's Church",
        "",
        LinkKind.JOINT_ACTIVITY,
        "Revd Clare Hall",
        "Vicar",
        10,
        30,
        "Joint coffee morning in the church hall on the first Friday of the month.",
    ),
    (
        "South Community Team",
        "Riverside Community Trust",
        "",
        LinkKind.INFORMAL,
        "Mo Ahmed",
        "Hub manager",
        200,
        -14,
        "The Hub team let us know about new groups. A catch-up was planned but missed.",
    ),
]

# A link kept after its organisation left the directory: shows "no longer listed".
GONE = ("North Community Team", "Northfield Men's Shed", LinkKind.JOINT_ACTIVITY)

LISTINGS = {"Riverside Community Trust": "Riverside Community Trust"}


def _id(*parts):
    return uuid.uuid5(DEMO_NAMESPACE, ":".join(str(p) for p in parts))


def seed(*, stdout, **options):
    today = timezone.localdate()
    teams = {team.name: team for team in Team.objects.all()}
    organisations = {org.name: org for org in Organization.objects.all()}
    count = 0
    for index, row in enumerate(LINKS):
        team_name, org_name, service_name, kind, contact, role, since, until, notes = row
        team, organisation = teams.get(team_name), organisations.get(org_name)
        if team is None or organisation is None:
            continue
        service = (
            Service.objects.filter(organization=organisation, name=service_name).first()
            if service_name
            else None
        )
        CommunityLink.objects.update_or_create(
            public_id=_id("link", index),
            defaults={
                "team": team,
                "organisation": organisation,
                "organisation_ref": organisation.public_id,
                "name": organisation.name,
                "service": service,
                "service_ref": service.public_id if service else None,
                "service_name": service.name if service else "",
                "kind": kind,
                "contact_name": contact,
                "contact_role": role,
                "last_contact_on": None if since is None else today - datetime.timedelta(since),
                "next_contact_on": None if until is None else today + datetime.timedelta(until),
                "notes": notes,
            },
        )
        count += 1
    team_name, name, kind = GONE
    if team_name in teams:
        CommunityLink.objects.update_or_create(
            public_id=_id("link", "gone"),
            defaults={
                "team": teams[team_name],
                "organisation": None,
                "organisation_ref": _id("organisation", "gone"),
                "name": name,
                "kind": kind,
                "last_contact_on": today - datetime.timedelta(days=400),
                "notes": "Woodwork sessions. The shed closed and left the directory.",
            },
        )
        count += 1
    for agency_name, org_name in LISTINGS.items():
        agency = Agency.objects.filter(name=agency_name).first()
        if agency and org_name in organisations:
            AgencyListing.objects.update_or_create(
                agency=agency, defaults={"organisation": organisations[org_name]}
            )
    stdout.write(f"Community: {count} links.")
