import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD, EditorFactory, PeerWorkerFactory, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_repeated_failed_logins_lock_the_account_even_with_the_right_password(client):
    member = UserFactory(email="target@example.org")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, member.email, "wrong-password")

    response = sign_in(client, member.email, PASSWORD)

    assert response.status_code == 429
    assert "too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_few_failed_logins_do_not_lock_out(client):
    member = UserFactory(email="typo@example.org")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, member.email, "wrong-password")
        assert "Please enter a correct" in response.content.decode()

    sign_in(client, member.email, PASSWORD)

    assert client.session["_auth_user_id"] == str(member.pk)


def test_signing_in_and_out_keeps_no_record_of_the_email_or_address(client):
    member = UserFactory(email="quiet@example.org")
    sign_in(client, member.email, PASSWORD)
    assert client.session["_auth_user_id"] == str(member.pk)
    client.post(reverse("logout"))

    assert not AccessLog.objects.exists()
    assert not AccessAttempt.objects.exists()


def test_members_without_staff_rights_cannot_reach_the_admin(client):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_editors_reach_the_admin_and_edit_site_settings(client, roles):
    editor = EditorFactory()
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    settings_page = client.get("/admin/settings/home/sitesettings/", follow=True)
    assert settings_page.status_code == 200
    assert "Crisis signposting" in settings_page.content.decode()


def test_peer_workers_reach_the_admin_but_not_site_settings(client, roles):
    client.force_login(PeerWorkerFactory())
    assert client.get("/admin/").status_code == 200
    response = client.get("/admin/settings/home/sitesettings/", follow=True)
    assert "Crisis signposting" not in response.content.decode()


def test_editors_may_publish_pages_and_peer_workers_may_not(home_page, roles):
    editor = EditorFactory()
    peer_worker = PeerWorkerFactory()

    assert home_page.permissions_for_user(editor).can_publish()
    assert not home_page.permissions_for_user(peer_worker).can_publish()
    assert not home_page.permissions_for_user(peer_worker).can_edit()
