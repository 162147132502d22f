import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest

from peer_site.gunicorn_logging import RedactingLogger
from peer_site.logging import RedactPersonalDataFilter, redact


@pytest.fixture
def redacted_logger(caplog):
    logger = logging.getLogger("tests.security.redaction")
    redaction = RedactPersonalDataFilter()
    logger.addFilter(redaction)
    caplog.set_level(logging.INFO, logger=logger.name)
    yield logger
    logger.removeFilter(redaction)


@pytest.mark.parametrize(
    "secret",
    [
        "someone@example.org",
        "member%40example.org",
        "Member%40Example.org",
        "192.168.4.20",
        "2001:db8::1",
        "::1",
        "fe80::1%eth0",
        "2001:db8:85a3::8a2e:370:7334",
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    ],
)
def test_messages_lose_personal_data(redacted_logger, caplog, secret):
    redacted_logger.info("Seen %s here", secret)

    assert secret not in caplog.text
    assert secret.lower() not in caplog.text.lower()


def test_exception_text_is_redacted_too(redacted_logger, caplog):
    try:
        raise ValueError("no account for someone@example.org at 2001:db8::1")
    except ValueError:
        redacted_logger.exception("Sign-in went wrong")

    formatted = "\n".join(
        logging.Formatter().format(record) for record in caplog.records
    )
    assert "Traceback" in formatted
    assert "ValueError" in formatted
    assert "someone@example.org" not in formatted
    assert "2001:db8::1" not in formatted
    assert "[email]" in formatted


def test_clock_times_and_words_are_left_alone():
    text = "Shift 12:30:45 in Class::method for deadbeef:cafe"
    assert redact(text) == text


def access_line(path: str, query: str = "", referer: str = "-") -> str:
    logger = RedactingLogger(
        SimpleNamespace(
            errorlog="-",
            loglevel="info",
            accesslog=None,
            syslog=False,
            logconfig=None,
            logconfig_dict={},
            logconfig_json=None,
            capture_output=False,
            access_log_format='%(h)s %(t)s "%(r)s" %(U)s %(q)s %(f)s %(s)s',
            disable_redirect_access_to_syslog=False,
            user=0,
            group=0,
            statsd_host=None,
        )
    )
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?{query}" if query else path,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.5",
        "HTTP_REFERER": referer,
    }
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(resp, SimpleNamespace(headers=[]), environ, timedelta(0))
    return logger.cfg.access_log_format % atoms


def test_access_log_leaves_out_query_strings_tokens_and_addresses():
    line = access_line(
        "/rota/calendar/Zq3x_secret-token.ics",
        referer="http://site/groups/?lat=53.96&lng=-1.08",
    )
    finder = access_line("/groups/", query="lat=53.96&lng=-1.08&q=anxiety")

    assert "secret-token" not in line
    assert "/rota/calendar/[token].ics" in line
    assert "203.0.113.5" not in line
    assert "53.96" not in line
    assert "lat=" not in finder
    assert "anxiety" not in finder
    assert "GET /groups/ HTTP/1.1" in finder
