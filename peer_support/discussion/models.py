"""A space's discussion: threads, and posts that are django-comments-xtd comments.

`Post` extends `XtdComment` (the documented way to add fields), so threading (parent,
level, order) is comments-xtd's. What comments-xtd lacks lives here: a post's status
(`status` is the one answer to "who sees it"; comments' `is_public` only mirrors it),
revisions, "this helped", flags with reasons, append-only moderation history, watched
words and per-space discussion settings.
"""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment, XtdCommentManager

from peer_support.audit import AppendOnlyModel
from peer_support.spaces.models import SpacePage

from .versions import thread_changed


class SpaceDiscussion(models.Model):
    """How one space's discussion runs; a space without a row uses the defaults."""

    space = models.OneToOneField(
        SpacePage, on_delete=models.PROTECT, related_name="discussion_settings"
    )
    non_members_may_read = models.BooleanField(
        default=False,
        help_text=_("Signed-in people who are not members may read (not post)."),
    )
    probation_posts = models.PositiveSmallIntegerField(
        default=settings.DISCUSSION_PROBATION_POSTS,
        help_text=_("A new member's first posts in this space wait for a peer worker."),
    )
    new_member_posts = models.PositiveSmallIntegerField(
        default=settings.DISCUSSION_NEW_MEMBER_RATE[0],
        help_text=_("Most posts a new member may write in the window below."),
    )
    new_member_window_seconds = models.PositiveIntegerField(
        default=settings.DISCUSSION_NEW_MEMBER_RATE[1]
    )
    unanswered_hours = models.PositiveSmallIntegerField(
        default=settings.DISCUSSION_UNANSWERED_HOURS,
        help_text=_(
            "A post with no reply after this many hours is listed for peer "
            "workers, and whoever is on duty is told once."
        ),
    )

    class Meta:
        verbose_name = _("discussion settings")
        verbose_name_plural = _("discussion settings")

    def __str__(self):
        return str(self.space)


class Label(models.TextChoices):
    """What a moderator marks a conversation or post as, shown beside it."""

    NONE = "", _("No label")
    WELCOME = "welcome", _("Welcome")
    SUMMARY = "summary", _("Summary")
    RESOURCE = "resource", _("Resource")


class ThreadQuerySet(models.QuerySet):
    def update(self, **fields):
        """A queryset update reaches the threads' stored rows
        (`selectors.thread_shown_to_all`), as a save does."""
        threads = set(self.values_list("pk", flat=True))
        rows = super().update(**fields)
        for thread_id in threads:
            thread_changed(thread_id)
        return rows


