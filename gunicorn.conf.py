"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py peer_site.wsgi`."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 30
accesslog = "-"
# No client address, query string or private token in the access log: IP addresses
# and searches are personal data here, and calendar feed links are secrets.
logger_class = "peer_site.gunicorn_logging.RedactingLogger"
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(L)ss'
