"""Peer worker pages on the site: my shifts, open shifts, offers, availability,
calendar feed. Thin: each POST calls one service and reports its message.

Open shifts come a page at a time, soonest first: a busy rota has hundreds in the
six weeks ahead, each with its own form, and drawing them all made "my shifts" the
slowest page a peer worker opens.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peer_support.accounts.roles import PEER_WORKER, has_role
from peer_support.ical import CalendarEvent, calendar_response

from . import selectors, services
from .forms import (
    AcceptForm,
    AvailabilityExceptionForm,
    AvailabilityWindowForm,
    CalendarLinkForm,
    OfferForm,
    RemoveExceptionForm,
    RemoveWindowForm,
)
from .models import (
    Availability,
    AvailabilityException,
    CalendarToken,
)

OPEN_SHIFTS_PER_PAGE = 20


def peer_worker_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not has_role(request.user, PEER_WORKER):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _run(request, call, success: str):
    try:
        call()
    except services.RotaError as error:
        for problem in error.problems:
            messages.error(request, problem.message)
        return False
    messages.success(request, success)
    return True


@peer_worker_required
def my_rota(request):
    rota = selectors.my_rota(worker=request.user)
    open_shifts = Paginator(
        selectors.open_shifts_for(worker=request.user), OPEN_SHIFTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    open_shifts.object_list = selectors.shifts_in_order(
        [shift.pk for shift in open_shifts]
    )
    return render(
        request,
        "rotas/my_rota.html",
        {
            "on_now": rota.on_now,
            "upcoming": rota.upcoming,
            "past": rota.past,
            "open_shifts": open_shifts,
            "offers": selectors.offers_for(worker=request.user),
            "my_offers": rota.offers,
            "offer_form": OfferForm(),
        },
    )


@require_POST
@peer_worker_required
def shift_claim(request, shift_id: int):
    _run(
        request,
        lambda: services.shift_claim(shift_id=shift_id, worker=request.user),
        _("The shift is yours. Thank you."),
    )
    return redirect("rotas:my_rota")


@require_POST
@peer_worker_required
def swap_offer(request, shift_id: int):
    form = OfferForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose swap, cover or drop."))
        return redirect("rotas:my_rota")
    _run(
        request,
        lambda: services.swap_offer(
            shift_id=shift_id,
            worker=request.user,
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
        ),
        _("Your offer is on the rota."),
    )
    return redirect("rotas:my_rota")


@require_POST
@peer_worker_required
def swap_accept(request, swap_id: int):
    form = AcceptForm(request.POST)
    their = form.cleaned_data["their_shift"] if form.is_valid() else None
    _run(
        request,
        lambda: services.swap_accept(
            swap_id=swap_id, worker=request.user, their_shift_id=their
        ),
        _("Thank you: you have accepted the offer."),
    )
    return redirect("rotas:my_rota")


@require_POST
@peer_worker_required
def swap_withdraw(request, swap_id: int):
    _run(
        request,
        lambda: services.swap_withdraw(swap_id=swap_id, worker=request.user),
        _("Your offer is withdrawn."),
    )
    return redirect("rotas:my_rota")


def _remove(request, form, remove, success: str) -> bool:
    """Remove one of the worker's own rows named by the form's one field. A value
    that is not a row id is refused with a message and changes nothing."""
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return False
    (pk,) = form.cleaned_data.values()
    remove(pk)
    messages.success(request, success)
    return True


@require_http_methods(["GET", "POST"])
@peer_worker_required
def availability(request):
    window_form = AvailabilityWindowForm(
        request.POST if "add_window" in request.POST else None, prefix="window"
    )
    exception_form = AvailabilityExceptionForm(
        request.POST if "add_exception" in request.POST else None, prefix="leave"
    )
    status = 200
    if request.method == "POST":
        status = 400  # unless a branch below succeeds and redirects
        if "remove_window" in request.POST:
            if _remove(
                request,
                RemoveWindowForm(request.POST),
                lambda pk: services.availability_window_remove(
                    worker=request.user, window_id=pk
                ),
                _("Window removed."),
            ):
                return redirect("rotas:availability")
        elif "remove_exception" in request.POST:
            if _remove(
                request,
                RemoveExceptionForm(request.POST),
                lambda pk: services.availability_exception_remove(
                    worker=request.user, exception_id=pk
                ),
                _("Leave removed."),
            ):
                return redirect("rotas:availability")
        elif "add_window" not in request.POST and "add_exception" not in request.POST:
            messages.error(request, _("Choose what to change."))
        if "add_window" in request.POST and window_form.is_valid():
            data = window_form.cleaned_data
            if _run(
                request,
                lambda: services.availability_window_add(
                    worker=request.user,
                    weekday=data["weekday"],
                    start=data["start_time"],
                    end=data["end_time"],
                ),
                _("Availability saved."),
            ):
                return redirect("rotas:availability")
        if "add_exception" in request.POST and exception_form.is_valid():
            data = exception_form.cleaned_data
            if _run(
                request,
                lambda: services.availability_exception_add(
                    worker=request.user,
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    kind=data["kind"],
                    note=data["note"],
                ),
                _("Leave saved."),
            ):
                return redirect("rotas:availability")
    return render(
        request,
        "rotas/availability.html",
        {
            "windows": Availability.objects.filter(worker=request.user),
            "exceptions": AvailabilityException.objects.filter(worker=request.user),
            "window_form": window_form,
            "exception_form": exception_form,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@peer_worker_required
def calendar_settings(request):
    if request.method == "POST":
        form = CalendarLinkForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(_("Choose to make or stop your link."))
        if form.cleaned_data["action"] == CalendarLinkForm.REVOKE:
            services.calendar_token_revoke(worker=request.user)
            messages.success(request, _("Your calendar link no longer works."))
        else:
            services.calendar_token_renew(worker=request.user)
            messages.success(request, _("You have a new calendar link."))
        return redirect("rotas:calendar")
    token = CalendarToken.objects.filter(
        worker=request.user, revoked_at__isnull=True
    ).first()
    feed_url = (
        request.build_absolute_uri(reverse("rotas:feed", args=[token.token]))
        if token
        else None
    )
    # The same feed as a webcal:// link, which calendar apps open as a subscription.
    webcal_url = "webcal://" + feed_url.split("://", 1)[1] if feed_url else None
    return render(
        request,
        "rotas/calendar.html",
        {"feed_url": feed_url, "webcal_url": webcal_url},
    )


def calendar_feed(request, token: str):
    """The secret URL is the credential: calendar apps cannot sign in."""
    found = (
        CalendarToken.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("worker")
        .first()
    )
    if found is None or not found.worker.is_active:
        raise Http404
    events = [
        CalendarEvent(
            uid=f"shift-{shift.pk}@peer-support",
            start=shift.start,
            end=shift.end,
            summary=_("Shift: %(what)s")
            % {"what": shift.space.title if shift.space_id else shift.duty_label},
            description=shift.duty_label,
        )
        for shift in selectors.calendar_shifts(worker=found.worker)
    ]
    return calendar_response(name=_("My shifts"), filename="my-shifts", events=events)
