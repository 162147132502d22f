"""Safeguarding pages in the Wagtail admin: dashboard, concern page and its actions,
a member's chronology, the inbox and the staff report form.

Thin: each view asks `selectors` (which apply the access rule, 404 for anyone who may
not see a concern), calls one service, and records every look in the audit trail.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_otp import login as otp_login
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from peer_support.accounts.models import User
from peer_support.errors import ServiceError

from . import selectors, services
from .forms import AssignForm, ChecklistForm, CloseForm, GlassForm, NoteForm, RaiseForm
from .models import ConcernSource, ConcernStatus
from .permissions import is_lead, may_raise_concern, may_see_any_concern
from .second_factor import device_for, device_key, verified_or_redirect
from .severity import Severity


class SafeguardingView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "warning"
    second_factor = True

    def dispatch(self, request, *args, **kwargs):
        self.allowed(request, **kwargs)  # 404 first: nobody learns what exists
        if self.second_factor and (answer := verified_or_redirect(request)):
            return answer
        return super().dispatch(request, *args, **kwargs)

    def allowed(self, request, **kwargs) -> None:
        """Raise Http404 for anyone who may not use this page."""


class DashboardView(SafeguardingView):
    template_name = "safeguarding/dashboard.html"
    page_title = gettext_lazy("Safeguarding concerns")

    def allowed(self, request, **kwargs):
        if not may_see_any_concern(request.user):
            raise Http404

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        concerns = selectors.open_concerns_for_dashboard(
            user=self.request.user, now=now
        )
        for concern in concerns:
            concern.overdue = concern.acknowledged_at is None and concern.due_by <= now
            concern.minutes_left = int((concern.due_by - now).total_seconds() // 60)
            concern.minutes_overdue = -concern.minutes_left
        services.concern_view_record(user=self.request.user, what="dashboard")
        context.update(
            concerns=concerns,
            is_lead=is_lead(self.request.user),
            may_raise=may_raise_concern(self.request.user),
            unread=selectors.inbox(user=self.request.user)
            .filter(read_at__isnull=True)
            .count(),
        )
        return context


class ConcernView(SafeguardingView):
    template_name = "safeguarding/concern.html"
    page_title = gettext_lazy("Safeguarding concern")

    def allowed(self, request, **kwargs):
        self.concern = selectors.concern_for(user=request.user, concern_id=kwargs["pk"])

    def get_page_subtitle(self):
        return self.concern.reference

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        concern = self.concern
        lead = is_lead(self.request.user)
        services.concern_view_record(
            user=self.request.user, what="concern", concern=concern
        )
        context.update(
            concern=concern,
            is_lead=lead,
            may_acknowledge=concern.is_open and concern.acknowledged_at is None,
            show_checklist=concern.is_open and concern.severity >= Severity.HIGH,
            note_form=kwargs.get("note_form") or NoteForm(),
            close_form=kwargs.get("close_form") or CloseForm(),
            checklist_form=kwargs.get("checklist_form") or ChecklistForm(),
            assign_form=(kwargs.get("assign_form") or AssignForm()) if lead else None,
            glass_form=(kwargs.get("glass_form") or GlassForm()) if lead else None,
            contact=kwargs.get("contact"),
            timeline=selectors.timeline(concern=concern),
            audit=selectors.audit_trail(concern=concern) if lead else None,
            closed=concern.status == ConcernStatus.CLOSED,
            safety_plan=selectors.safety_plan_for(
                user=self.request.user, member=concern.member
            ),
        )
        return context

    ACTIONS = {
        "acknowledge": None,
        "note": NoteForm,
        "close": CloseForm,
        "checklist": ChecklistForm,
        "assign": AssignForm,
        "glass": GlassForm,
    }

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action not in self.ACTIONS:
            messages.error(request, _("Unknown action."))
            return redirect("safeguarding_concern", pk=self.concern.pk)
        form_class = self.ACTIONS[action]
        form = form_class(request.POST) if form_class else None
        if form is not None and not form.is_valid():
            messages.error(request, _("Please check the form below."))
            return self.render_to_response(
                self.get_context_data(**{f"{action}_form": form})
            )
        data = form.cleaned_data if form is not None else {}
        user, pk = request.user, self.concern.pk
        try:
            if action == "acknowledge":
                services.concern_acknowledge(concern_id=pk, user=user)
                messages.success(request, _("Acknowledged. It is yours now."))
            elif action == "note":
                services.concern_note(concern_id=pk, user=user, text=data["text"])
                messages.success(request, _("Note added."))
            elif action == "close":
                services.concern_close(
                    concern_id=pk,
                    user=user,
                    outcome=data["outcome"],
                    reason=data["reason"],
                )
                messages.success(request, _("Closed."))
            elif action == "checklist":
                services.checklist_record(
                    concern_id=pk, user=user, step=data["step"], detail=data["detail"]
                )
                messages.success(request, _("Step recorded."))
            elif action == "assign":
                services.concern_assign(concern_id=pk, user=user, owner=data["owner"])
                messages.success(request, _("Assigned."))
            elif action == "glass":
                contact = services.glass_break(
                    concern_id=pk, user=user, reason=data["reason"]
                )
                # Shown once, in this response only; never stored in the page.
                self.concern.refresh_from_db()
                return self.render_to_response(self.get_context_data(contact=contact))
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect("safeguarding_concern", pk=pk)
        if action == "assign" and not is_lead(user):
            return redirect("safeguarding_dashboard")
        try:
            selectors.concern_for(user=user, concern_id=pk)
        except Http404:
            return redirect("safeguarding_dashboard")
        return redirect("safeguarding_concern", pk=pk)


class ChronologyView(SafeguardingView):
    template_name = "safeguarding/chronology.html"
    page_title = gettext_lazy("Chronology")

    def allowed(self, request, **kwargs):
        if not is_lead(request.user):
            raise Http404
        self.member = get_object_or_404(User, pk=kwargs["member_id"])

    def get_page_subtitle(self):
        return self.member.pseudonym

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        services.concern_view_record(
            user=self.request.user, what="chronology", member=self.member
        )
        context.update(
            member=self.member, concerns=selectors.chronology(member=self.member)
        )
        return context


class InboxView(SafeguardingView):
    template_name = "safeguarding/inbox.html"
    page_title = gettext_lazy("Safeguarding inbox")

    def allowed(self, request, **kwargs):
        if not may_see_any_concern(request.user):
            raise Http404

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = list(selectors.inbox(user=self.request.user)[:100])
        unread = [n.pk for n in items if n.read_at is None]
        if unread:
            selectors.inbox(user=self.request.user).filter(pk__in=unread).update(
                read_at=timezone.now()
            )
        services.concern_view_record(user=self.request.user, what="inbox")
        context.update(items=items, unread=set(unread))
        return context


class RaiseView(SafeguardingView):
    """Telling us about a worry shows nothing private: no second factor needed."""

    template_name = "safeguarding/raise.html"
    page_title = gettext_lazy("Raise a safeguarding concern")
    second_factor = False

    def allowed(self, request, **kwargs):
        if not may_raise_concern(request.user):
            raise Http404

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or RaiseForm()
        return context

    def post(self, request, *args, **kwargs):
        form = RaiseForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        try:
            concern = services.concern_raise(
                member=form.member,
                severity=data["severity"],
                source=ConcernSource.STAFF,
                content=data["content"],
                content_ref=data["where"],
                space=data["space"],
                raised_by=request.user,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            _("Concern %(reference)s raised. Thank you for telling us.")
            % {"reference": concern.reference},
        )
        return redirect("safeguarding_dashboard")


class VerifyView(WagtailAdminTemplateMixin, TemplateView):
    """Ask for a code from the authenticator app; set the app up the first time."""

    template_name = "safeguarding/verify.html"
    page_title = gettext_lazy("Confirm it's you")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not may_see_any_concern(request.user):
            raise Http404
        self.device = device_for(request.user)
        return super().dispatch(request, *args, **kwargs)

    def next_url(self):
        url = self.request.POST.get("next") or self.request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}
        ):
            return url
        return reverse("safeguarding_dashboard")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        setting_up = not self.device.confirmed
        context.update(
            setting_up=setting_up,
            key=device_key(self.device) if setting_up else "",
            config_url=self.device.config_url if setting_up else "",
            next=self.next_url(),
            error=kwargs.get("error"),
        )
        return context

    def post(self, request, *args, **kwargs):
        token = "".join(request.POST.get("token", "").split())
        if not (token.isdigit() and self.device.verify_token(token)):
            return self.render_to_response(
                self.get_context_data(
                    error=_(
                        "That code did not match. Codes change every 30 seconds: "
                        "try the one your app shows now."
                    )
                )
            )
        if not self.device.confirmed:
            self.device.confirmed = True
            self.device.save(update_fields=["confirmed"])
        otp_login(request, self.device)
        return redirect(self.next_url())
