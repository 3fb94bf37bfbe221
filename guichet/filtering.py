"""Bind a django-filter FilterSet so that a bad parameter is dropped and explained."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.fields import ChoiceIterator

# Django's message, translated by Django's own catalogues.
INVALID_CHOICE = gettext_lazy(
    "Select a valid choice. That choice is not one of the available choices."
)


def bind_filters(filter_class, params: QueryDict, queryset: QuerySet):
    """Return ``(filterset, notices)``; invalid parameters are left out, each with a notice.

    A visitor who follows an old link (a category that no longer exists, say) still
    gets results for the rest of their search, and is told what was left out.
    """
    data = params.copy()
    filterset = filter_class(data, queryset=queryset)
    notices: list[str] = []
    if filterset.is_valid():
        return filterset, notices
    fields = filterset.form.fields
    for name, errors in filterset.form.errors.items():
        label = fields[name].label if name in fields else name
        notices.append(
            _("The filter “%(filter)s” was left out: %(error)s")
            % {"filter": label, "error": " ".join(errors)}
        )
        data.pop(name, None)
    return filter_class(data, queryset=queryset), notices


class FilterSet(django_filters.FilterSet):
    """A FilterSet whose choice lists are read once per request.

    Choices given as a callable are otherwise re-read each time they are iterated:
    once to validate and again to render, one query each.
    """

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for field in form.fields.values():
                if isinstance(field, forms.ChoiceField):
                    listed = field.choices
                    # django-filter's iterator yields the empty choice before the rows:
                    # keep only the rows, or the empty choice would be listed twice.
                    if isinstance(listed, ChoiceIterator):
                        listed = listed.choices
                    field.choices = list(listed() if callable(listed) else listed)
                    # Django's message repeats the value sent, which may be 5,000
                    # characters long or hold a NUL; Django's own words without it.
                    field.error_messages["invalid_choice"] = INVALID_CHOICE
        return self._form
