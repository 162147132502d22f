"""Signal handlers, connected in `ChatConfig.ready()`: a mute in a chat drops the
cached answers about the muted person (`stream.reader_access`), as
`spaces.receivers` does for what decides access to any space."""

from django.db.models.signals import post_delete, post_save

from peer_support.spaces import standing


def _muted_changed(sender, instance, **kwargs):
    standing.access_changed(user_id=instance.member_id)


def connect() -> None:
    from .models import ChatMute

    for signal in (post_save, post_delete):
        signal.connect(
            _muted_changed,
            sender=ChatMute,
            dispatch_uid=f"chat_access_ChatMute_{signal is post_save}",
        )
