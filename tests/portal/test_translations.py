"""Every string is marked for translation and the Simplified Chinese catalogue translates all of them."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
SOURCES = ["hazards", "inspections", "safety_portal", "templates", "manage.py"]


def test_the_chinese_catalogue_translates_every_entry():
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"
    assert catalogue.percent_translated() == 100


def test_the_catalogue_holds_every_string_the_code_marks(tmp_path):
    """makemessages run on a copy of the sources finds no string that the catalogue lacks."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "migrations")
            )
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "zh_Hans", "--no-location"],
        cwd=tmp_path,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "safety_portal.settings"},
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    marked = {entry.msgid for entry in polib.pofile(str(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po"))}
    catalogued = {entry.msgid for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete}
    assert marked - catalogued == set(), "run makemessages and translate the new strings"
