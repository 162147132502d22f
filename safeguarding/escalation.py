"""Routing, deadlines and notifications: a concern is never lost.

A new concern goes to the peer worker on duty for its space (who becomes its owner);
high and immediate ones also to the safeguarding lead on call at once; with no peer
worker on duty every lead is told. Each concern has one `Escalation` row per later
tier (lead on call, every lead, the service manager), due one acknowledgement window
after the other. A task queued on commit for the exact due time and a Celery beat
sweep every minute both call `escalation_fire`, which locks the row and fires it only
if it has not fired: exactly once per tier, whoever gets there first, across worker
restarts. The clock is always passed in.

Notifications are rows first, messages second: the email is sent by a task after
commit, its success or failure goes into the timeline, and the sweep retries failed
ones. The email holds severity, reference and a link, nothing about the person.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.accounts.models import User
from peer_support.errors import TRANSPORT_ERRORS
from peer_support.rotas.models import Duty
from peer_support.rotas.selectors import on_duty

from .models import (
    UNACKNOWLEDGED_STATUSES,
    Concern,
    ConcernEvent,
    ConcernStatus,
    Escalation,
    Notification,
    NotificationStatus,
    SeverityPolicy,
    Tier,
)
from .selectors import all_leads
from .severity import Severity

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 50
# Deadlines further off than this are left to the sweep: a broker may redeliver
# far-future tasks, and the sweep runs every minute anyway.
EXACT_TIMER_HORIZON = timedelta(hours=1)
Kind = ConcernEvent.Kind


def concern_link(concern: Concern) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("safeguarding_concern", args=[concern.pk])


# --- who is told -------------------------------------------------------------------


def workers_on_duty(concern: Concern, at: datetime) -> list[User]:
    if concern.space_id:
        workers = on_duty(space=concern.space, at=at)
    else:
        workers = on_duty(duty=Duty.MODERATION, at=at)
    return list(workers.order_by("pk"))


def leads_on_call(at: datetime) -> list[User]:
    return list(on_duty(duty=Duty.SAFEGUARDING, at=at).order_by("pk"))


def first_routing(concern: Concern, at: datetime) -> tuple[User | None, list[User]]:
    """The owner a new concern is given and everyone told at once. A low concern
    with nobody on duty waits for the next peer worker (it is on the leads'
    dashboard, and escalates at its deadline) rather than waking every lead."""
    workers = workers_on_duty(concern, at)
    on_call = leads_on_call(at)
    recipients = list(workers)
    if concern.severity >= Severity.HIGH:
        recipients += on_call
    if not workers and concern.severity >= Severity.MEDIUM:
        recipients += list(all_leads())
    owner = workers[0] if workers else (on_call[0] if on_call else None)
    return owner, _unique(recipients)


def tier_recipients(tier: int, at: datetime) -> list[User]:
    if tier == Tier.LEAD_ON_CALL:
        return leads_on_call(at) or list(all_leads())
    if tier == Tier.ALL_LEADS:
        return list(all_leads())
    return []


def _unique(users):
    seen, out = set(), []
    for user in users:
        if user.pk not in seen:
            seen.add(user.pk)
            out.append(user)
    return out


# --- deadlines -----------------------------------------------------------------------


def escalations_schedule(concern: Concern) -> list[Escalation]:
    """(Re)set the unfired deadlines from the concern's due-by time and severity."""
    window = SeverityPolicy.load().window(concern.severity)
    rows = []
    for n, tier in enumerate((Tier.LEAD_ON_CALL, Tier.ALL_LEADS, Tier.SERVICE_MANAGER)):
        due = concern.due_by + window * n
        row, created = Escalation.objects.get_or_create(
            concern=concern, tier=tier, defaults={"due_at": due}
        )
        if not created and row.fired_at is None and row.due_at != due:
            row.due_at = due
            row.save(update_fields=["due_at"])
        if row.fired_at is None:
            rows.append(row)
    return rows


def timers_queue(escalations: list[Escalation], now: datetime) -> None:
    """After commit, queue a task for each deadline due within the horizon."""
    from .tasks import escalation_fire_task

    soon = [e for e in escalations if e.due_at - now <= EXACT_TIMER_HORIZON]

    def queue():
        for escalation in soon:
            _safely(
                escalation_fire_task.apply_async, [escalation.pk], eta=escalation.due_at
            )

    if soon:
        transaction.on_commit(queue)


def _safely(call, *args, **kwargs):
    """A broker outage must not lose the concern: the sweep picks up what was not
    queued."""
    try:
        call(*args, **kwargs)
    except TRANSPORT_ERRORS:
        logger.warning("Could not queue a safeguarding task; the sweep will.")


