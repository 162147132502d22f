"""The site as a visitor, a member and a peer worker see it, for browser tests."""

from datetime import timedelta

from django.utils import timezone

from home import demo
from peer_support.courses.models import CourseIndexPage
from peer_support.groups.models import GroupFormat
from peer_support.rotas.models import AssignmentStatus, Duty, Shift, ShiftAssignment
from peer_support.spaces.models import (
    JoinPolicy,
    MemberNotice,
    Membership,
    MembershipStatus,
)
from tests.conftest import wagtail_tree_ensure
from tests.factories import PeerWorkerFactory, UserFactory
from tests.site_builders import (
    course_build,
    finder_make,
    group_make,
    topic_make,
    venue_make,
)


def site_build() -> dict:
    home = wagtail_tree_ensure()
    finder = finder_make(home)
    finder.show_in_menus = True
    finder.save_revision().publish()
    courses = home.add_child(
        instance=CourseIndexPage(title="Courses", slug="courses", show_in_menus=True)
    )
    today = timezone.localdate()
    anxiety = topic_make("Anxiety")
    york = venue_make(town="York", lat="53.9600", lng="-1.0873")
    groups = [
        group_make(
            finder,
            title="Calm Corner",
            summary="A gentle evening space to talk about anxiety and worry.",
            weekday=(today + timedelta(days=1)).weekday(),
            topics=[anxiety],
            join_policy=JoinPolicy.OPEN,
        ),
        group_make(
            finder,
            title="York Walk and Talk",
            summary="We walk by the river and talk, whatever the weather.",
            format=GroupFormat.IN_PERSON,
            venue=york,
            meeting_link="",
            weekday=(today + timedelta(days=2)).weekday(),
        ),
        group_make(
            finder,
            title="Hearing Voices Online",
            summary="Sharing ways of living with voices, with people who hear them.",
            weekday=(today + timedelta(days=4)).weekday(),
            capacity=8,
        ),
    ]
    course = course_build(
        courses,
        title="Living Well Online",
        starts_on=today + timedelta(days=6),
        enrolment_opens_at=timezone.now() - timedelta(days=2),
        enrolment_closes_at=timezone.now() + timedelta(days=5),
    )
    demo.load()
    demo.home_sections_load()

    member = UserFactory(pseudonym="Quiet Heron")
    Membership.objects.create(
        space=groups[0], member=member, status=MembershipStatus.ACTIVE
    )
    Membership.objects.create(
        space=course, member=member, status=MembershipStatus.ACTIVE
    )
    Membership.objects.create(
        space=groups[2],
        member=member,
        status=MembershipStatus.WAITLISTED,
        waitlisted_at=timezone.now(),
        offer_expires_at=timezone.now() + timedelta(days=3),
    )
    MemberNotice.objects.create(
        member=member,
        space=groups[2],
        subject="A place is free in Hearing Voices Online",
        body="Accept it within three days to keep it.",
    )
    MemberNotice.objects.create(
        member=member,
        space=groups[0],
        subject="Welcome to Calm Corner",
        body="We meet every week. Come as you are.",
        read_at=timezone.now(),
    )

    worker = PeerWorkerFactory(pseudonym="Maple Owl")
    start = timezone.now() + timedelta(days=1)
    shift = Shift.objects.create(
        duty=Duty.MODERATION, start=start, end=start + timedelta(hours=3)
    )
    ShiftAssignment.objects.create(
        shift=shift, worker=worker, status=AssignmentStatus.ACTIVE
    )
    return {
        "home": home,
        "finder": finder,
        "groups": groups,
        "courses": courses,
        "course": course,
        "member": member,
        "worker": worker,
    }


def sign_in(page, base_url: str, user) -> None:
    from tests.factories import PASSWORD

    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def admin_sign_in(page, base_url: str, user) -> None:
    """Sign `user` in to the Wagtail admin, as they would."""
    from tests.factories import PASSWORD

    page.goto(f"{base_url}/admin/login/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")


def admin_csp_violations(page) -> list[str]:
    """What the browser reports the Content-Security-Policy refused on this page's
    admin screens, filled in as the test goes on."""
    found = []

    def note(message):
        # Gravatar avatars are a site-wide setting, not an admin screen's doing.
        text = message.text
        if "Content Security Policy" in text and "gravatar.com" not in text:
            found.append(text)

    page.on("console", note)
    return found
