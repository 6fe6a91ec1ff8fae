"""The real site (internal and public builds), rendered once per test session, served over HTTP on
127.0.0.1, and a browser that cannot reach anything else."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from analysis.paths import PROJECT_ROOT
from render.site import COMMENT_SCRIPTS

# Where each profile's build goes (_quarto.yml, _quarto-public.yml).
SITE_DIRS = {"internal": PROJECT_ROOT / "_site", "public": PROJECT_ROOT / "_site-public"}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The comments script (Hypothesis) is the one external resource a page may ask for; the
# site must stay fully usable without it, so tests block it like everything else but
# record it apart, and ignore the console's note that it failed to load.
OPTIONAL_EXTERNAL = tuple(COMMENT_SCRIPTS.values())
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]


def make_site(profile: str) -> Path:
    """`make site` exactly as a reader runs it, for `profile`; returns the built site's folder.

    The renderer is what the Makefile finds (scripts/find_quarto.sh): Quarto where installed or
    bundled beside the project, else the fallback; the site's `.built` stamp records which
    (`<quarto command> <profile>`, or just the profile for the fallback)."""
    done = subprocess.run(["make", "--no-print-directory", "site", f"PROFILE={profile}"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True)
    if done.returncode:
        pytest.fail(f"make site PROFILE={profile} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return SITE_DIRS[profile]


@pytest.fixture(scope="session")
def rendered_site():
    """The internal (default profile) site, built with `make site`."""
    return make_site("internal")


@pytest.fixture(scope="session")
def public_site(rendered_site):
    """The public site (`make public`); after the internal one, which the tests read first."""
    return make_site("public")


class SiteServer:
    """The project folder over HTTP on 127.0.0.1, as a reader's server serves a site: Quarto's
    scripts are ES modules, which browsers do not run from file://."""

    def __init__(self):
        handler = functools.partial(_QuietHandler, directory=str(PROJECT_ROOT))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url_of(self, path: Path) -> str:
        return self.base + path.resolve().relative_to(PROJECT_ROOT).as_posix()

    def is_site(self, url: str) -> bool:
        """A file of one of the built sites (not of the project around them)."""
        return any(url.startswith(self.base + site.name + "/") for site in SITE_DIRS.values())


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_server():
    server = SiteServer()
    yield server
    server.httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def offline_page(browser, site_server):
    """A page whose every request outside the site's own files is aborted and recorded;
    `page.url_of(path)` is a built file's address on the local server."""
    context = browser.new_context()
    page = context.new_page()
    page.blocked_requests = []
    page.blocked_optional = []
    page.console_errors = []
    page.url_of = site_server.url_of

    def block_network(route):
        url = route.request.url
        if site_server.is_site(url) or url.startswith(("data:", "blob:")):
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
