"""One error base for every refusal a service makes, and the one list of errors a task
may retry.

A refusal (full, not allowed, bad input) is a decision: it is raised as a `ServiceError`
subclass whose `message` is written for the person, and a task never retries it.
Only trouble reaching another system (mail server, broker, network) is worth retrying;
`TRANSPORT_ERRORS` names it once for every task.
"""

import smtplib

from kombu.exceptions import OperationalError as BrokerError


class ServiceError(Exception):
    """A request a service refuses; `message` is shown to the person as it is."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class NotAllowed(ServiceError):
    """The person may not do this here (a policy decision, not a bug)."""


# Deliberately not OSError: PermissionError and FileNotFoundError are OSErrors too, and
# retrying them only repeats a refusal.
TRANSPORT_ERRORS = (
    ConnectionError,
    TimeoutError,
    smtplib.SMTPException,
    BrokerError,
)
