from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from guichet import views
from services import views as services_views
from services.hsds import views as hsds_views

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
    path("api/hsds/docs/", hsds_views.docs, name="hsds_docs"),
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "guichet.views.server_error"
