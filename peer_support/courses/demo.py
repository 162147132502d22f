"""Demo courses modelled on seed 000: a week-long online course where mental-health
professionals and service users discuss using the Internet in mental-health practice,
opening and closing with a 6 pm Wednesday live webcast."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from home.models import HomePage
from peer_support.accounts.models import User
from peer_support.spaces.models import (
    JoinPolicy,
    Membership,
    MembershipStatus,
    SpaceFacilitator,
    SpaceRole,
)

from .models import CourseIndexPage, CoursePage, CourseTopic, LiveSession
from .services import attendance_record

LONDON = ZoneInfo("Europe/London")
TITLE = "Using the Internet in mental health practice"

SUMMARY = (
    "A week-long online course where mental health professionals and people who use "
    "mental health services learn from each other about online therapies, forums, "
    "email, video calls and online records. Everyone takes part under an anonymous "
    "username."
)

CONSENT = (
    "I agree to take part under my pseudonym and to follow the ground rules. I "
    "understand that the course moderators read every post, that live-session chat "
    "may be summarised into the discussion, and that my email address is used only "
    "to contact me about the course and is never shown to other participants."
)

# Table 1 of seed 000, in order.
TOPICS = [
    (
        "CCBT and online therapies",
        "Does anyone have experience of using or recommending Living Life To The Full "
        "or Moodgym, or any other CCBT (computerised cognitive behaviour therapy)? "
        "Describe and discuss those experiences. If no experience in the group, then "
        "discuss whether you see a role for this, and why (perhaps) you have not used "
        "or recommended it up to now.",
    ),
    (
        "Discussion forums",
        "Do you think discussion forums are useful for people with mental health "
        "problems? Do any of you think that maybe, in some circumstances, a mental "
        "health professional should suggest signing up to a forum? Or is it just for "
        "that person to make their own decision?",
    ),
    (
        "Lifestyle change intervention websites",
        "Given the evidence, and the limitations of the evidence, that you have heard "
        "so far, but taking into account the low marginal costs of such e-health "
        "interventions, do you think Internet based 'lifestyle changes' (diet, "
        "alcohol, smoking, sexual behaviour etc) programs can be useful? Might they "
        "have some role in mental health services?",
    ),
    (
        "Webcast group therapy",
        "Practitioners: how would you feel about running a 'therapy' group webcast for "
        "a small group of your patients, where you were 'known' and in the video "
        "window, but they were anonymous? Mental health service users: how would you "
        "feel about taking part in such a session?",
    ),
    (
        "Videophone",
        "Do you think Skype (Internet video calls) between patients and mental health "
        "professionals is worthwhile?",
    ),
    (
        "Email",
        "What do you think about the use of email between patients and mental health "
        "professionals?",
    ),
    (
        "Computer-patient interviewing",
        "Do you think computer-patient interviewing could play a role in mental health "
        "services?",
    ),
    (
        "Map of Medicine",
        "Do you think aids such as the Map of Medicine could play a role in mental "
        "health services?",
    ),
    (
        "Patient access to their online medical records",
        "How would you feel about the sharing of online medical records between "
        "mental health professionals and patients?",
    ),
    (
        "Barriers to Internet use in mental health practice",
        "What do you think prevents greater use of the Internet in mental health "
        "practice and how can it be overcome?",
    ),
    (
        "Use of the Internet for particular groups",
        "Are there particular groups of patients for whom the Internet would be most "
        "useful? And are there other groups for whom the Internet would not be "
        "useful? What are those groups and what are the differences?",
    ),
    (
        "Implementation and requirements for supporting Internet uses",
        "Given what you have heard over the last week how would you like to see the "
        "Internet being used in mental health services? What would be needed to "
        "support these uses of the Internet?",
    ),
]


def wednesday_on_or_after(day: date) -> date:
    return day + timedelta(days=(2 - day.weekday()) % 7)


def at_london(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def course_ensure(index, *, slug, title, starts_on, host) -> CoursePage:
    existing = CoursePage.objects.filter(slug=slug).first()
    if existing:
        return existing
    ends_on = starts_on + timedelta(days=7)
    course = CoursePage(
        title=title,
        slug=slug,
        summary=SUMMARY,
        enrolment_opens_at=at_london(starts_on - timedelta(days=21), 9),
        enrolment_closes_at=at_london(starts_on, 12),
        starts_on=starts_on,
        ends_on=ends_on,
        consent_text=CONSENT,
        join_policy=JoinPolicy.OPEN,
        capacity=32,
        max_service_users=20,
        max_professionals=12,
        max_professional_share=50,
        certificate_min_live_sessions=2,
    )
    for number, (topic_title, prompt) in enumerate(TOPICS):
        course.topics.add(
            CourseTopic(week=1, title=topic_title, prompt=prompt, sort_order=number)
        )
    for number, (session_title, day) in enumerate(
        [("Opening webcast", starts_on), ("Closing webcast", ends_on)]
    ):
        course.live_sessions.add(
            LiveSession(
                title=session_title,
                starts_at=at_london(day, 18),
                duration=timedelta(hours=1),
                webcast_url=f"https://webcast.example.org/{slug}/{number + 1}",
                host=host,
                sort_order=number,
            )
        )
    if host is not None:
        course.facilitators.add(SpaceFacilitator(worker=host))
    index.add_child(instance=course)
    course.save_revision().publish()
    return course


def membership_ensure(course, member, role) -> None:
    Membership.objects.get_or_create(
        space=course,
        member=member,
        defaults={
            "role": role,
            "status": MembershipStatus.ACTIVE,
            "joined_at": timezone.now(),
        },
    )


def load() -> list[str]:
    home = HomePage.objects.get()
    index = CourseIndexPage.objects.filter(slug="courses").first()
    if index is None:
        index = home.add_child(
            instance=CourseIndexPage(
                title="Courses",
                slug="courses",
                intro="Week-long online courses where people who use mental health "
                "services and mental health professionals learn together, "
                "anonymously.",
            )
        )
    host = User.objects.filter(email="peer@demo.invalid").first()
    professional = User.objects.filter(email="professional@demo.invalid").first()
    member = User.objects.filter(email="member@demo.invalid").first()

    today = timezone.localdate()
    upcoming = course_ensure(
        index,
        slug="internet-in-mental-health-practice",
        title=TITLE,
        starts_on=wednesday_on_or_after(today + timedelta(days=3)),
        host=host,
    )
    past = course_ensure(
        index,
        slug="internet-in-mental-health-practice-earlier-run",
        title=f"{TITLE} (earlier run)",
        starts_on=wednesday_on_or_after(today - timedelta(days=42)),
        host=host,
    )
    if member is not None:
        membership_ensure(upcoming, member, SpaceRole.MEMBER)
        membership_ensure(past, member, SpaceRole.MEMBER)
    if professional is not None and host is not None:
        membership_ensure(past, professional, SpaceRole.PROFESSIONAL)
        for session in past.live_sessions.all():
            # Recording again keeps the first record, so this stays idempotent.
            attendance_record(
                session=session,
                member=professional,
                marked_by=host,
                at=session.ends_at,
            )
    return [
        "",
        f"Course: {upcoming.url} (starts {upcoming.starts_on:%A %d %B %Y})",
        f"Certificate for professional@demo.invalid: {past.url}certificate/",
    ]
