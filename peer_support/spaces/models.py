"""What groups and courses share: a space's rules of entry and its people.

`SpacePage` is a concrete page that `GroupPage` and `CoursePage` extend, so memberships,
posts, flags, shifts and concerns can point at one table. The live row is what the
rules read; drafts stay in revisions.
"""

from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
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

from peer_site.page_routes import KnownRestrictionsMixin
from peer_support.accounts.roles import PEER_WORKER
from peer_support.audit import AppendOnlyModel

from .unread_notices import notices_changed


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


DEFAULT_OFFER_DAYS = 3


class SpacePage(KnownRestrictionsMixin, Page):
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
    offer_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_(
            "Days someone on the waiting list has to accept a place before it is "
            "offered to the next person; blank for the usual 3."
        ),
    )

    boundary_panels = [
        MultiFieldPanel(
            [
                FieldPanel("join_policy"),
                FieldPanel("capacity"),
                FieldPanel("max_professionals"),
                FieldPanel("max_professional_share"),
                FieldPanel("offer_days"),
            ],
            heading=_("Who may join"),
        ),
        InlinePanel("eligibility_questions", label=_("Questions for requests")),
        FieldPanel("ground_rules"),
        FieldPanel("moderation_mode"),
        InlinePanel("facilitators", label=_("Facilitators")),
    ]
    search_fields = Page.search_fields

    is_creatable = False

    def offer_days_or_default(self) -> int:
        return DEFAULT_OFFER_DAYS if self.offer_days is None else self.offer_days

    def join_refusal(self, *, role: str) -> str | None:
        """Why this space can't take someone in this role now, beyond capacity and
        the professional caps (a course's enrolment window, say); None when it can.
        Called by the membership services while they hold the space lock."""
        return None

    def service_user_cap(self) -> int | None:
        """The most members who are not professionals, beyond capacity; None for no
        such cap. A course sets one."""
        return None

    def sessions_between(self, start, end) -> list[tuple[datetime, datetime]]:
        """When this space meets between two aware datetimes, as (start, end) pairs;
        groups and courses say how."""
        return []

    @classmethod
    def live_sessions_between(cls, start, end) -> list["SpaceSession"]:
        """`sessions_between` for every live space of this kind at once, in a fixed
        number of queries and without building a page object per space (the rota's
        coverage reads a thousand groups). A kind that meets defines its own."""
        return []

    class Meta:
        verbose_name = _("space")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_professional_share__lte=100),
                name="spacepage_professional_share_is_a_percentage",
            ),
        ]


class SpaceSession(NamedTuple):
    """One meeting of a space: which space (id and title, enough to name and link
    it), when, and the session's own title if it has one. A named tuple: the rota's
    coverage builds one per meeting of every space, over ten thousand a report, and
    a tuple costs a fraction of a dataclass to make."""

    space_id: int
    space_title: str
    start: datetime
    end: datetime
    title: str = ""


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


class EligibilityQuestion(Orderable):
    """A question a space asks people who request to join; a facilitator reads the
    answers before approving."""

    page = ParentalKey(
        SpacePage, on_delete=models.CASCADE, related_name="eligibility_questions"
    )
    text = models.CharField(max_length=255)
    required = models.BooleanField(default=True)

    panels = [FieldPanel("text"), FieldPanel("required")]

    def __str__(self):
        return self.text


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
    DECLINED = "declined", _("Request declined")
    BANNED = "banned", _("Banned from this space")


# Statuses that hold a place in the space (a suspension is a pause, not a vacancy).
PLACE_HOLDING_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED)


class Membership(models.Model):
    """A member's standing in one space. Rules that change it live in services."""

    wagtail_reference_index_ignore = True

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
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Set while a waiting-list place is offered.")
    )
    suspended_until = models.DateTimeField(null=True, blank=True)
    rules_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The ground rules revision this member last accepted."),
    )
    rules_accepted_at = models.DateTimeField(null=True, blank=True)
    consent_given_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "member"], name="membership_one_per_member_and_space"
            ),
            models.CheckConstraint(
                condition=models.Q(offer_expires_at__isnull=True)
                | models.Q(status="waitlisted"),
                name="membership_offer_only_when_waitlisted",
            ),
            models.CheckConstraint(
                condition=models.Q(suspended_until__isnull=True)
                | models.Q(status="suspended"),
                name="membership_suspension_only_when_suspended",
            ),
        ]
        permissions = [
            ("manage_any_space_members", "Can manage members of any space"),
        ]
        indexes = [models.Index(fields=["space", "status", "role"])]

    def __str__(self):
        return f"{self.member} in {self.space}"


class EligibilityAnswer(models.Model):
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        EligibilityQuestion, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    question_text = models.CharField(
        max_length=255, help_text=_("The question as it was asked.")
    )
    answer = models.TextField(max_length=2000, blank=True)

    def __str__(self):
        return self.question_text


class SpaceInvite(models.Model):
    """A single-use code that lets one person into an invite-only space."""

    space = models.ForeignKey(
        SpacePage, on_delete=models.PROTECT, related_name="invites"
    )
    code = models.CharField(max_length=32, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Invite to {self.space_id}"


class MembershipEvent(AppendOnlyModel):
    """Append-only history of a membership: who did what, when, and why.

    The event names its space and member itself rather than only through the
    membership, so it outlives both the membership and the member's account: erasing
    an account clears `member`, `actor` and `membership` here (the rows are shown as
    "former member") and keeps the space, action, time and reason.
    """

    erasable_fields = ("membership", "member", "actor")

    class Action(models.TextChoices):
        JOINED = "joined", _("Joined")
        REQUESTED = "requested", _("Asked to join")
        APPROVED = "approved", _("Request approved")
        DECLINED = "declined", _("Request declined")
        WAITLISTED = "waitlisted", _("Joined the waiting list")
        OFFERED = "offered", _("Offered a place")
        OFFER_ACCEPTED = "offer_accepted", _("Accepted a place")
        OFFER_EXPIRED = "offer_expired", _("Offer expired")
        LEFT = "left", _("Left")
        SUSPENDED = "suspended", _("Suspended")
        SUSPENSION_LIFTED = "suspension_lifted", _("Suspension lifted")
        REMOVED = "removed", _("Removed")
        REINSTATED = "reinstated", _("Reinstated after an appeal")
        BANNED = "banned", _("Banned")
        RULES_ACCEPTED = "rules_accepted", _("Accepted the ground rules")

    membership = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("Blank once the member's account has been erased."),
    )
    space = models.ForeignKey(SpacePage, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Blank once the member's account has been erased."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Blank when the system acted or the account has been erased."),
    )
    by_system = models.BooleanField(
        default=False,
        help_text=_("The system acted (an expiry, a lifted suspension), not a person."),
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("membership event")

    def __str__(self):
        return f"{self.action} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def member_label(self) -> str:
        return self.member.pseudonym if self.member_id else gettext("former member")

    @property
    def actor_label(self) -> str:
        if self.actor_id:
            return self.actor.pseudonym
        return gettext("automatic") if self.by_system else gettext("former member")


class MemberNoticeQuerySet(models.QuerySet):
    def update(self, **fields):
        """A queryset update reaches the members' stored unread counts, as a save
        does."""
        members = set(self.values_list("member_id", flat=True))
        rows = super().update(**fields)
        for member_id in members:
            notices_changed(member_id)
        return rows


class MemberNotice(models.Model):
    """A private message to one member about their standing in a space; they read it
    on their account page. The same text goes by email."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    space = models.ForeignKey(
        SpacePage, on_delete=models.PROTECT, related_name="+", null=True
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = MemberNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        notices_changed(self.member_id)
