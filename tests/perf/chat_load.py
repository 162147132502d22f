"""`make load-chat`: 100 chatters in one live chat against the real server.

Starts gunicorn on 127.0.0.1 (threads, no extra server) on a fresh database of its own
(PostgreSQL when DATABASE_URL is set, else a SQLite file), fills it with a course, a
live session on now, a moderator on duty and the chatters, then for CHAT_LOAD_SECONDS
(60) every chatter polls the chat as the page's script does and sends one message
every 10 seconds. Prints delivered messages, p95 delivery latency (sent to seen by
each other chatter) and errors; checks against the database that no message was lost
or delivered twice; stops everything it started; exits non-zero when the goal is
missed (p95 under 3 s, nothing lost or duplicated, no errors).
"""

import collections
import http.client
import json
import os
import random
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

CHATTERS = int(os.environ.get("CHAT_LOAD_CHATTERS", "100"))
SECONDS = float(os.environ.get("CHAT_LOAD_SECONDS", "60"))
SEND_EVERY = 10.0
POLL_EVERY = 1.5
GOAL_P95 = 3.0
ROOT = Path(__file__).resolve().parents[2]
MARK = re.compile(r"\[m(\d+)-(\d+)\]")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_prepare() -> tuple[str, callable]:
    """A fresh database URL for the run, and how to drop it afterwards."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgres"):
        import psycopg

        server, _slash, name = base.rpartition("/")
        name = f"{name or 'peer'}_chat_load"
        admin = f"{server}/postgres"

        def run(sql):
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(sql)

        run(f'DROP DATABASE IF EXISTS "{name}"')
        run(f'CREATE DATABASE "{name}"')
        return f"{server}/{name}", lambda: run(f'DROP DATABASE IF EXISTS "{name}"')
    folder = tempfile.mkdtemp(prefix="chat-load-")
    path = Path(folder) / "load.sqlite3"
    return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)


def world_build() -> dict:
    """The course, the session on now, the moderator on duty, the chatters; returns
    what the clients need (session cookies, the chat's id)."""
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from django.core.cache import cache

    cache.clear()  # a fresh database numbers its rows from 1 again
    from datetime import timedelta

    from django.utils import timezone

    from peer_support.accounts.roles import role_groups_sync
    from peer_support.chat.models import ChatRoom
    from peer_support.courses.models import LiveSession
    from peer_support.spaces.models import (
        Membership,
        MembershipStatus,
        SpaceFacilitator,
    )
    from tests.conftest import wagtail_tree_ensure
    from tests.factories import (
        CourseIndexPageFactory,
        CoursePageFactory,
        PeerWorkerFactory,
        UserFactory,
    )
    from tests.peer_support.discussion.builders import on_duty_make

    home = wagtail_tree_ensure()
    role_groups_sync()
    course = CoursePageFactory(
        parent=CourseIndexPageFactory(parent=home), sessions=0, capacity=CHATTERS + 10
    )
    moderator = PeerWorkerFactory()
    SpaceFacilitator.objects.create(page_id=course.pk, worker=moderator)
    on_duty_make(course, worker=moderator)
    session = LiveSession.objects.create(
        page=course,
        title="Load test webcast",
        starts_at=timezone.now() - timedelta(minutes=5),
        duration=timedelta(hours=2),
        host=moderator,
    )
    room = ChatRoom.objects.for_session(session)
    cookies = []
    for _ in range(CHATTERS):
        member = UserFactory()
        Membership.objects.create(
            space=course,
            member=member,
            status=MembershipStatus.ACTIVE,
            joined_at=timezone.now() - timedelta(days=90),
        )
        client = Client()
        client.force_login(member)
        cookies.append(client.cookies["sessionid"].value)
    return {"session_id": session.pk, "thread_id": room.thread_id, "cookies": cookies}


class Chatter(threading.Thread):
    def __init__(
        self, number, base, session_id, cookie, results, start_at, stop_at, done
    ):
        super().__init__(daemon=True)
        self.number = number
        address = urllib.parse.urlsplit(base)
        self.host, self.port = address.hostname, address.port
        self.connection = None
        self.session_id = session_id
        self.cookie = f"sessionid={cookie}"
        self.results = results
        self.start_at, self.stop_at = start_at, stop_at
        self.done = done  # every chatter has stopped sending
        self.cursor = 0
        self.seen = {}  # post id -> times appended
        self.sent = 0
        self.errors = []

    def request(self, path, data=None, timeout=10):
        """One request on this chatter's kept-open connection, as a browser keeps
        one; a poll is retried once on a new connection if the server had closed
        it, a message never (it might have been sent)."""
        headers = {"Cookie": self.cookie, "X-Requested-With": "fetch"}
        method, body = "GET", None
        if data is not None:
            method = "POST"
            headers["X-CSRFToken"] = self.csrf
            headers["Cookie"] += f"; csrftoken={self.csrf}"
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(data).encode()
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=timeout
                )
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
            except (http.client.HTTPException, OSError):  # closed, reset, timed out
                self.connection.close()
                self.connection = None
                if method == "POST" or attempt == 2:
                    raise
                continue
            if response.status >= 400:
                raise RuntimeError(f"{method} {path}: {response.status}")
            return response.headers, content

    def poll(self):
        started = time.monotonic()
        _headers, body = self.request(
            f"/live/{self.session_id}/events/?after={self.cursor}"
        )
        data = json.loads(body)
        now = time.monotonic()
        for event in data["events"]:
            if event["kind"] != "message" or not event["html"]:
                continue
            self.seen[event["post"]] = self.seen.get(event["post"], 0) + 1
            found = MARK.search(event["html"])
            if found and int(found.group(1)) != self.number:
                self.results.deliveries.append((found.group(0), now))
        self.cursor = data["last"]
        self.results.poll_times.append(now - started)
        return data["more"]

    def send(self, n):
        mark = f"[m{self.number}-{n}]"
        self.results.sent_at[mark] = time.monotonic()
        _headers, body = self.request(
            f"/live/{self.session_id}/post/",
            {"text": f"Thanks, that is a good point {mark}"},
        )
        answer = json.loads(body)
        if answer.get("ok"):
            self.sent += 1
        else:
            self.errors.append(f"post refused: {answer}")

    def run(self):
        try:
            # Everyone opens the page at once, before the clock starts: give it time.
            headers, _body = self.request(f"/live/{self.session_id}/", timeout=60)
            self.connection.close()  # polls and messages wait 10 s at most
            self.connection = None
            cookies = headers.get_all("Set-Cookie") or []
            self.csrf = next(
                c.split("=", 1)[1].split(";", 1)[0]
                for c in cookies
                if c.startswith("csrftoken=")
            )
        except Exception as error:  # noqa: BLE001 - counted as an error
            self.errors.append(f"open: {error!r}")
            self.done.abort()
            return
        while time.monotonic() < self.start_at:
            time.sleep(0.05)
        next_send = self.start_at + random.uniform(0, SEND_EVERY)
        sent = 0
        while time.monotonic() < self.stop_at:
            try:
                if time.monotonic() >= next_send:
                    self.send(sent)
                    sent += 1
                    next_send += SEND_EVERY
                while self.poll():
                    pass
            except Exception as error:  # noqa: BLE001 - counted as an error
                self.errors.append(repr(error))
            time.sleep(POLL_EVERY)
        # Drain once nobody is sending: everything sent reaches this chatter.
        try:
            self.done.wait(timeout=60)
            while self.poll():
                pass
        except Exception as error:  # noqa: BLE001 - counted as an error
            self.errors.append(f"drain: {error!r}")


