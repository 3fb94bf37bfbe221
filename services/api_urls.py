from django.urls import path

from services import api

app_name = "hsds"

urlpatterns = [
    path("", api.about, name="about"),
    path("tabular.zip", api.tabular, name="tabular"),
    path("services", api.services, name="services"),
    path("services/<str:identifier>", api.service_detail, name="service"),
    path("organizations", api.organizations, name="organizations"),
    path("organizations/<str:identifier>", api.organization_detail, name="organization"),
    path("service_at_locations", api.service_at_locations, name="service_at_locations"),
    path(
        "service_at_locations/<str:identifier>",
        api.service_at_location_detail,
        name="service_at_location",
    ),
    path("taxonomies", api.taxonomies, name="taxonomies"),
    path("taxonomies/<str:identifier>", api.taxonomy_detail, name="taxonomy"),
    path("taxonomy_terms", api.taxonomy_terms, name="taxonomy_terms"),
    path("taxonomy_terms/<str:identifier>", api.taxonomy_term_detail, name="taxonomy_term"),
]
