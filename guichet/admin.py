from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

admin.site.site_header = _("Guichet administration")
admin.site.site_title = _("Guichet administration")
admin.site.index_title = _("Catalogue, accounts and referrals")

# django-otp's own admin pages show each authenticator's secret key (and a QR code of it)
# and the recovery codes in clear: nobody may read them, so they are not in the admin.
# A second factor is reset by a holder of "manage staff access" from the account's page.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
