"""Coordinator pages in the Wagtail admin: assign, generate, coverage, fairness,
approvals.

Fairness is a Wagtail `ReportView` (filters and CSV/XLSX export come with it) and the
approvals a generic `IndexView`; assign, generate and coverage are small forms on
`WagtailAdminTemplateMixin`. Every page asks the rota permission policy, reads POST
values through a form, and calls the same services and selectors as everything else.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from peer_support.accounts.models import User
from peer_support.accounts.roles import PEER_WORKER

from . import selectors, services
from .forms import (
    AssignForm,
    FairnessFilterSet,
    GapOfferForm,
    PatternGenerateForm,
    SwapDecisionForm,
    UnassignForm,
)
from .models import AssignmentStatus, Shift, ShiftPattern, SwapRequest
from .permissions import may_coordinate, rota_policy


class CoordinatorOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_coordinate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RotaPageMixin(WagtailAdminTemplateMixin):
    """A rota admin page whose header says its name: without a breadcrumb of its own,
    Wagtail's slim header shows only "Home"."""

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [
            {"url": "", "label": self.get_page_title()}
        ]


def _errors_to_messages(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


class ShiftAssignView(CoordinatorOnlyMixin, RotaPageMixin, TemplateView):
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
            form=kwargs.get("form") or AssignForm(shift=self.shift),
            warnings=kwargs.get("warnings", []),
            assignments=self.shift.assignments.filter(
                status=AssignmentStatus.ACTIVE
            ).select_related("worker"),
            events=self.shift.events.select_related("actor", "worker"),
        )
        return context

    def _page_again(self, status=200, **kwargs):
        return self.render_to_response(self.get_context_data(**kwargs), status=status)

    def post(self, request, *args, **kwargs):
        if "unassign" in request.POST:
            return self._unassign(request)
        form = AssignForm(request.POST, shift=self.shift)
        if not form.is_valid():
            return self._page_again(status=400, form=form)
        try:
            result = services.shift_assign(
                shift_id=self.shift.pk,
                worker=form.cleaned_data["worker"],
                actor=request.user,
                confirm_warnings=form.cleaned_data["confirm_warnings"],
                reason=form.cleaned_data["reason"],
            )
        except services.NeedsConfirmation as error:
            return self._page_again(form=form, warnings=error.problems)
        except services.RotaError as error:
            for problem in error.problems:
                messages.error(request, problem.message)
            return self._page_again(status=400, form=form)
        messages.success(
            request,
            _("%(name)s is on the shift.")
            % {"name": result.assignment.worker.pseudonym},
        )
        return redirect("rotas_shift_assign", pk=self.shift.pk)

    def _unassign(self, request):
        form = UnassignForm(request.POST, shift=self.shift)
        if not form.is_valid():
            _errors_to_messages(request, form)
            return self._page_again(status=400)
        try:
            services.shift_unassign(
                assignment_id=form.cleaned_data["unassign"].pk,
                actor=request.user,
                reason=form.cleaned_data["unassign_reason"],
            )
        except services.RotaError as error:
            messages.error(request, error.message)
            return self._page_again(status=400)
        messages.success(request, _("The worker is off the shift."))
        return redirect("rotas_shift_assign", pk=self.shift.pk)


class PatternGenerateView(CoordinatorOnlyMixin, RotaPageMixin, TemplateView):
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
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            made = services.pattern_generate(
                pattern_id=self.pattern.pk,
                weeks=form.cleaned_data["weeks"],
                actor=request.user,
            )
        except services.RotaError as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(
            request, _("%(count)s new shifts made.") % {"count": len(made)}
        )
        return redirect("rotas_shiftpattern:index")


class CoverageView(CoordinatorOnlyMixin, RotaPageMixin, TemplateView):
    """The gaps in the rota, a week at a time for the next four weeks: sessions at
    risk, under-staffed shifts, duties with no one, workers over their weekly hours.

    Gaps only, and a page of each list at a time (soonest first): what a coordinator
    acts on. Over a few hundred groups a week holds hundreds of gaps, and every
    shift of the period and every gap in one page cost more to draw than any other
    page of the site. Every shift is in the Shifts listing, with its filters.
    """

    template_name = "rotas/admin/coverage.html"
    header_icon = "calendar-alt"
    page_title = gettext_lazy("Rota coverage")
    weeks_ahead = 4
    rows_per_page = 25

    @cached_property
    def week(self) -> int:
        """Which week: 0 the seven days from now, 1 the seven after, and so on."""
        value = self.request.GET.get("week", "")
        return int(value) if value.isdigit() and int(value) < self.weeks_ahead else 0

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        starts = [now + timedelta(weeks=n) for n in range(self.weeks_ahead)]
        start = starts[self.week]
        report = selectors.coverage(start=start, end=start + timedelta(weeks=1))
        lists = {
            "at_risk": report.at_risk,
            "understaffed": report.understaffed,
            "duties_uncovered": report.duties_uncovered,
        }
        longest = max(len(rows) for rows in lists.values())
        page = Paginator(range(longest), self.rows_per_page).get_page(
            self.request.GET.get("page")
        )
        first = (page.number - 1) * self.rows_per_page
        shown = slice(first, first + self.rows_per_page)
        selectors.spaces_attach(
            lists["understaffed"][shown] + lists["duties_uncovered"][shown]
        )
        context.update(
            report=report,
            week=self.week,
            weeks=[
                (n, begins, begins + timedelta(days=6))
                for n, begins in enumerate(starts)
            ],
            page_obj=page,
            shifts_url=reverse("rotas_shift:index"),
            counts={name: len(rows) for name, rows in lists.items()},
            **{name: rows[shown] for name, rows in lists.items()},
        )
        return context

    def post(self, request, *args, **kwargs):
        """Offer a session's missing cover as open shifts."""
        form = GapOfferForm(request.POST)
        if not form.is_valid():
            _errors_to_messages(request, form)
            return self.render_to_response(self.get_context_data(), status=400)
        try:
            services.session_gaps_offer(
                space_id=form.cleaned_data["space_id"],
                start=form.cleaned_data["start"],
                actor=request.user,
            )
        except services.RotaError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The gap is now an open shift."))
        # Back to the week and page the coordinator was on (the form posts there).
        return redirect(request.get_full_path())


