from django.apps import AppConfig


class RotasConfig(AppConfig):
    name = "peer_support.rotas"
    label = "rotas"
    verbose_name = "Rotas"
