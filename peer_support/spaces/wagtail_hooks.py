"""Staff tools in the Wagtail admin.

Memberships and their history are read here by staff who look after every space
(`spaces.manage_any_space_members`); decisions about a person are made on the space's
member page (linked from each row), so that every one goes through the services that
lock, audit and notify. Nothing here can add, edit or delete a membership directly.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import GroundRules, Membership, MembershipEvent


class GroundRulesViewSet(SnippetViewSet):
    model = GroundRules
    icon = "list-ol"
    menu_label = "Ground rules"
    list_display = ["title", "live", "last_published_at"]
    search_fields = ["title"]


register_snippet(GroundRulesViewSet)


class ReadOnlyForSpaceManagers(ModelPermissionPolicy):
    """Staff who manage every space may look; nobody changes rows from here."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return user.is_active and (
            user.is_superuser or user.has_perm("spaces.manage_any_space_members")
        )

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Membership, ReadOnlyForSpaceManagers(Membership))
register_permission_policy(MembershipEvent, ReadOnlyForSpaceManagers(MembershipEvent))


class ManageLinkColumn(Column):
    cell_template_name = "spaces/admin/manage_link_cell.html"

    def get_value(self, instance):
        return reverse("spaces:manage", args=[instance.space_id])


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "group"
    menu_label = _("Memberships")
    url_prefix = "memberships"
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["role"]  # never reachable: the policy refuses add and change
    list_display = [
        "member",
        "space",
        "role",
        "status",
        "joined_at",
        ManageLinkColumn("manage", label=_("Decide")),
    ]
    list_filter = ["status", "role", "space"]
    search_fields = ["member__pseudonym", "space__title"]
    inspect_view_fields = [
        "member",
        "space",
        "role",
        "status",
        "joined_at",
        "waitlisted_at",
        "offer_expires_at",
        "suspended_until",
        "rules_accepted_at",
    ]

    def get_queryset(self, request):
        return Membership.objects.select_related("member", "space")


class MembershipEventViewSet(ModelViewSet):
    model = MembershipEvent
    icon = "history"
    menu_label = _("Membership history")
    url_prefix = "membership-events"
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["reason"]  # never reachable: the policy refuses add and change
    list_display = [
        "created_at",
        "space",
        Column("member_label", label=_("Member")),
        "action",
        Column("actor_label", label=_("By")),
    ]
    list_filter = ["action"]
    search_fields = ["member__pseudonym", "reason"]

    def get_queryset(self, request):
        return MembershipEvent.objects.select_related("actor", "member", "space")


class MembershipViewSetGroup(ViewSetGroup):
    menu_label = _("Spaces")
    menu_icon = "group"
    items = (MembershipViewSet, MembershipEventViewSet)


@hooks.register("register_admin_viewset")
def register_membership_viewsets():
    return MembershipViewSetGroup()
