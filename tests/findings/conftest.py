"""The findings' tests use the checklist and the inspections of the inspections' tests."""

from tests.inspections.conftest import (  # noqa: F401 - fixtures shared with the inspections' tests
    checklist,
    clause,
    closed_hazard,
    enterprise,
    ordered_inspection,
    start,
)
