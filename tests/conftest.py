"""Shared fixtures: personas, the browser harness and the accessibility check."""

import functools
import importlib
import os
import shutil
import socket
import subprocess
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

# pytest-django's live_server runs the ORM from Playwright's event-loop thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import axe_playwright_python
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.db.backends.base.creation import BaseDatabaseCreation
from django.utils import timezone

from guichet import dbroles, roles
from referrals.models import Referral, ReferralEvent
from tests import factories

PASSWORD = "a-long-test-password-1234"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LANGUAGES = ["ar", "fr", "es", "en"]


def _as_owner(method):
    """Create and drop the test database as the owner role, as `migrate` does in production;
    the tests themselves run as the application's role."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with dbroles.as_owner(self.connection.alias):
            return method(self, *args, **kwargs)

    return wrapper


BaseDatabaseCreation.create_test_db = _as_owner(BaseDatabaseCreation.create_test_db)
BaseDatabaseCreation.destroy_test_db = _as_owner(BaseDatabaseCreation.destroy_test_db)
# Transactional tests empty the database after each test (`flush`), access log included.
settings.ACCESS_LOG_FLUSHABLE = True


@pytest.fixture(scope="session", autouse=True)
def _static_files(django_test_environment):
    """Collect static files once and serve them through WhiteNoise, as in production.

    pytest-django's live server would otherwise answer /static/ itself from the
    finders, which know nothing of the hashed names the pages link to.
    """
    call_command("collectstatic", "--noinput", verbosity=0)
    original = StaticFilesHandler._should_handle
    StaticFilesHandler._should_handle = lambda self, path: False
    yield
    StaticFilesHandler._should_handle = original


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A real Redis (Debian's redis-server, installed by `make test`) on a loopback
    port, for the tests of several application servers; its address as CACHE_URL.

    Bounded like production (maxmemory, allkeys-lru), nothing written to disk.
    """
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is missing: run `make test`, or apt-get install redis-server")
    folder = tmp_path_factory.mktemp("redis")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [
            binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            str(folder),
            "--save",
            "",
            "--appendonly",
            "no",
            "--maxmemory",
            "64mb",
            "--maxmemory-policy",
            "allkeys-lru",
        ],
        stdout=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hash test passwords quickly; production keeps Django's slow, safe default."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start each test with empty caches: the rows cached by an earlier test (the
    filters' choice lists, say) were rolled back with its transaction, and so was the
    catalogue version its cached pages were keyed by."""
    from django.core.cache import caches

    # Every configured cache, not only those this thread has opened: the live server's
    # thread fills "pages" and "searches", whose local-memory stores are shared.
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _logins_confirmed_with_a_second_factor(request, monkeypatch):
    """``client.login`` and ``client.force_login`` stand for the whole staff log-in:
    password, then a code from the account's authenticator (given one with the test key
    when it has none, tests/twofactor.py). The rule stays on: a session without that
    step is sent to set one up, as in production, and a test marked ``two_factor`` gets
    exactly that (browser tests type the code themselves)."""
    if request.node.get_closest_marker("two_factor"):
        return
    from django.test.client import ClientMixin
    from django_otp import DEVICE_ID_SESSION_KEY

    from tests import twofactor

    original = ClientMixin._login

    def login_with_second_factor(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = twofactor.authenticator(user).persistent_id
        session.save()

    monkeypatch.setattr(ClientMixin, "_login", login_with_second_factor)


@pytest.fixture
def clock(monkeypatch):
    """Freeze the clock at a moment for everything that reads it: "open now", and the
    page cache's minute (so a page cached at another moment is not served)."""

    def set_clock(moment: datetime) -> None:
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment.astimezone(UTC))

    return set_clock


# --- Personas ------------------------------------------------------------------


def _user(django_user_model, username: str, *, groups=(), **extra):
    user = django_user_model.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", **extra
    )
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def desk_user(db, django_user_model):
    """A member of the municipal desk staff."""
    return _user(django_user_model, "desk-amina", groups=[roles.DESK])


@pytest.fixture
def municipal_admin(db, django_user_model):
    """A municipal admin: Django staff in the municipal admin group."""
    return _user(
        django_user_model,
        "admin-youssef",
        groups=[roles.MUNICIPAL_ADMIN],
        is_staff=True,
    )


@pytest.fixture
def access_manager(db, django_user_model):
    """A holder of "manage staff access" (group "staff access"), with an e-mail address."""
    return _user(django_user_model, "access-salma", groups=[roles.STAFF_ACCESS], is_staff=True)


@pytest.fixture
def plain_user(db, django_user_model):
    """A logged-in account with no role at all."""
    return _user(django_user_model, "nobody")


