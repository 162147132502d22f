"""Safeguarding in the Wagtail admin: a menu for peer workers and leads, the risk
lexicon for leads, and a dashboard panel for leads.

Concerns are deliberately not a model viewset or snippet: their pages are our own
views (see `views.py`), which go through the access rule and the audit trail.
"""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from peer_support.accounts.models import User
from peer_support.accounts.roles import SAFEGUARDING_LEAD

from . import selectors
from .models import LexiconEntry
from .permissions import is_lead, may_raise_concern
from .views import (
    ChronologyView,
    ConcernView,
    DashboardView,
    InboxView,
    RaiseView,
    VerifyView,
)


class LeadsOnlyPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        return is_lead(user)

    def users_with_any_permission(self, actions):
        return User.objects.filter(is_active=True, groups__name=SAFEGUARDING_LEAD)


register_permission_policy(LexiconEntry, LeadsOnlyPolicy(LexiconEntry))


class LexiconViewSet(ModelViewSet):
    model = LexiconEntry
    icon = "warning"
    menu_label = _("Risk lexicon")
    menu_order = 262
    add_to_admin_menu = True
    list_display = ["phrase", "category", "severity", "is_exception", "active"]
    list_filter = ["category", "severity", "is_exception", "active"]
    search_fields = ["phrase"]
    form_fields = ["phrase", "is_exception", "category", "severity", "active", "notes"]
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_lexicon_viewset():
    return LexiconViewSet("safeguarding_lexicon")


class SafeguardingMenuItem(MenuItem):
    def is_shown(self, request):
        return may_raise_concern(request.user)


@hooks.register("register_admin_urls")
def register_safeguarding_urls():
    return [
        path("safeguarding/", DashboardView.as_view(), name="safeguarding_dashboard"),
        path(
            "safeguarding/concerns/<int:pk>/",
            ConcernView.as_view(),
            name="safeguarding_concern",
        ),
        path(
            "safeguarding/members/<int:member_id>/chronology/",
            ChronologyView.as_view(),
            name="safeguarding_chronology",
        ),
        path("safeguarding/inbox/", InboxView.as_view(), name="safeguarding_inbox"),
        path("safeguarding/raise/", RaiseView.as_view(), name="safeguarding_raise"),
        path("safeguarding/verify/", VerifyView.as_view(), name="safeguarding_verify"),
    ]


@hooks.register("register_admin_menu_item")
def register_safeguarding_menu_item():
    return SafeguardingMenuItem(
        _("Safeguarding"),
        reverse("safeguarding_dashboard"),
        icon_name="warning",
        order=260,
    )


class OpenConcernsPanel(Component):
    """Leads see how many concerns are open and overdue on the admin home page."""

    name = "safeguarding_open_concerns"
    order = 50
    template_name = "safeguarding/home_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        now = timezone.now()
        concerns = selectors.open_concerns_for_dashboard(
            user=self.request.user, now=now
        )
        overdue = sum(
            1 for c in concerns if c.acknowledged_at is None and c.due_by <= now
        )
        return {"open": len(concerns), "overdue": overdue}


@hooks.register("construct_homepage_panels")
def add_open_concerns_panel(request, panels):
    if is_lead(request.user):
        panels.append(OpenConcernsPanel(request))
