"""`make load`: a load test on the production stack, on this machine only.

It makes its own PostgreSQL database (`<DATABASE_URL's name>_loadrun`) and fills it
(`tests.perf.load_data`: migrate, the demo content, a few hundred groups, peer workers
with twelve weeks of shifts, busy conversations), collects the static files into a
temporary folder, then starts gunicorn (`gunicorn.conf.py`) and a Celery worker on
`peer_site.settings.production` (DEBUG off, Redis cache and sessions, WhiteNoise) and
runs locust headless against http://127.0.0.1 (`tests/perf/locustfile.py`). It prints
throughput, error rate and p95 per page and fails when any request failed or a page's
p95 is over its budget. Whatever happens (a failure, Ctrl-C, SIGTERM), it stops every
process it started, by process group, drops its database and empties its three Redis
databases (the one in `REDIS_URL` for cache and sessions, the next for the broker, the
one after for anonymous visitors' pages).

HTTPS: production redirects plain HTTP and marks cookies `Secure`. Here, as behind a
TLS-terminating proxy, gunicorn listens on 127.0.0.1 only and the load generator
sends `X-Forwarded-Proto: https` (see the locustfile); the settings are unchanged.

Budget: 300 ms at p95 for every page, signing in included (Argon2id costs about
60 ms of CPU per sign-in here; `peer_support.accounts.hashers` says why that is no
weaker than the PBKDF2 it replaced).
"""

import argparse
import csv
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
TARGET_HOST = "127.0.0.1"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
P95_BUDGET_MS = 300
REPORT = ROOT / "load-report.md"
# collectstatic as on a server installed with `pip install .`: no brotli there (locust
# brings it into the test environment), so WhiteNoise writes gzip files only. Brotli
# at its best quality would also cost about 35 s of CPU here.
COLLECTSTATIC = (
    "import sys; sys.modules['brotli'] = None; import django; django.setup(); "
    "from django.core.management import call_command; "
    "call_command('collectstatic', interactive=False, verbosity=0)"
)


class LoadError(Exception):
    """The load test could not run (set-up or a process that would not start)."""


@dataclass
class PageStats:
    name: str
    requests: int
    failures: int
    per_second: float
    median_ms: float
    p95_ms: float

    @property
    def over_budget(self) -> bool:
        return self.p95_ms > P95_BUDGET_MS


