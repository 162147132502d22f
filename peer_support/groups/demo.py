"""Demo group finder for `make run`: a dozen and more varied groups. Idempotent: each
thing is found by its natural key (slug, name, email) before it is made."""

from datetime import date, time
from decimal import Decimal

from home.models import HomePage
from peer_support.accounts.models import User
from peer_support.spaces.models import (
    GroundRules,
    JoinPolicy,
    Membership,
    MembershipStatus,
    SpaceFacilitator,
)

from .models import GroupFormat, GroupIndexPage, GroupPage, Topic, Venue

GROUND_RULES = (
    "<ol><li>What is said in the group stays in the group.</li>"
    "<li>Speak from your own experience; there are no experts here.</li>"
    "<li>Listen without fixing; advice only when it is asked for.</li>"
    "<li>You can pass, and you can leave the room at any time.</li>"
    "<li>If you are worried about someone's safety, tell a facilitator.</li></ol>"
)

TOPICS = [
    "Hearing voices",
    "Anxiety",
    "Bipolar",
    "Carers",
    "LGBTQ+",
    "Young adults",
    "Men's group",
    "Creative",
    "Walking",
    "Low mood",
]

# name, town, latitude, longitude, accessibility
VENUES = [
    (
        "Millgate Community Centre",
        "Leeds",
        "53.7997",
        "-1.5492",
        "Step-free entrance, accessible toilet, hearing loop.",
    ),
    (
        "Riverside Library meeting room",
        "York",
        "53.9600",
        "-1.0873",
        "Lift to first floor; quiet room next door.",
    ),
    (
        "Canal Street Hub",
        "Manchester",
        "53.4774",
        "-2.2370",
        "Ground floor, accessible toilet, gender-neutral toilets.",
    ),
    (
        "St Nicholas Hall",
        "Bristol",
        "51.4545",
        "-2.5879",
        "Two steps at the entrance with a portable ramp.",
    ),
    (
        "Quayside Wellbeing Centre",
        "Newcastle",
        "54.9700",
        "-1.6100",
        "Step-free; free parking behind the building.",
    ),
    (
        "Park Lodge",
        "Sheffield",
        "53.3811",
        "-1.4701",
        "Meets at the park gate; the walk is on flat, paved paths.",
    ),
]

ONLINE, IN_PERSON, HYBRID = (
    GroupFormat.ONLINE,
    GroupFormat.IN_PERSON,
    GroupFormat.HYBRID,
)
OPEN, REQUEST, INVITE, CLOSED = (
    JoinPolicy.OPEN,
    JoinPolicy.REQUEST,
    JoinPolicy.INVITE,
    JoinPolicy.CLOSED,
)

# title, topics, format, town, weekday, start, frequency, policy, capacity, summary
GROUPS = [
    (
        "Hearing Voices Evening",
        ["Hearing voices"],
        ONLINE,
        None,
        1,
        time(19, 0),
        "weekly",
        REQUEST,
        12,
        "A calm online space to talk about voices and visions.",
    ),
    (
        "Hearing Voices Leeds",
        ["Hearing voices"],
        IN_PERSON,
        "Leeds",
        3,
        time(14, 0),
        "weekly",
        REQUEST,
        10,
        "Meet others who hear voices, over tea and biscuits.",
    ),
    (
        "Anxiety Check-in",
        ["Anxiety", "Low mood"],
        ONLINE,
        None,
        0,
        time(12, 30),
        "weekly",
        OPEN,
        20,
        "A short lunchtime check-in for anyone living with anxiety.",
    ),
    (
        "Anxiety Circle York",
        ["Anxiety"],
        HYBRID,
        "York",
        2,
        time(18, 30),
        "weekly",
        OPEN,
        14,
        "Come in person or join from home; cameras optional.",
    ),
    (
        "Bipolar Peer Support",
        ["Bipolar"],
        HYBRID,
        "Manchester",
        4,
        time(18, 0),
        "fortnightly",
        REQUEST,
        12,
        "Sharing what helps with the ups and downs.",
    ),
    (
        "Carers' Coffee Morning",
        ["Carers"],
        IN_PERSON,
        "Bristol",
        5,
        time(10, 30),
        "fortnightly",
        OPEN,
        None,
        "For people caring for someone with mental ill-health.",
    ),
    (
        "Carers Online",
        ["Carers"],
        ONLINE,
        None,
        3,
        time(20, 0),
        "weekly",
        OPEN,
        25,
        "An evening hour for carers, once the day is done.",
    ),
    (
        "Rainbow Minds",
        ["LGBTQ+"],
        IN_PERSON,
        "Manchester",
        2,
        time(19, 0),
        "weekly",
        REQUEST,
        15,
        "Peer support by and for LGBTQ+ people.",
    ),
    (
        "Young Adults Online",
        ["Young adults", "Anxiety"],
        ONLINE,
        None,
        2,
        time(19, 30),
        "weekly",
        REQUEST,
        10,
        "For people aged 18 to 25, at your own pace.",
    ),
    (
        "Men's Talking Shed",
        ["Men's group", "Low mood"],
        IN_PERSON,
        "Newcastle",
        1,
        time(18, 30),
        "weekly",
        OPEN,
        12,
        "A relaxed space for men to talk, or just be.",
    ),
    (
        "Creative Corner",
        ["Creative"],
        IN_PERSON,
        "Leeds",
        4,
        time(10, 0),
        "weekly",
        OPEN,
        8,
        "Drawing, writing and making, with no skill needed.",
    ),
    (
        "Sunday Wellbeing Walk",
        ["Walking", "Low mood"],
        IN_PERSON,
        "Sheffield",
        6,
        time(11, 0),
        "weekly",
        OPEN,
        None,
        "A gentle hour's walk and a chat in the park.",
    ),
    (
        "Riverside Walkers",
        ["Walking"],
        IN_PERSON,
        "York",
        5,
        time(9, 30),
        "fortnightly",
        CLOSED,
        12,
        "Our walking group is full for now; do ask again later.",
    ),
    (
        "Bipolar Follow-on Group",
        ["Bipolar"],
        ONLINE,
        None,
        0,
        time(19, 0),
        "weekly",
        INVITE,
        8,
        "By invitation for people who finished the bipolar course.",
    ),
]

