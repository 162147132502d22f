from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from peer_support.rotas import services
from peer_support.rotas.models import Duty, RotaRules, Shift
from peer_support.spaces.models import SpacePage
from peer_support.timeutils import local_instant


def space_make(home_page, title="Evening group", slug=None):
    return home_page.add_child(
        instance=SpacePage(title=title, slug=slug or title.lower().replace(" ", "-"))
    )


def shift_make(*, start=None, hours=3, duty=Duty.MODERATION, space=None, **kwargs):
    # In UTC, so that `hours` are real hours even across a clock change.
    start = (start or timezone.now() + timedelta(days=2)).astimezone(UTC)
    return Shift.objects.create(
        duty=duty,
        space=space,
        start=start,
        end=start + timedelta(hours=hours),
        **kwargs,
    )


def local(y, m, d, hh, mm=0):
    return local_instant(date(y, m, d), time(hh, mm))


def rules_set(**values):
    rules = RotaRules.load()
    for key, value in values.items():
        setattr(rules, key, value)
    rules.save()
    return rules


def future_monday(weeks=2):
    today = timezone.localdate()
    return today + timedelta(days=(7 - today.weekday()) + 7 * (weeks - 1))


def at(day, hh, mm=0):
    return datetime.combine(day, time(hh, mm), tzinfo=local(2026, 1, 1, 0).tzinfo)


__all__ = ["services"]
