"""Signal handlers, connected in `ChatConfig.ready()`: whatever decides whether
someone may read a chat, or whether they are muted in it, drops the cached answers
about them (`stream.reader_access`)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from . import stream


def _member_changed(sender, instance, **kwargs):
    stream.reader_access_changed(user_id=instance.member_id)


def _worker_changed(sender, instance, **kwargs):
    stream.reader_access_changed(user_id=instance.worker_id)


def _shift_changed(sender, instance, **kwargs):
    for worker_id in instance.assignments.values_list("worker_id", flat=True):
        stream.reader_access_changed(user_id=worker_id)


def _user_changed(sender, instance, **kwargs):
    stream.reader_access_changed(user_id=instance.pk)


def connect() -> None:
    from peer_support.rotas.models import Shift, ShiftAssignment
    from peer_support.spaces.models import Membership, SpaceFacilitator

    from .models import ChatMute

    handlers = [
        (Membership, _member_changed),
        (ChatMute, _member_changed),
        (SpaceFacilitator, _worker_changed),
        (ShiftAssignment, _worker_changed),
        (get_user_model(), _user_changed),
    ]
    for model, handler in handlers:
        for signal in (post_save, post_delete):
            signal.connect(
                handler,
                sender=model,
                dispatch_uid=f"chat_access_{model.__name__}_{signal is post_save}",
            )
    post_save.connect(_shift_changed, sender=Shift, dispatch_uid="chat_access_shift")
