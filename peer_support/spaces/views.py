"""Member and facilitator pages for joining, leaving and looking after a space.

Views stay thin: forms gather input, services decide, `user_may` guards.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from peer_support.errors import ServiceError

from . import services
from .errors import SpaceFull
from .forms import (
    DecisionForm,
    InviteForm,
    JoinForm,
    NoticeReadForm,
    RulesAcceptForm,
    WaitlistChoiceForm,
)
from .models import JoinPolicy, Membership, MembershipStatus, SpaceInvite, SpacePage
from .permissions import MANAGE_MEMBERS, user_may
from .selectors import (
    JoinState,
    join_box,
    leave_consequences,
    member_notices,
    membership_for,
    membership_history,
    rules_accepted,
    space_balance,
    space_members,
    space_past_members,
    space_requests,
    space_waiting_list,
    spaces_managed_by,
)

# Join box states in which the join page has nothing to offer.
NOT_JOINABLE = (
    JoinState.ENDED,
    JoinState.NOT_TAKING,
    JoinState.NOT_YET_OPEN,
    JoinState.BANNED,
)

WAITLIST_MESSAGE = _lazy(
    "You're on the waiting list. We'll let you know when a place is free."
)


def _space(space_id: int) -> SpacePage:
    return get_object_or_404(SpacePage.objects.live().public(), pk=space_id)


def _manageable_space(request, space_id: int) -> SpacePage:
    space = get_object_or_404(SpacePage, pk=space_id)
    if not user_may(request.user, MANAGE_MEMBERS, space):
        raise PermissionDenied
    return space


def _offer_open(membership) -> bool:
    return bool(
        membership
        and membership.status == MembershipStatus.WAITLISTED
        and membership.offer_expires_at
    )


@login_required
@require_http_methods(["GET", "POST"])
def space_join(request, space_id: int):
    """One page for every way in: join, request with answers, invite code, waiting
    list, and accepting an offered place."""
    space = _space(space_id)
    membership = membership_for(user=request.user, space=space)
    offer = _offer_open(membership)
    box = join_box(user=request.user, space=space, membership=membership)
    if box.state in NOT_JOINABLE:
        # Say so before anyone fills in the form, as the space's join box does.
        messages.info(request, box.reason or _("You can't join this space."))
        return redirect(space.url)
    form = JoinForm(request.POST or None, space=space, user=request.user, offer=offer)
    balance = space_balance(space=space)
    offer_waitlist = False
    choice = WaitlistChoiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and not choice.is_valid():
        form.add_error(None, _("Please choose to join now or join the waiting list."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "member": request.user,
            "rules_accepted": data.get("accept_rules", False),
            "consent": data["consent"] if "consent" in form.fields else None,
        }
        waitlist = choice.wants_waitlist()
        try:
            if offer:
                services.membership_offer_accept(membership_id=membership.pk, **common)
                messages.success(request, _("Welcome: your place is confirmed."))
            elif space.join_policy == JoinPolicy.REQUEST:
                result = services.membership_request(
                    space_id=space.pk,
                    answers=form.answers(),
                    as_professional=data.get("as_professional", False),
                    waitlist=waitlist,
                    **common,
                )
                messages.success(
                    request,
                    WAITLIST_MESSAGE
                    if result.status == MembershipStatus.WAITLISTED
                    else _("Thank you. A facilitator will read your request soon."),
                )
            else:
                result = services.membership_join(
                    space_id=space.pk,
                    as_professional=data.get("as_professional", False),
                    invite_code=data.get("invite_code", ""),
                    waitlist=waitlist,
                    **common,
                )
                messages.success(
                    request,
                    WAITLIST_MESSAGE
                    if result.status == MembershipStatus.WAITLISTED
                    else _("Welcome, you've joined."),
                )
            return redirect(space.url)
        except SpaceFull as refusal:
            form.add_error(None, refusal.message)
            offer_waitlist = True
        except ServiceError as error:
            form.add_error(None, error.message)
    return render(
        request,
        "spaces/join.html",
        {
            "space": space,
            "form": form,
            "membership": membership,
            "offer": offer,
            "balance": balance,
            "offer_waitlist": offer_waitlist or balance.full,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def space_leave(request, space_id: int):
    """GET asks "are you sure?" and says what coming back would take; POST leaves.
    The same page withdraws a request or leaves the waiting list."""
    space = _space(space_id)
    membership = membership_for(user=request.user, space=space)
    box = join_box(user=request.user, space=space, membership=membership)
    if not box.may_leave:
        messages.error(request, _("You're not a member of this space."))
        return redirect(space.url)
    if request.method == "GET":
        return render(
            request,
            "spaces/leave.html",
            {
                "space": space,
                "box": box,
                "states": JoinState,
                "consequences": leave_consequences(space=space, membership=membership),
            },
        )
    try:
        services.membership_leave(membership_id=membership.pk, member=request.user)
        if box.state == JoinState.REQUESTED:
            messages.success(request, _("Your request is withdrawn."))
        elif box.state in (JoinState.WAITLISTED, JoinState.OFFERED):
            messages.success(request, _("You've left the waiting list."))
        else:
            messages.success(request, _("You've left. Take care."))
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(space.url)


@login_required
@require_http_methods(["GET", "POST"])
def space_rules_accept(request, space_id: int):
    space = _space(space_id)
    membership = membership_for(user=request.user, space=space)
    if membership is None or membership.status not in (
        MembershipStatus.ACTIVE,
        MembershipStatus.SUSPENDED,
    ):
        raise Http404
    form = RulesAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_rules_accept(
                membership_id=membership.pk, member=request.user
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you for accepting the ground rules."))
        return redirect(space.url)
    return render(
        request,
        "spaces/rules_accept.html",
        {
            "space": space,
            "form": form,
            "already": rules_accepted(membership=membership),
        },
    )


@login_required
def space_manage(request, space_id: int):
    """The facilitator's page: balance, members, requests, waiting list, invites."""
    space = _manageable_space(request, space_id)
    return render(
        request,
        "spaces/manage.html",
        {
            "space": space,
            "balance": space_balance(space=space),
            "members": space_members(space=space),
            "requests": space_requests(space=space),
            "waiting": space_waiting_list(space=space),
            "past": space_past_members(space=space)[:50],
            "invites": SpaceInvite.objects.filter(
                space=space, used_at__isnull=True
            ).order_by("-created_at")[:20]
            if space.join_policy == JoinPolicy.INVITE
            else [],
            "decision_form": DecisionForm(),
            "invite_form": InviteForm(),
        },
    )


