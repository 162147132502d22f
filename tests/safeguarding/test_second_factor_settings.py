"""The second factor is required in production (and in the base and test settings);
only `make run`'s dev settings turn it off, so the demo lead can open the demo concern.
"""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from safeguarding.models import Concern
from tests.security.test_production_settings import BASE_ENV

CODE = "from django.conf import settings; print(settings.SAFEGUARDING_REQUIRE_OTP)"


def settings_value(module: str, **env) -> str:
    full_env = {**os.environ, **BASE_ENV, "TRUSTED_PROXY_HOPS": "1", **env}
    full_env["DJANGO_SETTINGS_MODULE"] = module
    result = subprocess.run(
        [sys.executable, "-c", CODE],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_requires_the_second_factor():
    assert settings_value("peer_site.settings.production") == "True"
    # Not something the environment can switch off.
    assert (
        settings_value("peer_site.settings.production", SAFEGUARDING_REQUIRE_OTP="0")
        == "True"
    )


def test_only_dev_settings_turn_it_off(settings):
    assert settings_value("peer_site.settings.dev") == "False"
    assert settings.SAFEGUARDING_REQUIRE_OTP is True


@pytest.mark.django_db
def test_the_demo_lead_opens_the_demo_concern_under_dev_settings(client, home_page):
    call_command("load_demo", stdout=StringIO())
    concern = Concern.objects.get()
    lead = concern.owner
    assert lead.email == "safeguarding@demo.invalid"
    client.force_login(lead)
    url = reverse("safeguarding_concern", args=[concern.pk])

    with override_settings(SAFEGUARDING_REQUIRE_OTP=False):
        response = client.get(url)
    assert response.status_code == 200
    assert concern.reference in response.content.decode()

    # Elsewhere the same lead is first asked for a code.
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("safeguarding_verify") in response["Location"]
