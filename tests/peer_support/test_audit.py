"""One audit machinery: append-only by model, by queryset and, on PostgreSQL, by a
trigger that raw SQL and cascades cannot get past; kept out of Wagtail's reference
index."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from wagtail.models import ReferenceIndex

from peer_support.audit import AppendOnlyError, AppendOnlyModel, audit_record
from peer_support.errors import ServiceError
from peer_support.rotas import services as rota_services
from peer_support.rotas.models import ShiftEvent
from peer_support.spaces import services
from peer_support.spaces.models import Membership, MembershipEvent
from tests.factories import (
    FacilitatedSpaceFactory,
    PeerWorkerFactory,
    ShiftFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

AUDIT_MODELS = [
    m for m in apps.get_models() if issubclass(m, AppendOnlyModel) and m._meta.managed
]


@pytest.fixture
def membership_event(home_page):
    space = FacilitatedSpaceFactory(parent=home_page)
    membership = services.membership_join(space_id=space.pk, member=UserFactory())
    return membership.events.get()


@pytest.fixture
def shift_event(roles):
    shift = ShiftFactory()
    rota_services.shift_claim(shift_id=shift.pk, worker=PeerWorkerFactory())
    return ShiftEvent.objects.get(shift=shift)


def test_membership_and_shift_history_share_the_one_base():
    assert {MembershipEvent, ShiftEvent} <= set(AUDIT_MODELS)


@pytest.mark.parametrize("event_fixture", ["membership_event", "shift_event"])
def test_model_refuses_change_and_delete_with_a_project_error(request, event_fixture):
    event = request.getfixturevalue(event_fixture)
    model = type(event)
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError, match="cannot be changed") as refused:
        event.save()
    assert isinstance(refused.value, ServiceError)
    assert not isinstance(refused.value, OSError)  # so no task ever retries it
    with pytest.raises(AppendOnlyError, match="cannot be deleted"):
        event.delete()
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        model.objects.all().delete()
    assert model.objects.get(pk=event.pk).reason == ""


def test_audit_record_checks_choices_and_writes_nothing_bad(membership_event):
    before = MembershipEvent.objects.count()
    with pytest.raises(ValidationError, match="action"):
        audit_record(
            MembershipEvent,
            membership_id=membership_event.membership_id,
            space_id=membership_event.space_id,
            member_id=membership_event.member_id,
            action="rewrote_history",
            to_status="active",
        )
    assert MembershipEvent.objects.count() == before


def test_membership_events_name_space_and_member_themselves(membership_event):
    membership = membership_event.membership
    assert membership_event.space_id == membership.space_id
    assert membership_event.member_id == membership.member_id
    assert membership_event.member_label == membership.member.pseudonym


@pytest.mark.parametrize("model", [*AUDIT_MODELS, Membership])
def test_audit_and_membership_models_stay_out_of_the_reference_index(model):
    assert not ReferenceIndex.model_is_indexable(model)


def test_no_reference_index_rows_for_history(membership_event, shift_event):
    from django.contrib.contenttypes.models import ContentType

    ignored = [MembershipEvent, ShiftEvent, Membership]
    types = ContentType.objects.get_for_models(*ignored).values()
    assert not ReferenceIndex.objects.filter(base_content_type__in=types).exists()
    assert not ReferenceIndex.objects.filter(content_type__in=types).exists()


# PostgreSQL: the trigger ---------------------------------------------------------


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.postgres
@pytest.mark.parametrize("event_fixture", ["membership_event", "shift_event"])
def test_raw_update_and_delete_fail_on_postgres(request, event_fixture):
    event = request.getfixturevalue(event_fixture)
    table = event._meta.db_table
    with pytest.raises(DatabaseError, match="append-only: rows cannot be changed"):
        _raw(f"UPDATE {table} SET reason = 'rewritten' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only: rows cannot be deleted"):
        _raw(f"DELETE FROM {table} WHERE id = %s", [event.pk])
    event = type(event).objects.get(pk=event.pk)
    assert event.reason == ""


@pytest.mark.postgres
def test_postgres_lets_erasure_clear_a_person_and_nothing_else(membership_event):
    table = MembershipEvent._meta.db_table
    other = UserFactory()
    with pytest.raises(DatabaseError, match="member_id may only be cleared"):
        _raw(f"UPDATE {table} SET member_id = %s", [other.pk])
    with pytest.raises(DatabaseError, match="rows cannot be changed"):
        _raw(f"UPDATE {table} SET member_id = NULL, reason = 'x'")
    with pytest.raises(DatabaseError, match="rows cannot be changed"):
        _raw(f"UPDATE {table} SET space_id = space_id + 0, action = 'left'")

    _raw(f"UPDATE {table} SET member_id = NULL, actor_id = NULL")

    event = MembershipEvent.objects.get(pk=membership_event.pk)
    assert (event.member_id, event.actor_id) == (None, None)
    assert event.action == membership_event.action
    assert event.member_label == "former member"


@pytest.mark.postgres
@pytest.mark.parametrize("model", AUDIT_MODELS, ids=lambda m: m._meta.label)
def test_every_audit_table_has_the_trigger_with_its_erasable_columns(model):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgargs FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal",
            [f"{model._meta.db_table}_append_only"],
        )
        rows = cursor.fetchall()
    assert len(rows) == 1, f"{model._meta.db_table} has no append-only trigger"
    args = bytes(rows[0][0]).split(b"\x00")[:-1] if rows[0][0] else []
    columns = {model._meta.get_field(name).column for name in model.erasable_fields}
    assert {a.decode() for a in args} == columns
