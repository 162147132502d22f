"""The one safeguarding page members use: their own safety plan."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peer_support.errors import ServiceError

from . import services
from .models import SafetyPlan


class SafetyPlanForm(forms.Form):
    what_helps = forms.CharField(
        label=gettext_lazy("What helps me when things are hard"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    who_to_contact = forms.CharField(
        label=gettext_lazy("Who I'd like contacted, and how"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


@login_required
def safety_plan(request):
    plan = SafetyPlan.objects.filter(member=request.user).first()
    initial = (
        {"what_helps": plan.what_helps, "who_to_contact": plan.who_to_contact}
        if plan
        else {}
    )
    form = SafetyPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.safety_plan_save(member=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your safety plan is saved."))
            return redirect("safety_plan")
    return render(request, "safeguarding/safety_plan.html", {"form": form})
