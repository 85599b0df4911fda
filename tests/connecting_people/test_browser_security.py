"""Content-Security-Policy, no-store for signed-in pages, cookie names, and no
inline script or style in any template."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_every_page_sends_the_policy(client, owner, person):
    for response in [
        client.get("/login/"),
        Client().get("/there-is-nothing-here/"),
    ]:
        policy = directives(response["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert policy["form-action"] == ["'self'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    client.force_login(owner)
    response = client.get(reverse("caseload:person", args=[person.public_id]))
    assert directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]


def test_only_the_admin_allows_inline_styles_and_nothing_allows_inline_scripts(
    client_for, admin_user
):
    client = client_for(admin_user)
    admin = directives(client.get("/admin/")["Content-Security-Policy"])
    assert admin["style-src"] == ["'self'", "'unsafe-inline'"]
    assert admin["script-src"] == ["'self'"]
    home = directives(client.get("/")["Content-Security-Policy"])
    assert home["style-src"] == ["'self'"]


def run_settings(code, **env):
    base = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "connecting_people.settings",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; {code}",
        ],
        env={**base, **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.strip()


def test_report_only_switch_sends_the_policy_as_report_only():
    out = run_settings(
        "print(settings.CONTENT_SECURITY_POLICY, "
        "bool(settings.CONTENT_SECURITY_POLICY_REPORT_ONLY))",
        DJANGO_DEBUG="1",
        CP_CSP_REPORT_ONLY="1",
    )
    assert out == "None True"


def test_production_cookies_use_the_host_prefix():
    out = run_settings(
        "print(settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SESSION_COOKIE_PATH, settings.SESSION_COOKIE_DOMAIN)",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="cp.example.org",
        DATABASE_URL="sqlite:///unused.sqlite3",
    )
    assert out == "__Host-sessionid __Host-csrftoken True True / None"


def test_person_page_for_a_signed_in_user_is_never_stored(client, owner, person):
    client.force_login(owner)
    response = client.get(reverse("caseload:person", args=[person.public_id]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


def test_every_page_of_a_signed_in_user_is_never_stored(client, owner):
    client.force_login(owner)
    for url in ["/", "/people/", "/toolkit/", "/there-is-nothing-here/"]:
        assert client.get(url)["Cache-Control"] == "no-store, private", url


def test_static_files_stay_cacheable_for_signed_in_users(live_server, owner):
    """Whitenoise answers before the no-store rule (checked over real HTTP)."""
    import urllib.request

    from django.contrib.staticfiles.finders import find

    assert find("css/app.css")
    request = urllib.request.Request(  # noqa: S310 - our own live server
        f"{live_server.url}{settings.STATIC_URL}css/app.css",
        headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}=abc"},
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310 - our live server
        assert "no-store" not in (response.headers.get("Cache-Control") or "")


def count_queries(url, user, middleware):
    from django.test import override_settings

    with override_settings(MIDDLEWARE=middleware):
        client = Client()
        client.force_login(user)
        client.get(url)  # warm up (session start time, last seen)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["caseload:list", "caseload:person"])
def test_csp_and_no_store_add_no_queries(owner, person, url_name):
    url = reverse(url_name, args=[person.public_id] if url_name == "caseload:person" else [])
    without = [
        m
        for m in settings.MIDDLEWARE
        if m
        not in {
            "csp.middleware.CSPMiddleware",
            "connecting_people.middleware.NoStoreForSignedInMiddleware",
        }
    ]
    assert count_queries(url, owner, settings.MIDDLEWARE) == count_queries(url, owner, without)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")", re.I)


def test_no_template_has_inline_script_or_style():
    """CSP allows no inline code: no <style>, no style="", no on...= handlers,
    no <script> without src (JSON data blocks excepted), SVG templates included."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.htm*"):
        text = path.read_text()
        for pattern in [r"<style", r"\sstyle=", r"\son[a-z]+=\"", INLINE_SCRIPT.pattern]:
            if re.search(pattern, text, re.I):
                offenders.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert not offenders, offenders
