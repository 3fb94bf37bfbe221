from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from guichet import views
from services import views as services_views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/hsds/", include("services.hsds.urls")),
]

urlpatterns += i18n_patterns(
    path("", services_views.home, name="home"),
    path("", include("upkeep.urls")),
    path("services/", include("services.urls")),
    path("associations/", include("associations.urls")),
    path("desk/", include("referrals.urls")),
    path("stats/", include("referrals.stats_urls")),
    path("accounts/", include("guichet.accounts_urls")),
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "guichet.views.server_error"
