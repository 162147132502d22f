"""A live session's typed chat, as an ordered stream of events.

Messages are discussion posts in a hidden per-session `Thread`, so the posting
pipeline, the review queue, screening and the moderation history work unchanged.
What the chat adds is the stream: each change a reader must see (a message shown, a
message removed, a pin, a pause...) is a `ChatEvent` with a per-room sequence number
taken under the room's row lock, so sequence order is commit order and "everything
after N" never misses a late commit nor repeats one.
"""

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peer_support.courses.models import LiveSession
from peer_support.discussion.models import Post, Thread


class ChatRoomManager(models.Manager):
    def for_session(self, session: LiveSession) -> "ChatRoom":
        """The session's chat room, made (with its hidden thread) the first time."""
        room = self.filter(session=session).first()
        if room is not None:
            return room
        try:
            with transaction.atomic():
                thread = Thread.objects.create(
                    space_id=session.page_id,
                    title=gettext("Live chat: %(title)s") % {"title": session.title},
                    last_post_at=None,
                )
                return self.create(session=session, thread=thread)
        except IntegrityError:  # opened at the same moment by someone else
            return self.get(session=session)


class ChatRoom(models.Model):
    wagtail_reference_index_ignore = True  # as every chat model: nothing to track

    session = models.OneToOneField(
        LiveSession, on_delete=models.CASCADE, related_name="chat"
    )
    thread = models.OneToOneField(
        Thread, on_delete=models.PROTECT, related_name="chat_room"
    )
    last_seq = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    pinned_post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary_thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    purged_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the transcript's text was erased.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChatRoomManager()

    class Meta:
        verbose_name = _("live chat")

    def __str__(self):
        return str(self.session)


class ChatEvent(models.Model):
    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        MESSAGE = "message", _("Message shown")
        REMOVED = "removed", _("Message removed")
        PINNED = "pinned", _("Message pinned")
        PAUSED = "paused", _("Chat paused")
        RESUMED = "resumed", _("Chat resumed")
        SLOW_MODE = "slow_mode", _("Slow mode changed")
        STARTED = "started", _("Session started")
        ENDED = "ended", _("Session ended")

    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    value = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["room", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="chatevent_seq_once")
        ]

    def __str__(self):
        return f"{self.room_id}#{self.seq} {self.kind}"


class ChatMute(models.Model):
    """A member a moderator muted for the rest of one session."""

    wagtail_reference_index_ignore = True

    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="mutes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    muted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "member"], name="chatmute_once")
        ]

    def __str__(self):
        return f"{self.member_id} muted in {self.room_id}"
