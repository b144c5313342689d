"""The client's address, as the portal's proxies report it (CLIENT_IP_HEADER, CLIENT_IP_PROXY_COUNT).

Login lockouts (django-axes) and the API's throttles count per address, so both read it here. Behind no
proxy it is the connection's address (REMOTE_ADDR). Behind proxies that append to X-Forwarded-For, it is
the address the outermost trusted proxy appended: the one CLIENT_IP_PROXY_COUNT places from the right,
since everything left of it was written by the client and may be forged. A proxy that sets a header of
its own (X-Real-IP) is named by CLIENT_IP_HEADER. A value that is not an address falls back to REMOTE_ADDR,
so a forged header can never reach the database as garbage.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


def meta_key(header: str) -> str:
    """A header's key in request.META: "X-Real-IP" and "HTTP_X_REAL_IP" are both HTTP_X_REAL_IP."""
    key = header.strip().upper().replace("-", "_")
    if key == "REMOTE_ADDR" or key.startswith("HTTP_"):
        return key
    return f"HTTP_{key}"


def _address(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address a request came from, by the portal's proxy settings; None when there is none."""
    remote_addr = _address(request.META.get("REMOTE_ADDR"))
    proxy_count = settings.CLIENT_IP_PROXY_COUNT
    if proxy_count:
        forwarded = request.META.get(FORWARDED_FOR)
        if not forwarded:
            return remote_addr
        addresses = forwarded.split(",")
        return _address(addresses[-min(proxy_count, len(addresses))]) or remote_addr
    header = settings.CLIENT_IP_HEADER
    if header == "REMOTE_ADDR":
        return remote_addr
    return _address(request.META.get(header)) or remote_addr
