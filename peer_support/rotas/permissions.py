"""The rota's one permission policy.

Coordinating the rota (shifts, patterns, qualifications, coverage, fairness, approvals)
is one Django permission, `rotas.coordinate_rota`, which the role sync grants to the
coordinators' group. Asking for the permission rather than a group's name means
renaming the group in the admin changes nothing, and a user given the permission
directly (or a superuser) coordinates too. Every rota admin view, menu item and notice
asks this policy.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from .models import Shift

COORDINATE = "coordinate"
COORDINATE_PERMISSION = "rotas.coordinate_rota"


class RotaPermissionPolicy(BasePermissionPolicy):
    """Every action on a rota model (add, change, view, coordinate...) needs the
    coordinator permission; there is no finer grain on the rota."""

    def user_has_permission(self, user, action):
        # `has_perm` caches the user's permissions on the instance, so the admin may
        # ask once per row and button without a query each time.
        return bool(
            user.is_authenticated
            and user.is_active
            and user.has_perm(COORDINATE_PERMISSION)
        )

    def users_with_any_permission(self, actions):
        app_label, codename = COORDINATE_PERMISSION.split(".")
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        )
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(
                Q(is_superuser=True)
                | Q(user_permissions__in=permission)
                | Q(groups__permissions__in=permission)
            )
            .distinct()
        )


rota_policy = RotaPermissionPolicy(Shift)


def may_coordinate(user) -> bool:
    return rota_policy.user_has_permission(user, COORDINATE)


def coordinators():
    """Active users who coordinate the rota (for notices)."""
    return rota_policy.users_with_any_permission([COORDINATE])
