"""Registration never says whether an email address already has an account."""

import pytest
from django.core import mail
from django.urls import reverse

from peer_support.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FORM = {
    "pseudonym": "Gentle Rain",
    "password1": "correct-horse-battery",
    "password2": "correct-horse-battery",
    "consent": "on",
}


def register(client, email, pseudonym="Gentle Rain"):
    return client.post(
        reverse("register"),
        {**FORM, "email": email, "pseudonym": pseudonym},
        follow=True,
    )


def visible_answer(response) -> tuple:
    return (
        response.redirect_chain,
        [str(message) for message in response.context["messages"]],
        "_auth_user_id" in response.client.session,
    )


def test_registering_with_a_taken_email_answers_as_for_a_new_one(
    client, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="taken@example.org", pseudonym="Owner Bird")
    with django_capture_on_commit_callbacks(execute=True):
        taken = register(client, "taken@example.org", pseudonym="Gentle Rain")
    with django_capture_on_commit_callbacks(execute=True):
        fresh = register(client, "fresh@example.org", pseudonym="Other Rain")

    def without_email(answer):
        chain, messages, signed_in = answer
        return chain, [m.split(" to ")[0] for m in messages], signed_in

    assert without_email(visible_answer(taken)) == without_email(visible_answer(fresh))
    assert "already" not in taken.content.decode()
    assert "_auth_user_id" not in client.session
    owner.refresh_from_db()
    assert owner.pseudonym == "Owner Bird"
    assert owner.check_password("a-long-test-password-1")
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1


def test_owner_of_a_taken_email_is_told_someone_tried_to_register(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="taken@example.org", pseudonym="Owner Bird")

    with django_capture_on_commit_callbacks(execute=True):
        register(client, "Taken@Example.org")

    [notice] = mail.outbox
    assert notice.to == ["taken@example.org"]
    assert "tried to join" in notice.subject
    assert "Owner Bird" in notice.body
    assert "http://testserver/accounts/password/reset/" in notice.body
    assert "Gentle Rain" not in notice.body
