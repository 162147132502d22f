from django import template

from peer_support.accounts.roles import PEER_WORKER, SAFEGUARDING_LEAD, role_names

from ..selectors import unread_notice_count

register = template.Library()


@register.simple_tag(takes_context=True)
def member_links(context) -> dict:
    """The signed-in person's own links: their groups and courses with unread
    messages, and for peer workers their shifts and the groups they facilitate."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = role_names(user) if user.is_staff else frozenset()
    return {
        "unread": unread_notice_count(user=user),
        "rota_worker": bool(roles & {PEER_WORKER, SAFEGUARDING_LEAD}),
        "facilitator": PEER_WORKER in roles,
    }
