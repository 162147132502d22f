from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    name = "peer_support.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .receivers import sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="accounts_sync_roles")


class StaffUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms that know about pseudonyms."""

    user_viewset = "peer_support.accounts.viewsets.StaffUserViewSet"
