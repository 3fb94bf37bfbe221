from django import forms
from django.utils.translation import gettext_lazy as _

from referrals.models import Referral, new_client_code


class StrictForm:
    """Refuse a submission carrying fields the form does not know: a forged POST."""

    allowed_extra = {"csrfmiddlewaretoken"}

    def unknown_fields(self) -> set[str]:
        if not self.is_bound:
            return set()
        return set(self.data.keys()) - set(self.fields) - self.allowed_extra


class ReferralForm(StrictForm, forms.ModelForm):
    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    service = forms.SlugField(widget=forms.HiddenInput)

    class Meta:
        model = Referral
        fields = [
            "client_code",
            "age_band",
            "gender",
            "nationality",
            "preferred_language",
            "need_category",
            "urgency",
            "consent_given",
            "consent_override_reason",
            "notes",
            "follow_up_on",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
            "follow_up_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "client_code": forms.TextInput(
                attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
            ),
        }
        help_texts = {
            "client_code": _(
                "A code, never a name or an ID number. Keep the person's code if they have one."
            ),
            "consent_override_reason": _(
                "Only when the person cannot consent now, e.g. an emergency. This is logged."
            ),
            "notes": _(
                "What the association needs to know to help. Never write ID numbers, "
                "legal status or health details."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_code"].required = True
        self.fields["client_code"].initial = new_client_code()
        self.fields["gender"].required = False
        self.fields["nationality"].required = False
        self.fields["follow_up_on"].required = False
        self.fields["need_category"].empty_label = None

    def clean_client_code(self) -> str:
        return self.cleaned_data["client_code"].strip().upper()


class TransitionForm(StrictForm, forms.Form):
    # Any status parses; the workflow refuses the moves the rules do not allow.
    to_status = forms.ChoiceField(choices=Referral.Status.choices)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Reason or note"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FollowUpForm(StrictForm, forms.Form):
    follow_up_on = forms.DateField(
        label=_("Follow up on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
