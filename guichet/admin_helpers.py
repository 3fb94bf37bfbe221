"""Admin helpers shared by the apps: freshness and translation completeness."""

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Q
from django.forms import Script
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin
from modeltranslation.translator import translator

from guichet.freshness import stale_threshold

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
DEFAULT_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def translated_fields(model) -> list[str]:
    return list(translator.get_options_for_model(model).fields)


def missing_languages(obj) -> list[str]:
    """Return the languages in which some field of ``obj`` that has text elsewhere is empty.

    Reads only the loaded fields: no query.
    """
    missing = []
    for code in LANGUAGE_CODES:
        for field in translated_fields(type(obj)):
            values = [getattr(obj, f"{field}_{other}", "") or "" for other in LANGUAGE_CODES]
            if any(values) and not (getattr(obj, f"{field}_{code}", "") or ""):
                missing.append(code)
                break
    return missing


class MissingLanguageFilter(admin.SimpleListFilter):
    """Records with a field written in the default language but empty in another one."""

    title = _("missing translation")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [(code, name) for code, name in settings.LANGUAGES if code != DEFAULT_LANGUAGE]

    def queryset(self, request, queryset):
        code = self.value()
        if code not in LANGUAGE_CODES:
            return queryset
        condition = Q()
        for field in translated_fields(queryset.model):
            empty = Q(**{f"{field}_{code}": ""}) | Q(**{f"{field}_{code}__isnull": True})
            written = ~Q(**{f"{field}_{DEFAULT_LANGUAGE}": ""}) & Q(
                **{f"{field}_{DEFAULT_LANGUAGE}__isnull": False}
            )
            condition |= empty & written
        return queryset.filter(condition)


class StaleFilter(admin.SimpleListFilter):
    """Records not verified in the last six months (or never), and those due for review
    (``guichet.freshness``: their association is reminded)."""

    title = _("freshness")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Not verified for 6 months")),
            (
                "due",
                _("Due for review: not verified for %(months)d months")
                % {"months": settings.VERIFY_AFTER_MONTHS},
            ),
            ("no", _("Verified in the last 6 months")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.stale()
        if self.value() == "due":
            return queryset.due_for_review()
        if self.value() == "no":
            return queryset.exclude(pk__in=queryset.stale().values("pk"))
        return queryset


class TranslatedAdmin(TabbedTranslationAdmin):
    """One tab per language for each translated field, opening on the required language
    (``MODELTRANSLATION_DEFAULT_LANGUAGE``, French) rather than on the admin's interface
    language: the required text is the one to write first."""

    class Media:
        js = [Script("admin/guichet-tabs.js", **{"data-language": DEFAULT_LANGUAGE})]


class CurationAdminMixin:
    """Freshness and translation columns, and the "mark verified today" action."""

    actions = ["mark_verified_today"]

    class Media:
        css = {"all": ["admin/guichet-admin.css"]}

    @admin.display(description=_("last verified"), ordering="last_verified_on")
    def verified(self, obj):
        """The date in one short format; a record created within the freshness window
        and not verified since is "not verified yet", not stale."""
        if obj.last_verified_on is None and (
            obj.created_at is None or timezone.localdate(obj.created_at) >= stale_threshold()
        ):
            return format_html('<span class="unverified-badge">{}</span>', _("not verified yet"))
        label = (
            date_format(obj.last_verified_on, "SHORT_DATE_FORMAT")
            if obj.last_verified_on
            else _("never")
        )
        if obj.is_stale:
            return format_html('<span class="stale-badge">{} — {}</span>', label, _("stale"))
        return label

    @admin.display(description=_("missing languages"))
    def missing_translations(self, obj):
        missing = missing_languages(obj)
        if not missing:
            return "✓"
        return format_html('<span class="missing-languages">{}</span>', ", ".join(missing))

    @admin.action(description=_("Mark verified today"))
    def mark_verified_today(self, request, queryset):
        values = {"last_verified_on": timezone.localdate()}
        if hasattr(queryset.model, "is_verified"):
            values["is_verified"] = True
        count = queryset.update(**values)
        self.message_user(
            request,
            ngettext(
                "%(count)d record marked verified today.",
                "%(count)d records marked verified today.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
