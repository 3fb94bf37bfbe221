from django.urls import path

from associations import views

app_name = "associations"

urlpatterns = [
    path("", views.association_list, name="list"),
    path("<slug:slug>/", views.association_detail, name="detail"),
]
