from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from peer_support.audit import AppendOnlyError
from peer_support.rotas import services
from peer_support.rotas.models import (
    AssignmentStatus,
    Duty,
    QualificationKind,
    RoleNeeded,
    RuleLevel,
    Shift,
    ShiftAssignment,
    ShiftEvent,
    ShiftPattern,
    SwapKind,
    SwapStatus,
    WorkerQualification,
)
from peer_support.rotas.services import NeedsConfirmation, RotaError
from tests.factories import (
    PeerWorkerFactory,
    RotaCoordinatorFactory,
    SafeguardingLeadFactory,
    ShiftFactory,
    SpacePageFactory,
    UserFactory,
)

from .helpers import at, future_monday, local, rules_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(roles):
    return PeerWorkerFactory()


@pytest.fixture
def coordinator(roles):
    return RotaCoordinatorFactory()


# Claiming ---------------------------------------------------------------------------


def test_worker_claims_open_shift_and_history_records_it(worker):
    shift = ShiftFactory()
    assignment = services.shift_claim(shift_id=shift.pk, worker=worker)
    assert assignment.status == AssignmentStatus.ACTIVE
    event = ShiftEvent.objects.get(shift=shift, action=ShiftEvent.Action.CLAIMED)
    assert event.actor == worker and event.worker == worker


def test_claim_refused_when_full_with_clear_message(worker, roles):
    shift = ShiftFactory(max_workers=1)
    services.shift_claim(shift_id=shift.pk, worker=PeerWorkerFactory())
    with pytest.raises(RotaError, match="someone else took the last place"):
        services.shift_claim(shift_id=shift.pk, worker=worker)
    assert shift.assignments.count() == 1


def test_claim_refused_twice_for_same_worker(worker):
    shift = ShiftFactory(max_workers=2)
    services.shift_claim(shift_id=shift.pk, worker=worker)
    with pytest.raises(RotaError, match="already have"):
        services.shift_claim(shift_id=shift.pk, worker=worker)


def test_member_without_peer_worker_role_cannot_claim(roles):
    shift = ShiftFactory()
    with pytest.raises(RotaError, match="not eligible"):
        services.shift_claim(shift_id=shift.pk, worker=UserFactory())
    assert not shift.assignments.exists()


def test_claim_refused_for_started_or_cancelled_shift(worker, coordinator):
    started = ShiftFactory(start=timezone.now() - timedelta(hours=1))
    with pytest.raises(RotaError, match="already started"):
        services.shift_claim(shift_id=started.pk, worker=worker)
    later = ShiftFactory()
    services.shift_cancel(shift_id=later.pk, actor=coordinator, reason="Group paused")
    with pytest.raises(RotaError, match="cancelled"):
        services.shift_claim(shift_id=later.pk, worker=worker)


def test_claim_refused_when_overlapping_own_shift(worker):
    first = ShiftFactory(max_workers=2)
    services.shift_claim(shift_id=first.pk, worker=worker)
    second = ShiftFactory(start=first.start + timedelta(hours=1))
    with pytest.raises(RotaError, match="overlaps"):
        services.shift_claim(shift_id=second.pk, worker=worker)


# Eligibility ------------------------------------------------------------------------


def test_safeguarding_duty_needs_current_safeguarding_training(roles):
    lead = SafeguardingLeadFactory()
    shift = ShiftFactory(
        duty=Duty.SAFEGUARDING, role_needed=RoleNeeded.SAFEGUARDING_LEAD
    )
    WorkerQualification.objects.create(
        worker=lead,
        kind=QualificationKind.SAFEGUARDING_TRAINING,
        obtained_on=date(2024, 1, 1),
        expires_on=timezone.localdate() - timedelta(days=1),
    )
    with pytest.raises(RotaError, match="not eligible"):
        services.shift_claim(shift_id=shift.pk, worker=lead)
    WorkerQualification.objects.create(
        worker=lead,
        kind=QualificationKind.SAFEGUARDING_TRAINING,
        obtained_on=date(2025, 1, 1),
        expires_on=timezone.localdate() + timedelta(days=365),
    )
    assert services.shift_claim(shift_id=shift.pk, worker=lead)


