"""gunicorn's access log without personal data.

The request line and URL lose their query string (the finder's `lat`/`lng`, search
words) and any private token in the path (calendar feeds); no client address is
logged at all.
"""

from gunicorn.glogging import Logger

from .logging import redact_path


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = redact_path(environ.get("PATH_INFO", ""))
        atoms["r"] = (
            f"{environ.get('REQUEST_METHOD', '-')} {path} "
            f"{environ.get('SERVER_PROTOCOL', '-')}"
        )
        atoms["U"] = path
        atoms["q"] = ""
        atoms["h"] = "-"
        atoms["f"] = redact_path(atoms.get("f") or "-")
        return atoms
