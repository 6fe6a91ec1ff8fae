"""Checks over every built page of either renderer: clean inline values, only the site's own
requests, the public build without customer data, and Quarto-vs-fallback parity."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from page_text import page_text, problems

from analysis.paths import RESULTS_DIR
from analysis.report.publish import CUSTOMER_LEVEL_FILES
from render.site import COMMENT_SCRIPTS

OPTIONAL_EXTERNAL = tuple(COMMENT_SCRIPTS.values())

pytestmark = pytest.mark.browser


def built_pages(site):
    return sorted(site.rglob("*.html"))


@pytest.mark.parametrize("profile", ["internal", "public"])
def test_no_page_shows_escape_codes_leftover_expressions_or_repr_quotes(rendered_site, public_site, profile):
    site = rendered_site if profile == "internal" else public_site
    pages = built_pages(site)
    assert len(pages) >= 7
    faults = {str(page.relative_to(site)): problems(page_text(page.read_text(encoding="utf-8"))) for page in pages}
    assert {page: found for page, found in faults.items() if found} == {}
    for page in pages:  # and in the raw HTML, anywhere (attributes, tooltips, chart specs)
        html = page.read_text(encoding="utf-8")
        assert "{python}" not in html.replace("`{python}", ""), page.name


def test_every_page_requests_nothing_but_the_site_and_hypothesis(rendered_site, public_site, offline_page):
    """Every request each page makes in Chromium (styles, fonts, scripts, data, images)."""
    seen = {}
    offline_page.on("request", lambda request: seen.setdefault(offline_page.url, []).append(request.url))
    for site in (rendered_site, public_site):
        for page in built_pages(site):
            offline_page.goto(offline_page.url_of(page), wait_until="networkidle")
    assert offline_page.blocked_requests == []
    assert set(offline_page.blocked_optional) <= set(OPTIONAL_EXTERNAL)
    assert sum(len(urls) for urls in seen.values()) > 2 * len(seen)  # the recording did see the page's files


def modelled_ids() -> set[str]:
    customers = pd.read_csv(RESULTS_DIR / "customers.csv", usecols=["id"])
    table = pd.read_csv(RESULTS_DIR / "model_table.csv", usecols=["id"])
    return set(customers["id"].astype(str)) | set(table["id"].astype(str))


def test_public_site_holds_no_modelled_customer_id_in_any_file(public_site):
    ids = modelled_ids()
    assert len(ids) > 1000
    leaks = {}
    for path in public_site.rglob("*"):
        if path.is_file():
            # Six digits after a decimal point are a fraction (e.g. a money figure 8.216057), not an id.
            numbers = set(re.findall(rb"(?<![\d.])\d{6}(?!\d)", path.read_bytes()))
            found = {n.decode() for n in numbers} & ids
            if found:
                leaks[str(path.relative_to(public_site))] = sorted(found)[:5]
    assert leaks == {}


def test_public_site_has_no_customer_level_page_or_download(rendered_site, public_site):
    assert (rendered_site / "chapters" / "lookup.html").is_file()
    assert not (public_site / "chapters" / "lookup.html").exists()
    internal = {path.name for path in (rendered_site / "downloads").iterdir()}
    public = {path.name for path in (public_site / "downloads").iterdir()}
    assert CUSTOMER_LEVEL_FILES & internal >= {"customers.csv", "action_list.csv", "model_table.csv", "shap_values.csv"}
    assert public and not public & CUSTOMER_LEVEL_FILES
    drivers = (public_site / "chapters" / "04-drivers.html").read_text(encoding="utf-8")
    assert "fig-explorer" not in drivers and "fig-explorer" in (rendered_site / "chapters" / "04-drivers.html").read_text(
        encoding="utf-8")


DOWNLOAD_LINK = re.compile(r'href="((?:\.\./|\./)*downloads/[^"#?]+)"')


@pytest.mark.parametrize("profile", ["internal", "public"])
def test_every_download_link_leads_to_a_file_of_that_build(rendered_site, public_site, profile):
    """Quarto does not check links: the public methods page linked campaign.csv, which the
    public build does not ship (the fallback renderer, which does check, found it)."""
    site = rendered_site if profile == "internal" else public_site
    dangling = {}
    for page in built_pages(site):
        for href in set(DOWNLOAD_LINK.findall(page.read_text(encoding="utf-8"))):
            if not (page.parent / href).resolve().is_file():
                dangling.setdefault(str(page.relative_to(site)), []).append(href)
    assert dangling == {}


# --- parity: the fallback renders what Quarto renders ------------------------------------------

NUMBER = re.compile(r"\d[\d\u00a0\u202f ]*(?:,\d+)?")


# The one line that differs by design: the methods page names the renderer that built it.
RENDERER_NAME = re.compile(r"Quarto \d+\.\d+\.\d+|запасной рендерер \(render/\)")


def _comparable(lines: list[str]) -> list[str]:
    return [RENDERER_NAME.sub("<renderer>", line) for line in lines]


def _first_difference(ours: list[str], theirs: list[str]) -> str:
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if a != b:
            return f"line {i + 1}:\n  Quarto:   {a[:300]}\n  fallback: {b[:300]}"
    longer, name = (ours, "Quarto") if len(ours) > len(theirs) else (theirs, "fallback")
    return f"only {name} has line {min(len(ours), len(theirs)) + 1}: {longer[min(len(ours), len(theirs))][:300]}"


def test_fallback_renders_the_same_pages_as_quarto(rendered_site, fallback_site):
    quarto_pages = {str(p.relative_to(rendered_site)) for p in built_pages(rendered_site)}
    assert quarto_pages == {str(p.relative_to(fallback_site)) for p in built_pages(fallback_site)}
    differences = []
    for name in sorted(quarto_pages):
        quarto = page_text((rendered_site / name).read_text(encoding="utf-8"))
        fallback = page_text((fallback_site / name).read_text(encoding="utf-8"))
        quarto.lines, fallback.lines = _comparable(quarto.lines), _comparable(fallback.lines)
        numbers = ([n.strip() for line in quarto.lines for n in NUMBER.findall(line)],
                   [n.strip() for line in fallback.lines for n in NUMBER.findall(line)])
        if quarto.lines != fallback.lines:
            differences.append(f"{name}: visible text differs at {_first_difference(quarto.lines, fallback.lines)}")
        elif numbers[0] != numbers[1]:
            differences.append(f"{name}: numbers differ at {_first_difference(*numbers)}")
        elif quarto.captions != fallback.captions:
            differences.append(f"{name}: captions differ at {_first_difference(quarto.captions, fallback.captions)}")
        elif quarto.charts != fallback.charts:
            differences.append(f"{name}: {quarto.charts} charts under Quarto, {fallback.charts} under the fallback")
    assert differences == [], "\n".join(differences)
