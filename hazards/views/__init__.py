"""The portal's pages: the home page, and the hazard pages with their workflow actions."""

from hazards.views.home_page import home

__all__ = ["home"]
