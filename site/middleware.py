"""Site-wide response policies: which Content-Security-Policy, and no caching of
anything shown to a signed-in member."""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings


class SitePolicyCSPMiddleware(CSPMiddleware):
    """The strict policy everywhere, and the admin's own under its paths.

    A view may still set its own policy with django-csp's decorators.
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(
                settings.CONTENT_SECURITY_POLICY_ADMIN_PATHS
            )
        ):
            parts.config = default_config(
                settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
            )
        return parts


class PrivateCacheMiddleware:
    """A page shown to a signed-in member may hold their email, answers or a secret
    link: no browser or proxy may keep it, so a shared computer shows nothing to the
    next person."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        return response
