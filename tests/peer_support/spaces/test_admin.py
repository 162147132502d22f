import pytest
from django.contrib.auth.models import Permission

from peer_support.spaces import services
from tests.factories import FacilitatedSpaceFactory, PeerWorkerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_staff_with_global_permission_read_memberships_in_admin(
    client, home_page, roles
):
    space = FacilitatedSpaceFactory(parent=home_page)
    member = UserFactory(pseudonym="Gentle Moth")
    services.membership_join(space_id=space.pk, member=member)
    staff = PeerWorkerFactory()
    staff.user_permissions.add(
        Permission.objects.get(codename="manage_any_space_members")
    )
    client.force_login(staff)
    html = client.get("/admin/memberships/").content.decode()
    assert "Gentle Moth" in html
    assert member.email not in html
    assert client.get("/admin/membership-events/").status_code == 200
    assert client.get("/admin/memberships/new/").status_code in (302, 403)


def test_peer_worker_without_global_permission_cannot_list_memberships(
    client, home_page, roles
):
    client.force_login(PeerWorkerFactory())
    response = client.get("/admin/memberships/")
    assert response.status_code in (302, 403)