# --- Catalogue -----------------------------------------------------------------
@pytest.fixture
def catalogue(db):
    """A small catalogue: legal aid and health in two districts, with four languages."""
    medina = factories.district(
        "tanger-medina",
        {
            "ar": "طنجة المدينة",
            "fr": "Tanger-Médina",
            "es": "Tánger-Medina",
            "en": "Tangier-Medina",
        },
    )
    beni = factories.district(
        "beni-makada",
        {"ar": "بني مكادة", "fr": "Béni Makada", "es": "Beni Makada", "en": "Beni Makada"},
    )
    legal = factories.category(
        "legal-aid",
        {
            "ar": "المساعدة القانونية",
            "fr": "Aide juridique",
            "es": "Asistencia jurídica",
            "en": "Legal aid",
        },
        icon="⚖️",
    )
    health = factories.category(
        "health", {"ar": "الصحة", "fr": "Santé", "es": "Salud", "en": "Health"}
    )
    women = factories.audience(
        "women", {"ar": "النساء", "fr": "Femmes", "es": "Mujeres", "en": "Women"}
    )
    wolof = factories.language("wo", "Wolof")
    french = factories.language("fr", "Français")
    rights = factories.association(
        "droits-pour-tous",
        {
            "ar": "جمعية الحقوق للجميع",
            "fr": "Droits pour tous",
            "es": "Derechos para todos",
            "en": "Rights for All",
        },
    )
    care = factories.association(
        "sante-solidaire",
        {
            "ar": "الصحة التضامنية",
            "fr": "Santé solidaire",
            "es": "Salud solidaria",
            "en": "Solidarity Health",
        },
    )
    office = factories.location(rights, medina, latitude="35.785000", longitude="-5.812000")
    clinic = factories.location(care, beni)
    lawyer = factories.service(
        rights,
        "consultation-avocat",
        {
            "ar": "استشارة مجانية مع محامي",
            "fr": "Consultation gratuite avec un avocat",
            "es": "Consulta gratuita con un abogado",
            "en": "Free consultation with a lawyer",
        },
        summary={
            "ar": "محامون متطوعون يجيبون عن أسئلتك حول الإقامة واللجوء.",
            "fr": "Des avocats bénévoles répondent à vos questions sur le séjour et l'asile.",
            "es": "Abogados voluntarios responden a sus preguntas sobre residencia y asilo.",
            "en": "Volunteer lawyers answer your questions about residence and asylum.",
        },
        categories=[legal],
        audiences=[women],
        languages=[french, wolof],
        place=office,
        is_free=True,
        no_id_needed=True,
        hours=[(0, "09:00", "13:00"), (2, "09:00", "13:00")],
    )
    doctor = factories.service(
        care,
        "consultation-medecin",
        {
            "ar": "فحص طبي عند طبيب عام",
            "fr": "Consultation chez un médecin généraliste",
            "es": "Consulta con un médico de cabecera",
            "en": "Consultation with a general doctor",
        },
        summary={
            "ar": "طبيب يستقبل المرضى دون موعد.",
            "fr": "Un médecin reçoit les patients sans rendez-vous.",
            "es": "Un médico atiende a los pacientes sin cita.",
            "en": "A doctor sees patients without an appointment.",
        },
        categories=[health],
        languages=[french],
        place=clinic,
        is_free=False,
        fees="50 dirhams",
        hours=[(day, "08:00", "18:00") for day in range(5)],
    )
    shelter = factories.service(
        care,
        "abri-de-nuit",
        {"ar": "مأوى ليلي", "fr": "Abri de nuit", "es": "Albergue nocturno", "en": "Night shelter"},
        categories=[health],
        place=clinic,
        hours=[(day, "20:00", "08:00") for day in range(7)],
    )
    return {
        "districts": {"medina": medina, "beni": beni},
        "categories": {"legal": legal, "health": health},
        "audiences": {"women": women},
        "languages": {"wo": wolof, "fr": french},
        "associations": {"rights": rights, "care": care},
        "services": {"lawyer": lawyer, "doctor": doctor, "shelter": shelter},
    }


# --- Referrals -----------------------------------------------------------------
@pytest.fixture
def make_referral(catalogue, desk_user):
    """Build a referral to a catalogue service (association A's lawyer by default)."""

    def make(service=None, status=Referral.Status.SENT, **fields):
        service = service or catalogue["services"]["lawyer"]
        values = {
            "client_code": "P-TEST01",
            "age_band": Referral.AgeBand.ADULT,
            "preferred_language": "ar",
            "need_category": service.categories.first(),
            "consent_given": True,
            "consent_recorded_at": timezone.now(),
            "notes": "Needs an interpreter for Wolof.",
            **fields,
        }
        if status in (Referral.Status.DECLINED, Referral.Status.NOT_COMPLETED):
            values.setdefault("outcome_reason_code", Referral.Reason.NO_CAPACITY)
        referral = Referral.objects.create(
            service=service,
            association=service.association,
            created_by=desk_user,
            submission_token=uuid.uuid4(),
            status=status,
            **values,
        )
        ReferralEvent.objects.create(referral=referral, to_status="sent", by=desk_user)
        return referral

    return make


