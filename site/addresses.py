"""The site's own address, for links that leave the request: emails above all.

`WAGTAILADMIN_BASE_URL` is set per environment (the dev server's address under
`make run`, the public address in production); Wagtail's default `Site` is the
fallback. Django's sites framework (`example.com` until someone edits it) is never
used.
"""

from django.conf import settings


def site_base_url() -> str:
    base = (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").strip()
    if base:
        return base.rstrip("/")
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else ""


def absolute_url(path: str) -> str:
    """`path` (from `reverse` or a page's relative URL) on the site's address."""
    return f"{site_base_url()}/{path.lstrip('/')}"
