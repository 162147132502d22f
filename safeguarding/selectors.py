"""Reads about concerns. Every listing of concerns starts from `concerns_visible_to`,
so the access rule exists once."""

from datetime import datetime

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from peer_support.accounts.models import User
from peer_support.accounts.roles import SAFEGUARDING_LEAD

from .models import OPEN_STATUSES, Concern, ConcernEvent, Notification
from .permissions import is_lead, may_see_concern


def concerns_visible_to(*, user) -> QuerySet[Concern]:
    if not (user.is_authenticated and user.is_active):
        return Concern.objects.none()
    concerns = Concern.objects.select_related("member", "owner", "space")
    if is_lead(user):
        return concerns
    return concerns.filter(owner=user)


def concern_for(*, user, concern_id: int) -> Concern:
    """The concern, or 404 for anyone who may not see it (not 403: its existence is
    itself private)."""
    concern = Concern.objects.select_related("member", "owner", "space").filter(
        pk=concern_id
    )
    concern = concern.first()
    if concern is None or not may_see_concern(user, concern):
        raise Http404
    return concern


def open_concerns_for_dashboard(*, user, now: datetime) -> list[Concern]:
    """Open concerns, overdue first (most overdue at the top), then by severity and
    time left."""
    concerns = (
        concerns_visible_to(user=user)
        .filter(status__in=OPEN_STATUSES)
        .annotate(
            overdue=Case(
                When(due_by__lte=now, acknowledged_at__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("overdue", "-severity", "due_by")
    )
    return list(concerns)


def timeline(*, concern: Concern) -> QuerySet[ConcernEvent]:
    return (
        concern.events.exclude(kind=ConcernEvent.Kind.VIEWED)
        .select_related("actor")
        .order_by("at", "pk")
    )


def audit_trail(*, concern: Concern) -> QuerySet[ConcernEvent]:
    return concern.events.select_related("actor").order_by("at", "pk")


def chronology(*, member: User) -> QuerySet[Concern]:
    """All concerns about a member, oldest first (for leads)."""
    return (
        Concern.objects.filter(member=member)
        .select_related("owner", "space")
        .order_by("created_at", "pk")
    )


def all_leads() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, groups__name=SAFEGUARDING_LEAD
    ).distinct()


def inbox(*, user) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(recipient=user)
        .select_related("concern")
        .order_by("-created_at")
    )


HANDLING = ["acknowledged", "note", "checklist", "closed"]


def concerns_handled_counts(*, start: datetime, end: datetime) -> dict[int, int]:
    """How many concerns each person acknowledged, worked on or closed between
    `start` and `end` (for the rota's fairness report: counts only, no details)."""
    from django.db.models import Count

    rows = (
        ConcernEvent.objects.filter(
            kind__in=HANDLING, at__gte=start, at__lt=end, actor__isnull=False
        )
        .values("actor")
        .annotate(n=Count("concern", distinct=True))
    )
    return {row["actor"]: row["n"] for row in rows}


def safety_plan_for(*, user, member: User):
    """The member's safety plan if `user` may read it: leads, and the owner of an
    open concern about the member. None otherwise (or if there is none)."""
    from .models import SafetyPlan

    allowed = is_lead(user) or (
        user.is_authenticated
        and Concern.objects.filter(
            member=member, owner=user, status__in=OPEN_STATUSES
        ).exists()
    )
    if not allowed:
        return None
    return SafetyPlan.objects.filter(member=member).first()


def concern_about_content(*, user, content_ref: str) -> Concern | None:
    """The concern a piece of content raised or joined, if `user` may see it; None
    otherwise, so that nothing about it shows to anyone else."""
    if not content_ref:
        return None
    return (
        concerns_visible_to(user=user)
        .filter(
            pk__in=ConcernEvent.objects.filter(content_ref=content_ref).values(
                "concern_id"
            )
        )
        .order_by("-created_at")
        .first()
    )
