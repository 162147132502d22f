from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding"

    def ready(self):
        from . import receivers  # noqa: F401
