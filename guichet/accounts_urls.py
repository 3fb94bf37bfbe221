"""Staff log-in, its second factor and log-out, under /<lang>/accounts/."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.decorators.cache import never_cache

from guichet import twofactor_views

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        never_cache(
            auth_views.LoginView.as_view(
                template_name="accounts/login.html", redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", twofactor_views.overview, name="two_factor"),
    path("two-factor/set-up/", twofactor_views.setup, name="two_factor_setup"),
    path("two-factor/code/", twofactor_views.verify, name="two_factor_verify"),
    path("two-factor/recovery-codes/", twofactor_views.recovery_codes, name="recovery_codes"),
    path(
        "two-factor/recovery-codes/new/",
        twofactor_views.new_recovery_codes,
        name="new_recovery_codes",
    ),
]
