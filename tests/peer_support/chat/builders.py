"""A course with a live session on now, its moderator (a facilitator on duty), a
host, and enrolled members."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from peer_support.chat.models import ChatRoom
from peer_support.courses.models import CoursePage, LiveSession
from peer_support.spaces.models import SpaceFacilitator
from tests.factories import CourseIndexPageFactory, CoursePageFactory, PeerWorkerFactory
from tests.peer_support.discussion.builders import member_make, on_duty_make


@dataclass
class ChatWorld:
    course: CoursePage
    session: LiveSession
    moderator: object
    host: object
    members: list = field(default_factory=list)

    @property
    def room(self):
        return ChatRoom.objects.for_session(self.session)


def chat_world(home_page, *, covered=True, members=2, started_ago=10, slug="c"):
    index = CourseIndexPageFactory(parent=home_page, slug=f"courses-{slug}")
    course = CoursePageFactory(parent=index, sessions=0, topics=1)
    moderator = PeerWorkerFactory()
    SpaceFacilitator.objects.create(page_id=course.pk, worker=moderator)
    if covered:
        on_duty_make(course, worker=moderator)
    host = PeerWorkerFactory()
    session = LiveSession.objects.create(
        page=course,
        title="Wednesday webcast",
        starts_at=timezone.now() - timedelta(minutes=started_ago),
        duration=timedelta(hours=1),
        webcast_url="https://webcast.example.org/live",
        host=host,
    )
    world = ChatWorld(course=course, session=session, moderator=moderator, host=host)
    world.members = [member_make(course) for _ in range(members)]
    return world
