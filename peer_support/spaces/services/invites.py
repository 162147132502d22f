"""Invite codes for invite-only spaces."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import MembershipError
from ..models import SpaceInvite, SpacePage
from .base import require_manager

MAX_INVITE_DAYS = 90


@transaction.atomic
def invite_create(*, space_id: int, actor, days_valid: int = 14) -> SpaceInvite:
    space = SpacePage.objects.get(pk=space_id)
    require_manager(actor, space)
    if not 1 <= days_valid <= MAX_INVITE_DAYS:
        raise MembershipError(_("An invite lasts between 1 and 90 days."))
    return SpaceInvite.objects.create(
        space=space,
        code=secrets.token_urlsafe(12),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=days_valid),
    )


def invite_locked(space: SpacePage, code: str) -> SpaceInvite:
    """The unused, unexpired invite for this space with this code, locked so two
    people cannot both use it; the caller is joining inside a transaction."""
    invite = (
        SpaceInvite.objects.select_for_update()
        .filter(code=(code or "").strip())
        .first()
    )
    if invite is None or invite.space_id != space.pk:
        raise MembershipError(_("That invite code isn't valid for this space."))
    if invite.used_at is not None:
        raise MembershipError(_("That invite code has already been used."))
    if invite.expires_at <= timezone.now():
        raise MembershipError(
            _("That invite code has expired; please ask a facilitator for a new one.")
        )
    return invite
