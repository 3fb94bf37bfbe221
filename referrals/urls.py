from django.urls import path, register_converter

from referrals import views


class ReferenceConverter:
    """A referral reference such as R-7K3M9Q (any case); anything else is a 404."""

    regex = "[Rr]-[A-Za-z0-9]{6}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


class ClientCodeConverter:
    """A client code (any case); the view checks it further."""

    regex = "[A-Za-z0-9-]{4,20}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "reference")
register_converter(ClientCodeConverter, "client_code")

app_name = "desk"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("refer/", views.refer, name="referral_create"),
    path("referrals/<reference:reference>/", views.referral_detail, name="referral_detail"),
    path(
        "referrals/<reference:reference>/status/",
        views.referral_change_status,
        name="referral_status",
    ),
    path(
        "referrals/<reference:reference>/follow-up/",
        views.referral_follow_up,
        name="referral_follow_up",
    ),
    path("referrals/<reference:reference>/slip/", views.referral_slip, name="referral_slip"),
    path("referrals/<reference:reference>/cancel/", views.referral_cancel, name="referral_cancel"),
    path("people/<client_code:client_code>/", views.client, name="client"),
    path("preferences/", views.preferences, name="preferences"),
]
