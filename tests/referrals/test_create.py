"""Desk staff refer someone: required consent, a non-sequential reference, one referral per form."""

import re
import uuid

import pytest
from django.db import IntegrityError, transaction

from referrals.forms import ReferralForm
from referrals.models import CONSENT_REQUIRED, AccessLog, Referral, new_reference
from services.models import Service


@pytest.fixture
def desk_client(client, desk_user):
    client.force_login(desk_user)
    return client


def form_data(catalogue, **overrides):
    data = {
        "service": "consultation-avocat",
        "submission_token": str(uuid.uuid4()),
        "client_code": "P-ABC123",
        "age_band": "26-35",
        "gender": "female",
        "nationality": "SN",
        "preferred_language": "ar",
        "need_category": catalogue["categories"]["legal"].pk,
        "urgency": "routine",
        "consent_given": "on",
        "consent_override_reason": "",
        "notes": "",
        "follow_up_on": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_desk_records_a_referral(desk_client, catalogue):
    response = desk_client.post("/fr/desk/refer/", form_data(catalogue))
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{referral.reference}/")
    assert referral.association == catalogue["associations"]["rights"]
    assert referral.region == "western_africa" and referral.consent_recorded_at


def test_reference_is_short_random_and_not_sequential(desk_client, catalogue):
    desk_client.post("/fr/desk/refer/", form_data(catalogue))
    assert re.fullmatch(r"R-[A-HJ-NP-Z2-9]{6}", Referral.objects.get().reference)
    drawn = [new_reference() for _ in range(50)]
    assert len(set(drawn)) == 50 and drawn != sorted(drawn)


def test_the_form_offers_a_generated_client_code_and_the_service(desk_client, catalogue):
    html = desk_client.get("/fr/desk/refer/", {"service": "consultation-avocat"}).content.decode()
    assert re.search(r'name="client_code"[^>]*value="P-[A-Z0-9]{6}"', html)
    assert 'name="service" value="consultation-avocat"' in html


def test_the_notes_warning_is_shown(desk_client, catalogue):
    html = desk_client.get("/en/desk/refer/", {"service": "consultation-avocat"}).content.decode()
    assert (
        "Do not write ID or passport numbers, legal or residence status, or health details." in html
    )


def test_consent_is_required(desk_client, catalogue):
    response = desk_client.post("/fr/desk/refer/", form_data(catalogue, consent_given=None))
    assert response.status_code == 400 and not Referral.objects.exists()


def test_without_consent_the_form_asks_for_the_reason_at_its_field(desk_client, catalogue):
    response = desk_client.post(
        "/en/desk/refer/", form_data(catalogue, consent_given=None, consent_override_reason="  ")
    )
    errors = response.context["form"].errors
    assert errors == {"consent_override_reason": [str(CONSENT_REQUIRED)]}


def test_the_form_leaves_the_consent_rule_to_the_model(catalogue, monkeypatch):
    """No copy of the rule in the form: without the model's, the form lets it through."""
    monkeypatch.setattr(Referral, "clean", lambda self: None)
    form = ReferralForm(form_data(catalogue, consent_given=None))
    assert form.is_valid(), form.errors


def test_the_database_refuses_a_referral_without_consent_or_reason(referral):
    with (
        pytest.raises(IntegrityError, match="referral_consent_or_override"),
        transaction.atomic(),
    ):
        Referral.objects.filter(pk=referral.pk).update(
            consent_given=False, consent_override_reason=""
        )


def test_the_database_accepts_a_reason_instead_of_consent(referral):
    Referral.objects.filter(pk=referral.pk).update(
        consent_given=False, consent_override_reason="Unconscious, emergency"
    )
    referral.refresh_from_db()
    assert referral.consent_override_reason == "Unconscious, emergency"


def test_an_override_reason_replaces_consent_and_is_logged(desk_client, catalogue):
    data = form_data(
        catalogue, consent_given=None, consent_override_reason="Unconscious, emergency"
    )
    desk_client.post("/fr/desk/refer/", data)
    referral = Referral.objects.get()
    assert not referral.consent_given and referral.consent_override_reason
    assert "without consent" in AccessLog.objects.get(action="create").detail


def test_submitting_the_form_twice_creates_one_referral(desk_client, catalogue):
    data = form_data(catalogue)
    first = desk_client.post("/fr/desk/refer/", data)
    second = desk_client.post("/fr/desk/refer/", data)
    assert Referral.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_name_or_id_number_is_refused_as_client_code(desk_client, catalogue):
    response = desk_client.post("/fr/desk/refer/", form_data(catalogue, client_code="Amina Diallo"))
    assert response.status_code == 400 and not Referral.objects.exists()


@pytest.mark.parametrize(
    "extra", [{"association": "1"}, {"status": "completed"}, {"created_by": "1"}]
)
def test_extra_fields_are_refused(desk_client, catalogue, extra):
    response = desk_client.post("/fr/desk/refer/", {**form_data(catalogue), **extra})
    assert response.status_code == 400 and not Referral.objects.exists()


def test_an_inactive_service_cannot_receive_referrals(desk_client, catalogue):
    catalogue["services"]["lawyer"].status = "inactive"
    catalogue["services"]["lawyer"].save()
    response = desk_client.post("/fr/desk/refer/", form_data(catalogue))
    assert response.status_code == 400 and not Referral.objects.exists()


def test_association_staff_cannot_create_referrals(client, partner_user, catalogue):
    client.force_login(partner_user)
    response = client.post("/fr/desk/refer/", form_data(catalogue))
    assert response.status_code == 403 and not Referral.objects.exists()


def test_a_post_without_csrf_token_is_refused(catalogue, desk_user):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(desk_user)
    assert strict.post("/fr/desk/refer/", form_data(catalogue)).status_code == 403
    assert not Referral.objects.exists()


def test_the_desk_finds_a_service_from_the_refer_page(desk_client, catalogue):
    html = desk_client.get("/fr/desk/refer/", {"q": "avocat"}).content.decode()
    assert "?service=consultation-avocat" in html


def test_the_service_page_offers_to_refer_only_to_desk_staff(client, desk_user, catalogue):
    url = "/fr/services/consultation-avocat/"
    assert "/fr/desk/refer/?service=" not in client.get(url).content.decode()
    client.force_login(desk_user)
    assert "/fr/desk/refer/?service=consultation-avocat" in client.get(url).content.decode()


def test_a_temporarily_closed_service_offers_no_referral(desk_client, catalogue):
    Service.objects.filter(slug="consultation-avocat").update(status="temporarily_closed")
    html = desk_client.get("/fr/services/consultation-avocat/").content.decode()
    assert "fermé temporairement" in html and "/fr/desk/refer/?service=" not in html


def test_a_reference_already_taken_is_drawn_again(desk_client, catalogue, referral, monkeypatch):
    field = Referral._meta.get_field("reference")
    monkeypatch.setattr(field, "_get_default", lambda: referral.reference)
    monkeypatch.setattr("referrals.workflow.new_reference", lambda: "R-NEW234")
    desk_client.post("/fr/desk/refer/", form_data(catalogue, repeat_confirmed="on"))
    assert Referral.objects.filter(reference="R-NEW234").exists()


def test_pagination_links_of_the_service_picker_encode_the_search(desk_client, catalogue):
    from tests import factories

    for number in range(12):
        factories.service(catalogue["associations"]["care"], f"food-{number}", "Food & shelter")
    html = desk_client.get("/fr/desk/refer/", {"q": "food & shelter"}).content.decode()
    assert "?q=food+%26+shelter&amp;page=2" in html
