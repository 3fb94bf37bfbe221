from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Guichet administration")
admin.site.site_title = _("Guichet administration")
admin.site.index_title = _("Catalogue, accounts and referrals")
