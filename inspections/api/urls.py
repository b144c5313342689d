"""The inspections API's routes, registered on the API's router."""


def register(router) -> None:
    """Add the inspections' viewsets to the router."""
