"""A backup restores: scripts/backup.sh, then scripts/restore.sh into an empty database and an empty folder.

The hazards and their evidence are made by the portal's services and committed (a transactional test), so
pg_dump sees them. The restored database is read directly (psycopg2): every hazard is there under its
number, and every evidence row finds its file and thumbnail with the checksum the portal recorded.
"""

import hashlib
import os
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.db import connection

from hazards.models import Evidence, EvidenceStage, Hazard
from hazards.services.evidence import evidence_add
from tests.factories import HazardFactory, enterprise_user, inspector, pdf_upload, photo_upload

pytestmark = pytest.mark.resilience

ROOT = Path(__file__).resolve().parents[2]
BACKUP = ROOT / "scripts" / "backup.sh"
RESTORE = ROOT / "scripts" / "restore.sh"


def database_url(name: str) -> str:
    config = connection.settings_dict
    credentials = quote(config["USER"] or "", safe="")
    if config["PASSWORD"]:
        credentials += ":" + quote(config["PASSWORD"], safe="")
    return f"postgres://{credentials}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/{name}"


def run(script: Path, *args: str, **environment: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "EVIDENCE_ROOT")}
    return subprocess.run(
        ["bash", str(script), *args],
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def empty_database(require_postgresql):
    """A new database on the test server, dropped after the test, and its URL."""
    name = f"portal_restore_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(database_url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(name)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def portal_with_evidence(reference_data, liaoning, evidence_root) -> list[Hazard]:
    """Hazards of two enterprises, with photos as found (inspector) and documents of the rectification."""
    city_inspector = inspector(liaoning.shenyang)
    hazards = []
    for index, key in enumerate(["heping", "heping", "shenhe", "shenhe"]):
        enterprise = liaoning.enterprises[key]
        hazard = HazardFactory(enterprise=enterprise, found_by=city_inspector)
        hazards.append(hazard)
        evidence_add(
            actor=city_inspector,
            hazard_id=hazard.pk,
            upload=photo_upload(f"found-{index}.jpg", seed=index),
            stage=EvidenceStage.FOUND,
        )
        if index % 2:
            evidence_add(
                actor=enterprise_user(enterprise),
                hazard_id=hazard.pk,
                upload=pdf_upload(f"整改报告-{index}.pdf"),
                stage=EvidenceStage.RECTIFIED,
            )
    hazards.append(HazardFactory(enterprise=liaoning.enterprises["zhongshan"], found_by=city_inspector))
    return hazards


def backup(tmp_path: Path, evidence_root: Path) -> Path:
    done = run(
        BACKUP,
        str(tmp_path / "backups"),
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        EVIDENCE_ROOT=str(evidence_root),
    )
    assert done.returncode == 0, done.stderr
    folder = Path(done.stdout.strip().splitlines()[-1])
    assert folder.is_dir() and folder.parent == tmp_path / "backups"
    return folder


def test_a_backup_restores_into_an_empty_database_with_every_hazard_and_evidence_file(
    portal_with_evidence, evidence_root, empty_database, tmp_path
):
    hazards = {hazard.pk: hazard.number for hazard in Hazard.objects.all()}
    evidence = list(Evidence.objects.order_by("pk"))
    assert len(hazards) == 5 and len(evidence) == 6
    originals = {
        name: sha256(evidence_root / name)
        for row in evidence
        for name in (row.file.name, row.thumbnail.name)
        if name
    }
    assert any(row.thumbnail.name for row in evidence), "the photos should have thumbnails"

    folder = backup(tmp_path, evidence_root)
    restored_root = tmp_path / "restored-evidence"
    done = run(RESTORE, str(folder), DATABASE_URL=empty_database, EVIDENCE_ROOT=str(restored_root))
    assert done.returncode == 0, done.stderr

    restored = psycopg2.connect(empty_database)
    try:
        with restored.cursor() as cursor:
            cursor.execute("SELECT id, number FROM hazards_hazard")
            restored_hazards = dict(cursor.fetchall())
            cursor.execute("SELECT id, file, thumbnail, sha256 FROM hazards_evidence ORDER BY id")
            restored_evidence = cursor.fetchall()
    finally:
        restored.close()
    assert restored_hazards == hazards
    assert [row[0] for row in restored_evidence] == [row.pk for row in evidence]
    for _pk, file, thumbnail, recorded in restored_evidence:
        assert (restored_root / file).is_file(), f"{file} was not restored"
        assert sha256(restored_root / file) == recorded == originals[file]
        if thumbnail:
            assert sha256(restored_root / thumbnail) == originals[thumbnail]


def test_a_restore_never_overwrites_a_database_or_a_folder_in_use(
    portal_with_evidence, evidence_root, empty_database, tmp_path
):
    folder = backup(tmp_path, evidence_root)

    into_the_portal = run(
        RESTORE,
        str(folder),
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        EVIDENCE_ROOT=str(tmp_path / "new-evidence"),
    )
    assert into_the_portal.returncode != 0
    assert "is not empty" in into_the_portal.stderr and "restore into a new one" in into_the_portal.stderr
    assert not (tmp_path / "new-evidence").exists()

    over_the_evidence = run(
        RESTORE, str(folder), DATABASE_URL=empty_database, EVIDENCE_ROOT=str(evidence_root)
    )
    assert over_the_evidence.returncode != 0
    assert f"{evidence_root} is not empty" in over_the_evidence.stderr
    assert Hazard.objects.count() == 5


def test_a_damaged_backup_is_refused_before_anything_is_restored(
    portal_with_evidence, evidence_root, empty_database, tmp_path
):
    folder = backup(tmp_path, evidence_root)
    with (folder / "evidence.tar").open("r+b") as archive:
        archive.seek(600)
        archive.write(b"\xff\xfe")

    done = run(RESTORE, str(folder), DATABASE_URL=empty_database, EVIDENCE_ROOT=str(tmp_path / "restored"))
    assert done.returncode != 0
    assert "is damaged" in done.stderr
    assert not (tmp_path / "restored").exists()


def test_backups_beyond_the_kept_number_are_removed_oldest_first(
    portal_with_evidence, evidence_root, tmp_path
):
    backups = tmp_path / "backups"
    for stamp in ("20250101T000000Z", "20250102T000000Z", "20250103T000000Z"):
        (backups / f"portal-{stamp}").mkdir(parents=True)
    done = run(
        BACKUP,
        str(backups),
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        EVIDENCE_ROOT=str(evidence_root),
        BACKUP_KEEP="2",
    )
    assert done.returncode == 0, done.stderr
    newest = Path(done.stdout.strip().splitlines()[-1])
    assert sorted(path.name for path in backups.iterdir()) == ["portal-20250103T000000Z", newest.name]


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({}, "DATABASE_URL is not set"),
        ({"DATABASE_URL": "sqlite:///var/portal.sqlite3"}, "must be a postgres:// URL"),
        ({"DATABASE_URL": "postgres://postgres@127.0.0.1/portal", "BACKUP_KEEP": "all"}, "BACKUP_KEEP=all"),
    ],
)
def test_a_backup_without_what_it_needs_stops_naming_it(tmp_path, environment, message):
    done = run(BACKUP, str(tmp_path / "backups"), EVIDENCE_ROOT=str(tmp_path / "evidence"), **environment)
    assert done.returncode != 0
    assert message in done.stderr
    assert not list((tmp_path / "backups").glob("portal-*"))
