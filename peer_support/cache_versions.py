"""Version numbers that what is kept in the cache is stored under: bumping one makes
everything stored under the old number dead at once, without finding it to delete.

A number is bumped now and again when the transaction commits
(`transactions.now_and_on_commit`), so whatever a reader stored in between, from rows
being changed, sits under a dead number too. A number the cache has lost starts again
from the clock in nanoseconds, never from one used before, so nothing stored under an
evicted number can come back.
"""

import time

from django.core.cache import cache as default_cache

from peer_support.transactions import now_and_on_commit


def version_bump(key: str, *, cache=default_cache) -> None:
    def bump():
        try:
            cache.incr(key)
        except ValueError:  # not stored: the next read starts from a fresh number
            pass

    now_and_on_commit(bump)


def versions_read(keys: list[str], *, cache=default_cache) -> dict | None:
    """{key: number} for each of `keys`, started afresh where the cache has none;
    None when the cache cannot hold them."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key)
    if None in found.values():
        return None
    return found
