"""What groups and courses share: a space's rules of entry and its people.

`SpacePage` is a concrete page that `GroupPage` and `CoursePage` extend, so memberships,
posts, flags, shifts and concerns can point at one table. The live row is what the
rules read; drafts stay in revisions.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    Orderable,
    Page,
    PreviewableMixin,
    RevisionMixin,
)

from peer_support.accounts.roles import PEER_WORKER


class GroundRules(DraftStateMixin, RevisionMixin, PreviewableMixin, models.Model):
    """Ground rules shared by several spaces. Each published revision is a version
    members accept before they join or post."""

    title = models.CharField(max_length=120)
    body = RichTextField(features=["bold", "italic", "ol", "ul", "link"])

    panels = [FieldPanel("title"), FieldPanel("body")]

    class Meta:
        verbose_name = _("ground rules")
        verbose_name_plural = _("ground rules")

    def __str__(self):
        return self.title

    def get_preview_template(self, request, mode_name):
        return "spaces/ground_rules_preview.html"


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("Open: join at once")
    REQUEST = "request", _("Request to join: a facilitator approves")
    INVITE = "invite", _("Invite only")
    CLOSED = "closed", _("Closed to new members")


class ModerationMode(models.TextChoices):
    PRE = "pre", _("Pre-moderated: posts wait for a peer worker")
    POST = "post", _("Post-moderated: posts appear at once and can be hidden")


class SpacePage(Page):
    join_policy = models.CharField(
        max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.REQUEST
    )
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Most active members; blank for no limit.")
    )
    max_professionals = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("Most professionals among active members; blank for no limit."),
    )
    max_professional_share = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("Largest share of active members who are professionals, in %."),
    )
    ground_rules = models.ForeignKey(
        GroundRules,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spaces",
    )
    moderation_mode = models.CharField(
        max_length=10, choices=ModerationMode.choices, default=ModerationMode.PRE
    )

    boundary_panels = [
        MultiFieldPanel(
            [
                FieldPanel("join_policy"),
                FieldPanel("capacity"),
                FieldPanel("max_professionals"),
                FieldPanel("max_professional_share"),
            ],
            heading=_("Who may join"),
        ),
        FieldPanel("ground_rules"),
        FieldPanel("moderation_mode"),
        InlinePanel("facilitators", label=_("Facilitators")),
    ]
    search_fields = Page.search_fields

    is_creatable = False

    def sessions_between(self, start, end) -> list[tuple[datetime, datetime]]:
        """When this space meets between two aware datetimes, as (start, end) pairs;
        groups and courses say how."""
        return []

    class Meta:
        verbose_name = _("space")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_professional_share__lte=100),
                name="spacepage_professional_share_is_a_percentage",
            ),
        ]


class SpaceFacilitator(Orderable):
    """A peer worker who facilitates a space; public content of the page (by
    pseudonym)."""

    page = ParentalKey(SpacePage, on_delete=models.CASCADE, related_name="facilitators")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="facilitated_spaces",
        limit_choices_to={"groups__name": PEER_WORKER},
    )

    panels = [FieldPanel("worker")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["page", "worker"], name="spacefacilitator_once_per_space"
            )
        ]


class SpaceRole(models.TextChoices):
    MEMBER = "member", _("Member")
    PROFESSIONAL = "professional", _("Professional")
    FACILITATOR = "facilitator", _("Facilitator")


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    WAITLISTED = "waitlisted", _("On the waiting list")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left")
    REMOVED = "removed", _("Removed")


class Membership(models.Model):
    """A member's standing in one space. Rules that change it live in services."""

    space = models.ForeignKey(
        SpacePage, on_delete=models.PROTECT, related_name="memberships"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        max_length=20, choices=SpaceRole.choices, default=SpaceRole.MEMBER
    )
    status = models.CharField(max_length=20, choices=MembershipStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "member"], name="membership_one_per_member_and_space"
            )
        ]
        indexes = [models.Index(fields=["space", "status", "role"])]

    def __str__(self):
        return f"{self.member} in {self.space_id} ({self.status})"
