from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguarding import services
from safeguarding.models import (
    Concern,
    ConcernEvent,
    ConcernSource,
    ConcernStatus,
    LexiconEntry,
)
from safeguarding.severity import Severity
from tests.factories import EditorFactory, PeerWorkerFactory, UserFactory
from tests.safeguarding.conftest import sign_in

pytestmark = pytest.mark.django_db
Kind = ConcernEvent.Kind


@pytest.fixture
def concern(member, space, worker):
    return services.concern_raise(
        member=member,
        severity=Severity.HIGH,
        source=ConcernSource.SCREENING,
        content="I want to die",
        space=space,
    )


def url(concern):
    return reverse("safeguarding_concern", args=[concern.pk])


def test_owner_and_leads_see_a_concern_and_each_view_is_audited(
    client, concern, worker, other_lead
):
    for user in (worker, other_lead):
        sign_in(client, user)
        response = client.get(url(concern))
        assert response.status_code == 200
        assert "I want to die" in response.content.decode()
        assert concern.events.filter(kind=Kind.VIEWED, actor=user).count() == 1


@pytest.mark.parametrize("who", ["editor", "superuser", "other_worker"])
def test_everyone_else_gets_404(client, concern, who):
    user = {
        "editor": lambda: EditorFactory(),
        "superuser": lambda: EditorFactory(is_superuser=True),
        "other_worker": lambda: PeerWorkerFactory(),
    }[who]()
    sign_in(client, user)
    assert client.get(url(concern)).status_code == 404
    assert client.post(url(concern), {"action": "acknowledge"}).status_code == 404
    assert (
        client.get(
            reverse("safeguarding_chronology", args=[concern.member_id])
        ).status_code
        == 404
    )
    concern.refresh_from_db()
    assert concern.acknowledged_at is None


def test_members_cannot_reach_the_admin_pages(client, concern, member):
    sign_in(client, member)
    response = client.get(url(concern))
    assert response.status_code in (302, 403, 404)
    assert "I want to die" not in response.content.decode()


def test_dashboard_lists_overdue_first_for_leads_and_only_own_for_workers(
    client, member, space, worker, other_lead, django_assert_max_num_queries
):
    now = timezone.now()
    old = services.concern_raise(
        member=UserFactory(),
        severity=Severity.LOW,
        source=ConcernSource.SCREENING,
        space=space,
        now=now - timedelta(days=4),
    )
    fresh = services.concern_raise(
        member=member, severity=Severity.IMMEDIATE, source="screening", space=space
    )
    Concern.objects.filter(pk=fresh.pk).update(owner=other_lead)
    Concern.objects.filter(pk=old.pk).update(owner=worker)
    sign_in(client, other_lead)
    with django_assert_max_num_queries(30):
        body = client.get(reverse("safeguarding_dashboard")).content.decode()
    assert body.index(old.reference) < body.index(fresh.reference)
    assert "safeguarding-overdue" in body
    assert ConcernEvent.objects.filter(
        kind=Kind.VIEWED, actor=other_lead, text="dashboard"
    ).exists()

    sign_in(client, worker)
    body = client.get(reverse("safeguarding_dashboard")).content.decode()
    assert old.reference in body
    assert fresh.reference not in body


def test_actions_through_the_page(client, concern, worker):
    sign_in(client, worker)
    client.post(url(concern), {"action": "acknowledge"})
    client.post(url(concern), {"action": "note", "text": "Rang them"})
    response = client.post(
        url(concern), {"action": "close", "outcome": "", "reason": ""}
    )
    assert response.status_code == 200  # the form again, with its errors
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.IN_PROGRESS
    client.post(
        url(concern),
        {"action": "close", "outcome": "support_offered", "reason": "Safe now"},
    )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED
    assert concern.events.filter(kind=Kind.NOTE, text="Rang them").exists()


def test_contact_details_stay_hidden_until_a_lead_breaks_the_glass(
    client, concern, member, worker, other_lead
):
    sign_in(client, worker)
    body = client.get(url(concern)).content.decode()
    assert member.email not in body
    assert 'id="glass-form"' not in body
    response = client.post(url(concern), {"action": "glass", "reason": "x"})
    assert member.email not in response.content.decode()

    sign_in(client, other_lead)
    assert member.email not in client.get(url(concern)).content.decode()
    response = client.post(url(concern), {"action": "glass", "reason": ""})
    assert member.email not in response.content.decode()
    response = client.post(url(concern), {"action": "glass", "reason": "No answer"})
    assert member.email in response.content.decode()
    assert concern.events.filter(kind=Kind.GLASS_BROKEN, actor=other_lead).exists()
    # Shown once: the next view hides it again, and the audit shows the opening.
    body = client.get(url(concern)).content.decode()
    assert member.email not in body
    assert "No answer" in body


