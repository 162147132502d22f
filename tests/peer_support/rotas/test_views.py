from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from peer_support.rotas import services
from peer_support.rotas.models import (
    AssignmentStatus,
    Availability,
    AvailabilityException,
    Duty,
    ShiftAssignment,
    ShiftEvent,
    ShiftPattern,
    SwapKind,
    SwapRequest,
)
from tests.factories import (
    GroupIndexPageFactory,
    GroupPageFactory,
    PeerWorkerFactory,
    RotaCoordinatorFactory,
    ShiftFactory,
    SpacePageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(roles):
    return PeerWorkerFactory()


@pytest.fixture
def coordinator(roles):
    return RotaCoordinatorFactory()


# Peer worker pages -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,args",
    [("rotas:my_rota", []), ("rotas:availability", []), ("rotas:calendar", [])],
)
def test_rota_pages_need_login_and_peer_worker_role(client, roles, name, args):
    url = reverse(name, args=args)
    assert client.get(url).status_code == 302  # to login
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(PeerWorkerFactory())
    assert client.get(url).status_code == 200


def test_member_cannot_claim_a_shift(client, roles):
    shift = ShiftFactory()
    client.force_login(UserFactory())
    assert client.post(reverse("rotas:claim", args=[shift.pk])).status_code == 403
    assert not shift.assignments.exists()


def test_worker_claims_from_open_shifts_and_sees_it_in_my_shifts(client, worker):
    shift = ShiftFactory()
    client.force_login(worker)
    page = client.get(reverse("rotas:my_rota")).content.decode()
    assert reverse("rotas:claim", args=[shift.pk]) in page
    response = client.post(reverse("rotas:claim", args=[shift.pk]), follow=True)
    assert "The shift is yours" in response.content.decode()
    assert shift.assignments.get().worker == worker
    page = client.get(reverse("rotas:my_rota")).content.decode()
    assert reverse("rotas:offer", args=[shift.pk]) in page
    assert reverse("rotas:claim", args=[shift.pk]) not in page


def test_claiming_a_full_shift_shows_a_clear_message(client, worker, roles):
    shift = ShiftFactory()
    services.shift_claim(shift_id=shift.pk, worker=PeerWorkerFactory())
    client.force_login(worker)
    response = client.post(reverse("rotas:claim", args=[shift.pk]), follow=True)
    assert "someone else took the last place" in response.content.decode()


def test_offer_and_accept_cover_through_the_site(client, worker, roles):
    other = PeerWorkerFactory()
    shift = ShiftFactory()
    services.shift_claim(shift_id=shift.pk, worker=worker)
    client.force_login(worker)
    client.post(reverse("rotas:offer", args=[shift.pk]), {"kind": SwapKind.COVER})
    swap = SwapRequest.objects.get()
    client.force_login(other)
    page = client.get(reverse("rotas:my_rota")).content.decode()
    assert reverse("rotas:accept", args=[swap.pk]) in page
    client.post(reverse("rotas:accept", args=[swap.pk]))
    swap.refresh_from_db()
    assert swap.accepted_by == other


def test_bad_offer_kind_changes_nothing(client, worker):
    shift = ShiftFactory()
    services.shift_claim(shift_id=shift.pk, worker=worker)
    client.force_login(worker)
    response = client.post(
        reverse("rotas:offer", args=[shift.pk]), {"kind": "steal"}, follow=True
    )
    assert "Choose swap, cover or drop" in response.content.decode()
    assert not SwapRequest.objects.exists()


