import pytest

from peer_support.accounts import demo as accounts_demo
from peer_support.accounts.models import User
from peer_support.groups import demo
from peer_support.groups.models import GroupPage

pytestmark = pytest.mark.django_db


def test_demo_groups_load_twice_without_duplicates_and_member_sees_link(
    client, home_page
):
    accounts_demo.load()
    demo.load()
    demo.load()

    assert GroupPage.objects.count() >= 12
    assert GroupPage.objects.filter(slug="hearing-voices-evening").count() == 1
    group = GroupPage.objects.get(slug="hearing-voices-evening")
    client.force_login(User.objects.get(email="member@demo.invalid"))
    html = client.get(group.url).content.decode()
    assert group.meeting_link in html
    assert "Willow Wren" in html or "Maple Owl" in html
    assert client.get("/groups/").status_code == 200
