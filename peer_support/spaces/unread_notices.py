"""How many of a member's notices are unread, as the header shows on every page
they open: kept in the cache under a per-member notices version, which every write
to one of their notices bumps (`MemberNotice.save` and the notices queryset's
`update`), at once and again when the transaction commits, so a count taken from
rows being changed is stored under a dead version."""

from django.core.cache import cache

from peer_support.cache_versions import version_bump, versions_read

VERSION = "spaces:notices-version:{}"
COUNT = "spaces:unread-notices:{}"
# A member who stops coming back leaves nothing behind for long.
COUNT_SECONDS = 24 * 60 * 60


def notices_changed(member_id: int) -> None:
    """One of this member's notices was written: their stored count is dead."""
    version_bump(VERSION.format(member_id))


def unread_count_cached(member_id: int, count) -> int:
    """The member's unread count, from the cache while their notices version holds;
    else `count()` is asked and stored under that version."""
    version_key, count_key = VERSION.format(member_id), COUNT.format(member_id)
    found = cache.get_many([version_key, count_key])
    version = found.get(version_key)
    if version is None:  # read with the count, in one round trip, when stored
        version = (versions_read([version_key]) or {}).get(version_key)
    stored = found.get(count_key)
    if version is not None and stored is not None and stored[0] == version:
        return stored[1]
    unread = count()
    if version is not None:
        cache.set(count_key, (version, unread), COUNT_SECONDS)
    return unread
