"""Proposals about the association itself and its places, with the same moderation as a
service's: nothing public changes until approved, forged fields never reach the record."""

import pytest
from django.utils import timezone

from associations.models import Association, Location
from tests.upkeep.test_proposals import form_data
from upkeep import proposals, workflow
from upkeep.models import Proposal

ASSOCIATION = "/{lang}/desk/our-services/association/droits-pour-tous/change/"
NEW_PLACE = "/{lang}/desk/our-services/places/new/"


def place_url(place: Location, lang: str = "fr") -> str:
    return f"/{lang}/desk/our-services/places/{place.pk}/change/"


@pytest.fixture
def rights(catalogue) -> Association:
    return catalogue["associations"]["rights"]


@pytest.fixture
def office(rights) -> Location:
    return rights.locations.get()


def test_an_association_change_is_proposed_and_changes_nothing_public(client, partner_user, rights):
    client.force_login(partner_user)
    response = client.post(
        ASSOCIATION.format(lang="ar"),
        form_data(rights, description_ar="نساعد في الإجراءات", phone="+212 539 00 00 00"),
    )
    proposal = Proposal.objects.get()
    rights.refresh_from_db()
    assert response.status_code == 302 and proposal.kind == "association"
    assert (
        proposal.proposed["phone"] == "+212 539 00 00 00"
        and rights.phone != proposal.proposed["phone"]
    )


def test_an_approved_association_change_is_published_and_verified(
    client, partner_user, municipal_admin, rights
):
    client.force_login(partner_user)
    client.post(ASSOCIATION.format(lang="fr"), form_data(rights, name_es="Derechos para todas"))
    workflow.proposal_approve(proposal=Proposal.objects.get(), by=municipal_admin)
    rights.refresh_from_db()
    assert rights.name_es == "Derechos para todas"
    assert rights.last_verified_on == timezone.localdate()


def test_forged_association_fields_are_ignored(client, partner_user, municipal_admin, rights):
    client.force_login(partner_user)
    client.post(
        ASSOCIATION.format(lang="fr"),
        form_data(
            rights,
            name_fr="Droits pour toutes",
            slug="pirate",
            is_active="",
            is_verified="on",
            proposals_trusted="on",
            kind="public_body",
            last_verified_on="2000-01-01",
        ),
    )
    proposal = Proposal.objects.get()
    workflow.proposal_approve(proposal=proposal, by=municipal_admin)
    rights.refresh_from_db()
    assert set(proposal.proposed) <= set(proposals.ASSOCIATION.fields)
    assert (rights.slug, rights.is_verified, rights.proposals_trusted, rights.kind) == (
        "droits-pour-tous",
        False,
        False,
        "association",
    )


def test_another_association_answers_404(client, other_partner, rights):
    client.force_login(other_partner)
    get = client.get(ASSOCIATION.format(lang="fr"))
    post = client.post(ASSOCIATION.format(lang="fr"), form_data(rights, name_fr="Pirate"))
    assert (get.status_code, post.status_code) == (404, 404)
    assert not Proposal.objects.exists()


