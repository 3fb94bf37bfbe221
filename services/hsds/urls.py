from django.urls import path, re_path

from services.hsds import views

app_name = "hsds"

urlpatterns = [
    path("", views.about, name="about"),
    path("tabular.zip", views.tabular, name="tabular"),
    path("services", views.services, name="services"),
    path("services/<str:identifier>", views.service_detail, name="service"),
    path("organizations", views.organizations, name="organizations"),
    path("organizations/<str:identifier>", views.organization_detail, name="organization"),
    path("service_at_locations", views.service_at_locations, name="service_at_locations"),
    path(
        "service_at_locations/<str:identifier>",
        views.service_at_location_detail,
        name="service_at_location",
    ),
    path("taxonomies", views.taxonomies, name="taxonomies"),
    path("taxonomies/<str:identifier>", views.taxonomy_detail, name="taxonomy"),
    path("taxonomy_terms", views.taxonomy_terms, name="taxonomy_terms"),
    path("taxonomy_terms/<str:identifier>", views.taxonomy_term_detail, name="taxonomy_term"),
    path("openapi.json", views.openapi, name="openapi"),
    path("docs/", views.docs_in_language, name="docs"),
    re_path(r"^(?P<path>.*)$", views.not_found, name="not_found"),
]
