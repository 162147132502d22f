"""Who may do what with safeguarding concerns: the one rule, asked by selectors,
views, admin menus and templates alike.

Only safeguarding leads and a concern's owner see a concern. Superusers and editors
are not leads by default: being able to change the site is not a reason to read a
safeguarding case.
"""

from peer_support.accounts.roles import PEER_WORKER, SAFEGUARDING_LEAD, has_role


def is_lead(user) -> bool:
    return (
        user.is_authenticated and user.is_active and has_role(user, SAFEGUARDING_LEAD)
    )


def may_see_concern(user, concern) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return concern.owner_id == user.pk or is_lead(user)


def may_act_on_concern(user, concern) -> bool:
    """Acknowledge, add notes, record checklist steps, close."""
    return may_see_concern(user, concern)


def may_assign(user) -> bool:
    return is_lead(user)


def may_break_glass(user) -> bool:
    return is_lead(user)


def may_raise_concern(user) -> bool:
    """Peer workers (facilitators and moderators are peer workers) and leads."""
    return user.is_authenticated and (
        has_role(user, PEER_WORKER) or has_role(user, SAFEGUARDING_LEAD)
    )


def may_be_owner(user) -> bool:
    return user.is_active and (
        has_role(user, PEER_WORKER) or has_role(user, SAFEGUARDING_LEAD)
    )


def may_see_any_concern(user) -> bool:
    """Staff who could be given a concern: they use the second factor."""
    return user.is_authenticated and user.is_active and may_be_owner(user)
