"""Audit the installed Python packages for known vulnerabilities, online or offline.

1. When PyPI's vulnerability data can be reached, run ``pip-audit --strict`` against it.
2. Otherwise, when a local copy of the OSV database is present (the unzipped PyPI export
   of https://osv.dev, ``OSV_DB`` or ``var/osv/``: one ``<ID>.json`` file per advisory),
   serve it on the loopback interface as OSV's query API and run pip-audit against it.
3. Otherwise say loudly that the audit was skipped, and exit 0: an audit that could not
   be done is reported as such, never as a clean one, and does not fail ``make lint``.

Exit status: pip-audit's (1 when a vulnerable package is found), or 0 when skipped.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess  # nosec B404
import sys
import threading
import urllib.request
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

BASE_DIR = Path(__file__).resolve().parent.parent
# pip-audit asks PyPI for each package at its version: probe that very endpoint (a
# partial mirror may answer the package's page but not the version's).
PROBE_URL = "https://pypi.org/pypi/django/{version}/json"
PIP_AUDIT = [sys.executable, "-m", "pip_audit", "--progress-spinner", "off", "--skip-editable"]


def online(timeout: float = 5) -> bool:
    """Tell whether PyPI's JSON API (where pip-audit reads advisories) answers."""
    if os.environ.get("AUDIT_OFFLINE"):
        return False
    try:
        # A fixed https URL.
        url = PROBE_URL.format(version=importlib.metadata.version("django"))
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310  # nosec B310
            return response.status == 200
    except OSError:
        return False


def load_advisories(folder: Path) -> dict[str, list[dict]]:
    """Read the OSV records of ``folder``, indexed by canonical PyPI package name."""
    index: dict[str, list[dict]] = {}
    for path in folder.rglob("*.json"):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for affected in record.get("affected", []):
            package = affected.get("package", {})
            if package.get("ecosystem") == "PyPI" and package.get("name"):
                index.setdefault(canonicalize_name(package["name"]), []).append(record)
    return index


def _in_range(version: Version, events: list[dict]) -> bool:
    """Evaluate an OSV ECOSYSTEM range (sorted introduced/fixed/last_affected events)."""

    def parse(value: str) -> Version | None:
        try:
            return Version(value)
        except InvalidVersion:
            return None

    affected = False
    for event in sorted(
        events, key=lambda e: parse(next(iter(e.values()))) or Version("0"), reverse=False
    ):
        if "introduced" in event:
            start = parse(event["introduced"]) if event["introduced"] != "0" else Version("0")
            if start is not None and version >= start:
                affected = True
        elif "fixed" in event:
            end = parse(event["fixed"])
            if end is not None and version >= end:
                affected = False
        elif "last_affected" in event:
            end = parse(event["last_affected"])
            if end is not None and version > end:
                affected = False
    return affected


def affects(record: dict, name: str, version: str) -> bool:
    """Tell whether the OSV ``record`` concerns ``name`` at ``version``."""
    try:
        parsed = Version(version)
    except InvalidVersion:
        return False
    for affected in record.get("affected", []):
        package = affected.get("package", {})
        if package.get("ecosystem") != "PyPI":
            continue
        if canonicalize_name(package.get("name", "")) != name:
            continue
        if version in affected.get("versions", []):
            return True
        for span in affected.get("ranges", []):
            if span.get("type") == "ECOSYSTEM" and _in_range(parsed, span.get("events", [])):
                return True
    return False


def serve(index: dict[str, list[dict]]) -> ThreadingHTTPServer:
    """Answer OSV's ``POST /v1/query`` from ``index``, on a free loopback port."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            query = json.loads(self.rfile.read(length) or b"{}")
            name = canonicalize_name(query.get("package", {}).get("name", ""))
            version = query.get("version", "")
            vulns = [r for r in index.get(name, []) if affects(r, name, version)]
            body = json.dumps({"vulns": vulns} if vulns else {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> int:
    if online():
        print("pip-audit: auditing against PyPI's vulnerability data.", flush=True)
        # pip-audit, fixed arguments.
        return subprocess.call([*PIP_AUDIT, "--strict"])  # noqa: S603  # nosec B603
    folder = Path(os.environ.get("OSV_DB") or BASE_DIR / "var" / "osv")
    index = load_advisories(folder) if folder.is_dir() else {}
    if not index:
        print(
            "pip-audit: SKIPPED, dependencies NOT audited. PyPI's vulnerability data cannot be "
            f"reached from here and there is no local OSV database in {folder}. To audit "
            "offline, unzip OSV's PyPI export (osv-vulnerabilities/PyPI/all.zip) there, "
            "or set OSV_DB to its folder.",
            flush=True,
        )
        return 0
    newest = max((r.get("modified", "") for records in index.values() for r in records), default="")
    count = len({r["id"] for records in index.values() for r in records})
    print(
        f"pip-audit: PyPI unreachable; auditing against the local OSV database in {folder} "
        f"({count} advisories, newest modified {newest or 'unknown'}; "
        f"checked {datetime.now(UTC):%Y-%m-%d}).",
        flush=True,
    )
    server = serve(index)
    try:
        url = f"http://127.0.0.1:{server.server_port}/v1/query"
        # pip-audit against our own loopback server, fixed arguments.
        return subprocess.call(  # noqa: S603  # nosec B603
            [*PIP_AUDIT, "--vulnerability-service", "osv", "--osv-url", url]
        )
    finally:
        server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
