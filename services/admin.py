from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.postgres.forms import SimpleArrayField
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from guichet.admin_helpers import (
    CurationAdminMixin,
    MissingLanguageFilter,
    StaleFilter,
    TranslatedAdmin,
)
from services.models import Audience, Category, Language, OpeningHours, SearchTerm, Service
from services.search.vocabulary import export_csv, import_csv


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


class LocationPicker(AutocompleteSelect):
    """The location autocomplete, limited to the association chosen in the same form
    (static/admin/guichet-location-picker.js sends it; LocationAdmin filters by it)."""

    @property
    def media(self):
        return super().media + forms.Media(js=["admin/guichet-location-picker.js"])


@admin.register(Service)
class ServiceAdmin(CurationAdminMixin, TranslatedAdmin):
    # Fits a 1280-pixel screen beside the admin's menu and filters, in every language:
    # the association under the service's name, the district a filter, not a column
    # (tests/services/test_admin_browser.py).
    list_display = [
        "name_and_association",
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
            _("Access"),
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

    @admin.display(description=_("service"), ordering="name")
    def name_and_association(self, obj):
        return format_html(
            '{}<br><span class="list-association">{}</span>', obj.name, obj.association
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "location":
            kwargs["widget"] = LocationPicker(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("district"), ordering="location__district")
    def district(self, obj):
        return obj.location.district if obj.location and obj.location.district else "—"


@admin.register(Category)
class CategoryAdmin(TranslatedAdmin):
    list_display = ["name", "icon", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name_fr", "name_ar", "name_es", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_fr"]}


@admin.register(Audience)
class AudienceAdmin(TranslatedAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name_fr", "slug"]
    prepopulated_fields = {"slug": ["name_fr"]}


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]
    list_editable = ["position"]
    search_fields = ["name", "code"]


class SearchTermForm(forms.ModelForm):
    words = SimpleArrayField(
        forms.CharField(max_length=100),
        label=_("catalogue words it means"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Words or phrases of the catalogue, in any of its languages, separated by commas."
        ),
    )
    categories = forms.MultipleChoiceField(
        label=_("categories it means"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SearchTerm
        fields = ["term", "language", "words", "categories", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        known = [(c.slug, str(c)) for c in Category.objects.all()]
        # A category removed since stays visible, so that saving does not drop it silently.
        stored = [(s, s) for s in self.initial.get("categories", []) if s not in dict(known)]
        self.fields["categories"].choices = known + stored


class SearchTermImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: term, language, words, categories, note (as the export writes them)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from error


MAX_IMPORT_BYTES = 1024 * 1024


@admin.register(SearchTerm)
class SearchTermAdmin(admin.ModelAdmin):
    """The search vocabulary: what people type, and what it should find."""

    form = SearchTermForm
    list_display = ["term", "language", "meaning", "updated_at"]
    list_filter = ["language"]
    search_fields = ["term", "note"]
    actions = ["export_selected"]
    change_list_template = "admin/services/searchterm/change_list.html"

    @admin.display(description=_("meaning"))
    def meaning(self, obj) -> str:
        return ", ".join([*obj.words, *(f"[{slug}]" for slug in obj.categories)])

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="services_searchterm_import",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="services_searchterm_export",
            ),
            *super().get_urls(),
        ]

    def _csv_response(self, entries) -> HttpResponse:
        response = HttpResponse(export_csv(entries), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="search-vocabulary.csv"'
        return response

    @admin.action(description=_("Export the selected terms as CSV"))
    def export_selected(self, request, queryset):
        return self._csv_response(queryset)

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self._csv_response(SearchTerm.objects.all())

    def import_view(self, request):
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        form = SearchTermImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            report = import_csv(form.cleaned_data["file"])
            self.message_user(
                request,
                _("%(created)d terms added, %(updated)d updated, %(errors)d rows refused.")
                % {
                    "created": report.created,
                    "updated": report.updated,
                    "errors": len(report.errors),
                },
                messages.WARNING if report.errors else messages.SUCCESS,
            )
            if not report.errors:
                return redirect("admin:services_searchterm_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import search terms"),
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/services/searchterm/import.html", context)
