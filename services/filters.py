"""The catalogue's filters: every GET parameter of /<lang>/services/."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from guichet.choices import choices
from guichet.filtering import FilterSet
from services.models import Audience, Service, city_now
from services.search import MAX_QUERY_LENGTH


class FlagInput(forms.CheckboxInput):
    """A checkbox sent as ``name=1``; only 1/true/on/yes count as ticked."""

    def __init__(self, attrs=None):
        super().__init__({"value": "1", **(attrs or {})})

    def value_from_datadict(self, data, files, name) -> bool:
        return str(data.get(name, "")).strip().lower() in {"1", "true", "on", "yes"}


_audiences = choices("services.Audience", "slug")


def audience_choices() -> list[tuple[str, str]]:
    """The audiences a visitor can pick. "Everyone" is not one of them: it is what the
    empty choice means, and a service open to everyone is found whoever one picks."""
    return [(slug, name) for slug, name in _audiences() if slug != Audience.EVERYONE]


class ServiceFilter(FilterSet):
    # The search itself runs in the view, on the filtered services: it decides the
    # order, and may go on with services that match some of the words.
    q = django_filters.CharFilter(
        method="searched_in_view",
        label=_("What do you need?"),
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    category = django_filters.ChoiceFilter(
        field_name="categories__slug",
        label=_("Category"),
        choices=choices("services.Category", "slug"),
        empty_label=_("All categories"),
    )
    language = django_filters.ChoiceFilter(
        field_name="languages__code",
        label=_("Language spoken"),
        choices=choices("services.Language", "code"),
        empty_label=_("Any language"),
    )
    district = django_filters.ChoiceFilter(
        field_name="location__district__slug",
        label=_("District"),
        choices=choices("associations.District", "slug"),
        empty_label=_("All districts"),
    )
    audience = django_filters.ChoiceFilter(
        method="filter_audience",
        label=_("For whom"),
        choices=audience_choices,
        empty_label=_("Everyone"),
    )
    free = django_filters.BooleanFilter(
        method="filter_flag", label=_("Free of charge"), widget=FlagInput
    )
    open_now = django_filters.BooleanFilter(
        method="filter_flag", label=_("Open now"), widget=FlagInput
    )
    no_id = django_filters.BooleanFilter(
        method="filter_flag", label=_("No identity document needed"), widget=FlagInput
    )
    # Set by the "search for … instead" link: the words as typed, not corrected.
    exact = django_filters.BooleanFilter(
        method="searched_in_view", label=_("Search the words as typed"), widget=FlagInput
    )

    class Meta:
        model = Service
        fields: list[str] = []

    def searched_in_view(self, queryset, name, value):
        return queryset

    def filter_audience(self, queryset, name, value):
        serves = Service.audiences.through.objects.filter(
            service=OuterRef("pk"), audience__slug__in=[value, Audience.EVERYONE]
        )
        return queryset.filter(Exists(serves))

    def filter_flag(self, queryset, name, value):
        if not value:
            return queryset
        if name == "free":
            return queryset.filter(is_free=True)
        if name == "no_id":
            return queryset.filter(no_id_needed=True)
        return queryset.open_at(city_now())
