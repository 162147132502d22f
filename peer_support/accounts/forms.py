from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from .models import User
from .validators import PSEUDONYM_MAX_LENGTH, validate_pseudonym


class PseudonymField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Pseudonym"))
        kwargs.setdefault(
            "help_text",
            _(
                "The only name other members will see. Choose one that doesn't "
                "identify you: not your real name, email or phone number."
            ),
        )
        super().__init__(
            max_length=PSEUDONYM_MAX_LENGTH + 20,
            validators=[validate_pseudonym],
            **kwargs,
        )

    def clean(self, value):
        return super().clean(value).strip()


class UniquePseudonymMixin:
    """Pseudonyms are unique regardless of case; a member may keep their own."""

    def pseudonym_owner_pk(self) -> int | None:
        return None

    def clean_pseudonym(self):
        pseudonym = self.cleaned_data["pseudonym"]
        others = User.objects.filter(pseudonym__iexact=pseudonym)
        if (owner_pk := self.pseudonym_owner_pk()) is not None:
            others = others.exclude(pk=owner_pk)
        if others.exists():
            raise forms.ValidationError(
                _("That pseudonym is already in use. Please choose another."),
                code="taken",
            )
        # Screened like anything else a member writes: a pseudonym everyone reads
        # should not carry risk. Refused warmly; the profile view tells a peer worker.
        from safeguarding.screening import screen

        if screen(pseudonym).held:
            raise forms.ValidationError(
                _(
                    "Please choose a different pseudonym: everyone in the groups will "
                    "see it. If you are going through a hard time right now, you "
                    "are not alone: the crisis lines at the bottom of this page are "
                    "there day and night."
                ),
                code="screened",
            )
        return pseudonym


class RegistrationForm(UniquePseudonymMixin, forms.Form):
    pseudonym = PseudonymField()
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_(
            "Private. Used only to sign in and to contact you, for example to reset "
            "your password. Other members never see it."
        ),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read and agree to the terms of use and privacy notice, including "
            "how information about my mental health is kept and used."
        ),
        error_messages={
            "required": _("Please tick to say you agree to the terms before joining.")
        },
    )

    def clean_email(self):
        # Whether the address has an account is never said here: the service tells
        # the address's owner by email instead.
        return self.cleaned_data["email"].lower()

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords don't match."))
        elif password1:
            candidate = User(
                email=cleaned.get("email", ""), pseudonym=cleaned.get("pseudonym", "")
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class PseudonymChangeForm(UniquePseudonymMixin, forms.Form):
    pseudonym = PseudonymField(label=_("New pseudonym"))

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def pseudonym_owner_pk(self) -> int:
        return self.user.pk


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("That password isn't right."), code="wrong_password"
            )
        return password


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class StaffUserCreationForm(UniquePseudonymMixin, UserCreationForm):
    """Wagtail's user form for staff, plus the pseudonym every member needs."""

    pseudonym = PseudonymField()

    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | {"pseudonym"}


class StaffUserEditForm(UniquePseudonymMixin, UserEditForm):
    pseudonym = PseudonymField()

    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | {"pseudonym"}

    def pseudonym_owner_pk(self) -> int:
        return self.instance.pk
