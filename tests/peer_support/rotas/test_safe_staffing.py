"""Safe staffing against real course live sessions (`CoursePage.sessions_between`)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from peer_support.courses.models import CourseIndexPage
from peer_support.rotas import services, tasks
from peer_support.rotas.models import Duty, RoleNeeded, Shift, WorkerQualification
from peer_support.rotas.selectors import coverage, open_shifts_for
from tests.factories import (
    CoursePageFactory,
    PeerWorkerFactory,
    RotaCoordinatorFactory,
    SafeguardingLeadFactory,
)

from .helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(home_page):
    index = home_page.add_child(
        instance=CourseIndexPage(title="Courses", slug="courses")
    )
    starts_on = timezone.localdate() + timedelta(days=3)
    return CoursePageFactory(
        parent=index,
        starts_on=starts_on,
        enrolment_opens_at=timezone.now() - timedelta(days=10),
        enrolment_closes_at=timezone.now() + timedelta(days=2),
        sessions=1,
    )


def _window():
    now = timezone.now()
    return {"start": now, "end": now + timedelta(weeks=2)}


def _staff(shift, worker):
    services.shift_assign(
        shift_id=shift.pk, worker=worker, actor=worker, confirm_warnings=True
    )


def test_session_without_any_cover_is_at_risk_for_both_duties(course, roles):
    (item,) = coverage(**_window()).at_risk
    assert item.space.pk == course.pk
    assert set(item.missing) == {Duty.SPACE_COVER, Duty.SAFEGUARDING}
    assert timezone.localtime(item.start).hour == 18


def test_staffed_facilitator_and_safeguarding_shifts_make_it_safe(course, roles):
    day = course.starts_on
    lead = SafeguardingLeadFactory()
    WorkerQualification.objects.create(
        worker=lead, kind="safeguarding_training", obtained_on=date(2025, 1, 1)
    )
    cover = Shift.objects.create(
        duty=Duty.SPACE_COVER, space=course, start=at(day, 17, 30), end=at(day, 19, 30)
    )
    on_call = Shift.objects.create(
        duty=Duty.SAFEGUARDING,
        role_needed=RoleNeeded.SAFEGUARDING_LEAD,
        start=at(day, 9),
        end=at(day, 21),
    )
    (item,) = coverage(**_window()).at_risk  # shifts exist but nobody is on them
    assert set(item.missing) == {Duty.SPACE_COVER, Duty.SAFEGUARDING}
    _staff(cover, PeerWorkerFactory())
    (item,) = coverage(**_window()).at_risk
    assert item.missing == (Duty.SAFEGUARDING,)
    _staff(on_call, lead)
    assert coverage(**_window()).at_risk == []


def test_cover_that_ends_before_the_session_ends_does_not_count(course, roles):
    day = course.starts_on
    short = Shift.objects.create(
        duty=Duty.SPACE_COVER, space=course, start=at(day, 17), end=at(day, 18, 30)
    )
    _staff(short, PeerWorkerFactory())
    (item,) = coverage(**_window()).at_risk
    assert Duty.SPACE_COVER in item.missing


def test_coordinator_offers_the_gap_as_open_shifts(client, course, roles):
    coordinator = RotaCoordinatorFactory()
    worker = PeerWorkerFactory()
    client.force_login(coordinator)
    page = client.get(reverse("rotas_coverage")).content.decode()
    assert 'id="at-risk"' in page and course.title in page
    (item,) = coverage(**_window()).at_risk
    key = f"{course.pk}:{item.start.isoformat()}"
    client.post(reverse("rotas_coverage"), {"session": key})
    client.post(reverse("rotas_coverage"), {"session": key})  # twice: no duplicates
    offered = Shift.objects.filter(for_session=True)
    assert sorted(offered.values_list("duty", flat=True)) == [
        Duty.SAFEGUARDING,
        Duty.SPACE_COVER,
    ]
    assert [s.duty for s in open_shifts_for(worker=worker)] == [Duty.SPACE_COVER]


def test_daily_gap_notice_mentions_sessions_at_risk(home_page, roles):
    index = home_page.add_child(
        instance=CourseIndexPage(title="Courses", slug="courses")
    )
    CoursePageFactory(
        parent=index,
        title="Soon course",
        starts_on=timezone.localdate() + timedelta(days=1),
        enrolment_opens_at=timezone.now() - timedelta(days=10),
        enrolment_closes_at=timezone.now(),
        sessions=1,
    )
    RotaCoordinatorFactory()
    assert tasks.rota_gaps_notify() == 1
    assert "At risk: Soon course" in mail.outbox[0].body


def test_offering_a_sessions_gaps_is_one_service(course, roles):
    coordinator = RotaCoordinatorFactory()
    (item,) = coverage(**_window()).at_risk
    made = services.session_gaps_offer(
        space_id=course.pk, start=item.start, actor=coordinator
    )
    assert sorted(s.duty for s in made) == [Duty.SAFEGUARDING, Duty.SPACE_COVER]
    again = services.session_gaps_offer(
        space_id=course.pk, start=item.start, actor=coordinator
    )
    assert {s.pk for s in again} == {s.pk for s in made}


def test_offering_a_session_not_at_risk_is_refused_and_makes_nothing(course, roles):
    (item,) = coverage(**_window()).at_risk
    with pytest.raises(services.RotaError, match="no longer at risk"):
        services.session_gaps_offer(
            space_id=course.pk, start=item.start + timedelta(minutes=1), actor=None
        )
    assert not Shift.objects.exists()


def test_offering_gaps_is_all_or_none(course, roles, monkeypatch):
    from peer_support.rotas.services import staffing

    real = staffing.session_gap_offer
    calls = []

    def second_fails(**kwargs):
        calls.append(kwargs["duty"])
        if len(calls) == 2:
            raise services.RotaError("Broken on purpose.")
        return real(**kwargs)

    monkeypatch.setattr(staffing, "session_gap_offer", second_fails)
    (item,) = coverage(**_window()).at_risk
    with pytest.raises(services.RotaError):
        services.session_gaps_offer(space_id=course.pk, start=item.start, actor=None)
    assert len(calls) == 2
    assert not Shift.objects.exists()


def test_coverage_view_refuses_a_garbled_session_with_a_message(client, course, roles):
    client.force_login(RotaCoordinatorFactory())
    response = client.post(reverse("rotas_coverage"), {"session": "abc"})
    assert response.status_code == 400
    assert "That session is not on the rota" in response.content.decode()
    assert not Shift.objects.exists()


def test_coverage_page_offers_each_session_at_risk_by_its_own_button(
    client, home_page, roles
):
    index = home_page.add_child(
        instance=CourseIndexPage(title="Courses", slug="courses")
    )
    course = CoursePageFactory(
        parent=index,
        starts_on=timezone.localdate() + timedelta(days=1),
        enrolment_opens_at=timezone.now() - timedelta(days=10),
        enrolment_closes_at=timezone.now(),
        sessions=2,
    )
    client.force_login(RotaCoordinatorFactory())

    # A week apart: each in its own week of the report.
    pages = [
        client.get(reverse("rotas_coverage"), {"week": week}).content.decode()
        for week in ("0", "1")
    ]

    first, second = coverage(**_window()).at_risk
    for item, page in zip((first, second), pages, strict=True):
        assert f'value="{course.pk}:{item.start.isoformat()}"' in page
        assert page.count("facilitator, safeguarding lead") == 1
    client.post(reverse("rotas_coverage"), {"session": f"{course.pk}:{second.start}"})
    offered = Shift.objects.filter(for_session=True)
    assert {shift.start for shift in offered} == {second.start}
