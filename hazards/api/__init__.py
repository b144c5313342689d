"""The REST API (`/api/v1/`): the same services, scoping and rules as the pages, for other programs."""
