import pytest
from django.urls import reverse

from safeguarding import selectors, services
from safeguarding.models import ConcernSource, Outcome, SafetyPlan
from safeguarding.severity import Severity
from tests.factories import PeerWorkerFactory, UserFactory
from tests.safeguarding.conftest import sign_in

pytestmark = pytest.mark.django_db


def test_member_writes_their_safety_plan(client, member):
    sign_in(client, member)
    assert client.get(reverse("safety_plan")).status_code == 200
    client.post(
        reverse("safety_plan"),
        {"what_helps": "A walk with my dog", "who_to_contact": "My sister"},
    )
    plan = SafetyPlan.objects.get(member=member)
    assert plan.what_helps == "A walk with my dog"
    response = client.post(reverse("safety_plan"), {"what_helps": "x" * 6000})
    assert response.status_code == 200
    plan.refresh_from_db()
    assert plan.what_helps == "A walk with my dog"


def test_visitors_are_sent_to_sign_in(client):
    assert client.get(reverse("safety_plan")).status_code == 302


def test_only_leads_and_the_owner_of_an_open_concern_read_it(
    client, member, space, worker, other_lead
):
    services.safety_plan_save(member=member, what_helps="Music", who_to_contact="My GP")
    stranger = PeerWorkerFactory()
    assert selectors.safety_plan_for(user=worker, member=member) is None
    assert selectors.safety_plan_for(user=stranger, member=member) is None
    assert selectors.safety_plan_for(user=other_lead, member=member).what_helps == (
        "Music"
    )
    assert selectors.safety_plan_for(user=UserFactory(), member=member) is None

    concern = services.concern_raise(
        member=member,
        severity=Severity.MEDIUM,
        source=ConcernSource.SCREENING,
        space=space,
    )
    assert concern.owner == worker
    assert selectors.safety_plan_for(user=worker, member=member) is not None
    sign_in(client, worker)
    body = client.get(reverse("safeguarding_concern", args=[concern.pk]))
    assert "My GP" in body.content.decode()

    services.concern_close(
        concern_id=concern.pk, user=worker, outcome=Outcome.SIGNPOSTED, reason="ok"
    )
    assert selectors.safety_plan_for(user=worker, member=member) is None
