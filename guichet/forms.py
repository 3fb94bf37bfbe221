"""Form pieces shared by every app."""

from django import forms

ISO_DATE = "%Y-%m-%d"


class IsoDateInput(forms.DateInput):
    """A browser date picker, always given and read as ISO 8601 (``2026-12-01``).

    ``<input type="date">`` only understands ISO dates; a localised value such as
    French ``01/12/2026`` is dropped by the browser, the field shows empty and the
    next save erases the date. The browser still shows the date in the person's
    own format.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)


class IsoDateField(forms.DateField):
    """A date field that renders and accepts ISO dates whatever the interface language."""

    widget = IsoDateInput
    input_formats = [ISO_DATE]
