"""Shifts, who works them, and the rules the rota keeps.

Times are stored in UTC; weekly recurrences (patterns, availability windows) are wall
clock times in Europe/London, turned into instants with `zoneinfo` so they stay right
across the clocks changing. Rules that change rows live in `services.py`.
"""

import secrets
from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from peer_support.accounts.roles import PEER_WORKER, SAFEGUARDING_LEAD
from peer_support.audit import AppendOnlyModel
from peer_support.spaces.models import SpacePage
from peer_support.timeutils import Weekday, elapsed, to_local


class Duty(models.TextChoices):
    SPACE_COVER = "space", _("Space cover")
    MODERATION = "moderation", _("Moderation")
    SAFEGUARDING = "safeguarding", _("Safeguarding lead on call")


class RoleNeeded(models.TextChoices):
    PEER_WORKER = PEER_WORKER, _("Peer worker")
    SAFEGUARDING_LEAD = SAFEGUARDING_LEAD, _("Safeguarding lead")


class ShiftStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class QualificationKind(models.TextChoices):
    PEER_TRAINING = "peer_training", _("Peer support training")
    SAFEGUARDING_TRAINING = "safeguarding_training", _("Safeguarding training")
    BACKGROUND_CHECK = "background_check", _("Background check (PVG/DBS)")
    MODERATION_TRAINING = "moderation_training", _("Moderation training")


# Which current qualifications a duty needs, on the day of the shift.
DUTY_REQUIREMENTS = {
    Duty.SPACE_COVER: [],
    Duty.MODERATION: [],
    Duty.SAFEGUARDING: [QualificationKind.SAFEGUARDING_TRAINING],
}


