"""Browser tests: Playwright drives the system Chromium against the live server.

One browser is shared by the whole run; each test gets a fresh context. Without
Chromium these tests skip, unless REQUIRE_E2E=1 (as in CI), when they fail.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# test set-up are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_CANDIDATES = ["chromium", "chromium-browser", "google-chrome"]


def find_chromium():
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit if os.path.exists(explicit) else None
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            # With pytest-xdist (``make test`` runs ``-n auto --dist loadgroup``), every
            # browser test goes to one worker, so the run still starts one browser.
            item.add_marker(pytest.mark.xdist_group("browser"))
    # Browser tests first: the worker that takes them starts on its long share at
    # once while the other workers share out the rest.
    items.sort(key=lambda item: "tests/e2e/" not in str(item.fspath).replace(os.sep, "/"))


@pytest.fixture(scope="session")
def browser():
    chromium = find_chromium()
    required = os.environ.get("REQUIRE_E2E") == "1"
    if chromium is None:
        message = "Chromium not found (install Debian's chromium or set CHROMIUM_PATH)"
        if required:
            pytest.fail(message + "; REQUIRE_E2E=1 so browser tests may not skip.")
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - dev extra not installed
        if required:
            pytest.fail(f"Playwright is not installed: {exc}")
        pytest.skip(f"Playwright is not installed: {exc}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


# Reported to Python by every page the browser tests open: any violation of the
# Content-Security-Policy, in the document or a frame, as soon as it happens.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.cpReportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} on ${event.documentURI}`
    + ` (${event.sourceFile || ""}:${event.lineNumber || ""})`
  );
});
"""


def open_page(context, problems):
    """A new page whose CSP violations, console errors and uncaught script
    errors are collected in ``problems``."""
    page = context.new_page()
    documents = set()

    def response(response):
        if response.request.resource_type == "document":
            documents.add(response.url)

    def console(message):
        if message.type != "error":
            return
        # Chromium logs a page answered with an error status (a 404 page a test
        # means to visit) as a failed load of that document: not a fault. A
        # failed stylesheet, script or image is not a document and still counts.
        if message.text.startswith("Failed to load resource") and (
            message.location.get("url") in documents
        ):
            return
        problems.append(f"console error on {page.url}: {message.text}")

    page.on("response", response)
    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"script error on {page.url}: {error}"))
    return page


@pytest.fixture
def browser_problems():
    """CSP violations and console errors seen so far; each test must end with none."""
    return []


@pytest.fixture
def new_context(browser, live_server, browser_problems):
    """Make browser contexts (one per signed-in user) that report CSP violations,
    console errors and requests to other hosts; all are checked at the end."""
    from django.core.cache import cache

    # Rate limits and used TOTP codes live in the cache; start each test afresh.
    cache.clear()
    contexts = []
    external = []

    def watch(request):
        if not request.url.startswith(live_server.url) and not request.url.startswith("data:"):
            external.append(request.url)

    def make(**options):
        context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
        context.set_default_timeout(10_000)
        context.expose_function(
            "cpReportCspViolation",
            lambda text: browser_problems.append(f"CSP violation: {text}"),
        )
        context.add_init_script(CSP_LISTENER)
        context.on("request", watch)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not external, f"The page loaded resources from other hosts: {external}"
    assert not browser_problems, "\n".join(browser_problems)


@pytest.fixture
def page(new_context, browser_problems):
    return open_page(new_context(), browser_problems)


@pytest.fixture
def axe(browser_problems):
    from axe_playwright_python.sync_playwright import Axe

    checker = Axe()

    def check(page):
        results = checker.run(page)
        assert results.violations_count == 0, (
            f"axe found violations on {page.url}:\n{results.generate_report()}"
        )
        assert not browser_problems, "\n".join(browser_problems)

    return check


@pytest.fixture
def sign_in(axe):
    from allauth.mfa.models import Authenticator

    from tests.accounts.factories import TEST_PASSWORD, TEST_TOTP_SECRET, totp_code

    def _sign_in(page, user, password=TEST_PASSWORD, totp_secret=TEST_TOTP_SECRET):
        page.goto("/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            # The second step: the code an authenticator app would show.
            page.get_by_label("Code from your authenticator app").fill(totp_code(totp_secret))
            page.get_by_role("button", name="Continue").click()
            page.wait_for_load_state()

    return _sign_in
