from django.conf import settings
from django.db import transaction
from django.utils import timezone

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
    user.pseudonym = pseudonym.strip()
    user.save(update_fields=["pseudonym"])
    return user


@transaction.atomic
def member_delete(*, user: User) -> None:
    """Erase the account and the contact data it holds."""
    user.delete()
