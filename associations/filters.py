import django_filters
from django.apps import apps
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from associations.models import Association, District, Location
from guichet.filtering import FilterSet


def _district_choices():
    return [(row.slug, str(row.name)) for row in District.objects.all()]


# The directory filters by the categories of an association's services. The services
# app depends on this one, not the reverse, so its models are looked up by name.
def _category_choices():
    category = apps.get_model("services", "Category")
    return [(row.slug, str(row.name)) for row in category.objects.all()]


class AssociationFilter(FilterSet):
    category = django_filters.ChoiceFilter(
        method="filter_category",
        label=_("Category"),
        choices=_category_choices,
        empty_label=_("All categories"),
    )
    district = django_filters.ChoiceFilter(
        method="filter_district",
        label=_("District"),
        choices=_district_choices,
        empty_label=_("All districts"),
    )

    class Meta:
        model = Association
        fields: list[str] = []

    def filter_category(self, queryset, name, value):
        service = apps.get_model("services", "Service")
        offered = service.objects.filter(
            association=OuterRef("pk"), status="active", categories__slug=value
        )
        return queryset.filter(Exists(offered))

    def filter_district(self, queryset, name, value):
        located = Location.objects.filter(association=OuterRef("pk"), district__slug=value)
        return queryset.filter(Exists(located))