def test_a_place_change_is_proposed_then_applied(client, partner_user, municipal_admin, office):
    client.force_login(partner_user)
    response = client.post(
        place_url(office), form_data(office, address_fr="12, rue de la Liberté", latitude="35.78")
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and proposal.location == office
    assert proposal.proposed["latitude"] == "35.780000"
    workflow.proposal_approve(proposal=proposal, by=municipal_admin)
    office.refresh_from_db()
    assert (office.address_fr, str(office.latitude)) == ("12, rue de la Liberté", "35.780000")


def test_an_unchanged_place_proposes_nothing(client, partner_user, office):
    client.force_login(partner_user)
    response = client.post(place_url(office), form_data(office))
    assert response.status_code == 200 and not Proposal.objects.exists()


def test_half_coordinates_are_refused(client, partner_user, office):
    client.force_login(partner_user)
    response = client.post(place_url(office), form_data(office, longitude=""))
    assert response.status_code == 400 and not Proposal.objects.exists()


def test_another_associations_place_answers_404(client, other_partner, office):
    client.force_login(other_partner)
    get = client.get(place_url(office))
    post = client.post(place_url(office), form_data(office, name_fr="Pirate"))
    assert (get.status_code, post.status_code) == (404, 404)
    assert not Proposal.objects.exists()


def test_the_workflow_refuses_a_forged_place_of_another_association(
    partner_user, catalogue, rights
):
    clinic = catalogue["associations"]["care"].locations.get()
    with pytest.raises(workflow.PermissionDenied):
        workflow.proposal_create(
            association=rights,
            location=clinic,
            by=partner_user,
            kind="location",
            proposed={"name_fr": "Pirate"},
        )


def test_a_new_place_is_created_on_approval(client, partner_user, municipal_admin, rights):
    client.force_login(partner_user)
    response = client.post(
        NEW_PLACE.format(lang="fr") + "?association=sante-solidaire",
        {
            "name_fr": "Antenne de Bni Makada",
            "address_fr": "Avenue Moulay Rachid",
            "city_fr": "Tanger",
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and proposal.kind == "new_location"
    assert proposal.association == rights  # another's slug falls back to one's own
    workflow.proposal_approve(proposal=proposal, by=municipal_admin)
    proposal.refresh_from_db()
    assert proposal.location.association == rights
    assert proposal.location.name_fr == "Antenne de Bni Makada"


def test_a_trusted_association_publishes_its_place_at_once(client, partner_user, rights, office):
    Association.objects.filter(pk=rights.pk).update(proposals_trusted=True)
    client.force_login(partner_user)
    client.post(place_url(office), form_data(office, transport_fr="Bus 12, arrêt Mosquée"))
    office.refresh_from_db()
    assert office.transport_fr == "Bus 12, arrêt Mosquée"
    assert Proposal.objects.get().published_at_once


def test_a_place_changed_since_is_a_conflict(client, partner_user, municipal_admin, office):
    client.force_login(partner_user)
    client.post(place_url(office), form_data(office, address_fr="Adresse proposée"))
    Location.objects.filter(pk=office.pk).update(address_fr="Adresse de l'admin")
    with pytest.raises(workflow.Conflict):
        workflow.proposal_approve(proposal=Proposal.objects.get(), by=municipal_admin)


def test_the_review_shows_a_place_script_as_text(client, partner_user, municipal_admin, office):
    client.force_login(partner_user)
    client.post(place_url(office), form_data(office, accessibility_fr="<script>alert(1)</script>"))
    client.force_login(municipal_admin)
    html = client.get(f"/admin/upkeep/proposal/{Proposal.objects.get().pk}/change/").content
    assert b"<script>alert(1)</script>" not in html
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_our_services_offers_the_association_and_its_places(client, partner_user, office):
    client.force_login(partner_user)
    html = client.get("/fr/desk/our-services/").content.decode()
    assert ASSOCIATION.format(lang="fr") in html and place_url(office) in html


def test_the_database_refuses_a_place_proposal_without_its_place(partner_user, rights):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Proposal.objects.create(
            association=rights, kind="location", proposed={}, created_by=partner_user
        )


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_directory_proposal_pages_are_valid_html(
    client, partner_user, office, lang, assert_valid_html
):
    client.force_login(partner_user)
    for url in (
        ASSOCIATION.format(lang=lang),
        place_url(office, lang),
        f"/{lang}/desk/our-services/",
    ):
        assert_valid_html(client.get(url))
    assert_valid_html(client.post(NEW_PLACE.format(lang=lang), {"name_fr": ""}))


@pytest.mark.parametrize(
    "forged",
    [
        {"latitude": "999", "longitude": "-5.8"},
        {"district": "999999"},
        {"name_fr": "x" * 100_000},
        {"postal_code": "<script>alert(1)</script>"},
    ],
)
def test_bad_place_values_are_refused_with_a_message(client, partner_user, office, forged):
    client.force_login(partner_user)
    response = client.post(place_url(office), form_data(office, **forged))
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_an_out_of_range_latitude_is_shown_beside_its_field(
    client, partner_user, office, assert_valid_html
):
    client.force_login(partner_user)
    response = client.post(place_url(office), form_data(office, latitude="99", longitude="-5.8"))
    assert response.status_code == 400
    assert response.context["form"].errors["latitude"]
    assert_valid_html(response)
