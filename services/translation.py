from modeltranslation.translator import TranslationOptions, register

from services.models import Audience, Category, OpeningHours, Service


@register(Category)
class CategoryTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("fr",)


@register(Audience)
class AudienceTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("fr",)


@register(Service)
class ServiceTranslationOptions(TranslationOptions):
    fields = ("name", "summary", "description", "eligibility", "required_documents", "fees")
    required_languages = ("fr",)


@register(OpeningHours)
class OpeningHoursTranslationOptions(TranslationOptions):
    fields = ("note",)
