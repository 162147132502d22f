"""Standing peer-support groups and the finder that lists them.

A `GroupPage` is a `SpacePage`, so membership, ground rules and facilitators come from
the one space machinery. Topics are a managed `Topic` snippet (not free tags) so the
finder filters on a short, stable list and editors cannot scatter near-duplicates.
Venues store their own coordinates: nothing is geocoded at run time.
"""

from collections import defaultdict
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import BodyBlock
from peer_site.page_routes import KnownRestrictionsMixin
from peer_support.spaces.models import SpacePage, SpaceSession
from peer_support.timeutils import Weekday

from .schedule import Frequency, MeetingPattern


class Topic(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")

    def __str__(self):
        return self.name


class Venue(index.Indexed, models.Model):
    name = models.CharField(max_length=120)
    address = models.TextField(
        help_text=_("Shown only to members of the group and to peer workers.")
    )
    town = models.CharField(
        max_length=80, help_text=_("Town or area, shown to everyone.")
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    accessibility = models.TextField(
        blank=True,
        help_text=_("Step-free access, toilets, hearing loop, parking, quiet room..."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("town"),
        MultiFieldPanel(
            [FieldPanel("latitude"), FieldPanel("longitude")],
            heading=_("Location (for sorting by distance)"),
        ),
        FieldPanel("accessibility"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("town")]

    class Meta:
        ordering = ["town", "name"]
        verbose_name = _("venue")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="venue_coordinates_in_range",
            )
        ]

    def __str__(self):
        return f"{self.name}, {self.town}"


class GroupFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid (in person and online)")


class GroupStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused for now")
    ENDED = "ended", _("Ended")


# The fields a group's meeting pattern is made of.
PATTERN_FIELDS = (
    "frequency",
    "weekday",
    "start_time",
    "duration_minutes",
    "starts_on",
    "ends_on",
)


class GroupIndexPage(RoutablePageMixin, KnownRestrictionsMixin, Page):
    """The group finder."""

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["groups.GroupPage"]
    # The finder's parameters a cached page may be stored under (`peer_site.
    # page_cache`): every filter and the page number, never the visitor's own
    # location (lat, lng), which is used for one search and not kept.
    page_cache_params = frozenset(
        {"q", "topic", "format", "day", "time", "town", "taking_new", "near", "page"}
    )

    class Meta:
        verbose_name = _("group finder")

    @path("")
    def finder(self, request):
        from .views import group_finder

        return group_finder(request, page=self)


class GroupPage(RoutablePageMixin, SpacePage):
    summary = models.CharField(
        max_length=280, help_text=_("One or two plain sentences for the finder.")
    )
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)
    who_for = models.TextField(_("who it is for"), blank=True)
    topics = ParentalManyToManyField(Topic, blank=True, related_name="groups")
    format = models.CharField(
        max_length=10, choices=GroupFormat.choices, default=GroupFormat.IN_PERSON
    )
    venue = models.ForeignKey(
        Venue,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="groups",
    )
    meeting_link = models.URLField(
        blank=True, help_text=_("Shown only to members of the group and peer workers.")
    )
    frequency = models.CharField(
        max_length=12, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField(help_text=_("UK local time."))
    duration_minutes = models.PositiveSmallIntegerField(default=90)
    starts_on = models.DateField(
        help_text=_("The first meeting is on the first chosen weekday from this date.")
    )
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=GroupStatus.choices, default=GroupStatus.RUNNING
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("who_for"),
        FieldPanel("topics"),
        FieldPanel("body"),
        FieldPanel("status"),
        MultiFieldPanel(
            [FieldPanel("format"), FieldPanel("venue"), FieldPanel("meeting_link")],
            heading=_("Where"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("frequency"),
                FieldPanel("weekday"),
                FieldPanel("start_time"),
                FieldPanel("duration_minutes"),
                FieldPanel("starts_on"),
                FieldPanel("ends_on"),
            ],
            heading=_("When"),
        ),
        InlinePanel("cancelled_dates", label=_("Cancelled meetings")),
        *SpacePage.boundary_panels,
    ]
    search_fields = SpacePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("who_for"),
        index.SearchField("body"),
        index.FilterField("format"),
        index.FilterField("status"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.RelatedFields("venue", [index.SearchField("town")]),
    ]

    parent_page_types = ["groups.GroupIndexPage"]
    subpage_types = []
    # What the page shows that only content events change, kept with the page when it
    # is routed from cache (`peer_site.page_routes`).
    route_cache_prefetch = ("topics", "venue", "cancelled_dates")

    class Meta:
        verbose_name = _("group")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__gte=0, weekday__lte=6),
                name="grouppage_weekday_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="grouppage_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0),
                name="grouppage_duration_positive",
            ),
        ]

    def clean(self):
        super().clean()
        if self.format in (GroupFormat.IN_PERSON, GroupFormat.HYBRID) and not (
            self.venue_id
        ):
            raise ValidationError(
                {"venue": _("Groups that meet in person need a venue.")}
            )
        if self.format in (GroupFormat.ONLINE, GroupFormat.HYBRID) and not (
            self.meeting_link
        ):
            raise ValidationError(
                {"meeting_link": _("Groups that meet online need a meeting link.")}
            )
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date is before the start.")})

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        # The search index is written when the page row is saved, before its topics
        # are; write it again so the finder's word search finds a group by topic.
        index.insert_or_update_object(self)
        return result

    @property
    def meets_online(self) -> bool:
        return self.format in (GroupFormat.ONLINE, GroupFormat.HYBRID)

    @property
    def meets_in_person(self) -> bool:
        return self.format in (GroupFormat.IN_PERSON, GroupFormat.HYBRID)

    def meeting_pattern(self) -> MeetingPattern:
        # `.all()` so a prefetched list costs no query.
        return MeetingPattern(
            **{name: getattr(self, name) for name in PATTERN_FIELDS},
            cancelled=frozenset(c.date for c in self.cancelled_dates.all()),
        )

    @staticmethod
    def pattern_from_values(values, *, cancelled) -> MeetingPattern:
        """The meeting pattern of a group read as plain values (`PATTERN_FIELDS`),
        for lists that build no page object per group."""
        return MeetingPattern(
            **{name: values[name] for name in PATTERN_FIELDS},
            cancelled=frozenset(cancelled),
        )

    def next_meetings(
        self, n: int = 6, *, after: datetime | None = None
    ) -> list[tuple[datetime, datetime]]:
        if self.status != GroupStatus.RUNNING:
            return []
        return self.meeting_pattern().next_meetings(n, after=after)

    def next_meeting(self, *, after: datetime | None = None):
        found = self.next_meetings(1, after=after)
        return found[0] if found else None

    def sessions_between(self, start: datetime, end: datetime):
        if self.status != GroupStatus.RUNNING:
            return []
        return self.meeting_pattern().between(start, end)

    @classmethod
    def live_sessions_between(cls, start: datetime, end: datetime):
        """Meetings of every live, running group, in two queries, from plain rows
        (a thousand page objects would cost more than all their meetings)."""
        cancelled = defaultdict(set)
        for page_id, day in GroupCancelledDate.objects.filter(
            page__live=True, page__status=GroupStatus.RUNNING
        ).values_list("page_id", "date"):
            cancelled[page_id].add(day)
        rows = (
            cls.objects.live()
            .filter(status=GroupStatus.RUNNING)
            .values("pk", "title", *PATTERN_FIELDS)
        )
        sessions = []
        for row in rows:
            pk, title = row["pk"], row["title"]
            pattern = cls.pattern_from_values(row, cancelled=cancelled[pk])
            sessions += [
                SpaceSession(pk, title, begins, ends)
                for begins, ends in pattern.between(start, end)
            ]
        return sessions

    def get_context(self, request, *args, **kwargs):
        from .views import group_context

        context = super().get_context(request, *args, **kwargs)
        context.update(group_context(request, page=self))
        return context

    @path("")
    def group(self, request):
        return self.render(request)

    # Wagtail serves only [\w-] path segments, so no ".ics" suffix in the URL; the
    # download is still named <slug>.ics.
    @path("calendar/", name="meetings_ical")
    def meetings_ical(self, request):
        from .views import group_meetings_ical

        return group_meetings_ical(request, page=self)


class GroupCancelledDate(Orderable):
    page = ParentalKey(
        GroupPage, on_delete=models.CASCADE, related_name="cancelled_dates"
    )
    date = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    panels = [FieldPanel("date"), FieldPanel("reason")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["page", "date"], name="groupcancelleddate_once_per_date"
            )
        ]

    def __str__(self):
        return str(self.date)
