"""Shifts made from weekly patterns."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support import timeutils
from peer_support.accounts.models import User

from ..errors import RotaError
from ..models import (
    Shift,
    ShiftEvent,
    ShiftPattern,
)
from .common import (
    event_record,
)


@transaction.atomic
def pattern_generate(
    *, pattern_id: int, weeks: int, actor: User | None, start_date: date | None = None
) -> list[Shift]:
    """Shifts for the next `weeks` weeks in local time; existing ones are skipped
    (unique on pattern and start), so running it again creates nothing new."""
    if not 1 <= weeks <= 52:
        raise RotaError(_("Choose between 1 and 52 weeks."))
    pattern = ShiftPattern.objects.select_for_update().get(pk=pattern_id)
    if not pattern.active:
        raise RotaError(_("This pattern is paused."))
    first = start_date or timeutils.to_local(timezone.now()).date()
    first += timedelta(days=(pattern.weekday - first.weekday()) % 7)
    existing = set(pattern.shifts.values_list("start", flat=True))
    created = []
    for week in range(weeks):
        start, end = timeutils.local_span(
            first + timedelta(weeks=week), pattern.start_time, pattern.duration_minutes
        )
        if start in existing:
            continue
        shift = Shift(
            space=pattern.space,
            duty=pattern.duty,
            start=start,
            end=end,
            role_needed=pattern.role_needed,
            min_workers=pattern.min_workers,
            max_workers=pattern.max_workers,
            pattern=pattern,
            created_by=actor,
        )
        try:
            with transaction.atomic():
                shift.save()
        except IntegrityError:
            continue  # made by a generator running at the same moment
        event_record(
            shift=shift,
            actor=actor,
            action=ShiftEvent.Action.CREATED,
            detail=_("from pattern %(name)s") % {"name": pattern.name},
        )
        created.append(shift)
    return created