class ShiftPattern(models.Model):
    """A weekly recurring shift; `pattern_generate` turns it into shifts."""

    name = models.CharField(max_length=120)
    space = models.ForeignKey(
        SpacePage,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shift_patterns",
    )
    duty = models.CharField(max_length=20, choices=Duty.choices)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField(help_text=_("Local time (Europe/London)."))
    duration_minutes = models.PositiveIntegerField(
        help_text=_("Length in real time; may run past midnight.")
    )
    role_needed = models.CharField(
        max_length=40, choices=RoleNeeded.choices, default=RoleNeeded.PEER_WORKER
    )
    min_workers = models.PositiveSmallIntegerField(default=1)
    max_workers = models.PositiveSmallIntegerField(default=1)
    active = models.BooleanField(default=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("duty"),
        FieldPanel("space"),
        FieldPanel("weekday"),
        FieldPanel("start_time"),
        FieldPanel("duration_minutes"),
        FieldPanel("role_needed"),
        FieldPanel("min_workers"),
        FieldPanel("max_workers"),
        FieldPanel("active"),
    ]

    class Meta:
        verbose_name = _("shift pattern")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=24 * 60),
                name="shiftpattern_duration_at_most_a_day",
            ),
            models.CheckConstraint(
                condition=Q(min_workers__lte=F("max_workers"), max_workers__gte=1),
                name="shiftpattern_min_not_above_max",
            ),
            models.CheckConstraint(
                condition=~Q(duty=Duty.SPACE_COVER) | Q(space__isnull=False),
                name="shiftpattern_space_cover_has_space",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.duty == Duty.SPACE_COVER and self.space_id is None:
            raise ValidationError({"space": _("Space cover needs a space.")})
        if self.min_workers > self.max_workers:
            raise ValidationError(
                {"min_workers": _("The minimum cannot be above the maximum.")}
            )


class Shift(models.Model):
    space = models.ForeignKey(
        SpacePage,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shifts",
        help_text=_("Blank for a duty that is not tied to one space."),
    )
    duty = models.CharField(max_length=20, choices=Duty.choices)
    start = models.DateTimeField()
    end = models.DateTimeField()
    role_needed = models.CharField(
        max_length=40, choices=RoleNeeded.choices, default=RoleNeeded.PEER_WORKER
    )
    min_workers = models.PositiveSmallIntegerField(default=1)
    max_workers = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=20, choices=ShiftStatus.choices, default=ShiftStatus.SCHEDULED
    )
    pattern = models.ForeignKey(
        ShiftPattern,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shifts",
    )
    for_session = models.BooleanField(
        default=False, help_text=_("Offered to cover a group meeting or live session.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("shift")
        ordering = ["start", "pk"]
        # The rota coordinator's one permission (see `rotas.permissions`): granted to
        # the coordinators' group by the role sync, never inferred from a group name.
        permissions = [("coordinate_rota", _("Can coordinate the rota"))]
        indexes = [models.Index(fields=["start", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="shift_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(min_workers__lte=F("max_workers"), max_workers__gte=1),
                name="shift_min_not_above_max",
            ),
            models.CheckConstraint(
                condition=~Q(duty=Duty.SPACE_COVER) | Q(space__isnull=False),
                name="shift_space_cover_has_space",
            ),
            models.UniqueConstraint(
                fields=["pattern", "start"],
                condition=Q(pattern__isnull=False),
                name="shift_once_per_pattern_and_start",
            ),
            models.UniqueConstraint(
                fields=["space", "duty", "start"],
                condition=Q(for_session=True),
                name="shift_once_per_session_and_duty",
            ),
        ]

    def __str__(self):
        where = self.space.title if self.space_id else self.duty_label
        local = to_local(self.start)
        return f"{where}, {local:%a %d %b %Y %H:%M}"

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("A shift must end after it starts.")})
        if self.duty == Duty.SPACE_COVER and self.space_id is None:
            raise ValidationError({"space": _("Space cover needs a space.")})
        if self.min_workers > self.max_workers:
            raise ValidationError(
                {"min_workers": _("The minimum cannot be above the maximum.")}
            )

    @property
    def duty_label(self) -> str:
        # `get_duty_display()` rebuilds the choices dict on every call, and a rota
        # page labels hundreds of shifts.
        return str(Duty(self.duty).label)

    @property
    def hours(self) -> float:
        return elapsed(self.start, self.end).total_seconds() / 3600


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RELEASED = "released", _("Released")


class ShiftAssignment(models.Model):
    shift = models.ForeignKey(
        Shift, on_delete=models.PROTECT, related_name="assignments"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="shift_assignments",
    )
    status = models.CharField(
        max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ACTIVE
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("shift assignment")
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "worker"],
                condition=Q(status="active"),
                name="shiftassignment_one_active_per_worker",
            )
        ]
        indexes = [models.Index(fields=["worker", "status"])]

    def __str__(self):
        return f"{self.worker} on {self.shift}"


