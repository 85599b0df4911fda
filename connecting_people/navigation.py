"""What each role is offered in the navigation bar and on the home page.

Entries name URLs; an entry whose URL does not exist yet (its app is not built)
is left out, so the layout only ever links to parts that exist.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    roles: frozenset  # any of: worker, supervisor, curator, admin, everyone
    description: str = ""

    def url(self):
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


EVERYONE = frozenset({"everyone"})

ENTRIES = [
    Entry(
        "My board",
        "workflow:board",
        frozenset({"worker"}),
        "Your caseload grouped by stage, with what needs doing next.",
    ),
    Entry(
        "Caseload",
        "caseload:list",
        frozenset({"worker", "supervisor"}),
        "Find the people you work with, see their records and log sessions.",
    ),
    Entry(
        "Team dashboard",
        "workflow:dashboard",
        frozenset({"supervisor"}),
        "How your teams are doing: caseloads, contact, reviews and outcomes.",
    ),
    Entry(
        "Agency report",
        "workflow:agency_report",
        frozenset({"supervisor", "admin"}),
        "Community links and practice fidelity per agency and per sector, as figures only.",
    ),
    Entry(
        "Toolkit",
        "toolkit:library",
        EVERYONE,
        "Practice resources for each stage of the Connecting People cycle.",
    ),
    Entry(
        "Directory",
        "toolkit:directory",
        EVERYONE,
        "Community groups, activities and services to connect people with.",
    ),
    Entry(
        "Community links",
        "community:index",
        frozenset({"worker", "supervisor"}),
        "Your team's links with local organisations, flagged when contact lapses.",
    ),
    Entry(
        "Safety",
        "safety:overview",
        frozenset({"worker", "supervisor"}),
        "Lone-working check-ins, and risk alerts past their review date.",
    ),
    Entry(
        "Curation",
        "toolkit:curation",
        frozenset({"curator"}),
        "Write, review and publish toolkit resources; keep the directory current.",
    ),
    Entry(
        "Erasures",
        "caseload:erasure_list",
        frozenset({"admin"}),
        "Approve requests to erase a record; see erased records and retention reports.",
    ),
    Entry(
        "Administration",
        "admin:index",
        frozenset({"admin"}),
        "Manage user accounts, teams and roles.",
    ),
]


def roles_for(user):
    if not user.is_authenticated:
        return set()
    return {"everyone"} | user.role_codes


def entries_for(user):
    """Entries the user may use whose pages exist, as dicts with their URLs."""
    roles = roles_for(user)
    result = []
    for entry in ENTRIES:
        if not roles & entry.roles:
            continue
        url = entry.url()
        if url:
            result.append({"label": entry.label, "url": url, "description": entry.description})
    return result
