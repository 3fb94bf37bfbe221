"""Django settings for Guichet.

Every setting that differs between machines comes from an environment variable
(see ``.env.example``). Development defaults are safe: with ``DEBUG`` off, the site
refuses to start without a real ``SECRET_KEY``.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from guichet import local_cluster

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

_DEVELOPMENT_SECRET_KEY = "development-only-not-secret-guichet-0000000000000000000000"  # noqa: S105  # nosec B105
SECRET_KEY = env.str("SECRET_KEY", default="") or _DEVELOPMENT_SECRET_KEY
if not DEBUG and (SECRET_KEY == _DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY is missing or is the development default, and DEBUG is off. "
        "Set SECRET_KEY to a random value of at least 50 characters, for example the "
        "output of: python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "django_countries",
    "guichet.apps.LoginProtectionConfig",  # django-axes
    # Two-factor sign-in for staff (guichet/twofactor.py): an authenticator app (TOTP)
    # and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "guichet",
    "associations",
    "services",
    "referrals",
    "upkeep",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "guichet.middleware.StaffSessionTimeout",
    # Staff must confirm their log-in with a second factor; nothing turns this off.
    "django_otp.middleware.OTPMiddleware",
    "guichet.twofactor.RequireSecondFactor",
    "guichet.middleware.RefuseNulInAdmin",
    "referrals.middleware.LogRefusedReferralPages",
    # After everything that may mark a request as someone's own (session, messages).
    "guichet.pagecache.PageCacheMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "guichet.urls"
WSGI_APPLICATION = "guichet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guichet.context_processors.desk",
                "guichet.context_processors.staff",
            ],
        },
    },
]

# Database: DATABASE_URL when given, otherwise the project-local cluster that
# `make run` / `make test` start (guichet/localdb.py; where it lives: guichet/local_cluster.py).
# Two roles (guichet/dbroles.py): the application connects as one that owns nothing and
# may only add to the access log; MIGRATE_DATABASE_URL (same database) is the owner,
# which runs the migrations.
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
    MIGRATE_DATABASE = (
        env.db_url("MIGRATE_DATABASE_URL") if env.str("MIGRATE_DATABASE_URL", default="") else None
    )
    if MIGRATE_DATABASE and MIGRATE_DATABASE.get("NAME") != DATABASES["default"]["NAME"]:
        raise ImproperlyConfigured(
            "MIGRATE_DATABASE_URL must name the same database as DATABASE_URL "
            "(it is the same database, reached as its owner)."
        )
else:
    DATABASES = {"default": local_cluster.database_settings()}
    MIGRATE_DATABASE = local_cluster.owner_settings()
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: four languages, French when the browser asks for none of them.
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Africa/Casablanca"
USE_TZ = True

# Content fields are translated with django-modeltranslation; a field missing in the
# visitor's language falls back to French, then English, Spanish, Arabic.
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("ar", "fr", "es", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr", "en", "es", "ar")

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Security (OWASP ASVS level 2) -------------------------------------------------
# HTTPS is on by default in production; a deployment behind a TLS-terminating proxy
# keeps it on and sets X-Forwarded-Proto (see docs/deploy.md).
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer probes over plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "guichet.views.csrf_failure"

# Content-Security-Policy: nothing from elsewhere, no inline script. Inline styles
# stay allowed because Django admin writes style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Sessions: staff sessions end after 30 minutes idle and 12 hours in all.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login protection (django-axes, guichet/login.py): 5 failures for one username from one
# client address within 30 minutes lock that pair for 30 minutes, so a stranger cannot
# lock the desk out from elsewhere. Failures for one username spread over many addresses
# (LOGIN_SPREAD_LIMIT within LOGIN_SPREAD_WINDOW) cool the username down for every
# address it has not logged in from in LOGIN_USUAL_ADDRESS_DAYS days.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "guichet.login.attempted_username"
AXES_CLIENT_IP_CALLABLE = "guichet.login.client_ip"
AXES_HANDLER = "guichet.login.LoginHandler"
# A refused attempt during a lock-out is not recorded: it shows the lock-out page, does
# not prolong the lock, and a flood writes nothing more to the database.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
LOGIN_SPREAD_LIMIT = env.int("LOGIN_SPREAD_LIMIT", default=20)
LOGIN_SPREAD_WINDOW = timedelta(minutes=env.int("LOGIN_SPREAD_MINUTES", default=15))
LOGIN_USUAL_ADDRESS_DAYS = 90
# Our own reverse proxies: only their X-Forwarded-For is believed (addresses or networks).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network(item, strict=False) for item in TRUSTED_PROXIES]

# How many proxies of ours stand in front of the application and append to
# X-Forwarded-For (nginx: 1). 0 trusts no header: the connection's address is the
# client's. Used by the rate limits of anonymous forms (guichet/clientip.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# "Report a problem": at most this many reports per client address per hour.
PROBLEM_REPORTS_PER_HOUR = env.int("PROBLEM_REPORTS_PER_HOUR", default=5)

# A service not verified for this many months is stale: its association's staff are asked
# to review it (`send_verification_requests`, at most once a month per association).
VERIFY_AFTER_MONTHS = env.int("VERIFY_AFTER_MONTHS", default=5)
# The site's address, for links in e-mails sent from commands (pages link root-relative).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Cache: local memory by default; several app servers share Redis through CACHE_URL.
# The page cache (guichet/pagecache.py) keeps whole public pages in two bounded caches:
# "pages" and "searches" (pages with free text, whose addresses are unbounded), so a
# flood of distinct searches never pushes out the home page or a service page. With
# Redis they are prefixes of the same server, bounded by its maxmemory (docs/deploy.md).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}


def _page_cache(name: str, max_entries: int) -> dict:
    if env.str("CACHE_URL", default=""):
        return {**env.cache_url("CACHE_URL"), "KEY_PREFIX": f"guichet-{name}"}
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": f"guichet-{name}",
        "OPTIONS": {"MAX_ENTRIES": max_entries},
    }


PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
CACHES["pages"] = _page_cache("pages", env.int("PAGE_CACHE_MAX_ENTRIES", default=1000))
CACHES["searches"] = _page_cache("searches", env.int("PAGE_CACHE_MAX_SEARCHES", default=500))
# Seconds an entry may live (it is dead anyway once the catalogue changes); a page that
# says what is open now, or a search, lives two minutes at most.
PAGE_CACHE_TIMEOUT = env.int("PAGE_CACHE_TIMEOUT", default=600)
# max-age sent to browsers and shared proxies for anonymous pages: how stale a page
# kept by a proxy may be. 0 makes every proxy ask again (and get a 304).
PAGE_CACHE_MAX_AGE = env.int("PAGE_CACHE_MAX_AGE", default=60)
# A larger response (a big API page) is served but not kept.
PAGE_CACHE_MAX_BYTES = env.int("PAGE_CACHE_MAX_BYTES", default=512 * 1024)

# The name authenticator apps show beside the account (django-otp's TOTP devices).
OTP_TOTP_ISSUER = env.str("TWO_FACTOR_ISSUER", default="Guichet")

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "desk:dashboard"
LOGOUT_REDIRECT_URL = "home"

# Outgoing mail from one URL: smtp+tls://user:password@host:587 in production, the
# console (messages printed, nothing sent) by default. EMAIL_BACKEND still overrides.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
if env.str("EMAIL_BACKEND", default=""):
    EMAIL_BACKEND = env.str("EMAIL_BACKEND")
# A mail server that does not answer must not hold a desk page for long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="guichet@localhost")
# Where links in e-mails point: the site's address as people reach it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# modeltranslation's tabbed admin uses jQuery UI (setting name is modeltranslation's):
# serve our copy, never a CDN.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# Closed referrals keep their personal data this long; `purge_referrals` erases it after.
REFERRAL_RETENTION_MONTHS = env.int("REFERRAL_RETENTION_MONTHS", default=24)

# An association that has not answered a referral after this many working days
# (Monday to Friday) is reminded by `send_reminders`.
REFERRAL_ANSWER_DAYS = env.int("REFERRAL_ANSWER_DAYS", default=3)

# Dates and times in each language's own way (Django has no Arabic date-time format,
# so Arabic pages fell back to the American one): see guichet/formats/.
FORMAT_MODULE_PATH = ["guichet.formats"]

# Statistics: a count from 1 to STATS_MIN_CELL - 1 is shown as "<STATS_MIN_CELL".
STATS_MIN_CELL = env.int("STATS_MIN_CELL", default=10)