class FairnessReportView(CoordinatorOnlyMixin, ReportView):
    """Hours, shifts, nights and weekends per peer worker over the last weeks.

    The listing is of peer workers (so the filter and the pagination work on a
    queryset); each page of them is decorated with its totals by `fairness`.
    """

    page_title = gettext_lazy("Rota fairness")
    header_icon = "group"
    index_url_name = "rotas_fairness"
    index_results_url_name = "rotas_fairness_results"
    filterset_class = FairnessFilterSet
    export_filename = "rota-fairness"
    list_export = [
        "pseudonym",
        "shifts",
        "hours",
        "nights",
        "weekends",
        "concerns_handled",
    ]
    export_headings = {
        "pseudonym": gettext_lazy("Peer worker"),
        "shifts": gettext_lazy("Shifts"),
        "hours": gettext_lazy("Hours"),
        "nights": gettext_lazy("Night shifts"),
        "weekends": gettext_lazy("Weekend shifts"),
        # Safeguarding concerns acknowledged, worked on or closed: a count only.
        "concerns_handled": gettext_lazy("Concerns handled"),
    }
    columns = [
        Column("pseudonym", label=gettext_lazy("Peer worker")),
        Column("shifts", label=gettext_lazy("Shifts")),
        Column("hours", label=gettext_lazy("Hours")),
        Column("nights", label=gettext_lazy("Night shifts")),
        Column("weekends", label=gettext_lazy("Weekend shifts")),
        Column("concerns_handled", label=gettext_lazy("Concerns handled")),
    ]
    paginate_by = 100

    def get_queryset(self):
        return (
            User.objects.filter(groups__name=PEER_WORKER, is_active=True)
            .distinct()
            .order_by("pseudonym")
        )

    @cached_property
    def weeks(self) -> int:
        if self.filters and self.filters.is_valid():
            return int(self.filters.form.cleaned_data.get("weeks") or 4)
        return 4

    def get_page_subtitle(self):
        return _("The last %(weeks)s weeks") % {"weeks": self.weeks}

    def get_table(self, object_list):
        # The table is built before `get` decorates the page, so decorate here too.
        return super().get_table(self.decorate_paginated_queryset(object_list))

    def decorate_paginated_queryset(self, object_list):
        """The page of workers with their totals, worked out once per page."""
        workers = list(object_list)
        if workers and isinstance(workers[0], selectors.FairnessRow):
            return workers
        key = tuple(w.pk for w in workers)
        if getattr(self, "_rows_for", None) != key:
            self._rows_for = key
            self._rows = selectors.fairness(workers=workers, weeks=self.weeks)
        return self._rows


class SwapApprovalIndexView(CoordinatorOnlyMixin, generic.IndexView):
    """Swaps, cover and drops waiting for a coordinator. Each row carries its own
    approve/decline form, posted back here and read through `SwapDecisionForm`."""

    model = SwapRequest
    permission_policy = rota_policy
    page_title = gettext_lazy("Swaps, cover and drops to approve")
    header_icon = "resubmit"
    index_url_name = "rotas_swaps"
    index_results_url_name = "rotas_swaps_results"
    default_ordering = "shift__start"
    paginate_by = 50

    @cached_property
    def columns(self):
        return [
            Column("shift", label=_("Shift")),
            Column("request", label=_("Request"), accessor=_request_text),
            Column("offered_by", label=_("From"), accessor="offered_by.pseudonym"),
            Column(
                "accepted_by",
                label=_("Taken by"),
                accessor=lambda swap: (
                    swap.accepted_by.pseudonym if swap.accepted_by_id else "—"
                ),
            ),
            DecisionColumn("decision", label=_("Decision")),
        ]

    def get_base_queryset(self):
        return selectors.swaps_awaiting_approval()

    def get_valid_orderings(self):
        return ["shift__start"]

    def post(self, request, *args, **kwargs):
        form = SwapDecisionForm(request.POST)
        if not form.is_valid():
            _errors_to_messages(request, form)
            return redirect("rotas_swaps")
        data = form.cleaned_data
        service = (
            services.swap_approve
            if data["action"] == SwapDecisionForm.APPROVE
            else services.swap_decline
        )
        try:
            service(swap_id=data["swap"].pk, actor=request.user, reason=data["reason"])
        except services.RotaError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Approved.")
                if data["action"] == SwapDecisionForm.APPROVE
                else _("Declined."),
            )
        return redirect("rotas_swaps")


def _request_text(swap: SwapRequest) -> str:
    text = swap.get_kind_display()
    if swap.swap_shift_id:
        text = f"{text} ↔ {swap.swap_shift}"
    if swap.reason:
        text = f"{text}: {swap.reason}"
    return text


class DecisionColumn(Column):
    cell_template_name = "rotas/admin/swap_decision_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        from django.middleware.csrf import get_token

        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context["csrf_token"] = get_token(request) if request else ""
        return context
