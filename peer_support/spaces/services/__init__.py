"""Rules for who belongs to a space and on what terms, by concern:

- `joining`: join at once, ask to join, leave;
- `waiting_list`: offer free places in turn, accept and expire offers;
- `facilitation`: a facilitator's decisions (approve, decline, suspend, remove,
  reinstate, ban);
- `invites`, `ground_rules`, `notices`;
- `base`: the locks, history and notices they share.

Read-only rules (places left, caps, refusals) live in `spaces.rules`, used here and by
the selectors alike. Callers import the services from this package.
"""

from ..errors import MembershipError, SpaceFull
from .facilitation import (
    MAX_SUSPENSION_DAYS,
    membership_approve,
    membership_ban,
    membership_decline,
    membership_reinstate,
    membership_remove,
    membership_suspend,
    membership_suspension_lift,
    membership_suspensions_lift_due,
    membership_waitlist,
)
from .ground_rules import membership_rules_accept
from .invites import invite_create
from .joining import membership_join, membership_leave, membership_request
from .notices import notice_mark_read
from .waiting_list import (
    membership_offer_accept,
    membership_offer_expire,
    membership_offer_next,
    membership_offers_expire_due,
)

__all__ = [
    "MAX_SUSPENSION_DAYS",
    "MembershipError",
    "SpaceFull",
    "invite_create",
    "membership_approve",
    "membership_ban",
    "membership_decline",
    "membership_join",
    "membership_leave",
    "membership_offer_accept",
    "membership_offer_expire",
    "membership_offer_next",
    "membership_offers_expire_due",
    "membership_reinstate",
    "membership_remove",
    "membership_request",
    "membership_rules_accept",
    "membership_suspend",
    "membership_suspension_lift",
    "membership_suspensions_lift_due",
    "membership_waitlist",
    "notice_mark_read",
]
