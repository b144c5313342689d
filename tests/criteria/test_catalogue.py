"""The catalogue of major-hazard criteria and the sector checklists that the data migrations install."""

import importlib
import re

import pytest
from django.db.models import Count

from hazards.models import Clause, Sector, Standard
from inspections.models import ChecklistItem, ChecklistTemplate, ChecklistVersion
from tests.conftest import reference_data_models

pytestmark = pytest.mark.django_db

# The sectors with a national determination standard, each of which needs criteria to choose from.
SECTORS_WITH_CRITERIA = [
    "coal-mine",
    "non-coal-mine",
    "hazardous-chemicals",
    "industry-trade",
    "metallurgy",
    "construction",
    "urban-gas",
]

CHINESE = re.compile(r"[\u4e00-\u9fff]")

MIGRATIONS = [
    ("inspections.migrations.0003_complete_catalogue", "complete_catalogue"),
    ("inspections.migrations.0004_seed_checklists", "seed_checklists"),
]


@pytest.mark.parametrize("code", SECTORS_WITH_CRITERIA)
def test_each_sector_has_criteria_in_force(code):
    sector = Sector.objects.get(code=code)

    assert Clause.objects.in_force().of_sector(sector).count() >= 5


@pytest.mark.parametrize("code", SECTORS_WITH_CRITERIA)
def test_one_edition_of_a_standard_in_force_per_sector(code):
    titles = list(Standard.objects.in_force().filter(sectors__code=code).values_list("title", flat=True))

    assert len(titles) == len(set(titles))


def test_every_clause_has_chinese_text_and_an_english_summary():
    for clause in Clause.objects.select_related("standard"):
        assert CHINESE.search(clause.text), clause
        assert clause.summary_en.strip() and not CHINESE.search(clause.summary_en), clause
        assert clause.number.strip(), clause


def test_every_standard_serves_a_sector_and_has_valid_dates():
    standards = Standard.objects.annotate(sector_count=Count("sectors"))

    assert standards.count() >= 8
    for standard in standards:
        assert standard.sector_count >= 1, standard
        assert standard.title.strip() and standard.number.strip(), standard
        assert 2000 <= standard.effective_from.year <= 2100, standard
        assert standard.effective_to is None or standard.effective_to >= standard.effective_from, standard


def test_every_sector_has_a_checklist_with_a_first_version():
    for sector in Sector.objects.all():
        version = ChecklistVersion.objects.filter(template__sector=sector, number=1).first()

        assert version is not None, sector.code
        assert version.items.count() >= 6, sector.code


def test_checklist_items_point_only_to_criteria_of_their_sector():
    items = ChecklistItem.objects.filter(clause__isnull=False).select_related("version__template", "clause")

    assert items.exists()
    for item in items:
        sector_id = item.version.template.sector_id
        assert item.clause.standard.sectors.filter(pk=sector_id).exists(), item


@pytest.mark.parametrize("code", SECTORS_WITH_CRITERIA)
def test_checklists_of_sectors_with_criteria_name_some(code):
    linked = ChecklistItem.objects.filter(version__template__sector__code=code, clause__isnull=False)

    assert 2 <= linked.count() <= 4


def test_item_numbers_and_keys_are_unique_in_each_version():
    for version in ChecklistVersion.objects.prefetch_related("items"):
        items = list(version.items.all())
        numbers = [item.number for item in items]
        keys = [item.key for item in items]

        assert len(numbers) == len(set(numbers)), version
        assert len(keys) == len(set(keys)), version
        assert all(re.fullmatch(r"[0-9a-f]{32}", key) for key in keys), version
        assert all(CHINESE.search(item.text) for item in items), version


def _snapshot():
    return {
        "standards": sorted(
            Standard.objects.values_list("number", "title", "scope", "effective_from", "effective_to")
        ),
        "sectors": sorted(Standard.sectors.through.objects.values_list("standard_id", "sector_id")),
        "clauses": sorted(Clause.objects.values_list("id", "standard_id", "number", "text", "summary_en")),
        "templates": sorted(ChecklistTemplate.objects.values_list("id", "sector_id", "name")),
        "versions": sorted(ChecklistVersion.objects.values_list("id", "template_id", "number")),
        "items": sorted(
            ChecklistItem.objects.values_list(
                "id", "version_id", "number", "key", "text", "clause_id", "position"
            )
        ),
    }


def test_running_the_data_migrations_again_changes_nothing():
    before = _snapshot()

    for module, function in MIGRATIONS:
        getattr(importlib.import_module(module), function)(reference_data_models(), None)

    assert _snapshot() == before
