"""Safeguarding data: the risk lexicon, concerns, their timeline and audit trail,
escalation deadlines and notifications.

None of these are snippets or in the search or reference index: every listing goes
through `selectors.concerns_visible_to`.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from peer_support.audit import AppendOnlyModel

from .screening import phrase_words
from .severity import Category, Severity


class LexiconEntry(models.Model):
    phrase = models.CharField(
        _("phrase"),
        max_length=200,
        help_text=_(
            "Words as people write them. Each word also finds its usual forms "
            "(kill: kills, killed, killing) and common misspellings; * stands for "
            "any one word and ... for up to three."
        ),
    )
    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=Severity.choices, default=Severity.LOW
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, blank=True
    )
    is_exception = models.BooleanField(
        _("harmless use"),
        default=False,
        help_text=_(
            "A longer phrase that contains a risk phrase but means no harm "
            '("cut myself a slice"). Where it matches, the risk phrase inside it '
            "does not count."
        ),
    )
    active = models.BooleanField(_("in use"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("phrase"),
        FieldPanel("is_exception"),
        FieldPanel("category"),
        FieldPanel("severity"),
        FieldPanel("active"),
        FieldPanel("notes"),
    ]

    class Meta:
        ordering = ["is_exception", "category", "phrase"]
        verbose_name = _("risk phrase")
        verbose_name_plural = _("risk lexicon")
        constraints = [
            models.UniqueConstraint(Lower("phrase"), name="lexiconentry_unique_phrase"),
            models.CheckConstraint(
                condition=Q(is_exception=True) | ~Q(category=""),
                name="lexiconentry_risk_has_category",
            ),
        ]

    def __str__(self):
        return self.phrase

    def clean(self):
        self.phrase = " ".join(self.phrase.split())
        if not phrase_words(self.phrase):
            raise ValidationError({"phrase": _("Write at least one word.")})
        if self.is_exception:
            self.category = ""
            self.severity = Severity.NONE
        elif not self.category:
            raise ValidationError({"category": _("Choose the kind of risk.")})


@register_setting(icon="warning")
class SeverityPolicy(BaseGenericSetting):
    """How soon a concern must be acknowledged, by severity; leads set it."""

    immediate_minutes = models.PositiveIntegerField(
        _("immediate: minutes to acknowledge"), default=15
    )
    high_minutes = models.PositiveIntegerField(
        _("high: minutes to acknowledge"), default=60
    )
    medium_minutes = models.PositiveIntegerField(
        _("medium: minutes to acknowledge"), default=24 * 60
    )
    low_minutes = models.PositiveIntegerField(
        _("low: minutes to acknowledge"), default=72 * 60
    )
    join_window_minutes = models.PositiveIntegerField(
        _("minutes in which signals join an open concern"),
        default=120,
        help_text=_(
            "A new signal about a member with an open concern raised or updated "
            "within this time joins that concern instead of opening another."
        ),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("immediate_minutes"),
                FieldPanel("high_minutes"),
                FieldPanel("medium_minutes"),
                FieldPanel("low_minutes"),
            ],
            heading=_("Time to acknowledge"),
        ),
        FieldPanel("join_window_minutes"),
    ]

    class Meta:
        verbose_name = _("safeguarding response times")

    def join_window(self) -> timedelta:
        return timedelta(minutes=self.join_window_minutes)

    def window(self, severity: int) -> timedelta:
        minutes = {
            Severity.IMMEDIATE: self.immediate_minutes,
            Severity.HIGH: self.high_minutes,
            Severity.MEDIUM: self.medium_minutes,
        }.get(severity, self.low_minutes)
        return timedelta(minutes=max(minutes, 1))


class ConcernStatus(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    ESCALATED = "escalated", _("Escalated")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = [s for s in ConcernStatus.values if s != ConcernStatus.CLOSED]
UNACKNOWLEDGED_STATUSES = [ConcernStatus.NEW, ConcernStatus.ESCALATED]


class ConcernSource(models.TextChoices):
    SCREENING = "screening", _("Screening of what they wrote")
    FLAG = "flag", _("A member was worried about them")
    STAFF = "staff", _("Reported by staff")


class Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", _("No further action needed")
    SUPPORT_OFFERED = "support_offered", _("Support offered by the service")
    SIGNPOSTED = "signposted", _("Signposted to other services")
    EMERGENCY_SERVICES = "emergency_services", _("Emergency services involved")
    REFERRED = "referred", _("Safeguarding referral made")
    RAISED_IN_ERROR = "raised_in_error", _("Raised in error")


class Concern(models.Model):
    wagtail_reference_index_ignore = True
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="concerns_about",
        verbose_name=_("member concerned"),
    )
    space = models.ForeignKey(
        "spaces.SpacePage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
    )
    source = models.CharField(max_length=12, choices=ConcernSource.choices)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    status = models.CharField(
        max_length=14, choices=ConcernStatus.choices, default=ConcernStatus.NEW
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns_owned",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    content_snapshot = models.TextField(blank=True)
    content_ref = models.CharField(max_length=100, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_signal_at = models.DateTimeField(default=timezone.now)
    due_by = models.DateTimeField(db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ConcernStatus.CLOSED)
                | (~Q(outcome="") & ~Q(outcome_reason="") & Q(closed_at__isnull=False)),
                name="concern_closed_has_outcome_and_reason",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"SG-{self.pk:05d}" if self.pk else "SG-new"

    @property
    def is_open(self) -> bool:
        return self.status != ConcernStatus.CLOSED

    @property
    def severity_label(self) -> str:
        return Severity(self.severity).label


class ConcernEvent(AppendOnlyModel):
    """The timeline of a concern and the audit trail of safeguarding: every view,
    change, assignment, notification and escalation, with who and when."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("Raised")
        JOINED = "joined", _("Another signal joined")
        SEVERITY_RAISED = "severity_raised", _("Severity raised")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        NOTE = "note", _("Note")
        ASSIGNED = "assigned", _("Assigned")
        ESCALATED = "escalated", _("Escalated")
        NOTIFIED = "notified", _("Notification sent")
        NOTIFICATION_FAILED = "notification_failed", _("Notification failed")
        CHECKLIST = "checklist", _("Immediate-risk step")
        GLASS_BROKEN = "glass_broken", _("Contact details opened")
        CLOSED = "closed", _("Closed")
        VIEWED = "viewed", _("Viewed")
        DEBRIEF = "debrief", _("Debrief")

    wagtail_reference_index_ignore = True

    concern = models.ForeignKey(
        Concern,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The member a chronology or break-glass view was about."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    step = models.CharField(max_length=40, blank=True)
    content_ref = models.CharField(
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("What a raising or joining signal was about (e.g. a post)."),
    )
    tier = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class Tier(models.IntegerChoices):
    FIRST = 0, _("Peer worker on duty")
    LEAD_ON_CALL = 1, _("Safeguarding lead on call")
    ALL_LEADS = 2, _("Every safeguarding lead")
    SERVICE_MANAGER = 3, _("Service manager")


class Escalation(models.Model):
    """A deadline: if the concern is still unacknowledged at `due_at`, tell `tier`.
    One row per concern and tier, fired at most once."""

    wagtail_reference_index_ignore = True

    concern = models.ForeignKey(
        Concern, on_delete=models.PROTECT, related_name="escalations"
    )
    tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    due_at = models.DateTimeField(db_index=True)
    fired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["concern", "tier"], name="escalation_once_per_tier"
            )
        ]

    def __str__(self):
        return f"{self.concern} tier {self.tier}"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to send")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """One message about a concern to one person (an email and an admin inbox
    entry) or to the service manager's address. It carries severity, reference and
    link only."""

    wagtail_reference_index_ignore = True

    concern = models.ForeignKey(
        Concern, on_delete=models.PROTECT, related_name="notifications"
    )
    tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="safeguarding_notifications",
    )
    address = models.EmailField(blank=True)
    status = models.CharField(
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["concern", "tier", "recipient"],
                name="notification_once_per_tier_and_person",
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(address=""),
                name="notification_has_someone",
            ),
        ]

    def __str__(self):
        return f"{self.concern} tier {self.tier}: {self.status}"


class SafetyPlan(models.Model):
    """A member's own safety plan. Only safeguarding leads and the owner of an open
    concern about the member may read it (see `selectors.safety_plan_for`)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_plan"
    )
    what_helps = models.TextField(_("What helps me"), blank=True, max_length=5000)
    who_to_contact = models.TextField(
        _("Who I'd like contacted, and how"), blank=True, max_length=5000
    )
    updated_at = models.DateTimeField(auto_now=True)

    wagtail_reference_index_ignore = True

    def __str__(self):
        return f"Safety plan {self.pk}"
