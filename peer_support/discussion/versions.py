"""The version numbers a stored thread page is kept under (`thread_cache`): the
thread's, bumped by every write to one of its posts and every "this helped"; the
people version, bumped by what shows beside an author's name anywhere; and a
reader's own, bumped by what they flag, mute or fold away, which the articles
rendered for them alone are kept under. All are bumped at once and again when the
transaction commits, so a page rendered from rows being changed sits under a dead
key.
"""

from dataclasses import dataclass

from peer_site.page_cache import generation
from peer_support.cache_versions import version_bump, versions_read

THREAD_VERSION = "discussion:thread-version:{}"
PEOPLE_VERSION = "discussion:people-version"
READER_VERSION = "discussion:reader-version:{}"


def thread_changed(thread_id: int) -> None:
    """Something a thread's posts show has changed: its stored pages are dead."""
    version_bump(THREAD_VERSION.format(thread_id))


def people_changed() -> None:
    """A name or a badge shown beside posts has changed: every stored page is dead."""
    version_bump(PEOPLE_VERSION)


def reader_changed(user_id: int) -> None:
    """What this reader flagged, muted or folds away has changed: what was rendered
    for them alone is dead."""
    version_bump(READER_VERSION.format(user_id))


def current_versions(
    thread_id: int, *, reader_id: int | None = None
) -> tuple[int, ...] | None:
    """(thread version, people version), then the reader's version when a reader
    is given; None when the cache cannot hold them."""
    keys = [THREAD_VERSION.format(thread_id), PEOPLE_VERSION]
    if reader_id is not None:
        keys.append(READER_VERSION.format(reader_id))
    found = versions_read(keys)
    if found is None:
        return None
    return tuple(found[key] for key in keys)


@dataclass(frozen=True)
class PageVersions:
    """What a reader's thread page is read under, read once when the request starts,
    before anything the page shows: the content generation (`peer_site.page_cache`),
    then the thread's, people's and the reader's versions. The page's helpers take
    these rather than each reading them again (a cache round trip each); reading
    them first is the safe way round, since what is read after is never older than
    the key it is kept under."""

    generation: int
    thread: int
    people: int
    reader: int

    @property
    def reader_versions(self) -> tuple[int, int, int]:
        """As `current_versions` with a reader gives them."""
        return (self.thread, self.people, self.reader)


def page_versions(thread_id: int, *, reader_id: int) -> PageVersions | None:
    """None when the cache cannot hold them."""
    versions = current_versions(thread_id, reader_id=reader_id)
    content = generation()
    if versions is None or content is None:
        return None
    return PageVersions(content, *versions)
