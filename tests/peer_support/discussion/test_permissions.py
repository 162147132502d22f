"""The one policy, both ways: read, post and moderate a discussion across two spaces
and every role, including a facilitator of another space and a suspended member."""

import pytest

from peer_support.spaces.models import MembershipStatus, SpaceRole
from peer_support.spaces.permissions import MODERATE, POST, READ_DISCUSSION, user_may
from tests.factories import (
    EditorFactory,
    PeerWorkerFactory,
    ProfessionalFactory,
    RotaCoordinatorFactory,
    SafeguardingLeadFactory,
    UserFactory,
)

from .builders import member_make, on_duty_make, space_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(home_page):
    here = space_make(home_page, title="Here")
    there = space_make(home_page, title="There")
    people = {
        "member": member_make(here),
        "professional": member_make(
            here, user=ProfessionalFactory(), role=SpaceRole.PROFESSIONAL
        ),
        "suspended": member_make(here, status=MembershipStatus.SUSPENDED),
        "left": member_make(here, status=MembershipStatus.LEFT),
        "member_elsewhere": member_make(there),
        "facilitator": here.facilitators.first().worker,
        "facilitator_elsewhere": there.facilitators.first().worker,
        "peer_worker_off_duty": PeerWorkerFactory(),
        "peer_worker_covering": PeerWorkerFactory(),
        "safeguarding_lead": SafeguardingLeadFactory(),
        "coordinator": RotaCoordinatorFactory(),
        "editor": EditorFactory(),
        "stranger": UserFactory(),
        "superuser": UserFactory(is_superuser=True),
    }
    from peer_support.rotas.models import Duty

    on_duty_make(here, worker=people["peer_worker_covering"], duty=Duty.SPACE_COVER)
    return here, there, people


EXPECTED = {
    # who: (read, post, moderate) in "Here"
    "member": (True, True, False),
    "professional": (True, True, False),
    "suspended": (True, False, False),
    "left": (False, False, False),
    "member_elsewhere": (False, False, False),
    "facilitator": (True, True, True),
    "facilitator_elsewhere": (False, False, False),
    "peer_worker_off_duty": (False, False, False),
    "peer_worker_covering": (True, False, True),
    "safeguarding_lead": (False, False, False),
    "coordinator": (False, False, False),
    "editor": (False, False, False),
    "stranger": (False, False, False),
    "superuser": (True, True, True),
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_discussion_policy_for_every_role(world, who):
    here, there, people = world
    user = people[who]
    got = tuple(
        user_may(user, action, here) for action in (READ_DISCUSSION, POST, MODERATE)
    )
    assert got == EXPECTED[who]


@pytest.mark.parametrize("who", ["member", "facilitator", "peer_worker_covering"])
def test_rights_here_give_nothing_there(world, who):
    here, there, people = world
    for action in (READ_DISCUSSION, POST, MODERATE):
        assert not user_may(people[who], action, there)


def test_anonymous_and_inactive_get_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    here, _there, people = world
    people["member"].is_active = False
    for action in (READ_DISCUSSION, POST, MODERATE):
        assert not user_may(AnonymousUser(), action, here)
        assert not user_may(people["member"], action, here)
