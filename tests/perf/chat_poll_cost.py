"""What one chat request costs the server, independent of machine load: CPU
milliseconds (`time.process_time`) and queries, for an empty poll, a poll that
returns 15 new messages (what 100 chatters at one message per 10 s bring in 1.5 s),
and posting a message. Run explicitly:

    pytest tests/perf/chat_poll_cost.py -q -s -p no:locust
"""

import os
import sys
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.peer_support.chat.builders import chat_world

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}
REPEATS = 30
NEW_PER_POLL = 15
PROFILE = os.environ.get("CHAT_COST_PROFILE") == "1"


def _cost(call) -> tuple[float, int]:
    call()  # warm: templates compiled, caches filled as in a running server
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code in (200, 302), response.status_code
    count = len(queries)  # read now: the log is reset by later requests
    started = time.process_time()
    for _ in range(REPEATS):
        call()
    return (time.process_time() - started) * 1000 / REPEATS, count


@pytest.mark.django_db
def test_chat_request_costs(client, home_page, settings):
    world = chat_world(home_page, members=NEW_PER_POLL + 1)
    events = reverse("chat:events", args=[world.session.pk])
    post = reverse("chat:post", args=[world.session.pk])
    for member in world.members[1:]:
        client.force_login(member)
        client.post(post, {"text": f"hello from {member.pk}"}, **FETCH)
    reader = world.members[0]
    client.force_login(reader)
    last = client.get(events, {"after": 0}).json()["last"]
    after = last - NEW_PER_POLL
    assert len(client.get(events, {"after": after}).json()["events"]) == NEW_PER_POLL
    empty = _cost(lambda: client.get(events, {"after": last}))
    full = _cost(lambda: client.get(events, {"after": after}))
    if PROFILE:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(REPEATS):
            client.get(events, {"after": after})
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    writers = iter(range(10**6))

    def send():
        return client.post(post, {"text": f"line {next(writers)}"}, **FETCH)

    settings.CHAT_MESSAGE_SECONDS = 0  # a member may post on every call
    sent = _cost(send)
    if PROFILE:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(REPEATS):
            send()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
    for name, (ms, queries) in [
        ("empty poll", empty),
        (f"poll with {NEW_PER_POLL} new", full),
        ("post a message", sent),
    ]:
        sys.stdout.write(f"{name}: {ms:.1f} ms CPU, {queries} queries\n")
