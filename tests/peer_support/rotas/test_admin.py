"""The rota's admin tools: the permission policy, the Rota menu group, the fairness
report, approvals, the assign drop-down, pattern listing, and bad input on every rota
POST endpoint."""

import csv
import io
from datetime import time, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import constants as message_levels
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import admin_menu

from peer_support.accounts.roles import ROTA_COORDINATOR
from peer_support.rotas import services
from peer_support.rotas.models import (
    AssignmentStatus,
    Availability,
    AvailabilityException,
    CalendarToken,
    Duty,
    RoleNeeded,
    Shift,
    ShiftAssignment,
    ShiftEvent,
    ShiftPattern,
    SwapKind,
    SwapRequest,
    SwapStatus,
)
from peer_support.rotas.permissions import coordinators, may_coordinate
from tests.factories import (
    PeerWorkerFactory,
    RotaCoordinatorFactory,
    SafeguardingLeadFactory,
    ShiftFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ADMIN_TOOLS = [
    "rotas_coverage",
    "rotas_fairness",
    "rotas_swaps",
    "rotas_shift:index",
    "rotas_shiftpattern:index",
    "rotas_qualification:index",
]


@pytest.fixture
def coordinator(roles):
    return RotaCoordinatorFactory()


@pytest.fixture
def worker(roles):
    return PeerWorkerFactory()


def _coordinate_permission():
    return Permission.objects.get(
        content_type__app_label="rotas", codename="coordinate_rota"
    )


# Permission policy -------------------------------------------------------------------


def test_renaming_the_coordinators_group_changes_nothing(client, coordinator):
    Group.objects.filter(name=ROTA_COORDINATOR).update(name="Rota planners")
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)  # fresh perm cache
    assert may_coordinate(coordinator)
    client.force_login(coordinator)
    for name in ADMIN_TOOLS:
        assert client.get(reverse(name)).status_code == 200, name


def test_a_group_named_like_the_coordinators_without_the_permission_is_refused(
    client, roles
):
    Group.objects.filter(name=ROTA_COORDINATOR).update(name="Rota planners")
    impostor = PeerWorkerFactory(roles=[ROTA_COORDINATOR, "Peer workers"])
    assert impostor.groups.filter(name=ROTA_COORDINATOR).exists()
    assert not may_coordinate(impostor)
    client.force_login(impostor)
    for name in ADMIN_TOOLS:
        assert client.get(reverse(name)).status_code in (302, 403), name


def test_a_coordinator_whose_group_loses_the_permission_is_refused(client, coordinator):
    Group.objects.get(name=ROTA_COORDINATOR).permissions.remove(
        _coordinate_permission()
    )
    client.force_login(coordinator)
    for name in ADMIN_TOOLS:
        assert client.get(reverse(name)).status_code in (302, 403), name
    shift = ShiftFactory()
    response = client.post(
        reverse("rotas_shift_assign", args=[shift.pk]),
        {"worker": PeerWorkerFactory().pk},
    )
    assert response.status_code in (302, 403)
    assert not shift.assignments.exists()


def test_the_permission_given_directly_to_a_user_is_enough(client, roles):
    user = PeerWorkerFactory()
    user.user_permissions.add(_coordinate_permission())
    client.force_login(user)
    assert client.get(reverse("rotas_fairness")).status_code == 200
    assert user in coordinators()


def test_gap_notices_follow_the_permission_not_the_group_name(roles):
    from django.core import mail

    from peer_support.rotas import tasks

    coordinator = RotaCoordinatorFactory()
    Group.objects.filter(name=ROTA_COORDINATOR).update(name="Rota planners")
    PeerWorkerFactory(roles=[ROTA_COORDINATOR])  # the name, not the permission
    ShiftFactory(start=timezone.now() + timedelta(hours=30))
    assert tasks.rota_gaps_notify() == 1
    assert mail.outbox[0].to == [coordinator.email]


# One Rota menu group -----------------------------------------------------------------


