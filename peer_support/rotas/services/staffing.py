"""Safe staffing: sessions without cover become open shifts."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.accounts.models import User
from peer_support.spaces.models import SpacePage

from ..errors import RotaError
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


@transaction.atomic
def session_gaps_offer(
    *, space_id: int, start: datetime, actor: User | None, weeks: int = 4
) -> list[Shift]:
    """Offer every missing duty of the at-risk session of `space_id` starting at
    `start` (within the next `weeks`) as open shifts, all or none. Refused when that
    session is not (or no longer) at risk."""
    from ..selectors import coverage

    now = timezone.now()
    report = coverage(start=now, end=now + timedelta(weeks=weeks))
    item = next(
        (i for i in report.at_risk if i.space.pk == space_id and i.start == start),
        None,
    )
    if item is None:
        raise RotaError(_("That session is no longer at risk."))
    space = SpacePage.objects.get(pk=item.space.pk)
    return [
        session_gap_offer(
            space=space, start=item.start, end=item.end, duty=duty, actor=actor
        )
        for duty in item.missing
    ]
