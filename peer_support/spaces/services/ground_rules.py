"""Accepting a space's ground rules again after they change."""

from django.db import transaction
from django.utils.translation import gettext as _

from peer_support.errors import NotAllowed

from ..models import Membership
from .base import Action, event_record, membership_locked, rules_record


@transaction.atomic
def membership_rules_accept(*, membership_id: int, member) -> Membership:
    membership = membership_locked(membership_id)
    if membership.member_id != member.pk:
        raise NotAllowed(_("Members accept the ground rules for themselves."))
    rules_record(membership, rules_accepted=True)
    membership.save(update_fields=["rules_revision", "rules_accepted_at", "updated_at"])
    event_record(
        membership,
        action=Action.RULES_ACCEPTED,
        actor=member,
        from_status=membership.status,
    )
    return membership
