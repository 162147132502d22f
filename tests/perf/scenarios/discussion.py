"""The discussion at scale: a thread page of a 1,000-post thread, the review queue
with 10,000 items, and one reply through `post_submit` (lock, checks, comments-xtd
renumbering).

Posts are inserted in bulk straight into the three comment tables (Django cannot
bulk-create a multi-table child); the reply measured goes through `post_submit`."""

from django.test import Client
from django.utils import timezone

from home.models import HomePage
from peer_support.accounts.models import User
from peer_support.accounts.roles import PEER_WORKER, role_groups_sync
from peer_support.discussion import services
from peer_support.discussion.models import Post
from peer_support.spaces.models import (
    Membership,
    MembershipStatus,
    ModerationMode,
    SpaceFacilitator,
    SpacePage,
)
from tests.peer_support.discussion.builders import posts_bulk_make

THREAD_POSTS = 1000
QUEUE_ITEMS = 10_000
STATE = {}


def build() -> None:
    role_groups_sync()
    home = HomePage.objects.first()
    space = home.add_child(
        instance=SpacePage(
            title="Bench discussion",
            slug="bench-discussion",
            moderation_mode=ModerationMode.POST,
        )
    )
    facilitator = User.objects.create_user(
        email="bench-discussion-peer@example.org",
        pseudonym="Bench discussion peer",
        is_staff=True,
    )
    facilitator.groups.add(role_groups_sync()[PEER_WORKER])
    SpaceFacilitator.objects.create(page_id=space.pk, worker=facilitator)
    members = User.objects.bulk_create(
        User(email=f"bench-poster{n}@example.org", pseudonym=f"Bench poster {n}")
        for n in range(40)
    )
    Membership.objects.bulk_create(
        Membership(
            space=space,
            member=m,
            status=MembershipStatus.ACTIVE,
            joined_at=timezone.now(),
        )
        for m in members
    )
    thread = services.post_submit(
        author=facilitator, space_id=space.pk, title="Long thread", text="Open."
    ).thread_ref
    posts_bulk_make(thread, members, THREAD_POSTS - 1, held=False)
    queue_thread = services.post_submit(
        author=facilitator, space_id=space.pk, title="Busy queue", text="Open."
    ).thread_ref
    posts_bulk_make(queue_thread, members, QUEUE_ITEMS, held=True, tops_only=True)
    STATE.update(thread=thread, facilitator=facilitator, member=members[0])
    assert Post.objects.filter(thread_ref=thread).count() == THREAD_POSTS


def measurements(client):
    member, peer = Client(), Client()
    member.force_login(STATE["member"])
    peer.force_login(STATE["facilitator"])
    thread = STATE["thread"]
    return [
        (
            "thread page, 1,000 posts (50 top-level a page)",
            lambda: member.get(f"/discussion/thread/{thread.pk}/"),
        ),
        (
            "review queue, 10,000 held posts",
            lambda: peer.get("/admin/discussion_queue/"),
        ),
        (
            "one reply through post_submit",
            lambda: services.post_submit(
                author=STATE["facilitator"], thread_id=thread.pk, text="A reply."
            ),
        ),
    ]
