from django import template

from ..models import Membership
from ..permissions import MANAGE_MEMBERS, user_may
from ..rules import rules_accepted
from ..selectors import JoinState, join_box
from ..selectors import unread_notice_count as member_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def membership_state(context, page):
    """What the membership panel needs about the person looking at this space: the
    join box from `join_box`, plus the rules and manage links."""
    request = context.get("request")
    user = getattr(request, "user", None)
    known = context.get("membership", False)
    if known is None or (isinstance(known, Membership) and known.space_id == page.pk):
        membership = known  # the page's own context already looked it up
    else:
        membership = False
    box = join_box(
        user=user, space=page, membership=membership, balance=context.get("balance")
    )
    held = box.state in (JoinState.MEMBER, JoinState.SUSPENDED)
    return {
        "box": box,
        "states": JoinState,
        "membership": box.membership,
        "rules_ok": rules_accepted(membership=box.membership, space=page)
        if held
        else True,
        "may_manage": bool(user)
        and page.pk is not None
        and user_may(user, MANAGE_MEMBERS, page),
        "balance": box.balance,
    }


@register.filter
def words(value: str) -> list[str]:
    return value.split()


@register.simple_tag(takes_context=True)
def unread_notice_count(context) -> int:
    return member_unread_count(user=context["request"].user)
