import pytest

from peer_support.spaces.models import SpacePage
from peer_support.spaces.selectors import professional_places_left

pytestmark = pytest.mark.django_db


def space(**caps):
    return SpacePage(title="A space", **caps)


@pytest.mark.parametrize(
    ("caps", "active", "professionals", "expected"),
    [
        ({}, 10, 3, None),
        ({"max_professionals": 4}, 10, 3, 1),
        ({"max_professionals": 3}, 10, 3, 0),
        # 25% of members: with 9 active of whom 2 professionals, one more makes 3/10.
        ({"max_professional_share": 25}, 9, 2, 0),
        ({"max_professional_share": 30}, 9, 2, 1),
        ({"max_professional_share": 50}, 0, 0, 0),
        ({"max_professional_share": 100, "capacity": 12}, 10, 3, 2),
        ({"max_professionals": 5, "capacity": 10}, 10, 0, 0),
    ],
)
def test_professional_places_left_respects_every_cap(
    caps, active, professionals, expected
):
    assert (
        professional_places_left(
            space=space(**caps), active=active, professionals=professionals
        )
        == expected
    )
