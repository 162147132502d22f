"""Signal handlers, connected in `SpacesConfig.ready()`: whatever decides a person's
access to spaces drops what the cache keeps about it (`standing`)."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from . import standing


def _member_changed(sender, instance, **kwargs):
    standing.access_changed(user_id=instance.member_id)


def _worker_changed(sender, instance, **kwargs):
    standing.access_changed(user_id=instance.worker_id)


def _shift_changed(sender, instance, **kwargs):
    for worker_id in instance.assignments.values_list("worker_id", flat=True):
        standing.access_changed(user_id=worker_id)


def _user_changed(sender, instance, **kwargs):
    standing.access_changed(user_id=instance.pk)


def connect() -> None:
    from .models import Membership, SpaceFacilitator

    # The rota is reached by model name: it already depends on spaces.
    handlers = [
        (Membership, _member_changed),
        (SpaceFacilitator, _worker_changed),
        (apps.get_model("rotas", "ShiftAssignment"), _worker_changed),
        (get_user_model(), _user_changed),
    ]
    for model, handler in handlers:
        for signal in (post_save, post_delete):
            signal.connect(
                handler,
                sender=model,
                dispatch_uid=f"access_{model.__name__}_{signal is post_save}",
            )
    post_save.connect(
        _shift_changed,
        sender=apps.get_model("rotas", "Shift"),
        dispatch_uid="access_shift",
    )
