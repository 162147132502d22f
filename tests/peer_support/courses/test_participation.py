from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from peer_support.courses.models import AttendanceHow, LiveSessionAttendance
from peer_support.courses.selectors import certificate_eligibility
from peer_support.courses.services import attendance_record
from peer_support.errors import ServiceError
from peer_support.spaces.models import MembershipStatus, SpaceRole
from tests.factories import (
    CoursePageFactory,
    MembershipFactory,
    PeerWorkerFactory,
    ProfessionalFactory,
    SpaceFacilitatorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The course runs 25 March to 1 April 2026; sessions at 6 pm London on both Wednesdays.
DURING_FIRST = datetime(2026, 3, 25, 18, 30, tzinfo=UTC)
AFTER_FIRST = datetime(2026, 3, 26, 10, tzinfo=UTC)
AFTER_COURSE = datetime(2026, 4, 3, 9, tzinfo=UTC)


@pytest.fixture
def sessions(course):
    return list(course.live_sessions.order_by("starts_at"))


@pytest.fixture
def professional(course):
    member = ProfessionalFactory(first_name="Ada", last_name="Lovelace")
    MembershipFactory(space=course, member=member, role=SpaceRole.PROFESSIONAL)
    return member


def at(monkeypatch, moment):
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)


def test_member_records_themself_during_the_session(course, sessions):
    member = UserFactory()
    MembershipFactory(space=course, member=member)

    attendance = attendance_record(session=sessions[0], member=member, at=DURING_FIRST)

    assert attendance.how == AttendanceHow.SELF_JOINED
    assert attendance.marked_by is None


def test_recording_twice_keeps_one_record(course, sessions):
    member = UserFactory()
    MembershipFactory(space=course, member=member)

    attendance_record(session=sessions[0], member=member, at=DURING_FIRST)
    attendance_record(
        session=sessions[0], member=member, at=DURING_FIRST + timedelta(minutes=5)
    )

    assert LiveSessionAttendance.objects.filter(member=member).count() == 1


def test_member_cannot_record_themself_outside_the_session(course, sessions):
    member = UserFactory()
    MembershipFactory(space=course, member=member)

    with pytest.raises(ServiceError, match="while the live session is on"):
        attendance_record(session=sessions[0], member=member, at=AFTER_FIRST)

    assert not LiveSessionAttendance.objects.exists()


@pytest.mark.parametrize(
    "status", [MembershipStatus.REQUESTED, MembershipStatus.LEFT, None]
)
def test_only_active_members_can_be_recorded(course, sessions, status):
    member = UserFactory()
    if status:
        MembershipFactory(space=course, member=member, status=status)

    with pytest.raises(ServiceError, match="Only members enrolled"):
        attendance_record(session=sessions[0], member=member, at=DURING_FIRST)

    assert not LiveSessionAttendance.objects.exists()


def test_moderator_marks_attendance_after_the_session(course, sessions):
    member, moderator = UserFactory(), PeerWorkerFactory()
    MembershipFactory(space=course, member=member)
    SpaceFacilitatorFactory(page=course, worker=moderator)

    attendance = attendance_record(
        session=sessions[0], member=member, marked_by=moderator, at=AFTER_FIRST
    )

    assert attendance.how == AttendanceHow.MARKED
    assert attendance.marked_by == moderator
    assert attendance.recorded_at == AFTER_FIRST


def test_peer_worker_who_does_not_moderate_the_course_cannot_mark(course, sessions):
    member = UserFactory()
    MembershipFactory(space=course, member=member)

    with pytest.raises(ServiceError, match="moderators"):
        attendance_record(
            session=sessions[0],
            member=member,
            marked_by=PeerWorkerFactory(),
            at=AFTER_FIRST,
        )

    assert not LiveSessionAttendance.objects.exists()


def test_im_here_opens_the_chat_which_records_attendance_and_links_the_webcast(
    client, course, sessions, monkeypatch
):
    member = UserFactory()
    MembershipFactory(space=course, member=member)
    client.force_login(member)
    at(monkeypatch, DURING_FIRST)
    chat_url = reverse("chat:room", args=[sessions[0].pk])
    assert f'href="{chat_url}"' in client.get(course.url).content.decode()

    response = client.get(chat_url)

    assert response.status_code == 200
    assert "https://webcast.example.org/session-1" in response.content.decode()
    assert LiveSessionAttendance.objects.filter(
        member=member, session=sessions[0]
    ).exists()


def test_chat_opened_after_the_session_says_so_and_records_nothing(
    client, course, sessions, monkeypatch
):
    member = UserFactory()
    MembershipFactory(space=course, member=member)
    client.force_login(member)
    at(monkeypatch, AFTER_FIRST)

    response = client.get(reverse("chat:room", args=[sessions[0].pk]))

    assert "This session has ended" in response.content.decode()
    assert 'id="chat-form"' not in response.content.decode()
    assert not LiveSessionAttendance.objects.exists()


