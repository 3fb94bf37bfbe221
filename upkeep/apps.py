from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UpkeepConfig(AppConfig):
    name = "upkeep"
    verbose_name = _("Catalogue upkeep")

    def ready(self) -> None:
        # The catalogue's health over time joins the admins' statistics page; referrals
        # lists the section without importing upkeep.
        from referrals.statistics import ADMIN_SECTIONS
        from upkeep.statistics import stats_section

        if stats_section not in ADMIN_SECTIONS:
            ADMIN_SECTIONS.append(stats_section)
