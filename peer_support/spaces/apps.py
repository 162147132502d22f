from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "peer_support.spaces"
    label = "spaces"
    verbose_name = "Spaces (groups and courses)"

    def ready(self):
        from . import receivers

        receivers.connect()
