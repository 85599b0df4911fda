"""Backups: backup, verify_backup and restore_backup.

The round trips need PostgreSQL (CI runs them there); on SQLite only the
refusal is checked.
"""

import json
import subprocess
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from caseload.models import ServiceUser, Session
from connecting_people import backups
from tests.caseload.factories import ServiceUserFactory, SessionFactory

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="backups use pg_dump and pg_restore: set DATABASE_URL to a PostgreSQL database",
)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="checks the SQLite refusal")
@pytest.mark.parametrize(
    "args", [["backup"], ["verify_backup", "anywhere"], ["restore_backup", "x", "--confirm", "y"]]
)
def test_on_sqlite_the_backup_commands_say_they_need_postgresql(db, args, tmp_path):
    with pytest.raises(CommandError, match="Backups need PostgreSQL"):
        call_command(*args)
    assert not list(tmp_path.iterdir())


@pytest.fixture
def scratch(monkeypatch):
    """The scratch databases this test's verifications make, named with a tag of
    their own: tests on the other worker verify on the same server at the same
    time, so each checks only its own (``scratch.made``, ``scratch.left()``)."""
    tag = f"cp_verify_t{uuid.uuid4().hex[:8]}_"
    made = []
    real_name = backups.scratch_name

    def tagged_name():
        made.append(real_name().replace("cp_verify_", tag, 1))
        return made[-1]

    monkeypatch.setattr(backups, "scratch_name", tagged_name)

    def left():
        with connection.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [tag + "%%"])
            return [row[0] for row in cursor.fetchall()]

    return SimpleNamespace(made=made, left=left)


def _counts():
    with connection.cursor() as cursor:
        return backups._count_tables(cursor)


@pytest.fixture
def data(transactional_db, team_a, owner):
    person = ServiceUserFactory(team=team_a, allocated_worker=owner, preferred_name="Robin")
    for _ in range(4):
        SessionFactory(service_user=person, author=owner)
    name = default_storage.save("backups-test/letter.txt", ContentFile(b"a letter"))
    yield person, name
    default_storage.delete(name)


def _backup(tmp_path, capsys):
    call_command("backup", "--output-dir", str(tmp_path))
    out = capsys.readouterr().out
    folder = Path(out.split("Backup written to ")[1].split(":")[0])
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media.tar.gz", "manifest.json"}
    return folder


@on_postgresql
def test_a_backup_verifies_in_a_scratch_database_that_is_then_dropped(
    data, tmp_path, capsys, scratch
):
    folder = _backup(tmp_path, capsys)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tables"]["caseload_session"] == 4
    assert manifest["tables"]["caseload_serviceuser"] == 1
    assert "backups-test/letter.txt" in manifest["files"]
    live_before = _counts()
    call_command("verify_backup", str(folder))
    out = capsys.readouterr().out
    assert "OK: database.dump and media.tar.gz match their checksums" in out
    assert "The backup is good." in out
    assert len(scratch.made) == 1 and scratch.left() == []
    assert _counts() == live_before


@on_postgresql
def test_backup_then_deleted_rows_then_restore_brings_the_rows_back(data, tmp_path, capsys):
    person, name = data
    folder = _backup(tmp_path, capsys)
    Session.objects.filter(service_user=person).delete()
    ServiceUser.objects.filter(pk=person.pk).delete()
    default_storage.delete(name)
    live = connection.settings_dict["NAME"]
    with pytest.raises(CommandError, match="--confirm must be the name"):
        call_command("restore_backup", str(folder), "--confirm", "someone-else")
    assert not ServiceUser.objects.exists()

    call_command("restore_backup", str(folder), "--confirm", live)
    assert ServiceUser.objects.get().preferred_name == "Robin"
    assert Session.objects.filter(service_user__preferred_name="Robin").count() == 4
    with default_storage.open(name) as handle:
        assert handle.read() == b"a letter"


@on_postgresql
def test_a_corrupt_dump_fails_verification_and_leaves_the_live_database_alone(
    data, tmp_path, capsys, scratch
):
    folder = _backup(tmp_path, capsys)
    with open(folder / "database.dump", "ab") as handle:
        handle.write(b"garbage")
    before = _counts()
    with pytest.raises(CommandError, match="database.dump does not match its checksum"):
        call_command("verify_backup", str(folder))
    assert _counts() == before
    assert scratch.left() == []


@on_postgresql
def test_mismatched_row_counts_and_files_are_named(data, tmp_path, capsys, scratch):
    folder = _backup(tmp_path, capsys)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["tables"]["caseload_session"] = 5
    manifest["files"]["backups-test/letter.txt"]["sha256"] = "0" * 64
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError) as error:
        call_command("verify_backup", str(folder))
    message = str(error.value)
    assert "table caseload_session: 4 rows restored, 5 in the manifest" in message
    assert "file backups-test/letter.txt does not match its checksum" in message
    assert len(scratch.made) == 1 and scratch.left() == []


@on_postgresql
def test_verify_backup_exits_non_zero_from_the_command_line(data, tmp_path, capsys):
    folder = _backup(tmp_path, capsys)
    (folder / "media.tar.gz").write_bytes(b"not a tarball")
    result = subprocess.run(
        [
            str(Path(__file__).resolve().parents[2] / ".venv/bin/python"),
            "manage.py",
            "verify_backup",
            str(folder),
        ],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=False,
        env={**__import__("os").environ, "DJANGO_DEBUG": "1"},
    )
    assert result.returncode != 0
    assert "media.tar.gz does not match its checksum" in result.stderr


@on_postgresql
def test_a_folder_without_a_manifest_is_refused(transactional_db, tmp_path):
    with pytest.raises(CommandError, match="No manifest.json"):
        call_command("verify_backup", str(tmp_path))