DECISIONS = {
    "approve": services.membership_approve,
    "waitlist": services.membership_waitlist,
    "decline": services.membership_decline,
    "suspend": services.membership_suspend,
    "remove": services.membership_remove,
    "ban": services.membership_ban,
}
DONE = {
    "approve": _("Approved."),
    "waitlist": _("Moved to the waiting list."),
    "decline": _("Request declined; the person has been told privately."),
    "suspend": _("Suspended; the member has been told privately."),
    "remove": _("Removed; the member has been told privately."),
    "ban": _("Banned from this space; the member has been told privately."),
}


@login_required
@require_POST
def membership_decide(request, space_id: int, membership_id: int, action: str):
    space = _manageable_space(request, space_id)
    membership = get_object_or_404(Membership, pk=membership_id, space=space)
    service = DECISIONS.get(action)
    if service is None:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please check the reason and the number of days."))
        return redirect("spaces:manage", space_id=space.pk)
    kwargs = {
        "membership_id": membership.pk,
        "actor": request.user,
        "reason": form.cleaned_data["reason"],
    }
    if action == "suspend":
        kwargs["days"] = form.cleaned_data["days"] or 0
    try:
        service(**kwargs)
        messages.success(request, DONE[action])
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("spaces:manage", space_id=space.pk)


@login_required
def membership_history_view(request, space_id: int, membership_id: int):
    space = _manageable_space(request, space_id)
    membership = get_object_or_404(
        Membership.objects.select_related("member"), pk=membership_id, space=space
    )
    return render(
        request,
        "spaces/history.html",
        {
            "space": space,
            "membership": membership,
            "events": membership_history(membership=membership),
        },
    )


@login_required
@require_POST
def invite_new(request, space_id: int):
    space = _manageable_space(request, space_id)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("An invite lasts between 1 and 90 days."))
        return redirect("spaces:manage", space_id=space.pk)
    try:
        invite = services.invite_create(
            space_id=space.pk,
            actor=request.user,
            days_valid=form.cleaned_data["days_valid"],
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("New invite code: %(code)s (share it privately).")
            % {"code": invite.code},
        )
    return redirect("spaces:manage", space_id=space.pk)


@login_required
@require_http_methods(["GET", "POST"])
def notices(request):
    if request.method == "POST":
        form = NoticeReadForm(request.POST)
        if form.is_valid():
            services.notice_mark_read(
                notice_id=form.cleaned_data["notice"], member=request.user
            )
        else:
            messages.error(request, _("We couldn't tell which notice that was."))
        return redirect("spaces:notices")
    return render(
        request, "spaces/notices.html", {"notices": member_notices(user=request.user)}
    )


@login_required
def managed_spaces(request):
    spaces = spaces_managed_by(user=request.user).order_by("title")
    if not spaces.exists():
        raise PermissionDenied
    return render(request, "spaces/managed_spaces.html", {"spaces": spaces})
