"""A member's own page: the spaces they are in or waiting for, what meets next, and
their messages. Withdrawing calls the spaces' own leave service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peer_support.errors import ServiceError
from peer_support.groups.models import GroupIndexPage
from peer_support.spaces import services
from peer_support.spaces.models import Membership, MembershipStatus
from peer_support.spaces.selectors import leave_consequences

from .selectors import SHOWN_STATUSES, member_overview


@login_required
def my_spaces(request):
    return render(
        request,
        "my_spaces/my_spaces.html",
        {
            "overview": member_overview(user=request.user),
            "finder": GroupIndexPage.objects.live().public().first(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_withdraw(request, membership_id: int):
    """Leave a space, withdraw a request or give up a waiting-list place: asks first,
    saying what coming back would take (the same words as the space's own leave page),
    then acts on the member's own membership only."""
    membership = get_object_or_404(
        Membership.objects.select_related("space"),
        pk=membership_id,
        member=request.user,
        status__in=SHOWN_STATUSES,
    )
    if request.method == "POST":
        try:
            services.membership_leave(membership_id=membership.pk, member=request.user)
        except (ServiceError, services.MembershipError) as error:
            messages.error(request, error.message)
        else:
            messages.success(request, DONE[membership.status])
        return redirect("my_spaces:home")
    return render(
        request,
        "my_spaces/withdraw.html",
        {
            "membership": membership,
            "consequences": leave_consequences(
                space=membership.space, membership=membership
            ),
            "is_active": membership.status
            in (MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED),
        },
    )


DONE = {
    MembershipStatus.ACTIVE: _("You've left. You're welcome back any time."),
    MembershipStatus.SUSPENDED: _("You've left. You're welcome back any time."),
    MembershipStatus.REQUESTED: _("Your request has been withdrawn."),
    MembershipStatus.WAITLISTED: _("You've left the waiting list."),
}