FACILITATORS = [
    "peer@demo.invalid",
    "peer1@demo.invalid",
    "peer2@demo.invalid",
    "peer3@demo.invalid",
    "peer4@demo.invalid",
]


def slugify_title(title: str) -> str:
    from django.utils.text import slugify

    return slugify(title)


def load() -> list[str]:
    home = HomePage.objects.first()
    if home is None:
        return []
    rules = GroundRules.objects.filter(title="Our shared ground rules").first()
    if rules is None:
        rules = GroundRules.objects.create(
            title="Our shared ground rules", body=GROUND_RULES
        )
        rules.save_revision().publish()
    topics = {
        name: Topic.objects.get_or_create(
            name=name, defaults={"slug": slugify_title(name.replace("+", " plus"))}
        )[0]
        for name in TOPICS
    }
    venues = {}
    for name, town, lat, lng, access in VENUES:
        venues[town] = Venue.objects.get_or_create(
            name=name,
            defaults={
                "town": town,
                "address": f"{name}\n1 High Street\n{town}",
                "latitude": Decimal(lat),
                "longitude": Decimal(lng),
                "accessibility": access,
            },
        )[0]
    finder = GroupIndexPage.objects.child_of(home).first()
    if finder is None:
        finder = home.add_child(
            instance=GroupIndexPage(
                title="Find a group",
                slug="groups",
                show_in_menus=True,
                intro="Groups meet online, in person, or both. Filter by what matters "
                "to you; you can join under your pseudonym.",
            )
        )
        finder.save_revision().publish()
    workers = list(User.objects.filter(email__in=FACILITATORS).order_by("email"))
    made = 0
    for number, row in enumerate(GROUPS):
        title, names, fmt, town, weekday, start, frequency, policy, cap, summary = row
        slug = slugify_title(title)
        if GroupPage.objects.filter(slug=slug).exists():
            continue
        online = fmt in (ONLINE, HYBRID)
        group = finder.add_child(
            instance=GroupPage(
                title=title,
                slug=slug,
                summary=summary,
                who_for="Anyone 18 or over who feels this group is for them. "
                "You don't need a diagnosis.",
                format=fmt,
                venue=venues.get(town),
                meeting_link=f"https://meet.example.org/{slug}" if online else "",
                frequency=frequency,
                weekday=weekday,
                start_time=start,
                duration_minutes=90,
                starts_on=date(2026, 1, 5),
                join_policy=policy,
                capacity=cap,
                ground_rules=rules,
            )
        )
        group.topics.set([topics[name] for name in names])
        if workers:
            group.facilitators = [
                SpaceFacilitator(worker=workers[number % len(workers)])
            ]
        group.save_revision().publish()
        made += 1
    member = User.objects.filter(email="member@demo.invalid").first()
    first = GroupPage.objects.filter(slug="hearing-voices-evening").first()
    if member and first:
        Membership.objects.get_or_create(
            space=first,
            member=member,
            defaults={
                "status": MembershipStatus.ACTIVE,
                "joined_at": first.first_published_at,
            },
        )
    return [f"Group finder at {finder.url}: {made} groups added."]
