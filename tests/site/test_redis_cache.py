"""The production cache (`peer_site.redis_cache`) against a real Redis: everything the
site asks of a cache works, through one client per connection pool."""

import os
import threading

import pytest

from peer_site.redis_cache import PooledRedisCache

pytestmark = pytest.mark.redis


@pytest.fixture
def cache():
    cache = PooledRedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "pooled-test"})
    cache.clear()
    yield cache
    cache.clear()


def test_values_are_stored_read_counted_and_dropped(cache):
    cache.set("notices", {"unread": 2}, 30)
    cache.set_many({"a": 1, "b": [1, 2]}, 30)

    assert cache.get("notices") == {"unread": 2}
    assert cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": [1, 2]}
    assert cache.add("a", 5) is False
    assert cache.incr("a") == 2
    cache.delete("notices")
    assert cache.get("notices") is None
    cache.delete_many(["a", "b"])
    assert cache.get_many(["a", "b"]) == {}


def test_calls_share_one_client_safely_across_threads(cache):
    assert cache._cache.get_client("a") is cache._cache.get_client("b", write=True)
    wrong = []

    def read_and_write(n: int):
        for i in range(50):
            cache.set(f"t{n}:{i}", (n, i), 30)
            if cache.get(f"t{n}:{i}") != (n, i):
                wrong.append((n, i))

    threads = [threading.Thread(target=read_and_write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert wrong == []
    assert len(cache.get_many([f"t{n}:49" for n in range(8)])) == 8
