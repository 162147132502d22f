"""Rota tools in the Wagtail admin, all inside the one "Rota" menu group: shifts,
patterns and qualifications (model viewsets), coverage, fairness (a report) and
approvals (an index view), the rota rules, and a peer worker's own shifts.

Every rota model answers to the rota permission policy (`rotas.permissions`): the
`rotas.coordinate_rota` permission, not a group's name.
"""

from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permissions import register_permission_policy

from peer_support.accounts.roles import PEER_WORKER, SAFEGUARDING_LEAD, has_role

from . import services
from .admin_views import (
    CoverageView,
    FairnessReportView,
    PatternGenerateView,
    ShiftAssignView,
    SwapApprovalIndexView,
)
from .models import (
    Duty,
    Shift,
    ShiftPattern,
    ShiftStatus,
    SwapRequest,
    Weekday,
    WorkerQualification,
)
from .permissions import RotaPermissionPolicy, may_coordinate

ROTA_MENU_HOOK = "register_rota_menu_item"

for rota_model in (Shift, ShiftPattern, WorkerQualification, SwapRequest):
    register_permission_policy(rota_model, RotaPermissionPolicy(rota_model))


class ShiftFilterSet(WagtailFilterSet):
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


class RefusalAsFormErrorMixin:
    """A rota refusal (a cancelled or locked shift, too many workers for the new
    maximum) shows on the form instead of failing the request."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.RotaError as error:
            form.add_error(None, error.message)
            self.produced_error_code = "validation_error"
            self.produced_error_message = error.message
            return self.form_invalid(form)


class ShiftCreateView(RefusalAsFormErrorMixin, generic.CreateView):
    def save_instance(self):
        data = {f: self.form.cleaned_data[f] for f in SHIFT_FIELDS}
        return services.shift_create(actor=self.request.user, **data)


class ShiftEditView(RefusalAsFormErrorMixin, generic.EditView):
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


def _weekday_name(pattern) -> str:
    return Weekday(pattern.weekday).label


def _pattern_length(pattern) -> str:
    hours, minutes = divmod(pattern.duration_minutes, 60)
    if minutes:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    return _("%(hours)s hours") % {"hours": hours}


def _yes_no(field):
    return lambda instance: _("Yes") if getattr(instance, field) else _("No")


class PatternFilterSet(WagtailFilterSet):
    class Meta:
        model = ShiftPattern
        fields = ["duty", "weekday", "active"]


class QualificationFilterSet(WagtailFilterSet):
    class Meta:
        model = WorkerQualification
        fields = ["kind"]


class ShiftPatternViewSet(ModelViewSet):
    model = ShiftPattern
    icon = "repeat"
    menu_label = _("Shift patterns")
    add_to_admin_menu = False
    index_view_class = PatternIndexView
    list_display = [
        "name",
        "duty",
        Column("weekday", label=_("Day"), accessor=_weekday_name),
        Column("start_time", label=_("Starts")),
        Column("length", label=_("Length"), accessor=_pattern_length),
        Column("active", label=_("In use"), accessor=_yes_no("active")),
    ]
    filterset_class = PatternFilterSet
    search_fields = ["name"]


class QualificationViewSet(ModelViewSet):
    model = WorkerQualification
    icon = "success"
    menu_label = _("Qualifications")
    add_to_admin_menu = False
    list_display = [
        Column("worker", label=_("Worker"), accessor="worker.pseudonym"),
        "kind",
        "obtained_on",
        "expires_on",
    ]
    filterset_class = QualificationFilterSet
    search_fields = ["worker__pseudonym"]


class RotaGroup(ViewSetGroup):
    menu_label = _("Rota")
    menu_icon = "calendar-alt"
    menu_order = 250
    submenu_hook = ROTA_MENU_HOOK
    items = (
        ShiftViewSet("rotas_shift", menu_order=1),
        ShiftPatternViewSet("rotas_shiftpattern", menu_order=2),
        QualificationViewSet("rotas_qualification", menu_order=3),
    )


@hooks.register("register_admin_viewset")
def register_rota_viewsets():
    return RotaGroup()


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return may_coordinate(request.user)


class RotaRulesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("rotas.change_rotarules")


class OwnShiftsMenuItem(MenuItem):
    """A peer worker's or safeguarding lead's own shifts live on the site, not in
    the admin; the menu points there so every rota tool is in one place."""

    def is_shown(self, request):
        return has_role(request.user, PEER_WORKER) or has_role(
            request.user, SAFEGUARDING_LEAD
        )


@hooks.register("register_admin_urls")
def register_rota_admin_urls():
    return [
        path("rota/coverage/", CoverageView.as_view(), name="rotas_coverage"),
        path("rota/fairness/", FairnessReportView.as_view(), name="rotas_fairness"),
        path(
            "rota/fairness/results/",
            FairnessReportView.as_view(results_only=True),
            name="rotas_fairness_results",
        ),
        path("rota/swaps/", SwapApprovalIndexView.as_view(), name="rotas_swaps"),
        path(
            "rota/swaps/results/",
            SwapApprovalIndexView.as_view(results_only=True),
            name="rotas_swaps_results",
        ),
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


@hooks.register(ROTA_MENU_HOOK)
def register_coverage_menu_item():
    return CoordinatorMenuItem(
        _("Coverage"), reverse("rotas_coverage"), icon_name="calendar-alt", order=4
    )


@hooks.register(ROTA_MENU_HOOK)
def register_fairness_menu_item():
    return CoordinatorMenuItem(
        _("Fairness"), reverse("rotas_fairness"), icon_name="group", order=5
    )


@hooks.register(ROTA_MENU_HOOK)
def register_swaps_menu_item():
    return CoordinatorMenuItem(
        _("Approvals"), reverse("rotas_swaps"), icon_name="resubmit", order=6
    )


@hooks.register(ROTA_MENU_HOOK)
def register_rules_menu_item():
    return RotaRulesMenuItem(
        _("Rota rules"),
        reverse("wagtailsettings:edit", args=["rotas", "rotarules"]),
        icon_name="cogs",
        order=7,
    )


@hooks.register(ROTA_MENU_HOOK)
def register_own_shifts_menu_item():
    return OwnShiftsMenuItem(
        _("My shifts"), reverse("rotas:my_rota"), icon_name="date", order=8
    )