def test_training_lapsing_before_the_shift_makes_worker_ineligible(roles):
    lead = SafeguardingLeadFactory()
    shift = ShiftFactory(
        start=timezone.now() + timedelta(days=10),
        duty=Duty.SAFEGUARDING,
        role_needed=RoleNeeded.SAFEGUARDING_LEAD,
    )
    WorkerQualification.objects.create(
        worker=lead,
        kind=QualificationKind.SAFEGUARDING_TRAINING,
        obtained_on=date(2024, 1, 1),
        expires_on=timezone.localdate() + timedelta(days=5),
    )
    assert not services.worker_is_eligible(worker=lead, shift=shift)


def test_peer_worker_without_lead_role_cannot_take_safeguarding_shift(worker):
    shift = ShiftFactory(
        duty=Duty.SAFEGUARDING, role_needed=RoleNeeded.SAFEGUARDING_LEAD
    )
    WorkerQualification.objects.create(
        worker=worker,
        kind=QualificationKind.SAFEGUARDING_TRAINING,
        obtained_on=date(2025, 1, 1),
    )
    assert not services.worker_is_eligible(worker=worker, shift=shift)


# Coordinator assignment rules ------------------------------------------------------


def test_assign_refuses_on_leave_and_allows_other_days(worker, coordinator):
    shift = ShiftFactory(start=timezone.now() + timedelta(days=3))
    day = timezone.localtime(shift.start).date()
    services.availability_exception_add(worker=worker, start_date=day, end_date=day)
    with pytest.raises(RotaError, match="on leave") as caught:
        services.shift_assign(shift_id=shift.pk, worker=worker, actor=coordinator)
    assert not isinstance(caught.value, NeedsConfirmation)
    other = ShiftFactory(start=timezone.now() + timedelta(days=5))
    assert services.shift_assign(shift_id=other.pk, worker=worker, actor=coordinator)


def test_assign_outside_availability_can_be_a_warning(worker, coordinator):
    rules_set(unavailable_rule=RuleLevel.WARN)
    monday = future_monday()
    services.availability_set(worker=worker, windows=[(0, time(9), time(17))])
    shift = ShiftFactory(start=at(monday, 18), hours=2)
    with pytest.raises(NeedsConfirmation, match="outside"):
        services.shift_assign(shift_id=shift.pk, worker=worker, actor=coordinator)
    assert not shift.assignments.exists()
    result = services.shift_assign(
        shift_id=shift.pk, worker=worker, actor=coordinator, confirm_warnings=True
    )
    assert [w.code for w in result.warnings] == ["outside_availability"]
    event = ShiftEvent.objects.get(shift=shift, action=ShiftEvent.Action.ASSIGNED)
    assert "confirmed warning" in event.detail and event.actor == coordinator


def test_assign_within_availability_passes(worker, coordinator):
    monday = future_monday()
    services.availability_set(worker=worker, windows=[(0, time(9), time(17))])
    shift = ShiftFactory(start=at(monday, 10), hours=3)
    result = services.shift_assign(shift_id=shift.pk, worker=worker, actor=coordinator)
    assert result.warnings == []


def test_overnight_shift_needs_both_evening_and_morning_windows(worker):
    monday = future_monday()
    shift = ShiftFactory(start=at(monday, 22), hours=9)  # 22:00-07:00
    services.availability_set(worker=worker, windows=[(0, time(20), time(0))])
    assert not services.availability_covers(
        worker=worker, start=shift.start, end=shift.end
    )
    services.availability_set(
        worker=worker, windows=[(0, time(20), time(0)), (1, time(0), time(8))]
    )
    assert services.availability_covers(worker=worker, start=shift.start, end=shift.end)


