"""The findings' tests use the people, checklist and inspections of the inspections' tests."""

from tests.inspections.conftest import (  # noqa: F401 - fixtures shared with the inspections' tests
    checklist,
    clause,
    closed_hazard,
    enterprise,
    ordered_inspection,
    people,
    start,
)
