"""The real site, rendered once per test session, and a browser that cannot reach the network."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from analysis.paths import PROJECT_ROOT
from render.site import COMMENT_SCRIPTS

SITE_DIR = PROJECT_ROOT / "_site"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The comments script (Hypothesis) is the one external resource a page may ask for; the
# site must stay fully usable without it, so tests block it like everything else but
# record it apart, and ignore the console's note that it failed to load.
OPTIONAL_EXTERNAL = tuple(COMMENT_SCRIPTS.values())
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def rendered_site():
    """`make site` exactly as a reader runs it (cached chapters make this quick)."""
    subprocess.run(["make", "--no-print-directory", "site"], cwd=PROJECT_ROOT, check=True,
                   capture_output=True, text=True)
    return SITE_DIR


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def offline_page(browser):
    """A page whose every request outside file:// is aborted and recorded."""
    context = browser.new_context()
    page = context.new_page()
    page.blocked_requests = []
    page.blocked_optional = []
    page.console_errors = []

    def block_network(route):
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            (page.blocked_optional if url in OPTIONAL_EXTERNAL else page.blocked_requests).append(url)
            route.abort()

    def record_error(message):
        if message.type == "error" and message.location.get("url") not in OPTIONAL_EXTERNAL:
            page.console_errors.append(message.text)

    context.route("**/*", block_network)
    page.on("console", record_error)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()
