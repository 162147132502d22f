from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from peer_support.errors import NotAllowed, ServiceError
from safeguarding import services
from safeguarding.models import (
    Concern,
    ConcernEvent,
    ConcernSource,
    ConcernStatus,
    Escalation,
    Notification,
    Outcome,
    SeverityPolicy,
    Tier,
)
from safeguarding.severity import Severity
from tests.factories import EditorFactory, PeerWorkerFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = ConcernEvent.Kind


def raise_concern(member, space=None, severity=Severity.HIGH, now=None, **kwargs):
    return services.concern_raise(
        member=member,
        severity=severity,
        source=kwargs.pop("source", ConcernSource.SCREENING),
        content=kwargs.pop("content", "I want to die"),
        space=space,
        now=now,
        **kwargs,
    )


def test_raise_goes_to_worker_on_duty_and_lead_on_call_for_high(
    member, space, worker, lead_on_call, other_lead, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        concern = raise_concern(member, space, Severity.HIGH, now=now)
    assert concern.owner == worker
    assert concern.status == ConcernStatus.NEW
    assert concern.due_by == now + timedelta(hours=1)
    told = set(Notification.objects.values_list("recipient__pseudonym", flat=True))
    assert told == {"Maple Owl", "Steady Oak"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [worker.email, lead_on_call.email]
    )
    kinds = list(concern.events.values_list("kind", flat=True))
    assert kinds.count(Kind.NOTIFIED) == 2
    assert Kind.RAISED in kinds


def test_low_concern_goes_only_to_the_worker_on_duty(
    member, space, worker, lead_on_call
):
    concern = raise_concern(member, space, Severity.LOW)
    assert set(concern.notifications.values_list("recipient", flat=True)) == {worker.pk}
    assert concern.due_by - concern.created_at == timedelta(hours=72)


def test_no_one_on_duty_tells_every_lead(member, space, lead_on_call, other_lead):
    concern = raise_concern(member, space, Severity.MEDIUM)
    told = set(concern.notifications.values_list("recipient", flat=True))
    assert told == {lead_on_call.pk, other_lead.pk}
    assert concern.owner == lead_on_call


def test_email_carries_no_post_text_pseudonym_or_personal_detail(
    member, space, worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        concern = raise_concern(
            member, space, Severity.HIGH, content="I want to die, says Quiet Heron"
        )
    message = mail.outbox[0]
    text = message.subject + message.body
    assert concern.reference in text
    assert "High" in text
    assert f"http://testserver/admin/safeguarding/concerns/{concern.pk}/" in text
    for private in ("want to die", member.pseudonym, member.email, space.title):
        assert private not in text


def test_due_by_follows_the_policy_leads_set(member, space, worker):
    policy = SeverityPolicy.load()
    policy.high_minutes = 30
    policy.save()
    now = timezone.now()
    concern = raise_concern(member, space, Severity.HIGH, now=now)
    assert concern.due_by == now + timedelta(minutes=30)
    deadlines = list(concern.escalations.order_by("tier").values_list("tier", "due_at"))
    assert deadlines == [
        (Tier.LEAD_ON_CALL, now + timedelta(minutes=30)),
        (Tier.ALL_LEADS, now + timedelta(minutes=60)),
        (Tier.SERVICE_MANAGER, now + timedelta(minutes=90)),
    ]


def test_signal_within_the_window_joins_the_open_concern_and_raises_severity(
    member, space, worker, lead_on_call
):
    now = timezone.now()
    first = raise_concern(member, space, Severity.LOW, now=now)
    second = raise_concern(
        member,
        space,
        Severity.IMMEDIATE,
        content="tonight",
        now=now + timedelta(minutes=10),
    )
    assert second.pk == first.pk
    assert Concern.objects.count() == 1
    second.refresh_from_db()
    assert second.severity == Severity.IMMEDIATE
    assert second.due_by == now + timedelta(minutes=25)
    kinds = list(second.events.values_list("kind", flat=True))
    assert Kind.JOINED in kinds and Kind.SEVERITY_RAISED in kinds
    # The lead on call is told at once now that it is immediate.
    assert second.notifications.filter(recipient=lead_on_call).exists()
    assert Escalation.objects.get(concern=second, tier=Tier.LEAD_ON_CALL).due_at == (
        second.due_by
    )


def test_signal_after_the_window_opens_a_new_concern(member, space, worker):
    now = timezone.now()
    raise_concern(member, space, Severity.LOW, now=now)
    raise_concern(member, space, Severity.LOW, now=now + timedelta(hours=3))
    assert Concern.objects.count() == 2


def test_lower_signal_joins_without_lowering(member, space, worker):
    first = raise_concern(member, space, Severity.HIGH)
    raise_concern(member, space, Severity.LOW)
    first.refresh_from_db()
    assert first.severity == Severity.HIGH


def test_raise_refuses_bad_input_and_changes_nothing(member, space, worker):
    for bad in (Severity.NONE, "x", 9):
        with pytest.raises(ServiceError):
            raise_concern(member, space, bad)
    with pytest.raises(ServiceError):
        raise_concern(member, space, Severity.LOW, source="rumour")
    assert not Concern.objects.exists()
    assert not ConcernEvent.objects.exists()


def test_staff_report_needs_a_peer_worker_or_lead(member, space, worker):
    with pytest.raises(NotAllowed):
        raise_concern(member, space, source=ConcernSource.STAFF, raised_by=member)
    concern = raise_concern(member, space, source=ConcernSource.STAFF, raised_by=worker)
    assert concern.raised_by == worker


def test_worried_flag_is_at_least_medium_and_screened(member, space, worker):
    flagger = UserFactory()
    concern = services.worried_flag_raise(
        member=member, flagged_by=flagger, content="see you next week", space=space
    )
    assert concern.severity == Severity.MEDIUM
    assert concern.source == ConcernSource.FLAG
    other = UserFactory()
    concern = services.worried_flag_raise(
        member=other, flagged_by=flagger, content="I want to die tonight", space=space
    )
    assert concern.severity == Severity.IMMEDIATE


def test_snapshot_is_kept_as_raised(member, space, worker):
    concern = raise_concern(member, space, content="the words as written")
    assert Concern.objects.get(pk=concern.pk).content_snapshot == "the words as written"


def test_owner_acknowledges_notes_and_closes(member, space, worker):
    concern = raise_concern(member, space)
    services.concern_acknowledge(concern_id=concern.pk, user=worker)
    services.concern_note(concern_id=concern.pk, user=worker, text="Called them")
    concern = services.concern_close(
        concern_id=concern.pk,
        user=worker,
        outcome=Outcome.SUPPORT_OFFERED,
        reason="They are safe with family",
    )
    assert concern.status == ConcernStatus.CLOSED
    events = list(concern.events.values_list("kind", "actor"))
    for kind in (Kind.ACKNOWLEDGED, Kind.NOTE, Kind.CLOSED):
        assert (kind, worker.pk) in events


def test_close_needs_an_outcome_and_a_reason(member, space, worker):
    concern = raise_concern(member, space)
    for outcome, reason in (
        ("", "why"),
        ("nonsense", "why"),
        (Outcome.SIGNPOSTED, " "),
    ):
        with pytest.raises(ServiceError):
            services.concern_close(
                concern_id=concern.pk, user=worker, outcome=outcome, reason=reason
            )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW


def test_closed_concern_without_outcome_is_refused_by_the_database(
    member, space, worker
):
    from django.db import IntegrityError, transaction

    concern = raise_concern(member, space)
    concern.status = ConcernStatus.CLOSED
    with pytest.raises(IntegrityError), transaction.atomic():
        concern.save()


def test_others_may_not_act_on_a_concern(member, space, worker, lead_on_call):
    concern = raise_concern(member, space)
    stranger = PeerWorkerFactory()
    editor = EditorFactory(is_superuser=True)
    for user in (stranger, editor, member):
        with pytest.raises(NotAllowed):
            services.concern_acknowledge(concern_id=concern.pk, user=user)
        with pytest.raises(NotAllowed):
            services.concern_note(concern_id=concern.pk, user=user, text="x")
    # A lead may act on any concern.
    services.concern_note(concern_id=concern.pk, user=lead_on_call, text="Seen")


def test_only_leads_assign_and_only_to_staff(member, space, worker, lead_on_call):
    concern = raise_concern(member, space)
    other_worker = PeerWorkerFactory()
    with pytest.raises(NotAllowed):
        services.concern_assign(concern_id=concern.pk, user=worker, owner=other_worker)
    with pytest.raises(ServiceError):
        services.concern_assign(concern_id=concern.pk, user=lead_on_call, owner=member)
    services.concern_assign(
        concern_id=concern.pk, user=lead_on_call, owner=other_worker
    )
    concern.refresh_from_db()
    assert concern.owner == other_worker
    assert concern.notifications.filter(recipient=other_worker).exists()


def test_checklist_records_each_step_with_its_time(member, space, worker):
    concern = raise_concern(member, space, Severity.IMMEDIATE)
    at = timezone.now()
    services.checklist_record(
        concern_id=concern.pk, user=worker, step="contact_attempted", now=at
    )
    with pytest.raises(ServiceError):
        services.checklist_record(
            concern_id=concern.pk, user=worker, step="emergency_not_called"
        )
    services.checklist_record(
        concern_id=concern.pk,
        user=worker,
        step="emergency_not_called",
        detail="Spoke to them; safe with a friend",
        now=at + timedelta(minutes=3),
    )
    steps = list(concern.events.filter(kind=Kind.CHECKLIST).values_list("step", "at"))
    assert steps == [
        ("contact_attempted", at),
        ("emergency_not_called", at + timedelta(minutes=3)),
    ]


def test_glass_break_needs_a_lead_and_a_reason_and_tells_other_leads(
    member, space, worker, lead_on_call, other_lead, django_capture_on_commit_callbacks
):
    concern = raise_concern(member, space)
    with pytest.raises(NotAllowed):
        services.glass_break(concern_id=concern.pk, user=worker, reason="x")
    with pytest.raises(ServiceError):
        services.glass_break(concern_id=concern.pk, user=lead_on_call, reason="  ")
    assert not concern.events.filter(kind=Kind.GLASS_BROKEN).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        details = services.glass_break(
            concern_id=concern.pk, user=lead_on_call, reason="No reply in 15 minutes"
        )
    assert details["email"] == member.email
    event = concern.events.get(kind=Kind.GLASS_BROKEN)
    assert (event.actor, event.text) == (lead_on_call, "No reply in 15 minutes")
    assert [m.to for m in mail.outbox] == [[other_lead.email]]
    assert member.email not in mail.outbox[0].body


def test_immediate_concern_closing_offers_a_debrief(member, space, worker):
    concern = raise_concern(member, space, Severity.IMMEDIATE)
    services.concern_close(
        concern_id=concern.pk,
        user=worker,
        outcome=Outcome.EMERGENCY_SERVICES,
        reason="x",
    )
    assert concern.events.filter(kind=Kind.DEBRIEF).exists()


def test_audit_entries_cannot_be_changed_or_deleted(member, space, worker):
    concern = raise_concern(member, space)
    event = concern.events.first()
    event.text = "changed"
    with pytest.raises(Exception, match="cannot be changed"):
        event.save()
    with pytest.raises(Exception, match="cannot be deleted"):
        event.delete()
    with pytest.raises(Exception, match="cannot be changed"):
        ConcernEvent.objects.filter(concern=concern).update(text="x")
    with pytest.raises(Exception, match="cannot be deleted"):
        ConcernEvent.objects.filter(concern=concern).delete()


def test_fairness_report_counts_concerns_handled(member, space, worker, roles):
    from peer_support.rotas.selectors import fairness

    first = raise_concern(member, space)
    second = raise_concern(UserFactory(), space)
    services.concern_acknowledge(concern_id=first.pk, user=worker)
    services.concern_note(concern_id=first.pk, user=worker, text="x")
    services.concern_acknowledge(concern_id=second.pk, user=worker)
    rows = {row.worker: row for row in fairness()}
    assert rows[worker].concerns_handled == 2


def test_content_screen_raises_a_concern_only_when_there_is_risk(member, space, worker):
    calm = services.content_screen(author=member, text="Lovely walk today", space=space)
    assert calm.severity == Severity.NONE and not calm.held
    assert not Concern.objects.exists()

    low = services.content_screen(
        author=member, text="I feel hopeless", space=space, content_ref="post:7"
    )
    assert low.severity == Severity.LOW and not low.held
    concern = Concern.objects.get()
    assert (concern.severity, concern.content_ref) == (Severity.LOW, "post:7")

    held = services.content_screen(
        author=member, text="I want to kill myself tonight", space=space
    )
    assert held.held
    concern.refresh_from_db()
    assert concern.severity == Severity.IMMEDIATE  # joined the open concern
    assert any("intent" in reason for reason in concern.reasons)


@pytest.mark.postgres
def test_postgresql_refuses_raw_updates_and_deletes_of_the_audit_trail(
    member, space, worker
):
    from django.db import DatabaseError, connection, transaction

    concern = raise_concern(member, space)
    event_id = concern.events.first().pk
    for sql in (
        "UPDATE safeguarding_concernevent SET text = 'x' WHERE id = %s",
        "DELETE FROM safeguarding_concernevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [event_id])
    assert ConcernEvent.objects.get(pk=event_id).text


def test_low_concern_with_no_one_on_duty_waits_without_waking_every_lead(
    member, space, other_lead
):
    concern = raise_concern(member, space, Severity.LOW)
    assert not concern.notifications.exists()
    assert concern.escalations.filter(tier=Tier.LEAD_ON_CALL).exists()
