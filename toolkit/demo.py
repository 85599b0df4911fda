"""Demo toolkit: the twelve practice areas, original resources and fictional opportunities.

Everything here is written for this product and fictional (places, groups,
telephone numbers in the Ofcom drama range). Safe to run more than once: rows
are matched on fixed ids and titles.
"""

import datetime
import re
import uuid
from decimal import Decimal

from django.utils import timezone

from .models import (
    Accessibility,
    Contact,
    CostOption,
    Location,
    Organization,
    PracticeArea,
    Resource,
    ResourceStage,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from .practice_areas import ensure_practice_areas
from .services import _record_version, service_refresh_search_text

DEMO_NAMESPACE = uuid.UUID("0c9a3a8e-7d7e-4b3c-9f0e-2f2b7d1c5a61")


def demo_id(*parts):
    return uuid.uuid5(DEMO_NAMESPACE, ":".join(str(p) for p in parts))


# title, kind, stages, practice areas, tags, summary, body
RESOURCES = [
    (
        "Before the first meeting: reading a referral well",
        "guide",
        ["referral"],
        [1, 5],
        "referral, preparation, first contact",
        "How to read a referral for strengths and connections, not only risks and problems.",
        """## Look past the problem list

A referral tells you why someone was sent to you. It rarely tells you who they are.
Before you meet, note anything that hints at a life beyond services: a job they
used to have, a place they grew up, a pet, a team they follow.

## Questions to bring

- Who is already in this person's life, even at a distance?
- What did they enjoy before things became difficult?
- Is there anything they have said they would like to try?

Keep your notes short and in plain words. You will check everything with the
person; the referral is a starting point, not the truth.""",
    ),
    (
        "Getting to know each other: the first three conversations",
        "guide",
        ["getting_started"],
        [1, 2],
        "first meeting, trust, consent, partnership",
        "A plan for the first three meetings, built around what matters to the person.",
        """## First conversation: introductions

Explain what Connecting People is: two people working together to help the person
build the connections they want. Agree where you will meet. Ask how they like to
be addressed.

## Second conversation: what matters

Ask about a good day and a hard day. Listen for people, places and activities.

## Third conversation: agreeing how you'll work

Talk about consent, what you write down and who sees it. Agree what each of you
will do before the next meeting. **Both of you have tasks**: that is the
partnership.""",
    ),
    (
        "Keeping boundaries while working as partners",
        "case_study",
        ["getting_started", "connect"],
        [2],
        "boundaries, professional practice, supervision",
        "A worker's story about being friendly without becoming a friend.",
        """Sam (a fictional worker) supported Lee to join a walking group. Lee asked Sam
to come every week "as a mate".

Sam said yes to the first walk and agreed with Lee that from the third walk Lee
would go with Maria, a group member Lee had got on with.

## What helped

- Naming the plan early, so the ending was not a surprise.
- Talking it through in supervision before agreeing.
- Celebrating the first walk Lee did without Sam.""",
    ),
    (
        "Mapping a network: people, places and activities",
        "worksheet",
        ["assess"],
        [5, 8],
        "network map, ecomap, circles, baseline",
        "A step-by-step worksheet for drawing the person's network together.",
        """## What you need

The network map in the app, or paper and pens.

## Steps

1. Put the person in the middle. Draw three rings: closest, middle and outer.
2. Ask who they see, speak to or think about. Include groups, places and
   activities, not only people.
3. For each, ask how often they are in touch and whether it feels good,
   mixed or stressful.
4. Ask who knows whom. Draw a light line between them.

Save the finished map as the **baseline** so you can compare at review.""",
    ),
    (
        "Spotting strengths and gaps in a network",
        "exercise",
        ["assess", "plan"],
        [5],
        "network, strengths, gaps, sectors",
        "An exercise for reading a finished map together and noticing where to start.",
        """Look at the map with the person and ask:

- Which parts of life are empty? (work, faith, neighbours, hobbies)
- Who gives practical help, and who gives company?
- Are most ties with professionals?

Choose **one** area to start with. Starting small is more likely to last.""",
    ),
    (
        "Writing goals in the person's own words",
        "guide",
        ["plan"],
        [1, 6],
        "goals, goal attainment scaling, GAS, planning",
        "How to agree goals that belong to the person and can be rated at review.",
        """## Use their words

Write the goal as the person says it: "I want to get out of the flat on a
Saturday", not "increase community participation".

## Describe what expected looks like

Agree what would count as the expected outcome (0), a bit less (−1), much less
(−2), a bit more (+1) and much more (+2). Keep each level concrete: something
you could both see happen.""",
    ),
    (
        "Small steps planner",
        "worksheet",
        ["plan", "connect"],
        [6, 9],
        "steps, planning, worksheet, confidence",
        "A one-page planner for breaking a goal into steps with who does what by when.",
        """| Step | Who | By when | Done? |
| --- | --- | --- | --- |
| Find out when the group meets | Worker | Next week | |
| Walk past the venue together | Both | In two weeks | |
| Go to the first session | Person, with worker | This month | |

Keep each step small enough that it is likely to happen.""",
    ),
    (
        "Trying something new: the 'go with, then go alongside' approach",
        "guide",
        ["connect"],
        [6, 8],
        "new activity, support, anxiety, first visit",
        "How to support a first visit to a new group, then step back.",
        """## Go with

For the first visit, travel together and stay. Introduce the person to one named
member of the group if you can.

## Go alongside

Next time, meet there rather than travelling together. Leave part-way through.

## Step back

Agree a time to talk after the person has gone alone. Ask what went well
and what they would change.""",
    ),
    (
        "Building your own community knowledge",
        "tool",
        ["connect"],
        [3, 12],
        "community knowledge, directory, local groups",
        "A routine for workers and teams to keep learning what is available locally.",
        """- Visit one new group a month and add what you learn to the directory.
- Keep a shared list of "people who know people": librarians, faith leaders,
  café owners, club secretaries.
- When a group closes, mark it so colleagues don't send people there.""",
    ),
    (
        "Overcoming barriers: money, travel and worry",
        "guide",
        ["connect", "plan"],
        [4, 9],
        "barriers, cost, transport, anxiety",
        "Practical ways round the three barriers people mention most.",
        """## Money

Look for free sessions, concessions and taster days. Many groups will waive fees
if asked privately.

## Travel

Plan the route together. Try the journey once without the pressure of arriving.

## Worry

Name what the person fears might happen and plan one thing to do if it does.""",
    ),
    (
        "Reviewing progress together",
        "guide",
        ["review"],
        [5, 7],
        "review, GAS rating, network snapshot, outcomes",
        "How to run a review that the person finds useful, not only the service.",
        """1. Rate each goal together, using the levels you agreed.
2. Re-draw the network map and compare it with the baseline.
3. Ask what has changed that the map doesn't show.
4. Decide: carry on, change the plan, or start moving on.""",
    ),
    (
        "Reading change in a network map",
        "exercise",
        ["review"],
        [5],
        "network change, snapshot, comparison",
        "An exercise for comparing two snapshots and talking about what changed.",
        """Put the baseline and the new map side by side. Look for people and groups who
are **new**, who have **moved closer**, and who have been **lost**.

Loss is not failure: ties end for many reasons. Talk about what the person
would like to happen next.""",
    ),
    (
        "Planning an ending: moving on well",
        "guide",
        ["moving_on"],
        [7],
        "ending, moving on, sustaining connections",
        "How to plan the end of your work so the connections carry on without you.",
        """- Talk about the ending from the start, so it is expected.
- Reduce contact gradually.
- Write an ending summary together: what was tried, what worked, who the
  person can call on now.""",
    ),
    (
        "Closing a case: checklist",
        "tool",
        ["closed"],
        [11],
        "closure, checklist, records",
        "What to check before you close a record.",
        """- The ending summary is written and shared with the person.
- Goals are rated one last time.
- Anyone you referred to knows the work has ended.
- The closure reason is recorded.""",
    ),
    (
        "Creating an environment where this approach works",
        "film",
        ["getting_started", "connect", "review"],
        [10, 11, 12],
        "agency, team culture, supervision, film",
        "A short talk for managers on the team conditions that support community work.",
        """Teams that do this well protect time for visits in the community, talk about
connections in supervision and celebrate small wins.

Watch the film with your team and discuss: what would we change first?""",
    ),
]

TAXONOMY = ("Connecting People activity types", "Categories used by our local directory.")
CATEGORIES = [
    "Arts and crafts",
    "Walking and outdoors",
    "Sport and exercise",
    "Volunteering",
    "Learning",
    "Peer support",
    "Faith and culture",
    "Food and cooking",
    "Music",
    "Gardening",
]

ORGANISATIONS = [
    ("Riverside Community Trust", "A local charity running activities at the Riverside Hub."),
    ("Northfield Library Service", "The borough's libraries."),
    ("Eastgate Mind Matters", "A peer-led mental health charity."),
    ("Greenway Allotment Society", "Volunteers who look after the Greenway allotments."),
    ("St Aidan's Church", "A parish church with a busy community hall."),
    ("Borough Leisure", "Council-run leisure centres."),
]

PLACES = [
    (
        "Riverside Hub",
        "14 Mill Lane",
        "Northfield",
        "NF1 2AB",
        "Step-free entrance and accessible toilet.",
    ),
    (
        "Northfield Library",
        "2 Market Square",
        "Northfield",
        "NF1 1AA",
        "Lift to all floors; hearing loop at the desk.",
    ),
    (
        "Eastgate Centre",
        "88 Eastgate Road",
        "Eastgate",
        "EG2 4CD",
        "Ground floor only; quiet room available.",
    ),
    (
        "Greenway Allotments",
        "Greenway Lane",
        "Southmead",
        "SM3 5EF",
        "Raised beds and level paths to the main plots.",
    ),
    ("St Aidan's Hall", "1 Church Street", "Southmead", "SM3 1GH", "Ramp at the side door."),
    (
        "Northfield Leisure Centre",
        "Park Road",
        "Northfield",
        "NF2 3JK",
        "Pool hoist and changing places toilet.",
    ),
]

# name, organisation, place, category, days, opens, closes, free, fee, description
OPPORTUNITIES = [
    (
        "Monday Art Club",
        0,
        0,
        "Arts and crafts",
        "MO",
        "10:00",
        "12:00",
        True,
        "",
        "Drawing and painting for all abilities. Materials provided.",
    ),
    (
        "Knit and Natter",
        0,
        0,
        "Arts and crafts",
        "WE",
        "14:00",
        "16:00",
        True,
        "",
        "Bring a project or learn to knit. Tea and biscuits.",
    ),
    (
        "Riverside Walking Group",
        0,
        0,
        "Walking and outdoors",
        "SA",
        "10:00",
        "11:30",
        True,
        "",
        "A gentle hour's walk by the river, ending with a drink at the Hub.",
    ),
    (
        "Community Lunch",
        0,
        0,
        "Food and cooking",
        "TH",
        "12:00",
        "13:30",
        False,
        "£2.50 for a two-course meal",
        "A hot lunch and company. Everyone welcome.",
    ),
    (
        "Cook and Eat",
        0,
        0,
        "Food and cooking",
        "TU",
        "17:30",
        "19:30",
        False,
        "£1 per session",
        "Learn to cook simple, cheap meals and eat together.",
    ),
    (
        "Riverside Volunteers",
        0,
        0,
        "Volunteering",
        "MO,TU,WE,TH,FR",
        "09:00",
        "17:00",
        True,
        "",
        "Help at the Hub: reception, café or garden. Flexible hours.",
    ),
    (
        "Reading Friends",
        1,
        1,
        "Learning",
        "TU",
        "11:00",
        "12:00",
        True,
        "",
        "A relaxed group reading short stories and poems aloud.",
    ),
    (
        "Computer Help Drop-in",
        1,
        1,
        "Learning",
        "WE",
        "10:00",
        "12:00",
        True,
        "",
        "One-to-one help with phones, tablets and email.",
    ),
    (
        "Family History Club",
        1,
        1,
        "Learning",
        "TH",
        "14:00",
        "16:00",
        True,
        "",
        "Trace your family tree with volunteers who know the records.",
    ),
    (
        "Library Chess Club",
        1,
        1,
        "Learning",
        "SA",
        "13:00",
        "15:00",
        True,
        "",
        "All levels. Boards provided.",
    ),
    (
        "Conversation Café",
        1,
        1,
        "Peer support",
        "FR",
        "10:30",
        "12:00",
        True,
        "",
        "Practise English and meet new people over coffee.",
    ),
    (
        "Hearing Voices Group",
        2,
        2,
        "Peer support",
        "MO",
        "18:00",
        "19:30",
        True,
        "",
        "A peer-led group for people who hear voices.",
    ),
    (
        "Men's Shed",
        2,
        2,
        "Peer support",
        "TU,TH",
        "10:00",
        "15:00",
        True,
        "",
        "Woodwork, repairs and a chat. Open to all, mostly men.",
    ),
    (
        "Women's Wellbeing Circle",
        2,
        2,
        "Peer support",
        "WE",
        "13:00",
        "14:30",
        True,
        "",
        "A supportive space for women to talk and try relaxation.",
    ),
    (
        "Recovery College Courses",
        2,
        2,
        "Learning",
        "MO,WE",
        "10:00",
        "13:00",
        True,
        "",
        "Short courses on living well, co-designed with people with lived experience.",
    ),
    (
        "Eastgate Drumming Circle",
        2,
        2,
        "Music",
        "FR",
        "18:30",
        "20:00",
        False,
        "£3, first session free",
        "No experience needed. Drums provided.",
    ),
    (
        "Community Choir",
        2,
        2,
        "Music",
        "TH",
        "19:00",
        "20:30",
        False,
        "£2 a week",
        "Sing pop and folk songs; no auditions, no reading music.",
    ),
    (
        "Allotment Open Day",
        3,
        3,
        "Gardening",
        "SA",
        "10:00",
        "14:00",
        True,
        "",
        "Come and see the plots; new volunteers welcome.",
    ),
    (
        "Therapeutic Gardening",
        3,
        3,
        "Gardening",
        "TU",
        "10:00",
        "13:00",
        True,
        "",
        "Grow vegetables and flowers in a small supported group.",
    ),
    (
        "Seed Swap Club",
        3,
        3,
        "Gardening",
        "SU",
        "11:00",
        "12:00",
        True,
        "",
        "Swap seeds and cuttings once a month.",
    ),
    (
        "Tuesday Tea Dance",
        4,
        4,
        "Music",
        "TU",
        "14:00",
        "16:00",
        False,
        "£3 including tea",
        "Ballroom and sequence dancing. Partners not needed.",
    ),
    (
        "Community Larder",
        4,
        4,
        "Food and cooking",
        "FR",
        "12:00",
        "14:00",
        False,
        "£4 membership a week",
        "Low-cost food shop for local residents.",
    ),
    (
        "Faith and Friendship Lunch",
        4,
        4,
        "Faith and culture",
        "SU",
        "12:30",
        "14:00",
        True,
        "",
        "A Sunday lunch open to people of any faith or none.",
    ),
    (
        "Bereavement Café",
        4,
        4,
        "Peer support",
        "WE",
        "10:00",
        "11:30",
        True,
        "",
        "A gentle space to talk about loss over a cuppa.",
    ),
    (
        "Crafts for Charity",
        4,
        4,
        "Volunteering",
        "TH",
        "10:00",
        "12:00",
        True,
        "",
        "Make items for local charities; all skills welcome.",
    ),
    (
        "Walking Football",
        5,
        5,
        "Sport and exercise",
        "WE",
        "11:00",
        "12:00",
        False,
        "£3 per session",
        "Football without running. Ages 50 and over particularly welcome.",
    ),
    (
        "Gentle Swim",
        5,
        5,
        "Sport and exercise",
        "MO,FR",
        "09:00",
        "10:00",
        False,
        "£2.20 with a Leisure Card",
        "Quiet lanes and a warm pool.",
    ),
    (
        "Chair Yoga",
        5,
        5,
        "Sport and exercise",
        "TH",
        "10:30",
        "11:30",
        False,
        "£2",
        "Seated yoga for all bodies.",
    ),
    (
        "Park Run Volunteers",
        5,
        5,
        "Volunteering",
        "SA",
        "08:30",
        "10:00",
        True,
        "",
        "Marshal, scan or time the weekly 5k run in the park.",
    ),
    (
        "Beginners' Badminton",
        5,
        5,
        "Sport and exercise",
        "SU",
        "15:00",
        "16:30",
        False,
        "£4 including racket hire",
        "Friendly sessions for people new to the game.",
    ),
]


def seed(*, stdout, **options):
    ensure_practice_areas(PracticeArea)
    _seed_resources()
    count = _seed_directory()
    stdout.write(f"Toolkit: 12 practice areas, {len(RESOURCES)} resources, {count} opportunities.")


def _seed_resources():
    from accounts.models import User

    curator = User.objects.filter(username="curator.erin").first()
    areas = {area.number: area for area in PracticeArea.objects.all()}
    today = timezone.localdate()
    for index, (title, kind, stages, area_numbers, tags, summary, body) in enumerate(RESOURCES):
        resource, created = Resource.objects.update_or_create(
            public_id=demo_id("resource", index),
            defaults={
                "title": title,
                "kind": kind,
                "tags": tags,
                "summary": summary,
                "body": body,
                "status": Resource.Status.PUBLISHED,
                "external_url": "https://example.org/films/connecting-environments"
                if kind == "film"
                else "",
                "review_by": today + datetime.timedelta(days=30 * ((index % 12) - 1)),
                "created_by": curator,
                "updated_by": curator,
            },
        )
        resource.stage_tags.exclude(stage__in=stages).delete()
        for code in stages:
            ResourceStage.objects.get_or_create(resource=resource, stage=code)
        resource.practice_areas.set([areas[n] for n in area_numbers])
        if created:
            _record_version(resource, by=curator, action="created")


def _seed_directory():
    taxonomy, _ = Taxonomy.objects.update_or_create(
        public_id=demo_id("taxonomy"), defaults={"name": TAXONOMY[0], "description": TAXONOMY[1]}
    )
    terms = {}
    for name in CATEGORIES:
        terms[name], _ = TaxonomyTerm.objects.update_or_create(
            public_id=demo_id("term", name),
            defaults={"name": name, "taxonomy": taxonomy, "code": name.lower()},
        )
    orgs = []
    for index, (name, description) in enumerate(ORGANISATIONS):
        org, _ = Organization.objects.update_or_create(
            public_id=demo_id("org", index),
            defaults={
                "name": name,
                "description": description,
                "email": f"hello@org{index}.example.org",
            },
        )
        orgs.append(org)
    places = []
    for index, (name, street, town, postcode, access) in enumerate(PLACES):
        place, _ = Location.objects.update_or_create(
            public_id=demo_id("place", index),
            defaults={
                "name": name,
                "address_1": street,
                "city": town,
                "postal_code": postcode,
                "country": "GB",
                "address_public_id": demo_id("address", index),
            },
        )
        Accessibility.objects.update_or_create(
            public_id=demo_id("access", index), defaults={"location": place, "description": access}
        )
        places.append(place)
    verified = timezone.localdate() - datetime.timedelta(days=20)
    for index, row in enumerate(OPPORTUNITIES):
        name, org, place, category, days, opens, closes, free, fee, description = row
        service, _ = Service.objects.update_or_create(
            public_id=demo_id("service", index),
            defaults={
                "name": name,
                "organization": orgs[org],
                "description": description,
                "is_free": free,
                "fees_description": fee,
                "eligibility_description": "Adults; no referral needed.",
                "minimum_age": 18,
                "phone": f"01632 960{index:03d}",
                "assured_date": verified - datetime.timedelta(days=index * 7),
                "last_modified": timezone.now(),
            },
        )
        Schedule.objects.update_or_create(
            public_id=demo_id("schedule", index),
            defaults={
                "service": service,
                "freq": Schedule.Freq.WEEKLY,
                "interval": 1,
                "byday": days,
                "opens_at": datetime.time.fromisoformat(opens),
                "closes_at": datetime.time.fromisoformat(closes),
                "description": "Not on bank holidays.",
            },
        )
        Contact.objects.update_or_create(
            public_id=demo_id("contact", index),
            defaults={"service": service, "name": "Group organiser", "title": "Organiser"},
        )
        price = re.search(r"£(\d+(?:\.\d+)?)", fee)
        if price:
            CostOption.objects.update_or_create(
                public_id=demo_id("cost", index),
                defaults={
                    "service": service,
                    "option": "Everyone",
                    "amount": Decimal(price.group(1)),
                    "amount_description": "per session",
                },
            )
        ServiceAtLocation.objects.update_or_create(
            public_id=demo_id("sal", index),
            defaults={"service": service, "location": places[place]},
        )
        service.categories.set([terms[category]])
        service_refresh_search_text(service)
    return len(OPPORTUNITIES)
