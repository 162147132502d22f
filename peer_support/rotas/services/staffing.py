"""Safe staffing: sessions without cover become open shifts."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from peer_support.accounts.models import User

from ..models import Duty, RoleNeeded, Shift
from .assignments import shift_create


@transaction.atomic
def session_gap_offer(
    *, space, start: datetime, end: datetime, duty: str, actor: User | None
) -> Shift:
    """Offer the missing facilitator or safeguarding lead for a session as an open
    shift. Offering the same gap twice returns the shift already offered."""
    role = (
        RoleNeeded.SAFEGUARDING_LEAD
        if duty == Duty.SAFEGUARDING
        else RoleNeeded.PEER_WORKER
    )
    existing = Shift.objects.filter(
        space=space, duty=duty, start=start, for_session=True
    ).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return shift_create(
                actor=actor,
                space=space,
                duty=duty,
                start=start,
                end=end,
                role_needed=role,
                for_session=True,
                reason=_("Safe staffing: session without cover"),
            )
    except IntegrityError:
        return Shift.objects.get(space=space, duty=duty, start=start, for_session=True)
