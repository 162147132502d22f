"""The version numbers a stored thread page is kept under (`thread_cache`): the
thread's, bumped by every write to one of its posts and every "this helped", and the
people version, bumped by what shows beside an author's name anywhere. Both are
bumped at once and again when the transaction commits, so a page rendered from rows
being changed sits under a dead key.
"""

import time

from django.core.cache import cache

from peer_support.transactions import now_and_on_commit

THREAD_VERSION = "discussion:thread-version:{}"
PEOPLE_VERSION = "discussion:people-version"


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not stored: the next read starts from a number never used
        pass


def _touch(key: str) -> None:
    now_and_on_commit(lambda: _bump(key))


def thread_changed(thread_id: int) -> None:
    """Something a thread's posts show has changed: its stored pages are dead."""
    _touch(THREAD_VERSION.format(thread_id))


def people_changed() -> None:
    """A name or a badge shown beside posts has changed: every stored page is dead."""
    _touch(PEOPLE_VERSION)


def current_versions(thread_id: int) -> tuple[int, int] | None:
    """(thread version, people version); None when the cache cannot hold them."""
    keys = [THREAD_VERSION.format(thread_id), PEOPLE_VERSION]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # Never a number used before: pages stored under an evicted version
            # must not come back.
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key)
    if None in found.values():
        return None
    return found[keys[0]], found[keys[1]]
