"""The slip in the person's language; services and associations with referrals stay."""

import re

import pytest
from django.db.models import ProtectedError

from referrals.models import AccessLog
from services.models import OpeningHours

ROW = re.compile(r'<tr[^>]*>\s*<th scope="row">(\w+).*?</th>\s*<td>(.*?)</td>', re.S)
SLOT = re.compile(r"\d\d:\d\d–\d\d:\d\d")


def week_shown(html: str) -> list[tuple[str, list[str]]]:
    """The hours table as (day, slots) rows."""
    return [(day, SLOT.findall(slots)) for day, slots in ROW.findall(html)]


def test_slip_is_in_the_persons_language_whatever_the_interface(client, desk_user, referral):
    client.force_login(desk_user)
    html = client.get(f"/fr/desk/referrals/{referral.reference}/slip/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "استشارة مجانية مع محامي" in html and referral.reference in html


def test_slip_in_spanish(client, desk_user, make_referral):
    referral = make_referral(preferred_language="es")
    client.force_login(desk_user)
    html = client.get(f"/ar/desk/referrals/{referral.reference}/slip/").content.decode()
    assert '<html lang="es" dir="ltr">' in html and "Consulta gratuita con un abogado" in html


def test_printing_a_slip_is_logged(client, desk_user, referral):
    client.force_login(desk_user)
    client.get(f"/fr/desk/referrals/{referral.reference}/slip/")
    assert AccessLog.objects.filter(action="print", referral=referral).exists()


def test_the_interface_language_is_back_after_the_slip(client, desk_user, referral):
    client.force_login(desk_user)
    client.get(f"/fr/desk/referrals/{referral.reference}/slip/")
    html = client.get("/fr/desk/").content.decode()
    assert '<html lang="fr" dir="ltr">' in html


def test_a_service_with_referrals_cannot_be_deleted(referral):
    with pytest.raises(ProtectedError):
        referral.service.delete()


def test_an_association_with_referrals_cannot_be_deleted(referral):
    with pytest.raises(ProtectedError):
        referral.association.delete()


def test_the_admin_explains_instead_of_deleting(client, municipal_admin, referral):
    client.force_login(municipal_admin)
    url = f"/admin/services/service/{referral.service.pk}/delete/"
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert type(referral.service).objects.filter(pk=referral.service.pk).exists()


def test_the_slip_shows_the_week_the_service_page_shows(client, desk_user, make_referral):
    referral = make_referral(preferred_language="fr")
    OpeningHours.objects.create(service=referral.service, weekday=0, opens="14:00", closes="17:00")
    OpeningHours.objects.create(service=referral.service, weekday=6, opens="22:00", closes="02:00")
    client.force_login(desk_user)
    slip = client.get(f"/fr/desk/referrals/{referral.reference}/slip/").content.decode()
    page = client.get(referral.service.get_absolute_url()).content.decode()
    assert len(week_shown(page)) == 7 and week_shown(slip) == week_shown(page)
    assert week_shown(slip)[0] == ("Lundi", ["09:00–13:00", "14:00–17:00"])
