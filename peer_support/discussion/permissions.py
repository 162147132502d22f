"""The discussion's part of the one policy: `spaces.permissions.user_may` asks this for
`READ_DISCUSSION`, `POST` and `MODERATE` once it has let superusers and the space's
facilitators through. Nothing else decides these."""

from peer_support.accounts.roles import PEER_WORKER, has_role
from peer_support.spaces.models import PLACE_HOLDING_STATUSES, Membership, SpacePage
from peer_support.spaces.selectors import may_post


def covers_now(user, space: SpacePage) -> bool:
    """A peer worker on duty now for this space, or for the moderation duty."""
    from peer_support.rotas.models import Duty
    from peer_support.rotas.selectors import on_duty

    if not has_role(user, PEER_WORKER):
        return False
    return (
        on_duty(space=space).filter(pk=user.pk).exists()
        or on_duty(duty=Duty.MODERATION).filter(pk=user.pk).exists()
    )


def discussion_may(user, action: str, space: SpacePage) -> bool:
    from peer_support.spaces import permissions as policy

    if action == policy.POST:
        return may_post(user=user, space=space)[0]
    if action == policy.MODERATE:
        return covers_now(user, space)
    if action == policy.READ_DISCUSSION:
        if Membership.objects.filter(
            space=space, member=user, status__in=PLACE_HOLDING_STATUSES
        ).exists():
            return True
        from .selectors import discussion_settings

        return discussion_settings(space=space).non_members_may_read or covers_now(
            user, space
        )
    return False
