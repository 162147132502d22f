import types
from datetime import timedelta

import pytest
from django.core.cache.backends import locmem
from django.utils import timezone

from .builders import space_make, thread_make


@pytest.fixture
def space(home_page):
    """An open group with one facilitator, where posts are moderated after posting."""
    return space_make(home_page)


@pytest.fixture
def thread(space):
    """A conversation in `space`."""
    return thread_make(space, text="The opening words")


@pytest.fixture
def later(monkeypatch):
    """Moves the clock on, for what the (local memory) cache keeps too:
    `later(seconds)`."""

    def advance(seconds: float) -> None:
        now = timezone.now() + timedelta(seconds=seconds)
        wall = locmem.time.time() + seconds
        monkeypatch.setattr(timezone, "now", lambda: now)
        monkeypatch.setattr(locmem, "time", types.SimpleNamespace(time=lambda: wall))

    return advance