def escalation_fire(*, escalation_id: int, now: datetime) -> bool:
    """Fire one deadline if it is due, unfired and the concern is still
    unacknowledged. True if this call fired it."""
    concern_id = (
        Escalation.objects.filter(pk=escalation_id)
        .values_list("concern_id", flat=True)
        .first()
    )
    if concern_id is None:
        return False
    with transaction.atomic():
        # Concern first, then its deadline: the order `concern_raise` locks them in.
        concern = Concern.objects.select_for_update().get(pk=concern_id)
        escalation = Escalation.objects.select_for_update().get(pk=escalation_id)
        if escalation.fired_at or escalation.due_at > now:
            return False
        if concern.status not in UNACKNOWLEDGED_STATUSES:
            return False
        escalation.fired_at = now
        escalation.save(update_fields=["fired_at"])
        concern.status = ConcernStatus.ESCALATED
        concern.save(update_fields=["status"])
        ConcernEvent.objects.create(
            concern=concern,
            kind=Kind.ESCALATED,
            tier=escalation.tier,
            text=_("Not acknowledged in time: escalated to %(tier)s.")
            % {"tier": Tier(escalation.tier).label},
            at=now,
        )
        notifications_create(
            concern,
            tier=escalation.tier,
            recipients=tier_recipients(escalation.tier, now),
            now=now,
        )
    return True


def escalations_sweep(*, now: datetime) -> dict[str, int]:
    """Every minute: fire what is due, and resend what failed."""
    due = list(
        Escalation.objects.filter(
            fired_at__isnull=True,
            due_at__lte=now,
            concern__status__in=UNACKNOWLEDGED_STATUSES,
        )
        .order_by("due_at", "tier")
        .values_list("pk", flat=True)
    )
    fired = sum(escalation_fire(escalation_id=pk, now=now) for pk in due)
    retry = list(
        Notification.objects.filter(
            status__in=[NotificationStatus.FAILED, NotificationStatus.PENDING],
            created_at__lte=now - timedelta(minutes=1),
            attempts__lt=MAX_ATTEMPTS,
        ).values_list("pk", flat=True)
    )
    sent = sum(notification_send(notification_id=pk, now=now) for pk in retry)
    return {"fired": fired, "retried": len(retry), "sent": sent}


# --- notifications -------------------------------------------------------------------


def notifications_create(
    concern: Concern, *, tier: int, recipients: list[User], now: datetime
) -> list[Notification]:
    """Rows now; the emails go after commit."""
    created = []
    for user in recipients:
        notification, new = Notification.objects.get_or_create(
            concern=concern,
            tier=tier,
            recipient=user,
            defaults={"address": user.email, "created_at": now},
        )
        if new:
            created.append(notification)
    if tier == Tier.SERVICE_MANAGER:
        created.append(
            Notification.objects.create(
                concern=concern,
                tier=tier,
                address=settings.SAFEGUARDING_SERVICE_MANAGER_EMAIL,
                created_at=now,
            )
        )
    if created:
        from .tasks import notification_send_task

        ids = [n.pk for n in created]
        transaction.on_commit(
            lambda: [_safely(notification_send_task.delay, pk) for pk in ids]
        )
    return created


def notification_message(notification: Notification) -> tuple[str, str]:
    concern = notification.concern
    values = {
        "reference": concern.reference,
        "severity": Severity(concern.severity).label,
        "link": concern_link(concern),
    }
    subject = _("Safeguarding concern %(reference)s: %(severity)s") % values
    body = (
        _(
            "A safeguarding concern needs attention.\n\n"
            "Severity: %(severity)s\nReference: %(reference)s\n\n"
            "Open it in the admin (sign in first):\n%(link)s\n"
        )
        % values
    )
    return subject, body


def notification_send(*, notification_id: int, now: datetime | None = None) -> bool:
    """Send one notification unless it was sent already; the result goes into the
    timeline. A mail-server failure is recorded, not raised: the sweep retries."""
    now = now or timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("concern", "recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.status == NotificationStatus.SENT:
            return False
        subject, body = notification_message(notification)
        address = (
            notification.recipient.email
            if notification.recipient_id
            else notification.address
        )
        who = (
            notification.recipient.pseudonym
            if notification.recipient_id
            else _("the service manager")
        )
        notification.attempts += 1
        try:
            send_mail(subject, body, None, [address])
        except TRANSPORT_ERRORS:
            notification.status = NotificationStatus.FAILED
            notification.save(update_fields=["status", "attempts"])
            ConcernEvent.objects.create(
                concern=notification.concern,
                kind=Kind.NOTIFICATION_FAILED,
                tier=notification.tier,
                text=_("Email to %(who)s failed (attempt %(n)s); it will be retried.")
                % {"who": who, "n": notification.attempts},
                at=now,
            )
            return False
        notification.status = NotificationStatus.SENT
        notification.sent_at = now
        notification.save(update_fields=["status", "attempts", "sent_at"])
        ConcernEvent.objects.create(
            concern=notification.concern,
            kind=Kind.NOTIFIED,
            tier=notification.tier,
            text=_("Email sent to %(who)s.") % {"who": who},
            at=now,
        )
    return True
