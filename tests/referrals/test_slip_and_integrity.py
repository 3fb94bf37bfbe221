"""The slip in the person's language; services and associations with referrals stay."""

import pytest
from django.db.models import ProtectedError

from referrals.models import AccessLog


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
