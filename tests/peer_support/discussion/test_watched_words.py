"""Watched words in the admin: test a text, import a CSV (all or nothing)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peer_support.discussion import services
from peer_support.discussion.models import WatchedWord
from peer_support.errors import NotAllowed, ServiceError
from tests.factories import PeerWorkerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def peer(roles):
    return PeerWorkerFactory()


def test_test_box_says_what_would_happen(client, peer):
    client.force_login(peer)
    url = reverse("discussion_words_tools")
    response = client.post(url, {"text": "ring me on 07700 900123"})
    assert "Held for a peer worker" in response.content.decode()
    response = client.post(url, {"text": "a quiet evening"})
    assert "Nothing would block or hold" in response.content.decode()


def test_members_cannot_open_the_tools(client, roles):
    client.force_login(UserFactory())
    assert client.get(reverse("discussion_words_tools")).status_code in (302, 404)


def test_csv_import_adds_and_updates(client, peer):
    client.force_login(peer)
    upload = SimpleUploadedFile(
        "words.csv",
        b"text,match,action,replacement,explanation\n"
        b"darn,contains,replace,****,\n"
        b"whatsapp,word,block,,No apps here.\n",
    )
    response = client.post(
        reverse("discussion_words_tools"), {"import": "1", "csv_file": upload}
    )
    assert response.status_code == 302
    assert WatchedWord.objects.get(text="darn").replacement == "****"
    assert WatchedWord.objects.get(text="whatsapp", match="word").action == "block"


def test_csv_import_with_a_bad_row_changes_nothing(peer):
    before = WatchedWord.objects.count()
    rows = [
        {"text": "fine", "match": "word", "action": "hold"},
        {"text": "(unclosed", "match": "pattern", "action": "hold"},
    ]
    with pytest.raises(ServiceError, match="Row 2"):
        services.watched_words_import(rows=rows, actor=peer)
    assert WatchedWord.objects.count() == before
    with pytest.raises(ServiceError, match="Row 1"):
        services.watched_words_import(
            rows=[{"text": "x", "action": "replace"}], actor=peer
        )
    with pytest.raises(NotAllowed):
        services.watched_words_import(rows=rows[:1], actor=UserFactory())
