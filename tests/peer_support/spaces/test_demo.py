from io import StringIO

import pytest
from django.core.management import call_command

from peer_support.spaces.models import Membership, MembershipEvent, MembershipStatus

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_without_duplicates(home_page):
    call_command("load_demo", stdout=StringIO())
    counts = (Membership.objects.count(), MembershipEvent.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Membership.objects.count(), MembershipEvent.objects.count()) == counts
    assert Membership.objects.filter(status=MembershipStatus.REQUESTED).exists()
    assert Membership.objects.filter(status=MembershipStatus.WAITLISTED).exists()
    assert Membership.objects.filter(status=MembershipStatus.SUSPENDED).count() == 1
