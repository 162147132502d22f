from django.db import transaction


def now_and_on_commit(action) -> None:
    """Run `action` (a cache purge or drop) now, so this request and the next see
    the change, and again once the current transaction commits: whatever a reader
    cached in between from the old rows is dropped too. A failure after the commit
    is logged, not raised: the change itself has been saved."""
    action()
    transaction.on_commit(action, robust=True)