@dataclass
class LoadResult:
    users: int
    seconds: int
    pages: list[PageStats] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    process_groups: list[int] = field(default_factory=list)
    database: str = ""
    mix: dict[str, int] = field(default_factory=dict)
    think: str = ""
    load_before: float = 0.0
    load_after: float = 0.0

    @property
    def requests(self) -> int:
        return sum(page.requests for page in self.pages)

    @property
    def errors(self) -> int:
        return sum(page.failures for page in self.pages)

    @property
    def slow_pages(self) -> list[PageStats]:
        return [page for page in self.pages if page.over_budget]

    @property
    def passed(self) -> bool:
        return not self.errors and not self.failures and not self.slow_pages

    def summary(self) -> str:
        mix = ", ".join(f"{count} {kind}" for kind, count in self.mix.items())
        lines = [
            f"# Load test: {self.users} users for {self.seconds} s",
            "",
            f"Users: {mix or self.users}; each pauses {self.think.replace(',', '-')} s "
            f"between pages. p95 budget {P95_BUDGET_MS} ms a page.",
            f"This machine: {os.cpu_count()} cores; load average (1 min) "
            f"{self.load_before:.1f} before the run, {self.load_after:.1f} at its end.",
            "",
            "| page | requests | failed | req/s | median ms | p95 ms | |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for page in self.pages:
            verdict = "over" if page.over_budget else "ok"
            if page.failures:
                verdict = "errors"
            lines.append(
                f"| {page.name} | {page.requests} | {page.failures} | "
                f"{page.per_second:.1f} | {page.median_ms:.0f} | {page.p95_ms:.0f} | "
                f"{verdict} |"
            )
        rate = self.errors / self.requests if self.requests else 0.0
        lines += [
            "",
            f"Throughput {self.requests / self.seconds:.1f} requests/s; "
            f"{self.requests} requests, {self.errors} failed ({rate:.2%}).",
        ]
        lines += [f"Failure: {failure}" for failure in self.failures]
        if self.slow_pages:
            names = ", ".join(page.name for page in self.slow_pages)
            lines.append(f"Over the p95 budget: {names}.")
        lines.append("PASS" if self.passed else "FAIL")
        return "\n".join(lines) + "\n"


def say(started: float, text: str) -> None:
    sys.stderr.write(f"load test [{time.monotonic() - started:5.1f} s] {text}\n")
    sys.stderr.flush()


def local_url(url: str, what: str) -> None:
    host = urlsplit(url).hostname
    if host not in LOCAL_HOSTS:
        raise LoadError(f"{what} must be on this machine, not {host!r}.")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((TARGET_HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def load_database(database_url: str, name: str, template: str | None = None):
    """A fresh database `name` beside `database_url`'s (a copy of `template` when
    given), dropped afterwards."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))

    def execute(statement):
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(statement)

    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
        sql.Identifier(name)
    )
    execute(drop)  # left over from a run that was killed outright
    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    execute(create)
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        execute(drop)


def redis_urls(redis_url: str) -> tuple[str, str, str, str]:
    """The base address, the cache's database (as given), the broker's (next) and the
    page cache's (the one after)."""
    parts = urlsplit(redis_url)
    number = int(parts.path.strip("/") or 0)
    base = urlunsplit(parts._replace(path=""))
    return base, f"{base}/{number}", f"{base}/{number + 1}", f"{base}/{number + 2}"


def redis_flush(*urls: str) -> None:
    import redis

    for url in urls:
        redis.Redis.from_url(url).flushdb()


class Processes:
    """Every process the load test starts, each in its own process group (session),
    so stopping one stops its children too (gunicorn's and Celery's workers)."""

    def __init__(self, env: dict[str, str], logs: Path):
        self.env = env
        self.logs = logs
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, args: list[str], **env) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")
        process = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.started.append((name, process))
        return process

    def run(self, name: str, args: list[str], *, timeout: float, **env) -> None:
        process = self.start(name, args, **env)
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise LoadError(f"{name} took longer than {timeout:.0f} s") from None
        if code:
            raise LoadError(f"{name} failed (exit {code}):\n{self.log_tail(name)}")

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.logs / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    @property
    def groups(self) -> list[int]:
        return [process.pid for _, process in self.started]

    def stop_all(self, timeout: float = 20) -> None:
        for _, process in reversed(self.started):
            group_signal(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for _, process in reversed(self.started):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            while group_alive(process.pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if group_alive(process.pid):
                group_signal(process.pid, signal.SIGKILL)
                process.wait()


def group_signal(group: int, signum: int) -> None:
    try:
        os.killpg(group, signum)
    except ProcessLookupError:
        pass


def group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


@contextmanager
def signals_deferred():
    """Ctrl-C or SIGTERM during the clean-up must not cut it short."""
    if not _main_thread():
        yield
        return
    previous = {
        signum: signal.signal(signum, signal.SIG_IGN)
        for signum in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def wait_until_serving(url: str, server: subprocess.Popen, timeout: float) -> None:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise LoadError("gunicorn stopped before it served a page")
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise LoadError(f"gunicorn did not serve {url} within {timeout:.0f} s")


def read_stats(prefix: Path, result: LoadResult) -> None:
    def number(value: str) -> float:
        return float(value) if value not in ("", "N/A") else 0.0

    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            if row["Name"] == "Aggregated":
                continue
            result.pages.append(
                PageStats(
                    name=row["Name"],
                    requests=int(row["Request Count"]),
                    failures=int(row["Failure Count"]),
                    per_second=number(row["Requests/s"]),
                    median_ms=number(row["Median Response Time"]),
                    p95_ms=number(row["95%"]),
                )
            )
    result.pages.sort(key=lambda page: page.name)
    with open(f"{prefix}_failures.csv", newline="") as failures:
        result.failures += [
            f"{row['Name']}: {row['Error']} ({row['Occurrences']}x)"
            for row in csv.DictReader(failures)
        ]
    with open(f"{prefix}_exceptions.csv", newline="") as exceptions:
        result.failures += [
            f"locustfile error: {row['Message']} ({row['Count']}x)"
            for row in csv.DictReader(exceptions)
        ]


def run(
    *,
    users: int = 50,
    seconds: int = 60,
    groups: int = 300,
    web_workers: int = 3,
    database: str | None = None,
    think: str = "2,8",
    grace: int = 10,
    host: str = TARGET_HOST,
    template: str | None = None,
) -> LoadResult:
    """Build, serve, load and tear down; the result says what locust measured.
    `grace`: seconds a visitor still in its first visit (or a page) at the end may
    take to finish it. `template`: a migrated database to copy rather than migrate
    a new one."""
    if host != TARGET_HOST:
        raise LoadError(f"The load test targets {TARGET_HOST} only, not {host!r}.")
    database_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/peer_support"
    )
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    local_url(database_url, "DATABASE_URL")
    local_url(redis_url, "REDIS_URL")
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise LoadError("The load test runs on PostgreSQL: set DATABASE_URL.")
    database = database or urlsplit(database_url).path.strip("/") + "_loadrun"
    redis_base, cache_url, broker_url, pages_url = redis_urls(redis_url)
    port = free_port()
    target = f"http://{TARGET_HOST}:{port}"
    mix = {"coordinator": 1, "peer workers": max(1, users // 10)}
    mix["members"] = max(1, users // 4)
    mix = {"anonymous": max(0, users - sum(mix.values())), **mix}
    result = LoadResult(
        users=users, seconds=seconds, database=database, mix=mix, think=think
    )
    work = Path(tempfile.mkdtemp(prefix="peer-load-"))
    started = time.monotonic()
    try:
        with load_database(database_url, database, template) as load_url:
            processes = Processes(
                {
                    **os.environ,
                    "DJANGO_SETTINGS_MODULE": "peer_site.settings.production",
                    "SECRET_KEY": secrets.token_urlsafe(50),
                    "ALLOWED_HOSTS": TARGET_HOST,
                    "DATABASE_URL": load_url,
                    "REDIS_URL": redis_base,
                    "CACHE_REDIS_URL": cache_url,
                    "CELERY_BROKER_URL": broker_url,
                    "PAGE_CACHE_REDIS_URL": pages_url,
                    "TRUSTED_PROXY_HOPS": "1",
                    "SAFEGUARDING_SERVICE_MANAGER_EMAIL": "manager@load.invalid",
                    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
                    "STATIC_ROOT": str(work / "static"),
                    "GUNICORN_BIND": f"{TARGET_HOST}:{port}",
                    "WEB_CONCURRENCY": str(web_workers),
                    "PYTHONUNBUFFERED": "1",
                },
                work,
            )
            try:
                redis_flush(cache_url, broker_url, pages_url)
                say(started, f"filling database {database} ({groups} groups)")
                collect = processes.start("collectstatic", ["-c", COLLECTSTATIC])
                plan = work / "plan.json"
                processes.run(
                    "build",
                    [
                        "-m",
                        "tests.perf.load_data",
                        str(plan),
                        f"--groups={groups}",
                        f"--members={max(10, users)}",
                    ],
                    timeout=600,
                )
                if collect.wait(timeout=300):
                    raise LoadError(
                        "collectstatic failed:\n" + processes.log_tail("collectstatic")
                    )
                say(started, f"starting gunicorn ({web_workers} workers) and Celery")
                processes.start(
                    "celery",
                    [
                        "-m",
                        "celery",
                        "-A",
                        "peer_site",
                        "worker",
                        "--loglevel=WARNING",
                        "--concurrency=1",
                        "--without-gossip",
                        "--without-mingle",
                    ],
                )
                server = processes.start(
                    "gunicorn",
                    ["-m", "gunicorn", "-c", "gunicorn.conf.py", "peer_site.wsgi"],
                )
                wait_until_serving(target + "/", server, timeout=90)
                say(started, f"locust: {users} users for {seconds} s on {target}")
                result.load_before = os.getloadavg()[0]
                stats = work / "stats"
                locust = processes.start(
                    "locust",
                    [
                        "-m",
                        "locust",
                        "-f",
                        str(ROOT / "tests" / "perf" / "locustfile.py"),
                        "--headless",
                        f"--users={users}",
                        f"--spawn-rate={max(5, users // 10)}",
                        f"--run-time={seconds}s",
                        f"--host={target}",
                        f"--csv={stats}",
                        "--only-summary",
                        f"--stop-timeout={grace}",
                        "--loglevel=WARNING",
                    ],
                    LOAD_PLAN=str(plan),
                    LOAD_THINK=think,
                    LOAD_COORDINATORS=str(mix["coordinator"]),
                    LOAD_PEER_WORKERS=str(mix["peer workers"]),
                    LOAD_MEMBERS=str(mix["members"]),
                )
                try:
                    locust.wait(timeout=seconds + grace + 60)
                except subprocess.TimeoutExpired:
                    raise LoadError("locust did not finish in time") from None
                if not Path(f"{stats}_stats.csv").exists():
                    tail = processes.log_tail("locust")
                    raise LoadError(f"locust wrote no figures:\n{tail}")
                result.load_after = os.getloadavg()[0]
                read_stats(stats, result)
                if server.poll() is not None:
                    result.failures.append("gunicorn stopped during the run")
            except BaseException:
                for name in ("build", "gunicorn", "celery", "locust"):
                    if tail := processes.log_tail(name, 15):
                        sys.stderr.write(f"--- {name} log ---\n{tail}\n")
                raise
            finally:
                with signals_deferred():
                    say(started, "stopping everything it started")
                    processes.stop_all()
                    result.process_groups = processes.groups
    finally:
        with signals_deferred():
            redis_flush(cache_url, broker_url, pages_url)
            shutil.rmtree(work, ignore_errors=True)
        say(started, f"dropped database {database}")
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Load test on the production stack.")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--groups", type=int, default=300)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument(
        "--think", default="2,8", help="seconds a visitor pauses between pages: MIN,MAX"
    )
    parser.add_argument("--host", default=TARGET_HOST)
    args = parser.parse_args(argv)
    # SIGTERM unwinds like Ctrl-C, so the clean-up runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        result = run(
            users=args.users,
            seconds=args.seconds,
            groups=args.groups,
            web_workers=args.web_workers,
            think=args.think,
            host=args.host,
        )
    except LoadError as error:
        sys.stderr.write(f"load test: {error}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("load test: interrupted; everything it started is stopped\n")
        return 130
    report = result.summary()
    REPORT.write_text(report)
    sys.stdout.write(report)
    return 0 if result.passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
