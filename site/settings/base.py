"""Settings shared by every environment; dev, test and production import this."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "home",
    "peer_support.accounts",
    "peer_support.spaces",
    "peer_support.rotas",
    "peer_support.courses",
    "peer_support.groups",
    "peer_support.discussion",
    "peer_support.chat",
    "peer_support.my_spaces",
    "safeguarding",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "peer_support.accounts.apps.StaffUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_htmx",
    # comments-xtd before django_comments, so its templates and models win.
    "django_comments_xtd",
    "django_comments",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "peer_site.middleware.PrivateCacheMiddleware",
    "peer_site.middleware.SitePolicyCSPMiddleware",
    # Inside the policy middleware, so a page from cache gets the same headers.
    "peer_site.page_cache.PageCacheMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that a locked-out login never reaches the view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "peer_site.urls"
WSGI_APPLICATION = "peer_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Local memory; production puts both in Redis. `pages` holds anonymous visitors'
# pages (`peer_site.page_cache`), apart so it can never push sessions out.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
# How long an anonymous visitor's page may come from cache at most (0: never).
# Content changes purge it at once; this bounds what changes by the clock alone
# (the next meeting, enrolment opening). See the README's "Page cache".
PAGE_CACHE_SECONDS = 300

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "peer_support.accounts.backends.EmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "pseudonym")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id first (`accounts.hashers` says why these costs); the others only verify
# older hashes, which are rewritten with Argon2id at the next sign-in.
PASSWORD_HASHERS = [
    "peer_support.accounts.hashers.PeerArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "profile"
LOGOUT_REDIRECT_URL = "/"

# Repeated failed logins lock one account at one address, so a shared computer in a
# library or day centre does not lock out everyone who uses it; an address alone is
# locked only after many more failures (`accounts.lockout`).
AXES_FAILURE_LIMIT = 5
AXES_ADDRESS_FAILURE_LIMIT = 30
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "peer_support.accounts.lockout.login_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HANDLER = "peer_support.accounts.lockout.AccountAtAddressHandler"
AXES_CLIENT_IP_CALLABLE = "peer_support.accounts.lockout.client_address"
# Axes would otherwise log the username (an email address) and the IP.
AXES_VERBOSE = False
# Nor keep a row with both for every sign-in and sign-out: only failed attempts are
# kept, as the lock-out needs, and a successful sign-in clears them.
AXES_DISABLE_ACCESS_LOG = True
# Reverse proxies in front of the site that append to X-Forwarded-For; the client's
# address is the entry this many places from the right. 0: use the connection's
# address and ignore the header, which any client can set.
TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English"))]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static"
# Files served at the site's root by WhiteNoise: /favicon.ico, which browsers ask for.
WHITENOISE_ROOT = PROJECT_DIR / "public"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

SITE_ID = 1
WAGTAIL_SITE_NAME = "Peer Support"
# The site's address in links in emails (password reset, notices, reminders).
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
# Never send members' or staff's email addresses to a third party for avatars.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# On PostgreSQL the text search configuration is named rather than left to the
# server's default: the index then means the same on every server, and a named
# configuration lets PostgreSQL parse a search once per query instead of once per
# index entry it compares (`to_tsquery` with a configuration is immutable).
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "english",
    }
}
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "key",
    "odt",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Terms a member consents to at registration; bump when the text changes.
TERMS_VERSION = "2026-11"

REDIS_URL = None
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_RETRY_DELAY = 30
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "spaces-expire-offers": {
        "task": "peer_support.spaces.tasks.expire_offers_due_task",
        "schedule": timedelta(minutes=15),
    },
    "spaces-lift-suspensions": {
        "task": "peer_support.spaces.tasks.lift_suspensions_due_task",
        "schedule": timedelta(minutes=15),
    },
    "rota_reminders_send": {"task": "rota_reminders_send", "schedule": 15 * 60},
    "discussion-unanswered-notify": {
        "task": "peer_support.discussion.tasks.unanswered_notify_task",
        "schedule": timedelta(minutes=30),
    },
    "rota_gaps_notify": {"task": "rota_gaps_notify", "schedule": 24 * 60 * 60},
    "rota_shifts_lock": {"task": "rota_shifts_lock", "schedule": 24 * 60 * 60},
    "safeguarding_sweep": {"task": "safeguarding_sweep", "schedule": 60},
    "chat-transcripts-purge": {
        "task": "peer_support.chat.tasks.transcripts_purge_task",
        "schedule": timedelta(days=1),
    },
}

# Discussion: posts are django-comments-xtd comments (`discussion.Post` extends
# `XtdComment`). comments-xtd copies these once at import: tests cannot override them.
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MODEL = "peer_support.discussion.models.Post"
COMMENTS_XTD_MAX_THREAD_LEVEL = 2  # a post, a reply, a reply to that reply
COMMENTS_XTD_CONFIRM_EMAIL = False
COMMENTS_XTD_THREADED_EMAILS = False  # mail goes through Celery
COMMENTS_XTD_LIST_ORDER = ("thread_id", "order")
# Rules the discussion reads; a space's discussion settings may tighten them.
DISCUSSION_EDIT_MINUTES = 15
DISCUSSION_PAGE_SIZE = 50  # top-level posts on one thread page
DISCUSSION_NEW_MEMBER_DAYS = 14
DISCUSSION_NEW_MEMBER_RATE = (3, 10 * 60)  # posts, seconds
DISCUSSION_PROBATION_POSTS = 3
DISCUSSION_FLAGS_TO_HIDE = 3
DISCUSSION_UNANSWERED_HOURS = 12
DISCUSSION_FLAGS_TO_HOLD_MEMBER = (5, 24 * 60 * 60)  # flags on their posts, seconds
# The last tier of escalation: a concern no lead has acknowledged goes here.
SAFEGUARDING_SERVICE_MANAGER_EMAIL = "service-manager@peer-support.invalid"
# Safeguarding staff confirm a one-time code (TOTP) before they reach any concern.
SAFEGUARDING_REQUIRE_OTP = True
OTP_TOTP_ISSUER = "Peer Support"

DEFAULT_FROM_EMAIL = "Peer Support <no-reply@peer-support.invalid>"

# Only our own origin: no CDN, no third-party scripts or styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
    }
}
# The Wagtail admin (editors and staff only) runs inline scripts and styles of its
# own: the page editor's choosers, inline panels and date pickers need them. Still
# only our own origin. `peer_site.middleware` picks this policy for these paths.
CONTENT_SECURITY_POLICY_ADMIN_PATHS = ("/admin/",)
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
    }
}
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_personal_data": {"()": "peer_site.logging.RedactPersonalDataFilter"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Background task runners log every task at INFO.
        "django.tasks": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "celery": {"level": "WARNING"},
    },
}
# Live-session chat: one message per member every few seconds (moderators and the
# host are not limited); the chat opens before the session; browsers poll this often;
# transcripts are erased this many days after their session (`manage.py chat_purge`).
CHAT_MESSAGE_SECONDS = 3
CHAT_OPENS_BEFORE_MINUTES = 15
CHAT_POLL_MILLISECONDS = 1500
CHAT_TRANSCRIPT_RETENTION_DAYS = 365
