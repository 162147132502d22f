"""Production: everything comes from the environment and fails closed."""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in required("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]
DATABASES = {
    "default": dj_database_url.parse(
        required("DATABASE_URL"), conn_max_age=60, conn_health_checks=True
    )
}

# Where `collectstatic` puts the files WhiteNoise serves.
STATIC_ROOT = os.environ.get("STATIC_ROOT", STATIC_ROOT)  # noqa: F405

REDIS_URL = required("REDIS_URL").rstrip("/")
# Separate Redis databases: cache and sessions on /1, anonymous visitors' pages on
# /2 (point PAGE_CACHE_REDIS_URL at another instance to keep their memory apart), the
# Celery broker on /0.
CACHES = {
    "default": {
        "BACKEND": "peer_site.redis_cache.PooledRedisCache",
        "LOCATION": os.environ.get("CACHE_REDIS_URL", f"{REDIS_URL}/1"),
    },
    "pages": {
        "BACKEND": "peer_site.redis_cache.PooledRedisCache",
        "LOCATION": os.environ.get("PAGE_CACHE_REDIS_URL", f"{REDIS_URL}/2"),
    },
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", f"{REDIS_URL}/0")
CELERY_TASK_ALWAYS_EAGER = False

WAGTAILADMIN_BASE_URL = os.environ.get(
    "WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}"
)
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "true").lower() == "true"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405
# The last tier of safeguarding escalation: without it an unanswered concern stops.
SAFEGUARDING_SERVICE_MANAGER_EMAIL = required("SAFEGUARDING_SERVICE_MANAGER_EMAIL")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# How many reverse proxies append to X-Forwarded-For in front of the site (0 when
# gunicorn faces clients directly). Required: guessing wrong either pools every
# client under the proxy's address (one lock-out for everyone) or trusts an address
# the client wrote.
try:
    TRUSTED_PROXY_HOPS = int(required("TRUSTED_PROXY_HOPS"))
except ValueError as error:
    raise ImproperlyConfigured("TRUSTED_PROXY_HOPS must be a whole number.") from error
if TRUSTED_PROXY_HOPS < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_HOPS must not be negative.")
# Wagtail's live preview shows pages in a frame on the same origin, which needs
# X_FRAME_OPTIONS = "SAMEORIGIN"; other origins are still refused.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
# Safeguarding staff always confirm an authenticator code before any concern; this is
# never read from the environment.
SAFEGUARDING_REQUIRE_OTP = True
