import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_site.settings.dev")

app = Celery("peer_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
