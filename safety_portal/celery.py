"""The portal's Celery app: configured from Django settings (CELERY_*), tasks found in <app>/tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safety_portal.settings")

app = Celery("safety_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
