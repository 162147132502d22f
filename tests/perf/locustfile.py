"""The load test's visitors, run by `tests.perf.load` (`make load`).

Who comes, in the share `tests.perf.load` gives each kind: mostly anonymous visitors on
the home page and the group finder (with and without filters or a search), then
members who sign in, read and join groups and read conversations, peer workers on
their rota, and one rota coordinator on the coverage report. Every visitor first goes
through each of its pages once, then picks pages at random; it pauses to read after
every page, the first ones too, as a person does (without that, the first seconds of a
run were a burst of fifty visitors each opening every page at once).

The load generator stands where the TLS-terminating proxy would: it sends
`X-Forwarded-Proto: https` and an `X-Forwarded-For` address per visitor (the site runs
with `TRUSTED_PROXY_HOPS=1`), and keeps the site's `Secure` cookies over the plain local
connection, as a browser does over TLS.
"""

import json
import os
import random
import re
from itertools import count, cycle
from pathlib import Path

import gevent
from locust import HttpUser, between, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
THINK = tuple(float(s) for s in os.environ.get("LOAD_THINK", "2,8").split(","))
ADDRESSES = count(1)
# Each visitor signs in with an account of its own (the plan has one per user).
MEMBER_ACCOUNTS = cycle(PLAN["members"])
WORKER_ACCOUNTS = cycle(PLAN["workers"])
SEARCHES = ["sleep", "anxiety", "walking", "low mood", "voices"]
FILTERS = [
    {"topic": "anxiety", "time": "evening"},
    {"format": "online"},
    {"near": "York", "format": "in_person"},
    {"day": "2", "taking_new": "on"},
]
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STATIC_FILE = re.compile(r'(?:href|src)="(/static/[^"]+)"')


class Visitor(HttpUser):
    abstract = True
    wait_time = between(*THINK)

    def on_start(self):
        number = next(ADDRESSES)
        self.client.headers.update(
            {
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": f"10.{number // 65536}.{number // 256 % 256}."
                f"{number % 256}",
            }
        )
        self.first_visit()

    def first_visit(self):
        raise NotImplementedError

    def visit_each(self, *pages):
        """Each page once, with a pause to read between them."""
        for number, page in enumerate(pages):
            if number:
                self.pause()
            page()

    def pause(self):
        """A pause to read, as between tasks; unlike `wait`, one that a run coming
        to its end lets finish, so a first visit is seen through (`load.run`'s
        grace)."""
        gevent.sleep(self.wait_time())

    def page(self, name: str, url: str, **kwargs):
        """GET a page; anything but 200 (a redirect to sign in, too) fails."""
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True, **kwargs
        ) as answer:
            if answer.status_code != 200:
                answer.failure(f"{name} answered {answer.status_code}")
        self.cookies_as_over_tls()
        return answer

    def cookies_as_over_tls(self):
        """A browser sends `Secure` cookies back over HTTPS; the connection to the
        proxy's side is plain HTTP here, where requests would hold them back."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def form_post(self, name: str, url: str, data: dict, *, form_url: str):
        """GET the form (for its CSRF token), fill it in (a pause, as a person
        types), then POST it as a browser does; a successful form answers with a
        redirect."""
        form = self.page(f"{name} (form)", form_url)
        self.pause()
        token = CSRF_FIELD.search(form.text or "")
        origin = self.host.replace("http://", "https://")
        with self.client.post(
            url,
            data={**data, "csrfmiddlewaretoken": token.group(1) if token else ""},
            name=name,
            headers={"Origin": origin, "Referer": origin + form_url},
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"{name} answered {answer.status_code}, not a redirect")
        self.cookies_as_over_tls()
        return answer

    def sign_in(self, email: str, password: str):
        url = "/accounts/login/"
        self.form_post(
            "sign in",
            url,
            {"username": email, "password": password},
            form_url=url,
        )


class AnonymousVisitor(Visitor):
    """Someone looking for help: the home page, the finder, a group."""

    weight = 1

    def first_visit(self):
        self.visit_each(
            self.home_with_static_files,
            self.finder,
            self.finder_filtered,
            self.finder_search,
            self.group,
        )

    def home_with_static_files(self):
        # A first visit fetches the stylesheets and scripts; the browser keeps them.
        for path in set(STATIC_FILE.findall(self.home().text or "")):
            self.page("static file", path)

    @task(4)
    def home(self):
        return self.page("home", "/")

    @task(4)
    def finder(self):
        self.page("finder", PLAN["finder"])

    @task(3)
    def finder_filtered(self):
        self.page("finder, filters", PLAN["finder"], params=random.choice(FILTERS))

    @task(2)
    def finder_search(self):
        self.page(
            "finder, search", PLAN["finder"], params={"q": random.choice(SEARCHES)}
        )

    @task(3)
    def group(self):
        self.page("group page", random.choice(PLAN["groups"]))


class Member(Visitor):
    """A service user: signs in, reads their groups and conversations, joins one."""

    fixed_count = int(os.environ.get("LOAD_MEMBERS", "0"))

    def first_visit(self):
        self.to_join = random.sample(PLAN["joinable"], len(PLAN["joinable"]))
        account = next(MEMBER_ACCOUNTS)
        self.visit_each(
            lambda: self.sign_in(account, PLAN["password"]),
            self.my_groups,
            self.group,
            self.conversations,
            self.thread,
            self.join,
        )

    @task(3)
    def my_groups(self):
        self.page("my groups", "/my/")

    @task(3)
    def group(self):
        self.page("group page (member)", random.choice(PLAN["groups"]))

    @task(3)
    def conversations(self):
        space = random.choice(PLAN["threads"])["space"]
        self.page("conversations", f"/discussion/space/{space}/")

    @task(5)
    def thread(self):
        thread = random.choice(PLAN["threads"])["thread"]
        self.page("conversation", f"/discussion/thread/{thread}/")

    @task(1)
    def join(self):
        if not self.to_join:
            return
        group = self.to_join.pop()
        url = f"/spaces/{group['space']}/join/"
        answer = self.form_post("join a group", url, {}, form_url=url)
        if answer.status_code == 302:
            self.page("group page (member)", group["url"])


class PeerWorker(Visitor):
    """A peer worker checking their rota and availability."""

    fixed_count = int(os.environ.get("LOAD_PEER_WORKERS", "0"))

    def first_visit(self):
        account = next(WORKER_ACCOUNTS)
        self.visit_each(
            lambda: self.sign_in(account, PLAN["password"]),
            self.my_shifts,
            self.availability,
        )

    @task(3)
    def my_shifts(self):
        self.page("my shifts", "/rota/")

    @task(1)
    def availability(self):
        self.page("availability", "/rota/availability/")


class Coordinator(Visitor):
    """The rota coordinator on the coverage report: mostly the coming week, now and
    then a later one or the next page of its gaps."""

    fixed_count = int(os.environ.get("LOAD_COORDINATORS", "0"))

    def first_visit(self):
        self.visit_each(
            lambda: self.sign_in(PLAN["coordinator"], PLAN["coordinator_password"]),
            self.coverage,
            self.coverage_later,
        )

    @task(3)
    def coverage(self):
        self.page("rota coverage", "/admin/rota/coverage/")

    @task(1)
    def coverage_later(self):
        params = {"week": random.choice("123"), "page": random.choice("12")}
        self.page("rota coverage", "/admin/rota/coverage/", params=params)
