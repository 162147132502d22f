from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from peer_support.accounts.roles import PROFESSIONAL, has_role

from .models import JoinPolicy, SpacePage
from .selectors import current_rules_revision_id

QUESTION_PREFIX = "question_"


class JoinForm(forms.Form):
    """What a person needs to give to join this space: built from the live page (its
    policy, questions and ground rules) and who they are."""

    def __init__(self, *args, space: SpacePage, user, offer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.space = space
        self.questions = []
        if not offer and space.join_policy == JoinPolicy.INVITE:
            self.fields["invite_code"] = forms.CharField(
                label=_("Invite code"),
                max_length=64,
                help_text=_("The code a facilitator gave you."),
            )
        if not offer and space.join_policy == JoinPolicy.REQUEST:
            for question in space.eligibility_questions.order_by("sort_order"):
                self.questions.append(question)
                self.fields[f"{QUESTION_PREFIX}{question.pk}"] = forms.CharField(
                    label=question.text,
                    required=question.required,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
        if not offer and has_role(user, PROFESSIONAL):
            self.fields["as_professional"] = forms.BooleanField(
                label=_("I'm joining as a professional"),
                required=False,
                initial=True,
                help_text=_(
                    "Professionals carry a badge in the space, and their number is "
                    "capped so that service users are not outnumbered."
                ),
            )
        consent_text = getattr(space.specific, "consent_text", "")
        if consent_text:
            # Form templates (Django's and crispy's) print help text unescaped, and
            # this is an editor's words: escape them here.
            self.fields["consent"] = forms.BooleanField(
                label=_("I agree to the above"),
                required=True,
                help_text=escape(consent_text),
            )
        if current_rules_revision_id(space=space) is not None:
            self.fields["accept_rules"] = forms.BooleanField(
                label=_("I have read the ground rules and agree to keep them"),
                required=True,
            )

    def answers(self) -> dict[int, str]:
        return {
            question.pk: self.cleaned_data.get(f"{QUESTION_PREFIX}{question.pk}", "")
            for question in self.questions
        }


class RulesAcceptForm(forms.Form):
    accept_rules = forms.BooleanField(
        label=_("I have read the updated ground rules and agree to keep them"),
        required=True,
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the member reads this)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    days = forms.IntegerField(
        label=_("Days"), required=False, min_value=1, max_value=365, initial=7
    )


class InviteForm(forms.Form):
    days_valid = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=90, initial=14
    )


class WaitlistChoiceForm(forms.Form):
    """The "Join the waiting list" button beside the join form: "1" or nothing."""

    waitlist = forms.ChoiceField(
        choices=[("", _("Join now")), ("1", _("Join the waiting list"))],
        required=False,
    )

    def wants_waitlist(self) -> bool:
        return self.is_valid() and self.cleaned_data["waitlist"] == "1"


MAX_ID = 2**63 - 1  # the largest primary key the database holds


class NoticeReadForm(forms.Form):
    notice = forms.IntegerField(min_value=1, max_value=MAX_ID)
