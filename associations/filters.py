import django_filters
from django.apps import apps
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from associations.models import Association, Location
from guichet.choices import choices
from guichet.filtering import FilterSet


class AssociationFilter(FilterSet):
    category = django_filters.ChoiceFilter(
        method="filter_category",
        label=_("Category"),
        choices=choices("services.Category", "slug"),
        empty_label=_("All categories"),
    )
    district = django_filters.ChoiceFilter(
        method="filter_district",
        label=_("District"),
        choices=choices("associations.District", "slug"),
        empty_label=_("All districts"),
    )

    class Meta:
        model = Association
        fields: list[str] = []

    def filter_category(self, queryset, name, value):
        service = apps.get_model("services", "Service")
        offered = service.objects.active().filter(
            association=OuterRef("pk"), categories__slug=value
        )
        return queryset.filter(Exists(offered))

    def filter_district(self, queryset, name, value):
        located = Location.objects.filter(association=OuterRef("pk"), district__slug=value)
        return queryset.filter(Exists(located))
