"""Refusals about membership, on the project's one error base."""

from peer_support.errors import ServiceError


class MembershipError(ServiceError):
    """A request about membership that cannot be done; `message` is for the person."""


class SpaceFull(MembershipError):
    """No place (or no place for this role) right now; the waiting list is open."""
