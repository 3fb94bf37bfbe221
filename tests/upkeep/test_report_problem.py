"""Report a problem: a page of its own, anonymous, short, guarded against robots and floods."""

import pytest
from django.test import Client
from django.utils import timezone

from upkeep.models import ProblemReport

URL = "/{lang}/services/consultation-avocat/report/"


def _post(client, data=None, lang="fr", **extra):
    body = {"kind": "hours", "text": "Fermé le mercredi depuis septembre.", "website": ""}
    body.update(data or {})
    return client.post(URL.format(lang=lang), body, **extra)


@pytest.mark.parametrize("lang", ["ar", "fr", "es", "en"])
def test_every_service_page_links_to_its_report_page(client, catalogue, lang):
    html = client.get(f"/{lang}/services/consultation-avocat/").content.decode()
    assert f'href="{URL.format(lang=lang)}"' in html


def test_the_service_page_itself_carries_no_form(client, catalogue):
    html = client.get("/fr/services/consultation-avocat/").content.decode()
    assert "csrfmiddlewaretoken" not in html and "<textarea" not in html


@pytest.mark.parametrize("lang", ["ar", "fr", "es", "en"])
def test_the_report_page_asks_for_nothing_personal(client, catalogue, lang):
    response = client.get(URL.format(lang=lang))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="no-personal-details"' in html
    assert 'type="email"' not in html and 'type="tel"' not in html


def test_a_report_is_recorded_without_an_account(client, catalogue):
    response = _post(client)
    report = ProblemReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/fr/services/consultation-avocat/report/sent/"
    assert (report.service, report.kind, report.language, report.status) == (
        catalogue["services"]["lawyer"],
        "hours",
        "fr",
        "open",
    )


def test_the_thanks_page_answers(client, catalogue):
    assert client.get("/ar/services/consultation-avocat/report/sent/").status_code == 200


def test_a_100_kb_report_is_refused_and_nothing_is_recorded(client, catalogue):
    response = _post(client, {"text": "x" * 100_000})
    assert response.status_code == 400
    assert ProblemReport.objects.count() == 0


def test_an_unknown_kind_is_refused(client, catalogue):
    response = _post(client, {"kind": "status"})
    assert response.status_code == 400
    assert ProblemReport.objects.count() == 0


def test_the_honeypot_thanks_a_robot_and_records_nothing(client, catalogue):
    response = _post(client, {"website": "https://spam.example"})
    assert response.status_code == 302
    assert ProblemReport.objects.count() == 0


def test_a_flood_from_one_address_is_stopped_after_five(client, catalogue):
    statuses = [_post(client).status_code for _ in range(7)]
    assert statuses == [302] * 5 + [429] * 2
    assert ProblemReport.objects.count() == 5


def test_a_forged_forwarded_for_does_not_escape_the_limit(client, catalogue, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    statuses = [_post(client, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(6)]
    assert statuses[-1] == 429


def test_behind_the_proxy_the_trusted_address_is_counted(client, catalogue, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forges the left part; our proxy appended the real address last.
    for n in range(5):
        _post(client, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.7")
    flooded = _post(client, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7")
    other = _post(client, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert (flooded.status_code, other.status_code) == (429, 302)


def test_the_form_needs_a_csrf_token(catalogue):
    client = Client(enforce_csrf_checks=True)
    assert _post(client).status_code == 403
    assert ProblemReport.objects.count() == 0


def test_an_inactive_service_cannot_be_reported(client, catalogue):
    service = catalogue["services"]["lawyer"]
    service.status = service.Status.INACTIVE
    service.save()
    assert client.get(URL.format(lang="fr")).status_code == 404


def test_an_unknown_service_answers_404(client, catalogue):
    assert client.get("/fr/services/nope/report/").status_code == 404


def test_the_report_page_is_never_cached(client, catalogue):
    assert "no-store" in client.get(URL.format(lang="fr"))["Cache-Control"]


def test_a_script_in_a_report_reaches_staff_as_text(client, catalogue, partner_user):
    _post(client, {"text": "<script>alert(1)</script>"})
    client.force_login(partner_user)
    html = client.get("/fr/desk/reports/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Reports reach the association's staff and the admins --------------------------


@pytest.fixture
def report(catalogue):
    return ProblemReport.objects.create(
        service=catalogue["services"]["lawyer"],
        kind="contact",
        text="Le numéro sonne occupé.",
        language="ar",
    )


@pytest.fixture
def other_report(catalogue):
    return ProblemReport.objects.create(
        service=catalogue["services"]["doctor"], kind="hours", text="Fermé à 17 h.", language="fr"
    )


def test_staff_see_reports_about_their_own_services_only(
    client, partner_user, report, other_report
):
    client.force_login(partner_user)
    html = client.get("/fr/desk/reports/").content.decode()
    assert "Le numéro sonne occupé." in html
    assert "Fermé à 17 h." not in html


def test_closing_records_who_and_how(client, partner_user, report):
    client.force_login(partner_user)
    response = client.post(
        f"/fr/desk/reports/{report.pk}/close/",
        {"resolution": "corrected", "note": "Numéro corrigé"},
    )
    report.refresh_from_db()
    assert response.status_code == 302
    assert (report.status, report.resolution, report.closed_by) == (
        "closed",
        "corrected",
        partner_user,
    )
    assert report.closed_at is not None


def test_closing_twice_keeps_the_first_closing(client, partner_user, report):
    client.force_login(partner_user)
    client.post(f"/fr/desk/reports/{report.pk}/close/", {"resolution": "corrected"})
    client.post(f"/fr/desk/reports/{report.pk}/close/", {"resolution": "not_relevant"})
    report.refresh_from_db()
    assert report.resolution == "corrected"


def test_another_associations_report_answers_404(client, other_partner, report):
    client.force_login(other_partner)
    response = client.post(f"/fr/desk/reports/{report.pk}/close/", {"resolution": "corrected"})
    report.refresh_from_db()
    assert response.status_code == 404
    assert report.status == "open"


def test_a_forged_resolution_closes_nothing(client, partner_user, report):
    client.force_login(partner_user)
    client.post(f"/fr/desk/reports/{report.pk}/close/", {"resolution": "deleted"})
    report.refresh_from_db()
    assert report.status == "open"


def test_admins_close_reports_from_the_admin(client, municipal_admin, report):
    client.force_login(municipal_admin)
    response = client.post(
        "/admin/upkeep/problemreport/",
        {"action": "close_no_change", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert response.status_code == 302
    assert (report.resolution, report.closed_by) == ("no_change", municipal_admin)


def test_admins_read_reports_in_the_admin(client, municipal_admin, report):
    client.force_login(municipal_admin)
    html = client.get(f"/admin/upkeep/problemreport/{report.pk}/change/").content.decode()
    assert "Le numéro sonne occupé." in html


def test_the_database_refuses_a_closed_report_without_who(report):
    from django.db import IntegrityError

    report.status = "closed"
    report.resolution = "corrected"
    report.closed_at = timezone.now()
    with pytest.raises(IntegrityError):
        report.save()
