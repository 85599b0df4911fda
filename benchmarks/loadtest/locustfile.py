"""Load test users for ``make loadtest`` (run by ``benchmarks/loadtest/run.py``).

Volume workers and supervisors (``seed_demo --people N``) sign in through the
real sign-in form and loop over every main page, and over the floor page (the
cheapest signed-in page, the home page) that the others are compared with.
Workers pick people from their own caseload page; supervisors from their
teams' and also loop over the dashboard.

Every request is named after its page (``pages.PAGES``), the same names the
driver gives the server's access log lines. Measurement starts once every user
has signed in: the statistics are reset then, and the time is written to
``$LOADTEST_OUT/measure_from`` so the driver skips earlier log lines too.
"""

import ast
import base64
import hashlib
import hmac
import itertools
import os
import random
import re
import time
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task
from locust.exception import StopUser
from pages import SIGN_IN, page_name


def _demo_constant(name):
    """A constant of ``accounts/demo.py`` (the published demo password and
    authenticator key), read without starting Django."""
    source = Path(__file__).resolve().parents[2] / "accounts" / "demo.py"
    for node in ast.parse(source.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise LookupError(f"{name} is not in {source}")


def totp_code(key, at=None):
    """The current six-digit code (RFC 6238: 30 s steps, HMAC-SHA1) for a base32 key."""
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(secret, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


PASSWORD = _demo_constant("DEMO_PASSWORD")
TOTP_KEY = _demo_constant("DEMO_TOTP_KEY")
SECOND_FACTOR = "/account/mfa/authenticate/"
PERSON_LINK = re.compile(r'href="/people/([0-9a-f-]{36})/"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# 15 workers spread over the five volume teams (3 each), and the 5 supervisors.
WORKERS = itertools.cycle(f"volume.worker{t * 10 + k:02d}" for k in (1, 4, 7) for t in range(5))
SUPERVISORS = itertools.cycle(f"volume.supervisor{n}" for n in range(1, 6))
CASELOAD_WORDS = ["Ivy", "Khan", "Sol", "Tess Lane", "VOL-0001"]
TOOLKIT_WORDS = ["network", "goal", "community", "review", "boundaries"]
DIRECTORY_WORDS = ["walk", "group", "garden", "café", "art"]

_signed_in = set()


class LoopOverPages(HttpUser):
    abstract = True
    # Think time after each page (seconds).
    wait_time = between(
        float(os.environ.get("LOADTEST_WAIT_MIN", "0.5")),
        float(os.environ.get("LOADTEST_WAIT_MAX", "1.5")),
    )
    accounts = None
    own_page = "/"

    def on_start(self):
        self.username = next(self.accounts)
        self.sign_in()
        self.people = []

    def sign_in(self):
        """The sign-in form, and for supervisors the second factor (the demo
        authenticator key of ``accounts/demo.py``), as a person would."""
        page = self.client.get("/login/", name=SIGN_IN)
        response = self.post_form(
            "/login/", page, {"login": self.username, "password": PASSWORD}, SIGN_IN
        )
        if urlsplit(response.url).path == SECOND_FACTOR:
            response = self.post_form(
                SECOND_FACTOR, response, {"code": totp_code(TOTP_KEY)}, SIGN_IN
            )
        if urlsplit(response.url).path != "/":
            raise StopUser()
        _signed_in.add(self.username)
        runner = self.environment.runner
        if runner is not None and len(_signed_in) == runner.target_user_count:
            runner.stats.reset_all()
            out = os.environ.get("LOADTEST_OUT")
            if out:
                Path(out, "measure_from").write_text(f"{time.time():.3f}\n")

    def post_form(self, url, page, data, name):
        """POST ``data`` to the form on ``page`` with its CSRF token; a failure
        unless it leads somewhere other than ``url``."""
        token = CSRF_FIELD.search(page.text or "")
        with self.client.post(
            url,
            data={**data, "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": f"{self.host}{url}"},
            name=name,
            catch_response=True,
        ) as response:
            if urlsplit(response.url).path == url:
                response.failure(f"{self.username}: {url} did not accept the form")
        return response

    def page(self, url):
        parts = urlsplit(url)
        name = page_name(parts.path, parts.query)
        with self.client.get(url, name=name, catch_response=True) as response:
            if not 200 <= response.status_code < 400:
                response.failure(f"{response.status_code} for {url}")
            elif urlsplit(response.url).path != parts.path:
                response.failure(f"sent from {url} to {response.url}")
        self.wait()  # think time between pages, as a person would
        return response

    def pick_person(self):
        caseload = self.page("/people/")
        found = PERSON_LINK.findall(caseload.text or "")
        if found:
            self.people = found
        return random.choice(self.people) if self.people else None

    def person_pages(self, person):
        base = f"/people/{person}/"
        self.page(base)
        self.page(base + "sessions/")
        self.page(base + "network/")
        self.page(base + "goals/")
        self.page(base + "journey/")

    @task
    def loop(self):
        """One round of every page: a person of theirs and that person's pages,
        the user's own page (board or dashboard), then the pages everyone uses."""
        person = self.pick_person()
        if person:
            self.person_pages(person)
        self.page(self.own_page)
        self.shared_pages()

    def shared_pages(self):
        self.page("/")
        self.page(f"/people/?q={random.choice(CASELOAD_WORDS)}")
        self.page(f"/toolkit/?q={random.choice(TOOLKIT_WORDS)}")
        self.page(f"/toolkit/directory/?q={random.choice(DIRECTORY_WORDS)}")
        self.page("/api/oruk/services?per_page=20")


class Worker(LoopOverPages):
    weight = 3
    accounts = WORKERS
    own_page = "/board/"


class Supervisor(LoopOverPages):
    weight = 1
    accounts = SUPERVISORS
    own_page = "/dashboard/"


# The app runs with production settings (``Secure`` cookies) on plain HTTP at
# 127.0.0.1. Like a browser on localhost, send those cookies there anyway. This
# is patched on the class because requests copies the session's cookies into a
# new jar, with the default policy, for every request and redirect.
_return_ok_secure = DefaultCookiePolicy.return_ok_secure


def _secure_cookies_also_to_loopback(policy, cookie, request):
    if urlsplit(request.get_full_url()).hostname == "127.0.0.1":
        return True
    return _return_ok_secure(policy, cookie, request)


DefaultCookiePolicy.return_ok_secure = _secure_cookies_also_to_loopback


@events.init.add_listener
def _only_loopback(environment, **kwargs):
    host = environment.host or ""
    if not re.match(r"^http://127\.0\.0\.1(:\d+)?/?$", host):
        raise SystemExit(f"The load test talks only to http://127.0.0.1, not {host!r}.")