def test_overlap_refused_by_default_and_can_be_turned_off(worker, coordinator):
    first = ShiftFactory()
    services.shift_assign(shift_id=first.pk, worker=worker, actor=coordinator)
    second = ShiftFactory(start=first.start + timedelta(hours=2))
    with pytest.raises(RotaError, match="overlaps"):
        services.shift_assign(shift_id=second.pk, worker=worker, actor=coordinator)
    rules_set(overlap_rule=RuleLevel.OFF, rest_rule=RuleLevel.OFF)
    assert services.shift_assign(shift_id=second.pk, worker=worker, actor=coordinator)


def test_short_rest_warns_and_enough_rest_passes(worker, coordinator):
    rules_set(min_rest_hours=11)
    first = ShiftFactory(hours=4)
    services.shift_assign(shift_id=first.pk, worker=worker, actor=coordinator)
    soon = ShiftFactory(start=first.end + timedelta(hours=6))
    with pytest.raises(NeedsConfirmation, match="rest"):
        services.shift_assign(shift_id=soon.pk, worker=worker, actor=coordinator)
    later = ShiftFactory(start=first.end + timedelta(hours=12))
    assert (
        services.shift_assign(
            shift_id=later.pk, worker=worker, actor=coordinator
        ).warnings
        == []
    )


def test_weekly_hours_above_maximum_warn_or_refuse(worker, coordinator):
    rules_set(max_weekly_hours=10, rest_rule=RuleLevel.OFF)
    monday = future_monday()
    first = ShiftFactory(start=at(monday, 8), hours=8)
    services.shift_assign(shift_id=first.pk, worker=worker, actor=coordinator)
    second = ShiftFactory(start=at(monday + timedelta(days=1), 8), hours=3)
    with pytest.raises(NeedsConfirmation, match="above the 10 hours"):
        services.shift_assign(shift_id=second.pk, worker=worker, actor=coordinator)
    rules_set(weekly_hours_rule=RuleLevel.REFUSE)
    with pytest.raises(RotaError) as caught:
        services.shift_assign(
            shift_id=second.pk, worker=worker, actor=coordinator, confirm_warnings=True
        )
    assert not isinstance(caught.value, NeedsConfirmation)
    next_week = ShiftFactory(start=at(monday + timedelta(days=7), 8), hours=3)
    assert services.shift_assign(
        shift_id=next_week.pk, worker=worker, actor=coordinator
    )


def test_assign_refuses_when_full(worker, coordinator, roles):
    shift = ShiftFactory()
    services.shift_assign(
        shift_id=shift.pk, worker=PeerWorkerFactory(), actor=coordinator
    )
    with pytest.raises(RotaError, match="full"):
        services.shift_assign(
            shift_id=shift.pk, worker=worker, actor=coordinator, confirm_warnings=True
        )


def test_unassign_needs_a_reason(worker, coordinator):
    shift = ShiftFactory()
    result = services.shift_assign(shift_id=shift.pk, worker=worker, actor=coordinator)
    with pytest.raises(RotaError, match="why"):
        services.shift_unassign(
            assignment_id=result.assignment.pk, actor=coordinator, reason=" "
        )
    services.shift_unassign(
        assignment_id=result.assignment.pk, actor=coordinator, reason="Off sick"
    )
    event = ShiftEvent.objects.get(action=ShiftEvent.Action.UNASSIGNED)
    assert event.reason == "Off sick" and event.worker == worker


# Locking ----------------------------------------------------------------------------


def test_past_shifts_lock_after_configured_days(worker, coordinator):
    rules_set(lock_after_days=3)
    old = ShiftFactory(start=timezone.now() - timedelta(days=5))
    recent = ShiftFactory(start=timezone.now() - timedelta(days=1))
    assert services.shifts_lock_past() == 1
    old.refresh_from_db()
    assert old.locked_at is not None
    with pytest.raises(RotaError, match="locked"):
        services.shift_assign(
            shift_id=old.pk, worker=worker, actor=coordinator, confirm_warnings=True
        )
    assert services.shift_assign(
        shift_id=recent.pk, worker=worker, actor=coordinator, confirm_warnings=True
    )


