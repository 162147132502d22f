from pathlib import Path

import pytest

from peer_support.accounts.services import member_register
from tests.celery_worker import running_worker, wait_for


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_welcome_email_queued_after_commit(tmp_path: Path):
    mail_dir = tmp_path / "mail"

    with running_worker(extra_env={"EMAIL_FILE_PATH": str(mail_dir)}):
        member_register(
            email="worker-test@example.org", pseudonym="Worker Test", password="x" * 12
        )

        def welcome_written():
            return mail_dir.exists() and any(
                "Worker Test" in path.read_text() for path in mail_dir.iterdir()
            )

        assert wait_for(welcome_written, timeout=60), "the worker sent no welcome email"
