"""Courses: time-boxed cohorts of service users and professionals (seed 000).

A `CoursePage` is a `SpacePage`, so enrolment is a `Membership` of the course and the
moderators are the space's facilitators: nothing about membership is built twice.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import BodyBlock
from peer_site.page_cache import content_cached
from peer_site.page_routes import KnownRestrictionsMixin, site_for_request
from peer_site.public_pages import public
from peer_support import timeutils
from peer_support.spaces.models import SpacePage, SpaceSession


class CourseIndexPage(KnownRestrictionsMixin, Page):
    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("course list")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The list shows only what the course pages hold, which only content events
        # change: rendered once, and kept until the next purge.
        site = site_for_request(request)
        context["course_list"] = content_cached(
            f"course-list:{self.pk}:{site.pk if site else 0}:{get_language()}",
            lambda: render_to_string(
                "courses/includes/course_list.html",
                {"courses": self.courses(), "request": request},
            ),
        )
        return context

    def courses(self):
        return public(CoursePage.objects.child_of(self).live()).order_by(
            "-starts_on", "title"
        )


class EnrolmentState(models.TextChoices):
    NOT_YET_OPEN = "not_yet_open", _("Enrolment not yet open")
    OPEN = "open", _("Enrolment open")
    CLOSED = "closed", _("Enrolment closed")


class CoursePage(RoutablePageMixin, SpacePage):
    summary = models.TextField(
        help_text=_("One or two sentences: what the course is about and who for.")
    )
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)
    enrolment_opens_at = models.DateTimeField(_("enrolment opens"))
    enrolment_closes_at = models.DateTimeField(_("enrolment closes"))
    starts_on = models.DateField(_("course starts"))
    ends_on = models.DateField(_("course ends"))
    max_service_users = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("Most service users (members who are not professionals)."),
    )
    consent_text = models.TextField(
        help_text=_(
            "What a member agrees to when they enrol, in plain words (e.g. that "
            "the discussion may be read by the course team)."
        )
    )
    certificate_min_live_sessions = models.PositiveSmallIntegerField(
        _("live sessions to attend for a certificate"), default=1
    )
    certificate_min_posts = models.PositiveSmallIntegerField(
        _("posts to write for a certificate"),
        default=0,
        help_text=_(
            "Counts once the course discussion is available; until then only live "
            "sessions count."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("enrolment_opens_at"),
                        FieldPanel("enrolment_closes_at"),
                    ]
                ),
                FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            ],
            heading=_("Dates"),
        ),
        InlinePanel("topics", label=_("Discussion topics")),
        InlinePanel("live_sessions", label=_("Live sessions")),
        MultiFieldPanel(
            [
                FieldPanel("consent_text"),
                FieldPanel("max_service_users"),
            ],
            heading=_("Enrolment"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("certificate_min_live_sessions"),
                FieldPanel("certificate_min_posts"),
            ],
            heading=_("Certificate of participation"),
        ),
        *SpacePage.boundary_panels,
    ]
    search_fields = SpacePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields(
            "topics", [index.SearchField("title"), index.SearchField("prompt")]
        ),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = []
    # What the page shows that only content events change, kept with the page when it
    # is routed from cache (`peer_site.page_routes`).
    route_cache_prefetch = ("topics",)

    class Meta:
        verbose_name = _("course")

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.enrolment_opens_at
            and self.enrolment_closes_at
            and self.enrolment_closes_at <= self.enrolment_opens_at
        ):
            errors["enrolment_closes_at"] = _("Enrolment must close after it opens.")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The course cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    def enrolment_state(self, at: datetime | None = None) -> str:
        at = at or timezone.now()
        if at < self.enrolment_opens_at:
            return EnrolmentState.NOT_YET_OPEN
        if at >= self.enrolment_closes_at:
            return EnrolmentState.CLOSED
        return EnrolmentState.OPEN

    def join_refusal(self, *, role: str) -> str | None:
        state = self.enrolment_state()
        if state == EnrolmentState.NOT_YET_OPEN:
            return gettext("Enrolment for this course hasn't opened yet.")
        if state == EnrolmentState.CLOSED:
            return gettext("Enrolment for this course has closed.")
        return None

    def service_user_cap(self) -> int | None:
        return self.max_service_users

    def has_ended(self, at: datetime | None = None) -> bool:
        at = at or timezone.now()
        return timezone.localdate(at) > self.ends_on

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_page_details

        context = super().get_context(request, *args, **kwargs)
        context.update(course_page_details(course=self, user=request.user))
        return context

    def sessions_between(self, start, end):
        return [
            (session.starts_at, session.ends_at)
            for session in sessions_overlapping(self.live_sessions.all(), start, end)
        ]

    @classmethod
    def live_sessions_between(cls, start, end):
        """Live sessions of every live course, in one query."""
        sessions = LiveSession.objects.filter(page__live=True).annotate(
            space_title=models.F("page__title")
        )
        return [
            SpaceSession(
                space_id=session.page_id,
                space_title=session.space_title,
                start=session.starts_at,
                end=session.ends_at,
            )
            for session in sessions_overlapping(sessions, start, end)
        ]

    # Views live in views.py; these routes only hand over to them.
    # Wagtail serves only slash-ended paths without dots, hence not "sessions.ics".
    @path("calendar/", name="sessions_ics")
    def sessions_ics(self, request):
        from .views import course_sessions_ics

        return course_sessions_ics(request, self)

    @path("sessions/<int:session_id>/attendance/", name="session_attendance")
    def session_attendance(self, request, session_id):
        from .views import live_session_attendance

        return live_session_attendance(request, self, session_id)

    @path("certificate/", name="certificate")
    def certificate(self, request):
        from .views import course_certificate

        return course_certificate(request, self)


def sessions_overlapping(sessions, start: datetime, end: datetime) -> list:
    """The live sessions of a queryset that overlap [start, end), soonest first (a
    session lasts less than a day)."""
    return [
        session
        for session in sessions.filter(
            starts_at__lt=end, starts_at__gte=start - timedelta(days=1)
        ).order_by("starts_at")
        if session.ends_at > start
    ]


class CourseTopic(Orderable):
    page = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="topics")
    week = models.PositiveSmallIntegerField(
        default=1, help_text=_("Week of the course this topic belongs to.")
    )
    title = models.CharField(max_length=160)
    prompt = models.TextField(help_text=_("The question that opens the discussion."))

    panels = [FieldPanel("week"), FieldPanel("title"), FieldPanel("prompt")]

    class Meta(Orderable.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(week__gte=1), name="coursetopic_week_from_one"
            )
        ]

    def __str__(self):
        return self.title


class LiveSession(Orderable):
    """A scheduled webcast with typed chat. Times are stored in UTC and shown in
    Europe/London."""

    page = ParentalKey(
        CoursePage, on_delete=models.CASCADE, related_name="live_sessions"
    )
    title = models.CharField(max_length=160)
    starts_at = models.DateTimeField()
    duration = models.DurationField(
        default=timedelta(hours=1), help_text=_("e.g. 01:00:00 for one hour.")
    )
    webcast_url = models.URLField(
        _("webcast link"),
        blank=True,
        help_text=_("Shown only to enrolled members and staff."),
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_live_sessions",
        limit_choices_to={"is_staff": True},
        help_text=_("A peer worker or staff member; shown by pseudonym."),
    )

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("duration")]),
        FieldPanel("webcast_url"),
        FieldPanel("host"),
    ]

    class Meta(Orderable.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration__gt=timedelta(0)),
                name="livesession_duration_positive",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def duration_minutes(self) -> int:
        return int(self.duration.total_seconds() // 60)

    @property
    def ends_at(self) -> datetime:
        return timeutils.end_after(self.starts_at, self.duration)

    def is_on(self, at: datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.starts_at <= at < self.ends_at


class AttendanceHow(models.TextChoices):
    SELF_JOINED = "self_joined", _("Joined during the session")
    MARKED = "marked", _("Marked by a moderator")


class LiveSessionAttendance(models.Model):
    """Who was at a live session; counts towards a professional's certificate."""

    session = models.ForeignKey(
        LiveSession, on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="live_session_attendances",
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    how = models.CharField(max_length=20, choices=AttendanceHow.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member"],
                name="livesessionattendance_once_per_member",
            ),
            # A marker whose account is later deleted leaves `marked` with no
            # marker, so only the other direction is a rule.
            models.CheckConstraint(
                condition=~models.Q(how="self_joined", marked_by__isnull=False),
                name="livesessionattendance_self_joined_has_no_marker",
            ),
        ]

    def __str__(self):
        return f"{self.member} at {self.session_id}"
