"""Settings of a worker process started by the notice reliability tests (tests.notices.workers).

The test's own settings, with what the test names through the environment: the test database (pytest-django
prefixes the name), a queue of the test's own, and the mail sink of tests.notices.workers. EMAIL_BACKEND is
read from the environment by the portal's settings but set back to the in-memory outbox by tests.settings,
and EMAIL_FILE_PATH is not read from the environment at all, hence this module.
"""

import os

from tests.settings import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["NOTICE_TEST_DATABASE"]  # noqa: F405
CELERY_TASK_DEFAULT_QUEUE = os.environ["NOTICE_TEST_QUEUE"]
EMAIL_BACKEND = "tests.notices.workers.SinkBackend"
EMAIL_FILE_PATH = os.environ["NOTICE_TEST_MAIL_DIR"]
NOTICE_TEST_CONTROL_DIR = os.environ["NOTICE_TEST_CONTROL_DIR"]
