"""Refusals are the project's errors, never OSErrors, and a task retries only when
another system could not be reached."""

import pytest
from celery.exceptions import Retry

from peer_support.accounts.tasks import send_welcome_email_task
from peer_support.errors import NotAllowed, ServiceError
from peer_support.spaces import services
from peer_support.spaces.models import JoinPolicy, MemberNotice
from peer_support.spaces.tasks import send_notice_email_task
from tests.factories import FacilitatedSpaceFactory, UserFactory

pytestmark = pytest.mark.django_db


def space_create(home_page, **fields):
    return FacilitatedSpaceFactory(parent=home_page, **fields)


def test_membership_refusals_are_service_errors():
    assert issubclass(services.MembershipError, ServiceError)
    assert issubclass(services.SpaceFull, services.MembershipError)
    assert not issubclass(services.MembershipError, OSError)


def test_someone_who_does_not_manage_the_space_is_refused_with_not_allowed(
    home_page, roles
):
    space = space_create(home_page, join_policy=JoinPolicy.REQUEST)
    request = services.membership_request(
        space_id=space.pk, member=UserFactory(), answers={}
    )
    outsider = UserFactory()

    for attempt in (
        lambda: services.membership_approve(membership_id=request.pk, actor=outsider),
        lambda: services.membership_decline(
            membership_id=request.pk, actor=outsider, reason="No."
        ),
        lambda: services.invite_create(space_id=space.pk, actor=outsider),
    ):
        with pytest.raises(NotAllowed) as refused:
            attempt()
        assert not isinstance(refused.value, OSError)
        assert refused.value.message

    request.refresh_from_db()
    assert request.status == "requested"


def test_accepting_someone_elses_ground_rules_is_not_allowed(home_page, roles):
    space = space_create(home_page)
    membership = services.membership_join(space_id=space.pk, member=UserFactory())

    with pytest.raises(NotAllowed):
        services.membership_rules_accept(
            membership_id=membership.pk, member=UserFactory()
        )


class _Calls:
    def __init__(self, error):
        self.error, self.count = error, 0

    def __call__(self, *args, **kwargs):
        self.count += 1
        raise self.error


def _notice(home_page):
    space = space_create(home_page)
    member = UserFactory()
    return MemberNotice.objects.create(
        member=member, space=space, subject="Hello", body="A private notice."
    )


@pytest.mark.parametrize(
    "refusal", [NotAllowed("Not for you."), PermissionError("refused")]
)
def test_a_task_whose_work_is_refused_runs_once(home_page, roles, monkeypatch, refusal):
    notice = _notice(home_page)
    calls = _Calls(refusal)
    monkeypatch.setattr("peer_support.spaces.tasks.send_mail", calls)

    with pytest.raises(type(refusal)):
        send_notice_email_task.delay(notice.pk)

    assert calls.count == 1


def test_welcome_task_whose_work_is_refused_runs_once(monkeypatch):
    calls = _Calls(PermissionError("refused"))
    monkeypatch.setattr("peer_support.accounts.tasks.send_mail", calls)

    with pytest.raises(PermissionError):
        send_welcome_email_task.delay(UserFactory().pk)

    assert calls.count == 1


def test_a_task_retries_when_the_mail_server_cannot_be_reached(
    home_page, roles, monkeypatch
):
    notice = _notice(home_page)
    calls = _Calls(ConnectionError("mail server down"))
    monkeypatch.setattr("peer_support.spaces.tasks.send_mail", calls)

    # Run eagerly, the task hands itself back to the broker for a later try.
    with pytest.raises(Retry):
        send_notice_email_task.delay(notice.pk)

    assert calls.count == 1
