"""Staff tools in the Wagtail admin.

Memberships and their history are read here by whoever manages the space's members,
as the space permission policy says (facilitators for their spaces, staff granted
`spaces.manage_any_space_members` for all), each seeing only those spaces. Decisions
about a person are made on the space's member page (linked from each row), so that
every one goes through the services that lock, audit and notify. Nothing here can
add, edit or delete a membership directly.
"""

from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView, InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import GroundRules, Membership, MembershipEvent
from .permissions import MANAGE_MEMBERS, space_policy
from .selectors import spaces_managed_by


class GroundRulesViewSet(SnippetViewSet):
    model = GroundRules
    icon = "list-ol"
    menu_label = "Ground rules"
    list_display = ["title", "live", "last_published_at"]
    search_fields = ["title"]


register_snippet(GroundRulesViewSet)


class ReadOnlyForSpaceManagers(ModelPermissionPolicy):
    """Those who manage some space's members may look (at those spaces only, see the
    viewsets' querysets); nobody changes rows from here."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        # Asked for both models and several actions by the admin's menu and search
        # on every admin page: answered once per user object (a request has its own).
        manages = getattr(user, "_manages_some_space", None)
        if manages is None:
            manages = space_policy.user_has_permission(user, MANAGE_MEMBERS)
            user._manages_some_space = manages
        return manages

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Membership, ReadOnlyForSpaceManagers(Membership))
register_permission_policy(MembershipEvent, ReadOnlyForSpaceManagers(MembershipEvent))


class ManageLinkColumn(Column):
    cell_template_name = "spaces/admin/manage_link_cell.html"

    def get_value(self, instance):
        return reverse("spaces:manage", args=[instance.space_id])


class ManagedSpacesMixin:
    """Rows only from spaces the user manages (the policy's one query), for the
    listing and for a row opened by a guessed id alike."""

    space_lookup = "space"
    related = ("member", "space")

    def managed_rows(self):
        spaces = spaces_managed_by(user=self.request.user)
        return self.model._default_manager.filter(
            **{f"{self.space_lookup}__in": spaces}
        ).select_related(*self.related)


class ManagedSpacesIndexView(ManagedSpacesMixin, IndexView):
    def get_base_queryset(self):
        return self.managed_rows()


class ManagedSpacesInspectView(ManagedSpacesMixin, InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(self.managed_rows(), pk=unquote(str(self.pk)))


class EventsMixin:
    space_lookup = "space"
    related = ("actor", "member", "space")


class MembershipEventIndexView(EventsMixin, ManagedSpacesIndexView):
    pass


class MembershipEventInspectView(EventsMixin, ManagedSpacesInspectView):
    pass


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "group"
    menu_label = _("Memberships")
    url_prefix = "memberships"
    inspect_view_enabled = True
    index_view_class = ManagedSpacesIndexView
    inspect_view_class = ManagedSpacesInspectView
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


class MembershipEventViewSet(ModelViewSet):
    model = MembershipEvent
    icon = "history"
    menu_label = _("Membership history")
    url_prefix = "membership-events"
    inspect_view_enabled = True
    index_view_class = MembershipEventIndexView
    inspect_view_class = MembershipEventInspectView
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


class MembershipViewSetGroup(ViewSetGroup):
    menu_label = _("Spaces")
    menu_icon = "group"
    items = (MembershipViewSet, MembershipEventViewSet)


@hooks.register("register_admin_viewset")
def register_membership_viewsets():
    return MembershipViewSetGroup()
