"""Backups you can trust: write one, verify it by restoring it, restore it.

A backup is a folder holding

- ``database.dump``: a PostgreSQL custom-format dump (``pg_dump -Fc``);
- ``media.tar.gz``: the uploaded files (``MEDIA_ROOT``);
- ``manifest.json``: when and what was backed up, the row count of every table
  (counted in the same snapshot the dump was taken from, so they agree exactly),
  the SHA-256 of every uploaded file, and of the dump and tarball themselves.

:func:`verify` restores the dump into a scratch database with a unique name,
compares every table's row count with the manifest, checks every file in the
tarball against its checksum, and drops the scratch database: the live database
is never touched. :func:`restore` puts a verified backup back into the live
database and media folder (the README gives the procedure).

PostgreSQL only: SQLite is for development.
"""

import datetime
import hashlib
import json
import os
import secrets
import shutil
import subprocess  # noqa: S404 - runs the PostgreSQL client tools, with fixed arguments
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection

DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or its check failed; the message says what differs or broke."""


def require_postgresql():
    if connection.vendor != "postgresql":
        raise BackupError(
            "Backups need PostgreSQL (DATABASE_URL=postgres://…); this database is "
            f"{connection.vendor}. SQLite is for development: copy the file instead."
        )


def _settings():
    db = connection.settings_dict
    return {
        "NAME": db["NAME"],
        "USER": db.get("USER") or "",
        "PASSWORD": db.get("PASSWORD") or "",
        "HOST": db.get("HOST") or "",
        "PORT": str(db.get("PORT") or ""),
    }


def live_database_name():
    return _settings()["NAME"]


def _client_env(db):
    env = dict(os.environ)
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _client_args(db):
    args = []
    if db["HOST"]:
        args += ["-h", db["HOST"]]
    if db["PORT"]:
        args += ["-p", db["PORT"]]
    if db["USER"]:
        args += ["-U", db["USER"]]
    return args


def _tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"The PostgreSQL client tool {name} is not installed (postgresql-client)")
    return path


def _run(args, db):
    result = subprocess.run(  # noqa: S603 - our own arguments, never a shell
        args, env=_client_env(db), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        tool = Path(args[0]).name
        raise BackupError(f"{tool} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result


def _connect(db, name=None):
    import psycopg2

    return psycopg2.connect(
        dbname=name or db["NAME"],
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    )


def _quote(name):
    return '"' + name.replace('"', '""') + '"'


def _count_tables(cursor):
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {_quote(table)}")  # noqa: S608 - quoted identifier
        counts[table] = cursor.fetchone()[0]
    return counts


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader:
    """Reads a file for the tarball while hashing exactly the bytes written."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _write_media(media_root, target):
    files = {}
    with tarfile.open(target, "w:gz") as archive:
        if media_root.is_dir():
            for path in sorted(p for p in media_root.rglob("*") if p.is_file()):
                name = path.relative_to(media_root).as_posix()
                with open(path, "rb") as handle:
                    info = archive.gettarinfo(str(path), arcname=name)
                    reader = _HashingReader(handle)
                    archive.addfile(info, reader)
                files[name] = {"sha256": reader.digest.hexdigest(), "size": info.size}
    return files


