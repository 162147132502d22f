"""The waiting list: offering free places in turn, accepting and expiring offers."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import MembershipError
from ..models import Membership, SpacePage
from ..rules import space_balance
from ..tasks import expire_offer_task
from .base import (
    Action,
    Status,
    activate,
    consent_record,
    event_record,
    membership_locked,
    notify,
    rules_record,
    space_locked,
)


def membership_offer_next(*, space: SpacePage) -> list[Membership]:
    """Offer free places to the waiting list, first come first offered, skipping
    someone whose role has no place yet. The caller holds the space lock."""
    offered = []
    waiting = Membership.objects.filter(
        space=space, status=Status.WAITLISTED, offer_expires_at__isnull=True
    ).order_by("waitlisted_at", "pk")
    for membership in waiting:
        balance = space_balance(space=space)
        if balance.places_left == 0:
            break
        if balance.places_for(membership.role) == 0:
            continue
        membership.offer_expires_at = timezone.now() + timedelta(
            days=space.offer_days_or_default()
        )
        membership.save(update_fields=["offer_expires_at", "updated_at"])
        event_record(membership, action=Action.OFFERED, from_status=Status.WAITLISTED)
        notify(
            membership,
            subject=_("A place is free in %(space)s") % {"space": space.title},
            body=_(
                "A place is free for you in %(space)s. Accept it on the space's page "
                "within %(days)s days; after that it goes to the next person."
            )
            % {"space": space.title, "days": space.offer_days_or_default()},
        )
        expires = membership.offer_expires_at
        transaction.on_commit(
            lambda pk=membership.pk, eta=expires: expire_offer_task.apply_async(
                (pk,), eta=eta
            )
        )
        offered.append(membership)
    return offered


@transaction.atomic
def membership_offer_accept(
    *,
    membership_id: int,
    member,
    rules_accepted: bool = False,
    consent: bool | None = None,
) -> Membership:
    membership = Membership.objects.get(pk=membership_id, member=member)
    space_locked(membership.space_id)
    membership = membership_locked(membership_id)
    if (
        membership.status != Status.WAITLISTED
        or membership.offer_expires_at is None
        or membership.offer_expires_at <= timezone.now()
    ):
        raise MembershipError(_("There is no place waiting for you to accept."))
    rules_record(membership, rules_accepted=rules_accepted)
    consent_record(membership, consent=consent)
    return activate(membership, action=Action.OFFER_ACCEPTED, actor=member)


@transaction.atomic
def membership_offer_expire(*, membership_id: int, now: datetime | None = None) -> bool:
    """Close an offer nobody took and offer the place on. Safe to run twice or early:
    it does nothing unless the offer is still open and past its time."""
    now = now or timezone.now()
    membership = Membership.objects.filter(pk=membership_id).first()
    if membership is None:
        return False
    space = space_locked(membership.space_id)
    membership = membership_locked(membership_id)
    if (
        membership.status != Status.WAITLISTED
        or membership.offer_expires_at is None
        or membership.offer_expires_at > now
    ):
        return False
    membership.status = Status.LEFT
    membership.offer_expires_at = None
    membership.waitlisted_at = None
    membership.save()
    event_record(membership, action=Action.OFFER_EXPIRED, from_status=Status.WAITLISTED)
    notify(
        membership,
        subject=_("Your offer of a place in %(space)s has ended")
        % {"space": space.title},
        body=_(
            "The place we offered you in %(space)s has gone to the next person. You "
            "are welcome to join the waiting list again whenever it suits you."
        )
        % {"space": space.title},
    )
    membership_offer_next(space=space)
    return True


def membership_offers_expire_due(*, now: datetime | None = None) -> int:
    """The sweep behind the per-offer timers: expire every offer past its time."""
    now = now or timezone.now()
    due = Membership.objects.filter(
        status=Status.WAITLISTED, offer_expires_at__lte=now
    ).values_list("pk", flat=True)
    return sum(membership_offer_expire(membership_id=pk, now=now) for pk in list(due))
