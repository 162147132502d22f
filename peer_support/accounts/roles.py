"""Site-wide roles are Django groups; standing within a space lives on the membership.

`role_groups_sync` makes the groups and their permissions exist. It runs after every
`migrate` (permissions only exist once all apps have migrated), so a fresh database and
the demo agree.
"""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupPagePermission, Page

PROFESSIONAL = "Professionals"
PEER_WORKER = "Peer workers"
SAFEGUARDING_LEAD = "Safeguarding leads"
ROTA_COORDINATOR = "Rota coordinators"
EDITOR = "Editors"  # Wagtail's own group; editors publish pages.

ROLE_DESCRIPTIONS = {
    PROFESSIONAL: _("Mental-health practitioners taking part in courses."),
    PEER_WORKER: _("Trained staff with lived experience who run groups and moderate."),
    SAFEGUARDING_LEAD: _("Receive, triage and close safeguarding concerns."),
    ROTA_COORDINATOR: _("Plan shifts and keep the rota covered."),
    EDITOR: _("Publish and edit pages."),
}

# Roles whose members work in the Wagtail admin.
ADMIN_PERMISSIONS = {
    PEER_WORKER: ["wagtailadmin.access_admin"],
    SAFEGUARDING_LEAD: [
        "wagtailadmin.access_admin",
        "safeguarding.change_severitypolicy",
    ],
    ROTA_COORDINATOR: [
        "wagtailadmin.access_admin",
        "rotas.change_rotarules",
        "rotas.coordinate_rota",
    ],
    EDITOR: [
        "wagtailadmin.access_admin",
        "home.change_sitesettings",
        "spaces.add_groundrules",
        "spaces.change_groundrules",
        "spaces.publish_groundrules",
    ],
}

# Editors publish pages across the whole tree, not just draft them.
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


def role_groups_sync() -> dict[str, Group]:
    groups = {}
    for name in ROLE_DESCRIPTIONS:
        group, _created = Group.objects.get_or_create(name=name)
        for dotted in ADMIN_PERMISSIONS.get(name, []):
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)
        groups[name] = group
    editor_pages_grant(groups[EDITOR])
    return groups


def editor_pages_grant(editors: Group) -> None:
    root = Page.get_first_root_node()
    if root is None:
        return
    for codename in EDITOR_PAGE_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label="wagtailcore", codename=codename
        ).first()
        if permission is not None:
            GroupPagePermission.objects.get_or_create(
                group=editors, page=root, permission=permission
            )


def role_names(user) -> frozenset[str]:
    """The user's roles, read once per user object, as Django keeps their
    permissions: an admin page asks a dozen times (menus, policies, the view), each
    a query otherwise. A request has a user object of its own, so a changed role
    counts from the next request."""
    if not user.is_authenticated:
        return frozenset()
    names = getattr(user, "_role_names", None)
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = names
    return names


def has_role(user, role: str) -> bool:
    return role in role_names(user)
