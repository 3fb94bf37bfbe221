from django.urls import path

from referrals import views

app_name = "desk"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("refer/", views.refer, name="referral_create"),
    path("referrals/<str:reference>/", views.referral_detail, name="referral_detail"),
    path("referrals/<str:reference>/status/", views.referral_change_status, name="referral_status"),
    path(
        "referrals/<str:reference>/follow-up/", views.referral_follow_up, name="referral_follow_up"
    ),
    path("referrals/<str:reference>/slip/", views.referral_slip, name="referral_slip"),
]
