"""Settings come from the environment; production refuses a default secret."""

import os
import subprocess
import sys

from django.conf import settings

BASE = str(settings.BASE_DIR)


def _check(**env_overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _check(DEBUG="false", ALLOWED_HOSTS="guichet.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is missing" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _check(DEBUG="false", SECRET_KEY="short", ALLOWED_HOSTS="guichet.example.org")
    assert result.returncode != 0


def test_production_starts_with_a_real_secret_key():
    result = _check(
        DEBUG="false", SECRET_KEY="x" * 30 + "-real-secret-" + "y" * 30, ALLOWED_HOSTS="a.org"
    )
    assert result.returncode == 0, result.stderr


def test_development_check_is_clean():
    result = _check(DEBUG="true")
    assert result.returncode == 0
    assert "no issues" in result.stdout


def test_cache_url_selects_djangos_redis_cache():
    env = {k: v for k, v in os.environ.items() if k != "CACHE_URL"}
    env.update(DEBUG="true", CACHE_URL="redis://cache.internal:6379/1")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'guichet.settings');"
            "django.setup(); from django.conf import settings; print(settings.CACHES['default'])",
        ],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "django.core.cache.backends.redis.RedisCache" in result.stdout, result.stderr
    assert "redis://cache.internal:6379/1" in result.stdout
