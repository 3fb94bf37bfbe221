import pytest

from tests.conftest import LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_login_page_in_every_language(client, db, language):
    response = client.get(f"/{language}/accounts/login/")
    assert response.status_code == 200 and f'<html lang="{language}"' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "title"),
    [("ar", "الإحالات"), ("fr", "orientations"), ("es", "derivaciones"), ("en", "referrals")],
)
def test_staff_area_in_every_language(client, desk_user, catalogue, language, title):
    client.force_login(desk_user)
    html = client.get(f"/{language}/desk/").content.decode()
    assert f'<html lang="{language}"' in html and title in html


def test_a_wrong_password_is_refused_with_a_message(client, desk_user):
    response = client.post("/en/accounts/login/", {"username": "desk-amina", "password": "wrong"})
    assert (
        response.status_code == 200
        and "Please enter a correct username and password" in response.content.decode()
    )


def test_logout_ends_the_session(client, desk_user):
    client.force_login(desk_user)
    client.post("/en/accounts/logout/")
    assert client.get("/en/desk/").status_code == 302


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("ar", "إحصائيات الإحالات"),
        ("fr", "Statistiques des orientations"),
        ("es", "Estadísticas de derivaciones"),
        ("en", "Referral statistics"),
    ],
)
def test_statistics_in_every_language(client, municipal_admin, catalogue, language, title):
    client.force_login(municipal_admin)
    html = client.get(f"/{language}/stats/").content.decode()
    assert f'<html lang="{language}"' in html and title in html
