from io import StringIO

import pytest

from home.management.commands.load_demo import DEMO_LOADERS
from peer_support.accounts.models import User
from peer_support.chat import demo as chat_demo
from peer_support.courses.models import (
    CoursePage,
    CourseTopic,
    LiveSession,
    LiveSessionAttendance,
)

pytestmark = pytest.mark.django_db


def test_demo_course_has_table_one_and_the_professional_can_get_a_certificate(
    client, home_page
):
    from django.core.management import call_command

    assert "peer_support.courses.demo.load" in DEMO_LOADERS
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())

    assert CoursePage.objects.count() == 2
    assert CourseTopic.objects.count() == 24
    assert LiveSession.objects.count() == 5  # and the drop-in session on now
    assert LiveSessionAttendance.objects.count() == 2
    upcoming = CoursePage.objects.get(slug="internet-in-mental-health-practice")
    assert upcoming.starts_on.weekday() == 2  # a Wednesday
    weekly = upcoming.live_sessions.exclude(title=chat_demo.TITLE)
    assert [s.starts_at.astimezone().hour for s in weekly] == [18, 18]
    drop_in = upcoming.live_sessions.get(title=chat_demo.TITLE)
    assert drop_in.is_on()
    assert drop_in.chat.pinned_post.comment == chat_demo.QUESTION
    assert drop_in.chat.thread.posts.filter(status="published").count() == 4
    assert "Map of Medicine" in client.get(upcoming.url).content.decode()

    past = CoursePage.objects.exclude(pk=upcoming.pk).get()
    client.force_login(User.objects.get(email="professional@demo.invalid"))
    response = client.get(f"{past.url}certificate/")
    assert response.status_code == 200
    assert "Blue Kestrel" in response.content.decode()