def test_availability_window_and_leave_are_saved_and_bad_input_refused(client, worker):
    client.force_login(worker)
    url = reverse("rotas:availability")
    client.post(
        url,
        {
            "add_window": "1",
            "window-weekday": "0",
            "window-start_time": "09:00",
            "window-end_time": "17:00",
        },
    )
    assert Availability.objects.filter(worker=worker).count() == 1
    response = client.post(
        url,
        {
            "add_window": "1",
            "window-weekday": "0",
            "window-start_time": "17:00",
            "window-end_time": "09:00",
        },
    )
    assert "must end after it starts" in response.content.decode()
    assert Availability.objects.filter(worker=worker).count() == 1
    client.post(
        url,
        {
            "add_exception": "1",
            "leave-kind": "leave",
            "leave-start_date": "2026-12-24",
            "leave-end_date": "2026-12-27",
        },
    )
    assert AvailabilityException.objects.filter(worker=worker).count() == 1
    response = client.post(
        url,
        {
            "add_exception": "1",
            "leave-kind": "leave",
            "leave-start_date": "2026-12-24",
            "leave-end_date": "2026-12-20",
        },
    )
    assert "cannot be before" in response.content.decode()
    assert AvailabilityException.objects.filter(worker=worker).count() == 1


def test_calendar_feed_lists_my_shifts_and_revoked_link_stops(client, worker, roles):
    mine = ShiftFactory()
    services.shift_claim(shift_id=mine.pk, worker=worker)
    ShiftFactory(start=timezone.now() + timedelta(days=4))  # not mine
    client.force_login(worker)
    client.post(reverse("rotas:calendar"), {"action": "renew"})
    token = worker.rota_calendar.token
    client.logout()
    feed = client.get(reverse("rotas:feed", args=[token]))
    assert feed.status_code == 200
    body = feed.content.decode()
    assert f"shift-{mine.pk}@" in body and body.count("BEGIN:VEVENT") == 1
    assert worker.email not in body
    client.force_login(worker)
    client.post(reverse("rotas:calendar"), {"action": "renew"})
    client.logout()
    assert client.get(reverse("rotas:feed", args=[token])).status_code == 404
    client.force_login(worker)
    client.post(reverse("rotas:calendar"), {"action": "revoke"})
    worker.rota_calendar.refresh_from_db()
    new_token = worker.rota_calendar.token
    assert client.get(reverse("rotas:feed", args=[new_token])).status_code == 404


def test_my_rota_uses_fixed_queries(client, worker, query_count):
    client.force_login(worker)
    for _ in range(5):
        shift = ShiftFactory(
            start=timezone.now() + timedelta(days=1 + _), max_workers=2
        )
        services.shift_claim(shift_id=shift.pk, worker=worker)
        ShiftFactory(start=timezone.now() + timedelta(days=1 + _, hours=5))

    def grow():
        for n in range(45):
            start = timezone.now() + timedelta(days=8, hours=13 * n)
            shift = ShiftFactory(start=start, hours=1, max_workers=2)
            services.shift_assign(
                shift_id=shift.pk, worker=worker, actor=worker, confirm_warnings=True
            )
            ShiftFactory(start=start + timedelta(hours=6), hours=1)

    query_count.assert_unchanged(reverse("rotas:my_rota"), grow)


def test_open_shifts_come_a_page_at_a_time_soonest_first(client, worker, query_count):
    soon = timezone.now() + timedelta(hours=2)
    shifts = [ShiftFactory(start=soon + timedelta(hours=5 * n)) for n in range(25)]
    claim = [reverse("rotas:claim", args=[shift.pk]) for shift in shifts]
    client.force_login(worker)
    url = reverse("rotas:my_rota")

    first = client.get(url).content.decode()
    second = client.get(url, {"page": "2"}).content.decode()

    assert all(link in first for link in claim[:20])
    assert not any(link in first for link in claim[20:])
    assert all(link in second for link in claim[20:])
    assert not any(link in second for link in claim[:20])
    assert "Page 1 of 2" in first and "?page=2" in first
    assert query_count.get(url) == query_count.get(url, {"page": "2"})
    # A page past the end shows the last one rather than failing.
    assert claim[-1] in client.get(url, {"page": "99"}).content.decode()


