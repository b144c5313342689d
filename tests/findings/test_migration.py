"""The move of the inspection link to findings, on a database as it was before: hazards found in inspections
(with and without a checklist item) and hazards logged outside one migrate forward with one finding each for
the former, the hazards' columns gone, and the criteria catalogue's rows and content types kept under hazards;
migrating back puts the columns and their values back.
"""

import datetime
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import credit_code_for

CATALOGUE_MOVE = ("hazards", "0015_criteria_catalogue")
MOVED_COLUMNS = {"inspection_id", "checklist_item_id", "idempotency_key"}


def before_the_move() -> list[tuple[str, str]]:
    """The two apps' migrations just before this change."""
    move = MigrationExecutor(connection).loader.get_migration(*CATALOGUE_MOVE)
    hazards_before = next(node for node in move.dependencies if node[0] == "hazards")
    return [hazards_before, ("inspections", "0004_seed_checklists")]


def migrate(targets):
    """The database migrated to the targets; the apps as they are there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.migrate(targets).apps


def hazard_columns() -> set[str]:
    with connection.cursor() as cursor:
        return {
            column.name for column in connection.introspection.get_table_description(cursor, "hazards_hazard")
        }


@pytest.fixture
def old_database(transactional_db):
    """The database at the state before the move (migrated back), and at the latest state again afterwards."""
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    yield migrate(before_the_move())
    migrate(latest)
    ContentType.objects.clear_cache()


def old_world(apps) -> dict:
    """Hazards as the old schema held them: found in an inspection, with an item or not, or outside one."""
    Sector = apps.get_model("hazards", "Sector")
    Region = apps.get_model("hazards", "Region")
    Enterprise = apps.get_model("hazards", "Enterprise")
    User = apps.get_model("hazards", "User")
    Hazard = apps.get_model("hazards", "Hazard")
    Standard = apps.get_model("inspections", "Standard")
    Clause = apps.get_model("inspections", "Clause")
    Template = apps.get_model("inspections", "ChecklistTemplate")
    Version = apps.get_model("inspections", "ChecklistVersion")
    Item = apps.get_model("inspections", "ChecklistItem")
    Inspection = apps.get_model("inspections", "Inspection")
    ContentTypes = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")

    sector = Sector.objects.create(code="migration-test", name_en="Migration test", name_zh="迁移测试")
    province = Region.objects.create(code="210000", name="辽宁省", level="province")
    enterprise = Enterprise.objects.create(
        name="迁移测试有限公司",
        credit_code=credit_code_for("210000", 7),
        region=province,
        sector=sector,
        principal_name="赵六",
        principal_phone="024-12345678",
        risk_colour="yellow",
        status="operating",
    )
    inspector = User.objects.create(username="migration-inspector", role="inspector", region=province)
    standard = Standard.objects.create(
        number="迁移-1", title="迁移测试标准", scope="national", effective_from=datetime.date(2020, 1, 1)
    )
    standard.sectors.add(sector)
    clause = Clause.objects.create(standard=standard, number="一", text="迁移测试条款")
    version = Version.objects.create(
        template=Template.objects.create(sector=sector, name="迁移检查表"), number=1
    )
    first = Item.objects.create(version=version, number="1", text="第一项", clause=clause, position=0)
    second = Item.objects.create(version=version, number="2", text="第二项", position=1)
    visits = [
        Inspection.objects.create(
            enterprise=enterprise,
            region=province,
            started_by=inspector,
            date=timezone.localdate(),
            kind=kind,
            checklist=version,
        )
        for kind in ("routine", "self_inspection")
    ]
    today = timezone.localdate()

    def hazard(number: int, **fields):
        return Hazard.objects.create(
            number=f"210000-2026-{number:05d}",
            number_year=2026,
            number_sequence=number,
            enterprise=enterprise,
            region=province,
            sector=sector,
            source="government_inspection",
            description="迁移测试隐患",
            location="现场",
            level=fields.pop("level", "general"),
            measures="整改",
            original_deadline=today,
            deadline=today,
            found_by=inspector,
            responsible_person="赵六",
            **fields,
        )

    found = [
        hazard(1, inspection=visits[0], checklist_item=first, idempotency_key=uuid.uuid4(), level="major",
               criterion=clause),
        hazard(2, inspection=visits[0], checklist_item=None, idempotency_key=uuid.uuid4()),
        hazard(3, inspection=visits[1], checklist_item=second, idempotency_key=uuid.uuid4()),
        hazard(4, inspection=visits[1], checklist_item=second, idempotency_key=None),
    ]  # fmt: skip
    outside = [hazard(5), hazard(6, repeat_of=found[2])]

    # The catalogue's content types as the old portal made them, one with a group's permission on it.
    ContentTypes.objects.filter(model__in=["standard", "clause"]).delete()
    types = {
        model: ContentTypes.objects.create(app_label="inspections", model=model)
        for model in ("standard", "clause")
    }
    permission = Permission.objects.create(
        content_type=types["standard"], codename="change_standard", name="Can change major-hazard standard"
    )
    return {
        "findings": {(h.pk, h.inspection_id, h.checklist_item_id, h.idempotency_key) for h in found},
        "outside": {h.pk for h in outside},
        "clause": clause.pk,
        "standard": standard.pk,
        "sector": sector.pk,
        "types": {model: content_type.pk for model, content_type in types.items()},
        "permission": permission.pk,
    }


def test_every_hazard_found_in_an_inspection_gets_its_finding_and_the_catalogue_stays(old_database):
    assert hazard_columns() >= MOVED_COLUMNS
    made = old_world(old_database)

    apps = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    Finding = apps.get_model("inspections", "Finding")
    Hazard = apps.get_model("hazards", "Hazard")
    rows = set(
        Finding.objects.values_list("hazard_id", "inspection_id", "checklist_item_id", "idempotency_key")
    )
    assert rows == made["findings"]
    assert not Finding.objects.filter(hazard_id__in=made["outside"]).exists()
    assert not MOVED_COLUMNS & hazard_columns()
    # The catalogue is hazards' now, on the same rows.
    Clause = apps.get_model("hazards", "Clause")
    assert Hazard.objects.get(criterion__isnull=False).criterion_id == made["clause"]
    assert Clause.objects.get(pk=made["clause"]).standard_id == made["standard"]
    assert list(Clause.objects.get(pk=made["clause"]).standard.sectors.values_list("pk", flat=True)) == [
        made["sector"]
    ]
    ContentTypes = apps.get_model("contenttypes", "ContentType")
    for model, pk in made["types"].items():
        assert (ContentTypes.objects.get(pk=pk).app_label, ContentTypes.objects.get(pk=pk).model) == (
            "hazards",
            model,
        )
    Permission = apps.get_model("auth", "Permission")
    assert Permission.objects.get(pk=made["permission"]).content_type_id == made["types"]["standard"]

    # And back: the hazards' columns hold what their findings held.
    apps = migrate(before_the_move())
    Hazard = apps.get_model("hazards", "Hazard")
    back = Hazard.objects.filter(inspection__isnull=False).values_list(
        "pk", "inspection_id", "checklist_item_id", "idempotency_key"
    )
    assert set(back) == made["findings"]
    ContentTypes = apps.get_model("contenttypes", "ContentType")
    assert set(
        ContentTypes.objects.filter(model__in=["standard", "clause"]).values_list("app_label", flat=True)
    ) == {"inspections"}
