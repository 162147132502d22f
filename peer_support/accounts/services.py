from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import User
from .tasks import send_welcome_email_task


@transaction.atomic
def member_register(*, email: str, pseudonym: str, password: str) -> User:
    """Create a member who has consented to the current terms.

    Callers validate input with `RegistrationForm`; the database constraints catch a
    race on the same email or pseudonym.
    """
    user = User(
        email=User.objects.normalize_email(email).lower(),
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
