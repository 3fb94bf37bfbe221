"""Finding a person again: by reference (any way it is typed) or by client code."""

from datetime import timedelta

import pytest
from django.utils import timezone

from referrals.models import AccessLog, Referral


def main(response) -> str:
    """The page's main content: the language links elsewhere repeat the query string."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def desk_client(client, desk_user):
    client.force_login(desk_user)
    return client


@pytest.mark.parametrize(
    "typed",
    ["{ref}", "{bare}", "{lower}", "  {bare_lower}  ", "{spaced}", "r-{bare_lower}"],
)
def test_a_reference_is_found_however_it_is_typed(desk_client, referral, typed):
    bare = referral.reference[2:]
    query = typed.format(
        ref=referral.reference,
        bare=bare,
        lower=referral.reference.lower(),
        bare_lower=bare.lower(),
        spaced=" ".join(bare),
    )
    response = desk_client.get("/fr/desk/", {"q": query})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/desk/referrals/{referral.reference}/")


def test_the_old_ref_parameter_still_works(desk_client, referral):
    response = desk_client.get("/fr/desk/", {"ref": referral.reference[2:]})
    assert response["Location"].endswith(f"/desk/referrals/{referral.reference}/")


def test_a_client_code_leads_the_desk_to_the_persons_page(desk_client, referral):
    response = desk_client.get("/fr/desk/", {"q": " p-test01 "})
    assert response.status_code == 302 and response["Location"].endswith("/desk/people/P-TEST01/")


def test_the_persons_page_lists_their_referrals_newest_first(desk_client, make_referral, catalogue):
    older = make_referral()
    Referral.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=40))
    newer = make_referral(service=catalogue["services"]["doctor"])
    make_referral(client_code="P-SOMEONE")
    html = desk_client.get("/fr/desk/people/P-TEST01/").content.decode()
    assert html.index(newer.reference) < html.index(older.reference)
    assert "P-SOMEONE" not in html


def test_each_person_page_view_is_in_the_access_log(desk_client, desk_user, make_referral):
    first, second = make_referral(), make_referral()
    desk_client.get("/fr/desk/people/P-TEST01/")
    logged = AccessLog.objects.filter(user=desk_user, detail="client code search")
    assert {row.referral for row in logged} == {first, second}


def test_the_persons_page_offers_to_refer_them_again_in_their_language(desk_client, make_referral):
    make_referral(preferred_language="es")
    page = desk_client.get("/fr/desk/people/P-TEST01/").content.decode()
    form = desk_client.get(
        "/fr/desk/refer/", {"service": "consultation-medecin", "client": "P-TEST01"}
    ).content.decode()
    assert "/fr/desk/refer/?client=P-TEST01" in page
    assert 'value="P-TEST01"' in form
    assert '<option value="es" selected>' in form


def test_without_an_earlier_referral_the_slip_language_is_the_interface_language(
    desk_client, catalogue
):
    form = desk_client.get(
        "/es/desk/refer/", {"service": "consultation-medecin", "client": "P-NEWONE"}
    ).content.decode()
    assert '<option value="es" selected>' in form


def test_an_unknown_client_code_page_is_404(desk_client, referral):
    assert desk_client.get("/fr/desk/people/P-NOBODY/").status_code == 404


def test_association_staff_never_see_the_persons_page(client, partner_user, referral):
    client.force_login(partner_user)
    assert client.get("/fr/desk/people/P-TEST01/").status_code == 403


def test_association_staff_find_only_their_own_referrals_by_client_code(
    client, partner_user, referral, other_referral, make_referral, catalogue
):
    elsewhere = make_referral(service=catalogue["services"]["doctor"])  # same code, B's
    client.force_login(partner_user)
    response = client.get("/fr/desk/", {"q": "P-TEST01"})
    html = main(response)
    assert response.status_code == 200
    assert referral.reference in html and elsewhere.reference not in html


def test_association_staff_cannot_find_another_associations_reference(
    client, partner_user, other_referral
):
    client.force_login(partner_user)
    response = client.get("/fr/desk/", {"q": other_referral.reference})
    assert response.status_code == 200 and other_referral.reference not in main(response)
    response = client.get("/fr/desk/", {"q": "P-OTHER1"})
    assert response.status_code == 200 and "P-OTHER1" not in main(response)


@pytest.mark.parametrize(
    "typed",
    ["x" * 5000, "' OR 1=1; --", "P-TEST01' OR '1'='1", "%", "R-%", "\x00", "R-ABC"],
)
def test_odd_searches_say_nothing_was_found(desk_client, referral, typed):
    response = desk_client.get("/en/desk/", {"q": typed})
    assert response.status_code == 200
    assert "No referral of yours has this reference or client code." in response.content.decode()


def test_a_purged_referral_is_not_found_by_its_old_code(desk_client, make_referral):
    referral = make_referral(status="completed")
    Referral.objects.filter(pk=referral.pk).update(
        client_code="", purged_at=timezone.now(), closed_at=timezone.now()
    )
    response = desk_client.get("/en/desk/", {"q": "P-TEST01"})
    assert response.status_code == 200
