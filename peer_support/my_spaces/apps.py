from django.apps import AppConfig


class MySpacesConfig(AppConfig):
    name = "peer_support.my_spaces"
    label = "my_spaces"
    verbose_name = "My groups and courses"
