import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _chat_cache_empty():
    """The chat keeps rooms, events and access in the cache; each test starts with
    none, as row ids repeat between tests on SQLite."""
    cache.clear()
    yield
    cache.clear()
