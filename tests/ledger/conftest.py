"""The ledger's tests use the people and hazards of the hazard pages' tests."""

from tests.pages.conftest import make_hazard, people  # noqa: F401 - fixtures shared with the pages' tests
