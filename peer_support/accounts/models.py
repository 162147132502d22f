from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A member. Others only ever see the pseudonym.

    The email address is private contact data (login, password reset, notices); the
    optional first and last names are for staff records and certificates, never for
    other members.
    """

    username = None
    email = models.EmailField(_("email address"), unique=True)
    pseudonym = models.CharField(
        _("pseudonym"),
        max_length=30,
        help_text=_("The only name other members see."),
    )
    terms_version = models.CharField(_("terms version accepted"), max_length=20)
    terms_accepted_at = models.DateTimeField(_("terms accepted at"), null=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["pseudonym"]

    objects = UserManager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                Lower("pseudonym"), name="user_pseudonym_unique_ci"
            ),
        ]

    def __str__(self):
        return self.pseudonym

    # Wagtail and Django show `get_full_name()` (or else the email) wherever the
    # admin names a user: page history, revisions, filters, user lists. Staff see each
    # other by pseudonym too; the names themselves are `real_name()`.
    def get_full_name(self) -> str:
        return self.pseudonym

    def get_short_name(self) -> str:
        return self.pseudonym

    def real_name(self) -> str:
        """First and last name, for staff records and certificates; may be empty."""
        return f"{self.first_name} {self.last_name}".strip()
