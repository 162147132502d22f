"""The version numbers a stored thread page is kept under (`thread_cache`): the
thread's, bumped by every write to one of its posts and every "this helped"; the
people version, bumped by what shows beside an author's name anywhere; and a
reader's own, bumped by what they flag, mute or fold away, which the articles
rendered for them alone are kept under. All are bumped at once and again when the
transaction commits, so a page rendered from rows being changed sits under a dead
key.
"""

import time

from django.core.cache import cache

from peer_support.transactions import now_and_on_commit

THREAD_VERSION = "discussion:thread-version:{}"
PEOPLE_VERSION = "discussion:people-version"
READER_VERSION = "discussion:reader-version:{}"


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


def reader_changed(user_id: int) -> None:
    """What this reader flagged, muted or folds away has changed: what was rendered
    for them alone is dead."""
    _touch(READER_VERSION.format(user_id))


def current_versions(
    thread_id: int, *, reader_id: int | None = None
) -> tuple[int, ...] | None:
    """(thread version, people version), then the reader's version when a reader
    is given; None when the cache cannot hold them."""
    keys = [THREAD_VERSION.format(thread_id), PEOPLE_VERSION]
    if reader_id is not None:
        keys.append(READER_VERSION.format(reader_id))
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # Never a number used before: pages stored under an evicted version
            # must not come back.
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key)
    if None in found.values():
        return None
    return tuple(found[key] for key in keys)