# Admin tools -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "rotas_coverage",
        "rotas_fairness",
        "rotas_swaps",
        "rotas_shift:index",
        "rotas_shiftpattern:index",
        "rotas_qualification:index",
    ],
)
def test_admin_rota_tools_only_for_coordinators(client, roles, name):
    url = reverse(name)
    client.force_login(PeerWorkerFactory())  # has admin access, not the role
    assert client.get(url).status_code in (302, 403)
    client.force_login(RotaCoordinatorFactory())
    assert client.get(url, follow=True).status_code == 200


def test_coordinator_creates_shift_in_admin_with_history(client, coordinator):
    client.force_login(coordinator)
    start = timezone.localtime() + timedelta(days=3)
    response = client.post(
        reverse("rotas_shift:add"),
        {
            "duty": Duty.MODERATION,
            "space": "",
            "start": start.strftime("%Y-%m-%d %H:%M"),
            "end": (start + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
            "role_needed": "Peer workers",
            "min_workers": 1,
            "max_workers": 1,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = ShiftEvent.objects.get(action=ShiftEvent.Action.CREATED)
    assert event.actor == coordinator


def test_admin_assign_shows_warnings_then_confirms(client, coordinator, worker):
    from peer_support.rotas.models import RotaRules

    rules = RotaRules.load()
    rules.max_weekly_hours = 1
    rules.save()
    shift = ShiftFactory(hours=3)
    client.force_login(coordinator)
    url = reverse("rotas_shift_assign", args=[shift.pk])
    response = client.post(url, {"worker": worker.pk})
    assert "above the 1 hours" in response.content.decode()
    assert not shift.assignments.exists()
    client.post(url, {"worker": worker.pk, "confirm_warnings": "on"})
    assert shift.assignments.get(status=AssignmentStatus.ACTIVE).worker == worker


def test_admin_pattern_generate_action(client, coordinator):
    from datetime import time

    pattern = ShiftPattern.objects.create(
        name="Mon moderation",
        duty=Duty.MODERATION,
        weekday=0,
        start_time=time(9),
        duration_minutes=180,
    )
    client.force_login(coordinator)
    url = reverse("rotas_pattern_generate", args=[pattern.pk])
    client.post(url, {"weeks": 3})
    client.post(url, {"weeks": 3})
    assert pattern.shifts.count() == 3
    response = client.post(url, {"weeks": 99})
    assert response.status_code == 400 and pattern.shifts.count() == 3


def test_coverage_view_fixed_queries_5_vs_50_shifts(
    client, coordinator, roles, query_count
):
    client.force_login(coordinator)
    workers = [PeerWorkerFactory() for _ in range(3)]

    def add(n, offset):
        for i in range(n):
            shift = ShiftFactory(
                start=timezone.now() + timedelta(hours=5 + 6 * (i + offset)),
                hours=2,
                max_workers=2,
                min_workers=2,
            )
            services.shift_assign(
                shift_id=shift.pk,
                worker=workers[i % 3],
                actor=coordinator,
                confirm_warnings=True,
            )

    add(5, 0)
    query_count.assert_unchanged(reverse("rotas_coverage"), lambda: add(45, 5))


def test_coverage_shows_a_page_of_each_list_at_the_same_queries(
    client, coordinator, query_count
):
    """Under-staffed moderation shifts with no one: a gap in two lists each."""
    soon = timezone.now() + timedelta(hours=1)
    shifts = [
        ShiftFactory(start=soon + timedelta(hours=2 * n), hours=1, min_workers=1)
        for n in range(60)
    ]
    assign = [reverse("rotas_shift_assign", args=[shift.pk]) for shift in shifts]
    client.force_login(coordinator)
    url = reverse("rotas_coverage")

    pages = [client.get(url, {"page": n}).content.decode() for n in ("1", "2", "3")]

    assert "Under-staffed shifts (60)" in pages[0]
    assert "Page 1 of 3" in pages[0] and "?page=2" in pages[0]
    for number, page in enumerate(pages):
        shown = [link for link in assign if f'href="{link}"' in page]
        assert shown == assign[25 * number : 25 * (number + 1)]
    assert query_count.get(url) == query_count.get(url, {"page": "3"})


def test_coverage_shows_one_week_at_a_time(client, coordinator):
    now = timezone.now()
    this_week = ShiftFactory(start=now + timedelta(days=2))
    next_week = ShiftFactory(start=now + timedelta(days=9))
    later = ShiftFactory(start=now + timedelta(days=40))
    client.force_login(coordinator)
    url = reverse("rotas_coverage")

    def shown(week):
        page = client.get(url, {"week": week}).content.decode()
        return {
            shift
            for shift in (this_week, next_week, later)
            if reverse("rotas_shift_assign", args=[shift.pk]) in page
        }

    assert shown("0") == {this_week}
    assert shown("1") == {next_week}
    assert shown("3") == set()
    # Beyond the four weeks, or not a week at all: the first week.
    assert shown("4") == shown("-1") == shown("soon") == {this_week}


def _past_shifts(n, workers, offset=0):
    for i in range(n):
        shift = ShiftFactory(
            start=timezone.now() - timedelta(days=1, hours=5 * (i + offset)), hours=2
        )
        ShiftAssignment.objects.create(shift=shift, worker=workers[i % len(workers)])


def test_fairness_and_shift_list_fixed_queries_5_vs_50(
    client, coordinator, roles, query_count
):
    workers = [PeerWorkerFactory() for _ in range(3)]
    client.force_login(coordinator)
    _past_shifts(5, workers)
    names = ("rotas_fairness", "rotas_shift:index")
    few = [query_count.get(reverse(name)) for name in names]
    _past_shifts(45, workers, offset=5)
    many = [query_count.get(reverse(name)) for name in names]
    assert many == few
    page = client.get(reverse("rotas_fairness")).content.decode()
    assert workers[0].pseudonym in page


def test_coverage_lists_understaffed_and_empty_duties(client, coordinator):
    ShiftFactory(duty=Duty.SAFEGUARDING, role_needed="Safeguarding leads")
    client.force_login(coordinator)
    page = client.get(reverse("rotas_coverage")).content.decode()
    assert 'id="understaffed"' in page and 'id="duties-uncovered"' in page


def test_coverage_names_a_worker_over_their_weekly_hours(client, coordinator, roles):
    worker = PeerWorkerFactory(pseudonym="Long Weeker")
    rested = PeerWorkerFactory(pseudonym="Rested Robin")
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    for day in range(4):  # four 9-hour shifts in one week: 36 hours
        start = timezone.make_aware(
            datetime.combine(monday + timedelta(days=day), time(8))
        )
        shift = ShiftFactory(start=start, hours=9)
        ShiftAssignment.objects.create(shift=shift, worker=worker)
    ShiftAssignment.objects.create(
        shift=ShiftFactory(start=start + timedelta(days=1), hours=9), worker=rested
    )
    client.force_login(coordinator)

    # Next week overlaps both the first seven days of the report and the seven
    # after: its hours are counted whole in each, whatever the day today.
    pages = [
        client.get(reverse("rotas_coverage"), {"week": week}).content.decode()
        for week in ("0", "1")
    ]

    for page in pages:
        assert "Long Weeker: 36.0 hours in the week of" in page
        assert "Rested Robin:" not in page


def test_admin_swap_approval(client, coordinator, worker, roles):
    other = PeerWorkerFactory()
    shift = ShiftFactory()
    services.shift_claim(shift_id=shift.pk, worker=worker)
    swap = services.swap_offer(shift_id=shift.pk, worker=worker, kind=SwapKind.COVER)
    services.swap_accept(swap_id=swap.pk, worker=other)
    client.force_login(coordinator)
    client.post(reverse("rotas_swaps"), {"swap": swap.pk, "action": "approve"})
    assert shift.assignments.get(status="active").worker == other


# Public status -----------------------------------------------------------------------


def test_home_page_says_when_a_peer_worker_is_around_without_names(
    client, home_page, worker
):
    page = client.get(home_page.url).content.decode()
    assert "No peer worker is reading the discussions just now" in page
    later = ShiftFactory(start=timezone.now() + timedelta(days=1))
    services.shift_claim(shift_id=later.pk, worker=worker)
    page = client.get(home_page.url).content.decode()
    assert "A peer worker will next read the discussions on" in page
    assert worker.pseudonym not in page
    now_shift = ShiftFactory(start=timezone.now() - timedelta(hours=1), max_workers=2)
    services.shift_assign(
        shift_id=now_shift.pk,
        worker=PeerWorkerFactory(),
        actor=worker,
        confirm_warnings=True,
    )
    assert (
        "A peer worker is reading the discussions now"
        in client.get(home_page.url).content.decode()
    )


def test_space_status_only_counts_that_space(home_page, worker):
    from peer_support.rotas.selectors import next_cover, on_duty

    space = SpacePageFactory(parent=home_page)
    other = SpacePageFactory(parent=home_page, title="Other group")
    shift = ShiftFactory(
        start=timezone.now() - timedelta(hours=1), duty=Duty.SPACE_COVER, space=other
    )
    services.shift_assign(
        shift_id=shift.pk, worker=worker, actor=worker, confirm_warnings=True
    )
    assert list(on_duty(space=other)) == [worker]
    assert not on_duty(space=space).exists()
    assert next_cover(space=space) is None


def test_coordinator_may_edit_rota_rules_and_peer_worker_may_not(client, roles):
    url = reverse("wagtailsettings:edit", args=["rotas", "rotarules"])
    client.force_login(PeerWorkerFactory())
    assert "Max weekly hours" not in client.get(url, follow=True).content.decode()
    client.force_login(RotaCoordinatorFactory())
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert "Max weekly hours" in response.content.decode()


def test_group_page_says_whether_its_peer_worker_is_around_without_names(
    client, home_page, worker
):

    group = GroupPageFactory(
        parent=GroupIndexPageFactory(parent=home_page), title="Evening Voices"
    )
    page = client.get(group.url).content.decode()
    assert "No peer worker is on this group's rota just now" in page

    shift = ShiftFactory(
        start=timezone.now() - timedelta(hours=1), duty=Duty.SPACE_COVER, space=group
    )
    services.shift_assign(
        shift_id=shift.pk, worker=worker, actor=worker, confirm_warnings=True
    )

    page = client.get(group.url).content.decode()
    assert "A peer worker is with this group now" in page
    assert worker.pseudonym not in page


def test_the_shift_in_progress_is_on_now_and_cannot_be_offered(client, worker):
    shift = ShiftFactory(start=timezone.now() - timedelta(hours=1), hours=3)
    ShiftAssignment.objects.create(shift=shift, worker=worker)
    client.force_login(worker)
    response = client.get(reverse("rotas:my_rota"))
    assert [s.pk for s in response.context["on_now"]] == [shift.pk]
    assert response.context["upcoming"] == []
    page = response.content.decode()
    assert 'id="my-shifts-now"' in page
    assert reverse("rotas:offer", args=[shift.pk]) not in page
    response = client.post(
        reverse("rotas:offer", args=[shift.pk]), {"kind": SwapKind.COVER}, follow=True
    )
    assert "already started" in response.content.decode()
    assert not SwapRequest.objects.exists()


def test_a_shift_already_offered_shows_its_offer_not_the_form(client, worker):
    shift = ShiftFactory()
    services.shift_claim(shift_id=shift.pk, worker=worker)
    swap = services.swap_offer(shift_id=shift.pk, worker=worker, kind=SwapKind.COVER)
    client.force_login(worker)
    page = client.get(reverse("rotas:my_rota")).content.decode()
    assert reverse("rotas:offer", args=[shift.pk]) not in page
    assert "You have offered this shift: Someone to cover it" in page
    assert reverse("rotas:withdraw", args=[swap.pk]) in page
