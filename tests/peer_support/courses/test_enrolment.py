from datetime import timedelta

import pytest
from django.utils import timezone

from peer_support.spaces.models import JoinPolicy, Membership, MembershipStatus
from peer_support.spaces.services import MembershipError, membership_join
from tests.factories import CoursePageFactory, UserFactory

pytestmark = pytest.mark.django_db


def open_course(index, **window):
    return CoursePageFactory(parent=index, join_policy=JoinPolicy.OPEN, **window)


def test_member_enrols_while_enrolment_is_open(course_index):
    now = timezone.now()
    course = open_course(
        course_index,
        enrolment_opens_at=now - timedelta(days=1),
        enrolment_closes_at=now + timedelta(days=1),
    )

    membership = membership_join(space_id=course.pk, member=UserFactory(), consent=True)

    assert membership.status == MembershipStatus.ACTIVE


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [(1, 2, "hasn't opened yet"), (-3, -1, "has closed")],
)
def test_enrolment_outside_its_window_is_refused_and_changes_nothing(
    course_index, opens, closes, message
):
    now = timezone.now()
    course = open_course(
        course_index,
        enrolment_opens_at=now + timedelta(days=opens),
        enrolment_closes_at=now + timedelta(days=closes),
    )

    with pytest.raises(MembershipError, match=message):
        membership_join(
            space_id=course.pk, member=UserFactory(), consent=True, waitlist=True
        )

    assert not Membership.objects.filter(space=course).exists()
