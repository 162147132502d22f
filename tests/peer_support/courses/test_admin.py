import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from peer_support.courses.models import CoursePage
from tests.factories import EditorFactory, PeerWorkerFactory

pytestmark = pytest.mark.django_db


def course_form(host_pk):
    return nested_form_data(
        {
            "title": "Using the Internet in mental health practice",
            "slug": "internet-course",
            "summary": "A week of discussion.",
            "body": streamfield([]),
            "enrolment_opens_at": "2026-03-01 09:00",
            "enrolment_closes_at": "2026-03-24 17:00",
            "starts_on": "2026-03-25",
            "ends_on": "2026-04-01",
            "consent_text": "I agree.",
            "max_service_users": "20",
            "certificate_min_live_sessions": "2",
            "certificate_min_posts": "0",
            "join_policy": "request",
            "capacity": "32",
            "max_professionals": "12",
            "max_professional_share": "50",
            "moderation_mode": "pre",
            "topics": inline_formset(
                [
                    {"week": "1", "title": "Email", "prompt": "Email with clinicians?"},
                    {"week": "1", "title": "Videophone", "prompt": "Video calls?"},
                ]
            ),
            "live_sessions": inline_formset(
                [
                    {
                        "title": "Opening webcast",
                        "starts_at": "2026-03-25 18:00",
                        "duration": "01:00:00",
                        "webcast_url": "https://webcast.example.org/1",
                        "host": str(host_pk),
                    }
                ]
            ),
            "facilitators": inline_formset([{"worker": str(host_pk)}]),
        }
    )


def test_editor_creates_a_course_with_topics_and_a_live_session_in_the_admin(
    client, course_index, roles
):
    host = PeerWorkerFactory()
    client.force_login(EditorFactory())

    response = client.post(
        f"/admin/pages/add/courses/coursepage/{course_index.pk}/",
        course_form(host.pk),
    )

    assert response.status_code == 302, response.context["form"].errors
    course = CoursePage.objects.get(slug="internet-course")
    assert [t.title for t in course.topics.all()] == ["Email", "Videophone"]
    session = course.live_sessions.get()
    assert session.host == host
    assert session.starts_at.isoformat() == "2026-03-25T18:00:00+00:00"
    assert list(course.facilitators.values_list("worker", flat=True)) == [host.pk]


def test_course_that_ends_before_it_starts_is_refused_with_a_message(
    client, course_index, roles
):
    host = PeerWorkerFactory()
    client.force_login(EditorFactory())
    data = {**course_form(host.pk), "ends_on": "2026-03-20"}

    response = client.post(
        f"/admin/pages/add/courses/coursepage/{course_index.pk}/", data
    )

    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
    assert not CoursePage.objects.exists()


def test_admin_page_search_finds_a_course_by_topic(client, course, roles):
    client.force_login(EditorFactory())

    response = client.get("/admin/pages/search/", {"q": "Internet"})

    assert course.title in response.content.decode()
