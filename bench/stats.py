"""Statistics benchmark: `make bench` (after the catalogue one).

Generates 100,000 referrals in a scratch database (guichet_bench_stats) and measures
the statistics page: SQL queries and median server time. Targets: 300 ms median at
100,000 referrals (issue #5), and a fixed number of queries whatever the data: issue #5's
20, plus the staff member's second factor (django-otp, issue #13) and the three of the
catalogue's health month by month (upkeep.statistics, issue #15), so at most 24.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from measure import measure  # noqa: E402

from guichet import dbroles, roles  # noqa: E402

RUNS = 20
MAX_QUERIES = 24
REFERRALS = 100_000


def main() -> None:
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "guichet_bench_stats"
    with dbroles.as_owner():  # creating and dropping databases is the owner's
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("generate_catalogue", services=200, seed=3, verbosity=0)
    started = time.perf_counter()
    call_command("generate_referrals", count=REFERRALS, seed=5, verbosity=0)
    print(f"generate_referrals --count {REFERRALS}: {time.perf_counter() - started:.1f} s")
    # VACUUM and ANALYZE are the owner's (the application's role may not run them).
    with dbroles.as_owner(), connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    admin = get_user_model().objects.create_user("bench-admin", is_staff=True)
    admin.groups.add(Group.objects.get_or_create(name=roles.MUNICIPAL_ADMIN)[0])
    client = Client()
    client.force_login(admin)
    # Staff pages need the second factor (django-otp): a confirmed authenticator, and the
    # session marked as having given its code, as after a real log-in.
    device = TOTPDevice.objects.create(user=admin, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    failures = []
    print(f"\n{'page':40} {'queries':>7} {'median ms':>10} {'p90 ms':>8}")
    pages = {
        "statistics, last 12 months": "/fr/stats/",
        "statistics, five years": "/fr/stats/?start=2022-01-01",
        "statistics CSV export": "/fr/stats/export/need.csv",
    }
    for label, result in measure(client, pages, RUNS).items():
        queries, median, p90 = result["queries"], result["median_ms"], result["p90_ms"]
        print(f"{label:40} {queries:>7} {median:>10.1f} {p90:>8.1f}")
        if queries > MAX_QUERIES:
            failures.append(f"{label}: {queries} queries > {MAX_QUERIES}")
        if median > 300:
            failures.append(f"{label}: median {median:.1f} ms > 300 ms")

    with dbroles.as_owner():  # creating and dropping databases is the owner's
        connection.creation.destroy_test_db("guichet_bench_stats", verbosity=0)
    if failures:
        print("\nTARGETS MISSED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("\nAll statistics targets met.")


if __name__ == "__main__":
    main()
