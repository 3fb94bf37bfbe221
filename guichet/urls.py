from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import path

from guichet import views
from services import views as services_views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", services_views.home, name="home"),
)
