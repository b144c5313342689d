"""Throttling: writes per user, and token requests per address (API_WRITE_RATE, API_LOGIN_RATE).

The address is the client's as the portal's proxy settings tell it (hazards/lib/client_ip.py), the same
that login lockouts count by.
"""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle

from hazards.lib.client_ip import client_ip


class SettingsRate:
    """The rate read from the settings when asked, not frozen at import (so a changed setting applies), and
    the client's address by the portal's proxy settings."""

    scope: str

    def get_rate(self) -> str:
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request) -> str:
        return client_ip(request) or ""


class WriteRateThrottle(SettingsRate, UserRateThrottle):
    """Every request that writes, per user (per address when anonymous); reads are not counted."""

    scope = "write"

    def allow_request(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)


class LoginRateThrottle(SettingsRate, SimpleRateThrottle):
    """Token requests per client address, whatever the username, so passwords cannot be tried fast."""

    scope = "login"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