@pytest.fixture
def referral(make_referral):
    """A referral sent to association A (Rights for All)."""
    return make_referral()


@pytest.fixture
def other_referral(make_referral, catalogue):
    """A referral sent to association B (Solidarity Health)."""
    return make_referral(service=catalogue["services"]["doctor"], client_code="P-OTHER1")


# --- Browser -------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium; never a browser downloaded by Playwright."""
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Let the accessibility check inject axe-core despite the site's CSP; the CSP test
    opens its own context without this."""
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def page(page, live_server):
    """A Playwright page that fails the test if the site asks for anything elsewhere."""
    outside: list[str] = []

    def watch(request):
        if not request.url.startswith((live_server.url, "data:", "about:")):
            outside.append(request.url)

    page.on("request", watch)
    yield page
    assert outside == [], f"requests left the site: {outside}"


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary']}")
    return "\n".join(lines)


@pytest.fixture
def assert_accessible():
    """Return a check that runs axe-core on the page and fails on any WCAG 2.2 AA violation."""

    def check(page) -> None:
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        violations = result["violations"]
        assert not violations, f"axe-core on {page.url}:\n{_describe(violations)}"

    return check


# --- The W3C Nu HTML checker -----------------------------------------------------


@pytest.fixture(scope="session")
def _nu_checker():
    from tests import htmlcheck

    reason = htmlcheck.missing_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    checker = htmlcheck.NuChecker()
    yield checker
    checker.stop()


@pytest.fixture
def assert_valid_html(_nu_checker):
    """Return a check that sends a response (or an HTML string) to the Nu HTML checker
    and fails on any error it reports."""
    from tests import htmlcheck

    def check(response_or_html, *, where: str = "") -> None:
        html = response_or_html
        if not isinstance(html, str):
            where = where or getattr(response_or_html, "request", {}).get("PATH_INFO", "")
            html = response_or_html.content.decode()
        errors = _nu_checker.errors(html)
        assert not errors, f"Nu HTML checker on {where}:\n{htmlcheck.describe(errors, html)}"

    return check


# --- Association staff ---------------------------------------------------------


@pytest.fixture
def partner_user(catalogue, django_user_model):
    """A staff member of association A (Rights for All)."""
    from associations.models import Membership

    user = _user(django_user_model, "partner-fatima")
    Membership.objects.create(user=user, association=catalogue["associations"]["rights"])
    return user


@pytest.fixture
def other_partner(catalogue, django_user_model):
    """A staff member of association B (Solidarity Health)."""
    from associations.models import Membership

    user = _user(django_user_model, "partner-moussa")
    Membership.objects.create(user=user, association=catalogue["associations"]["care"])
    return user


# --- Open Referral HSDS 3.0 (tests/data/hsds, CC BY-SA 4.0: see its LICENSE) ---------

HSDS_DATA = Path(__file__).parent / "data" / "hsds"


@pytest.fixture(scope="session")
def hsds_dir() -> Path:
    """The HSDS 3.0 compiled schemas and examples kept with the tests."""
    return HSDS_DATA


def _transactional(item) -> bool:
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    marked = marker is not None and bool(
        marker.kwargs.get("transaction") or (len(marker.args) > 0 and marker.args[0])
    )
    return marked or "transactional_db" in names or "live_server" in names


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test, put back the search vocabulary its `flush` erased.

    A transactional test (live server, `transaction=True`) ends by emptying every table.
    The staff groups and their permissions come back by themselves (the flush sends
    `post_migrate`, and referrals re-applies them); the starter vocabulary written by
    services 0008 does not, and the search tests that run later, in whatever order,
    expect it. This runs once all of the test's fixtures are torn down, so after the flush
    (a fixture's teardown could run before it), and re-runs the migration's own function,
    which skips the entries that exist.
    """
    yield
    if nextitem is None or not _transactional(item):
        return  # after the last test the test database is being destroyed
    from django.apps import apps
    from pytest_django.plugin import blocking_manager_key

    seed = importlib.import_module("services.migrations.0008_seed_search_vocabulary").seed
    with item.config.stash[blocking_manager_key].unblock():
        seed(apps, None)
