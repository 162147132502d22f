"""Capacity holds when many people press "Join" at the same moment (real PostgreSQL,
real transactions in threads)."""

import threading

import pytest
from django.db import connection

from peer_support.spaces import services
from peer_support.spaces.models import Membership, MembershipStatus
from tests.factories import FacilitatedSpaceFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_members_race_for_the_last_five_places(home_page):
    space = FacilitatedSpaceFactory(parent=home_page, capacity=10)
    for _ in range(5):
        services.membership_join(space_id=space.pk, member=UserFactory())
    racers = [UserFactory() for _ in range(20)]
    barrier = threading.Barrier(len(racers))
    errors = []

    def join(member):
        try:
            barrier.wait()
            services.membership_join(space_id=space.pk, member=member, waitlist=True)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=join, args=(m,)) for m in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    racing = Membership.objects.filter(member__in=racers)
    assert racing.filter(status=MembershipStatus.ACTIVE).count() == 5
    assert racing.filter(status=MembershipStatus.WAITLISTED).count() == 15
    assert (
        Membership.objects.filter(space=space, status=MembershipStatus.ACTIVE).count()
        == 10
    )


def test_professional_cap_holds_when_approvals_race(home_page):
    from peer_support.spaces.models import JoinPolicy
    from tests.factories import ProfessionalFactory

    space = FacilitatedSpaceFactory(
        parent=home_page, join_policy=JoinPolicy.REQUEST, max_professionals=2
    )
    facilitator = space.facilitators.get().worker
    requests = [
        services.membership_request(
            space_id=space.pk,
            member=ProfessionalFactory(),
            answers={},
            as_professional=True,
        )
        for _ in range(6)
    ]
    barrier = threading.Barrier(len(requests))
    refused = []

    def approve(membership):
        try:
            barrier.wait()
            services.membership_approve(membership_id=membership.pk, actor=facilitator)
        except services.SpaceFull:
            refused.append(membership.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(m,)) for m in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(refused) == 4
    assert (
        Membership.objects.filter(space=space, status=MembershipStatus.ACTIVE).count()
        == 2
    )