class Thread(models.Model):
    """A conversation in a space: a title and an opening post (or, for a course
    topic, the topic's prompt)."""

    space = models.ForeignKey(
        SpacePage, on_delete=models.PROTECT, related_name="threads"
    )
    title = models.CharField(_("title"), max_length=160)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topic = models.OneToOneField(
        "courses.CourseTopic",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="thread",
    )
    week = models.PositiveSmallIntegerField(null=True, blank=True)
    opening = models.OneToOneField(
        "discussion.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_post_at = models.DateTimeField(null=True, blank=True, db_index=True)
    locked = models.BooleanField(default=False)
    slow_mode_seconds = models.PositiveIntegerField(
        default=0, help_text=_("Seconds a member waits between posts; 0 for none.")
    )
    pinned = models.BooleanField(default=False)
    label = models.CharField(
        _("label"), max_length=10, choices=Label.choices, blank=True, default=""
    )

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-last_post_at", "-pk"]
        indexes = [models.Index(fields=["space", "pinned", "last_post_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        thread_changed(self.pk)

    def delete(self, *args, **kwargs):
        thread_id = self.pk
        result = super().delete(*args, **kwargs)
        thread_changed(thread_id)
        return result


class PostStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HELD = "held", _("Waiting for a peer worker")
    HIDDEN = "hidden", _("Hidden")
    REMOVED = "removed", _("Removed")
    DELETED = "deleted", _("Deleted by its author")


class HoldReason(models.TextChoices):
    NONE = "", _("Not held")
    PRE_MODERATED = "pre_moderated", _("This space is pre-moderated")
    NO_ONE_ON_DUTY = "no_one_on_duty", _("No peer worker was on duty")
    PROBATION = "probation", _("A new member's first posts")
    WATCHED_WORD = "watched_word", _("Matched a watched word")
    FLAGS = "flags", _("Hidden by flags while no one was on duty")
    FLAGGED_MEMBER = "flagged_member", _("The author's posts were flagged often")
    SAFEGUARDING = "safeguarding", _("Safeguarding: a peer worker should check in")


class PostQuerySet(models.QuerySet):
    def update(self, **fields):
        """Every write to posts reaches their threads' stored pages
        (`thread_cache`), a queryset update as well as a save."""
        threads = set(self.values_list("thread_ref_id", flat=True))
        rows = super().update(**fields)
        for thread_id in threads:
            thread_changed(thread_id)
        return rows


class Post(XtdComment):
    """One post. Never written except through `services.post_submit`."""

    # Members' words: no page, image or snippet is "used" by a post, and the index
    # would cost every post a few more queries.
    wagtail_reference_index_ignore = True
    objects = XtdCommentManager.from_queryset(PostQuerySet)()

    thread_ref = models.ForeignKey(
        Thread, on_delete=models.PROTECT, related_name="posts"
    )
    status = models.CharField(
        max_length=12, choices=PostStatus.choices, default=PostStatus.PUBLISHED
    )
    hold_reason = models.CharField(
        max_length=20, choices=HoldReason.choices, blank=True, default=""
    )
    hold_detail = models.CharField(max_length=300, blank=True)
    moderator_reason = models.TextField(blank=True)
    is_opening = models.BooleanField(default=False)
    needs_review = models.BooleanField(default=False, db_index=True)
    review_since = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The moderator looking at this post now."),
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    unanswered_told_at = models.DateTimeField(null=True, blank=True)
    mentions = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Pseudonyms (lower case) this post mentions with @."),
    )
    label = models.CharField(
        _("label"), max_length=10, choices=Label.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("post")
        indexes = [
            models.Index(fields=["thread_ref", "is_opening", "status"]),
            models.Index(fields=["needs_review", "review_since"]),
        ]

    def __str__(self):
        return f"{self.thread_ref_id}#{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.status == PostStatus.PUBLISHED

    @property
    def is_held(self) -> bool:
        return self.status == PostStatus.HELD

    @property
    def is_deleted(self) -> bool:
        return self.status == PostStatus.DELETED


class PostRevision(AppendOnlyModel):
    """The text a post had before an edit; for moderators."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class Helped(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="helped")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "member"], name="helped_once")
        ]

    def __str__(self):
        return f"helped {self.post_id}"


class FlagReason(models.TextChoices):
    GROUND_RULE = "ground_rule", _("It breaks a ground rule")
    WORRIED = "worried", _("I'm worried about this person")
    SPAM = "spam", _("Spam or advertising")
    OTHER = "other", _("Something else")


class PostFlag(models.Model):
    """A member's report on a post. The reporter is shown only to moderators."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="post_flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=FlagReason.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"], name="postflag_one_per_member_and_post"
            )
        ]

    def __str__(self):
        return self.get_reason_display()


class ModerationAction(AppendOnlyModel):
    """Append-only history of every decision about a post."""

    erasable_fields = ("actor",)

    class Kind(models.TextChoices):
        HELD = "held", _("Held for review")
        AUTO_HIDDEN = "auto_hidden", _("Hidden by flags")
        APPROVED = "approved", _("Approved")
        HIDDEN = "hidden", _("Hidden")
        REMOVED = "removed", _("Removed")
        WARNED = "warned", _("Warned the author")
        LOCKED = "locked", _("Thread locked")
        UNLOCKED = "unlocked", _("Thread unlocked")
        SLOW_MODE = "slow_mode", _("Slow mode set")
        PINNED = "pinned", _("Thread pinned")
        UNPINNED = "unpinned", _("Thread unpinned")
        CLAIMED = "claimed", _("Claimed for review")
        NOTE = "note", _("Moderator note")
        PROBATION_ENDED = "probation_ended", _("Approved and ended probation")
        HOSTILE_OVERRIDE = "hostile_override", _("Posted after a prompt to rephrase")
        EDITED_OUT = "edited_out", _("Edited out a detail")
        LABELLED = "labelled", _("Label set")
        CHAT_MUTED = "chat_muted", _("Muted in a live chat")
        CHAT_PINNED = "chat_pinned", _("Pinned in a live chat")
        SESSION_STARTED = "session_started", _("Live session started")
        SESSION_ENDED = "session_ended", _("Live session ended")
        SUMMARY_PUBLISHED = "summary_published", _("Session summary published")

    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="actions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Blank when the system acted."),
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class FollowLevel(models.TextChoices):
    """How much email a member wants about one conversation."""

    ALL = "all", _("Every new post")
    MENTIONS = "mentions", _("Only replies to me and mentions of me")
    NONE = "none", _("No emails")


class ThreadFollow(models.Model):
    """A member's email choice for one conversation (opt-in). Starting or posting in
    a conversation sets "replies and mentions" unless they already chose."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField(
        max_length=10, choices=FollowLevel.choices, default=FollowLevel.ALL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "member"], name="threadfollow_once"
            )
        ]

    def __str__(self):
        return f"{self.member_id} follows {self.thread_id}"


class PostNotification(models.Model):
    """One email about one post to one member: the unique row makes a retried task
    send nothing twice, and an edit that adds a mention tell only the newly
    mentioned."""

    class Why(models.TextChoices):
        MENTION = "mention", _("Mentioned")
        REPLY = "reply", _("Reply to their post")
        FOLLOW = "follow", _("New post in a followed conversation")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    why = models.CharField(max_length=10, choices=Why.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "member"], name="postnotification_once"
            )
        ]

    def __str__(self):
        return f"{self.why} {self.post_id} to {self.member_id}"


class ProbationRelease(models.Model):
    """A moderator ended a member's probation in a space: their posts no longer wait
    just because they are new."""

    space = models.ForeignKey(SpacePage, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "member"], name="probationrelease_once"
            )
        ]

    def __str__(self):
        return f"{self.member_id} in {self.space_id}"


class WatchedWord(models.Model):
    """A word or pattern that blocks, holds or replaces text in posts."""

    class Action(models.TextChoices):
        BLOCK = "block", _("Block the post")
        HOLD = "hold", _("Hold for a peer worker")
        REPLACE = "replace", _("Replace the text")

    class Match(models.TextChoices):
        WORD = "word", _("Whole word (* matches any letters)")
        CONTAINS = "contains", _("Anywhere in the text (* matches any letters)")
        PATTERN = "pattern", _("Regular expression")

    text = models.CharField(max_length=200)
    match = models.CharField(max_length=10, choices=Match.choices, default=Match.WORD)
    action = models.CharField(max_length=10, choices=Action.choices)
    replacement = models.CharField(max_length=200, blank=True)
    explanation = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Shown to the member when their post is blocked or held."),
    )

    class Meta:
        ordering = ["action", "text"]
        constraints = [
            models.UniqueConstraint(
                fields=["text", "match"], name="watchedword_unique_text_and_match"
            )
        ]

    def __str__(self):
        return self.text

    def pattern(self) -> re.Pattern:
        """The word compiled. `*` is a wildcard for letters in word and contains
        matches; patterns are regular expressions. Raises ValueError when it can't."""
        text = (self.text or "").strip()
        if not text:
            raise ValueError(_("Enter a word or pattern."))
        if self.match == self.Match.PATTERN:
            try:
                return re.compile(text, re.IGNORECASE)
            except re.error as error:
                raise ValueError(
                    _("This is not a valid pattern: %(error)s") % {"error": error}
                ) from error
        body = r"\w*".join(re.escape(part) for part in text.split("*"))
        if self.match == self.Match.WORD:
            body = rf"(?<!\w){body}(?!\w)"
        return re.compile(body, re.IGNORECASE)

    def clean(self):
        from django.core.exceptions import ValidationError

        try:
            self.pattern()
        except ValueError as error:
            raise ValidationError({"text": str(error)}) from error
        if self.action == self.Action.REPLACE and not self.replacement:
            raise ValidationError(
                {"replacement": _("Say what the text is replaced with.")}
            )


class MutedWord(models.Model):
    """A word a member would rather not read: posts containing it collapse for them."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    word = models.CharField(_("word"), max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["word"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "word"], name="mutedword_once_per_member"
            )
        ]

    def __str__(self):
        return self.word


class MutedMember(models.Model):
    """One member muted another: the muted member's posts collapse for the muter.
    The muted member is never told."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    muted = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "muted"], name="mutedmember_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(member=models.F("muted")),
                name="mutedmember_not_self",
            ),
        ]

    def __str__(self):
        return f"{self.member_id} mutes {self.muted_id}"


