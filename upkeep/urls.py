"""Mounted at the root of each language: the public report page sits beside the service
page it is about, the staff pages inside the staff area (/desk/)."""

from django.urls import path

from upkeep import views

app_name = "upkeep"

urlpatterns = [
    path("services/<slug:slug>/report/", views.report_problem, name="report_problem"),
    path(
        "services/<slug:slug>/report/sent/",
        views.report_problem_sent,
        name="report_problem_sent",
    ),
    path("desk/our-services/", views.our_services, name="our_services"),
    path(
        "desk/our-services/<slug:slug>/still-correct/",
        views.confirm_service,
        name="confirm_service",
    ),
    path("desk/our-services/new/", views.propose_new, name="propose_new"),
    path("desk/our-services/<slug:slug>/change/", views.propose_change, name="propose_change"),
    path("desk/our-services/<slug:slug>/close/", views.propose_close, name="propose_close"),
    path(
        "desk/our-services/association/<slug:slug>/change/",
        views.propose_association,
        name="propose_association",
    ),
    path("desk/our-services/places/new/", views.propose_new_location, name="propose_new_location"),
    path(
        "desk/our-services/places/<int:pk>/change/",
        views.propose_location,
        name="propose_location",
    ),
    path("desk/reports/", views.reports, name="reports"),
    path("desk/reports/<int:pk>/close/", views.close_report, name="close_report"),
]
