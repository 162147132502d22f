"""The one answer to "may this user do this in this space?".

Views, admin, templates and tests ask `user_may`; nothing else decides. Global roles are
Django groups; standing in a space is the membership; facilitators come from the live
page.
"""

from peer_support.accounts.roles import PEER_WORKER, has_role

from .models import Membership, MembershipStatus, SpacePage

VIEW_PRIVATE_DETAILS = "view_private_details"  # meeting link, exact venue
MANAGE_MEMBERS = "manage_members"
# The discussion: read its threads, post in it, moderate it.
READ_DISCUSSION = "read_discussion"
POST = "post"
MODERATE = "moderate"


def is_facilitator(user, space: SpacePage) -> bool:
    return (
        user.is_authenticated and space.facilitators.filter(worker_id=user.pk).exists()
    )


def active_membership(user, space: SpacePage) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(
        space=space, member=user, status=MembershipStatus.ACTIVE
    ).first()


def user_may(user, action: str, space: SpacePage) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or is_facilitator(user, space):
        return True
    if action == MANAGE_MEMBERS:
        # Staff who look after every space (granted in the admin), not by role alone.
        return user.is_staff and user.has_perm("spaces.manage_any_space_members")
    if action == VIEW_PRIVATE_DETAILS:
        return active_membership(user, space) is not None or has_role(user, PEER_WORKER)
    if action in (READ_DISCUSSION, POST, MODERATE):
        # The discussion's own rules (membership, ground rules, the rota) live beside
        # it; imported here to keep spaces free of a dependency on discussion.
        from peer_support.discussion.permissions import discussion_may

        return discussion_may(user, action, space)
    return False