def test_shift_history_is_append_only(worker):
    shift = ShiftFactory()
    services.shift_claim(shift_id=shift.pk, worker=worker)
    event = ShiftEvent.objects.get()
    event.reason = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        ShiftEvent.objects.filter(pk=event.pk).update(reason="changed")
    with pytest.raises(AppendOnlyError):
        ShiftEvent.objects.all().delete()


# Swaps, cover, drop -------------------------------------------------------------------


def test_cover_offer_accepted_then_approved_moves_the_shift(worker, coordinator, roles):
    other = PeerWorkerFactory()
    shift = ShiftFactory()
    services.shift_claim(shift_id=shift.pk, worker=worker)
    swap = services.swap_offer(shift_id=shift.pk, worker=worker, kind=SwapKind.COVER)
    swap = services.swap_accept(swap_id=swap.pk, worker=other)
    assert swap.status == SwapStatus.AWAITING_APPROVAL
    assert shift.assignments.get(status="active").worker == worker
    services.swap_approve(swap_id=swap.pk, actor=coordinator)
    assert shift.assignments.get(status="active").worker == other
    actions = list(shift.events.values_list("action", flat=True))
    assert {"offered", "accepted", "approved", "unassigned", "assigned"} <= set(actions)


def test_cover_without_approval_rule_applies_at_once(worker, roles):
    rules_set(swaps_need_approval=False)
    other = PeerWorkerFactory()
    shift = ShiftFactory()
    services.shift_claim(shift_id=shift.pk, worker=worker)
    swap = services.swap_offer(shift_id=shift.pk, worker=worker, kind=SwapKind.COVER)
    services.swap_accept(swap_id=swap.pk, worker=other)
    assert shift.assignments.get(status="active").worker == other


def test_swap_exchanges_two_shifts(worker, coordinator, roles):
    other = PeerWorkerFactory()
    mine = ShiftFactory(start=timezone.now() + timedelta(days=2))
    theirs = ShiftFactory(start=timezone.now() + timedelta(days=4))
    services.shift_claim(shift_id=mine.pk, worker=worker)
    services.shift_claim(shift_id=theirs.pk, worker=other)
    swap = services.swap_offer(shift_id=mine.pk, worker=worker, kind=SwapKind.SWAP)
    with pytest.raises(RotaError, match="Choose one of your shifts"):
        services.swap_accept(swap_id=swap.pk, worker=other)
    services.swap_accept(swap_id=swap.pk, worker=other, their_shift_id=theirs.pk)
    services.swap_approve(swap_id=swap.pk, actor=coordinator)
    assert mine.assignments.get(status="active").worker == other
    assert theirs.assignments.get(status="active").worker == worker


def test_offer_refused_for_shift_not_mine_and_accept_own_refused(worker, roles):
    shift = ShiftFactory()
    with pytest.raises(RotaError, match="only offer a shift you are on"):
        services.swap_offer(shift_id=shift.pk, worker=worker, kind=SwapKind.COVER)
    services.shift_claim(shift_id=shift.pk, worker=worker)
    swap = services.swap_offer(shift_id=shift.pk, worker=worker, kind=SwapKind.COVER)
    with pytest.raises(RotaError, match="own offer"):
        services.swap_accept(swap_id=swap.pk, worker=worker)
    with pytest.raises(RotaError, match="already offered"):
        services.swap_offer(shift_id=shift.pk, worker=worker, kind=SwapKind.COVER)


def test_ineligible_worker_cannot_accept_cover(worker, roles):
    shift = ShiftFactory()
    services.shift_claim(shift_id=shift.pk, worker=worker)
    swap = services.swap_offer(shift_id=shift.pk, worker=worker, kind=SwapKind.COVER)
    with pytest.raises(RotaError, match="not eligible"):
        services.swap_accept(swap_id=swap.pk, worker=UserFactory())
    swap.refresh_from_db()
    assert swap.status == SwapStatus.OPEN


