"""Test settings: the portal's own, with a fast password hasher and an in-memory outbox.

Under pytest-xdist each worker counts in Redis databases of its own (tests/parallel.py).
"""

from tests.parallel import move_redis_urls

move_redis_urls()

from safety_portal.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
