from django import template

from ..models import PLACE_HOLDING_STATUSES, Membership, MembershipStatus
from ..permissions import MANAGE_MEMBERS, user_may
from ..rules import rules_accepted, space_balance
from ..selectors import membership_for

register = template.Library()


@register.simple_tag(takes_context=True)
def membership_state(context, page):
    """What the membership panel needs about the person looking at this space."""
    request = context.get("request")
    user = getattr(request, "user", None)
    known = context.get("membership", False)
    if known is None or (isinstance(known, Membership) and known.space_id == page.pk):
        membership = known  # the page's own context already looked it up
    else:
        membership = membership_for(user=user, space=page) if user else None
    status = membership.status if membership else None
    return {
        "membership": membership,
        "status": status,
        "is_member": status in PLACE_HOLDING_STATUSES,
        "offered": bool(
            status == MembershipStatus.WAITLISTED and membership.offer_expires_at
        ),
        "rules_ok": rules_accepted(membership=membership, space=page)
        if status in PLACE_HOLDING_STATUSES
        else True,
        "may_manage": bool(user) and user_may(user, MANAGE_MEMBERS, page),
        "balance": context.get("balance") or space_balance(space=page),
    }


@register.filter
def words(value: str) -> list[str]:
    return value.split()


@register.simple_tag(takes_context=True)
def unread_notice_count(context) -> int:
    from ..models import MemberNotice

    user = context["request"].user
    if not user.is_authenticated:
        return 0
    return MemberNotice.objects.filter(member=user, read_at__isnull=True).count()
