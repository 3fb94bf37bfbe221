"""Several application servers, one truth: two gunicorn processes share a real Redis.

Each process is started with production settings against the test database, with
``CACHE_URL`` pointing at the Redis server the test set-up started (conftest.py). A
page stored by one is served by the other; an admin save on one is seen at once on
the other, because the catalogue version read from PostgreSQL is part of every key.
"""

import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests import twofactor

ROOT = Path(__file__).resolve().parents[2]
# What a load balancer sends to every application server.
HOST = "guichet.test"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{urllib.parse.quote(db.get('PASSWORD') or '')}@"
    if db["HOST"].startswith("/"):
        return f"{url}/{db['NAME']}?host={urllib.parse.quote(db['HOST'])}"
    return f"{url}{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class AppServer:
    """One gunicorn process with production settings on a loopback port."""

    def __init__(self, cache_url: str):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DEBUG": "false",
            "HTTPS": "false",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": f"127.0.0.1,{HOST}",
            "DATABASE_URL": _database_url(),
            "CACHE_URL": cache_url,
            "LOG_LEVEL": "WARNING",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "guichet.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=5)
                return
            except OSError:  # not listening yet, or not answering yet
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("the application server did not start") from None
                time.sleep(0.2)
            except BaseException:
                self.stop()
                raise

    def get(self, path: str, *, anonymous: bool = True):
        opener = urllib.request.build_opener() if anonymous else self.opener
        request = urllib.request.Request(self.base + path, headers={"Host": HOST})
        with opener.open(request, timeout=30) as response:
            return response.headers, response.read().decode()

    def post(self, path: str, data: dict) -> str:
        csrf = next(c.value for c in self.cookies if c.name == "csrftoken")
        request = urllib.request.Request(
            self.base + path,
            data=urllib.parse.urlencode(data, doseq=True).encode(),
            headers={"X-CSRFToken": csrf, "Referer": self.base + path, "Host": HOST},
        )
        with self.opener.open(request, timeout=10) as response:
            return response.read().decode()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class FormReader(HTMLParser):
    """The values a browser would send back from the first form of a page with a
    CSRF token: inputs, textareas, selected options."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "checkbox", "file"):
            self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "input" and name and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.data.setdefault(name, []).append(attrs.get("value") or "on")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.setdefault(self._select, []).append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


@pytest.fixture
def two_servers(redis_server, transactional_db):
    import redis

    redis.Redis.from_url(redis_server).flushall()  # pages of an earlier test's database
    servers = []
    try:
        servers.append(AppServer(redis_server))
        servers.append(AppServer(redis_server))
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_a_save_on_one_server_is_seen_at_once_on_the_other(
    two_servers, catalogue, municipal_admin, password
):
    one, other = two_servers
    headers, html = one.get("/fr/")
    assert headers["X-Cache"] == "MISS" and "Aide juridique" in html
    headers, _html = other.get("/fr/")
    assert headers["X-Cache"] == "HIT"  # stored by the first server, in the shared Redis

    # The servers know only production's password hashers, not the tests' fast one.
    municipal_admin.password = PBKDF2PasswordHasher().encode(password, "test-salt-1234")
    municipal_admin.save(update_fields=["password"])
    one.get("/admin/login/", anonymous=False)
    one.post("/admin/login/", {"username": municipal_admin.username, "password": password})
    one.post(
        "/fr/accounts/two-factor/code/",
        {"code": twofactor.fresh_code(twofactor.authenticator(municipal_admin))},
    )
    category = catalogue["categories"]["legal"]
    change = f"/admin/services/category/{category.pk}/change/"
    _headers, form_page = one.get(change, anonymous=False)
    form = FormReader()
    form.feed(form_page[form_page.index("<form") :])
    form.data["name_fr"] = ["Droits et papiers"]
    form.data.pop("csrfmiddlewaretoken", None)
    one.post(change, form.data)

    headers, html = other.get("/fr/")
    assert "Droits et papiers" in html
    assert re.search(r"Droits et papiers</span> <span class=\"count\">1 service", html)
