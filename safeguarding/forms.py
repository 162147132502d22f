from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peer_support.accounts.models import User
from peer_support.accounts.roles import PEER_WORKER, SAFEGUARDING_LEAD
from peer_support.spaces.models import SpacePage

from .models import Outcome
from .services import ChecklistStep
from .severity import Severity


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "---------"), *Outcome.choices]
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class ChecklistForm(forms.Form):
    step = forms.ChoiceField(
        label=_("Step"), choices=list(ChecklistStep.LABELS.items())
    )
    detail = forms.CharField(
        label=_("Details (who, how, why not)"), required=False, max_length=5000
    )


class GlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need their contact details now?"), max_length=5000
    )


def staff_who_may_own():
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name=PEER_WORKER) | Q(groups__name=SAFEGUARDING_LEAD))
        .distinct()
        .order_by("pseudonym")
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.pseudonym


class AssignForm(forms.Form):
    owner = StaffChoiceField(label=_("Give to"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_who_may_own()


class RaiseForm(forms.Form):
    WHERE = [
        ("post", _("A post or message")),
        ("meeting", _("Something said in a group meeting")),
        ("other", _("Somewhere else")),
    ]
    pseudonym = forms.CharField(label=_("Member's pseudonym"), max_length=150)
    severity = forms.TypedChoiceField(
        label=_("How serious"),
        coerce=int,
        choices=[c for c in Severity.choices if c[0] > Severity.NONE],
    )
    space = forms.ModelChoiceField(
        label=_("Group or course"),
        queryset=SpacePage.objects.order_by("title"),
        required=False,
    )
    where = forms.ChoiceField(label=_("Where"), choices=WHERE)
    content = forms.CharField(
        label=_("What was said, and what worried you"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )

    def clean_pseudonym(self):
        pseudonym = self.cleaned_data["pseudonym"].strip()
        member = User.objects.filter(pseudonym__iexact=pseudonym).first()
        if member is None:
            raise forms.ValidationError(_("No member has that pseudonym."))
        self.member = member
        return pseudonym
