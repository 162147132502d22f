"""A member's notices and a peer worker's spaces make the same queries with 5 items
as with 50."""

import pytest
from django.urls import reverse

from peer_support.spaces.models import MemberNotice, SpaceFacilitator
from tests.factories import PeerWorkerFactory, SpacePageFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_notices_queries_do_not_grow_with_notices(client, home_page, query_count):
    member = UserFactory()
    space = SpacePageFactory(parent=home_page, title="Evening group")

    def notices_add(count):
        MemberNotice.objects.bulk_create(
            MemberNotice(member=member, space=space, subject="Welcome", body=".")
            for _ in range(count)
        )

    notices_add(5)
    client.force_login(member)
    url = reverse("spaces:notices")
    query_count.assert_unchanged(url, lambda: notices_add(45))
    assert client.get(url).content.decode().count("Welcome") >= 50


def test_spaces_a_worker_looks_after_queries_do_not_grow(
    client, home_page, roles, query_count
):
    worker = PeerWorkerFactory()

    def spaces_add(count, offset):
        for n in range(offset, offset + count):
            space = SpacePageFactory(parent=home_page, title=f"Space {n:02d}")
            SpaceFacilitator.objects.create(page_id=space.pk, worker=worker)

    spaces_add(5, 0)
    client.force_login(worker)
    url = reverse("spaces:managed")
    query_count.assert_unchanged(url, lambda: spaces_add(45, 5))
    assert "Space 49" in client.get(url).content.decode()
