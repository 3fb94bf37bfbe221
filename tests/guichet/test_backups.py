"""Backups: a dump restored into a scratch database has every row of every table."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_drill_restores_every_row(catalogue, referral, capsys):
    call_command("backup_drill")
    assert "Backup drill passed" in capsys.readouterr().out


def test_backup_writes_a_dump(tmp_path, catalogue):
    call_command("backup", str(tmp_path / "guichet.dump"))
    assert (tmp_path / "guichet.dump").stat().st_size > 1000


def test_restore_asks_for_confirmation(tmp_path, catalogue):
    call_command("backup", str(tmp_path / "guichet.dump"))
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "guichet.dump"))
