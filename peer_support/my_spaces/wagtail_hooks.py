"""Admin menu items for peer workers and safeguarding leads: the tools they use live
on the site, so the admin links to them."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from peer_support.accounts.roles import PEER_WORKER, SAFEGUARDING_LEAD, role_names


def _has_any_role(user, *roles) -> bool:
    return not role_names(user).isdisjoint(roles)


class RoleMenuItem(MenuItem):
    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = roles

    def is_shown(self, request):
        return _has_any_role(request.user, *self.roles)


@hooks.register("register_admin_menu_item")
def register_my_shifts_menu_item():
    return RoleMenuItem(
        _("My shifts"),
        reverse("rotas:my_rota"),
        icon_name="calendar",
        order=240,
        roles=(PEER_WORKER, SAFEGUARDING_LEAD),
    )


@hooks.register("register_admin_menu_item")
def register_facilitate_menu_item():
    return RoleMenuItem(
        _("Groups I facilitate"),
        reverse("spaces:managed"),
        icon_name="group",
        order=241,
        roles=(PEER_WORKER,),
    )
