"""The real site (internal and public builds), rendered once per test session, served over HTTP on
127.0.0.1, and a browser that cannot reach anything else."""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
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
    """Built sites over HTTP on 127.0.0.1, as a reader's server serves a site: Quarto's scripts
    are ES modules, which browsers do not run from file://. The project folder is served at the
    root; a site built elsewhere (the fallback's build in a copy of the project) is added with
    `add_site` and served under a prefix of its own."""

    def __init__(self):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _QuietHandler)
        # URL prefix -> folder served under it; "" (the project) is tried last.
        self.httpd.mounts = {"": PROJECT_ROOT}
        self.sites = list(SITE_DIRS.values())
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def add_site(self, site: Path) -> None:
        """Serve the folder around `site` (its project) under a prefix named after that folder."""
        project = site.resolve().parent
        self.httpd.mounts.setdefault(project.name, project)
        self.sites.append(site.resolve())

    def _url_path(self, path: Path) -> str:
        path = path.resolve()
        for prefix, folder in sorted(self.httpd.mounts.items(), key=lambda item: item[0] == ""):
            if path.is_relative_to(folder):
                return "/".join(part for part in (prefix, path.relative_to(folder).as_posix()) if part)
        raise ValueError(f"{path} is in no served folder: {sorted(map(str, self.httpd.mounts.values()))}")

    def url_of(self, path: Path) -> str:
        return self.base + self._url_path(path)

    def is_site(self, url: str) -> bool:
        """A file of one of the built sites (not of the project around them)."""
        return any(url.startswith(self.url_of(site) + "/") for site in self.sites)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path):
        """A request under a mounted prefix is answered from that prefix's folder."""
        for prefix, folder in self.server.mounts.items():
            if prefix and path.startswith(f"/{prefix}/"):
                self.directory = str(folder)
                return super().translate_path(path[len(prefix) + 1:])
        self.directory = str(self.server.mounts[""])
        return super().translate_path(path)

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


# --- the fallback renderer's build, beside Quarto's ---------------------------------------------

PROJECT_FILES = ("_quarto.yml", "_quarto-internal.yml", "_quarto-public.yml", "index.qmd", "chapters", "analysis",
                 "render", "scripts", "assets", "results", ".quarto-fallback",
                 # read by pages through analysis/ (library versions, nested CV, data sources)
                 "requirements.in", "requirements.txt", "bench", "data")


def built_by_quarto(site: Path) -> bool:
    """Whether `make site` used Quarto for `site`: its `.built` stamp then names the quarto
    command before the profile (the fallback's stamp holds the profile alone)."""
    return len((site / ".built").read_text(encoding="utf-8").split()) >= 2


@pytest.fixture(scope="session")
def fallback_site(rendered_site, tmp_path_factory):
    """The same sources and results/, rendered by the fallback into a copy of the project."""
    if not built_by_quarto(rendered_site):
        pytest.skip("the site was built by the fallback renderer: nothing to compare it with")
    copy = tmp_path_factory.mktemp("fallback-project")
    for name in PROJECT_FILES:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            shutil.copy2(source, copy / name)
    # ../shared beside the copy too, so pages name the data source as they do for the project.
    shared = PROJECT_ROOT.parent / "shared"
    if shared.exists() and not (copy.parent / "shared").exists():
        (copy.parent / "shared").symlink_to(shared.resolve(), target_is_directory=True)
    # PYTHONPATH: the kernels import the copy's analysis/ (its PROJECT_ROOT, downloads/ and results/),
    # not the project's, whose downloads/ may hold the public build's files by now.
    env = {**os.environ, "QUARTO_PROFILE": "internal", "PYTHONPATH": str(copy)}
    done = subprocess.run([sys.executable, "-m", "render", str(copy), "--profile", "internal", "--quiet",
                           "--depends", "analysis", "--depends", "results"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return copy / "_site"


@pytest.fixture(scope="session", params=["quarto", "fallback"])
def each_renderers_site(request, rendered_site, site_server):
    """The internal site as each renderer builds it, served by `site_server`, for the checks that
    must hold in both (chart text, navbar, glossary links, page width). Where Quarto is found
    that is `make site`'s build and the fallback's build of a copy of the project (the one the
    parity test reads, built once per session, ~40 s); where it is not, `make site` itself used
    the fallback and the Quarto case is skipped."""
    if request.param == "quarto":
        if not built_by_quarto(rendered_site):
            pytest.skip("no Quarto here: `make site` used the fallback renderer (tested as 'fallback')")
        return rendered_site
    site = request.getfixturevalue("fallback_site") if built_by_quarto(rendered_site) else rendered_site
    site_server.add_site(site)
    return site
