"""Work every web process would otherwise do on its first requests, done once in
gunicorn's arbiter before it forks the workers (`gunicorn.conf.py`), so the forked
workers share it and no visitor waits for it.

A fresh process imports every view on its first request (the URL patterns), reads
and merges every app's translation catalogue on the first page in a language, and
compiles each template the first time it is used. Under load those first requests
arrive together, one per worker, and queue behind each other.

Nothing here opens a connection: a database or Redis socket made before the fork
would be shared by every worker.
"""

from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation


def warm_up() -> None:
    get_resolver().url_patterns  # noqa: B018 (importing every view is the point)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            get_resolver().reverse_dict  # noqa: B018
    for name in project_templates():
        try:
            get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError):
            continue  # a broken template fails its own page, not the server's start


def project_templates() -> list[str]:
    names = []
    for folder in settings.TEMPLATES[0]["DIRS"]:
        root = Path(folder)
        names += [str(path.relative_to(root)) for path in sorted(root.rglob("*.html"))]
    return names
