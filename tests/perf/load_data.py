"""Fill the load test's database: migrate, the demo content, then scale.

Run by `tests.perf.load` in its own process on the production settings:
`python -m tests.perf.load_data PLAN.json --groups N --members M`. It writes the plan
the locustfile reads (page addresses, sign-ins), so the load users never guess an id.

The scale reuses the bench's builders: `scenarios.groups` adds N groups under the demo
finder, `scenarios.rotas` 50 peer workers with twelve weeks of shifts, and
`posts_bulk_make` (the discussion tests' builder) bulk-inserts the posts of a few busy
conversations.
"""

import argparse
import io
import json
import sys

import django

PASSWORD = "load-pass-2026"
DISCUSSION_SPACES = 10
THREAD_POSTS = 60
COORDINATOR = "coordinator@demo.invalid"
COORDINATOR_PASSWORD = "demo-pass-2026"


def build(*, groups: int, member_count: int) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from peer_support.accounts.models import User
    from peer_support.discussion import services
    from peer_support.groups.models import GroupIndexPage, GroupPage
    from peer_support.spaces.models import (
        JoinPolicy,
        Membership,
        MembershipStatus,
        SpaceFacilitator,
    )
    from tests.peer_support.discussion.builders import posts_bulk_make
    from tests.perf.scenarios import groups as group_scenario
    from tests.perf.scenarios import rotas

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    with transaction.atomic():
        group_scenario.build(finder=GroupIndexPage.objects.get(), count=groups)
        rotas.build()
        password = make_password(PASSWORD)  # hashed once: bulk rows share it
        members = User.objects.bulk_create(
            User(
                email=f"load-member{n}@load.invalid",
                pseudonym=f"Load member {n}",
                password=password,
            )
            for n in range(member_count)
        )
        workers = list(User.objects.filter(email__startswith="bench-worker"))
        User.objects.filter(pk__in=[w.pk for w in workers]).update(password=password)
        built = GroupPage.objects.filter(slug__startswith="group-").order_by("pk")
        open_groups = list(built.filter(join_policy=JoinPolicy.OPEN))
        # Conversations in up to ten open groups; the other open groups are to join.
        busy = open_groups[: min(DISCUSSION_SPACES, len(open_groups) // 2)]
        Membership.objects.bulk_create(
            Membership(
                space_id=space.pk,
                member=member,
                status=MembershipStatus.ACTIVE,
                joined_at=timezone.now(),
            )
            for space in busy
            for member in members
        )
        threads = []
        for number, space in enumerate(busy):
            facilitator = workers[number % len(workers)]
            SpaceFacilitator.objects.create(page_id=space.pk, worker=facilitator)
            thread = services.post_submit(
                author=facilitator,
                space_id=space.pk,
                title="How was your week?",
                text="Tell us how the week went: good bits and hard bits.",
            ).thread_ref
            posts_bulk_make(thread, members, THREAD_POSTS, held=False)
            threads.append({"space": space.pk, "thread": thread.pk})
    return {
        "finder": GroupIndexPage.objects.get().url,
        "groups": [group.url for group in built[:200]],
        "joinable": [
            {"space": group.pk, "url": group.url} for group in open_groups[len(busy) :]
        ],
        "threads": threads,
        "members": [member.email for member in members],
        "workers": [worker.email for worker in workers],
        "password": PASSWORD,
        "coordinator": COORDINATOR,
        "coordinator_password": COORDINATOR_PASSWORD,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("plan")
    parser.add_argument("--groups", type=int, default=300)
    parser.add_argument("--members", type=int, default=50)
    args = parser.parse_args(argv)
    django.setup()
    plan = build(groups=args.groups, member_count=args.members)
    with open(args.plan, "w") as output:
        json.dump(plan, output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