def backup(output_dir=None, *, now=None):
    """Write a backup folder; returns its path."""
    require_postgresql()
    db = _settings()
    now = now or datetime.datetime.now(datetime.UTC)
    root = Path(output_dir or settings.CONNECTING_PEOPLE["BACKUP_DIR"])
    folder = root / f"cp-backup-{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
    folder.mkdir(parents=True)
    os.chmod(folder, 0o700)
    # Count the rows in one snapshot and dump that same snapshot.
    conn = _connect(db)
    try:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _count_tables(cursor)
            _run(
                [
                    _tool("pg_dump"),
                    *_client_args(db),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={folder / DUMP}",
                    db["NAME"],
                ],
                db,
            )
        conn.rollback()
    finally:
        conn.close()
    files = _write_media(Path(settings.MEDIA_ROOT), folder / MEDIA)
    manifest = {
        "format": FORMAT,
        "created_at": now.isoformat(),
        "database": db["NAME"],
        "tables": counts,
        "files": files,
        "artefacts": {DUMP: sha256_file(folder / DUMP), MEDIA: sha256_file(folder / MEDIA)},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return folder


def _manifest_folder(path):
    path = Path(path)
    folder = path.parent if path.name == MANIFEST else path
    if not (folder / MANIFEST).is_file():
        raise BackupError(f"No {MANIFEST} in {folder}: give the backup's folder.")
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (ValueError, OSError) as exc:
        raise BackupError(f"{MANIFEST} cannot be read: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} is not a Connecting People backup manifest.")
    return folder, manifest


def _check_artefacts(folder, manifest):
    problems = []
    for name, expected in (manifest.get("artefacts") or {}).items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif sha256_file(path) != expected:
            problems.append(f"{name} does not match its checksum (corrupt or changed)")
    if set(manifest.get("artefacts") or {}) != {DUMP, MEDIA}:
        problems.append("the manifest does not list the dump and the files tarball")
    return problems


def _check_files(folder, manifest):
    expected = manifest.get("files") or {}
    problems, seen = [], set()
    try:
        with tarfile.open(folder / MEDIA, "r:gz") as archive:
            for member in archive:
                if not member.isfile():
                    continue
                seen.add(member.name)
                handle = archive.extractfile(member)
                digest = hashlib.sha256()
                for chunk in iter(lambda h=handle: h.read(CHUNK), b""):
                    digest.update(chunk)
                wanted = expected.get(member.name)
                if wanted is None:
                    problems.append(f"file {member.name} is not in the manifest")
                elif digest.hexdigest() != wanted["sha256"]:
                    problems.append(f"file {member.name} does not match its checksum")
    except (tarfile.TarError, OSError, EOFError) as exc:
        return [f"{MEDIA} cannot be read: {exc}"]
    problems += [f"file {name} is missing from {MEDIA}" for name in sorted(set(expected) - seen)]
    return problems


def _compare_counts(expected, found):
    problems = []
    for table in sorted(set(expected) | set(found)):
        if table not in found:
            problems.append(f"table {table} is missing from the restored database")
        elif table not in expected:
            problems.append(f"table {table} is in the restored database but not the manifest")
        elif expected[table] != found[table]:
            problems.append(
                f"table {table}: {found[table]} rows restored, {expected[table]} in the manifest"
            )
    return problems


def scratch_name():
    """A database name no one else uses: the verification's own, dropped after."""
    return f"cp_verify_{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S}_{secrets.token_hex(4)}"


def verify(path):
    """Check a backup by restoring it into a scratch database. Returns a list of
    what was checked; raises :class:`BackupError` naming every difference."""
    require_postgresql()
    db = _settings()
    folder, manifest = _manifest_folder(path)
    problems = _check_artefacts(folder, manifest)
    if problems:
        raise BackupError("The backup is damaged: " + "; ".join(problems) + ".")
    problems = _check_files(folder, manifest)
    scratch = scratch_name()
    if scratch == db["NAME"]:  # pragma: no cover - the names cannot collide
        raise BackupError("The scratch database name would be the live one.")
    _run([_tool("createdb"), *_client_args(db), scratch], db)
    try:
        _run(
            [
                _tool("pg_restore"),
                *_client_args(db),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={scratch}",
                str(folder / DUMP),
            ],
            db,
        )
        conn = _connect(db, scratch)
        try:
            with conn.cursor() as cursor:
                found = _count_tables(cursor)
        finally:
            conn.close()
    finally:
        _run([_tool("dropdb"), *_client_args(db), "--if-exists", "--force", scratch], db)
    problems += _compare_counts(manifest.get("tables") or {}, found)
    if problems:
        raise BackupError("The backup does not match its manifest: " + "; ".join(problems) + ".")
    return [
        f"{DUMP} and {MEDIA} match their checksums",
        f"{len(found)} tables restored into a scratch database with the manifest's row counts "
        f"({sum(found.values())} rows)",
        f"{len(manifest.get('files') or {})} uploaded files match their checksums",
        f"scratch database {scratch} dropped",
    ]


def restore(path):
    """Restore a backup into the live database and media folder, after checking
    its checksums. Replaces what is there now."""
    require_postgresql()
    db = _settings()
    folder, manifest = _manifest_folder(path)
    problems = _check_artefacts(folder, manifest) + _check_files(folder, manifest)
    if problems:
        raise BackupError("The backup is damaged, nothing was restored: " + "; ".join(problems))
    connection.close()
    _run(
        [
            _tool("pg_restore"),
            *_client_args(db),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={db['NAME']}",
            str(folder / DUMP),
        ],
        db,
    )
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    return manifest


def describe(folder):
    """ "42 tables (1234 rows) and 3 files": what a backup holds, in a line."""
    manifest = json.loads((Path(folder) / MANIFEST).read_text())
    rows = sum(manifest["tables"].values())
    return f"{len(manifest['tables'])} tables ({rows} rows) and {len(manifest['files'])} files"
