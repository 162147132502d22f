from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordResetView
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peer_site.addresses import site_base_url
from peer_support.errors import ServiceError

from .forms import AccountDeleteForm, LoginForm, PseudonymChangeForm, RegistrationForm
from .lockout import failures_left
from .services import member_change_pseudonym, member_delete, member_register


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("profile")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member_register(
            email=form.cleaned_data["email"],
            pseudonym=form.cleaned_data["pseudonym"],
            password=form.cleaned_data["password1"],
        )
        # The same answer whether or not the email already had an account.
        messages.success(
            request,
            _(
                "Thank you. We've sent an email to %(email)s. Sign in below with that "
                "email address and the password you chose."
            )
            % {"email": form.cleaned_data["email"]},
        )
        return redirect("login")
    return render(request, "accounts/register.html", {"form": form})


class MemberLoginView(LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        if failures_left(self.request) == 1:
            form.add_error(
                None,
                _(
                    "One more try: after another wrong password, signing in to this "
                    "account from here pauses for 15 minutes. You can reset your "
                    "password instead."
                ),
            )
        return super().form_invalid(form)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = PseudonymChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        member_change_pseudonym(
            user=request.user, pseudonym=form.cleaned_data["pseudonym"]
        )
        messages.success(request, _("Your pseudonym has been changed."))
        return redirect("profile")
    if form.has_error("pseudonym", code="screened"):
        from safeguarding.services import content_screen

        content_screen(
            author=request.user,
            text=request.POST.get("pseudonym", ""),
            content_ref="pseudonym",
        )
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            member_delete(user=user)
        except ServiceError as refusal:
            form.add_error(None, refusal.message)
        else:
            logout(request)
            messages.info(request, _("Your account has been deleted. Take care."))
            return redirect("/")
    return render(request, "accounts/delete_account.html", {"form": form})


class MemberPasswordResetView(PasswordResetView):
    """Reset links carry the site's real address, never the sites framework's."""

    template_name = "accounts/password_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"

    def form_valid(self, form):
        self.extra_email_context = {"site_url": site_base_url()}
        return super().form_valid(form)
