"""Typed readers for environment variables that fail loudly on a bad value.

Every reader names the variable in its error, so a typo in a deployment stops the start with a
message an operator can act on instead of a silently wrong setting.
"""

import os
from collections.abc import Sequence

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of: true, false, 1, 0, yes, no, on, off."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below its minimum of {minimum}.")
    return value


def env_list(name: str, default: Sequence[str] = ()) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: Sequence[str]) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(choices)}.")
    return value


def env_rate(name: str, default: str) -> str:
    """A throttle rate such as "60/minute": a number of requests per second, minute, hour or day."""
    value = os.environ.get(name, default).strip()
    number, _slash, period = value.partition("/")
    if not (number.isdigit() and period in ("second", "minute", "hour", "day")):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a rate such as 60/minute (second, minute, hour, day)."
        )
    return value


def env_proxy_header(name: str, default: str) -> tuple[str, str] | None:
    """The header a TLS proxy sets and its value for HTTPS ("HTTP_X_FORWARDED_PROTO,https"); empty: none.

    Set only behind a proxy that overwrites the header: a client could send it itself otherwise.
    """
    raw = os.environ.get(name, default).strip()
    if not raw:
        return None
    header, _comma, value = (part.strip() for part in raw.partition(","))
    if not (header.startswith("HTTP_") and header.replace("_", "").isalnum() and header.isupper() and value):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a header and its value such as HTTP_X_FORWARDED_PROTO,https."
        )
    return header, value