class SpaceBreak(models.Model):
    """A member takes a break from a space until a day they chose: its conversations
    show a gentle page instead, and follow-emails for it pause."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    space = models.ForeignKey(SpacePage, on_delete=models.CASCADE, related_name="+")
    until = models.DateField(_("until"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "space"], name="spacebreak_one_per_space"
            )
        ]

    def __str__(self):
        return f"{self.member_id} away from {self.space_id} until {self.until}"


class Sanction(AppendOnlyModel):
    """A graduated step about a member in a space: feedback, a warning, a suspension
    for some days, or removal. Append-only; the member is told privately."""

    erasable_fields = ("actor", "member")

    class Kind(models.TextChoices):
        FEEDBACK = "feedback", _("Feedback")
        WARNING = "warning", _("Warning")
        SUSPENSION = "suspension", _("Suspension")
        REMOVAL = "removal", _("Removal")

    space = models.ForeignKey(SpacePage, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Cleared when the member erases their account."),
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    rule = models.CharField(
        _("ground rule"),
        max_length=200,
        help_text=_("The ground rule this is about, as the member will read it."),
    )
    reason = models.TextField(_("why"))
    days = models.PositiveSmallIntegerField(null=True, blank=True)
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["space", "member", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"


class Appeal(AppendOnlyModel):
    """A member's one appeal against one sanction."""

    sanction = models.OneToOneField(
        Sanction, on_delete=models.PROTECT, related_name="appeal"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"appeal {self.sanction_id}"


class AppealDecision(AppendOnlyModel):
    """How an appeal was decided, by a moderator other than the one who sanctioned."""

    erasable_fields = ("decided_by",)

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Upheld: the sanction stands")
        OVERTURNED = "overturned", _("Overturned: the sanction is withdrawn")

    appeal = models.OneToOneField(
        Appeal, on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.get_outcome_display()
