"""factory_boy factories for the project's users, pages, spaces, memberships and
shifts. Pages need `parent=`: `GroupPageFactory(parent=finder, title="...")`."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
import wagtail_factories
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from home.models import HomePage, StandardPage
from peer_support.accounts.models import User
from peer_support.accounts.roles import (
    EDITOR,
    PEER_WORKER,
    PROFESSIONAL,
    ROTA_COORDINATOR,
    SAFEGUARDING_LEAD,
)
from peer_support.courses.models import (
    CourseIndexPage,
    CoursePage,
    CourseTopic,
    LiveSession,
)
from peer_support.groups.models import (
    GroupFormat,
    GroupIndexPage,
    GroupPage,
    Topic,
    Venue,
)
from peer_support.rotas.models import Duty, Shift, ShiftAssignment
from peer_support.spaces.models import (
    JoinPolicy,
    Membership,
    MembershipStatus,
    SpaceFacilitator,
    SpacePage,
    SpaceRole,
)

LONDON = ZoneInfo("Europe/London")

PASSWORD = "a-long-test-password-1"


def roles_hook(default_roles: list[str]):
    """Put the member in these role groups; `roles=[...]` at call time overrides."""

    @factory.post_generation
    def roles(user, create, extracted, **kwargs):
        user.save()
        for role in default_roles if extracted is None else extracted:
            user.groups.add(Group.objects.get_or_create(name=role)[0])

    return roles


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    pseudonym = factory.Sequence(lambda n: f"Member {n:04d}")
    terms_version = "test"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    roles = roles_hook([])


class ProfessionalFactory(UserFactory):
    roles = roles_hook([PROFESSIONAL])


class PeerWorkerFactory(UserFactory):
    is_staff = True
    roles = roles_hook([PEER_WORKER])


class SafeguardingLeadFactory(UserFactory):
    is_staff = True
    roles = roles_hook([SAFEGUARDING_LEAD, PEER_WORKER])


class RotaCoordinatorFactory(UserFactory):
    is_staff = True
    roles = roles_hook([ROTA_COORDINATOR, PEER_WORKER])


class EditorFactory(UserFactory):
    is_staff = True
    roles = roles_hook([EDITOR])


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Welcome"


# Pages: `parent=` is the page to add the new page under.


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = "About us"
    intro = "Who we are and how we work."


class GroupIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = GroupIndexPage

    title = "Find a group"
    slug = "groups"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = "Anxiety"
    slug = factory.LazyAttribute(lambda topic: slugify(topic.name))


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    class Params:
        lat = "53.800"
        lng = "-1.549"

    town = "Leeds"
    name = factory.LazyAttribute(lambda venue: f"{venue.town} Community Centre")
    address = factory.LazyAttribute(
        lambda venue: f"12 Secret Street, {venue.town} LS1 1AA"
    )
    latitude = factory.LazyAttribute(lambda venue: Decimal(venue.lat))
    longitude = factory.LazyAttribute(lambda venue: Decimal(venue.lng))


class GroupPageFactory(wagtail_factories.PageFactory):
    """A live online group meeting on Wednesdays at 7 pm; `topics=[...]` tags it and
    publishes a revision."""

    class Meta:
        model = GroupPage
        skip_postgeneration_save = True

    title = "Hearing Voices"
    summary = factory.LazyAttribute(
        lambda group: f"{group.title}: a peer support group."
    )
    format = GroupFormat.ONLINE
    meeting_link = "https://meet.example.org/secret-room"
    weekday = 2
    start_time = time(19, 0)
    duration_minutes = 90
    starts_on = date(2026, 1, 1)

    @factory.post_generation
    def topics(group, create, extracted, **kwargs):
        if create and extracted:
            group.topics.set(extracted)
            group.save_revision().publish()


class SpacePageFactory(wagtail_factories.PageFactory):
    """A live open space; `facilitator=worker` adds a facilitator."""

    class Meta:
        model = SpacePage
        skip_postgeneration_save = True

    title = "Evening group"
    slug = ""  # Wagtail makes a unique one from the title
    join_policy = JoinPolicy.OPEN

    @factory.post_generation
    def facilitator(space, create, extracted, **kwargs):
        if create and extracted is not None:
            SpaceFacilitator.objects.create(page_id=space.pk, worker=extracted)


class FacilitatedSpaceFactory(SpacePageFactory):
    """A space with a peer worker facilitating it (a new one unless given)."""

    @factory.post_generation
    def facilitator(space, create, extracted, **kwargs):
        if create:
            worker = extracted or PeerWorkerFactory()
            SpaceFacilitator.objects.create(page_id=space.pk, worker=worker)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.refresh_from_db()


class SpaceFacilitatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpaceFacilitator

    page = factory.SubFactory(SpacePageFactory)
    worker = factory.SubFactory(PeerWorkerFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    """An active member of a space (a group or a course)."""

    class Meta:
        model = Membership

    space = factory.SubFactory(SpacePageFactory)
    member = factory.SubFactory(UserFactory)
    role = SpaceRole.MEMBER
    status = MembershipStatus.ACTIVE


class CourseIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CourseIndexPage

    title = "Courses"
    slug = "courses"


class CoursePageFactory(wagtail_factories.PageFactory):
    """A live course starting 25 March 2026 with `topics` discussion topics and
    `sessions` live sessions at 6 pm London time, one a week from the start day."""

    class Meta:
        model = CoursePage

    title = "Using the Internet in mental health practice"
    slug = ""  # Wagtail makes a unique one from the title
    summary = "A week of discussion for practitioners and service users."
    enrolment_opens_at = datetime(2026, 3, 1, 9, tzinfo=LONDON)
    enrolment_closes_at = datetime(2026, 3, 24, 17, tzinfo=LONDON)
    starts_on = date(2026, 3, 25)
    ends_on = factory.LazyAttribute(lambda course: course.starts_on + timedelta(days=7))
    consent_text = "I agree that the course team may read my posts."
    capacity = 32
    max_service_users = 20
    max_professionals = 12
    max_professional_share = 50
    certificate_min_live_sessions = 2
    topics = 3
    sessions = 2

    @classmethod
    def _create_instance(cls, model_class, parent, kwargs):
        topics, sessions = kwargs.pop("topics"), kwargs.pop("sessions")
        course = model_class(**kwargs)
        for number in range(topics):
            course.topics.add(
                CourseTopic(
                    week=1 + number // 12,
                    title=f"Topic {number + 1}",
                    prompt=f"What do you think about topic {number + 1}?",
                )
            )
        for number in range(sessions):
            day = course.starts_on + timedelta(days=7 * number)
            course.live_sessions.add(
                LiveSession(
                    title=f"Live session {number + 1}",
                    starts_at=datetime(day.year, day.month, day.day, 18, tzinfo=LONDON),
                    duration=timedelta(hours=1),
                    webcast_url=f"https://webcast.example.org/session-{number + 1}",
                )
            )
        parent.add_child(instance=course)
        return course


class ShiftFactory(factory.django.DjangoModelFactory):
    """A moderation shift of `hours` real hours, two days from now. Times are in UTC
    so that `hours` are real hours even across a clock change."""

    class Meta:
        model = Shift

    class Params:
        hours = 3

    duty = Duty.MODERATION
    space = None
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    end = factory.LazyAttribute(
        lambda shift: shift.start.astimezone(UTC) + timedelta(hours=shift.hours)
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs["start"] = kwargs["start"].astimezone(UTC)
        return super()._create(model_class, *args, **kwargs)


class ShiftAssignmentFactory(factory.django.DjangoModelFactory):
    """A worker on a shift, written directly (the services check eligibility)."""

    class Meta:
        model = ShiftAssignment

    shift = factory.SubFactory(ShiftFactory)
    worker = factory.SubFactory(PeerWorkerFactory)