def test_opening_the_chat_records_nothing_for_strangers(
    client, course, sessions, monkeypatch
):
    at(monkeypatch, DURING_FIRST)
    client.force_login(UserFactory())

    response = client.get(reverse("chat:room", args=[sessions[0].pk]))

    assert response.status_code == 403
    assert not LiveSessionAttendance.objects.exists()
    assert not LiveSessionAttendance.objects.exists()


def attend_both(course, sessions, member):
    moderator = PeerWorkerFactory()
    SpaceFacilitatorFactory(page=course, worker=moderator)
    for session in sessions:
        attendance_record(
            session=session, member=member, marked_by=moderator, at=AFTER_COURSE
        )


def test_professional_who_attended_enough_gets_a_certificate(
    client, course, sessions, professional, monkeypatch
):
    attend_both(course, sessions, professional)
    at(monkeypatch, AFTER_COURSE)
    client.force_login(professional)

    response = client.get(f"{course.url}certificate/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Certificate of participation" in page
    assert "Ada Lovelace" in page
    assert "Using the Internet in mental health practice" in page
    assert "25 March 2026 to 1 April 2026" in page
    assert "css/certificate.css" in page


def test_certificate_uses_pseudonym_when_no_name_is_set(
    client, course, sessions, monkeypatch
):
    professional = ProfessionalFactory(pseudonym="Blue Kestrel")
    MembershipFactory(space=course, member=professional, role=SpaceRole.PROFESSIONAL)
    attend_both(course, sessions, professional)
    at(monkeypatch, AFTER_COURSE)
    client.force_login(professional)

    page = client.get(f"{course.url}certificate/").content.decode()

    assert '<p class="certificate-name h2">Blue Kestrel</p>' in page


def test_no_certificate_before_the_course_ends(
    client, course, sessions, professional, monkeypatch
):
    attend_both(course, sessions, professional)
    at(monkeypatch, datetime(2026, 4, 1, 19, tzinfo=UTC))
    client.force_login(professional)

    response = client.get(f"{course.url}certificate/")

    assert response.status_code == 403
    assert "once the course has ended" in response.content.decode()


def test_no_certificate_without_enough_live_sessions(
    client, course, sessions, professional, monkeypatch
):
    SpaceFacilitatorFactory(page=course, worker=(moderator := PeerWorkerFactory()))
    attendance_record(
        session=sessions[0], member=professional, marked_by=moderator, at=AFTER_COURSE
    )
    at(monkeypatch, AFTER_COURSE)
    client.force_login(professional)

    response = client.get(f"{course.url}certificate/")

    assert response.status_code == 403
    assert "needs 2 live sessions" in response.content.decode()
    assert "Ada Lovelace" not in response.content.decode()


def test_service_user_gets_no_certificate(client, course, sessions, monkeypatch):
    member = UserFactory()
    MembershipFactory(space=course, member=member)
    attend_both(course, sessions, member)
    at(monkeypatch, AFTER_COURSE)
    client.force_login(member)

    response = client.get(f"{course.url}certificate/")

    assert response.status_code == 403
    assert "for professionals who took part" in response.content.decode()


def test_another_member_cannot_see_a_professionals_certificate(
    client, course, sessions, professional, monkeypatch
):
    attend_both(course, sessions, professional)
    at(monkeypatch, AFTER_COURSE)
    client.force_login(ProfessionalFactory())

    response = client.get(f"{course.url}certificate/")

    assert response.status_code == 403
    assert "Ada Lovelace" not in response.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(
    client, course, sessions, professional, monkeypatch
):
    attend_both(course, sessions, professional)
    at(monkeypatch, AFTER_COURSE)

    response = client.get(f"{course.url}certificate/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_eligibility_counts_only_this_courses_sessions(
    course_index, course, sessions, professional
):

    other = CoursePageFactory(parent=course_index, title="Another run")
    MembershipFactory(space=other, member=professional, role=SpaceRole.PROFESSIONAL)
    attend_both(other, list(other.live_sessions.all()), professional)

    eligibility = certificate_eligibility(
        course=course, member=professional, at=AFTER_COURSE
    )

    assert not eligibility.eligible
    assert eligibility.sessions_attended == 0


def test_moderator_marks_members_on_the_attendance_sheet(
    client, course, sessions, monkeypatch
):
    moderator, present, absent = PeerWorkerFactory(), UserFactory(), UserFactory()
    SpaceFacilitatorFactory(page=course, worker=moderator)
    MembershipFactory(space=course, member=present)
    MembershipFactory(space=course, member=absent)
    at(monkeypatch, AFTER_FIRST)
    client.force_login(moderator)
    url = f"{course.url}sessions/{sessions[0].pk}/attendance/"
    assert url in client.get(course.url).content.decode()

    response = client.post(url, {"member": [present.pk]}, follow=True)

    assert "1 member marked as attended." in response.content.decode()
    attendance = LiveSessionAttendance.objects.get()
    assert (attendance.member, attendance.marked_by) == (present, moderator)
    assert attendance.how == AttendanceHow.MARKED


def test_attendance_sheet_is_only_for_the_courses_moderators(
    client, course, sessions, monkeypatch
):
    member = UserFactory()
    MembershipFactory(space=course, member=member)
    at(monkeypatch, AFTER_FIRST)
    url = f"{course.url}sessions/{sessions[0].pk}/attendance/"

    for outsider in (member, PeerWorkerFactory()):
        client.force_login(outsider)
        assert url not in client.get(course.url).content.decode()
        assert client.post(url, {"member": [member.pk]}).status_code == 403

    assert not LiveSessionAttendance.objects.exists()


def test_attendance_sheet_marks_all_or_none(client, course, sessions, monkeypatch):
    from peer_support.courses import services as course_services

    moderator = PeerWorkerFactory()
    SpaceFacilitatorFactory(page=course, worker=moderator)
    first, second = UserFactory(), UserFactory()
    MembershipFactory(space=course, member=first)
    MembershipFactory(space=course, member=second)
    at(monkeypatch, AFTER_FIRST)
    record = course_services.attendance_record
    calls = []

    def fail_on_second(**kwargs):
        calls.append(kwargs["member"])
        if len(calls) == 2:
            raise course_services.AttendanceError("The connection dropped.")
        return record(**kwargs)

    monkeypatch.setattr(course_services, "attendance_record", fail_on_second)
    client.force_login(moderator)
    url = f"{course.url}sessions/{sessions[0].pk}/attendance/"

    response = client.post(url, {"member": [first.pk, second.pk]}, follow=True)

    assert "The connection dropped." in response.content.decode()
    assert "marked as attended" not in response.content.decode()
    assert not LiveSessionAttendance.objects.exists()


def test_attendance_mark_refuses_a_member_not_on_the_course(course, sessions):
    from peer_support.courses.services import AttendanceError, attendance_mark

    moderator, member, stranger = PeerWorkerFactory(), UserFactory(), UserFactory()
    SpaceFacilitatorFactory(page=course, worker=moderator)
    MembershipFactory(space=course, member=member)

    with pytest.raises(AttendanceError, match="nobody was marked"):
        attendance_mark(
            session=sessions[0],
            member_ids=[member.pk, stranger.pk],
            marked_by=moderator,
            at=AFTER_FIRST,
        )

    assert not LiveSessionAttendance.objects.exists()


def test_attendance_mark_is_for_moderators_only(course, sessions):
    from peer_support.courses.services import attendance_mark
    from peer_support.errors import NotAllowed

    member = UserFactory()
    MembershipFactory(space=course, member=member)

    with pytest.raises(NotAllowed):
        attendance_mark(
            session=sessions[0],
            member_ids=[member.pk],
            marked_by=PeerWorkerFactory(),
            at=AFTER_FIRST,
        )

    assert not LiveSessionAttendance.objects.exists()


@pytest.mark.parametrize(
    "garbage", [{"member": ["abc"]}, {"member": ["-1"]}, {"member": ["99999999"]}]
)
def test_attendance_sheet_answers_garbage_with_400_and_marks_nobody(
    client, course, sessions, monkeypatch, garbage
):
    moderator, member = PeerWorkerFactory(), UserFactory()
    SpaceFacilitatorFactory(page=course, worker=moderator)
    MembershipFactory(space=course, member=member)
    at(monkeypatch, AFTER_FIRST)
    client.force_login(moderator)
    url = f"{course.url}sessions/{sessions[0].pk}/attendance/"

    response = client.post(url, {**garbage, "member": [member.pk, *garbage["member"]]})

    assert response.status_code == 400
    assert "nobody was marked" in response.content.decode()
    assert not LiveSessionAttendance.objects.exists()


def test_certificate_counts_posts_showing_in_the_course_discussion(
    client, course, sessions, professional, monkeypatch
):
    from peer_support.discussion import services as discussion

    course.certificate_min_posts = 1
    course.save(update_fields=["certificate_min_posts"])
    SpaceFacilitatorFactory(page=course, worker=(moderator := PeerWorkerFactory()))
    attend_both(course, sessions, professional)
    post = discussion.post_submit(
        author=professional, space_id=course.pk, title="Reflections", text="Thanks."
    )
    at(monkeypatch, AFTER_COURSE)
    client.force_login(professional)
    response = client.get(f"{course.url}certificate/")
    assert response.status_code == 403  # the post still waits for a moderator
    assert "1 posts in the course discussion" in response.content.decode()

    discussion.post_moderate(post_id=post.pk, moderator=moderator, decision="approve")
    assert client.get(f"{course.url}certificate/").status_code == 200