def test_drop_needs_approval_and_decline_keeps_worker(worker, coordinator):
    shift = ShiftFactory()
    services.shift_claim(shift_id=shift.pk, worker=worker)
    swap = services.swap_offer(shift_id=shift.pk, worker=worker, kind=SwapKind.DROP)
    assert swap.status == SwapStatus.AWAITING_APPROVAL
    with pytest.raises(RotaError, match="why"):
        services.swap_decline(swap_id=swap.pk, actor=coordinator, reason="")
    services.swap_decline(swap_id=swap.pk, actor=coordinator, reason="No one else")
    assert shift.assignments.get(status="active").worker == worker
    swap2 = services.swap_offer(shift_id=shift.pk, worker=worker, kind=SwapKind.DROP)
    services.swap_approve(swap_id=swap2.pk, actor=coordinator)
    assert not shift.assignments.filter(status="active").exists()


def test_withdraw_only_by_offering_worker(worker, roles):
    shift = ShiftFactory()
    services.shift_claim(shift_id=shift.pk, worker=worker)
    swap = services.swap_offer(shift_id=shift.pk, worker=worker, kind=SwapKind.COVER)
    with pytest.raises(RotaError, match="Only the worker"):
        services.swap_withdraw(swap_id=swap.pk, worker=PeerWorkerFactory())
    services.swap_withdraw(swap_id=swap.pk, worker=worker)
    swap.refresh_from_db()
    assert swap.status == SwapStatus.WITHDRAWN


# Patterns and clock changes ----------------------------------------------------------


def _pattern(**kwargs):
    defaults = {
        "name": "Night moderation",
        "duty": Duty.MODERATION,
        "weekday": 5,
        "start_time": time(22),
        "duration_minutes": 9 * 60,
    }
    return ShiftPattern.objects.create(**{**defaults, **kwargs})


def test_pattern_generation_is_idempotent(coordinator):
    pattern = _pattern()
    made = services.pattern_generate(pattern_id=pattern.pk, weeks=4, actor=coordinator)
    assert len(made) == 4
    again = services.pattern_generate(pattern_id=pattern.pk, weeks=4, actor=coordinator)
    assert again == []
    assert Shift.objects.filter(pattern=pattern).count() == 4


def test_pattern_generation_refuses_bad_week_counts(coordinator):
    pattern = _pattern()
    with pytest.raises(RotaError, match="between 1 and 52"):
        services.pattern_generate(pattern_id=pattern.pk, weeks=0, actor=coordinator)
    assert not Shift.objects.exists()


def test_overnight_pattern_across_spring_clock_change(coordinator):
    # Saturday 28 March 2026 22:00 GMT, 9 real hours: Sunday 29 March 08:00 BST.
    pattern = _pattern()
    (shift,) = services.pattern_generate(
        pattern_id=pattern.pk, weeks=1, actor=coordinator, start_date=date(2026, 3, 28)
    )
    assert shift.start == local(2026, 3, 28, 22)
    assert timezone.localtime(shift.end).hour == 8
    assert shift.hours == 9
    assert shift.start.utcoffset() == timedelta(0)


def test_overnight_pattern_across_autumn_clock_change(coordinator):
    # Saturday 24 October 2026 22:00 BST, 9 real hours: Sunday 25 October 06:00 GMT.
    pattern = _pattern()
    (shift,) = services.pattern_generate(
        pattern_id=pattern.pk, weeks=1, actor=coordinator, start_date=date(2026, 10, 24)
    )
    assert timezone.localtime(shift.start).hour == 22
    assert timezone.localtime(shift.end).hour == 6
    assert shift.hours == 9


def test_weekly_pattern_keeps_local_time_over_the_clock_change(coordinator):
    pattern = _pattern(weekday=6, start_time=time(9), duration_minutes=120)
    made = services.pattern_generate(
        pattern_id=pattern.pk, weeks=2, actor=coordinator, start_date=date(2026, 3, 22)
    )
    assert [timezone.localtime(s.start).hour for s in made] == [9, 9]
    assert [s.start.hour for s in made] == [9, 8]  # UTC moves, local time does not


def test_availability_on_clock_change_day(worker):
    services.availability_set(worker=worker, windows=[(6, time(0), time(12))])
    start = local(2026, 10, 25, 0)
    assert services.availability_covers(
        worker=worker, start=start, end=local(2026, 10, 25, 12)
    )
    assert not services.availability_covers(
        worker=worker, start=start, end=local(2026, 10, 25, 13)
    )


