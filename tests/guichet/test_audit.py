"""`make lint`'s dependency audit: against a local OSV database when PyPI is out of reach,
and a clear "skipped" (exit 0) when there is neither."""

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

AUDIT = Path(__file__).resolve().parents[2] / ".ci" / "audit.py"


def run_audit(osv_db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "AUDIT_OFFLINE": "1", "OSV_DB": str(osv_db)}
    return subprocess.run(
        [sys.executable, str(AUDIT)], env=env, capture_output=True, text=True, timeout=120
    )


def advisory(folder: Path, fixed: str) -> None:
    folder.mkdir(exist_ok=True)
    record = {
        "id": "GHSA-guic-het0-0001",
        "modified": "2026-01-01T00:00:00Z",
        "summary": "A test advisory",
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "polib"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}
                ],
            }
        ],
    }
    (folder / "GHSA-guic-het0-0001.json").write_text(json.dumps(record))


@pytest.mark.parametrize(
    ("fixed", "found"), [("999.0", True), (importlib.metadata.version("polib"), False)]
)
def test_it_audits_against_the_local_osv_database(tmp_path, fixed, found):
    advisory(tmp_path / "osv", fixed)
    result = run_audit(tmp_path / "osv")
    assert "local OSV database" in result.stdout
    assert (result.returncode == 1) is found
    assert ("GHSA-guic-het0-0001" in result.stdout) is found


def test_it_says_the_audit_was_skipped_without_failing(tmp_path):
    result = run_audit(tmp_path / "missing")
    assert result.returncode == 0
    assert "SKIPPED, dependencies NOT audited" in result.stdout
