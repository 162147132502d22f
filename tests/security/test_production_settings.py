"""Production settings fail closed on the proxy count the lock-out depends on."""

import os
import subprocess
import sys

import pytest

BASE_ENV = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "peer.example",
    "DATABASE_URL": "postgres://u:p@db:5432/peer",
    "REDIS_URL": "redis://redis:6379",
    "SAFEGUARDING_SERVICE_MANAGER_EMAIL": "service-manager@peer.example",
    "DJANGO_SETTINGS_MODULE": "peer_site.settings.production",
}


def load_production(**env) -> subprocess.CompletedProcess:
    code = (
        "from django.conf import settings; "
        "print(settings.TRUSTED_PROXY_HOPS, settings.AXES_CLIENT_IP_CALLABLE)"
    )
    full_env = {**os.environ, **BASE_ENV}
    full_env.pop("TRUSTED_PROXY_HOPS", None)
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_the_proxy_count():
    result = load_production()

    assert result.returncode != 0
    assert "TRUSTED_PROXY_HOPS" in result.stderr


@pytest.mark.parametrize("value", ["two", "-1"])
def test_production_refuses_a_nonsense_proxy_count(value):
    result = load_production(TRUSTED_PROXY_HOPS=value)

    assert result.returncode != 0
    assert "TRUSTED_PROXY_HOPS" in result.stderr


def test_production_trusts_the_configured_number_of_proxies():
    result = load_production(TRUSTED_PROXY_HOPS="1")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "1"
