"""Keep personal data out of logs: members' emails and IP addresses are redacted.

Third-party code (Django's request logging, axes, Celery) may format such values into
messages; a filter on every handler is the one place that sees them all.
"""

import logging
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
IPV6 = re.compile(r"\b(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{1,4}\b")


def redact(text: str) -> str:
    text = EMAIL.sub("[email]", text)
    text = IPV4.sub("[ip]", text)
    return IPV6.sub("[ip]", text)


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        return True
