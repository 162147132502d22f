from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from peer_support.discussion.wagtail_hooks import ModeratorMenuItem

from .admin_views import TranscriptsView, TranscriptView


@hooks.register("register_admin_urls")
def register_chat_admin_urls():
    return [
        path("live-chat/", TranscriptsView.as_view(), name="chat_transcripts"),
        path("live-chat/<int:pk>/", TranscriptView.as_view(), name="chat_transcript"),
    ]


@hooks.register("register_admin_menu_item")
def register_transcripts_menu_item():
    return ModeratorMenuItem(
        _("Live session transcripts"),
        reverse("chat_transcripts"),
        icon_name="comment",
        order=244,
    )
