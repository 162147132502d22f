"""The finder's query count does not grow with the number of groups.

Publishing fifty groups is slow, so the two finders (5 groups and 50) are built once
for the module inside a transaction that is rolled back when the module is done; each
test runs in a savepoint inside it.
"""

import pytest
from django.db import transaction

from peer_support.groups.models import GroupFormat
from peer_support.spaces.models import Membership, MembershipStatus
from tests.conftest import wagtail_tree_ensure
from tests.factories import (
    GroupIndexPageFactory,
    GroupPageFactory,
    TopicFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


def groups_add(finder, numbers, *, topic, venue):
    for number in numbers:
        group = GroupPageFactory(
            parent=finder,
            title=f"Group {number:03d}",
            format=GroupFormat.HYBRID,
            venue=venue,
        )
        group.topics.set([topic])
        group.cancelled_dates.create(date=group.next_meetings(1)[0][0].date())
        group.save_revision().publish()  # once, with the topic and the cancellation
        Membership.objects.create(
            space=group, member=UserFactory(), status=MembershipStatus.ACTIVE
        )


@pytest.fixture(scope="module")
def finders(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        home = wagtail_tree_ensure()
        anxiety = TopicFactory(name="Anxiety")
        leeds = VenueFactory(town="Leeds")
        few = GroupIndexPageFactory(parent=home, slug="few-groups")
        many = GroupIndexPageFactory(parent=home, slug="many-groups")
        groups_add(few, range(0, 5), topic=anxiety, venue=leeds)
        groups_add(many, range(5, 55), topic=anxiety, venue=leeds)
        yield few, many
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    "params",
    [{}, {"topic": "anxiety", "time": "evening"}, {"q": "group"}, {"near": "Leeds"}],
)
def test_finder_query_count_does_not_grow_with_the_number_of_groups(
    finders, query_count, params
):
    few, many = finders

    query_count.assert_same(few.url, many.url, params)
