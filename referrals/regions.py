"""World regions (UN M49 sub-regions) of nationalities, for statistics.

A referral keeps the region of the person's nationality when the purge erases the
nationality itself, so figures by region survive the purge.
"""

from django.utils.translation import gettext_lazy as _

REGIONS = {
    "northern_africa": (_("Northern Africa"), "DZ EG EH LY MA SD TN"),
    "western_africa": (
        _("Western Africa"),
        "BF BJ CI CV GH GM GN GW LR ML MR NE NG SH SL SN TG",
    ),
    "middle_africa": (_("Central Africa"), "AO CD CF CG CM GA GQ ST TD"),
    "eastern_africa": (
        _("Eastern Africa"),
        "BI DJ ER ET IO KE KM MG MU MW MZ RE RW SC SO SS TF TZ UG YT ZM ZW",
    ),
    "southern_africa": (_("Southern Africa"), "BW LS NA SZ ZA"),
    "western_asia": (
        _("Middle East"),
        "AE AM AZ BH CY GE IL IQ JO KW LB OM PS QA SA SY TR YE",
    ),
    "asia": (
        _("Rest of Asia"),
        "AF BD BN BT CN HK ID IN IR JP KG KH KP KR KZ LA LK MM MN MO MV MY NP PH PK SG TH "
        "TJ TL TM TW UZ VN",
    ),
    "europe": (
        _("Europe"),
        "AD AL AT AX BA BE BG BY CH CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT "
        "JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK",
    ),
    "americas": (
        _("Americas"),
        "AG AI AR AW BB BL BM BO BQ BR BS BV BZ CA CL CO CR CU CW DM DO EC FK GD GF GL GP "
        "GS GT GY HN HT JM KN KY LC MF MQ MS MX NI PA PE PM PR PY SR SV SX TC TT US UM UY "
        "VC VE VG VI",
    ),
    "oceania": (
        _("Oceania"),
        "AS AU CC CK CX FJ FM GU HM KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV VU WF WS",
    ),
}

CHOICES = [(key, label) for key, (label, _codes) in REGIONS.items()]
_BY_COUNTRY = {code: key for key, (_label, codes) in REGIONS.items() for code in codes.split()}


def region_of(country_code: str) -> str:
    """Return the region key of an ISO 3166 alpha-2 code, or "" when unknown or empty."""
    return _BY_COUNTRY.get((country_code or "").upper(), "")
