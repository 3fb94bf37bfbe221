from django import forms
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from guichet.forms import IsoDateField, IsoDateInput
from referrals.models import Referral, StaffPreferences, new_client_code

# The nationalities the desk meets most are listed first, then every country.
FREQUENT_NATIONALITIES = 10


class StrictForm:
    """Refuse a submission carrying fields the form does not know: a forged POST."""

    allowed_extra = {"csrfmiddlewaretoken"}

    def unknown_fields(self) -> set[str]:
        if not self.is_bound:
            return set()
        return set(self.data.keys()) - set(self.fields) - self.allowed_extra


def nationality_choices() -> list:
    """The desk's ten most frequent nationalities, then all countries (one query)."""
    frequent = list(
        Referral.objects.exclude(nationality="")
        .values_list("nationality")
        .annotate(n=Count("pk"))
        .order_by("-n", "nationality")
        .values_list("nationality", flat=True)[:FREQUENT_NATIONALITIES]
    )
    names = dict(countries)
    everyone = sorted(names.items(), key=lambda item: item[1])
    choices: list = [("", "---------")]
    if frequent:
        choices.append(
            (_("Most frequent at the desk"), [(code, names.get(code, code)) for code in frequent])
        )
        choices.append((_("All countries"), everyone))
    else:
        choices.extend(everyone)
    return choices


class ReferralForm(StrictForm, forms.ModelForm):
    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    service = forms.SlugField(widget=forms.HiddenInput)
    # Shown only when the desk referred someone to the same service minutes ago.
    repeat_confirmed = forms.BooleanField(
        label=_("Yes, this is another referral: record it"), required=False
    )

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
            "follow_up_on": IsoDateInput,
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
        self.fields["follow_up_on"] = IsoDateField(
            label=self.fields["follow_up_on"].label, required=False
        )
        self.fields["need_category"].empty_label = None
        self.fields["nationality"].choices = nationality_choices()

    def clean_client_code(self) -> str:
        return self.cleaned_data["client_code"].strip().upper()


class TransitionForm(StrictForm, forms.Form):
    # Any status parses; the workflow refuses the moves the rules do not allow.
    to_status = forms.ChoiceField(choices=Referral.Status.choices)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    # Any text parses; the workflow refuses a code that is not in the list.
    reason = forms.CharField(max_length=20, required=False)
    # Set by the confirmation page that a cancellation must go through.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Reason or note"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FollowUpForm(StrictForm, forms.Form):
    follow_up_on = IsoDateField(label=_("Follow up on"), required=False)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class PreferencesForm(StrictForm, forms.ModelForm):
    class Meta:
        model = StaffPreferences
        fields = ["language", "email_notifications"]
