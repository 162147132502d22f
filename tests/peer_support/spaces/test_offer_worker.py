import pytest

from peer_support.spaces import services
from peer_support.spaces.models import MembershipEvent, MembershipStatus
from tests.celery_worker import running_worker, wait_for
from tests.factories import FacilitatedSpaceFactory, UserFactory


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_expires_an_unanswered_offer_and_offers_the_next(home_page):
    # No days to accept: each offer's timer fires at once in the worker.
    space = FacilitatedSpaceFactory(parent=home_page, capacity=1, offer_days=0)
    first = services.membership_join(space_id=space.pk, member=UserFactory())
    second = services.membership_join(
        space_id=space.pk, member=UserFactory(), waitlist=True
    )
    third = services.membership_join(
        space_id=space.pk, member=UserFactory(), waitlist=True
    )

    with running_worker():
        services.membership_leave(membership_id=first.pk, member=first.member)

        def both_expired():
            return (
                MembershipEvent.objects.filter(
                    action=MembershipEvent.Action.OFFER_EXPIRED,
                    membership__in=[second, third],
                ).count()
                == 2
            )

        assert wait_for(both_expired, timeout=60), "the worker expired no offer"

    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == third.status == MembershipStatus.LEFT
    actions = list(third.events.values_list("action", flat=True))
    assert actions == ["waitlisted", "offered", "offer_expired"]
