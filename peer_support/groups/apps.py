from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "peer_support.groups"
    label = "groups"
    verbose_name = "Groups"
