"""Erasing an account removes the person and keeps the history, with its links to them
cleared ("former member"). On PostgreSQL the append-only trigger is in place, so this
also proves the cascade never deletes or rewrites a history row."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from peer_support.accounts.models import User
from peer_support.accounts.services import ErasureRefused, member_delete
from peer_support.rotas import services as rota_services
from peer_support.rotas.models import ShiftEvent
from peer_support.spaces import services
from peer_support.spaces.models import (
    EligibilityAnswer,
    MemberNotice,
    Membership,
    MembershipEvent,
)
from tests.factories import (
    FacilitatedSpaceFactory,
    PeerWorkerFactory,
    ShiftFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PSEUDONYM = "Quiet Heron"
EMAIL = "heron@example.org"


@pytest.fixture
def history(home_page):
    """A member who joined, was suspended with a reason, and came back."""
    facilitator = PeerWorkerFactory(pseudonym="Kind Otter")
    space = FacilitatedSpaceFactory(parent=home_page, facilitator=facilitator)
    member = UserFactory(pseudonym=PSEUDONYM, email=EMAIL)
    membership = services.membership_join(space_id=space.pk, member=member)
    services.membership_suspend(
        membership_id=membership.pk, actor=facilitator, reason="Cooling off", days=3
    )
    services.membership_suspension_lift(
        membership_id=membership.pk, now=timezone.now() + timedelta(days=4)
    )
    return space, member, facilitator


def _rows_naming(value: str) -> list[str]:
    """Every text column in every table that still holds `value`."""
    found = []
    for model in apps.get_models():
        if not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)):
                lookup = {f"{field.name}__icontains": value}
                if model._default_manager.filter(**lookup).exists():
                    found.append(f"{model._meta.label}.{field.name}")
    return found


def _rows_pointing_at(user_pk: int) -> list[str]:
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is User:
                if model._default_manager.filter(**{field.attname: user_pk}).exists():
                    found.append(f"{model._meta.label}.{field.name}")
    return found


def test_erasure_keeps_history_without_the_person(history):
    space, member, facilitator = history
    actions = list(
        MembershipEvent.objects.filter(space=space).values_list("action", flat=True)
    )
    assert MemberNotice.objects.filter(member=member).exists()
    member_pk = member.pk

    member_delete(user=member)

    assert not User.objects.filter(pk=member_pk).exists()
    assert not Membership.objects.filter(space=space).exists()
    assert not MemberNotice.objects.exists()
    events = list(MembershipEvent.objects.filter(space=space).select_related("actor"))
    assert (
        [e.action for e in events]
        == actions
        == ["joined", "suspended", "suspension_lifted"]
    )
    assert {(e.membership_id, e.member_id) for e in events} == {(None, None)}
    assert [e.member_label for e in events] == ["former member"] * 3
    # The member's own act is now by a former member; the facilitator's and the
    # system's are kept as they were.
    assert [e.actor_label for e in events] == [
        "former member",
        facilitator.pseudonym,
        "automatic",
    ]
    assert events[1].reason.startswith("Cooling off")
    assert _rows_naming(PSEUDONYM) == []
    assert _rows_naming(EMAIL) == []
    assert _rows_pointing_at(member_pk) == []


@pytest.mark.postgres
def test_erasure_works_on_postgres_with_the_trigger_in_place(history):
    space, member, _ = history
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = %s",
            ["spaces_membershipevent_append_only"],
        )
        assert cursor.fetchone() == (1,)
    EligibilityAnswer.objects.create(
        membership=Membership.objects.get(member=member),
        question_text="What brings you here?",
        answer="Something private",
    )

    member_pk = member.pk

    member_delete(user=member)

    assert MembershipEvent.objects.filter(space=space).count() == 3
    assert not EligibilityAnswer.objects.exists()
    assert _rows_naming(PSEUDONYM) == []
    assert _rows_naming("Something private") == []
    assert _rows_pointing_at(member_pk) == []


def test_facilitator_erasure_keeps_their_decisions_as_a_former_member(history):
    space, member, facilitator = history
    member_delete(user=facilitator)
    suspended = MembershipEvent.objects.get(space=space, action="suspended")
    assert suspended.actor_id is None
    assert suspended.actor_label == "former member"
    assert suspended.member_label == PSEUDONYM
    assert suspended.reason.startswith("Cooling off")


def test_erasure_of_a_worker_with_shifts_is_refused_and_changes_nothing(roles):
    worker = PeerWorkerFactory(pseudonym=PSEUDONYM)
    shift = ShiftFactory()
    rota_services.shift_claim(shift_id=shift.pk, worker=worker)

    with pytest.raises(ErasureRefused, match="rota coordinator"):
        member_delete(user=worker)

    assert User.objects.filter(pk=worker.pk).exists()
    assert ShiftEvent.objects.filter(shift=shift, worker=worker).exists()


def test_account_page_shows_the_refusal_and_keeps_the_person_signed_in(client, roles):
    worker = PeerWorkerFactory()
    rota_services.shift_claim(shift_id=ShiftFactory().pk, worker=worker)
    client.force_login(worker)

    response = client.post(
        reverse("delete_account"), {"password": "a-long-test-password-1"}
    )

    assert response.status_code == 200
    assert "hand them over" in response.content.decode()
    assert User.objects.filter(pk=worker.pk).exists()
    assert client.session["_auth_user_id"] == str(worker.pk)


def test_admin_history_lists_the_erased_member_as_a_former_member(
    client, roles, history
):
    space, member, _ = history
    staff = PeerWorkerFactory()
    staff.user_permissions.add(
        Permission.objects.get(codename="manage_any_space_members")
    )
    client.force_login(staff)
    before = client.get("/admin/membership-events/").content.decode()
    assert PSEUDONYM in before and "former member" not in before

    member_delete(user=member)

    after = client.get("/admin/membership-events/").content.decode()
    assert PSEUDONYM not in after
    assert after.count("former member") >= 3
    assert space.title in after
