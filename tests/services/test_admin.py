"""Django admin for municipal admins: curation, freshness, translations, constant queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from associations.models import Association
from services.models import Service
from tests import factories

ADMIN_LISTS = [
    "/admin/services/service/",
    "/admin/associations/association/",
    "/admin/associations/location/",
    "/admin/services/category/",
    "/admin/services/audience/",
    "/admin/services/language/",
    "/admin/associations/district/",
    "/admin/associations/membership/",
]


@pytest.fixture
def admin_client(client, municipal_admin):
    client.force_login(municipal_admin)
    return client


@pytest.mark.parametrize("url", ADMIN_LISTS)
def test_admin_list_pages_open(admin_client, catalogue, url):
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("url", ADMIN_LISTS)
def test_admin_add_pages_open(admin_client, catalogue, url):
    # Memberships give access to referral data: added by holders of "manage staff
    # access" only (tests/referrals/test_staff_access.py).
    expected = 403 if url == "/admin/associations/membership/" else 200
    assert admin_client.get(f"{url}add/").status_code == expected


def test_admin_change_pages_open(admin_client, catalogue):
    service = catalogue["services"]["lawyer"]
    association = catalogue["associations"]["rights"]
    assert admin_client.get(f"/admin/services/service/{service.pk}/change/").status_code == 200
    html = admin_client.get(f"/admin/associations/association/{association.pk}/change/")
    assert service.name_fr in html.content.decode()


def test_admin_uses_no_third_party_script(admin_client, catalogue):
    html = admin_client.get(f"/admin/services/service/{catalogue['services']['lawyer'].pk}/change/")
    assert "googleapis" not in html.content.decode()
    assert "/static/vendor/jquery-ui/jquery-ui.min." in html.content.decode()


def test_anonymous_visitors_are_sent_to_the_admin_login(client, catalogue):
    response = client.get("/admin/services/service/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_desk_staff_cannot_open_the_admin(client, desk_user, catalogue):
    client.force_login(desk_user)
    assert client.get("/admin/services/service/").status_code == 302


@pytest.mark.parametrize("url", ["/admin/services/service/", "/admin/associations/association/"])
def test_admin_list_issues_a_constant_number_of_queries(admin_client, catalogue, url):
    admin_client.get(url)  # the first request of a session records when it started
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    for number in range(12):
        owner = factories.association(f"more-{number}")
        factories.service(owner, f"more-{number}", place=factories.location(owner))
    with CaptureQueriesContext(connection) as many:
        admin_client.get(url)
    assert len(many) == len(few)


def test_mark_verified_today_action(admin_client, catalogue):
    service = catalogue["services"]["lawyer"]
    admin_client.post(
        "/admin/services/service/",
        {"action": "mark_verified_today", "_selected_action": [service.pk]},
    )
    service.refresh_from_db()
    assert service.last_verified_on == timezone.localdate()


def test_mark_verified_today_verifies_associations(admin_client, catalogue):
    association = catalogue["associations"]["rights"]
    admin_client.post(
        "/admin/associations/association/",
        {"action": "mark_verified_today", "_selected_action": [association.pk]},
    )
    association.refresh_from_db()
    assert association.is_verified and association.last_verified_on == timezone.localdate()


def test_stale_records_stand_out(admin_client, catalogue):
    old = timezone.localdate() - timedelta(days=200)
    Service.objects.filter(slug="consultation-avocat").update(last_verified_on=old)
    Service.objects.filter(slug="abri-de-nuit").update(
        created_at=timezone.now() - timedelta(days=400)
    )
    html = admin_client.get("/admin/services/service/").content.decode()
    assert html.count('class="stale-badge"') == 2  # the old one and the old never verified one


def test_a_service_just_created_is_not_verified_yet_rather_than_stale(admin_client, catalogue):
    Service.objects.filter(slug="consultation-medecin").update(last_verified_on=None)
    html = admin_client.get("/admin/services/service/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.count('<span class="unverified-badge">not verified yet</span>') == 3
    assert "stale-badge" not in html


def test_verification_dates_use_one_short_format(admin_client, catalogue):
    Service.objects.update(last_verified_on="2026-10-01")
    response = admin_client.get("/admin/services/service/")
    with translation.override(response["Content-Language"]):
        short = date_format(date(2026, 10, 1), "SHORT_DATE_FORMAT")
    assert response.content.decode().count(f'<td class="field-verified">{short}</td>') == 3


def test_stale_filter(admin_client, catalogue):
    Service.objects.update(last_verified_on=timezone.localdate())
    Service.objects.filter(slug="abri-de-nuit").update(last_verified_on="2020-01-01")
    response = admin_client.get("/admin/services/service/", {"stale": "yes"})
    assert [s.slug for s in response.context["cl"].result_list] == ["abri-de-nuit"]


def test_missing_languages_are_shown(admin_client, catalogue):
    Service.objects.filter(slug="consultation-avocat").update(summary_es="", name_ar="")
    html = admin_client.get("/admin/services/service/").content.decode()
    assert '<span class="missing-languages">ar, es</span>' in html


def test_missing_language_filter(admin_client, catalogue):
    Service.objects.filter(slug="consultation-avocat").update(summary_es="")
    response = admin_client.get("/admin/services/service/", {"missing": "es"})
    assert [s.slug for s in response.context["cl"].result_list] == ["consultation-avocat"]


def test_list_filters_by_district_category_and_status(admin_client, catalogue):
    district = catalogue["districts"]["medina"]
    category = catalogue["categories"]["legal"]
    response = admin_client.get(
        "/admin/services/service/",
        {
            "location__district__id__exact": district.pk,
            "categories__id__exact": category.pk,
            "status__exact": "active",
        },
    )
    assert [s.slug for s in response.context["cl"].result_list] == ["consultation-avocat"]


def test_service_saved_in_admin_is_found_by_search(admin_client, client, catalogue):
    service = catalogue["services"]["shelter"]
    url = f"/admin/services/service/{service.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        {
            "association": service.association_id,
            "location": service.location_id,
            "name_fr": "Hébergement d'urgence pour la nuit",
            "categories": [c.pk for c in service.categories.all()],
            "audiences": [],
            "languages": [],
            "hours-TOTAL_FORMS": "0",
            "hours-INITIAL_FORMS": "0",
            "hours-MIN_NUM_FORMS": "0",
            "hours-MAX_NUM_FORMS": "1000",
        }
    )
    data.pop("last_verified_on", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    found = client.get("/fr/services/", {"q": "hébergement"}).context["page"].object_list
    assert [s.slug for s in found] == ["abri-de-nuit"]


def test_admin_refuses_a_location_of_another_association(admin_client, catalogue):
    service = catalogue["services"]["lawyer"]
    other_place = catalogue["services"]["doctor"].location
    url = f"/admin/services/service/{service.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        {
            "association": service.association_id,
            "location": other_place.pk,
            "categories": [c.pk for c in service.categories.all()],
            "hours-TOTAL_FORMS": "0",
            "hours-INITIAL_FORMS": "0",
            "hours-MIN_NUM_FORMS": "0",
            "hours-MAX_NUM_FORMS": "1000",
        }
    )
    data.pop("last_verified_on", None)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "location" in response.context["adminform"].form.errors


def _location_choices(admin_client, **params) -> list[str]:
    query = {"app_label": "services", "model_name": "service", "field_name": "location"}
    response = admin_client.get("/admin/autocomplete/", {**query, "term": "", **params})
    return sorted(result["id"] for result in response.json()["results"])


def test_the_location_picker_offers_only_the_chosen_associations_locations(admin_client, catalogue):
    rights, care = catalogue["associations"]["rights"], catalogue["associations"]["care"]
    office = catalogue["services"]["lawyer"].location
    assert _location_choices(admin_client, association=rights.pk) == [str(office.pk)]
    assert str(office.pk) not in _location_choices(admin_client, association=care.pk)


def test_the_location_picker_without_an_association_offers_every_location(admin_client, catalogue):
    assert len(_location_choices(admin_client)) == 2
    assert len(_location_choices(admin_client, association="junk")) == 2


def test_the_service_form_loads_the_location_picker_script(admin_client, catalogue):
    service = catalogue["services"]["lawyer"]
    html = admin_client.get(f"/admin/services/service/{service.pk}/change/").content.decode()
    assert "admin/guichet-location-picker" in html
    assert 'data-language="fr"' in html and "admin/guichet-tabs" in html


def test_deleting_an_association_is_only_for_admins(client, partner_user, catalogue):
    client.force_login(partner_user)
    pk = catalogue["associations"]["rights"].pk
    client.post(f"/admin/associations/association/{pk}/delete/", {"post": "yes"})
    assert Association.objects.filter(pk=pk).exists()
