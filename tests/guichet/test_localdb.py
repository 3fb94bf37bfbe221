"""The project-local PostgreSQL cluster helper (the cluster itself is what the suite runs on)."""

import pytest

from guichet import localdb


def test_it_says_what_to_install_when_postgresql_is_missing(monkeypatch, tmp_path):
    monkeypatch.delenv("PG_BINDIR", raising=False)
    monkeypatch.setattr(localdb.shutil, "which", lambda name: None)
    monkeypatch.setattr(localdb, "DEBIAN_ROOT", tmp_path)
    with pytest.raises(localdb.LocalDBError, match="apt-get install -y postgresql"):
        localdb.bindir()


def test_the_cluster_moves_to_tmp_when_the_server_account_cannot_enter(monkeypatch):
    monkeypatch.setattr(localdb, "is_root", lambda: True)
    monkeypatch.setattr(localdb, "_can_enter", lambda user, path: False)
    folder = localdb.cluster_dir()
    assert folder.name.startswith("guichet-pg-") and "var" not in folder.parts


def test_the_tmp_folder_is_keyed_by_the_checkout(monkeypatch, tmp_path):
    monkeypatch.setattr(localdb, "is_root", lambda: True)
    monkeypatch.setattr(localdb, "_can_enter", lambda user, path: False)
    here = localdb.cluster_dir()
    monkeypatch.setattr(localdb, "BASE_DIR", tmp_path)
    assert localdb.cluster_dir() != here


def test_a_socket_path_too_long_moves_the_cluster_to_tmp(monkeypatch, tmp_path):
    monkeypatch.setattr(localdb, "is_root", lambda: False)
    monkeypatch.setattr(localdb, "BASE_DIR", tmp_path / ("x" * 120))
    assert localdb.cluster_dir().name.startswith("guichet-pg-")


def test_the_local_cluster_listens_only_on_its_socket():
    settings = localdb.database_settings()
    assert settings["HOST"].endswith("/run") and settings["PORT"] == ""
