"""The project-local PostgreSQL cluster helper (the cluster itself is what the suite runs on)."""

import shutil
import subprocess
import sys

import pytest
from django.conf import settings

from guichet import local_cluster, localdb


def test_it_says_what_to_install_when_postgresql_is_missing(monkeypatch, tmp_path):
    monkeypatch.delenv("PG_BINDIR", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(localdb, "DEBIAN_ROOT", tmp_path)
    with pytest.raises(localdb.LocalDBError, match="apt-get install -y postgresql"):
        localdb.bindir()


def test_the_cluster_moves_to_tmp_when_the_server_account_cannot_enter(monkeypatch):
    monkeypatch.setattr(local_cluster, "is_root", lambda: True)
    monkeypatch.setattr(local_cluster, "_can_enter", lambda user, path: False)
    folder = local_cluster.cluster_dir()
    assert folder.name.startswith("guichet-pg-") and "var" not in folder.parts


def test_the_tmp_folder_is_keyed_by_the_checkout(monkeypatch, tmp_path):
    monkeypatch.setattr(local_cluster, "is_root", lambda: True)
    monkeypatch.setattr(local_cluster, "_can_enter", lambda user, path: False)
    here = local_cluster.cluster_dir()
    monkeypatch.setattr(local_cluster, "BASE_DIR", tmp_path)
    assert local_cluster.cluster_dir() != here


def test_a_socket_path_too_long_moves_the_cluster_to_tmp(monkeypatch, tmp_path):
    monkeypatch.setattr(local_cluster, "is_root", lambda: False)
    monkeypatch.setattr(local_cluster, "BASE_DIR", tmp_path / ("x" * 120))
    assert local_cluster.cluster_dir().name.startswith("guichet-pg-")


def test_the_local_cluster_listens_only_on_its_socket():
    settings = local_cluster.database_settings()
    assert settings["HOST"].endswith("/run") and settings["PORT"] == ""


def test_the_settings_import_no_tooling():
    """Starting the application loads neither the cluster's nor the backups' tooling."""
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys, django;"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'guichet.settings');"
            "django.setup();"
            "print(sorted(m for m in sys.modules if m.startswith('guichet.')))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    ).stdout
    assert "'guichet.settings'" in loaded
    assert "guichet.localdb" not in loaded and "guichet.backups" not in loaded
