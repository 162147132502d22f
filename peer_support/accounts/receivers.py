from .roles import role_groups_sync


def sync_role_groups(sender, **kwargs):
    if sender.label == "accounts":
        role_groups_sync()
