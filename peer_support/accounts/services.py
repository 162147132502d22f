from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.errors import ServiceError

from .models import User
from .tasks import registration_attempt_notify_task, send_welcome_email_task


@transaction.atomic
def member_register(*, email: str, pseudonym: str, password: str) -> User | None:
    """Create a member who has consented to the current terms.

    When the email already has an account nothing is created and its owner is told by
    email; the caller answers the same either way, so registration never reveals who
    has an account. Callers validate input with `RegistrationForm`; the database
    constraints catch a race on the same email or pseudonym.
    """
    email = User.objects.normalize_email(email).lower()
    owner = User.objects.filter(email__iexact=email).first()
    if owner is not None:
        owner_id = owner.pk
        transaction.on_commit(lambda: registration_attempt_notify_task.delay(owner_id))
        return None
    user = User(
        email=email,
        pseudonym=pseudonym.strip(),
        terms_version=settings.TERMS_VERSION,
        terms_accepted_at=timezone.now(),
    )
    user.set_password(password)
    user.save()
    transaction.on_commit(lambda: send_welcome_email_task.delay(user.pk))
    return user


@transaction.atomic
def member_change_pseudonym(*, user: User, pseudonym: str) -> User:
    from safeguarding.services import content_screen

    user.pseudonym = pseudonym.strip()
    user.save(update_fields=["pseudonym"])
    # A lower risk is let through and told to the peer worker on duty.
    content_screen(author=user, text=user.pseudonym, content_ref="pseudonym")
    return user


class ErasureRefused(ServiceError):
    """The account still carries duties that must be handed over first."""


@transaction.atomic
def member_delete(*, user: User) -> None:
    """Erase the account, its contact data and every record that names the person.

    Memberships, notices, eligibility answers and attendance go with the account.
    Membership and shift history does not: it is append-only, and the database
    clears only its links to the person (shown afterwards as "former member"),
    keeping what happened in which space, when, and why. A peer worker's shift
    assignments are protected records of who covered what; while any exist the
    erasure is refused with a message, and nothing is removed.
    """
    try:
        user.delete()
    except ProtectedError as error:
        apps = {obj._meta.app_label for obj in error.protected_objects}
        if "safeguarding" in apps:
            raise ErasureRefused(
                _(
                    "Your account can't be deleted yet, because our safeguarding "
                    "team keeps a record of times we were worried about your "
                    "wellbeing, and has to keep it for a while. Please contact us "
                    "and a safeguarding lead will talk it through with you."
                )
            ) from error
        raise ErasureRefused(
            _(
                "Your account can't be deleted yet because it holds rota shifts. "
                "Please ask a rota coordinator to hand them over, then try again."
            )
        ) from error
