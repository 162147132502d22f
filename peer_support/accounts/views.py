from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peer_support.errors import ServiceError

from .forms import AccountDeleteForm, LoginForm, PseudonymChangeForm, RegistrationForm
from .services import member_change_pseudonym, member_delete, member_register


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("profile")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = member_register(
            email=form.cleaned_data["email"],
            pseudonym=form.cleaned_data["pseudonym"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome, %(pseudonym)s. You're signed in.")
            % {"pseudonym": user.pseudonym},
        )
        return redirect("profile")
    return render(request, "accounts/register.html", {"form": form})


class MemberLoginView(LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


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
