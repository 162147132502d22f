"""A worker's weekly availability windows and leave."""

from datetime import date, time

from django.db import transaction
from django.utils.translation import gettext as _

from peer_support.accounts.models import User

from ..errors import RotaError
from ..models import (
    Availability,
    AvailabilityException,
    ExceptionKind,
)


@transaction.atomic
def availability_set(*, worker: User, windows: list[tuple[int, time, time]]):
    """Replace the worker's weekly windows."""
    rows = [
        Availability(worker=worker, weekday=day, start_time=start, end_time=end)
        for day, start, end in windows
    ]
    for row in rows:
        if not (0 <= row.weekday <= 6):
            raise RotaError(_("Choose a day of the week."))
        if row.end_time != time(0) and row.end_time <= row.start_time:
            raise RotaError(_("A window must end after it starts."))
    Availability.objects.filter(worker=worker).delete()
    Availability.objects.bulk_create(rows)
    return rows


@transaction.atomic
def availability_window_add(*, worker: User, weekday: int, start: time, end: time):
    current = [
        (w.weekday, w.start_time, w.end_time)
        for w in Availability.objects.filter(worker=worker)
    ]
    availability_set(worker=worker, windows=current + [(weekday, start, end)])


@transaction.atomic
def availability_window_remove(*, worker: User, window_id: int) -> None:
    Availability.objects.filter(worker=worker, pk=window_id).delete()


@transaction.atomic
def availability_exception_add(
    *,
    worker: User,
    start_date: date,
    end_date: date,
    kind=ExceptionKind.LEAVE,
    note: str = "",
) -> AvailabilityException:
    exception = AvailabilityException(
        worker=worker, start_date=start_date, end_date=end_date, kind=kind, note=note
    )
    if end_date < start_date:
        raise RotaError(_("The last day cannot be before the first day."))
    exception.full_clean()
    exception.save()
    return exception


@transaction.atomic
def availability_exception_remove(*, worker: User, exception_id: int) -> None:
    AvailabilityException.objects.filter(worker=worker, pk=exception_id).delete()
