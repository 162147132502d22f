from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "peer_support.chat"
    label = "chat"
    verbose_name = "Live chat"

    def ready(self):
        from . import receivers

        receivers.connect()
