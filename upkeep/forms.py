from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.models import Category, Service, Weekday
from upkeep.models import REPORT_MAX_LENGTH, ProblemReport
from upkeep.proposals import ASSOCIATION, LANGUAGES, LOCATION, SERVICE, coordinate


class ProblemReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is wrong?"), choices=ProblemReport.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("What should it say? (optional)"),
        max_length=REPORT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": REPORT_MAX_LENGTH}),
        help_text=_(
            "At most 500 characters. Do not write your name, phone number or any personal "
            "details: this report is anonymous."
        ),
    )
    # A honeypot: hidden from people (and from screen readers), filled by robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)


class CloseReportForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("How was it handled?"), choices=ProblemReport.Resolution.choices
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)


# --- Proposals ----------------------------------------------------------------------

LONG_TEXT = 5000  # a description is a few paragraphs, never a book
SLOTS_PER_DAY = 2


class ProposalForm(forms.Form):
    """A record's public information, its texts in the four languages (French required).

    Each subclass names its ``shape`` (``upkeep.proposals``) and adds the plain fields;
    nothing the shape does not list (status, slug, association, verification, trust) is
    a field, so nothing else can be posted into a proposal.
    """

    shape = SERVICE

    message = forms.CharField(
        label=_("Message to the city (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
    )

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.association = association
        for field in self.shape.translated:
            model_field = self.shape.model._meta.get_field(field)
            for code in LANGUAGES:
                limit = model_field.max_length or LONG_TEXT
                attrs = {"maxlength": limit, "lang": code, "dir": "auto"}
                widget = (
                    forms.Textarea(attrs={"rows": 3, **attrs})
                    if isinstance(model_field, models.TextField)
                    else forms.TextInput(attrs=attrs)
                )
                # French is the required language: what the record needs, a form needs.
                self.fields[f"{field}_{code}"] = forms.CharField(
                    label=model_field.verbose_name,
                    max_length=limit,
                    required=code == "fr" and not model_field.blank,
                    initial=(model_field.get_default() or None) if code == "fr" else None,
                    widget=widget,
                )
        self.add_plain_fields()
        # The message last, after the record's fields.
        self.fields["message"] = self.fields.pop("message")

    def add_plain_fields(self) -> None:
        for name in self.shape.plain:
            field = self.shape.model._meta.get_field(name)
            # A website typed without a scheme is https:// (Django 6's default, as the admin).
            options = {"assume_scheme": "https"} if isinstance(field, models.URLField) else {}
            self.fields[name] = field.formfield(**options)

    @staticmethod
    def initial_from(values: dict) -> dict:
        return dict(values)

    def language_sections(self):
        """The translated fields, one section per language, French required."""
        names = dict(settings.LANGUAGES)
        return [
            {
                "code": code,
                "name": names[code],
                "fields": [self[f"{f}_{code}"] for f in self.shape.translated],
            }
            for code in LANGUAGES
        ]

    def shared_fields(self):
        """The fields that do not depend on the language."""
        return [self[name] for name in self.shape.plain]

    def values(self) -> dict:
        """The proposal's values, in the form ``upkeep.proposals`` stores them."""
        data = self.cleaned_data
        values = {}
        for name in self.shape.fields:
            value = data.get(name)
            if name == "categories":
                value = sorted(value or [])
            elif name in ("latitude", "longitude"):
                value = coordinate(value)
            elif isinstance(value, models.Model):
                value = value.pk
            elif isinstance(value, str):
                value = value.strip()
            values[name] = value
        return values


class AssociationProposalForm(ProposalForm):
    """The association's own name, description and contacts."""

    shape = ASSOCIATION


class LocationProposalForm(ProposalForm):
    """One of the association's places: its name, address and how to reach it."""

    shape = LOCATION

    def add_plain_fields(self) -> None:
        super().add_plain_fields()
        self.fields["district"].empty_label = _("No district")

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error("latitude", _("Give both latitude and longitude, or neither."))
        return cleaned


class ServiceProposalForm(ProposalForm):
    """A service's public information, in the four languages, with its week.

    The location and categories offered are the association's own and the catalogue's.
    """

    def add_plain_fields(self) -> None:
        association = self.association
        self.fields["categories"] = forms.MultipleChoiceField(
            label=_("Categories"),
            choices=[(c.slug, c.name) for c in Category.objects.order_by("position", "slug")],
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["location"] = forms.TypedChoiceField(
            label=_("Where"),
            choices=[("", _("No fixed place"))]
            + [(str(place.pk), place.name) for place in association.locations.all()],
            coerce=int,
            empty_value=None,
            required=False,
        )
        self.fields["access"] = forms.ChoiceField(
            label=Service._meta.get_field("access").verbose_name, choices=Service.Access.choices
        )
        for flag in ("is_free", "no_id_needed", "any_status_accepted"):
            self.fields[flag] = forms.BooleanField(
                label=Service._meta.get_field(flag).verbose_name, required=False
            )
        for contact in ("phone", "whatsapp"):
            self.fields[contact] = Service._meta.get_field(contact).formfield()
        self.fields["email"] = Service._meta.get_field("email").formfield()
        for day in range(7):
            for slot in range(SLOTS_PER_DAY):
                for end in ("opens", "closes"):
                    self.fields[f"h{day}_{slot}_{end}"] = forms.TimeField(
                        required=False,
                        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                        label=_("Opens") if end == "opens" else _("Closes"),
                    )

    @staticmethod
    def initial_from(values: dict) -> dict:
        initial = {name: value for name, value in values.items() if name != "hours"}
        per_day: dict[int, list] = {}
        for day, opens, closes in values.get("hours", []):
            per_day.setdefault(day, []).append((opens, closes))
        for day, slots in per_day.items():
            for index, (opens, closes) in enumerate(slots[:SLOTS_PER_DAY]):
                initial[f"h{day}_{index}_opens"] = opens
                initial[f"h{day}_{index}_closes"] = closes
        return initial

    def week(self):
        """The hours' fields by day, for the template."""
        return [
            {
                "label": label,
                "slots": [
                    (self[f"h{day}_{slot}_opens"], self[f"h{day}_{slot}_closes"])
                    for slot in range(SLOTS_PER_DAY)
                ],
            }
            for day, label in Weekday.choices
        ]

    def clean(self):
        cleaned = super().clean()
        hours = []
        for day in range(7):
            seen = set()
            for slot in range(SLOTS_PER_DAY):
                opens = cleaned.get(f"h{day}_{slot}_opens")
                closes = cleaned.get(f"h{day}_{slot}_closes")
                if opens is None and closes is None:
                    continue
                if opens is None or closes is None or opens == closes:
                    self.add_error(
                        f"h{day}_{slot}_opens",
                        _("Give both an opening and a closing time, and make them differ."),
                    )
                    continue
                if opens in seen:
                    self.add_error(
                        f"h{day}_{slot}_opens",
                        _("Two slots of one day cannot open at the same time."),
                    )
                    continue
                seen.add(opens)
                hours.append([day, opens.strftime("%H:%M"), closes.strftime("%H:%M")])
        cleaned["hours"] = sorted(hours)
        return cleaned


class CloseProposalForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Close the service"),
        choices=[
            ("temporarily", _("For a while: its page stays and says it is closed")),
            ("for_good", _("For good: it leaves the catalogue")),
        ],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Why, and until when? (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, sent to the person who proposed it"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )
