from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from guichet.admin_helpers import CurationAdminMixin, MissingLanguageFilter, StaleFilter
from services.models import Audience, Category, Language, OpeningHours, Service


class HoursFilter(admin.SimpleListFilter):
    title = _("opening hours")
    parameter_name = "hours"

    def lookups(self, request, model_admin):
        return [("none", _("No opening hours")), ("some", _("Has opening hours"))]

    def queryset(self, request, queryset):
        listed = Exists(OpeningHours.objects.filter(service=OuterRef("pk")))
        if self.value() == "none":
            return queryset.filter(~listed)
        if self.value() == "some":
            return queryset.filter(listed)
        return queryset


class OpeningHoursInline(TranslationTabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Service)
class ServiceAdmin(CurationAdminMixin, TabbedTranslationAdmin):
    list_display = [
        "name",
        "association",
        "district",
        "status",
        "is_free",
        "verified",
        "missing_translations",
    ]
    list_filter = [
        "status",
        "categories",
        "location__district",
        StaleFilter,
        MissingLanguageFilter,
        HoursFilter,
        "is_free",
        "no_id_needed",
        "access",
    ]
    list_select_related = ["association", "location__district"]
    search_fields = [
        "name_fr",
        "name_ar",
        "name_es",
        "name_en",
        "slug",
        "association__name_fr",
        "association__name_ar",
    ]
    prepopulated_fields = {"slug": ["name_fr"]}
    autocomplete_fields = ["association", "location"]
    readonly_fields = ["uuid", "created_at", "updated_at"]
    inlines = [OpeningHoursInline]
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    fieldsets = [
        (None, {"fields": ["association", "location", "name", "slug", "summary", "description"]}),
        (_("Classification"), {"fields": ["categories", "audiences", "languages"]}),
        (
            "Access",
            {
                "fields": [
                    "eligibility",
                    "required_documents",
                    "access",
                    "is_free",
                    "fees",
                    "no_id_needed",
                    "any_status_accepted",
                ]
            },
        ),
        (_("Contact"), {"fields": ["phone", "email", "whatsapp"]}),
        (_("Status"), {"fields": ["status", "last_verified_on"]}),
        (_("Record"), {"fields": ["uuid", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("district"), ordering="location__district")
    def district(self, obj):
        return obj.location.district if obj.location and obj.location.district else "—"


@admin.register(Category)
class CategoryAdmin(TabbedTranslationAdmin):
    list_display = ["name", "icon", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name_fr", "name_ar", "name_es", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_fr"]}


@admin.register(Audience)
class AudienceAdmin(TabbedTranslationAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name_fr", "slug"]
    prepopulated_fields = {"slug": ["name_fr"]}


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]
    list_editable = ["position"]
    search_fields = ["name", "code"]