def test_chronology_lists_every_concern_about_a_member_for_leads(
    client, member, space, worker, other_lead
):
    now = timezone.now()
    first = services.concern_raise(
        member=member,
        severity=Severity.LOW,
        source="screening",
        space=space,
        now=now - timedelta(days=10),
    )
    second = services.concern_raise(
        member=member, severity=Severity.HIGH, source="screening", space=space
    )
    sign_in(client, other_lead)
    body = client.get(
        reverse("safeguarding_chronology", args=[member.pk])
    ).content.decode()
    assert body.index(first.reference) < body.index(second.reference)
    assert ConcernEvent.objects.filter(
        kind=Kind.VIEWED, member=member, actor=other_lead
    ).exists()
    sign_in(client, worker)
    assert (
        client.get(reverse("safeguarding_chronology", args=[member.pk])).status_code
        == 404
    )


def test_staff_raise_a_concern_about_a_meeting(client, member, space, worker):
    sign_in(client, worker)
    response = client.post(
        reverse("safeguarding_raise"),
        {"pseudonym": "nobody here", "severity": 2, "where": "meeting", "content": "x"},
    )
    assert "No member has that pseudonym" in response.content.decode()
    assert not Concern.objects.exists()
    client.post(
        reverse("safeguarding_raise"),
        {
            "pseudonym": member.pseudonym.upper(),
            "severity": 2,
            "space": space.pk,
            "where": "meeting",
            "content": "Said they had stopped eating",
        },
    )
    concern = Concern.objects.get()
    assert (concern.source, concern.content_ref, concern.raised_by) == (
        ConcernSource.STAFF,
        "meeting",
        worker,
    )


def test_members_cannot_raise_through_the_staff_form(client, member):
    sign_in(client, member)
    assert client.get(reverse("safeguarding_raise")).status_code in (302, 403, 404)


def test_inbox_shows_reference_and_severity_only(client, concern, worker, member):
    sign_in(client, worker)
    body = client.get(reverse("safeguarding_inbox")).content.decode()
    assert concern.reference in body
    assert member.pseudonym not in body
    assert "I want to die" not in body


def test_only_leads_edit_the_lexicon(client, worker, other_lead):
    index = reverse("safeguarding_lexicon:index")
    sign_in(client, worker)
    assert client.get(index).status_code in (302, 403)
    sign_in(client, other_lead)
    assert client.get(index).status_code == 200
    response = client.post(
        reverse("safeguarding_lexicon:add"),
        {
            "phrase": "walk into the lake",
            "category": "method",
            "severity": 3,
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert LexiconEntry.objects.filter(phrase="walk into the lake").exists()
    from safeguarding.screening import screen

    assert screen("I want to walk into the lake").severity >= Severity.HIGH


def test_leads_see_open_and_overdue_counts_on_the_admin_home(
    client, concern, other_lead, worker
):
    sign_in(client, other_lead)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "1 open concern" in body
    sign_in(client, worker)
    assert (
        "open concern" not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_demo_has_one_open_concern_for_the_demo_lead(home_page):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    concern = Concern.objects.get()
    assert concern.owner.email == "safeguarding@demo.invalid"
    assert concern.is_open


def test_leads_set_the_response_times(client, other_lead, worker):
    from safeguarding.models import SeverityPolicy

    url = reverse("wagtailsettings:edit", args=["safeguarding", "severitypolicy"])
    sign_in(client, worker)
    response = client.get(url, follow=True)
    assert (
        response.status_code == 403
        or "severitypolicy" not in response.request["PATH_INFO"]
    )
    sign_in(client, other_lead)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    client.post(
        response.request["PATH_INFO"],
        {
            "immediate_minutes": 10,
            "high_minutes": 45,
            "medium_minutes": 600,
            "low_minutes": 2000,
            "join_window_minutes": 60,
        },
    )
    assert SeverityPolicy.load().high_minutes == 45


def test_dashboard_queries_do_not_grow_with_concerns(
    client, space, worker, other_lead, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("safeguarding_dashboard")).status_code == 200
        return len(captured)

    sign_in(client, other_lead)
    services.concern_raise(
        member=UserFactory(), severity=2, source="screening", space=space
    )
    client.get(reverse("safeguarding_dashboard"))  # warm caches
    few = count()
    for _ in range(10):
        services.concern_raise(
            member=UserFactory(), severity=3, source="screening", space=space
        )
    assert count() == few


def test_the_audit_trail_has_no_admin_page_to_change_it():
    from django.contrib import admin
    from django.urls import get_resolver

    from safeguarding.models import Concern, Escalation, Notification

    names = []

    def collect(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                collect(pattern.url_patterns)
            elif pattern.name:
                names.append(pattern.name)

    collect(get_resolver().url_patterns)
    for model in ("concernevent", "concern_", "escalation", "notification"):
        assert not [n for n in names if model in n and "safeguarding" in n], model
    for model in (ConcernEvent, Concern, Escalation, Notification):
        assert not admin.site.is_registered(model)


def test_inbox_queries_do_not_grow_with_notifications(
    client, concern, other_lead, query_count
):
    from safeguarding.models import Notification

    def notifications_add(count):
        for _ in range(count):
            another = Concern.objects.get(pk=concern.pk)
            another.pk = None
            another.save()
            Notification.objects.create(concern=another, tier=1, recipient=other_lead)

    notifications_add(5)
    sign_in(client, other_lead)
    url = reverse("safeguarding_inbox")
    query_count.assert_unchanged(url, lambda: notifications_add(45))
    assert Notification.objects.filter(recipient=other_lead).count() >= 50
