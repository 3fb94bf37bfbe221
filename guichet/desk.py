"""Who and where the desk is: defined once, shown in every page's header and footer.

Another city changes this module (and its translations) and nothing else.
"""

from django.utils.translation import gettext_lazy as _

NAME = _("Tangier single desk for migrants")
CITY = _("Tangier")
ADDRESS = _("City Hall, social affairs division, ground floor, Boulevard Mohammed V, Tangier")
HOURS = _("Monday to Friday, 8:30 to 16:30. No appointment needed.")
PHONE = "+212 539 00 00 00"  # fictional, for the demo

# Numbers a person in danger can call in Morocco, free of charge.
EMERGENCY_NUMBERS = [
    (_("Police"), "19"),
    (_("Royal Gendarmerie (outside towns)"), "177"),
    (_("Civil protection: fire and ambulance"), "15"),
    (_("Emergency number from a mobile phone"), "112"),
]
