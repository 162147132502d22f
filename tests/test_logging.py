import logging

from peer_site.logging import RedactPersonalDataFilter


def test_log_records_lose_emails_and_ip_addresses(caplog):
    logger = logging.getLogger("tests.redaction")
    logger.addFilter(RedactPersonalDataFilter())
    with caplog.at_level(logging.INFO, logger="tests.redaction"):
        logger.info(
            "Login failed for %s from %s", "someone@example.org", "192.168.4.20"
        )
        logger.info("Client %s", "2001:db8:85a3::8a2e:370:7334")

    text = caplog.text
    assert "someone@example.org" not in text
    assert "192.168.4.20" not in text
    assert "2001:db8" not in text
    assert "Login failed for [email] from [ip]" in text