class Availability(models.Model):
    """A recurring weekly window when a worker can work, in local time. An end of
    00:00 means midnight; a window past midnight is two windows."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        verbose_name = _("availability window")
        verbose_name_plural = _("availability windows")
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")) | Q(end_time=time(0)),
                name="availability_ends_after_start",
            )
        ]

    def __str__(self):
        day = self.get_weekday_display()
        return f"{day} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class ExceptionKind(models.TextChoices):
    LEAVE = "leave", _("Leave")
    UNAVAILABLE = "unavailable", _("Unavailable")


class AvailabilityException(models.Model):
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="availability_exceptions",
    )
    kind = models.CharField(
        max_length=20, choices=ExceptionKind.choices, default=ExceptionKind.LEAVE
    )
    start_date = models.DateField()
    end_date = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="availabilityexception_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.start_date} to {self.end_date}"


class WorkerQualification(models.Model):
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="qualifications",
        limit_choices_to={"groups__name": PEER_WORKER},
    )
    kind = models.CharField(max_length=40, choices=QualificationKind.choices)
    obtained_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    panels = [
        FieldPanel("worker"),
        FieldPanel("kind"),
        FieldPanel("obtained_on"),
        FieldPanel("expires_on"),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("worker qualification")
        ordering = ["worker", "kind", "-expires_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(expires_on__gte=F("obtained_on")),
                name="workerqualification_expires_after_obtained",
            )
        ]

    def __str__(self):
        return f"{self.worker}: {self.get_kind_display()}"

    def valid_on(self, day) -> bool:
        return self.obtained_on <= day and (
            self.expires_on is None or self.expires_on >= day
        )


class SwapKind(models.TextChoices):
    SWAP = "swap", _("Swap with one of their shifts")
    COVER = "cover", _("Someone to cover it")
    DROP = "drop", _("Drop it")


class SwapStatus(models.TextChoices):
    OPEN = "open", _("Open")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SwapRequest(models.Model):
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="swaps")
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="swap_offers"
    )
    kind = models.CharField(max_length=10, choices=SwapKind.choices)
    status = models.CharField(
        max_length=20, choices=SwapStatus.choices, default=SwapStatus.OPEN
    )
    reason = models.CharField(max_length=300, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="swaps_accepted",
    )
    swap_shift = models.ForeignKey(
        Shift,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For a swap: the shift the offering worker takes in return."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("swap request")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "offered_by"],
                condition=Q(status__in=["open", "awaiting_approval"]),
                name="swaprequest_one_pending_per_shift_and_worker",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.shift}"


class ShiftEvent(AppendOnlyModel):
    """What happened to a shift: append-only history (who, when, what, why)."""

    erasable_fields = ("actor", "worker")

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        CANCELLED = "cancelled", _("Cancelled")
        CLAIMED = "claimed", _("Claimed")
        ASSIGNED = "assigned", _("Assigned")
        UNASSIGNED = "unassigned", _("Unassigned")
        OFFERED = "offered", _("Offered for swap, cover or drop")
        ACCEPTED = "accepted", _("Offer accepted")
        APPROVED = "approved", _("Swap approved")
        DECLINED = "declined", _("Swap declined")
        WITHDRAWN = "withdrawn", _("Offer withdrawn")
        LOCKED = "locked", _("Locked")
        REMINDED = "reminded", _("Reminder sent")

    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The worker the change was about."),
    )
    detail = models.TextField(blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"


class RuleLevel(models.TextChoices):
    REFUSE = "refuse", _("Refuse")
    WARN = "warn", _("Warn and ask to confirm")
    OFF = "off", _("Do not check")


@register_setting(icon="calendar")
class RotaRules(BaseGenericSetting):
    max_weekly_hours = models.PositiveSmallIntegerField(default=30)
    min_rest_hours = models.PositiveSmallIntegerField(default=11)
    lock_after_days = models.PositiveSmallIntegerField(
        default=7, help_text=_("Past shifts can no longer change after this many days.")
    )
    reminder_lead_hours = models.PositiveSmallIntegerField(default=24)
    swaps_need_approval = models.BooleanField(default=True)
    unavailable_rule = models.CharField(
        max_length=10, choices=RuleLevel.choices, default=RuleLevel.REFUSE
    )
    overlap_rule = models.CharField(
        max_length=10, choices=RuleLevel.choices, default=RuleLevel.REFUSE
    )
    weekly_hours_rule = models.CharField(
        max_length=10, choices=RuleLevel.choices, default=RuleLevel.WARN
    )
    rest_rule = models.CharField(
        max_length=10, choices=RuleLevel.choices, default=RuleLevel.WARN
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("max_weekly_hours"),
                FieldPanel("weekly_hours_rule"),
                FieldPanel("min_rest_hours"),
                FieldPanel("rest_rule"),
                FieldPanel("overlap_rule"),
                FieldPanel("unavailable_rule"),
            ],
            heading=_("Assignment rules"),
        ),
        FieldPanel("lock_after_days"),
        FieldPanel("reminder_lead_hours"),
        FieldPanel("swaps_need_approval"),
    ]

    class Meta:
        verbose_name = _("rota rules")


def token_new() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a worker's personal calendar feed URL."""

    worker = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rota_calendar"
    )
    token = models.CharField(max_length=64, unique=True, default=token_new)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Calendar feed of {self.worker}"
