"""What the cache keeps about one person's access to spaces, and how it is dropped.

Pages a person reads often ask the policy (`permissions.user_may`) the same questions
on every request: may they read this space's discussion, post in it, moderate it;
their live-chat access is asked on every poll. The answers are kept briefly in the
cache beside the person's access token, and an answer is good only while it holds
the token in force. Whatever decides access for a person (their membership, a
facilitator role, a shift or its assignment, the account itself) drops their token,
at once and again after the transaction commits (`receivers`), so every answer
about them is gone: a removed or suspended member loses access on the next request.
What changes by the clock alone (a shift starting or ending) or for a whole space
(new ground rules, a discussion opened to non-members) shows within
ACCESS_SECONDS.

Only pages are served from these answers: every form sent, and every write
(`post_submit` and the other services), decides against the database.
"""

import uuid
from dataclasses import dataclass, replace

from django.core.cache import cache

from peer_support.transactions import now_and_on_commit

from .permissions import MODERATE, POST, READ_DISCUSSION, user_may
from .selectors import may_post

ACCESS_SECONDS = 30
# A token outlives the answers kept under it, so that it is rarely made afresh.
TOKEN_SECONDS = ACCESS_SECONDS * 100


def token_key(user_id: int) -> str:
    return f"access-token:{user_id}"


def token_in_force(user_id: int, found: dict) -> str:
    """The person's token: from `found` (a `cache.get_many` that asked for
    `token_key`), else a new one, unless another request stored one first."""
    key = token_key(user_id)
    token = found.get(key)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(key, token, timeout=TOKEN_SECONDS):
            token = cache.get(key) or token
    return token


def access_changed(*, user_id: int) -> None:
    """Something that decides this person's access changed: every cached answer
    about them is stale."""
    key = token_key(user_id)
    now_and_on_commit(lambda: cache.delete(key))


@dataclass(frozen=True)
class DiscussionStanding:
    """A reader's standing in a space's discussion, as the policy answers it."""

    read: bool
    post: bool
    missing: str  # the step missing before they may post ("join", "rules"...)
    moderate: bool
    token: str = ""


def _decide(user, space) -> DiscussionStanding:
    allowed, missing = may_post(user=user, space=space)
    return DiscussionStanding(
        read=user_may(user, READ_DISCUSSION, space),
        post=allowed or user_may(user, POST, space),
        missing=missing,
        moderate=user_may(user, MODERATE, space),
    )


def discussion_standing(user, space, *, fresh: bool = False) -> DiscussionStanding:
    """`user`'s standing in `space`'s discussion, from the cache unless `fresh` (a
    request that changes something) or nothing is kept for them."""
    if fresh or not user.is_authenticated or space.pk is None:
        return _decide(user, space)
    key = f"discussion-standing:{user.pk}:{space.pk}"
    found = cache.get_many([key, token_key(user.pk)])
    token = token_in_force(user.pk, found)
    standing = found.get(key)
    if standing is not None and standing.token == token:
        return standing
    standing = replace(_decide(user, space), token=token)
    cache.set(key, standing, timeout=ACCESS_SECONDS)
    return standing
