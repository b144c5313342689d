"""The register API."""


def register(router) -> None:
    """Add this module's viewsets to the API's router."""