def _rota_submenu_urls(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    (rota,) = [
        item
        for item in admin_menu.menu_items_for_request(request)
        if item.name == "rota"
    ]
    return {item.url for item in rota.menu.menu_items_for_request(request)}


def test_every_rota_tool_is_inside_the_rota_menu_group(coordinator):
    urls = _rota_submenu_urls(coordinator)
    for name in ADMIN_TOOLS:
        assert reverse(name) in urls, name
    assert reverse("wagtailsettings:edit", args=["rotas", "rotarules"]) in urls
    assert reverse("rotas:my_rota") in urls
    request = RequestFactory().get("/admin/")
    request.user = coordinator
    top = {item.url for item in admin_menu.menu_items_for_request(request)}
    assert reverse("rotas_fairness") not in top and reverse("rotas_swaps") not in top


def test_a_peer_worker_sees_only_their_own_shifts_in_the_rota_group(worker):
    assert _rota_submenu_urls(worker) == {reverse("rotas:my_rota")}


# Fairness report ---------------------------------------------------------------------


def _worked(worker, *, days_ago, hours=2, duty=Duty.MODERATION, **kwargs):
    shift = ShiftFactory(
        start=timezone.now() - timedelta(days=days_ago),
        hours=hours,
        duty=duty,
        **kwargs,
    )
    ShiftAssignment.objects.create(shift=shift, worker=worker)
    return shift


def test_fairness_report_lists_peer_workers_only_with_their_totals(client, coordinator):
    worker = PeerWorkerFactory(pseudonym="Amber Finch")
    lead = SafeguardingLeadFactory(pseudonym="Night Owl", roles=["Safeguarding leads"])
    _worked(worker, days_ago=3, hours=3)
    _worked(worker, days_ago=10, hours=2)
    _worked(
        lead,
        days_ago=2,
        duty=Duty.SAFEGUARDING,
        role_needed=RoleNeeded.SAFEGUARDING_LEAD,
    )
    client.force_login(coordinator)
    response = client.get(reverse("rotas_fairness"))
    page = response.content.decode()
    assert "Amber Finch" in page and coordinator.pseudonym in page
    assert "Night Owl" not in page
    rows = {row.pseudonym: row for row in response.context["object_list"]}
    assert (rows["Amber Finch"].shifts, rows["Amber Finch"].hours) == (2, 5.0)
    table = response.context["table"]
    (amber,) = [row for row in table.rows if row.instance.pseudonym == "Amber Finch"]
    assert (amber.instance.shifts, amber.instance.hours) == (2, 5.0)
    assert "<td>5.0</td>" in page.replace(" ", "").replace("\n", "")


def test_fairness_report_exports_csv_and_xlsx_and_filters_the_period(
    client, coordinator
):
    worker = PeerWorkerFactory(pseudonym="Amber Finch")
    _worked(worker, days_ago=3, hours=3)
    _worked(worker, days_ago=40, hours=4)  # only within the last 8 weeks
    client.force_login(coordinator)
    response = client.get(reverse("rotas_fairness"), {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert set(rows[0]) == {
        "Peer worker",
        "Shifts",
        "Hours",
        "Night shifts",
        "Weekend shifts",
        "Concerns handled",
    }
    amber = next(r for r in rows if r["Peer worker"] == "Amber Finch")
    assert (amber["Shifts"], amber["Hours"], amber["Concerns handled"]) == (
        "1",
        "3.0",
        "0",
    )
    response = client.get(reverse("rotas_fairness"), {"export": "csv", "weeks": "8"})
    body = b"".join(response.streaming_content).decode()
    amber = next(
        r
        for r in csv.DictReader(io.StringIO(body))
        if r["Peer worker"] == "Amber Finch"
    )
    assert (amber["Shifts"], amber["Hours"]) == ("2", "7.0")
    response = client.get(reverse("rotas_fairness"), {"export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


# Approvals ---------------------------------------------------------------------------


def _swap_awaiting(worker, other):
    shift = ShiftFactory()
    services.shift_claim(shift_id=shift.pk, worker=worker)
    swap = services.swap_offer(shift_id=shift.pk, worker=worker, kind=SwapKind.COVER)
    services.swap_accept(swap_id=swap.pk, worker=other)
    return shift, swap


def test_approvals_list_and_decline_needs_a_reason(client, coordinator, worker):
    other = PeerWorkerFactory(pseudonym="Late Robin")
    shift, swap = _swap_awaiting(worker, other)
    client.force_login(coordinator)
    page = client.get(reverse("rotas_swaps")).content.decode()
    assert "Late Robin" in page and f'name="swap" value="{swap.pk}"' in page
    response = client.post(
        reverse("rotas_swaps"), {"swap": swap.pk, "action": "decline"}, follow=True
    )
    assert "Please say why" in response.content.decode()
    swap.refresh_from_db()
    assert swap.status == SwapStatus.AWAITING_APPROVAL
    client.post(
        reverse("rotas_swaps"),
        {"swap": swap.pk, "action": "decline", "reason": "Too short notice"},
    )
    swap.refresh_from_db()
    assert swap.status == SwapStatus.DECLINED
    assert shift.assignments.get(status=AssignmentStatus.ACTIVE).worker == worker


# Assign drop-down and patterns -------------------------------------------------------


def test_assign_drop_down_lists_only_eligible_workers(client, coordinator, worker):
    lead_only = SafeguardingLeadFactory(
        pseudonym="Lead Only", roles=["Safeguarding leads"]
    )
    shift = ShiftFactory(duty=Duty.MODERATION)
    client.force_login(coordinator)
    url = reverse("rotas_shift_assign", args=[shift.pk])
    response = client.get(url)
    choices = {w.pk for w in response.context["form"].fields["worker"].queryset}
    assert worker.pk in choices and lead_only.pk not in choices
    response = client.post(url, {"worker": lead_only.pk})
    assert response.status_code == 400
    assert not shift.assignments.exists()


def test_pattern_listing_shows_hours_and_yes_no(client, coordinator):
    ShiftPattern.objects.create(
        name="Long Monday",
        duty=Duty.MODERATION,
        weekday=0,
        start_time=time(8),
        duration_minutes=600,
    )
    client.force_login(coordinator)
    page = client.get(reverse("rotas_shiftpattern:index")).content.decode()
    assert "10 hours" in page and "Monday" in page and "Yes" in page
    assert ">600<" not in page and "True" not in page


# Bad input on every rota POST endpoint -----------------------------------------------


def _state():
    return (
        Shift.objects.count(),
        list(ShiftAssignment.objects.values_list("pk", "status").order_by("pk")),
        list(SwapRequest.objects.values_list("pk", "status").order_by("pk")),
        Availability.objects.count(),
        AvailabilityException.objects.count(),
        list(CalendarToken.objects.values_list("token", "revoked_at")),
        ShiftEvent.objects.count(),
    )


@pytest.fixture
def rota_world(roles):
    worker = PeerWorkerFactory()
    other = PeerWorkerFactory()
    coordinator = RotaCoordinatorFactory()
    shift, swap = _swap_awaiting(worker, other)
    mine = ShiftFactory(start=timezone.now() + timedelta(days=5))
    services.shift_claim(shift_id=mine.pk, worker=worker)
    open_offer = services.swap_offer(shift_id=mine.pk, worker=worker, kind="swap")
    Availability.objects.create(
        worker=worker, weekday=0, start_time=time(9), end_time=time(17)
    )
    pattern = ShiftPattern.objects.create(
        name="Mon",
        duty=Duty.MODERATION,
        weekday=0,
        start_time=time(9),
        duration_minutes=180,
    )
    services.calendar_token_renew(worker=worker)
    return {
        "worker": worker,
        "other": other,
        "coordinator": coordinator,
        "shift": shift,
        "swap": swap,
        "open_offer": open_offer,
        "pattern": pattern,
    }


GARBAGE = [
    # (who, url name, url args from the world, POST data)
    ("worker", "rotas:claim", lambda w: [987654], {}),
    ("worker", "rotas:offer", lambda w: [w["shift"].pk], {"kind": "steal"}),
    ("worker", "rotas:offer", lambda w: [987654], {"kind": "cover"}),
    ("other", "rotas:accept", lambda w: [w["open_offer"].pk], {"their_shift": "abc"}),
    ("other", "rotas:withdraw", lambda w: [w["open_offer"].pk], {}),
    ("worker", "rotas:availability", lambda w: [], {"remove_window": "abc"}),
    ("worker", "rotas:availability", lambda w: [], {"remove_exception": "1e3"}),
    ("worker", "rotas:availability", lambda w: [], {"remove_window": ""}),
    ("worker", "rotas:availability", lambda w: [], {}),
    (
        "worker",
        "rotas:availability",
        lambda w: [],
        {"add_window": "1", "window-weekday": "9", "window-start_time": "x"},
    ),
    (
        "worker",
        "rotas:availability",
        lambda w: [],
        {"add_exception": "1", "leave-kind": "?", "leave-start_date": "tuesday"},
    ),
    ("worker", "rotas:calendar", lambda w: [], {"action": "explode"}),
    ("coordinator", "rotas_swaps", lambda w: [], {"swap": "abc", "action": "approve"}),
    (
        "coordinator",
        "rotas_swaps",
        lambda w: [],
        {"swap": "987654", "action": "approve"},
    ),
    ("coordinator", "rotas_swaps", lambda w: [], {"swap": "1", "action": "explode"}),
    ("coordinator", "rotas_swaps", lambda w: [], {}),
    (
        "coordinator",
        "rotas_shift_assign",
        lambda w: [w["shift"].pk],
        {"unassign": "abc", "unassign_reason": "x"},
    ),
    (
        "coordinator",
        "rotas_shift_assign",
        lambda w: [w["shift"].pk],
        {"unassign": "987654", "unassign_reason": "x"},
    ),
    ("coordinator", "rotas_shift_assign", lambda w: [w["shift"].pk], {"worker": "abc"}),
    ("coordinator", "rotas_shift_assign", lambda w: [w["shift"].pk], {}),
    ("coordinator", "rotas_coverage", lambda w: [], {"session": "abc"}),
    ("coordinator", "rotas_coverage", lambda w: [], {"session": "1:not-a-date"}),
    ("coordinator", "rotas_coverage", lambda w: [], {"session": "1:2030-01-01T10:00"}),
    ("coordinator", "rotas_coverage", lambda w: [], {}),
    (
        "coordinator",
        "rotas_pattern_generate",
        lambda w: [w["pattern"].pk],
        {"weeks": "abc"},
    ),
]


@pytest.mark.parametrize(
    "who,name,args,data",
    GARBAGE,
    ids=[
        f"{name}-{'&'.join(f'{k}={v}' for k, v in data.items())}"
        for _w, name, _a, data in GARBAGE
    ],
)
def test_garbage_posted_to_a_rota_endpoint_is_refused_and_changes_nothing(
    client, rota_world, who, name, args, data
):
    client.force_login(rota_world[who])
    url = reverse(name, args=args(rota_world))
    before = _state()
    response = client.post(url, data)
    assert response.status_code < 500
    assert _state() == before
    if response.status_code in (301, 302):
        response = client.get(response["Location"])
        errors = [
            m for m in response.context["messages"] if m.level == message_levels.ERROR
        ]
        assert errors, "a redirect after bad input must say what was wrong"
    else:
        assert 400 <= response.status_code < 500


def test_a_member_cannot_post_to_any_rota_endpoint(client, rota_world):
    client.force_login(UserFactory())
    before = _state()
    for _who, name, args, data in GARBAGE:
        response = client.post(reverse(name, args=args(rota_world)), data)
        assert response.status_code in (302, 403), name
    assert _state() == before


@pytest.mark.parametrize(
    "name,title",
    [("rotas_coverage", "Rota coverage"), ("rotas_fairness", "Rota fairness")],
)
def test_rota_report_header_says_its_name(client, coordinator, name, title):
    import re

    client.force_login(coordinator)
    page = client.get(reverse(name)).content.decode()
    (h1,) = re.findall(r"<h1[^>]*>(.*?)</h1>", page, flags=re.S)
    assert title in h1


def test_editing_a_cancelled_shift_is_refused_on_the_form(client, coordinator):
    shift = ShiftFactory()
    services.shift_cancel(shift_id=shift.pk, actor=coordinator, reason="Snow")
    client.force_login(coordinator)
    start = timezone.localtime(shift.start)
    response = client.post(
        reverse("rotas_shift:edit", args=[shift.pk]),
        {
            "duty": Duty.MODERATION,
            "space": "",
            "start": start.strftime("%Y-%m-%d %H:%M"),
            "end": (start + timedelta(hours=5)).strftime("%Y-%m-%d %H:%M"),
            "role_needed": "Peer workers",
            "min_workers": 1,
            "max_workers": 1,
        },
    )
    assert response.status_code == 400 or response.status_code == 200
    assert "This shift has been cancelled" in response.content.decode()
    shift.refresh_from_db()
    assert shift.hours == 3
