from datetime import date, datetime, time, timedelta

from django.utils import timezone

from peer_support.rotas import services
from peer_support.rotas.models import RotaRules
from peer_support.timeutils import local_instant


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
