"""`make load-chat`: the test settings on production's data path (the cache and
browser sessions in Redis, database connections kept open), so the load test
measures what production runs. Fails closed without REDIS_URL: with a cache per
process, one web process would not see what another changed."""

from django.core.exceptions import ImproperlyConfigured

from .test import *  # noqa: F403

if not REDIS_URL:  # noqa: F405
    raise ImproperlyConfigured("Set REDIS_URL for the load test.")
CACHES["default"] = {  # noqa: F405
    "BACKEND": "peer_site.redis_cache.PooledRedisCache",
    "LOCATION": REDIS_URL,  # noqa: F405
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
