"""The layers: inspections depends on hazards, never the reverse. What inspections adds to hazards' pages, API
and computations it registers from above (hazards.lib.contributions); hazards names none of it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Migrations written before hazards forgot inspections keep their history, references to inspections included.
FIRST_MIGRATION_WITHOUT_INSPECTIONS = 15


def is_old_migration(path: Path) -> bool:
    number = path.name[:4]
    return (
        path.parent.name == "migrations"
        and number.isdigit()
        and int(number) < FIRST_MIGRATION_WITHOUT_INSPECTIONS
    )


def references_to_inspections(source: str) -> list[str]:
    """Each import of inspections, model string "inspections.X" and apps.get_model("inspections", ...)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] == "inspections"]
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and (node.module or "").split(".")[0] == "inspections"
        ):
            found.append(f"from {node.module}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.lower().startswith("inspections."):
                found.append(repr(node.value))
        elif (
            isinstance(node, ast.Call) and node.args and getattr(node.args[0], "value", None) == "inspections"
        ):
            found.append(f"{ast.unparse(node.func)}('inspections', ...)")
    return found


def test_the_check_finds_each_kind_of_reference():
    source = """
import inspections
from inspections.models import Finding
field = models.ForeignKey("inspections.Inspection", on_delete=models.PROTECT)
module = importlib.import_module("inspections.selectors.inspections")
model = apps.get_model("inspections", "Finding")
from hazards.models import Hazard
table = "inspections_clause"
"""
    assert len(references_to_inspections(source)) == 5


def test_hazards_names_nothing_of_inspections():
    sources = [path for path in sorted((ROOT / "hazards").rglob("*.py")) if not is_old_migration(path)]
    assert len(sources) > 50  # the check reads the app, not an empty folder
    references = {
        str(path.relative_to(ROOT)): found
        for path in sources
        if (found := references_to_inspections(path.read_text(encoding="utf-8")))
    }
    assert references == {}
