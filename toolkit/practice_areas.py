"""The twelve practice questions of the CPI training (DESIGN §2).

Used by the data migration that seeds them and by the demo seed; keep in step.
"""

# number, question, short label, for the agency
PRACTICE_AREAS = [
    (1, "How should I view the person that I am working with?", "Seeing the person", False),
    (2, "How can I manage boundaries with an individual?", "Managing boundaries", False),
    (
        3,
        "How can I keep building on my own community knowledge?",
        "Building community knowledge",
        False,
    ),
    (
        4,
        "How do I overcome barriers faced by working in this way?",
        "Barriers to working this way",
        False,
    ),
    (
        5,
        "How do I identify in what areas I can best help an individual?",
        "Where I can best help",
        False,
    ),
    (6, "How can I get someone to try something new?", "Trying something new", False),
    (7, "How can I help someone to move on?", "Moving on", False),
    (8, "How can I link an individual to someone new?", "Linking to someone new", False),
    (
        9,
        "How can I help the individual to overcome barriers?",
        "Overcoming the person's barriers",
        False,
    ),
    (10, "What kind of environment works best?", "The right environment", True),
    (11, "How does this fit with our existing practice?", "Fit with existing practice", True),
    (
        12,
        "How can our agency form better links with our community?",
        "Agency links with the community",
        True,
    ),
]


def ensure_practice_areas(model):
    """Create or refresh the twelve areas on ``model`` (a real or historical model)."""
    for number, question, short_label, for_agency in PRACTICE_AREAS:
        model.objects.update_or_create(
            number=number,
            defaults={"question": question, "short_label": short_label, "for_agency": for_agency},
        )
