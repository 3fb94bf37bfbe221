"""Shared fixtures: personas, the browser harness and the accessibility check."""

import os
from pathlib import Path

# pytest-django's live_server runs the ORM from Playwright's event-loop thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import axe_playwright_python
import pytest
from django.contrib.auth.models import Group
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command

from guichet import roles

PASSWORD = "a-long-test-password-1234"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LANGUAGES = ["ar", "fr", "es", "en"]


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
        is_superuser=True,
    )


@pytest.fixture
def plain_user(db, django_user_model):
    """A logged-in account with no role at all."""
    return _user(django_user_model, "nobody")


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
