"""Proposed changes: association staff propose, municipal admins approve or reject."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from services.models import Service
from upkeep import proposals, workflow
from upkeep.models import Proposal, Verification

CHANGE = "/{lang}/desk/our-services/consultation-avocat/change/"


def form_data(record, **changes) -> dict:
    """The proposal form of ``record`` (a service, an association, a place) as the
    browser would send it, unchanged unless told."""
    data = {}
    for name, value in proposals.snapshot(record).items():
        if name == "status":
            continue  # not a field of the form
        if name == "hours":
            for index, (day, opens, closes) in enumerate(value):
                slot = sum(1 for d, *_ in value[:index] if d == day)
                data[f"h{day}_{slot}_opens"] = opens
                data[f"h{day}_{slot}_closes"] = closes
        elif name == "categories":
            data[name] = value
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else value
    data.update(changes)
    return {key: value for key, value in data.items() if value is not False}


@pytest.fixture
def lawyer(catalogue):
    return catalogue["services"]["lawyer"]


@pytest.fixture
def hours_proposal(client, partner_user, lawyer):
    client.force_login(partner_user)
    client.post(
        CHANGE.format(lang="ar"), form_data(lawyer, h0_0_opens="10:00", h0_0_closes="14:00")
    )
    client.logout()
    return Proposal.objects.get()


def test_saving_proposes_and_changes_nothing_public(hours_proposal, lawyer):
    lawyer.refresh_from_db()
    assert hours_proposal.status == "pending"
    assert hours_proposal.proposed["hours"] == [[0, "10:00", "14:00"], [2, "09:00", "13:00"]]
    assert hours_proposal.base["hours"] == [[0, "09:00", "13:00"], [2, "09:00", "13:00"]]
    assert proposals.snapshot(lawyer)["hours"] == hours_proposal.base["hours"]


def test_the_form_has_a_section_per_language_with_french_required(client, partner_user, lawyer):
    client.force_login(partner_user)
    html = client.get(CHANGE.format(lang="fr")).content.decode()
    assert all(f'<fieldset lang="{code}"' in html for code in ("ar", "fr", "es", "en"))
    assert 'name="name_fr" value="Consultation gratuite avec un avocat"' in html
    assert 'required id="id_name_fr"' in html or 'id="id_name_fr" required' in html


def test_french_name_is_required(client, partner_user, lawyer):
    client.force_login(partner_user)
    response = client.post(CHANGE.format(lang="fr"), form_data(lawyer, name_fr=""))
    assert response.status_code == 400
    assert Proposal.objects.count() == 0


def test_nothing_changed_proposes_nothing(client, partner_user, lawyer):
    client.force_login(partner_user)
    response = client.post(CHANGE.format(lang="fr"), form_data(lawyer))
    assert response.status_code == 200
    assert Proposal.objects.count() == 0


def test_fields_the_form_does_not_show_are_ignored(client, partner_user, lawyer, catalogue):
    client.force_login(partner_user)
    client.post(
        CHANGE.format(lang="fr"),
        form_data(
            lawyer,
            summary_fr="Nouveau résumé",
            status="inactive",
            slug="pirate",
            association=catalogue["associations"]["care"].pk,
            last_verified_on="2020-01-01",
            is_verified="on",
            search_vector="x",
        ),
    )
    proposal = Proposal.objects.get()
    assert set(proposal.proposed) <= set(proposals.FIELDS)
    assert proposal.association == catalogue["associations"]["rights"]


def test_another_associations_service_answers_404(client, other_partner, lawyer):
    client.force_login(other_partner)
    get = client.get(CHANGE.format(lang="fr"))
    post = client.post(CHANGE.format(lang="fr"), form_data(lawyer, name_fr="Pirate"))
    assert (get.status_code, post.status_code) == (404, 404)
    assert Proposal.objects.count() == 0


def test_a_location_of_another_association_is_refused(client, partner_user, lawyer, catalogue):
    other_place = catalogue["services"]["doctor"].location
    client.force_login(partner_user)
    response = client.post(CHANGE.format(lang="fr"), form_data(lawyer, location=other_place.pk))
    assert response.status_code == 400
    assert Proposal.objects.count() == 0


def test_the_workflow_refuses_a_forged_proposal_for_another_association(other_partner, lawyer):
    with pytest.raises(workflow.PermissionDenied):
        workflow.proposal_create(
            association=lawyer.association,
            service=lawyer,
            by=other_partner,
            kind="change",
            proposed={"name_fr": "Pirate"},
        )


# --- Moderation ---------------------------------------------------------------------


def test_approving_applies_verifies_and_records(hours_proposal, municipal_admin, lawyer):
    workflow.proposal_approve(proposal=hours_proposal, by=municipal_admin)
    lawyer.refresh_from_db()
    hours_proposal.refresh_from_db()
    assert proposals.snapshot(lawyer)["hours"] == [[0, "10:00", "14:00"], [2, "09:00", "13:00"]]
    assert lawyer.last_verified_on == timezone.localdate()
    assert (hours_proposal.status, hours_proposal.decided_by) == ("approved", municipal_admin)
    assert Verification.objects.get().how == "proposal"


def test_an_approved_name_is_found_by_the_search(client, partner_user, municipal_admin, lawyer):
    client.force_login(partner_user)
    client.post(
        CHANGE.format(lang="fr"), form_data(lawyer, name_fr="Permanence juridique Zarzuela")
    )
    workflow.proposal_approve(proposal=Proposal.objects.get(), by=municipal_admin)
    client.logout()
    html = client.get("/fr/services/?q=zarzuela").content.decode()
    assert "Permanence juridique Zarzuela" in html


def test_script_in_a_proposal_is_shown_as_text(client, partner_user, municipal_admin, lawyer):
    client.force_login(partner_user)
    client.post(CHANGE.format(lang="fr"), form_data(lawyer, summary_fr="<script>alert(1)</script>"))
    workflow.proposal_approve(proposal=Proposal.objects.get(), by=municipal_admin)
    client.logout()
    html = client.get("/fr/services/consultation-avocat/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_rejecting_needs_a_reason_the_proposer_reads(
    client, hours_proposal, municipal_admin, partner_user
):
    client.force_login(municipal_admin)
    url = f"/admin/upkeep/proposal/{hours_proposal.pk}/reject/"
    client.post(url, {"reason": ""})
    hours_proposal.refresh_from_db()
    assert hours_proposal.status == "pending"
    client.post(url, {"reason": "Les horaires du lundi sont déjà corrects."})
    client.force_login(partner_user)
    html = client.get("/fr/desk/our-services/").content.decode()
    assert "Les horaires du lundi sont déjà corrects." in html


def test_a_record_changed_since_is_a_conflict_never_applied_blindly(
    hours_proposal, municipal_admin, lawyer
):
    lawyer.hours.filter(weekday=0).update(opens="08:00")
    with pytest.raises(workflow.Conflict):
        workflow.proposal_approve(proposal=hours_proposal, by=municipal_admin)
    hours_proposal.refresh_from_db()
    assert hours_proposal.status == "pending"
    assert proposals.snapshot(lawyer)["hours"][0] == [0, "08:00", "13:00"]


def test_a_conflict_is_applied_when_the_admin_confirms(hours_proposal, municipal_admin, lawyer):
    lawyer.hours.filter(weekday=0).update(opens="08:00")
    workflow.proposal_approve(proposal=hours_proposal, by=municipal_admin, despite_conflict=True)
    hours_proposal.refresh_from_db()
    assert hours_proposal.applied_despite_conflict
    assert proposals.snapshot(lawyer)["hours"][0] == [0, "10:00", "14:00"]


def test_an_edit_of_another_field_since_is_kept(client, partner_user, municipal_admin, lawyer):
    client.force_login(partner_user)
    client.post(CHANGE.format(lang="fr"), form_data(lawyer, summary_fr="Résumé proposé"))
    Service.objects.filter(pk=lawyer.pk).update(fees_fr="Gratuit, toujours")
    workflow.proposal_approve(proposal=Proposal.objects.get(), by=municipal_admin)
    lawyer.refresh_from_db()
    assert (lawyer.summary_fr, lawyer.fees_fr) == ("Résumé proposé", "Gratuit, toujours")


def test_the_admin_review_shows_the_conflict(client, hours_proposal, municipal_admin, lawyer):
    lawyer.hours.filter(weekday=0).update(opens="08:00")
    client.force_login(municipal_admin)
    response = client.get(f"/admin/upkeep/proposal/{hours_proposal.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="conflict"' in html and "despite_conflict" in html


def test_approving_from_the_admin_refuses_a_conflict_then_applies(
    client, hours_proposal, municipal_admin, lawyer
):
    lawyer.hours.filter(weekday=0).update(opens="08:00")
    client.force_login(municipal_admin)
    url = f"/admin/upkeep/proposal/{hours_proposal.pk}/approve/"
    client.post(url)
    hours_proposal.refresh_from_db()
    assert hours_proposal.status == "pending"
    client.post(url, {"despite_conflict": "1"})
    hours_proposal.refresh_from_db()
    assert hours_proposal.status == "approved"


def test_approving_twice_applies_once(client, hours_proposal, municipal_admin):
    client.force_login(municipal_admin)
    url = f"/admin/upkeep/proposal/{hours_proposal.pk}/approve/"
    first, second = client.post(url), client.post(url)
    assert (first.status_code, second.status_code) == (302, 302)
    assert Verification.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_approving_the_same_proposal_twice_at_once_applies_it_once(
    catalogue, partner_user, municipal_admin
):
    lawyer = catalogue["services"]["lawyer"]
    proposal = workflow.proposal_create(
        association=lawyer.association,
        service=lawyer,
        by=partner_user,
        kind="change",
        proposed={"summary_fr": "En même temps"},
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def approve():
        try:
            barrier.wait()
            workflow.proposal_approve(proposal=proposal, by=municipal_admin)
            outcomes.append("approved")
        except workflow.AlreadyDecided:
            outcomes.append("already")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already", "approved"]
    assert Verification.objects.count() == 1


def test_a_desk_user_cannot_approve(hours_proposal, desk_user):
    with pytest.raises(workflow.PermissionDenied):
        workflow.proposal_approve(proposal=hours_proposal, by=desk_user)


def test_association_staff_cannot_open_the_admin_review(client, hours_proposal, partner_user):
    client.force_login(partner_user)
    response = client.get(f"/admin/upkeep/proposal/{hours_proposal.pk}/change/")
    assert response.status_code == 302  # to the admin's log-in: not Django staff


# --- Trusted associations, new services, closing -------------------------------------


def test_a_trusted_association_publishes_at_once_and_is_recorded(client, partner_user, lawyer):
    lawyer.association.proposals_trusted = True
    lawyer.association.save()
    client.force_login(partner_user)
    client.post(CHANGE.format(lang="fr"), form_data(lawyer, summary_fr="Publié tout de suite"))
    lawyer.refresh_from_db()
    proposal = Proposal.objects.get()
    assert lawyer.summary_fr == "Publié tout de suite"
    assert (proposal.status, proposal.published_at_once) == ("approved", True)


def test_a_new_service_is_proposed_then_created_on_approval(
    client, partner_user, municipal_admin, lawyer, catalogue
):
    client.force_login(partner_user)
    data = form_data(
        lawyer,
        name_fr="Cours de darija",
        name_ar="دروس الدارجة",
        h3_0_opens="17:00",
        h3_0_closes="19:00",
    )
    response = client.post("/fr/desk/our-services/new/", data)
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and proposal.kind == "new" and proposal.service is None
    workflow.proposal_approve(proposal=proposal, by=municipal_admin)
    created = Service.objects.get(slug="cours-de-darija")
    assert created.association == catalogue["associations"]["rights"]
    assert created.status == "active" and created.hours.filter(weekday=3).exists()


def test_a_new_service_for_another_association_falls_back_to_ones_own(
    client, partner_user, lawyer, catalogue
):
    client.force_login(partner_user)
    client.post(
        "/fr/desk/our-services/new/?association=sante-solidaire",
        form_data(lawyer, name_fr="Pirate"),
    )
    assert Proposal.objects.get().association == catalogue["associations"]["rights"]


@pytest.mark.parametrize(
    ("mode", "status"), [("temporarily", "temporarily_closed"), ("for_good", "inactive")]
)
def test_closing_is_proposed_then_applied(
    client, partner_user, municipal_admin, lawyer, mode, status
):
    client.force_login(partner_user)
    client.post("/fr/desk/our-services/consultation-avocat/close/", {"mode": mode})
    proposal = Proposal.objects.get()
    lawyer.refresh_from_db()
    assert lawyer.status == "active" and proposal.proposed == {"status": status}
    workflow.proposal_approve(proposal=proposal, by=municipal_admin)
    lawyer.refresh_from_db()
    assert lawyer.status == status


def test_a_forged_closing_mode_is_refused(client, partner_user, lawyer):
    client.force_login(partner_user)
    response = client.post("/fr/desk/our-services/consultation-avocat/close/", {"mode": "deleted"})
    assert response.status_code == 400
    assert Proposal.objects.count() == 0


def test_a_100_kb_description_is_refused(client, partner_user, lawyer):
    client.force_login(partner_user)
    response = client.post(
        CHANGE.format(lang="fr"), form_data(lawyer, description_fr="x" * 100_000)
    )
    assert response.status_code == 400
    assert Proposal.objects.count() == 0


def test_bad_hours_are_refused(client, partner_user, lawyer):
    client.force_login(partner_user)
    response = client.post(
        CHANGE.format(lang="fr"), form_data(lawyer, h4_0_opens="10:00", h4_0_closes="")
    )
    assert response.status_code == 400
