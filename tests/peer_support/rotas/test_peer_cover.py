"""The home page and a group page agree about peer workers being around: each says
which kind of cover it means, from one selector."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peer_support.rotas import services
from peer_support.rotas.models import Duty
from peer_support.rotas.selectors import peer_cover
from tests.factories import (
    GroupIndexPageFactory,
    GroupPageFactory,
    PeerWorkerFactory,
    SafeguardingLeadFactory,
    ShiftAssignmentFactory,
    ShiftFactory,
)

pytestmark = pytest.mark.django_db

DISCUSSIONS_NOW = "A peer worker is reading the discussions now."
GROUP_NONE = "No peer worker is on this group's rota just now."


def on_now(**fields):
    worker = PeerWorkerFactory()
    shift = ShiftFactory(start=timezone.now() - timedelta(hours=1), **fields)
    services.shift_assign(
        shift_id=shift.pk, worker=worker, actor=worker, confirm_warnings=True
    )
    return worker


@pytest.fixture
def group(home_page):
    return GroupPageFactory(
        parent=GroupIndexPageFactory(parent=home_page), title="Evening Voices"
    )


def test_moderation_duty_shows_the_same_on_home_and_group_pages(
    client, home_page, group
):
    on_now(duty=Duty.MODERATION)

    home = client.get(home_page.url).content.decode()
    page = client.get(group.url).content.decode()

    assert DISCUSSIONS_NOW in home
    assert DISCUSSIONS_NOW in page
    assert GROUP_NONE in page  # says which kind of cover it lacks
    assert "A peer worker is around now" not in home


def test_another_groups_cover_is_not_counted_as_the_discussions(
    client, home_page, group
):
    other = GroupPageFactory(
        parent=GroupIndexPageFactory(parent=home_page, title="More", slug="more"),
        title="Other group",
    )
    on_now(duty=Duty.SPACE_COVER, space=other)

    home = client.get(home_page.url).content.decode()
    page = client.get(group.url).content.decode()

    assert DISCUSSIONS_NOW not in home
    assert DISCUSSIONS_NOW not in page
    assert GROUP_NONE in page
    assert (
        "A peer worker is with this group now."
        in client.get(other.url).content.decode()
    )


def test_safeguarding_duty_is_not_called_a_peer_worker(group):
    ShiftAssignmentFactory(
        shift=ShiftFactory(
            start=timezone.now() - timedelta(hours=1), duty=Duty.SAFEGUARDING
        ),
        worker=SafeguardingLeadFactory(),
    )

    cover = peer_cover(space=group)

    assert cover.discussions.now is False
    assert cover.space.now is False


def test_peer_cover_names_the_next_discussion_cover(group):
    later = timezone.now() + timedelta(days=1)
    worker = PeerWorkerFactory()
    shift = ShiftFactory(start=later)
    services.shift_claim(shift_id=shift.pk, worker=worker)

    cover = peer_cover()

    assert cover.discussions.now is False
    assert cover.discussions.next == shift.start
    assert cover.space is None


def rota_reads(captured) -> list[str]:
    return [query["sql"] for query in captured if "rotas_shift" in query["sql"]]


def test_what_the_pages_say_about_cover_is_read_once_then_changes_when_a_shift_starts(
    client, home_page, group, monkeypatch
):
    starts = timezone.now() + timedelta(minutes=30)
    worker = PeerWorkerFactory()
    services.shift_claim(shift_id=ShiftFactory(start=starts).pk, worker=worker)
    assert (
        "will next read the discussions" in client.get(home_page.url).content.decode()
    )

    with CaptureQueriesContext(connection) as captured:
        home = client.get(home_page.url).content.decode()
        client.get(group.url)
        page = client.get(group.url).content.decode()
    assert "will next read the discussions" in home
    assert "will next read the discussions" in page
    assert len(rota_reads(captured)) <= 2, "read once a page, not on every visit"

    monkeypatch.setattr(timezone, "now", lambda: starts + timedelta(minutes=1))

    assert DISCUSSIONS_NOW in client.get(home_page.url).content.decode()
    assert DISCUSSIONS_NOW in client.get(group.url).content.decode()


def test_what_the_pages_say_about_cover_changes_when_the_rota_does(
    client, home_page, group
):
    later = timezone.now() + timedelta(days=1)
    worker = PeerWorkerFactory()
    shift = ShiftFactory(start=later)
    services.shift_claim(shift_id=shift.pk, worker=worker)
    assert (
        "will next read the discussions" in client.get(home_page.url).content.decode()
    )

    on_now(duty=Duty.MODERATION)

    assert DISCUSSIONS_NOW in client.get(home_page.url).content.decode()
