from modeltranslation.translator import TranslationOptions, register

from associations.models import Association, District, Location


@register(District)
class DistrictTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("fr",)


@register(Association)
class AssociationTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("fr",)


@register(Location)
class LocationTranslationOptions(TranslationOptions):
    fields = ("name", "address", "neighbourhood", "city", "accessibility", "transport")
    required_languages = ("fr",)
