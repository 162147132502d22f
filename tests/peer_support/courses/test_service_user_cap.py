"""A course's cap on service users holds at joining, approval and offers, beside its
capacity and the professional caps, and the page shows the same numbers."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from peer_support.spaces import services
from peer_support.spaces.models import JoinPolicy, Membership, MembershipStatus
from tests.factories import (
    CoursePageFactory,
    ProfessionalFactory,
    SpaceFacilitatorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def open_course(index, **fields):
    now = timezone.now()
    fields.setdefault("join_policy", JoinPolicy.OPEN)
    fields.setdefault("starts_on", timezone.localdate(now) + timedelta(days=2))
    return CoursePageFactory(
        parent=index,
        enrolment_opens_at=now - timedelta(days=1),
        enrolment_closes_at=now + timedelta(days=1),
        **fields,
    )


def join(course, member, **kwargs):
    return services.membership_join(
        space_id=course.pk, member=member, consent=True, **kwargs
    )


def test_service_users_beyond_the_cap_are_refused_and_may_wait(course_index):
    course = open_course(course_index, max_service_users=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()

    join(course, first)
    with pytest.raises(services.SpaceFull, match="as many service users"):
        join(course, second)
    waiting = join(course, third, waitlist=True)

    assert waiting.status == MembershipStatus.WAITLISTED
    assert not Membership.objects.filter(member=second).exists()
    assert (
        Membership.objects.filter(space=course, status=MembershipStatus.ACTIVE).count()
        == 1
    )


def test_professionals_still_join_when_service_users_are_full(course_index):
    course = open_course(course_index, max_service_users=1, max_professional_share=None)
    join(course, UserFactory())

    membership = join(course, ProfessionalFactory(), as_professional=True)

    assert membership.status == MembershipStatus.ACTIVE


def test_approval_beyond_the_cap_is_refused_and_changes_nothing(course_index):
    course = open_course(
        course_index, join_policy=JoinPolicy.REQUEST, max_service_users=1
    )
    facilitator = UserFactory()
    SpaceFacilitatorFactory(page=course, worker=facilitator)
    requests = [
        services.membership_request(
            space_id=course.pk, member=UserFactory(), answers={}, consent=True
        )
        for _ in range(2)
    ]

    services.membership_approve(membership_id=requests[0].pk, actor=facilitator)
    with pytest.raises(services.SpaceFull):
        services.membership_approve(membership_id=requests[1].pk, actor=facilitator)

    requests[1].refresh_from_db()
    assert requests[1].status == MembershipStatus.REQUESTED


def test_a_place_is_offered_only_when_a_service_user_leaves(course_index):
    course = open_course(course_index, max_service_users=1)
    holder, waiting = UserFactory(), UserFactory()
    held = join(course, holder)
    queued = join(course, waiting, waitlist=True)

    # A professional joining frees no service-user place: nobody is offered one.
    join(course, ProfessionalFactory(), as_professional=True)
    queued.refresh_from_db()
    assert queued.offer_expires_at is None

    services.membership_leave(membership_id=held.pk, member=holder)

    queued.refresh_from_db()
    assert queued.offer_expires_at is not None
    services.membership_offer_accept(
        membership_id=queued.pk, member=waiting, consent=True
    )
    queued.refresh_from_db()
    assert queued.status == MembershipStatus.ACTIVE


def test_course_page_place_counts_agree_with_the_cap(client, course_index):
    course = open_course(
        course_index,
        capacity=10,
        max_service_users=2,
        max_professionals=3,
        max_professional_share=None,
    )
    join(course, UserFactory())
    join(course, UserFactory())

    page = client.get(course.url).content.decode()

    # Service users are full; three professionals may still join, and no more than
    # that is promised in all.
    assert 'data-places="service-users">0<' in page
    assert 'data-places="professionals">3<' in page
    assert "3 places left." in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_service_users_race_for_the_last_places_on_a_course(course_index):
    course = open_course(course_index, capacity=30, max_service_users=5)
    racers = [UserFactory() for _ in range(20)]
    barrier = threading.Barrier(len(racers))
    errors = []

    def enrol(member):
        try:
            barrier.wait()
            join(course, member, waitlist=True)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol, args=(m,)) for m in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    racing = Membership.objects.filter(space=course)
    assert racing.filter(status=MembershipStatus.ACTIVE).count() == 5
    assert racing.filter(status=MembershipStatus.WAITLISTED).count() == 15
