"""Still correct: association staff confirm a service in one click, recorded with who and when."""

import pytest
from django.utils import timezone

from upkeep.models import Verification

URL = "/fr/desk/our-services/{slug}/still-correct/"


def test_it_verifies_the_service_today(client, partner_user, catalogue):
    client.force_login(partner_user)
    response = client.post(URL.format(slug="consultation-avocat"))
    service = catalogue["services"]["lawyer"]
    service.refresh_from_db()
    assert response.status_code == 302
    assert service.last_verified_on == timezone.localdate()


def test_it_records_who_and_when(client, partner_user, catalogue):
    client.force_login(partner_user)
    client.post(URL.format(slug="consultation-avocat"))
    verification = Verification.objects.get()
    assert (verification.service.slug, verification.by) == ("consultation-avocat", partner_user)
    assert verification.at.date() == timezone.now().date()


def test_another_associations_service_answers_404(client, other_partner, catalogue):
    client.force_login(other_partner)
    response = client.post(URL.format(slug="consultation-avocat"))
    catalogue["services"]["lawyer"].refresh_from_db()
    assert response.status_code == 404
    assert catalogue["services"]["lawyer"].last_verified_on is None
    assert Verification.objects.count() == 0


@pytest.mark.parametrize("persona", ["desk_user", "municipal_admin"])
def test_staff_without_an_association_are_refused(client, request, catalogue, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(URL.format(slug="consultation-avocat")).status_code == 403


def test_our_services_lists_the_associations_services_only(client, partner_user, catalogue):
    client.force_login(partner_user)
    html = client.get("/fr/desk/our-services/").content.decode()
    assert "Consultation gratuite avec un avocat" in html
    assert "Consultation chez un médecin généraliste" not in html


def test_our_services_counts_open_reports(client, partner_user, catalogue):
    from upkeep.models import ProblemReport

    ProblemReport.objects.create(
        service=catalogue["services"]["lawyer"], kind="hours", language="fr"
    )
    client.force_login(partner_user)
    response = client.get("/fr/desk/our-services/")
    assert response.context["services"][0].open_reports == 1


@pytest.mark.parametrize("url", ["/fr/desk/our-services/", "/fr/desk/reports/"])
def test_association_staff_pages_are_never_cached(client, partner_user, catalogue, url):
    client.force_login(partner_user)
    assert "no-store" in client.get(url)["Cache-Control"]
