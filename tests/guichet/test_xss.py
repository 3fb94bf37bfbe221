"""Script in any content field, in any language, comes out escaped everywhere."""

import pytest
from modeltranslation.translator import translator

from associations.models import Association, District, Location
from services.models import Audience, Category, OpeningHours, Service

PAYLOAD = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
RAW = ["<script>alert(1)</script>", "<img src=x onerror"]


def poison(obj):
    for field in translator.get_options_for_model(type(obj)).fields:
        for code in ("ar", "fr", "es", "en"):
            setattr(obj, f"{field}_{code}", f"{PAYLOAD} {field} {code}")
    obj.save()


@pytest.fixture
def poisoned(catalogue, referral):
    for model in (Service, Association, Location, Category, Audience, District, OpeningHours):
        for obj in model.objects.all():
            poison(obj)
    return catalogue


def assert_escaped(response):
    body = response.content.decode()
    assert response.status_code == 200
    assert not any(raw in body for raw in RAW), "unescaped content"
    assert "&lt;script&gt;" in body


@pytest.mark.parametrize("language", ["ar", "fr", "es", "en"])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/services/",
        "/services/?q=alert",
        "/services/consultation-avocat/",
        "/associations/",
        "/associations/droits-pour-tous/",
    ],
)
def test_public_pages_escape_content(client, poisoned, language, path):
    assert_escaped(client.get(f"/{language}{path}"))


@pytest.mark.parametrize(
    "path",
    ["/admin/services/service/", "/admin/associations/association/", "/admin/services/category/"],
)
def test_admin_lists_escape_content(client, municipal_admin, poisoned, path):
    client.force_login(municipal_admin)
    assert_escaped(client.get(path))


def test_admin_change_page_escapes_content(client, municipal_admin, poisoned):
    client.force_login(municipal_admin)
    service = poisoned["services"]["lawyer"]
    body = client.get(f"/admin/services/service/{service.pk}/change/").content.decode()
    assert not any(raw in body for raw in RAW)


@pytest.mark.parametrize("language", ["ar", "fr", "es", "en"])
def test_slip_escapes_content(client, desk_user, poisoned, referral, language):
    referral.preferred_language = language
    referral.save()
    client.force_login(desk_user)
    assert_escaped(client.get(f"/fr/desk/referrals/{referral.reference}/slip/"))


def test_referral_notes_are_escaped(client, desk_user, make_referral):
    referral = make_referral(notes=PAYLOAD)
    client.force_login(desk_user)
    assert_escaped(client.get(f"/fr/desk/referrals/{referral.reference}/"))


def test_statistics_escape_names(client, municipal_admin, poisoned, referral):
    client.force_login(municipal_admin)
    from datetime import timedelta

    from django.utils import timezone

    from referrals.models import Referral

    Referral.objects.update(created_at=timezone.now().replace(day=1) - timedelta(days=10))
    assert_escaped(client.get("/en/stats/"))
