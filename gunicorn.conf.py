"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py peer_site.wsgi`."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 30
accesslog = "-"
# No client address in the access log: IP addresses are personal data here.
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(L)ss'
