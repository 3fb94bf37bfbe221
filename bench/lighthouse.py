"""Lighthouse (mobile) on the public pages: `make bench` runs it after the HTTP benchmark.

Loads the demo catalogue into a scratch database (guichet_lighthouse), starts gunicorn
with production settings (DEBUG off, the page cache as shipped; bench/web.py's Server)
and runs Lighthouse 12.2.3 with its mobile defaults (a mid-range phone, simulated slow 4G)
on the home page, the service list and a service page, in Arabic and French. Each page
is measured BENCH_LIGHTHOUSE_RUNS times (3 by default) and its median scores kept, as
Lighthouse's documentation advises against variability: the performance score reads
the main thread's time slowed four times, and this machine is shared (the load average
is printed). Prints the median scores of each page, every run's, and the audits that
cost a point in the median run.

Targets (issue 16): accessibility 100, best practices 100, performance >= 95.

Needs Node 20 (`npx`) and Chromium (CHROME_PATH, /usr/bin/chromium by default); the first
run downloads Lighthouse through npm's ordinary client into npx's cache.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

# bench/ is the script's folder, first on sys.path; importing web sets Django up.
from web import Server, database_url

# isort: split
from django.core.management import call_command
from django.db import connection

from guichet import dbroles

LIGHTHOUSE = "lighthouse@12.2.3"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
DB_NAME = "guichet_lighthouse"
LANGUAGES = ["ar", "fr"]
CATEGORIES = {"performance": 95, "accessibility": 100, "best-practices": 100}
RUNS = int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "3"))


def prepare_database() -> str:
    """Create the scratch database with the demo catalogue; return a service's slug."""
    connection.settings_dict.setdefault("TEST", {})["NAME"] = DB_NAME
    with dbroles.as_owner():
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    call_command("load_demo", verbosity=0)
    from services.models import Service

    # A service with a place and both buttons (its own numbers or its association's): the
    # fullest kind of page.
    services = Service.objects.active().exclude(location=None).select_related("association")
    service = next(s for s in services.order_by("slug") if s.contact_phone and s.contact_whatsapp)
    return service.slug


def lighthouse(url: str) -> dict | None:
    """Run Lighthouse on ``url``; return its JSON report, or None when the run failed
    (Lighthouse's own runtime errors, such as a trace it could not record)."""
    with tempfile.TemporaryDirectory() as folder:
        report = os.path.join(folder, "report.json")
        finished = subprocess.run(  # noqa: S603 (our own arguments)
            [
                shutil.which("npx") or "npx",
                "--yes",
                LIGHTHOUSE,
                url,
                "--form-factor=mobile",
                f"--only-categories={','.join(CATEGORIES)}",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                "--output=json",
                f"--output-path={report}",
                "--quiet",
            ],
            env={**os.environ, "CHROME_PATH": CHROME},
            check=False,
            timeout=300,
        )
        if finished.returncode or not os.path.exists(report):
            return None
        with open(report, encoding="utf-8") as file:
            result = json.load(file)
    if result.get("runtimeError") or any(
        category["score"] is None for category in result["categories"].values()
    ):
        return None
    return result


def scores(report: dict) -> dict:
    """Each category's score out of 100."""
    return {key: round(category["score"] * 100) for key, category in report["categories"].items()}


def lost_points(report: dict) -> list[str]:
    """The audits that cost points in ``report``."""
    lost = []
    for key, category in report["categories"].items():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                shown = audit.get("displayValue", "")
                lost.append(f"{key}: {ref['id']} {audit['score']:.2f} {shown}".rstrip())
    return lost


def measure(url: str) -> tuple[dict, list[dict], list[str]]:
    """Run Lighthouse RUNS times on ``url`` (a failed run is run again, twice at most);
    return the median scores, every run's scores and the median run's lost points."""
    reports: list[dict] = []
    for _attempt in range(RUNS + 2):
        report = lighthouse(url)
        if report is not None:
            reports.append(report)
        if len(reports) == RUNS:
            break
    if not reports:
        raise SystemExit(f"Lighthouse failed on {url} {RUNS + 2} times")
    runs = [scores(report) for report in reports]
    median = {key: statistics.median_low(run[key] for run in runs) for key in CATEGORIES}
    middle = sorted(range(len(runs)), key=lambda i: runs[i]["performance"])[len(runs) // 2]
    return median, runs, lost_points(reports[middle])


def run_pages(server: Server, slug: str) -> list[str]:
    """Measure each page in each language; print the scores; return the targets missed."""
    failures = []
    pages = {"home": "", "service list": "services/", "service page": f"services/{slug}/"}
    print(f"load average before: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
    print(
        f"\n{'page (median of runs)':26} {'performance':>12} {'accessibility':>14} "
        f"{'best practices':>15}  runs (performance)"
    )
    for language in LANGUAGES:
        for label, path in pages.items():
            url = f"{server.base}/{language}/{path}"
            server.get(url.removeprefix(server.base))  # the page cache as visitors find it
            median, runs, lost = measure(url)
            print(
                f"{f'/{language}/ {label}':26} {median['performance']:>12} "
                f"{median['accessibility']:>14} {median['best-practices']:>15}  "
                + " ".join(str(run["performance"]) for run in runs)
            )
            for line in lost:
                print(f"    {line}")
            failures.extend(
                f"/{language}/{path}: {key} {median[key]} < {target}"
                for key, target in CATEGORIES.items()
                if median[key] < target
            )
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return failures


def main() -> None:
    if shutil.which("npx") is None:
        raise SystemExit("npx is missing: Lighthouse needs Node 20 (apt-get install -y npm)")
    if not os.path.exists(CHROME):
        raise SystemExit(f"Chromium is missing at {CHROME} (apt-get install -y chromium)")
    print(f"\nLighthouse ({LIGHTHOUSE}, mobile): gunicorn, production settings, demo catalogue")
    server = None
    try:
        slug = prepare_database()
        server = Server("lighthouse", DATABASE_URL=database_url(DB_NAME))
        failures = run_pages(server, slug)
    finally:
        if server is not None:
            server.stop()
        with dbroles.as_owner():
            connection.creation.destroy_test_db(DB_NAME, verbosity=0)
    if failures:
        print("\nTARGETS MISSED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("\nAll Lighthouse targets met (performance >= 95, accessibility and best practices 100).")


if __name__ == "__main__":
    main()
