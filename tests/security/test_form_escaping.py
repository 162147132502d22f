"""Editor- and member-written words that reach a form's label or help text are shown
as text, never run as HTML."""

from datetime import date, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone
from django.utils.html import escape

from peer_support.courses.models import CourseIndexPage, CoursePage
from peer_support.spaces.forms import JoinForm
from peer_support.spaces.models import EligibilityQuestion, JoinPolicy
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<svg onload="alert(1)">',
    '"><script>alert(1)</script>',
    '<a href="javascript:alert(1)">click</a>',
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<form action="https://evil.example"><button>Go</button></form>',
    "&lt;b&gt;already escaped&lt;/b&gt;",
]


@pytest.fixture
def course(home_page):
    index = home_page.add_child(instance=CourseIndexPage(title="Courses", slug="c"))
    now = timezone.now()
    return index.add_child(
        instance=CoursePage(
            title="A course",
            summary="About things.",
            enrolment_opens_at=now - timedelta(days=1),
            enrolment_closes_at=now + timedelta(days=5),
            starts_on=date.today() + timedelta(days=7),
            ends_on=date.today() + timedelta(days=14),
            consent_text="I agree.",
            capacity=30,
            certificate_min_live_sessions=1,
        )
    )


def rendered(form) -> str:
    return Template("{% load crispy_forms_tags %}{{ form|crispy }}{{ plain }}").render(
        Context({"form": form, "plain": form.as_div()})
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_course_consent_text_is_shown_as_text(course, payload):
    course.consent_text = f"Before you enrol: {payload}"
    course.save_revision().publish()

    html = rendered(JoinForm(space=course, user=UserFactory()))

    assert payload not in html
    assert f"Before you enrol: {escape(payload)}" in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_eligibility_question_text_is_shown_as_text(course, payload):
    course.join_policy = JoinPolicy.REQUEST
    course.save_revision().publish()
    EligibilityQuestion.objects.create(page=course, text=f"Tell us {payload}")

    html = rendered(JoinForm(space=course, user=UserFactory()))

    assert payload not in html
    assert "Tell us " in html


def test_join_page_does_not_run_editor_html(client, course):
    course.consent_text = PAYLOADS[0]
    course.save_revision().publish()
    client.force_login(UserFactory())

    html = client.get(f"/spaces/{course.pk}/join/", follow=True).content.decode()

    assert "I agree to the above" in html
    assert 'http-equiv="refresh"' not in html
    assert "&lt;meta http-equiv=&quot;refresh&quot;" in html