# Reminders, tokens ----------------------------------------------------------------


def test_reminder_is_sent_once(worker):
    shift = ShiftFactory(start=timezone.now() + timedelta(hours=5))
    assignment = services.shift_claim(shift_id=shift.pk, worker=worker)
    assert services.due_reminders() == [assignment.pk]
    assert services.assignment_remind(assignment_id=assignment.pk) is True
    assert services.assignment_remind(assignment_id=assignment.pk) is False
    assert len(mail.outbox) == 1
    assert services.due_reminders() == []


def test_no_reminder_far_ahead(worker):
    shift = ShiftFactory(start=timezone.now() + timedelta(days=5))
    services.shift_claim(shift_id=shift.pk, worker=worker)
    assert services.due_reminders() == []


def test_calendar_token_renew_changes_secret_and_revoke_marks_it(worker):
    first = services.calendar_token_renew(worker=worker).token
    second = services.calendar_token_renew(worker=worker).token
    assert first != second
    services.calendar_token_revoke(worker=worker)
    worker.rota_calendar.refresh_from_db()
    assert worker.rota_calendar.revoked_at is not None


def test_session_gap_offer_is_idempotent(home_page, coordinator):
    space = SpacePageFactory(parent=home_page)
    start = timezone.now() + timedelta(days=1)
    first = services.session_gap_offer(
        space=space,
        start=start,
        end=start + timedelta(hours=1),
        duty=Duty.SAFEGUARDING,
        actor=coordinator,
    )
    again = services.session_gap_offer(
        space=space,
        start=start,
        end=start + timedelta(hours=1),
        duty=Duty.SAFEGUARDING,
        actor=coordinator,
    )
    assert first.pk == again.pk and first.role_needed == RoleNeeded.SAFEGUARDING_LEAD


def test_space_cover_shift_needs_a_space(coordinator):
    start = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError):
        services.shift_create(
            actor=coordinator,
            duty=Duty.SPACE_COVER,
            start=start,
            end=start + timedelta(hours=1),
        )
    with pytest.raises(ValidationError):
        services.shift_create(
            actor=coordinator,
            duty=Duty.MODERATION,
            start=start,
            end=start,
        )
    assert not Shift.objects.exists()


def test_assignment_unique_active_constraint(worker):
    shift = ShiftFactory(max_workers=3)
    ShiftAssignment.objects.create(shift=shift, worker=worker)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ShiftAssignment.objects.create(shift=shift, worker=worker)


def test_fairness_counts_hours_nights_and_weekends(worker, roles):
    from peer_support.rotas.selectors import fairness

    idle = PeerWorkerFactory()
    end = local(2026, 11, 2, 12)  # Monday
    night = ShiftFactory(start=local(2026, 10, 31, 22), hours=9)  # Sat 22:00-07:00
    day = ShiftFactory(start=local(2026, 10, 28, 9), hours=4)  # Wednesday
    for shift in (night, day):
        ShiftAssignment.objects.create(shift=shift, worker=worker)
    rows = {row.worker: row for row in fairness(end=end)}
    assert (rows[worker].hours, rows[worker].nights, rows[worker].weekends) == (
        13,
        1,
        1,
    )
    assert rows[idle].shifts == 0


def test_on_duty_answers_for_a_duty_at_a_time_across_midnight(worker, roles):
    from peer_support.rotas.selectors import on_duty

    night = ShiftFactory(start=local(2026, 10, 24, 22), hours=10)  # to 07:00 GMT
    ShiftAssignment.objects.create(shift=night, worker=worker)
    assert list(on_duty(duty=Duty.MODERATION, at=local(2026, 10, 25, 6, 30))) == [
        worker
    ]
    assert not on_duty(duty=Duty.SAFEGUARDING, at=local(2026, 10, 25, 6, 30)).exists()
    assert not on_duty(duty=Duty.MODERATION, at=local(2026, 10, 25, 7, 30)).exists()
