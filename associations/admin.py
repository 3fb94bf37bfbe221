from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline

from associations.models import Association, District, Location, Membership
from guichet.admin_helpers import (
    CurationAdminMixin,
    MissingLanguageFilter,
    StaleFilter,
    TranslatedAdmin,
)


class LocationInline(TranslationStackedInline):
    model = Location
    extra = 0
    autocomplete_fields = ["district"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    verbose_name = _("staff member")
    verbose_name_plural = _("staff members (association staff accounts)")

    # Read-only here: a Membership gives access to referral data, so it is added and
    # removed on its own admin page, where the rules of staff access apply.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Association)
class AssociationAdmin(CurationAdminMixin, TranslatedAdmin):
    list_display = ["name", "kind", "is_active", "is_verified", "verified", "missing_translations"]
    list_filter = [
        "kind",
        "is_active",
        "is_verified",
        "proposals_trusted",
        StaleFilter,
        MissingLanguageFilter,
    ]
    search_fields = ["name_fr", "name_ar", "name_es", "name_en", "slug", "email"]
    prepopulated_fields = {"slug": ["name_fr"]}
    readonly_fields = ["service_links", "uuid", "created_at", "updated_at"]
    # A website typed without a scheme is https:// (Django 6's default, adopted now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [LocationInline, MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "description", "logo"]}),
        (_("Contact"), {"fields": ["website", "email", "phone", "whatsapp"]}),
        (
            _("Status"),
            {"fields": ["is_active", "is_verified", "proposals_trusted", "last_verified_on"]},
        ),
        (_("Services"), {"fields": ["service_links"]}),
        (_("Record"), {"fields": ["uuid", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("services of this association"))
    def service_links(self, obj):
        if not obj.pk:
            return _("Save the association first, then add its services.")
        links = format_html_join(
            "",
            '<li><a href="{}">{}</a> ({})</li>',
            (
                (
                    reverse("admin:services_service_change", args=[s.pk]),
                    s.name,
                    s.get_status_display(),
                )
                for s in obj.services.all()
            ),
        )
        add = reverse("admin:services_service_add") + f"?association={obj.pk}"
        listing = reverse("admin:services_service_changelist") + f"?association__id__exact={obj.pk}"
        return format_html(
            '<ul>{}</ul><p><a href="{}">{}</a> · <a href="{}">{}</a></p>',
            links,
            add,
            _("Add a service"),
            listing,
            _("See them in the service list"),
        )


@admin.register(Location)
class LocationAdmin(TranslatedAdmin):
    list_display = ["name", "association", "district", "wheelchair_accessible"]
    list_filter = ["district", "wheelchair_accessible"]
    list_select_related = ["association", "district"]
    search_fields = ["name_fr", "name_ar", "address_fr", "association__name_fr"]
    autocomplete_fields = ["association", "district"]

    def get_search_results(self, request, queryset, search_term):
        """In the service form's location picker, only the chosen association's
        locations (the picker sends ``association``; the service's own validation refuses
        any other whatever is sent)."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        picking = (request.GET.get("model_name"), request.GET.get("field_name"))
        association = request.GET.get("association", "")
        if picking == ("service", "location") and association.isdigit():
            queryset = queryset.filter(association_id=int(association))
        return queryset, may_have_duplicates


@admin.register(District)
class DistrictAdmin(TranslatedAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name_fr", "name_ar", "name_es", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_fr"]}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "association", "created_at"]
    list_select_related = ["user", "association"]
    search_fields = ["user__username", "association__name_fr"]
    autocomplete_fields = ["user", "association"]
