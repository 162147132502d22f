"""Keep personal data out of logs: members' emails and IP addresses are redacted.

Third-party code (Django's request logging, axes, Celery) may format such values into
messages or tracebacks; a filter on every handler is the one place that sees them all.
It redacts the whole formatted record, exception text included, and leaves no
exception object behind for a formatter to print again.
"""

import logging
import re
from urllib.parse import unquote

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# An email written into a URL: `member%40example.org`.
ENCODED_EMAIL = re.compile(r"[\w.+%-]+%40[\w-]+(\.[\w-]+)+", re.IGNORECASE)
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
# Full (eight groups) and compressed (`2001:db8::1`, `::1`, `fe80::1%eth0`) IPv6;
# clock times such as 12:30:45 are neither.
_H = r"[0-9a-fA-F]{1,4}"
IPV6 = re.compile(
    r"(?<![\w:])(?:"
    rf"(?:{_H}:){{7}}{_H}"
    rf"|(?:{_H}(?::{_H})*)?::(?:{_H}(?::{_H})*)?"
    r")(?:%[\w.]+)?(?![\w:])"
)
# Private links: calendar feed tokens sit in the path.
FEED_TOKEN = re.compile(r"(/calendar/)[^/\s?\"]+(\.ics)")


def redact(text: str) -> str:
    text = ENCODED_EMAIL.sub("[email]", text)
    text = EMAIL.sub("[email]", text)
    text = IPV4.sub("[ip]", text)
    text = IPV6.sub("[ip]", text)
    return FEED_TOKEN.sub(r"\1[token]\2", text)


def redact_path(path: str) -> str:
    """A request path fit for an access log: no query string, no tokens, no emails."""
    path = path.split("?", 1)[0]
    if "%40" in path.lower():
        path = unquote(path)
    return redact(path)


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            message = f"{message}\n{record.exc_text}"
        if record.stack_info:
            message = f"{message}\n{record.stack_info}"
        record.msg = redact(message)
        record.args = ()
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
