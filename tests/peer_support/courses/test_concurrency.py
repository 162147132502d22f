import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from peer_support.courses.models import LiveSessionAttendance
from peer_support.courses.services import attendance_record
from tests.factories import MembershipFactory, UserFactory

DURING_FIRST = datetime(2026, 3, 25, 18, 30, tzinfo=UTC)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_im_here_clicks_at_once_record_one_attendance(course):
    member = UserFactory()
    MembershipFactory(space=course, member=member)
    session = course.live_sessions.order_by("starts_at").first()
    barrier = threading.Barrier(4)
    errors = []

    def click():
        try:
            barrier.wait()
            attendance_record(session=session, member=member, at=DURING_FIRST)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert LiveSessionAttendance.objects.filter(member=member).count() == 1
