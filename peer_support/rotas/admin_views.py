"""Coordinator pages in the Wagtail admin: assign, coverage, fairness, approvals.

They sit beside the model viewsets in `wagtail_hooks.py` and call the same services
and selectors as everything else.
"""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from peer_support.accounts.models import User
from peer_support.accounts.roles import PEER_WORKER, ROTA_COORDINATOR, has_role

from . import selectors, services
from .models import Duty, Shift, ShiftAssignment, ShiftPattern


def is_coordinator(user) -> bool:
    """Cached on the request's user: the admin asks once per row and button."""
    if not user.is_active:
        return False
    if not hasattr(user, "_rota_coordinator"):
        user._rota_coordinator = user.is_superuser or has_role(user, ROTA_COORDINATOR)
    return user._rota_coordinator


class CoordinatorOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_coordinator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AssignForm(forms.Form):
    worker = forms.ModelChoiceField(
        label=gettext_lazy("Peer worker"),
        queryset=User.objects.filter(groups__name=PEER_WORKER, is_active=True)
        .distinct()
        .order_by("pseudonym"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Note for the history (optional)"), required=False
    )
    confirm_warnings = forms.BooleanField(
        label=gettext_lazy("I have read the warnings and want to go ahead"),
        required=False,
    )


class ShiftAssignView(CoordinatorOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "rotas/admin/shift_assign.html"
    header_icon = "user"
    page_title = gettext_lazy("Assign a worker")

    def dispatch(self, request, *args, **kwargs):
        self.shift = get_object_or_404(
            Shift.objects.select_related("space"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.shift)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            shift=self.shift,
            form=kwargs.get("form") or AssignForm(),
            warnings=kwargs.get("warnings", []),
            assignments=self.shift.assignments.filter(status="active").select_related(
                "worker"
            ),
            events=self.shift.events.select_related("actor", "worker"),
        )
        return context

    def post(self, request, *args, **kwargs):
        if "unassign" in request.POST:
            try:
                services.shift_unassign(
                    assignment_id=int(request.POST["unassign"]),
                    actor=request.user,
                    reason=request.POST.get("unassign_reason", ""),
                )
            except (services.RotaError, ShiftAssignment.DoesNotExist) as error:
                messages.error(request, " ".join(getattr(error, "messages", [])))
            else:
                messages.success(request, _("The worker is off the shift."))
            return redirect("rotas_shift_assign", pk=self.shift.pk)
        form = AssignForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            result = services.shift_assign(
                shift_id=self.shift.pk,
                worker=form.cleaned_data["worker"],
                actor=request.user,
                confirm_warnings=form.cleaned_data["confirm_warnings"],
                reason=form.cleaned_data["reason"],
            )
        except services.NeedsConfirmation as error:
            return self.render_to_response(
                self.get_context_data(form=form, warnings=error.problems)
            )
        except services.RotaError as error:
            for problem in error.problems:
                messages.error(request, problem.message)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            _("%(name)s is on the shift.")
            % {"name": result.assignment.worker.pseudonym},
        )
        return redirect("rotas_shift_assign", pk=self.shift.pk)


class PatternGenerateForm(forms.Form):
    weeks = forms.IntegerField(
        label=gettext_lazy("Weeks to generate"), min_value=1, max_value=52, initial=4
    )


class PatternGenerateView(
    CoordinatorOnlyMixin, WagtailAdminTemplateMixin, TemplateView
):
    template_name = "rotas/admin/pattern_generate.html"
    header_icon = "calendar"
    page_title = gettext_lazy("Generate shifts")

    def dispatch(self, request, *args, **kwargs):
        self.pattern = get_object_or_404(ShiftPattern, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.pattern.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            pattern=self.pattern, form=kwargs.get("form") or PatternGenerateForm()
        )
        return context

    def post(self, request, *args, **kwargs):
        form = PatternGenerateForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            made = services.pattern_generate(
                pattern_id=self.pattern.pk,
                weeks=form.cleaned_data["weeks"],
                actor=request.user,
            )
        except services.RotaError as error:
            messages.error(request, " ".join(error.messages))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request, _("%(count)s new shifts made.") % {"count": len(made)}
        )
        return redirect("rotas_shiftpattern:index")


class CoverageView(CoordinatorOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "rotas/admin/coverage.html"
    header_icon = "calendar-alt"
    page_title = gettext_lazy("Rota coverage")

    def weeks(self) -> int:
        return 4 if self.request.GET.get("weeks") == "4" else 2

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        report = selectors.coverage(start=now, end=now + timedelta(weeks=self.weeks()))
        context.update(report=report, weeks=self.weeks(), duty_choices=Duty)
        return context

    def post(self, request, *args, **kwargs):
        """Offer a session's missing cover as an open shift."""
        from peer_support.spaces.models import SpacePage

        now = timezone.now()
        report = selectors.coverage(start=now, end=now + timedelta(weeks=4))
        key = request.POST.get("session", "")
        for item in report.at_risk:
            if f"{item.space.pk}:{item.start.isoformat()}" == key:
                for duty in item.missing:
                    services.session_gap_offer(
                        space=SpacePage.objects.get(pk=item.space.pk),
                        start=item.start,
                        end=item.end,
                        duty=duty,
                        actor=request.user,
                    )
                messages.success(request, _("The gap is now an open shift."))
                break
        else:
            messages.error(request, _("That session is no longer at risk."))
        return redirect("rotas_coverage")


class FairnessView(CoordinatorOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "rotas/admin/fairness.html"
    header_icon = "group"
    page_title = gettext_lazy("Fairness: the last 4 weeks")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = selectors.fairness()
        return context


class SwapApprovalView(CoordinatorOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "rotas/admin/swaps.html"
    header_icon = "resubmit"
    page_title = gettext_lazy("Swaps, cover and drops to approve")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["swaps"] = selectors.swaps_awaiting_approval()
        return context

    def post(self, request, *args, **kwargs):
        swap_id = int(request.POST.get("swap", 0))
        try:
            if request.POST.get("action") == "approve":
                services.swap_approve(
                    swap_id=swap_id,
                    actor=request.user,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("Approved."))
            else:
                services.swap_decline(
                    swap_id=swap_id,
                    actor=request.user,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("Declined."))
        except services.RotaError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("rotas_swaps")
