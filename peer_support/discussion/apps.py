from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "peer_support.discussion"
    label = "discussion"
    verbose_name = "Discussion"

    def ready(self):
        from . import (
            moderation,  # noqa: F401  registers the comments-xtd moderator
            receivers,
        )

        receivers.connect()
