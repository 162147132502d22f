"""Rota coordinator tools in the Wagtail admin, open to the ROTA_COORDINATOR role
(one permission policy for every rota model)."""

from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, FilterSet
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from peer_support.accounts.models import User
from peer_support.accounts.roles import ROTA_COORDINATOR

from . import services
from .admin_views import (
    CoverageView,
    FairnessView,
    PatternGenerateView,
    ShiftAssignView,
    SwapApprovalView,
    is_coordinator,
)
from .models import Duty, Shift, ShiftPattern, ShiftStatus, WorkerQualification


class RotaCoordinatorPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        return is_coordinator(user)

    def users_with_any_permission(self, actions):
        return User.objects.filter(is_active=True, groups__name=ROTA_COORDINATOR)


for rota_model in (Shift, ShiftPattern, WorkerQualification):
    register_permission_policy(rota_model, RotaCoordinatorPolicy(rota_model))


class ShiftFilterSet(FilterSet):
    duty = ChoiceFilter(choices=Duty.choices)
    status = ChoiceFilter(choices=ShiftStatus.choices)

    class Meta:
        model = Shift
        fields = ["duty", "status", "space"]


class ShiftForm(forms.ModelForm):
    class Meta:
        model = Shift
        fields = [
            "duty",
            "space",
            "start",
            "end",
            "role_needed",
            "min_workers",
            "max_workers",
        ]


SHIFT_FIELDS = ShiftForm.Meta.fields


class ShiftCreateView(generic.CreateView):
    def save_instance(self):
        data = {f: self.form.cleaned_data[f] for f in SHIFT_FIELDS}
        return services.shift_create(actor=self.request.user, **data)


class ShiftEditView(generic.EditView):
    def save_instance(self):
        changes = {f: self.form.cleaned_data[f] for f in SHIFT_FIELDS}
        return services.shift_update(
            shift_id=self.object.pk, actor=self.request.user, changes=changes
        )


class ShiftIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            ListingButton(
                _("Assign"),
                url=reverse("rotas_shift_assign", args=[instance.pk]),
                icon_name="user",
                priority=5,
            )
        )
        return buttons

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("space")


class ShiftViewSet(ModelViewSet):
    model = Shift
    form_fields = SHIFT_FIELDS
    icon = "time"
    menu_label = _("Shifts")
    add_to_admin_menu = False
    index_view_class = ShiftIndexView
    add_view_class = ShiftCreateView
    edit_view_class = ShiftEditView
    list_display = [
        "__str__",
        "duty",
        Column("start", label=_("Starts")),
        Column("end", label=_("Ends")),
        "min_workers",
        "max_workers",
        "status",
    ]
    filterset_class = ShiftFilterSet
    search_fields = ["space__title", "duty"]
    delete_view_enabled = False
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return ShiftForm


class PatternIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            ListingButton(
                _("Generate shifts"),
                url=reverse("rotas_pattern_generate", args=[instance.pk]),
                icon_name="calendar",
                priority=5,
            )
        )
        return buttons


class ShiftPatternViewSet(ModelViewSet):
    model = ShiftPattern
    icon = "repeat"
    menu_label = _("Shift patterns")
    add_to_admin_menu = False
    index_view_class = PatternIndexView
    list_display = [
        "name",
        "duty",
        "weekday",
        "start_time",
        "duration_minutes",
        "active",
    ]
    list_filter = ["duty", "weekday", "active"]
    search_fields = ["name"]


class QualificationViewSet(ModelViewSet):
    model = WorkerQualification
    icon = "success"
    menu_label = _("Qualifications")
    add_to_admin_menu = False
    list_display = ["worker", "kind", "obtained_on", "expires_on"]
    list_filter = ["kind"]
    search_fields = ["worker__pseudonym"]


class RotaGroup(ViewSetGroup):
    menu_label = _("Rota")
    menu_icon = "calendar-alt"
    menu_order = 250
    items = (
        ShiftViewSet("rotas_shift"),
        ShiftPatternViewSet("rotas_shiftpattern"),
        QualificationViewSet("rotas_qualification"),
    )


@hooks.register("register_admin_viewset")
def register_rota_viewsets():
    return RotaGroup()


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_coordinator(request.user)


@hooks.register("register_admin_urls")
def register_rota_admin_urls():
    return [
        path("rota/coverage/", CoverageView.as_view(), name="rotas_coverage"),
        path("rota/fairness/", FairnessView.as_view(), name="rotas_fairness"),
        path("rota/swaps/", SwapApprovalView.as_view(), name="rotas_swaps"),
        path(
            "rota/shifts/<int:pk>/assign/",
            ShiftAssignView.as_view(),
            name="rotas_shift_assign",
        ),
        path(
            "rota/patterns/<int:pk>/generate/",
            PatternGenerateView.as_view(),
            name="rotas_pattern_generate",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_coverage_menu_item():
    return CoordinatorMenuItem(
        _("Rota coverage"),
        reverse("rotas_coverage"),
        icon_name="calendar-alt",
        order=251,
    )


@hooks.register("register_admin_menu_item")
def register_fairness_menu_item():
    return CoordinatorMenuItem(
        _("Rota fairness"), reverse("rotas_fairness"), icon_name="group", order=252
    )


@hooks.register("register_admin_menu_item")
def register_swaps_menu_item():
    return CoordinatorMenuItem(
        _("Rota approvals"), reverse("rotas_swaps"), icon_name="resubmit", order=253
    )
