"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py peer_site.wsgi`.

Threads beside processes: a sync worker holds one request at a time, so while it
waits on PostgreSQL or Redis, or hashes a password (C code that lets other threads
run), the requests behind it queue even when the CPU is idle. With a few threads a
short page is answered while a long one waits. Python code still takes turns inside
a process, so more threads than this add contention rather than speed on two cores.
`WEB_CONCURRENCY` processes x `WEB_THREADS` threads; each thread keeps its own
database connection (`CONN_MAX_AGE`), so mind PostgreSQL's `max_connections`.

The app is loaded and warmed once, before the workers fork (`peer_site.warmup`), so
no worker's first visitors wait for imports, translations and templates.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
preload_app = True
# No keep-alive: one connection per request, as with sync workers. A kept-alive
# connection ties a client to one worker process however busy it is, and one closed
# by gunicorn just as the client reuses it fails that request. The proxy in front
# keeps the connections to browsers alive.
keepalive = 0
timeout = 30
accesslog = "-"
# No client address, query string or private token in the access log: IP addresses
# and searches are personal data here, and calendar feed links are secrets.
logger_class = "peer_site.gunicorn_logging.RedactingLogger"
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(L)ss'


def when_ready(server):
    """In the arbiter, after the app is loaded and before any worker forks."""
    from django.db import connections

    from peer_site.warmup import warm_up

    warm_up()
    connections.close_all()  # nothing opens one, but none may cross the fork
    # Everything loaded so far lives as long as the process: set it aside from the
    # garbage collector. Otherwise every full collection in a worker scans it all
    # again (about 120 ms of CPU, set off by every other rota coverage report), and
    # the collector's writes unshare the memory the workers got from the fork.
    gc.freeze()