class Results:
    def __init__(self):
        self.sent_at = {}
        self.deliveries = []
        self.poll_times = []


def server_start(port: int, env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "peer_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            os.environ.get("CHAT_LOAD_WORKERS", "2"),
            "--threads",
            "8",
            "--worker-class",
            "gthread",
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return server
        except urllib.error.HTTPError:
            return server
        except OSError:
            time.sleep(0.2)
    server_stop(server)
    raise SystemExit("the server did not start")


def server_stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def check_database(world: dict, chatters: list) -> list[str]:
    """Every message a chatter was told was sent is in the database once, and every
    chatter saw every published message exactly once."""
    from peer_support.chat.models import ChatEvent
    from peer_support.discussion.models import Post, PostStatus

    problems = []
    posts = set(
        Post.objects.filter(
            thread_ref_id=world["thread_id"], status=PostStatus.PUBLISHED
        ).values_list("pk", flat=True)
    )
    sent = sum(chatter.sent for chatter in chatters)
    if len(posts) != sent:
        problems.append(f"{sent} messages accepted but {len(posts)} in the database")
    seqs = list(
        ChatEvent.objects.filter(room__session_id=world["session_id"])
        .order_by("seq")
        .values_list("seq", flat=True)
    )
    if seqs != list(range(1, len(seqs) + 1)):
        problems.append("the event numbers have a gap or a repeat")
    for chatter in chatters:
        lost = posts - set(chatter.seen)
        twice = [post for post, times in chatter.seen.items() if times > 1]
        if lost:
            problems.append(f"chatter {chatter.number} never saw {len(lost)}")
        if twice:
            problems.append(f"chatter {chatter.number} saw {len(twice)} twice")
    return problems


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_site.settings.load")
    url, drop = database_prepare()
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.db import connections

    server = None
    try:
        world = world_build()
        connections.close_all()
        port = free_port()
        env = {**os.environ, "DATABASE_URL": url}
        server = server_start(port, env)
        results = Results()
        start_at = time.monotonic() + 3
        stop_at = start_at + SECONDS
        done = threading.Barrier(CHATTERS)
        chatters = [
            Chatter(
                n,
                f"http://127.0.0.1:{port}",
                world["session_id"],
                cookie,
                results,
                start_at,
                stop_at,
                done,
            )
            for n, cookie in enumerate(world["cookies"])
        ]
        load_before = os.getloadavg()
        client_cpu = time.process_time()
        for chatter in chatters:
            chatter.start()
        for chatter in chatters:
            chatter.join(timeout=SECONDS + 60)
        client_cpu = time.process_time() - client_cpu
        load_after = os.getloadavg()
        server_stop(server)
        server = None
        server_cpu = sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2])

        latencies = [
            seen - results.sent_at[mark]
            for mark, seen in results.deliveries
            if mark in results.sent_at
        ]
        errors = [error for chatter in chatters for error in chatter.errors]
        problems = check_database(world, chatters)
        p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else 0
        polls = sorted(results.poll_times)
        report = [
            f"Live chat load: {CHATTERS} chatters, {SECONDS:.0f} s, one message each "
            f"per {SEND_EVERY:.0f} s, polling every {POLL_EVERY} s; gunicorn "
            f"{os.environ.get('CHAT_LOAD_WORKERS', '2')} workers x 8 threads on "
            f"{'PostgreSQL' if url.startswith('postgres') else 'SQLite'}",
            f"  messages sent: {sum(c.sent for c in chatters)}",
            f"  deliveries (message x other chatter): {len(latencies)}",
            f"  delivery latency: median {statistics.median(latencies or [0]):.2f} s, "
            f"p95 {p95:.2f} s, max {max(latencies or [0]):.2f} s",
            f"  polls: {len(polls)}, p95 response "
            f"{(polls[int(len(polls) * 0.95)] if polls else 0) * 1000:.0f} ms",
            f"  errors: {len(errors)}",
            f"  CPU seconds: server {server_cpu:.1f}, load client {client_cpu:.1f}; "
            f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}",
            f"  lost or duplicated (checked against the database): {len(problems)}",
        ]
        kinds = collections.Counter(
            re.sub(r"\d{4,}", "N", error)[:80] for error in errors
        )
        errors = [f"    {count} x {kind}" for kind, count in kinds.most_common()]
        for line in report + [f"    {p}" for p in problems[:10]] + errors:
            sys.stdout.write(line + "\n")
        missed = p95 >= GOAL_P95 or problems or errors or not latencies
        sys.stdout.write(("GOAL MISSED" if missed else "goal met") + "\n")
        return 1 if missed else 0
    finally:
        if server is not None:
            server_stop(server)
        connections.close_all()
        drop()


if __name__ == "__main__":
    sys.exit(main())
