from django.urls import path

from referrals import stats_views

app_name = "stats"

urlpatterns = [
    path("", stats_views.stats, name="index"),
    path("export/<slug:table>.csv", stats_views.stats_export, name="export"),
]
