import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from peer_support.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VALID = {
    "pseudonym": "Gentle Rain",
    "email": "Someone@Example.org",
    "password1": "correct-horse-battery",
    "password2": "correct-horse-battery",
    "consent": "on",
}


def post_registration(client, **changes):
    data = {**VALID, **changes}
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(reverse("register"), data)


def test_registration_creates_member_with_consent_who_then_signs_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_registration(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    user = User.objects.get()
    assert user.pseudonym == "Gentle Rain"
    assert user.email == "someone@example.org"
    assert user.terms_version == settings.TERMS_VERSION
    assert user.terms_accepted_at is not None
    assert user.check_password(VALID["password1"])
    assert [message.to for message in mail.outbox] == [["someone@example.org"]]
    client.post(
        reverse("login"),
        {"username": "someone@example.org", "password": VALID["password1"]},
    )
    profile = client.get(reverse("profile"))
    assert "Gentle Rain" in profile.content.decode()


def test_registration_form_explains_what_others_see(client):
    page = client.get(reverse("register")).content.decode()
    assert "Other members see only your pseudonym" in page
    assert "Nobody else sees your email address" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"pseudonym": "gentle RAIN"}, "pseudonym", "already in use"),
        ({"pseudonym": "me@example.org"}, "pseudonym", "looks like an email address"),
        ({"pseudonym": "call 07700 900123"}, "pseudonym", "looks like a phone number"),
        ({"pseudonym": "ab"}, "pseudonym", "at least 3 characters"),
        ({"pseudonym": "x" * 31}, "pseudonym", "30 characters or fewer"),
        ({"pseudonym": "<script>"}, "pseudonym", "letters, numbers"),
        ({"consent": None}, "consent", "agree to the terms"),
        ({"password1": "password", "password2": "password"}, "password1", "too"),
        ({"password2": "something-else-entirely"}, "password2", "don&#x27;t match"),
        ({"email": "not-an-email"}, "email", "valid email"),
    ],
)
def test_bad_registration_shows_error_by_field_and_creates_nothing(
    client, changes, field, message
):
    UserFactory(pseudonym="Gentle Rain", email="taken@example.org")
    before = User.objects.count()

    response = post_registration(client, **changes)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert User.objects.count() == before
    assert "_auth_user_id" not in client.session


def test_member_changes_pseudonym_and_others_cannot_take_it(client):
    member = UserFactory(pseudonym="Old Name")
    UserFactory(pseudonym="Taken Name")
    client.force_login(member)

    refused = client.post(reverse("profile"), {"pseudonym": "TAKEN name"})
    assert "already in use" in refused.content.decode()
    member.refresh_from_db()
    assert member.pseudonym == "Old Name"

    client.post(reverse("profile"), {"pseudonym": "New Name"})
    member.refresh_from_db()
    assert member.pseudonym == "New Name"


def test_member_can_keep_their_own_pseudonym_in_another_case(client):
    member = UserFactory(pseudonym="Quiet Heron")
    client.force_login(member)
    client.post(reverse("profile"), {"pseudonym": "quiet heron"})
    member.refresh_from_db()
    assert member.pseudonym == "quiet heron"


def test_member_deletes_account_only_with_their_password(client):
    member = UserFactory()
    client.force_login(member)

    wrong = client.post(reverse("delete_account"), {"password": "nope"})
    assert "isn&#x27;t right" in wrong.content.decode()
    assert User.objects.filter(pk=member.pk).exists()

    client.post(reverse("delete_account"), {"password": "a-long-test-password-1"})
    assert not User.objects.filter(pk=member.pk).exists()
    assert "_auth_user_id" not in client.session


def test_account_pages_need_sign_in(client):
    for name in ("profile", "delete_account", "password_change"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_login_logout_and_password_reset(client):
    member = UserFactory(email="reset@example.org")
    response = client.post(
        reverse("login"),
        {"username": "reset@example.org", "password": "a-long-test-password-1"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)

    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session

    client.post(reverse("password_reset"), {"email": "reset@example.org"})
    assert len(mail.outbox) == 1
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line
    )
    set_password_page = client.get(link.replace("http://testserver", ""), follow=True)
    form_url = set_password_page.redirect_chain[-1][0]
    client.post(
        form_url,
        {
            "new_password1": "a-brand-new-password",
            "new_password2": "a-brand-new-password",
        },
    )
    member.refresh_from_db()
    assert member.check_password("a-brand-new-password")


def test_email_never_appears_in_pages_other_members_see(client, home_page):
    UserFactory(pseudonym="Visible Name", email="secret-address@example.org")
    viewer = UserFactory()
    client.force_login(viewer)
    for url in ("/", reverse("search") + "?query=Visible", reverse("profile")):
        assert "secret-address@example.org" not in client.get(url).content.decode()
